"""``while_loop`` and ``fori_loop``.

``while_p`` (JAX: while) takes ``*cond_consts, *body_consts, *init`` and two
Jaxprs: ``cond (cond_consts, carry) -> bool[]`` and ``body (body_consts, carry) ->
carry``.

    jvp         : a while loop of the jvp of the body (tangent carries found by a
                  fixpoint); the condition reads only the primal carries
    partial_eval: beyond JAX. Under linearize the known inputs are concrete, so the
                  known part of the loop is run once to count its iterations ``n``;
                  the loop is then the scan of length ``n`` of its body, and scan's
                  rule splits it into a known scan (computing the residuals of every
                  iteration) and a staged linear scan, which transposes. JAX rejects
                  reverse mode here; we do so only when the known inputs are traced
                  (``make_jaxpr(grad(f))``, ``jit(grad(f))``): the count is unknowable.
    batch       : with an unbatched condition, a loop of the batched body; with a
                  batched one, the loop runs while any example's condition holds and
                  ``select_n`` freezes the finished examples.

A ``fori_loop`` with Python-int bounds is a ``scan`` (so reverse mode works as in
JAX); with traced bounds it is a ``while``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.control_flow.common import (
    WhileTripCountError,
    batch_jaxpr,
    check_valid_args,
    closed_from,
    concrete_or_none,
    debug_info,
    filter_mask,
    flatten_fun,
    is_own,
    jvp_jaxpr,
    merge_by_mask,
    move_to_front,
    partial_eval_jaxpr,
    reorder_jaxpr,
    split_list,
    stage_eqn,
    trace_hoisted,
    types_match,
    zeros,
)
from mini_ad.control_flow.scan import scan_partial_eval
from mini_ad.core.jaxpr import ClosedJaxpr, eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import eval_trace, set_current_trace
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import reductions as red
from mini_ad.primitives import structural as st
from mini_ad.transforms.compile import compile_jaxpr, dce_jaxpr
from mini_ad.transforms.staging import aval_of
from mini_ad.tree_util import tree_flatten, tree_structure, tree_unflatten

while_p = Primitive("while", multiple_results=True)


def while_loop(cond_fun, body_fun, init_val):
    """``while cond_fun(val): val = body_fun(val)``, staged, as ``jax.lax.while_loop``.

    Both functions are traced once; the loop is one ``while`` primitive, batchable and
    differentiable in forward mode. Beyond JAX, reverse mode works too when the loop's
    inputs are concrete (the loop is run once to count its iterations, then becomes a
    ``scan``); under ``jit``, ``make_jaxpr`` or ``vmap`` of ``grad`` it raises
    ``WhileTripCountError``, where JAX always raises.

    Args:
      cond_fun: a function ``val -> bool scalar``.
      body_fun: a function ``val -> val`` keeping ``val``'s structure, shapes and dtypes
        (a weakly typed Python-scalar ``init_val`` takes the body's dtype).
      init_val: the initial value, a pytree of arrays.

    Returns:
      The final value, of ``init_val``'s structure.

    Raises:
      TypeError: a function is not callable, ``cond_fun`` does not return a bool scalar,
        or ``body_fun`` changes ``val``'s type.
      WhileTripCountError: reverse mode with traced loop inputs (when differentiated).

    Example:
      >>> from mini_ad import lax
      >>> print(lax.while_loop(lambda x: x < 10.0, lambda x: x * 2.0, 1.0))
      16.0
    """
    if not callable(cond_fun) or not callable(body_fun):
        raise TypeError("lax.while_loop: cond_fun and body_fun arguments should be callable.")
    init_flat, in_tree = tree_flatten(init_val)
    avals = check_valid_args(init_flat, "lax.while_loop init_val")
    cond_j, cond_consts, body_j, body_consts, out_tree = _trace(cond_fun, body_fun, in_tree, avals)
    _check_body(in_tree, out_tree, avals, body_j.out_avals)
    body_out = body_j.out_avals
    if any(a.weak_type and a.dtype != b.dtype for a, b in zip(avals, body_out, strict=True)):
        init_flat = [
            ew.convert_element_type(x, b.dtype) if a.weak_type and a.dtype != b.dtype else x
            for x, a, b in zip(init_flat, avals, body_out, strict=True)
        ]
        avals = [aval_of(x) for x in init_flat]
        cond_j, cond_consts, body_j, body_consts, out_tree = _trace(
            cond_fun, body_fun, in_tree, avals
        )
    _check_body(in_tree, out_tree, avals, body_j.out_avals)
    outs = while_p.bind(
        *cond_consts, *body_consts, *init_flat, cond_jaxpr=cond_j, body_jaxpr=body_j,
        cond_nconsts=len(cond_consts), body_nconsts=len(body_consts),
    )  # fmt: skip
    return tree_unflatten(in_tree, outs)


def _check_body(in_tree, out_tree, in_avals, out_avals):
    if out_tree != in_tree or not all(map(types_match, in_avals, out_avals)):
        raise TypeError(
            "body_fun output and input must have identical types, got\n"
            f"input  {in_tree}: {[a.str_short() for a in in_avals]}\n"
            f"output {out_tree}: {[a.str_short() for a in out_avals]}."
        )


def _trace(cond_fun, body_fun, in_tree, avals):
    args_tree = tree_structure((in_tree.unflatten([0] * in_tree.num_leaves),))  # (val,)
    cond_flat, cond_store = flatten_fun(cond_fun, args_tree)
    cond_j, cond_consts = trace_hoisted(
        cond_flat, avals, debug_info("while_loop", cond_fun, len(avals), "val")
    )
    pred = cond_j.out_avals
    if len(pred) != 1 or pred[0].shape or pred[0].dtype != np.bool_:
        raise TypeError(
            "cond_fun must return a boolean scalar, but got output type(s) "
            f"{[a.str_short() for a in pred]}."
        )
    body_flat, body_store = flatten_fun(body_fun, args_tree)
    body_j, body_consts = trace_hoisted(
        body_flat, avals, debug_info("while_loop", body_fun, len(avals), "val")
    )
    return cond_j, cond_consts, body_j, body_consts, body_store["out"]


# --- rules ------------------------------------------------------------------------------------


def _while_impl(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cond = compile_jaxpr(cond_jaxpr)
    body = compile_jaxpr(body_jaxpr)
    cond_consts, body_consts, carry = split_list(args, [cond_nconsts, body_nconsts])
    carry = [np.asarray(c) for c in carry]
    while cond(*cond_consts, *carry)[0]:
        carry = body(*body_consts, *carry)
    return carry


def _while_abstract_eval(*args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    return body_jaxpr.out_avals


def _while_jvp(primals, tangents, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    nz = [t is not None for t in tangents]
    _, bconst_nz, carry_nz = split_list(nz, [cond_nconsts, body_nconsts])
    while True:
        body, out_nz = jvp_jaxpr(body_jaxpr, bconst_nz + carry_nz, carry_nz)
        if out_nz == carry_nz:
            break
        carry_nz = [a or b for a, b in zip(carry_nz, out_nz, strict=True)]
    cond_consts, body_consts, carry = split_list(primals, [cond_nconsts, body_nconsts])
    _, bconst_t, carry_t = split_list(tangents, [cond_nconsts, body_nconsts])
    carry_t = [
        t if t is not None or not want else zeros(aval_of(c))
        for c, t, want in zip(carry, carry_t, carry_nz, strict=True)
    ]
    n_bc, n_c = body_nconsts, len(carry)
    n_bct, n_ct = bconst_nz.count(True), carry_nz.count(True)
    # jvp_jaxpr's order (body consts, carry, their tangents) -> while's (consts, tangents of
    # consts, carry, tangents of carry)
    in_order = (
        list(range(n_bc)) + list(range(n_bc + n_c, n_bc + n_c + n_bct))
        + list(range(n_bc, n_bc + n_c)) + list(range(n_bc + n_c + n_bct, n_bc + n_c + n_bct + n_ct))
    )  # fmt: skip
    body = reorder_jaxpr(body, in_order, list(range(n_c + n_ct)))
    cond_avals = cond_jaxpr.in_avals
    tangent_avals = [aval_of(t) for t in carry_t if t is not None]
    cond = closed_from(
        lambda *a: eval_jaxpr(cond_jaxpr.jaxpr, cond_jaxpr.consts, a[: len(cond_avals)]),
        cond_avals + tangent_avals,
    )
    outs = while_p.bind(
        *cond_consts, *body_consts, *[t for t in bconst_t if t is not None],
        *carry, *[t for t in carry_t if t is not None], cond_jaxpr=cond, body_jaxpr=body,
        cond_nconsts=cond_nconsts, body_nconsts=n_bc + n_bct,
    )  # fmt: skip
    return outs[:n_c], merge_by_mask(carry_nz, outs[n_c:], [None] * carry_nz.count(False))


def _while_partial_eval(trace, args, **params):
    try:
        return _while_as_scan(trace, args, **params)
    except WhileTripCountError:
        # A nested reverse-mode while loop needs concrete values: unroll this loop
        # in Python while its predicate is concrete (else re-raise).
        unrolled = _unrolled(trace, args, **params)
        if unrolled is None:
            raise
        return unrolled


def _unrolled(trace, args, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cond_consts, body_consts, carry = split_list(args, [cond_nconsts, body_nconsts])
    while True:
        (pred,) = eval_jaxpr(cond_jaxpr.jaxpr, cond_jaxpr.consts, [*cond_consts, *carry])
        value = None if is_own(trace, pred) else concrete_or_none(pred)
        if value is None:
            return None
        if not value:
            return carry
        carry = eval_jaxpr(body_jaxpr.jaxpr, body_jaxpr.consts, [*body_consts, *carry])


def _while_as_scan(trace, args, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    """Count the trips of the known part, then split the loop as a scan of that length."""
    params = dict(
        cond_jaxpr=cond_jaxpr,
        body_jaxpr=body_jaxpr,
        cond_nconsts=cond_nconsts,
        body_nconsts=body_nconsts,
    )
    unknowns = [is_own(trace, x) for x in args]
    cconst_uk, bconst_uk, carry_uk = split_list(unknowns, [cond_nconsts, body_nconsts])
    while True:
        body_pe = partial_eval_jaxpr(body_jaxpr, bconst_uk + carry_uk, carry_uk)
        if body_pe.out_unknowns == carry_uk:
            break
        carry_uk = [a or b for a, b in zip(carry_uk, body_pe.out_unknowns, strict=True)]
    cond_pe = partial_eval_jaxpr(cond_jaxpr, cconst_uk + carry_uk, False)
    if cond_pe.out_unknowns[0]:  # the trip count depends on unknowns: stage it all
        return stage_eqn(trace, while_p, args, params, body_jaxpr.out_avals)
    cond_consts, body_consts, carry = split_list(args, [cond_nconsts, body_nconsts])
    n_known_carry = carry_uk.count(False)
    known_body = ClosedJaxpr(
        dce_jaxpr(body_pe.known.jaxpr, [True] * n_known_carry + [False] * body_pe.num_res, False)[
            0
        ],
        body_pe.known.consts,
    )
    known_cc = filter_mask(cond_consts, cconst_uk, keep=False)
    known_bc = filter_mask(body_consts, bconst_uk, keep=False)
    known_carry = filter_mask(carry, carry_uk, keep=False)
    if not any(carry_uk):  # only unused consts are unknown
        with set_current_trace(trace.parent):
            return while_p.bind(
                *known_cc, *known_bc, *known_carry, cond_jaxpr=cond_pe.known, body_jaxpr=known_body,
                cond_nconsts=len(known_cc), body_nconsts=len(known_bc),
            )  # fmt: skip
    trips = _trip_count(cond_pe.known, known_body, known_cc, known_bc, known_carry)
    return scan_partial_eval(
        trace, body_consts + carry, jaxpr=body_jaxpr, length=trips, reverse=False,
        num_consts=body_nconsts, num_carry=len(carry), unroll=1,
    )  # fmt: skip


def _trip_count(cond, body, cond_consts, body_consts, carry) -> int:
    values = [concrete_or_none(x) for x in cond_consts + body_consts + carry]
    if any(v is None for v in values):
        raise WhileTripCountError(
            "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop "
            "with dynamic start/stop values when the loop's known inputs are traced: mini_ad "
            "differentiates a while loop by running it at linearize time to count its "
            "iterations, which needs concrete values (it cannot under make_jaxpr, jit or "
            "vmap of grad). Differentiate outside those transforms, or use lax.scan or a "
            "fori_loop with static start/stop."
        )
    cond_consts, body_consts, carry = split_list(values, [len(cond_consts), len(body_consts)])
    run_cond, run_body = compile_jaxpr(cond), compile_jaxpr(body)
    trips = 0
    with set_current_trace(eval_trace):
        while run_cond(*cond_consts, *carry)[0]:
            carry = run_body(*body_consts, *carry)
            trips += 1
    return trips


def _while_batch(axis_size, vals, dims, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    batched = [d is not None for d in dims]
    cconst_b, bconst_b, carry_b = split_list(batched, [cond_nconsts, body_nconsts])
    while True:
        body, out_b = batch_jaxpr(body_jaxpr, axis_size, bconst_b + carry_b, carry_b)
        if out_b == carry_b:
            break
        carry_b = [a or b for a, b in zip(carry_b, out_b, strict=True)]
    pred_batched = batch_jaxpr(cond_jaxpr, axis_size, cconst_b + carry_b, False)[1][0]
    cond_consts, body_consts, carry = split_list(vals, [cond_nconsts, body_nconsts])
    cconst_d, bconst_d, carry_d = split_list(dims, [cond_nconsts, body_nconsts])
    cond_consts = [
        x if d is None else move_to_front(x, d, axis_size)
        for x, d in zip(cond_consts, cconst_d, strict=True)
    ]
    body_consts = [
        x if d is None else move_to_front(x, d, axis_size)
        for x, d in zip(body_consts, bconst_d, strict=True)
    ]
    if pred_batched:
        carry_b = [True] * len(carry)
    carry = [
        move_to_front(x, d, axis_size) if b else x
        for x, d, b in zip(carry, carry_d, carry_b, strict=True)
    ]
    if not pred_batched:
        cond = batch_jaxpr(cond_jaxpr, axis_size, cconst_b + carry_b, False)[0]
        outs = while_p.bind(
            *cond_consts, *body_consts, *carry, cond_jaxpr=cond, body_jaxpr=body,
            cond_nconsts=cond_nconsts, body_nconsts=body_nconsts,
        )  # fmt: skip
        return outs, [0 if b else None for b in carry_b]
    body = batch_jaxpr(body_jaxpr, axis_size, bconst_b + carry_b, True)[0]
    cond = batch_jaxpr(cond_jaxpr, axis_size, cconst_b + carry_b, True)[0]
    any_cond, frozen_body = _any_cond(cond, cond_nconsts), _frozen_body(cond, body, cond_nconsts)
    outs = while_p.bind(
        *cond_consts, *cond_consts, *body_consts, *carry, cond_jaxpr=any_cond,
        body_jaxpr=frozen_body, cond_nconsts=cond_nconsts, body_nconsts=cond_nconsts + body_nconsts,
    )  # fmt: skip
    return outs, [0] * len(outs)


def _any_cond(cond, n_cc):
    def fn(*args):
        (pred,) = eval_jaxpr(cond.jaxpr, cond.consts, args)
        count = red.reduce_max(ew.convert_element_type(pred, np.int32), (0,))
        return [ew.gt(count, np.array(0, np.int32))]

    return closed_from(fn, cond.in_avals)


def _frozen_body(cond, body, n_cc):
    """Examples whose condition is false keep their carry unchanged."""

    def fn(*args):
        cond_consts, rest = args[:n_cc], args[n_cc:]
        n_bc = len(body.in_avals) - len(cond.in_avals) + n_cc
        body_consts, carry = rest[:n_bc], rest[n_bc:]
        (pred,) = eval_jaxpr(cond.jaxpr, cond.consts, list(cond_consts) + list(carry))
        new = eval_jaxpr(body.jaxpr, body.consts, list(body_consts) + list(carry))
        outs = []
        for old, updated in zip(carry, new, strict=True):
            shape = aval_of(old).shape
            which = st.broadcast_in_dim(pred, shape, (0,)) if len(shape) > 1 else pred
            outs.append(ew.select_n(which, old, updated))
        return outs

    return closed_from(fn, cond.in_avals[:n_cc] + body.in_avals)


while_p.impl = _while_impl
while_p.abstract_eval = _while_abstract_eval
while_p.jvp = _while_jvp
while_p.partial_eval = _while_partial_eval
while_p.batch = _while_batch
while_p.opt_out("transpose", "nonlinear; reverse mode counts the trips at linearize time")


def _while_lowering(lx, *args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    cond_consts = args[:cond_nconsts]
    body_consts = args[cond_nconsts : cond_nconsts + body_nconsts]
    init = args[cond_nconsts + body_nconsts :]
    out = lx.lax.while_loop(
        lambda carry: lx.call(cond_jaxpr, [*cond_consts, *carry])[0],
        lambda carry: lx.call(body_jaxpr, [*body_consts, *carry]),
        list(init),
    )
    return list(out)


while_p.lowering = _while_lowering

__all__ = ["while_loop", "while_p"]
