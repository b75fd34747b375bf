"""Forward mode: ``jvp : (a -> b) -> (a, T a) -> (b, T b)``.

A ``JVPTracer`` carries a primal value and its tangent. ``JVPTrace`` runs each
primitive's ``jvp`` rule with the parent trace current, so the rule's own
primitives are computed (or traced) by the enclosing transform. A tangent of
``None`` is a symbolic zero: a primitive none of whose inputs has a tangent is
simply bound on the parent, and its result is returned bare (no tracer).
"""

from __future__ import annotations

import sys

import numpy as np

from mini_ad.core.avals import ShapedArray, float0, is_inexact
from mini_ad.core.source_info import DerivedSource, _user_frame, derived
from mini_ad.core.source_info import _current as _current_source
from mini_ad.core.tracing import Trace, Tracer, current_trace, eval_trace, set_current_trace
from mini_ad.transforms.staging import StagingTrace, aval_of


def tangent_aval(aval: ShapedArray) -> ShapedArray:
    """The type of a tangent: the primal's for floats, float0 for ints and bools."""
    if is_inexact(aval.dtype):
        return ShapedArray(aval.shape, aval.dtype, aval.weak_type)
    return ShapedArray(aval.shape, float0)


def zeros_like_aval(aval: ShapedArray):
    return np.zeros(aval.shape, aval.dtype)


class JVPTracer(Tracer):
    __slots__ = ("primal", "tangent")

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent

    @property
    def aval(self):
        return aval_of(self.primal)

    def to_concrete(self, operation):
        if isinstance(self.primal, Tracer):
            return self.primal.to_concrete(operation)
        return self.primal

    def __repr__(self):
        return f"JVPTracer(primal={self.primal!r}, tangent={self.tangent!r})"


class JVPTrace(Trace):
    __slots__ = ()
    name = "jvp"
    tracer_type = JVPTracer  # the tracers it makes (LinearizeTrace: LinearizeTracer)

    def process_primitive(self, primitive, args, params):
        primals = []
        tangents = []
        any_tangent = False
        for x in args:
            if type(x) is JVPTracer and x._trace is self:
                primals.append(x.primal)
                tangents.append(x.tangent)
                any_tangent = any_tangent or x.tangent is not None
            else:
                if isinstance(x, Tracer):
                    self.check_foreign(x)
                primals.append(x)
                tangents.append(None)
        return self.apply_rule(primitive, primals, tangents, any_tangent, params)

    def apply_rule(self, primitive, primals, tangents, any_tangent, params):
        """Run ``primitive``'s jvp rule on the parent (or, with no tangent, bind it
        there) and wrap its results."""
        parent = self.parent
        with set_current_trace(parent):
            if not any_tangent:
                return parent.process_primitive(primitive, primals, params)
            if primitive.jvp is None:
                raise NotImplementedError(
                    f"Differentiation rule for '{primitive.name}' is not implemented."
                )
            sources = getattr(parent, "sources", parent is not eval_trace)
            if not sources:  # nothing to record
                primal_out, tangent_out = primitive.jvp(primals, tangents, **params)
            else:
                # What the rule stages derives from this primitive application; applied in
                # user code, its line is found by a stack walk from bind's caller: now if the
                # parent stages (records shared by every equation from that line), else on
                # first use.
                origin = _current_source.get()
                if origin is None and type(parent) is StagingTrace:
                    origin = _user_frame(sys._getframe(2))
                if origin is None:
                    rule = DerivedSource(("jvp", primitive, None, sys._getframe(2)))
                else:
                    rule = derived("jvp", primitive, origin)
                token = _current_source.set(rule)
                try:
                    primal_out, tangent_out = primitive.jvp(primals, tangents, **params)
                finally:
                    _current_source.reset(token)
        if primitive.multiple_results:
            return [self.wrap(p, t) for p, t in zip(primal_out, tangent_out, strict=True)]
        return self.wrap(primal_out, tangent_out)

    def wrap(self, primal, tangent):
        return primal if tangent is None else self.tracer_type(self, primal, tangent)

    def unwrap(self, x):
        """``(primal, tangent)`` of an output; foreign values have a zero tangent."""
        if type(x) is self.tracer_type and x._trace is self:
            return x.primal, x.tangent
        return x, None


def jvp_flat(fun, primals, tangents) -> tuple[list, list]:
    """Push ``tangents`` forward through ``fun`` (flat lists; ``None`` = zero)."""
    trace = JVPTrace(current_trace())
    with set_current_trace(trace, end=True):
        ins = [trace.wrap(p, t) for p, t in zip(primals, tangents, strict=True)]
        outs = fun(*ins)
        pairs = [trace.unwrap(x) for x in outs]
    return [p for p, _ in pairs], [t for _, t in pairs]
