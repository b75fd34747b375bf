"""``linearize`` at concrete inputs: each primitive's jvp rule derived once per signature.

``LinearizeTrace`` (JAX has one of that name) is the jvp trace of ``linearize_flat``
when the enclosing trace evaluates (``eval_trace``). Its tracers (``LinearizeTracer``)
hold a concrete primal and, as tangent, a variable of the linear program being staged.
At concrete inputs a primitive's jvp rule does the same two things every time it meets
the same *signature* (primitive, jvp rule, params, and for each input the shape, dtype
and weak type of its primal and of its tangent, if it has one): compute known values
(the primal outputs and the residuals) and stage linear equations on the tangents. So
the rule is staged once per signature, from the primitive's own ``jvp``, into a
``DerivedRule``:

    forward : primals -> primal outputs, residuals        (compiled straight-line NumPy)
    linear  : residuals, tangents -> tangent outputs      (a ``linear_call`` body)

and each application runs the compiled forward and appends ONE ``linear_call`` equation
to the linear program; ``backward_pass`` then makes one compiled call per primitive.

The results are the general path's (the rule run by ``JVPTrace`` over the partial
evaluator), bit for bit: compiled code computes what eager evaluation computes, and the
cotangents reaching each variable are summed in the same order. For that the tangent
inputs of a ``linear_call`` are listed in the order the general backward pass reaches
them; a rule whose linear part reads a tangent twice (its cotangents would be summed
inside the call, in another order), gives two outputs one tangent, or returns a known
value as a tangent keeps the general path. So do higher-order primitives (a
``partial_eval`` rule or sub-Jaxprs), rules that need concrete values, unhashable
params, and inputs whose tangents are not variables of this linear program.

Derived rules live in a least-recently-used cache (``functools.lru_cache``: bounded,
the least recently used entry dropped first, never cleared). The key holds the jvp
rule itself, so replacing a primitive's ``jvp`` takes effect at once, and so does a
replaced ``transpose`` (``LinearRule.refresh``); a replaced ``impl`` is seen by
signatures derived after it (as by ``jit``'s compiled code).
"""

from __future__ import annotations

import functools

import numpy as np

from mini_ad.core.array import Array
from mini_ad.core.avals import ShapedArray, concrete_aval
from mini_ad.core.jaxpr import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from mini_ad.core.tracing import Tracer, eval_trace, set_current_trace
from mini_ad.transforms.compile import compile_jaxpr
from mini_ad.transforms.jvp import JVPTrace, JVPTracer
from mini_ad.transforms.linear_call import linear_call_p
from mini_ad.transforms.linear_rule import LinearRule
from mini_ad.transforms.simplify import has_sub_jaxpr
from mini_ad.transforms.staging import StagingTrace, StagingTracer, aval_of

MAX_RULES = 4096  # derived rules kept; the least recently used is dropped first

GENERAL = "general"  # the verdict for signatures that keep the general path
_SCALAR_AVALS = {}  # dtype -> the aval of a 0-d array of that dtype


def _scalar_aval(x):
    aval = _SCALAR_AVALS[x.dtype] = concrete_aval(x)
    return aval


_PYTHON_SCALAR_AVALS = {kind: concrete_aval(kind()) for kind in (float, int, bool, complex)}
_WEAK_SCALARS = {  # their signatures as inputs
    kind: (aval.shape, aval.dtype, aval.weak_type) for kind, aval in _PYTHON_SCALAR_AVALS.items()
}


class LinearizeTracer(JVPTracer):
    """A ``JVPTracer`` whose primal is concrete: its aval, and its signature as an input
    (see ``LinearizeTrace``), are computed once."""

    __slots__ = ("_aval", "_signature")

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent
        self._aval = None
        self._signature = None

    @property
    def aval(self):
        aval = self._aval
        if aval is None:
            aval = self._aval = aval_of(self.primal)
        return aval

    def signature(self):
        """``(shape, dtype, weak_type)`` of the primal and of the tangent; False if the
        tangent is not a variable of the linear program (or the primal not concrete)."""
        signature = self._signature
        if signature is None:
            t = self.tangent
            if isinstance(self.primal, Tracer):
                signature = False
            elif t is None:
                a = self.aval
                signature = (a.shape, a.dtype, a.weak_type)
            elif type(t) is StagingTracer and t._trace is self._trace.parent:
                a = self.aval
                b = t.aval
                signature = (a.shape, a.dtype, a.weak_type, b.shape, b.dtype, b.weak_type)
            else:
                signature = False
            self._signature = signature
        return signature


class LinearizeTrace(JVPTrace):
    """The jvp trace of ``linearize`` at concrete inputs; its parent is the partial
    evaluator staging the linear program, whose parent is ``eval_trace``.

    The rule for a primitive is looked up by its signature: the primitive, its jvp rule,
    its params and, for each input, ``(shape, dtype, weak_type)`` of the primal and, if
    it has one, of the tangent.
    """

    __slots__ = ()
    tracer_type = LinearizeTracer

    def general(self, primitive, args, params):
        """The general path: the primitive's jvp rule run as it is."""
        primals = []
        tangents = []
        for x in args:
            if type(x) is LinearizeTracer and x._trace is self:
                primals.append(x.primal)
                tangents.append(x.tangent)
            else:
                if isinstance(x, Tracer):
                    self.check_foreign(x)
                primals.append(x)
                tangents.append(None)
        any_tangent = any(t is not None for t in tangents)
        return self.apply_rule(primitive, primals, tangents, any_tangent, params)

    def process_primitive(self, primitive, args, params):
        primals = []
        tangents = []
        key = [primitive, primitive.jvp, tuple(params.items()) if params else ()]
        any_tangent = False
        for x in args:
            if type(x) is LinearizeTracer and x._trace is self:
                signature = x._signature or x.signature()
                if signature is False:  # e.g. a known tangent: the general path
                    return self.general(primitive, args, params)
                key.append(signature)
                primals.append(x.primal)
                tangents.append(x.tangent)
                any_tangent = True
                continue
            if isinstance(x, Tracer):
                self.check_foreign(x)
                return self.general(primitive, args, params)
            kind = type(x)
            if kind is np.ndarray or kind is Array or kind is np.float64:
                key.append((x.shape, x.dtype, False))
            else:
                signature = _WEAK_SCALARS.get(kind)
                if signature is None:
                    aval = concrete_aval(x)
                    signature = (aval.shape, aval.dtype, aval.weak_type)
                key.append(signature)
            primals.append(x)
            tangents.append(None)
        if not any_tangent:
            with set_current_trace(eval_trace):
                return eval_trace.process_primitive(primitive, primals, params)
        try:
            rule = _rule_for(tuple(key))
        except TypeError:  # unhashable params
            return self.general(primitive, args, params)
        if rule is GENERAL:
            return self.apply_rule(primitive, primals, tangents, True, params)
        if not rule.simple:
            return rule.apply(self, self.parent, primals, tangents)
        # one output whose tangent is the call's one output (most primitives), inline:
        # the forward computed, one linear_call staged on the tangents
        pe_trace = self.parent
        outs = rule.forward(*primals)
        inputs = []
        k = 1
        for i in rule.residual_sources:
            if i < 0:
                r = outs[k]
                k += 1
                t = type(r)
                if t is np.float64 or (t is np.ndarray or t is Array) and not r.shape:  # to_atom
                    inputs.append(Literal(r, _SCALAR_AVALS.get(r.dtype) or _scalar_aval(r)))
                    continue
            else:
                r = primals[i]
                aval = _PYTHON_SCALAR_AVALS.get(type(r))
                if aval is not None:  # what to_atom makes of a Python scalar
                    inputs.append(Literal(r, aval))
                    continue
            inputs.append(pe_trace.to_atom(r))
        for i in rule.tangent_inputs:
            inputs.append(tangents[i].jaxpr_var)
        out = StagingTracer(pe_trace, rule.call_out_avals[0])
        pe_trace.eqns.append(Eqn(linear_call_p, inputs, rule.params, [out.jaxpr_var]))
        primal = outs[0]  # an ndarray or np.float64, as compiled code returns
        tracer = LinearizeTracer(self, primal, out)
        known = rule.out_known  # the output's aval and signature: the same every time
        if known is None:
            known = rule.out_known = (
                aval_of(primal),
                (primal.shape, primal.dtype) + rule.tangent_signature,
            )
        tracer._aval, tracer._signature = known
        return tracer


class DerivedRule:
    """One signature's jvp rule: a compiled forward and a ``linear_call`` to stage.

    ``out_tangents[k]`` says where output k's tangent comes from: ``None`` (zero),
    ``("in", i)`` (input i's tangent, passed through) or ``("call", j)`` (output j of
    the ``linear_call``). ``tangent_inputs``: the inputs whose tangents the call reads,
    in the order the backward pass reaches them.
    """

    __slots__ = (
        "forward", "n_out", "primal_from_input", "out_tangents", "tangent_inputs",
        "params", "call_out_avals", "multiple_results", "simple", "tangent_signature",
        "residual_sources", "out_known",
    )  # fmt: skip

    def __init__(self):
        self.out_known = None

    def apply(self, trace, pe_trace, primals, tangents):
        outs = self.forward(*primals)
        n_out = self.n_out
        call_outs = None
        if self.params is not None:
            computed = iter(outs[n_out:])
            inputs = [
                pe_trace.to_atom(next(computed) if i < 0 else primals[i])
                for i in self.residual_sources
            ]
            inputs += [tangents[i].jaxpr_var for i in self.tangent_inputs]
            call_outs = [StagingTracer(pe_trace, a) for a in self.call_out_avals]
            pe_trace.eqns.append(
                Eqn(linear_call_p, inputs, self.params, [t.jaxpr_var for t in call_outs])
            )
        results = []
        for k, source in enumerate(self.out_tangents):
            i = self.primal_from_input[k]
            primal = outs[k] if i is None else primals[i]
            if source is None:
                results.append(primal)
                continue
            where, j = source
            tangent = tangents[j] if where == "in" else call_outs[j]
            results.append(LinearizeTracer(trace, primal, tangent))
        return results if self.multiple_results else results[0]


@functools.lru_cache(maxsize=MAX_RULES)
def _rule_for(key):
    """The ``DerivedRule`` of the signature ``key`` (see ``process_primitive``), or
    ``GENERAL``."""
    primitive, _, params, *inputs = key
    params = dict(params)
    if primitive.partial_eval is not None or primitive.jvp is None:
        return GENERAL
    if has_sub_jaxpr(Eqn(primitive, [], params, [])):
        return GENERAL
    in_avals = [ShapedArray(*sig[:3]) for sig in inputs]
    tangent_avals = [ShapedArray(*sig[3:]) if len(sig) > 3 else None for sig in inputs]
    fwd_trace = StagingTrace(eval_trace)
    lin_trace = StagingTrace(fwd_trace, partial=True)
    try:
        with set_current_trace(fwd_trace, end=True):
            primals = [fwd_trace.new_arg(a) for a in in_avals]
            tangents = [None if a is None else lin_trace.new_arg(a) for a in tangent_avals]
            with set_current_trace(lin_trace, end=True):
                primal_out, tangent_out = primitive.jvp(primals, tangents, **params)
            if not primitive.multiple_results:
                primal_out, tangent_out = [primal_out], [tangent_out]
            primal_out, tangent_out = list(primal_out), list(tangent_out)
            return _split(
                primitive, fwd_trace, lin_trace, primals, tangents, primal_out, tangent_out
            )
    except Exception:  # noqa: BLE001 - e.g. a rule that needs values: the general path runs it
        return GENERAL


def _split(primitive, fwd_trace, lin_trace, primals, tangents, primal_out, tangent_out):
    if any(type(p) is StagingTracer and p._trace is lin_trace for p in primal_out):
        return GENERAL
    tangent_index = {id(t.jaxpr_var): i for i, t in enumerate(tangents) if t is not None}
    out_tangents = []
    call_outs = []
    for t in tangent_out:
        if t is None:
            out_tangents.append(None)
        elif type(t) is not StagingTracer or t._trace is not lin_trace:
            return GENERAL  # a known tangent
        elif id(t.jaxpr_var) in tangent_index:
            out_tangents.append(("in", tangent_index[id(t.jaxpr_var)]))
        elif any(t is c for c in call_outs):
            return GENERAL  # one tangent for two outputs: cotangents summed elsewhere
        else:
            out_tangents.append(("call", len(call_outs)))
            call_outs.append(t)
    rule = DerivedRule()
    rule.n_out = len(primal_out)
    rule.out_tangents = out_tangents
    rule.multiple_results = primitive.multiple_results
    if call_outs:
        linear, residuals = lin_trace.build(call_outs)
        if any(e.primitive.partial_eval is not None or has_sub_jaxpr(e) for e in linear.eqns):
            return GENERAL
        order = _reading_order(linear, tangent_index)
        if order is None:
            return GENERAL
        tangent_vars = {i: v for v, i in ((v, tangent_index[id(v)]) for v in linear.invars)}
        body = Jaxpr([], linear.constvars + [tangent_vars[i] for i in order], linear.eqns,
                     linear.outvars)  # fmt: skip
        rule.tangent_inputs = order
        rule.call_out_avals = [v.aval for v in linear.outvars]
        closed = ClosedJaxpr(body, [])
        rule.params = {
            "jaxpr": closed, "name": primitive.name, "rule": LinearRule(closed, len(residuals))
        }  # fmt: skip
    else:
        residuals = []
        rule.tangent_inputs = ()
        rule.params = None
    # residuals that are inputs are taken from the inputs, not passed through the forward
    input_index = {id(p): i for i, p in enumerate(primals)}
    rule.residual_sources = [input_index.get(id(r), -1) for r in residuals]
    computed = [r for r, i in zip(residuals, rule.residual_sources, strict=True) if i < 0]
    fwd_jaxpr, fwd_consts = fwd_trace.build(primal_out + computed)
    invars = {id(v): i for i, v in enumerate(fwd_jaxpr.invars)}
    rule.primal_from_input = [
        invars.get(id(v)) if type(v) is Var else None for v in fwd_jaxpr.outvars[: rule.n_out]
    ]
    rule.simple = (
        not primitive.multiple_results
        and out_tangents == [("call", 0)]
        and rule.primal_from_input == [None]
    )
    if rule.simple:  # the end of its output's signature: strong primal, then the tangent
        a = rule.call_out_avals[0]
        rule.tangent_signature = (False, a.shape, a.dtype, a.weak_type)
    rule.forward = compile_jaxpr(ClosedJaxpr(fwd_jaxpr, fwd_consts), internal=True)
    return rule


def _reading_order(linear: Jaxpr, tangent_index) -> list | None:
    """The tangent inputs read by ``linear``'s equations, in the order a backward pass
    reaches them (equations in reverse, operands in order); None if one is read twice."""
    order = []
    for eqn in reversed(linear.eqns):
        for x in eqn.inputs:
            i = tangent_index.get(id(x)) if type(x) is Var else None
            if i is not None:
                if i in order:
                    return None
                order.append(i)
    for x in linear.outvars:  # an output that is a tangent input would be summed apart
        if id(x) in tangent_index:
            return None
    return order
