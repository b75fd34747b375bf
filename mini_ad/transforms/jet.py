"""Taylor mode: ``jet : (a -> b) -> (a, [a]*K) -> (b, [b]*K)``.

A ``JetTracer`` carries a primal value ``x0`` and the first ``K`` Taylor coefficients
``x1 .. xK`` of a curve ``x(t) = x0 + x1 t + x2 t² + ... + xK t^K``. Inside the trace the
coefficients are *normalized* (``xk = x^(k)(0) / k!``), so products are Cauchy products
and the rules read like the recurrences in a textbook; ``jet`` (the public API) scales
by ``k!`` at the boundary to JAX's convention (derivative coefficients).

``JetTrace`` runs each primitive's ``jet`` rule, ``rule(primals, series, **params) ->
(primal_out, series_out)``, with the parent trace current, so the rule's primitives are
computed (or traced, or differentiated) by the enclosing transform. A coefficient of
``None`` is a symbolic zero; a primitive none of whose inputs has a nonzero coefficient
is bound on the parent and its result returned bare.

Two generic pieces live here because they run jet themselves:

* ``taylor_from_jvp``: the rule of a primitive that has only a jvp. With
  ``y(t) = f(x(t))``, ``y'(t) = jvp_f(x(t), x'(t))``, so the coefficients of ``y`` up to
  order ``K`` are those of the jvp at order ``K - 1``, divided by ``k``. The jvp rule is
  staged once per signature and dead code is dropped (the jvp's own ``f(x)``), so a chain
  ``lgamma -> digamma -> polygamma`` costs O(K³) equations, never 2^K.
* ``jet_jaxpr``: a sub-program of a control-flow primitive made to carry dense series
  (``(primals, series) -> (primals, series)``), which is how cond, scan and while get
  their Taylor rules.
"""

from __future__ import annotations

import weakref

import numpy as np

from mini_ad.core.avals import is_inexact
from mini_ad.core.jaxpr import ClosedJaxpr, eval_jaxpr
from mini_ad.core.tracing import Trace, Tracer, current_trace, set_current_trace
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import structural as st
from mini_ad.primitives import taylor
from mini_ad.transforms.simplify import dce_jaxpr
from mini_ad.transforms.staging import aval_of, trace_to_jaxpr


class JetTracer(Tracer):
    __slots__ = ("primal", "terms")

    def __init__(self, trace, primal, terms):
        self._trace = trace
        self.primal = primal
        self.terms = terms

    @property
    def aval(self):
        return aval_of(self.primal)

    def to_concrete(self, operation):
        if isinstance(self.primal, Tracer):
            return self.primal.to_concrete(operation)
        return self.primal

    def __repr__(self):
        return f"JetTracer(primal={self.primal!r}, terms={self.terms!r})"


class JetTrace(Trace):
    __slots__ = ("order",)
    name = "jet"

    def __init__(self, parent, order: int):
        super().__init__(parent)
        self.order = order

    def process_primitive(self, primitive, args, params):
        primals, series = [], []
        nonzero = False
        for x in args:
            if type(x) is JetTracer and x._trace is self:
                primals.append(x.primal)
                series.append(x.terms)
                nonzero = True
            else:
                if isinstance(x, Tracer):
                    self.check_foreign(x)
                primals.append(x)
                series.append([None] * self.order)
        parent = self.parent
        with set_current_trace(parent):
            if not nonzero:
                return parent.process_primitive(primitive, primals, params)
            if primitive.jet is None:
                raise NotImplementedError(
                    f"Taylor-mode (jet) rule for '{primitive.name}' is not implemented."
                )
            primal_out, series_out = primitive.jet(primals, series, **params)
        if primitive.multiple_results:
            if series_out is None:
                return list(primal_out)
            return [self.wrap(p, s) for p, s in zip(primal_out, series_out, strict=True)]
        return self.wrap(primal_out, series_out)

    def wrap(self, primal, terms):
        if terms is None or all(t is None for t in terms):
            return primal
        if len(terms) != self.order:
            raise ValueError(f"a jet rule returned {len(terms)} terms; expected {self.order}")
        return JetTracer(self, primal, list(terms))

    def unwrap(self, x):
        """``(primal, terms)`` of an output; foreign values have zero terms."""
        if type(x) is JetTracer and x._trace is self:
            return x.primal, x.terms
        return x, [None] * self.order


def jet_flat(fun, primals, series, order: int) -> tuple[list, list]:
    """Push truncated Taylor series through ``fun`` (flat lists; normalized coefficients).

    ``series[i]`` holds the ``order`` coefficients ``x1 .. xK`` of input ``i`` (``None``:
    zero). Returns ``(primals_out, series_out)`` with the same conventions.
    """
    trace = JetTrace(current_trace(), order)
    with set_current_trace(trace, end=True):
        ins = [
            trace.wrap(p, None if not _has_series(p) else s)
            for p, s in zip(primals, series, strict=True)
        ]
        outs = fun(*ins)
        pairs = [trace.unwrap(x) for x in outs]
    return [p for p, _ in pairs], [s for _, s in pairs]


def _has_series(x) -> bool:
    return is_inexact(aval_of(x).dtype)


def zero_term(x):
    """A concrete zero coefficient of ``x``'s type."""
    aval = aval_of(x)
    zero = np.zeros((), aval.dtype)
    return zero if not aval.shape else st.broadcast_in_dim(zero, aval.shape, ())


def _scale(term, factor):
    if term is None:
        return None
    if factor == 1:
        return term
    return ew.mul(term, np.array(factor, aval_of(term).dtype))


# --- the generic rule: Taylor coefficients from the jvp ---------------------------------------

_jvp_jaxprs: dict = {}


def _staged_jvp(p, in_avals, active, params):
    """The jvp of ``p`` as a Jaxpr ``(*primals, *active tangents) -> tangents out``."""
    key = (p, tuple(in_avals), tuple(active), tuple(sorted(params.items())))
    hit = _jvp_jaxprs.get(key)
    if hit is not None:
        return hit
    out_nonzero = []
    tangent_avals = [a for a, on in zip(in_avals, active, strict=True) if on]

    def fn(*args):
        primals = list(args[: len(in_avals)])
        rest = iter(args[len(in_avals) :])
        tangents = [next(rest) if on else None for on in active]
        _, t_out = p.jvp(primals, tangents, **params)
        t_out = list(t_out) if p.multiple_results else [t_out]
        out_nonzero.extend(t is not None for t in t_out)
        return [t for t in t_out if t is not None]

    jaxpr, consts = trace_to_jaxpr(fn, list(in_avals) + tangent_avals)
    jaxpr, _ = dce_jaxpr(jaxpr, prune_inputs=False)
    if len(_jvp_jaxprs) > 2048:
        _jvp_jaxprs.clear()
    _jvp_jaxprs[key] = hit = (jaxpr, consts, out_nonzero)
    return hit


def taylor_from_jvp(p, primals, series, params):
    """Taylor coefficients of ``p``'s output from its jvp rule (see the module docstring).

    ``y_{m+1} = [jvp_p(x(t), x'(t))]_m / (m + 1)``, with ``x'(t)``'s coefficients
    ``(m + 1) x_{m+1}``: one jet of the (staged, dead-code-free) jvp at order ``K - 1``.
    """
    order = len(series[0])
    out = p.bind(*primals, **params)
    outs = list(out) if p.multiple_results else [out]
    active = [
        _has_series(x) and any(t is not None for t in s)
        for x, s in zip(primals, series, strict=True)
    ]
    jaxpr, consts, out_nonzero = _staged_jvp(p, [aval_of(x) for x in primals], active, params)
    ins, in_series = [], []
    for x, s in zip(primals, series, strict=True):
        ins.append(x)
        in_series.append(list(s[: order - 1]))
    for x, s, on in zip(primals, series, active, strict=True):
        if on:
            ins.append(zero_term(x) if s[0] is None else s[0])
            in_series.append([_scale(s[m + 1], m + 2) for m in range(order - 1)])
    t0, t_series = jet_flat(lambda *xs: eval_jaxpr(jaxpr, consts, xs), ins, in_series, order - 1)
    rest = iter(zip(t0, t_series, strict=True))
    series_out = []
    for o, nonzero in zip(outs, out_nonzero, strict=True):
        if not nonzero or not _has_series(o):
            if nonzero:
                next(rest)
            series_out.append(None)
            continue
        d0, ds = next(rest)
        terms = [d0, *ds]
        series_out.append([_scale(terms[m], 1 / (m + 1)) for m in range(order)])
    return out, (series_out if p.multiple_results else series_out[0])


taylor.derived.from_jvp = taylor_from_jvp  # the card rules built by taylor.jet_from_jvp


# --- sub-programs of control flow -------------------------------------------------------------

_jet_jaxprs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def jet_jaxpr(closed: ClosedJaxpr, order: int, in_groups=None, out_groups=None) -> ClosedJaxpr:
    """``closed`` made to carry dense series, for the Taylor rules of control flow.

    Inputs and outputs are split into consecutive groups (sizes ``in_groups``, default one
    group); each group becomes its values followed by the ``order`` coefficients of each
    of its floating values (``pack``'s layout), so a scan's consts, carries and xs stay
    apart. Integer values carry no coefficients. Cached per program, order and grouping.
    """
    in_avals, out_avals = list(closed.in_avals), list(closed.out_avals)
    in_groups = tuple(in_groups or (len(in_avals),))
    out_groups = tuple(out_groups or (len(out_avals),))
    per = _jet_jaxprs.setdefault(closed, {})
    key = (order, in_groups, out_groups)
    if key in per:
        return per[key]

    def fn(*args):
        primals, series = unpack(args, in_avals, order, in_groups)
        outs, outs_series = jet_flat(
            lambda *xs: eval_jaxpr(closed.jaxpr, closed.consts, xs), primals, series, order
        )
        return pack(outs, outs_series, out_groups)

    jaxpr, consts = trace_to_jaxpr(fn, packed_avals(in_avals, order, in_groups))
    per[key] = result = ClosedJaxpr(jaxpr, consts)
    return result


def _groups(n, groups):
    start = 0
    for g in groups:
        yield range(start, start + g)
        start += g
    assert start == n, f"groups {groups} do not cover {n} values"


def packed_avals(avals, order: int, groups) -> list:
    out = []
    for idx in _groups(len(avals), groups):
        out.extend(avals[i] for i in idx)
        out.extend(avals[i] for i in idx if is_inexact(avals[i].dtype) for _ in range(order))
    return out


def pack(primals, series, groups) -> list:
    """Per group: its values, then the coefficients of its floating values (zeros concrete)."""
    out = []
    for idx in _groups(len(primals), groups):
        out.extend(primals[i] for i in idx)
        for i in idx:
            if _has_series(primals[i]):
                out.extend(zero_term(primals[i]) if t is None else t for t in series[i])
    return out


def unpack(values, avals, order: int, groups):
    """The inverse of ``pack``: ``(primals, series)``, integer values with zero series."""
    values = iter(values)
    primals, series = [None] * len(avals), [None] * len(avals)
    for idx in _groups(len(avals), groups):
        for i in idx:
            primals[i] = next(values)
        for i in idx:
            floating = is_inexact(avals[i].dtype)
            series[i] = [next(values) for _ in range(order)] if floating else [None] * order
    return primals, series
