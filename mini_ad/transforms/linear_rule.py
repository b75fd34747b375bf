"""``LinearRule``: the ``rule`` param of a ``linear_call`` and the transposes derived from it.

A primitive signature's linear rule (``transforms/linearize.py``) is a Jaxpr
``(residuals..., tangents...) -> tangent outputs``. Its transpose is derived once per set
of nonzero output cotangents: ``backward_pass`` staged over the body at abstract values,
then compiled (straight-line NumPy computing what eager evaluation computes, bit for
bit). ``backward_pass`` calls the compiled transpose directly; under other transforms
the ``linear_call`` transpose rule interprets the same Jaxpr with ``bind``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.jaxpr import ClosedJaxpr, Eqn, Jaxpr, Literal
from mini_ad.core.tracing import eval_trace, set_current_trace
from mini_ad.transforms.compile import compile_jaxpr
from mini_ad.transforms.staging import StagingTrace
from mini_ad.transforms.transpose import backward_pass


class LinearRule:
    """The ``rule`` param of ``linear_call``: its linear Jaxpr and derived transposes.

    ``jaxpr``: ``(residuals..., tangents...) -> tangent outputs``, ``n_res`` residuals.
    """

    __slots__ = (
        "jaxpr", "n_res", "single", "single_ones", "_transposes", "_primitives", "_rules",
        "__weakref__",
    )  # fmt: skip

    def __init__(self, jaxpr: ClosedJaxpr, n_res: int):
        self.jaxpr = jaxpr
        self.n_res = n_res
        self.single = None  # (compiled, targets) of a one-output body, once derived
        self.single_ones = None  # the same for a cotangent of ones (False: no gain)
        self._transposes = {}  # nonzero-cotangent mask -> (ClosedJaxpr, compiled, targets)
        self._primitives = tuple({e.primitive: None for e in jaxpr.jaxpr.eqns})
        self._rules = tuple(p.transpose for p in self._primitives)

    def refresh(self) -> None:
        """Forget the derived transposes if a transpose rule they were derived from has
        been replaced since (``backward_pass`` asks once per pass and rule)."""
        rules = tuple(p.transpose for p in self._primitives)
        if rules != self._rules:
            self._rules = rules
            self._transposes = {}
            self.single = None
            self.single_ones = None

    def transpose_single(self):
        """``(compiled, positions)`` for a one-output body and a nonzero cotangent:
        ``positions`` are the indices among the call's inputs of those it returns
        cotangents for."""
        _, compiled, targets = self.transposed((True,))
        self.single = (compiled, tuple(self.n_res + i for i in targets))
        return self.single

    def transpose_single_ones(self):
        """``(compiled, positions)`` as ``transpose_single``'s, for a cotangent known to be
        all ones (a sum's seed, broadcast): the ones are folded into the program, so
        ``ct * r`` is ``r`` (bit for bit: ``x * 1 == x``), and the compiled function
        takes the residuals only. False when there is nothing to fold (a pass-through)."""
        closed, _, targets = self.transposed((True,))
        body = closed.jaxpr
        ct = body.invars[-1]  # residuals first, then the one cotangent
        if not body.eqns:
            self.single_ones = False
            return False
        aval = ct.aval
        ones = Literal(np.broadcast_to(np.ones((), aval.dtype), aval.shape), aval)

        def atom(x):
            return ones if x is ct else x

        eqns = [Eqn(e.primitive, [atom(x) for x in e.inputs], e.params, e.outputs, e.source)
                for e in body.eqns]  # fmt: skip
        folded = Jaxpr(body.constvars, body.invars[:-1], eqns, [atom(x) for x in body.outvars])
        compiled = compile_jaxpr(ClosedJaxpr(folded, closed.consts), internal=True)
        self.single_ones = (compiled, tuple(self.n_res + i for i in targets))
        return self.single_ones

    def transposed(self, nonzero: tuple):
        """``(closed, compiled, targets)``: ``closed`` maps the residuals and the nonzero
        output cotangents to the cotangents of the tangent inputs ``targets`` (indices
        among the tangents; the others get none). Derived once per mask."""
        entry = self._transposes.get(nonzero)
        if entry is None:
            entry = self._transposes[nonzero] = self._transpose(nonzero)
        return entry

    def _transpose(self, nonzero):
        body = self.jaxpr.jaxpr
        n_res = self.n_res
        linear = Jaxpr(body.invars[:n_res], body.invars[n_res:], body.eqns, body.outvars)
        trace = StagingTrace(eval_trace)
        with set_current_trace(trace, end=True):
            residuals = [trace.new_arg(v.aval) for v in linear.constvars]
            cts = [
                trace.new_arg(v.aval) if nz else None
                for v, nz in zip(linear.outvars, nonzero, strict=True)
            ]
            cts_in = backward_pass(linear, residuals, cts)
            targets = tuple(i for i, ct in enumerate(cts_in) if ct is not None)
            jaxpr, consts = trace.build([cts_in[i] for i in targets])
        for i, v in zip(targets, jaxpr.outvars, strict=True):
            expected = linear.invars[i].aval
            if v.aval.shape != expected.shape:
                raise ValueError(
                    f"transpose of the linear rule of '{self.jaxpr}' produced a cotangent "
                    f"of shape {v.aval.shape} for a value of shape {expected.shape}"
                )
        closed = ClosedJaxpr(jaxpr, consts)
        if not jaxpr.eqns and all(v in jaxpr.invars for v in jaxpr.outvars) and not consts:
            # e.g. add: each target's cotangent is an output cotangent, as it is
            where = [jaxpr.invars.index(v) for v in jaxpr.outvars]
            return closed, lambda *args: [args[i] for i in where], targets
        return closed, compile_jaxpr(closed, internal=True), targets
