"""``checkpoint`` (alias ``remat``): save memory by recomputing in the backward pass.

``remat2`` (JAX's printed name) holds the function's Jaxpr. Evaluated or staged it
is the function. Its rules:

    jvp          : ``remat2`` of the jvp of the Jaxpr
    partial_eval : the known (primal) part runs now, inlined, and its residuals are
                   *dropped*; the staged unknown ``remat2`` takes the known inputs and
                   recomputes the residuals from them before its linear part. A
                   ``policy`` keeps the residuals made by the equations it calls
                   saveable: the forward pass passes them on, the recomputation
                   starts from them
    transpose    : ``remat2`` of the transposed Jaxpr: the backward pass evaluates the
                   recomputation forward, then transposes the linear part
    batch        : ``remat2`` of the batched Jaxpr

So the residuals of a checkpointed function live only inside the backward pass.
"""

from __future__ import annotations

import functools

from mini_ad.control_flow.common import (
    WhileTripCountError,
    batch_jaxpr,
    check_valid_args,
    closed_from,
    debug_info,
    filter_mask,
    flatten_fun,
    is_own,
    jvp_jaxpr,
    merge_by_mask,
    move_to_front,
    partial_eval_jaxpr,
    stage_eqn,
    trace_hoisted,
    transpose_jaxpr,
)
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var, eval_jaxpr
from mini_ad.core.primitive import Primitive, registry
from mini_ad.core.tracing import set_current_trace
from mini_ad.transforms import compile as compile_
from mini_ad.transforms.compile import dce_jaxpr
from mini_ad.transforms.jet import jet_jaxpr, pack, unpack
from mini_ad.transforms.transpose import is_undefined
from mini_ad.tree_util import tree_flatten, tree_unflatten

remat_p = Primitive("remat2", multiple_results=True)  # JAX: remat_p, printed remat2
remat_p.cse = False  # its recomputation must stay a separate equation


def checkpoint(fun, *, prevent_cse: bool = True, policy=None, static_argnums=()):
    """``fun``, but its residuals are recomputed in the backward pass instead of stored.

    As ``jax.checkpoint`` (alias ``remat``): values are the same; under ``grad``/``vjp``
    the forward computation of ``fun`` is run again during the backward pass, trading
    compute for memory.

    Args:
      fun: the function to rematerialize (pytree arguments and outputs).
      prevent_cse: kept in the staged ``remat`` equation (JAX uses it to stop the compiler
        merging the recomputation with the forward pass); it changes no values here.
      policy: None (save nothing) or a function ``policy(primitive, *in_avals, **params)
        -> bool`` saying which equations' outputs the forward pass saves for the
        backward pass, such as ``mini_ad.checkpoint_policies.dots_saveable``.
      static_argnums: an int or a tuple of ints: positional arguments passed through as
        Python values (not traced), e.g. flags that choose a branch.

    Returns:
      A function with ``fun``'s signature.

    Examples:
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> print(ad.grad(ad.checkpoint(lambda x: mnp.sin(mnp.sin(x))))(0.0))
      1.0
      >>> f = ad.checkpoint(lambda x, square: x * x if square else x, static_argnums=1)
      >>> print(ad.grad(f)(3.0, True))
      6.0
    """
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def remat_fun(*args, **kwargs):
        n = len(args)
        static_pos = {i % n for i in static if -n <= i < n}
        dyn = [a for i, a in enumerate(args) if i not in static_pos]
        leaves, in_tree = tree_flatten((dyn, kwargs))
        avals = check_valid_args(leaves, "checkpoint")

        def call(dyn_args, kw):
            it = iter(dyn_args)
            return fun(*[a if i in static_pos else next(it) for i, a in enumerate(args)], **kw)

        flat, store = flatten_fun(call, in_tree)
        closed, consts = trace_hoisted(flat, avals, debug_info("checkpoint", fun, len(avals)))
        outs = remat_p.bind(
            *consts, *leaves, jaxpr=closed, prevent_cse=prevent_cse, differentiated=False,
            policy=policy,
        )  # fmt: skip
        return tree_unflatten(store["out"], outs)

    return remat_fun


remat = checkpoint


def _remat_impl(*args, jaxpr, prevent_cse, differentiated, policy):
    return compile_.compile_jaxpr(jaxpr)(*args)


def _remat_jvp(primals, tangents, *, jaxpr, prevent_cse, differentiated, policy):
    nonzeros = [t is not None for t in tangents]
    jvp, out_nz = jvp_jaxpr(jaxpr, nonzeros, False)
    outs = remat_p.bind(
        *primals, *[t for t in tangents if t is not None], jaxpr=jvp, prevent_cse=prevent_cse,
        differentiated=True, policy=policy,
    )  # fmt: skip
    n = len(out_nz)
    return outs[:n], merge_by_mask(out_nz, outs[n:], [None] * out_nz.count(False))


def _remat_partial_eval(trace, args, *, jaxpr, prevent_cse, differentiated, policy):
    unknowns = [is_own(trace, x) for x in args]
    try:
        pe = partial_eval_jaxpr(jaxpr, unknowns, False)
    except WhileTripCountError:  # a reverse-mode while loop needs concrete values
        return eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, args)  # trace through, saving residuals
    known_args = filter_mask(args, unknowns, keep=False)
    n_known = pe.out_unknowns.count(False)
    saved = _saved_values(pe.known.jaxpr, n_known, policy)
    primal = Jaxpr(
        pe.known.jaxpr.constvars, pe.known.jaxpr.invars, pe.known.jaxpr.eqns,
        pe.known.jaxpr.outvars[:n_known] + saved,
    )  # fmt: skip
    primal, _ = dce_jaxpr(primal, prune_inputs=False)
    with set_current_trace(trace.parent):  # the primal part, inlined; unsaved residuals dropped
        outs = eval_jaxpr(primal, pe.known.consts, known_args)
    known_outs, saved_values = outs[:n_known], outs[n_known:]
    if not any(pe.out_unknowns):
        return known_outs
    recompute = _recomputing(pe, n_known, saved)
    params = dict(prevent_cse=prevent_cse, differentiated=True, policy=policy)
    unknown_outs = stage_eqn(
        trace, remat_p, known_args + saved_values + filter_mask(args, unknowns),
        {"jaxpr": recompute, **params}, recompute.out_avals,
    )  # fmt: skip
    return merge_by_mask(pe.out_unknowns, unknown_outs, known_outs)


def _saved_values(known, n_known, policy) -> list:
    """The variables of the known Jaxpr that the forward pass saves: going back from the
    residuals, each equation the policy calls saveable ends the recomputation there (its
    needed outputs are saved); every other equation is recomputed from its inputs."""
    if policy is None:
        return []
    live = {id(v) for v in known.outvars[n_known:] if type(v) is Var}
    saved = {}
    for eqn in reversed(known.eqns):
        needed = [v for v in eqn.outputs if id(v) in live]
        if not needed or eqn.primitive.effectful:
            continue
        if policy(eqn.primitive, *[x.aval for x in eqn.inputs], **eqn.params):
            saved.update((id(v), v) for v in needed)
        else:
            live.update(id(x) for x in eqn.inputs if type(x) is Var)
    return list(saved.values())[::-1]


def _recomputing(pe, n_known, saved):
    """``(known inputs, saved values, unknown inputs) -> unknown outputs``: the residuals
    recomputed from the known inputs and the saved values."""
    n_known_in = len(pe.known.in_avals) + len(saved)
    saved_ids = {id(v) for v in saved}
    # the forward pass already ran its side effects (debug prints), and saved values need
    # no recomputing: recompute the rest only
    known = pe.known.jaxpr
    eqns = [
        e for e in known.eqns
        if not e.primitive.effectful and not any(id(v) in saved_ids for v in e.outputs)
    ]  # fmt: skip
    known = Jaxpr(known.constvars, known.invars + saved, eqns, known.outvars)

    def fn(*args):
        residuals = eval_jaxpr(known, pe.known.consts, args[:n_known_in])[n_known:]
        return eval_jaxpr(pe.unknown.jaxpr, pe.unknown.consts, residuals + list(args[n_known_in:]))

    in_avals = pe.known.in_avals + [v.aval for v in saved] + pe.unknown.in_avals[pe.num_res :]
    closed = closed_from(fn, in_avals)
    return ClosedJaxpr(dce_jaxpr(closed.jaxpr, prune_inputs=False)[0], closed.consts)


def _remat_transpose(cts, *args, jaxpr, prevent_cse, differentiated, policy):
    linear = [is_undefined(x) for x in args]
    nonzero = [ct is not None for ct in cts]
    transposed = transpose_jaxpr(jaxpr, linear, nonzero)
    cts_in = remat_p.bind(
        *filter_mask(args, linear, keep=False), *filter_mask(cts, nonzero), jaxpr=transposed,
        prevent_cse=prevent_cse, differentiated=True, policy=policy,
    )  # fmt: skip
    return merge_by_mask(linear, cts_in, [None] * linear.count(False))


def _remat_batch(axis_size, vals, dims, *, jaxpr, prevent_cse, differentiated, policy):
    batched = [d is not None for d in dims]
    vals = [
        x if d is None else move_to_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)
    ]
    body, out_b = batch_jaxpr(jaxpr, axis_size, batched, False)
    outs = remat_p.bind(
        *vals, jaxpr=body, prevent_cse=prevent_cse, differentiated=differentiated, policy=policy
    )
    return outs, [0 if b else None for b in out_b]


remat_p.impl = _remat_impl
remat_p.abstract_eval = lambda *avals, jaxpr, **params: jaxpr.out_avals
remat_p.jvp = _remat_jvp
remat_p.partial_eval = _remat_partial_eval
remat_p.transpose = _remat_transpose
remat_p.batch = _remat_batch


@functools.lru_cache(maxsize=256)
def _as_jax_policy(policy):
    """``policy`` for ``jax.checkpoint``: JAX calls it with JAX's primitives, and mini_ad's
    policies read mini_ad's cards, so each JAX primitive is looked up by name (JAX's and
    mini_ad's primitives share their names). Cached: the same policy gives JAX the same
    function, so its tracing caches hold."""

    def jax_policy(primitive, *avals, **params):
        card = registry.get(primitive.name)
        return bool(policy(primitive if card is None else card, *avals, **params))

    jax_policy.__name__ = getattr(policy, "__name__", "policy")
    return jax_policy


def _remat_lowering(lx, *args, jaxpr, prevent_cse=True, policy=None, **params):
    body = lx.jax.checkpoint(
        lambda *xs: lx.call(jaxpr, xs), prevent_cse=prevent_cse,
        policy=None if policy is None else _as_jax_policy(policy),
    )  # fmt: skip
    return list(body(*args))


remat_p.lowering = _remat_lowering

__all__ = ["checkpoint", "remat", "remat_p"]


# Taylor mode: the rematerialized body, carrying series
def _remat_jet(primals, series, *, jaxpr, **params):
    order = len(series[0])
    body = jet_jaxpr(jaxpr, order)
    outs = remat_p.bind(*pack(primals, series, [len(primals)]), jaxpr=body, **params)
    return unpack(outs, jaxpr.out_avals, order, [len(jaxpr.out_avals)])


remat_p.jet = _remat_jet
