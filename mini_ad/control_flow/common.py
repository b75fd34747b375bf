"""Jaxpr-to-Jaxpr transforms shared by the higher-order primitives.

A control-flow primitive (cond, scan, while, jit, remat, custom_*) carries its
sub-programs as ``ClosedJaxpr`` params; its rules transform those programs:

    jvp_jaxpr          : (a -> b) -> ((a, T a) -> (b, T b))         forward mode
    partial_eval_jaxpr : (a -> b) -> (known a -> (known b, res)),
                                     ((res, unknown a) -> unknown b)  split for linearize
    transpose_jaxpr    : (res, T a -o T b) -> ((res, T* b) -> T* a)   backward pass
    batch_jaxpr        : (a -> b) -> ([n]a -> [n]b)                  vmap

Each works the same way: evaluate the program under the transform's trace while a
``StagingTrace`` records the result. Results are cached on the input ``ClosedJaxpr``,
so a jitted function differentiated in a loop is transformed once.

Convention: sub-programs take every value they read as an explicit input; their
``consts`` are concrete arrays only (tracers of enclosing transforms are never
captured, so every transform sees them as operands).
"""

from __future__ import annotations

import weakref

import numpy as np

from mini_ad.core.avals import ShapedArray, is_inexact
from mini_ad.core.jaxpr import ClosedJaxpr, Eqn, Jaxpr, eval_jaxpr
from mini_ad.core.lru import LRU
from mini_ad.core.source_info import current as current_source
from mini_ad.core.tracing import Tracer, current_trace, set_current_trace
from mini_ad.errors import ConcretizationTypeError
from mini_ad.primitives import structural as st
from mini_ad.primitives.batch_rules import put_bdim
from mini_ad.transforms.batching import BatchTrace
from mini_ad.transforms.jvp import jvp_flat
from mini_ad.transforms.partial_eval import tangent_aval
from mini_ad.transforms.staging import (
    DebugInfo,
    StagingTrace,
    StagingTracer,
    aval_of,
    trace_to_jaxpr,
)
from mini_ad.transforms.transpose import backward_pass
from mini_ad.tree_util import tree_flatten, tree_unflatten

_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(closed: ClosedJaxpr, key, build):
    """A program derived from ``closed`` (its jvp, transpose, ...), kept while ``closed``
    lives, at most 64 derivations per program."""
    per_jaxpr = _caches.get(closed)
    if per_jaxpr is None:
        per_jaxpr = _caches.setdefault(closed, LRU(maxsize=64))
    return per_jaxpr.get_or_build(key, build)


# --- small helpers ----------------------------------------------------------------------------


def is_own(trace, x) -> bool:
    """Is ``x`` a tracer of ``trace`` (an unknown of a partial evaluator)?"""
    return isinstance(x, Tracer) and x._trace is trace


def zeros(aval: ShapedArray):
    """Zeros of ``aval``: a literal, broadcast when not a scalar (staged as one eqn)."""
    zero = np.zeros((), aval.dtype)
    return zero if not aval.shape else st.broadcast_in_dim(zero, aval.shape, ())


def instantiate_zeros(values, avals):
    """Replace symbolic zeros (``None``) by zeros of the tangent type."""
    return [zeros(tangent_aval(a)) if v is None else v for v, a in zip(values, avals, strict=True)]


def split_list(values, sizes):
    out, start = [], 0
    for n in sizes:
        out.append(list(values[start : start + n]))
        start += n
    out.append(list(values[start:]))
    return out


def filter_mask(values, mask, keep=True):
    return [v for v, m in zip(values, mask, strict=True) if bool(m) == keep]


def merge_by_mask(mask, true_values, false_values):
    """Interleave: position i takes the next of ``true_values`` if ``mask[i]``."""
    t, f = iter(true_values), iter(false_values)
    out = [next(t) if m else next(f) for m in mask]
    assert next(t, None) is None and next(f, None) is None
    return out


def closed_from(fn, in_avals) -> ClosedJaxpr:
    """Stage ``fn`` (flat list in, flat list out) as a ClosedJaxpr (concrete consts)."""
    jaxpr, consts = trace_to_jaxpr(fn, in_avals)
    for c in consts:
        assert not isinstance(c, Tracer), "a derived Jaxpr captured a tracer"
    return ClosedJaxpr(jaxpr, consts)


def trace_hoisted(fn, in_avals, debug=None) -> tuple[ClosedJaxpr, list]:
    """Stage a user function: every constant it captures becomes a leading input.

    Returns ``(closed, consts)``; bind the primitive with ``*consts, *args``. Captured
    tracers of enclosing transforms thus reach those transforms as operands.
    """
    jaxpr, consts = trace_to_jaxpr(fn, in_avals, debug)
    hoisted = Jaxpr([], jaxpr.constvars + jaxpr.invars, jaxpr.eqns, jaxpr.outvars)
    return ClosedJaxpr(hoisted, []), consts


def reorder_jaxpr(closed: ClosedJaxpr, in_order, out_order) -> ClosedJaxpr:
    """The same program with invars/outvars permuted: new position i is old ``order[i]``."""
    j = closed.jaxpr
    jaxpr = Jaxpr(
        j.constvars, [j.invars[i] for i in in_order], j.eqns, [j.outvars[i] for i in out_order]
    )
    return ClosedJaxpr(jaxpr, closed.consts)


def stage_eqn(trace: StagingTrace, primitive, args, params, out_avals) -> list:
    """Record ``primitive`` as one equation of ``trace`` with the given output types."""
    inputs = [trace.to_atom(x) for x in args]
    outs = [StagingTracer(trace, a) for a in out_avals]
    outvars = [t.jaxpr_var for t in outs]
    source = current_source() if trace.sources else None
    trace.eqns.append(Eqn(primitive, inputs, params, outvars, source))
    return outs


def check_no_closed_over_tangents(tangents, num_consts: int, what: str) -> None:
    if any(t is not None for t in tangents[:num_consts]):
        raise TypeError(
            f"Detected differentiation of a {what} function with respect to a closed-over "
            f"value. The custom rule only says how to differentiate with respect to the "
            f"function's explicit arguments: pass the closed-over value as an argument."
        )


# --- jvp ----------------------------------------------------------------------------------------


def jvp_jaxpr(closed: ClosedJaxpr, nonzeros, instantiate) -> tuple[ClosedJaxpr, list]:
    """``(primals, nonzero tangents) -> (primals_out, nonzero tangents_out)``.

    ``nonzeros[i]``: input i has a tangent. ``instantiate[i]`` (or one bool): output
    i's tangent is made explicit even if zero. Returns the program and which output
    tangents it produces.
    """
    n_out = len(closed.out_avals)
    instantiate = [instantiate] * n_out if isinstance(instantiate, bool) else list(instantiate)
    key = ("jvp", tuple(nonzeros), tuple(instantiate))
    return _cached(closed, key, lambda: _jvp_jaxpr(closed, list(nonzeros), instantiate))


def _jvp_jaxpr(closed, nonzeros, instantiate):
    in_avals = closed.in_avals
    tangent_avals = [tangent_aval(a) for a, nz in zip(in_avals, nonzeros, strict=True) if nz]
    out_nonzeros = []

    def fn(*args):
        primals, nz_tangents = args[: len(in_avals)], args[len(in_avals) :]
        tangents = merge_by_mask(nonzeros, nz_tangents, [None] * nonzeros.count(False))
        outs, outs_t = jvp_flat(
            lambda *xs: eval_jaxpr(closed.jaxpr, closed.consts, xs), primals, tangents
        )
        result_t = []
        for o, t, inst in zip(outs, outs_t, instantiate, strict=True):
            if t is None and inst and is_inexact(aval_of(o).dtype):
                t = zeros(tangent_aval(aval_of(o)))
            out_nonzeros.append(t is not None)
            if t is not None:
                result_t.append(t)
        return list(outs) + result_t

    jaxpr = closed_from(fn, list(in_avals) + tangent_avals)
    return jaxpr, out_nonzeros


# --- partial evaluation -----------------------------------------------------------------------


class PartialEval:
    """The two halves of a program split by which inputs are known.

    ``known``: known inputs -> known outputs + residuals.
    ``unknown``: residuals + unknown inputs -> unknown outputs (residuals that are
    constants live in its consts). ``res_source[i]`` is the index among the known
    inputs that residual i simply is, or None if it is computed.
    """

    __slots__ = ("known", "unknown", "out_unknowns", "num_res", "res_source")

    def __init__(self, known, unknown, out_unknowns, num_res, res_source):
        self.known = known
        self.unknown = unknown
        self.out_unknowns = out_unknowns
        self.num_res = num_res
        self.res_source = res_source

    @property
    def res_avals(self):
        return self.unknown.in_avals[: self.num_res]


def partial_eval_jaxpr(closed: ClosedJaxpr, unknowns, instantiate) -> PartialEval:
    """Split ``closed`` by ``unknowns`` (one bool per input). ``instantiate`` forces
    outputs to the unknown side even when they are computable from known inputs."""
    n_out = len(closed.out_avals)
    instantiate = [instantiate] * n_out if isinstance(instantiate, bool) else list(instantiate)
    key = ("pe", tuple(unknowns), tuple(instantiate))
    return _cached(closed, key, lambda: _partial_eval_jaxpr(closed, list(unknowns), instantiate))


def _partial_eval_jaxpr(closed, unknowns, instantiate):
    in_avals = closed.in_avals
    outer = StagingTrace(current_trace())
    with set_current_trace(outer, end=True):
        known_args = [outer.new_arg(a) for a, u in zip(in_avals, unknowns, strict=True) if not u]
        inner = StagingTrace(outer, partial=True)
        with set_current_trace(inner, end=True):
            unknown_args = [inner.new_arg(a) for a, u in zip(in_avals, unknowns, strict=True) if u]
            args = merge_by_mask(unknowns, unknown_args, known_args)
            outs = eval_jaxpr(closed.jaxpr, closed.consts, args)
            out_unknowns = [
                is_own(inner, o) or inst for o, inst in zip(outs, instantiate, strict=True)
            ]
            unknown_jaxpr, res_values = inner.build(filter_mask(outs, out_unknowns))
        is_tracer = [isinstance(x, Tracer) for x in res_values]
        tracer_res = filter_mask(res_values, is_tracer)
        known_outs = filter_mask(outs, out_unknowns, keep=False)
        known_jaxpr, known_consts = outer.build(known_outs + tracer_res)
    res_vars = filter_mask(unknown_jaxpr.constvars, is_tracer)
    const_vars = filter_mask(unknown_jaxpr.constvars, is_tracer, keep=False)
    unknown = Jaxpr(
        const_vars, res_vars + unknown_jaxpr.invars, unknown_jaxpr.eqns, unknown_jaxpr.outvars
    )
    positions = {id(t): i for i, t in enumerate(known_args)}
    res_source = [positions.get(id(x)) for x in tracer_res]
    return PartialEval(
        ClosedJaxpr(known_jaxpr, known_consts),
        ClosedJaxpr(unknown, filter_mask(res_values, is_tracer, keep=False)),
        out_unknowns,
        len(tracer_res),
        res_source,
    )


# --- transposition ------------------------------------------------------------------------------


def transpose_jaxpr(closed: ClosedJaxpr, linear, nonzero_cts=None) -> ClosedJaxpr:
    """``(non-linear inputs, output cotangents) -> cotangents of the linear inputs``.

    Only outputs with ``nonzero_cts[i]`` (default: all) take a cotangent input; the
    others are symbolic zeros. Non-linear equations (those reading only non-linear
    inputs) are evaluated forward; zero cotangents of the inputs are instantiated, so
    the output types are fixed.
    """
    n_out = len(closed.out_avals)
    nonzero_cts = [True] * n_out if nonzero_cts is None else list(nonzero_cts)
    key = ("transpose", tuple(linear), tuple(nonzero_cts))
    return _cached(closed, key, lambda: _transpose_jaxpr(closed, list(linear), nonzero_cts))


def _transpose_jaxpr(closed, linear, nonzero_cts):
    j = closed.jaxpr
    nonlinear_vars = filter_mask(j.invars, linear, keep=False)
    linear_vars = filter_mask(j.invars, linear)
    view = Jaxpr(j.constvars + nonlinear_vars, linear_vars, j.eqns, j.outvars)
    ct_avals = filter_mask([tangent_aval(a) for a in closed.out_avals], nonzero_cts)
    n = len(nonlinear_vars)

    def fn(*args):
        res, cts = args[:n], args[n:]
        cts = [c if is_inexact(a.dtype) else None for c, a in zip(cts, ct_avals, strict=True)]
        cts = merge_by_mask(nonzero_cts, cts, [None] * nonzero_cts.count(False))
        cts_in = backward_pass(view, list(closed.consts) + list(res), cts)
        return instantiate_zeros(cts_in, [v.aval for v in linear_vars])

    return closed_from(fn, [v.aval for v in nonlinear_vars] + ct_avals)


# --- batching -----------------------------------------------------------------------------------


def batch_jaxpr(
    closed: ClosedJaxpr, axis_size: int, batched, instantiate
) -> tuple[ClosedJaxpr, list]:
    """Inputs with ``batched[i]`` carry a leading batch axis; so do outputs that
    depend on them (or that ``instantiate`` asks for). Returns the program and which
    outputs are batched."""
    n_out = len(closed.out_avals)
    instantiate = [instantiate] * n_out if isinstance(instantiate, bool) else list(instantiate)
    key = ("batch", axis_size, tuple(batched), tuple(instantiate))
    return _cached(closed, key, lambda: _batch_jaxpr(closed, axis_size, list(batched), instantiate))


def _batch_jaxpr(closed, axis_size, batched, instantiate):
    in_avals = [
        a.update(shape=(axis_size, *a.shape)) if b else a
        for a, b in zip(closed.in_avals, batched, strict=True)
    ]
    out_batched = []

    def fn(*args):
        trace = BatchTrace(current_trace(), axis_size)
        with set_current_trace(trace, end=True):
            ins = [trace.wrap(x, 0 if b else None) for x, b in zip(args, batched, strict=True)]
            outs = eval_jaxpr(closed.jaxpr, closed.consts, ins)
            pairs = [trace.unwrap(o) for o in outs]
        results = []
        for (val, bdim), inst in zip(pairs, instantiate, strict=True):
            if bdim is None and not inst:
                out_batched.append(False)
                results.append(val)
            else:
                out_batched.append(True)
                results.append(put_bdim(val, bdim, axis_size, 0))
        return results

    jaxpr = closed_from(fn, in_avals)
    return jaxpr, out_batched


def vmap_to_front(fn, ins, in_dims, axis_size: int) -> list:
    """Run ``fn`` (flat list in and out) batched; every output gets its batch axis
    first (broadcast if it does not depend on the batch)."""
    trace = BatchTrace(current_trace(), axis_size)
    with set_current_trace(trace, end=True):
        wrapped = [trace.wrap(x, d) for x, d in zip(ins, in_dims, strict=True)]
        pairs = [trace.unwrap(o) for o in fn(*wrapped)]
    return [put_bdim(v, d, axis_size, 0) for v, d in pairs]


def move_to_front(x, bdim, axis_size: int):
    """``x`` with its batch axis first (broadcast if unbatched)."""
    return put_bdim(x, bdim, axis_size, 0)


# --- user functions -----------------------------------------------------------------------------


class WhileTripCountError(ValueError):
    """Reverse mode through a while loop whose trip count is not concrete."""


def flatten_fun(fun, in_tree):
    """``fun`` on pytrees as a function of flat leaves; its output treedef lands in
    ``store["out"]`` when it runs."""
    store = {}

    def flat(*leaves):
        out = fun(*tree_unflatten(in_tree, leaves))
        out_flat, store["out"] = tree_flatten(out)
        return out_flat

    return flat, store


def debug_info(transform: str, fun, n_leaves: int, name: str = "args"):
    """DebugInfo naming each flat input ``name[i]`` (for concretization errors)."""
    return DebugInfo(
        transform, fun, [f"{name}[{i}]" for i in range(n_leaves)] if n_leaves > 1 else [name]
    )


def concrete_or_none(x):
    """The concrete value behind ``x`` (a primal under jvp/linearize), or None."""
    if not isinstance(x, Tracer):
        return x
    try:
        return x.to_concrete("a reverse-mode while_loop's trip count")
    except ConcretizationTypeError:
        return None


def check_valid_args(values, what: str) -> list:
    """Avals of flat operands; a TypeError naming ``what`` for non-array leaves."""
    try:
        return [aval_of(x) for x in values]
    except TypeError as e:
        raise TypeError(f"{what}: {e}") from None


def types_match(a: ShapedArray, b: ShapedArray) -> bool:
    """Equal up to weak type (JAX: core.typematch)."""
    return a.shape == b.shape and a.dtype == b.dtype
