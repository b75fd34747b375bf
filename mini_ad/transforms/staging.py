"""Staging: trace a function abstractly into a Jaxpr (``make_jaxpr``, ``jit``).

``StagingTrace`` records every primitive applied to its tracers as an equation.
Values it does not own become constants of the Jaxpr: scalars as typed literals,
arrays (and tracers of enclosing transforms) as constvars.

With ``partial=True`` it is a *partial evaluator* (JAX: ``pe.JaxprTrace``): a
primitive whose inputs are all known (not this trace's tracers) is computed now on
the parent trace, and only the rest is staged. ``linearize`` uses this to compute
primal values concretely while staging the linear tangent program.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.array import Array
from mini_ad.core.avals import ShapedArray, concrete_aval
from mini_ad.core.jaxpr import Eqn, Jaxpr, Literal, Var
from mini_ad.core.source_info import current as current_source
from mini_ad.core.source_info import user_code
from mini_ad.core.tracing import Trace, Tracer, current_trace, eval_trace, set_current_trace
from mini_ad.core.tracing import get_aval as aval_of

_PYTHON_SCALARS = (float, int, bool, complex)


class StagingTracer(Tracer):
    __slots__ = ("aval", "jaxpr_var")

    def __init__(self, trace, aval: ShapedArray):
        self._trace = trace
        self.aval = aval
        self.jaxpr_var = Var(aval)

    def __repr__(self):
        weak = "~" if self.aval.weak_type else ""
        return f"{type(self._trace).__name__}Tracer({weak}{self.aval.str_short()})"


class DebugInfo:
    """Where a staged function came from, for error messages."""

    __slots__ = ("transform", "fun_name", "location", "arg_names")

    def __init__(self, transform: str, fun=None, arg_names=()):
        self.transform = transform
        self.fun_name = getattr(fun, "__name__", repr(fun)) if fun is not None else "<unknown>"
        code = getattr(fun, "__code__", None)
        self.location = f"{code.co_filename}:{code.co_firstlineno}" if code else "<unknown>"
        self.arg_names = tuple(arg_names)


class StagingTrace(Trace):
    __slots__ = (
        "partial", "debug", "eqns", "invars", "constvars", "consts", "_const_ids", "sources",
        "_literals",
    )  # fmt: skip

    def __init__(self, parent, partial: bool = False, debug: DebugInfo | None = None):
        super().__init__(parent)
        self.partial = partial
        # Source information is recorded wherever the program may be kept, printed or
        # checked; not for the throwaway linear program of an eager grad (linearize on
        # the eval trace), whose equations are transposed at once on that trace.
        self.sources = not (partial and parent is eval_trace)
        self.debug = debug
        self.eqns = []
        self.invars = []
        self.constvars = []
        self.consts = []
        self._const_ids = {}
        self._literals: dict = {}  # id(Python scalar) -> its Literal (which keeps it alive)

    @property
    def name(self):
        if self.debug is not None:
            return self.debug.transform
        return "linearize" if self.partial else "make_jaxpr"

    def new_arg(self, aval: ShapedArray) -> StagingTracer:
        tracer = StagingTracer(self, aval)
        self.invars.append(tracer.jaxpr_var)
        return tracer

    def to_atom(self, x):
        """The Var or Literal standing for ``x`` in the Jaxpr being built."""
        if isinstance(x, Tracer):
            if x._trace is self:
                return x.jaxpr_var
            self.check_foreign(x)
        elif type(x) in _PYTHON_SCALARS:  # immutable: one shared Literal per object
            literal = self._literals.get(id(x))
            if literal is None or literal.val is not x:
                literal = self._literals[id(x)] = Literal(x, concrete_aval(x))
            return literal
        elif (type(x) is not np.ndarray and type(x) is not Array) or x.ndim == 0:
            aval = concrete_aval(x)
            if not aval.shape:
                return Literal(x, aval)
        var = self._const_ids.get(id(x))
        if var is None:
            var = self._const_ids[id(x)] = Var(aval_of(x))
            self.constvars.append(var)
            self.consts.append(x)
        return var

    def process_primitive(self, primitive, args, params):
        if self.partial:
            for x in args:
                if isinstance(x, Tracer) and x._trace is self:
                    break
            else:  # every input known: compute it now, on the parent
                with set_current_trace(self.parent):
                    return self.parent.process_primitive(primitive, args, params)
        if self.partial and primitive.partial_eval is not None:
            return primitive.partial_eval(self, args, **params)  # split known/unknown
        in_avals = []
        own = True  # every input one of this trace's tracers (the common case)
        for x in args:
            if type(x) is StagingTracer and x._trace is self:
                in_avals.append(x.aval)
            else:
                in_avals.append(aval_of(x))
                own = False
        out_aval = primitive.abstract_eval(*in_avals, **params)
        if own:
            inputs = [x.jaxpr_var for x in args]
        else:
            inputs = [self.to_atom(x) for x in args]
        if primitive.multiple_results:
            outs = [StagingTracer(self, a) for a in out_aval]
            outvars = [t.jaxpr_var for t in outs]
            source = current_source() if self.sources else None
            self.eqns.append(Eqn(primitive, inputs, params, outvars, source))
            return outs
        out = StagingTracer(self, out_aval)
        source = current_source() if self.sources else None
        self.eqns.append(Eqn(primitive, inputs, params, [out.jaxpr_var], source))
        return out

    def build(self, outs) -> tuple[Jaxpr, list]:
        """The Jaxpr computing ``outs`` from this trace's arguments, and its consts."""
        outvars = [self.to_atom(x) for x in outs]
        jaxpr = Jaxpr(self.constvars, self.invars, self.eqns, outvars)
        return jaxpr, list(self.consts)

    def describe_concretization(self, tracer) -> str:
        if self.debug is None:
            return ""
        names = self._dependent_args(tracer)
        if names:
            depends = (
                "This concrete value was not available in Python because it depends on "
                f"the value of the argument{'s' if len(names) > 1 else ''} "
                f"{', '.join(names)}.\n"
            )
        else:
            depends = ""
        return (
            f"The error occurred while tracing the function {self.debug.fun_name} at "
            f"{self.debug.location} for {self.debug.transform}. {depends}"
        )

    def _dependent_args(self, tracer) -> list[str]:
        wanted = {id(tracer.jaxpr_var)}
        for eqn in reversed(self.eqns):
            if any(id(v) in wanted for v in eqn.outputs):
                wanted.update(id(x) for x in eqn.inputs if type(x) is Var)
        arg_names = self.debug.arg_names
        return [
            arg_names[i] if i < len(arg_names) else f"args[{i}]"
            for i, v in enumerate(self.invars)
            if id(v) in wanted
        ]


def trace_to_jaxpr(fun, in_avals, debug: DebugInfo | None = None) -> tuple[Jaxpr, list]:
    """Stage ``fun`` (a function of a flat list of arrays returning a flat list)."""

    trace = StagingTrace(current_trace(), partial=False, debug=debug)
    with set_current_trace(trace, end=True):
        in_tracers = [trace.new_arg(aval) for aval in in_avals]
        if debug is None:  # a program derived by a rule: it keeps the rule's sources
            outs = fun(*in_tracers)
        else:  # the user's function: its own lines
            with user_code():
                outs = fun(*in_tracers)
        return trace.build(outs)
