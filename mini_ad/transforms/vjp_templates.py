"""Derived reverse-mode rules for the tape: one ``Template`` per primitive signature.

A signature is a primitive, its params, the avals of its inputs and which inputs are
differentiated. Its template is built from the primitive's own ``jvp`` and
``transpose`` rules, never written by hand: ``linearize`` of the one equation at
abstract inputs splits it into

    fwd : inputs -> outputs, residuals          (the primal + the known part of the jvp)
    bwd : residuals, output cts -> input cts    (the transposed linear part)

and both are simplified and compiled to straight-line NumPy by ``compile``. Work
that only residuals need is moved to ``bwd`` when that stores nothing extra (see
``_defer_residuals``). Primitives with sub-programs or value-dependent rules get no
template: the tape linearizes them per call (``PerCallTemplate``).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray, float0
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import ConcretizationTypeError, eval_trace, set_current_trace
from mini_ad.transforms.compile import compile_donating, compile_jaxpr, simplify
from mini_ad.transforms.partial_eval import linearize_flat, tangent_aval
from mini_ad.transforms.staging import StagingTrace, aval_of
from mini_ad.transforms.transpose import backward_pass

MAX_TEMPLATES = 20_000  # a program with more distinct signatures than this starts over

# When a signature gets its compiled template (see template_for): at once for arrays this
# large (elements over all inputs), else on this sighting.
BUILD_AT_ONCE_SIZE = 1 << 16
BUILD_AFTER = 16

_templates: dict = {}
_sightings: dict = {}  # signature -> times seen without a template yet
_cached_version = [0]  # Primitive.rules_version the templates were built with
per_call: set = set()  # primitives linearized per call (sub-programs or value-dependent rules)
_PLAIN_PARAM_TYPES = (int, float, bool, str, type(None), np.dtype, ShapedArray)


def check_rules_version() -> None:
    """Drop every template if a primitive's rule was replaced since they were built."""
    if _cached_version[0] != Primitive.rules_version:
        _templates.clear()
        _sightings.clear()
        per_call.clear()
        _cached_version[0] = Primitive.rules_version


class Template:
    """The compiled forward and backward of one primitive signature (see the module doc)."""

    __slots__ = (
        "n_out", "out_avals", "tangent_outs", "fwd", "fwd_closed", "bwd", "bwd_closed",
        "ct_avals", "targets", "linear", "single", "bwd_donating", "bwd_unit",
    )  # fmt: skip


class PerCallTemplate:
    """A primitive linearized at its values: its backward transposes that linear program."""

    __slots__ = ("lin_jaxpr", "n_out", "ct_avals")

    def __init__(self, lin_jaxpr, n_out, ct_avals):
        self.lin_jaxpr = lin_jaxpr
        self.n_out = n_out
        self.ct_avals = ct_avals


def template_for(key, params, values):
    """The cached template for ``key`` (primitive, params, then aval and "differentiated"
    for each input); None if this equation is to be linearized per call instead.

    Building a template (staging, simplifying, compiling two programs) costs 0.5 to 1
    millisecond; it saves about 25 µs of Python per use, and for large arrays NumPy
    passes and memory too. So a signature on arrays of ``BUILD_AT_ONCE_SIZE`` elements
    or more gets its template at once (the build costs about as much as one use), and a
    smaller one only on its ``BUILD_AFTER``-th sighting, having been linearized per call
    until then (about 1.5x the general path's cost): a program whose shapes never repeat
    is not made much slower by the tape, and a loop over the same shapes gets templates
    early.
    """
    try:
        template = _templates.get(key)
    except TypeError:  # unhashable params
        per_call.add(key[0])
        return None
    if template is not None:
        return template
    primitive = key[0]
    if primitive.partial_eval is not None or not all(_plain(v) for v in params.values()):
        per_call.add(primitive)
        return None
    sightings = _sightings.get(key, 0) + 1
    if sightings < BUILD_AFTER and sum(_size(a) for a in key[2::2]) < BUILD_AT_ONCE_SIZE:
        if len(_sightings) >= MAX_TEMPLATES:
            _sightings.clear()
        _sightings[key] = sightings
        return None
    _sightings.pop(key, None)
    try:
        template = build_template(primitive, params, list(key[2::2]), key[3::2])
    except ConcretizationTypeError:  # a rule that needs values: linearize it per call
        per_call.add(primitive)
        return None
    if len(_templates) >= MAX_TEMPLATES:
        _templates.clear()
    _templates[key] = template
    return template


def _size(aval) -> int:
    size = 1
    for n in aval.shape:
        size *= n
    return size


def _plain(value) -> bool:
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN_PARAM_TYPES)


def linearize_one(primitive, params, args, mask):
    """``linearize`` of one equation with respect to the inputs ``mask`` flags (the others
    are constants): ``(outputs, linear Jaxpr, residuals)``, on the current trace."""
    diff = [i for i, m in enumerate(mask) if m]

    def one_eqn(*diff_args):
        full = list(args)
        for i, v in zip(diff, diff_args, strict=True):
            full[i] = v
        out = primitive.bind(*full, **params)
        return out if primitive.multiple_results else [out]

    return linearize_flat(one_eqn, [args[i] for i in diff])


def build_template(primitive, params, in_avals, mask) -> Template:
    fwd_trace = StagingTrace(eval_trace)
    with set_current_trace(fwd_trace, end=True):
        args = [fwd_trace.new_arg(a) for a in in_avals]
        outs, lin_jaxpr, residuals = linearize_one(primitive, params, args, mask)
        fwd_jaxpr, fwd_consts = fwd_trace.build(list(outs) + list(residuals))

    template = Template()
    template.n_out = n_out = len(outs)
    template.out_avals = [aval_of(o) for o in outs]
    template.ct_avals = [tangent_aval(a) for a in template.out_avals]
    fwd_closed = simplify(ClosedJaxpr(fwd_jaxpr, fwd_consts))
    fwd, fwd_const_values = fwd_closed.jaxpr, fwd_closed.consts
    plan = _defer_residuals(fwd, n_out)
    if plan is None:
        stored, deferred = fwd.outvars[n_out:], []
    else:
        stored, deferred = plan
        fwd_closed = simplify(
            ClosedJaxpr(Jaxpr(fwd.constvars, fwd.invars, fwd.eqns, fwd.outvars[:n_out] + stored),
                        fwd_const_values)
        )  # fmt: skip

    bwd_trace = StagingTrace(eval_trace)
    with set_current_trace(bwd_trace, end=True):
        stored_in = [bwd_trace.new_arg(v.aval) for v in stored]
        cts = [None if a.dtype == float0 else bwd_trace.new_arg(a) for a in template.ct_avals]
        # the deferred part of the forward, now computed here from what was stored
        env = {id(v): x for v, x in zip(fwd.constvars, fwd_const_values, strict=True)}
        env.update((id(v), x) for v, x in zip(stored, stored_in, strict=True))
        for eqn in deferred:
            ins = [env[id(x)] if type(x) is Var else x.val for x in eqn.inputs]
            outs_ = eqn.primitive.bind(*ins, **eqn.params)
            outs_ = outs_ if eqn.primitive.multiple_results else [outs_]
            env.update((id(v), o) for v, o in zip(eqn.outputs, outs_, strict=True))
        res_in = [env[id(x)] if type(x) is Var else x.val for x in fwd.outvars[n_out:]]
        cts_out = backward_pass(lin_jaxpr, res_in, cts)
        template.targets = [k for k, c in enumerate(cts_out) if c is not None]
        bwd_jaxpr, bwd_consts = bwd_trace.build([cts_out[k] for k in template.targets])

    template.linear = bool(template.targets)
    template.single = n_out == 1 and template.ct_avals[0].dtype != float0
    constvars = {id(v) for v in lin_jaxpr.constvars}
    template.tangent_outs = [type(v) is Var and id(v) not in constvars for v in lin_jaxpr.outvars]
    template.fwd_closed = fwd_closed
    template.fwd = compile_jaxpr(fwd_closed)
    template.bwd_closed = simplify(ClosedJaxpr(bwd_jaxpr, bwd_consts))
    template.bwd = compile_jaxpr(template.bwd_closed)
    template.bwd_donating = None
    template.bwd_unit = None  # built on first use by unit_backward
    if template.single and template.ct_avals[0].ndim:  # may write into the cotangent
        template.bwd_donating = compile_donating(template.bwd_closed, (len(stored),))
    return template


def _defer_residuals(fwd: Jaxpr, n_out: int):
    """Move the residual-only part of a forward program to the backward pass.

    ``fwd`` computes the outputs and the residuals. The equations only residuals need
    (``2 * x`` for ``x ** 2``, ``(1 - y)(1 + y)`` for ``tanh``) run the same number of
    times wherever they are placed, so if they read nothing but the inputs, outputs and
    constants, the tape stores those instead — arrays that usually exist anyway — and
    the backward pass computes the rest (HIPS autograd's memory profile). Returns
    ``(vars to store, deferred equations)``, or None to store the residuals as they are
    (nothing to defer, a primal intermediate would be needed, or it would store more).
    """
    outs = fwd.outvars[:n_out]
    residuals = fwd.outvars[n_out:]
    needed = {id(v) for v in outs if type(v) is Var}
    primal = set()
    for eqn in reversed(fwd.eqns):
        if any(id(v) in needed for v in eqn.outputs):
            primal.add(id(eqn))
            needed.update(id(x) for x in eqn.inputs if type(x) is Var)
    deferred = [e for e in fwd.eqns if id(e) not in primal]
    if not deferred:
        return None
    base = {id(v): v for v in list(fwd.invars) + [v for v in outs if type(v) is Var]}
    available = set(base) | {id(v) for v in fwd.constvars}
    stored = {}
    for eqn in deferred:
        for x in eqn.inputs:
            if type(x) is not Var:
                continue
            if id(x) not in available:
                return None  # it reads a primal intermediate: recomputing it would cost work
            if id(x) in base:
                stored[id(x)] = x
        available.update(id(v) for v in eqn.outputs)
    for v in residuals:
        if type(v) is Var and id(v) in base:
            stored[id(v)] = v
    kept = {id(v) for v in residuals}
    new_bytes = sum(_nbytes(v.aval) for v in stored.values() if id(v) not in kept)
    old_bytes = sum(_nbytes(v.aval) for v in residuals if type(v) is Var and id(v) not in base)
    if new_bytes > old_bytes:
        return None
    return list(stored.values()), deferred


def _nbytes(aval) -> int:
    return int(np.prod(aval.shape, dtype=np.int64)) * aval.dtype.itemsize


class Ones:
    """A cotangent known to be all ones that no array holds yet: ``grad``'s seed, and what
    the backward passes of sums and additions make of it."""

    __slots__ = ("aval",)

    def __init__(self, aval):
        self.aval = aval

    def materialize(self):
        return np.ones(self.aval.shape, self.aval.dtype)


class UnitBackward:
    """A single-output template's backward with its cotangent fixed to all ones:
    ``fn(*residuals)`` gives the input cotangents that are not all ones themselves;
    ``ones_out[k]`` is the aval of the k-th if it is all ones (it stays symbolic), else None."""

    __slots__ = ("fn", "ones_out")

    def __init__(self, fn, ones_out):
        self.fn = fn
        self.ones_out = ones_out


def unit_backward(template: Template) -> UnitBackward | None:
    """The backward of ``template`` specialised to an all-ones cotangent (cached).

    Multiplying by ones is dropped (``ct * y`` is ``y``, bit for bit) and broadcasting
    ones gives ones, so near the output of ``grad`` — a sum, a mean, the adds of a loss —
    whole passes over the data disappear, as in a hand-written gradient. Any other use
    of the ones makes a real array of them.
    """
    if template.bwd_unit is None:
        template.bwd_unit = _build_unit_backward(template) if template.single else False
    return template.bwd_unit or None


def _build_unit_backward(template: Template) -> UnitBackward:
    from mini_ad.primitives.structural import broadcast_in_dim

    closed = template.bwd_closed
    jaxpr = closed.jaxpr
    *res_vars, ct_var = jaxpr.invars
    trace = StagingTrace(eval_trace)
    with set_current_trace(trace, end=True):
        env = {id(v): x for v, x in zip(jaxpr.constvars, closed.consts, strict=True)}
        env.update((id(v), trace.new_arg(v.aval)) for v in res_vars)
        env[id(ct_var)] = Ones(ct_var.aval)

        def real(x):
            if type(x) is Ones:
                ones = np.ones((), x.aval.dtype)
                return broadcast_in_dim(ones, x.aval.shape, ()) if x.aval.shape else ones
            return x

        for eqn in jaxpr.eqns:
            ins = [env[id(x)] if type(x) is Var else x.val for x in eqn.inputs]
            out_aval = eqn.outputs[0].aval
            name = eqn.primitive.name
            if name == "mul" and any(type(x) is Ones for x in ins):
                other = ins[1] if type(ins[0]) is Ones else ins[0]
                other_aval = aval_of(real(other))
                if (other_aval.shape, other_aval.dtype) == (out_aval.shape, out_aval.dtype):
                    env[id(eqn.outputs[0])] = real(other)  # x * 1 = x
                    continue
            if name == "broadcast_in_dim" and type(ins[0]) is Ones:
                env[id(eqn.outputs[0])] = Ones(out_aval)
                continue
            outs = eqn.primitive.bind(*[real(x) for x in ins], **eqn.params)
            outs = outs if eqn.primitive.multiple_results else [outs]
            env.update((id(v), o) for v, o in zip(eqn.outputs, outs, strict=True))
        results = [env[id(x)] if type(x) is Var else x.val for x in jaxpr.outvars]
        ones_out = [x.aval if type(x) is Ones else None for x in results]
        unit_jaxpr, unit_consts = trace.build([x for x in results if type(x) is not Ones])
    return UnitBackward(compile_jaxpr(simplify(ClosedJaxpr(unit_jaxpr, unit_consts))), ones_out)
