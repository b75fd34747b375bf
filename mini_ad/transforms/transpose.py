"""The backward pass: transpose a linear Jaxpr.

``backward_pass : (T a -o T b) -> T* b -> T* a``. The equations of a linear Jaxpr
(from ``linearize``) are visited in reverse; each primitive's ``transpose`` rule
maps the cotangents of its outputs to cotangents of its linear inputs, which are
marked ``UndefinedPrimal``. Cotangents reaching the same variable are summed.
Transpose rules bind primitives on the current trace, so an enclosing transform
records the whole backward pass (``grad(grad(f))``, ``make_jaxpr(grad(f))``).
The walk is a loop, not a recursion: programs of any length transpose.

A ``linear_call`` equation (one primitive's derived linear rule, staged by
``linearize`` at concrete inputs) is transposed by its rule's compiled transpose, called
here directly when the pass evaluates (no enclosing transform): what its transpose
rule does, without the rule-call overhead.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import UndefinedPrimal, is_undefined  # noqa: F401 - re-exported
from mini_ad.core.array import Array
from mini_ad.core.fp import _FP_IGNORE, _fp_errors
from mini_ad.core.jaxpr import Jaxpr, Literal, Var
from mini_ad.core.source_info import _current as _current_source
from mini_ad.core.source_info import current_source, derived
from mini_ad.core.tracing import current_trace, eval_trace, set_current_trace
from mini_ad.primitives.elementwise import add_any
from mini_ad.transforms.linear_call import linear_call_p
from mini_ad.transforms.staging import StagingTrace, aval_of

_ARRAYS = (np.ndarray, Array, np.float64)  # concrete cotangents (internal scalars: np.float64)


def backward_pass(jaxpr: Jaxpr, consts, cts_out) -> list:
    """Cotangents of ``jaxpr.invars`` given those of its outvars (``None`` = zero)."""
    known = dict(zip(jaxpr.constvars, consts, strict=True))  # Var -> value
    record = current_trace() is not eval_trace  # sources matter only if staged or checked
    ct_env = {}  # Var -> its cotangent so far (Vars hash by identity)

    def accumulate(var, ct, primitive):
        ct_shape = ct.shape if type(ct) in _ARRAYS else aval_of(ct).shape
        if ct_shape != var.aval.shape:
            raise ValueError(
                f"transpose of '{primitive}' produced a cotangent of shape {ct_shape} "
                f"for a value of shape {var.aval.shape}"
            )
        previous = ct_env.get(var)
        ct_env[var] = ct if previous is None else add_any(previous, ct)

    # Non-linear equations (every input known, e.g. a recomputation under checkpoint
    # or a residual computed inside a control-flow body) are evaluated forward first.
    for eqn in jaxpr.eqns:
        if eqn.primitive is linear_call_p:  # it reads tangents: never all known
            continue
        for x in eqn.inputs:
            if type(x) is not Literal and x not in known:
                break
        else:
            ins = [x.val if type(x) is Literal else known[x] for x in eqn.inputs]
            with current_source(eqn.source):
                outs = eqn.primitive.bind(*ins, **eqn.params)
            outs = outs if eqn.primitive.multiple_results else [outs]
            known.update(zip(eqn.outputs, outs, strict=True))

    for var, ct in zip(jaxpr.outvars, cts_out, strict=True):
        if ct is not None and type(var) is Var and var not in known:
            accumulate(var, ct, "output")

    evaluating = current_trace() is eval_trace
    quiet = _Quiet()
    try:
        _reverse_sweep(jaxpr, known, ct_env, record, evaluating, accumulate, quiet)
    finally:
        quiet.off()
    return [ct_env.pop(v, None) for v in jaxpr.invars]


def _all_ones(ct) -> bool:
    """Whether ``ct`` is a broadcast of 1.0 (zero strides; real floats), as the cotangent
    of a sum's operand is: cheap to tell, and a transpose may then skip ``ct * r``."""
    return (
        ct.ndim > 0 and not any(ct.strides) and ct.dtype.kind == "f" and ct.size > 0
        and ct.flat[0] == 1.0
    )  # fmt: skip


class _Quiet:
    """NumPy's floating-point warnings silenced across a run of compiled linear_call
    transposes (mini_ad's own code) rather than once per call (a context-variable
    switch costs about 0.2 us); switched back before any other rule runs, since a
    rule may run the user's code (a ``custom_vjp``'s ``bwd``)."""

    __slots__ = ("token",)

    def __init__(self):
        self.token = None

    def on(self):
        if self.token is None and _fp_errors.get() is not _FP_IGNORE:
            self.token = _fp_errors.set(_FP_IGNORE)

    def off(self):
        if self.token is not None:
            _fp_errors.reset(self.token)
            self.token = None


def _reverse_sweep(jaxpr, known, ct_env, record, evaluating, accumulate, quiet):
    """The equations of ``jaxpr`` in reverse: cotangents of outputs to those of inputs."""
    refreshed = set()  # the linear_call rules checked for replaced transpose rules
    for eqn in reversed(jaxpr.eqns):
        primitive = eqn.primitive
        if primitive is linear_call_p and evaluating:
            quiet.on()
            if len(eqn.outputs) == 1:  # the common case, inline
                key = eqn.outputs[0]
                ct = ct_env.pop(key, None)
                if ct is None:
                    continue
                if type(ct) in _ARRAYS:
                    rule = eqn.params["rule"]
                    if rule not in refreshed:
                        rule.refresh()
                        refreshed.add(rule)
                    compiled, positions = rule.single or rule.transpose_single()
                    inputs = eqn.inputs
                    args = []
                    for x in inputs[: rule.n_res]:
                        args.append(x.val if type(x) is Literal else known[x])
                    if type(ct) is not np.float64 and _all_ones(ct):
                        ones = rule.single_ones
                        if ones is None:
                            ones = rule.transpose_single_ones()
                        if ones:  # the ones are folded into this variant: residuals only
                            compiled, positions = ones
                        else:
                            args.append(ct)
                    else:
                        args.append(ct)
                    # (the cotangents' shapes were checked when the transpose was derived)
                    for i, ct in zip(positions, compiled(*args), strict=True):
                        x = inputs[i]
                        previous = ct_env.get(x)
                        if previous is None:
                            ct_env[x] = ct
                        elif type(previous) is np.float64 and type(ct) is np.float64:
                            ct_env[x] = previous + ct  # add_any's np.add, as IEEE adds
                        else:
                            ct_env[x] = add_any(previous, ct)
                    continue
                ct_env[key] = ct
            elif _transpose_linear_call(eqn, known, ct_env):
                continue
        quiet.off()
        cts = [ct_env.pop(v, None) for v in eqn.outputs]
        if all(ct is None for ct in cts):
            continue
        args = []
        for x in eqn.inputs:
            if type(x) is Literal:
                args.append(x.val)
            elif x in known:
                args.append(known[x])
            else:
                args.append(UndefinedPrimal(x.aval))
        if primitive.transpose is None:
            raise NotImplementedError(
                f"Transpose rule (for reverse-mode differentiation) of '{primitive.name}' "
                "is not implemented."
            )
        # What the rule stages derives from this equation (the backward pass of its line).
        # Eagerly only higher-order rules stage (sub-programs, which are cached).
        token = None
        if record or primitive.partial_eval is not None:
            token = _current_source.set(derived("transpose", primitive, eqn.source))
        try:
            ct_in = primitive.transpose(
                cts if primitive.multiple_results else cts[0], *args, **eqn.params
            )
            for x, arg, ct in zip(eqn.inputs, args, ct_in, strict=True):
                if ct is not None and is_undefined(arg):
                    accumulate(x, ct, primitive)
        finally:
            if token is not None:
                _current_source.reset(token)


def _transpose_linear_call(eqn, known, ct_env) -> bool:
    """Transpose a ``linear_call`` equation of several outputs by its rule's compiled
    transpose, when its cotangents are NumPy arrays (else False, and nothing is
    changed). The cotangents reach its inputs in input order, as its rule's would."""
    outputs = eqn.outputs
    cts = [ct_env.get(v) for v in outputs]
    if any(ct is not None and type(ct) not in _ARRAYS for ct in cts):
        return False
    for v in outputs:
        ct_env.pop(v, None)
    nonzero = tuple(ct is not None for ct in cts)
    if not any(nonzero):
        return True
    rule = eqn.params["rule"]
    rule.refresh()
    _, compiled, targets = rule.transposed(nonzero)
    inputs = eqn.inputs
    n_res = rule.n_res
    args = [x.val if type(x) is Literal else known[x] for x in inputs[:n_res]]
    for i, ct in zip(targets, compiled(*args, *[ct for ct in cts if ct is not None]), strict=True):
        x = inputs[n_res + i]
        previous = ct_env.get(x)
        ct_env[x] = ct if previous is None else add_any(previous, ct)
    return True


def linear_transpose_flat(fun, in_avals) -> tuple[list, object]:
    """``(out_avals, transposed)`` for a function ``fun`` linear in its flat inputs.

    ``fun`` is staged once at ``in_avals`` by a partial evaluator (its known parts,
    which do not depend on the inputs, are computed now); ``transposed(cts_out)``
    runs ``backward_pass`` over that Jaxpr and returns the input cotangents
    (``None`` = zero).
    """
    trace = StagingTrace(current_trace(), partial=True)
    with set_current_trace(trace, end=True):
        ins = [trace.new_arg(a) for a in in_avals]
        jaxpr, consts = trace.build(fun(*ins))

    def transposed(cts_out) -> list:
        return backward_pass(jaxpr, consts, cts_out)

    return jaxpr.out_avals, transposed
