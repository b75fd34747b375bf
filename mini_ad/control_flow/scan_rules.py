"""``scan_p`` (JAX: scan) and its rules; the user-facing ``scan`` is in ``scan.py``.

``scan_p`` takes ``*consts, *init_carry, *xs`` and one body Jaxpr ``(consts, carry,
x) -> (carry, y)``; the ``y``\\ s are stacked.

    jvp         : a scan of the jvp of the body; which carries have tangents is
                  found by a fixpoint (a zero carry tangent may become non-zero)
    partial_eval: a known scan computes primal carries, ys and the per-iteration
                  residuals (stacked as extra ys) now; an unknown scan over the
                  stacked residuals is staged. Residuals that are known consts of
                  the body are passed once as consts, not stacked.
    transpose   : a scan in the opposite direction of the transposed body, whose
                  carry also accumulates the consts' cotangents
    batch       : a scan of the batched body (the batch axis of ``xs`` and ``ys``
                  is axis 1, behind the scanned axis)
"""

from __future__ import annotations

import numpy as np

from mini_ad.control_flow.common import (
    WhileTripCountError,
    batch_jaxpr,
    closed_from,
    filter_mask,
    instantiate_zeros,
    is_own,
    jvp_jaxpr,
    merge_by_mask,
    move_to_front,
    partial_eval_jaxpr,
    reorder_jaxpr,
    split_list,
    stage_eqn,
    transpose_jaxpr,
    zeros,
)
from mini_ad.core.ad_util import is_undefined
from mini_ad.core.avals import is_inexact
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import set_current_trace
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import structural as st
from mini_ad.primitives.batch_rules import move_axis
from mini_ad.transforms.compile import compile_jaxpr, dce_jaxpr
from mini_ad.transforms.jet import jet_jaxpr, pack, unpack
from mini_ad.transforms.staging import aval_of

scan_p = Primitive("scan", multiple_results=True)


# --- rules ------------------------------------------------------------------------------------


def _scan_impl(*args, jaxpr, length, reverse, num_consts, num_carry, unroll):
    body = compile_jaxpr(jaxpr)
    consts, carry, xs = split_list(args, [num_consts, num_carry])
    carry = [np.asarray(c) for c in carry]
    ys = [np.empty((length, *a.shape), a.dtype) for a in jaxpr.out_avals[num_carry:]]
    for i in range(length):
        k = length - 1 - i if reverse else i
        outs = body(*consts, *carry, *[x[k] for x in xs])
        carry = outs[:num_carry]
        for buffer, y in zip(ys, outs[num_carry:], strict=True):
            buffer[k] = y
    return carry + ys


def _scan_abstract_eval(*args, jaxpr, length, reverse, num_consts, num_carry, unroll):
    outs = jaxpr.out_avals
    return outs[:num_carry] + [a.update(shape=(length, *a.shape)) for a in outs[num_carry:]]


def _scan_jvp(primals, tangents, *, jaxpr, length, reverse, num_consts, num_carry, unroll):
    nz = [t is not None for t in tangents]
    const_nz, carry_nz, xs_nz = split_list(nz, [num_consts, num_carry])
    num_ys = len(jaxpr.out_avals) - num_carry
    while True:
        body, out_nz = jvp_jaxpr(jaxpr, const_nz + carry_nz + xs_nz, carry_nz + [False] * num_ys)
        if out_nz[:num_carry] == carry_nz:
            break
        carry_nz = [a or b for a, b in zip(carry_nz, out_nz[:num_carry], strict=True)]
    ys_nz = out_nz[num_carry:]
    consts, carry, xs = split_list(primals, [num_consts, num_carry])
    const_t, carry_t, xs_t = split_list(tangents, [num_consts, num_carry])
    carry_t = [
        t if t is not None or not want else zeros(aval_of(c))
        for c, t, want in zip(carry, carry_t, carry_nz, strict=True)
    ]
    # jvp_jaxpr's order is (primals, tangents); scan wants (consts, carry, xs) each
    # followed by its tangents.
    n_in, counts = len(nz), [const_nz.count(True), carry_nz.count(True), xs_nz.count(True)]
    t_const, t_carry, t_xs = split_list(list(range(n_in, n_in + sum(counts))), counts[:2])
    in_order = (
        list(range(num_consts)) + t_const
        + list(range(num_consts, num_consts + num_carry)) + t_carry
        + list(range(num_consts + num_carry, n_in)) + t_xs
    )  # fmt: skip
    n_out = num_carry + num_ys
    t_carry_out, t_ys_out = split_list(
        list(range(n_out, n_out + counts[1] + ys_nz.count(True))), [counts[1]]
    )
    out_order = list(range(num_carry)) + t_carry_out + list(range(num_carry, n_out)) + t_ys_out
    body = reorder_jaxpr(body, in_order, out_order)
    outs = scan_p.bind(
        *consts, *[t for t in const_t if t is not None],
        *carry, *[t for t in carry_t if t is not None],
        *xs, *[t for t in xs_t if t is not None],
        jaxpr=body, length=length, reverse=reverse, num_consts=num_consts + counts[0],
        num_carry=num_carry + counts[1], unroll=unroll,
    )  # fmt: skip
    carry_out, carry_t_out, ys, ys_t = split_list(outs, [num_carry, counts[1], num_ys])
    primals_out = carry_out + ys
    tangents_out = merge_by_mask(carry_nz, carry_t_out, [None] * carry_nz.count(False))
    tangents_out += merge_by_mask(ys_nz, ys_t, [None] * ys_nz.count(False))
    return primals_out, tangents_out


def scan_partial_eval(trace, args, *, jaxpr, length, reverse, num_consts, num_carry, unroll):
    unknowns = [is_own(trace, x) for x in args]
    const_uk, carry_uk, xs_uk = split_list(unknowns, [num_consts, num_carry])
    num_ys = len(jaxpr.out_avals) - num_carry
    try:
        while True:
            pe = partial_eval_jaxpr(jaxpr, const_uk + carry_uk + xs_uk, carry_uk + [False] * num_ys)
            if pe.out_unknowns[:num_carry] == carry_uk:
                break
            carry_uk = [a or b for a, b in zip(carry_uk, pe.out_unknowns[:num_carry], strict=True)]
    except WhileTripCountError:
        # The body holds a reverse-mode while loop, which needs concrete values: unroll.
        return _unrolled(args, jaxpr, length, reverse, num_consts, num_carry)
    unknowns = const_uk + carry_uk + xs_uk
    ys_uk = pe.out_unknowns[num_carry:]
    known_args = filter_mask(args, unknowns, keep=False)
    n_known_consts = const_uk.count(False)
    n_known_carry = carry_uk.count(False)
    # A residual that is a known const of the body is loop-invariant: pass it once.
    invariant = [s is not None and s < n_known_consts for s in pe.res_source]
    n_known_out = len(pe.known.out_avals) - pe.num_res
    known_body = _select_outputs(pe.known, [True] * n_known_out + [not i for i in invariant])
    with set_current_trace(trace.parent):
        known = scan_p.bind(
            *known_args, jaxpr=known_body, length=length, reverse=reverse,
            num_consts=n_known_consts, num_carry=n_known_carry, unroll=unroll,
        )  # fmt: skip
    known_carry, known_ys, stacked_res = split_list(
        known, [n_known_carry, n_known_out - n_known_carry]
    )
    invariant_res = [known_args[s] for s, i in zip(pe.res_source, invariant, strict=True) if i]
    if not any(pe.out_unknowns):
        return known_carry + known_ys

    j = pe.unknown.jaxpr
    res_vars, rest = j.invars[: pe.num_res], j.invars[pe.num_res :]
    uk_consts, uk_carry, uk_xs = split_list(rest, [const_uk.count(True), carry_uk.count(True)])
    invars = (
        filter_mask(res_vars, invariant) + uk_consts + uk_carry
        + filter_mask(res_vars, invariant, keep=False) + uk_xs
    )  # fmt: skip
    body = ClosedJaxpr(Jaxpr(j.constvars, invars, j.eqns, j.outvars), pe.unknown.consts)
    consts, carry, xs = split_list(args, [num_consts, num_carry])
    unknown_args = (
        invariant_res + filter_mask(consts, const_uk) + filter_mask(carry, carry_uk)
        + stacked_res + filter_mask(xs, xs_uk)
    )  # fmt: skip
    params = dict(
        jaxpr=body, length=length, reverse=reverse, num_consts=len(invariant_res) + len(uk_consts),
        num_carry=len(uk_carry), unroll=unroll,
    )  # fmt: skip
    out_avals = _scan_abstract_eval(*unknown_args, **params)
    unknown = stage_eqn(trace, scan_p, unknown_args, params, out_avals)
    uk_carry_out, uk_ys = unknown[: len(uk_carry)], unknown[len(uk_carry) :]
    return merge_by_mask(carry_uk, uk_carry_out, known_carry) + merge_by_mask(
        ys_uk, uk_ys, known_ys
    )


def _unrolled(args, jaxpr, length, reverse, num_consts, num_carry):
    """The scan as a Python loop of its body, bound on the current trace."""
    consts, carry, xs = split_list(args, [num_consts, num_carry])
    ys = [None] * length
    for i in range(length):
        k = length - 1 - i if reverse else i
        x = [_index(x, k) for x in xs]
        outs = eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, [*consts, *carry, *x])
        carry, ys[k] = outs[:num_carry], outs[num_carry:]
    stacked = []
    for j, aval in enumerate(jaxpr.out_avals[num_carry:]):
        rows = [st.reshape(y[j], (1, *aval.shape)) for y in ys]
        stacked.append(st.concatenate(rows, 0) if rows else np.zeros((0, *aval.shape), aval.dtype))
    return list(carry) + stacked


def _index(x, k):
    shape = aval_of(x).shape
    row = st.slice(x, (k,) + (0,) * (len(shape) - 1), (k + 1, *shape[1:]))
    return st.reshape(row, shape[1:])


def _select_outputs(closed: ClosedJaxpr, keep) -> ClosedJaxpr:
    jaxpr, _ = dce_jaxpr(closed.jaxpr, keep, prune_inputs=False)
    return ClosedJaxpr(jaxpr, closed.consts)


def _scan_transpose(cts, *args, jaxpr, length, reverse, num_consts, num_carry, unroll):
    consts, carry, xs = split_list(args, [num_consts, num_carry])
    const_lin = [is_undefined(x) for x in consts]
    xs_lin = [is_undefined(x) for x in xs]
    carry_avals = jaxpr.in_avals[num_consts : num_consts + num_carry]
    lin_const_avals = filter_mask(jaxpr.in_avals[:num_consts], const_lin)
    ct_carry, ct_ys = cts[:num_carry], cts[num_carry:]
    ct_carry = instantiate_zeros(ct_carry, carry_avals)
    ys_nonzero = tuple(ct is not None for ct in ct_ys)  # zero ys cotangents stay symbolic
    ct_ys = filter_mask(ct_ys, ys_nonzero)
    body = _transposed_body(
        jaxpr, num_consts, num_carry, tuple(const_lin), tuple(xs_lin), ys_nonzero
    )
    res_consts = filter_mask(consts, const_lin, keep=False)
    res_xs = filter_mask(xs, xs_lin, keep=False)
    init = [zeros(a) for a in lin_const_avals] + ct_carry
    outs = scan_p.bind(
        *res_consts, *init, *res_xs, *ct_ys, jaxpr=body, length=length,
        reverse=not reverse, num_consts=len(res_consts), num_carry=len(init), unroll=unroll,
    )  # fmt: skip
    ct_consts, ct_init, ct_xs = split_list(outs, [len(lin_const_avals), num_carry])
    return (
        merge_by_mask(const_lin, ct_consts, [None] * const_lin.count(False))
        + [ct if is_undefined(c) else None for c, ct in zip(carry, ct_init, strict=True)]
        + merge_by_mask(xs_lin, ct_xs, [None] * xs_lin.count(False))
    )


def _transposed_body(jaxpr, num_consts, num_carry, const_lin, xs_lin, ys_nonzero):
    """``(res consts, [ct consts acc, ct carry], [res xs, nonzero ct ys]) ->
    ([ct consts acc + ct consts, ct carry in], ct xs)``."""
    linear = list(const_lin) + [True] * num_carry + list(xs_lin)
    transposed = transpose_jaxpr(jaxpr, linear, [True] * num_carry + list(ys_nonzero))
    n_res_c = const_lin.count(False)
    n_lin_c = const_lin.count(True)
    n_res_x = xs_lin.count(False)
    n_ys = ys_nonzero.count(True)
    in_avals = jaxpr.in_avals
    consts_avals, carry_avals, xs_avals = split_list(in_avals, [num_consts, num_carry])
    ct_carry_avals = [a for a in jaxpr.out_avals[:num_carry]]
    avals = (
        filter_mask(consts_avals, const_lin, keep=False) + filter_mask(consts_avals, const_lin)
        + ct_carry_avals + filter_mask(xs_avals, xs_lin, keep=False)
        + filter_mask(jaxpr.out_avals[num_carry:], ys_nonzero)
    )  # fmt: skip
    assert len(avals) == n_res_c + n_lin_c + num_carry + n_res_x + n_ys

    def fn(*args):
        res_c, acc, ct_carry, res_x, ct_y = split_list(args, [n_res_c, n_lin_c, num_carry, n_res_x])
        cts = eval_jaxpr(transposed.jaxpr, transposed.consts, res_c + res_x + ct_carry + ct_y)
        ct_lin_c, ct_carry_in, ct_lin_x = split_list(cts, [n_lin_c, num_carry])
        return (
            [ew.add_any(a, c) for a, c in zip(acc, ct_lin_c, strict=True)] + ct_carry_in + ct_lin_x
        )

    return closed_from(fn, avals)


def _scan_batch(axis_size, vals, dims, *, jaxpr, length, reverse, num_consts, num_carry, unroll):
    batched = [d is not None for d in dims]
    const_b, carry_b, xs_b = split_list(batched, [num_consts, num_carry])
    num_ys = len(jaxpr.out_avals) - num_carry
    while True:
        body, out_b = batch_jaxpr(
            jaxpr, axis_size, const_b + carry_b + xs_b, carry_b + [False] * num_ys
        )
        if out_b[:num_carry] == carry_b:
            break
        carry_b = [a or b for a, b in zip(carry_b, out_b[:num_carry], strict=True)]
    consts, carry, xs = split_list(vals, [num_consts, num_carry])
    const_d, carry_d, xs_d = split_list(dims, [num_consts, num_carry])
    consts = [
        x if d is None else move_to_front(x, d, axis_size)
        for x, d in zip(consts, const_d, strict=True)
    ]
    carry = [
        move_to_front(x, d, axis_size) if b else x
        for x, d, b in zip(carry, carry_d, carry_b, strict=True)
    ]
    xs = [x if d is None else move_axis(x, d, 1) for x, d in zip(xs, xs_d, strict=True)]
    outs = scan_p.bind(
        *consts, *carry, *xs, jaxpr=body, length=length, reverse=reverse,
        num_consts=num_consts, num_carry=num_carry, unroll=unroll,
    )  # fmt: skip
    out_dims = [0 if b else None for b in carry_b] + [1 if b else None for b in out_b[num_carry:]]
    return outs, out_dims


scan_p.impl = _scan_impl
scan_p.abstract_eval = _scan_abstract_eval
scan_p.jvp = _scan_jvp
scan_p.partial_eval = scan_partial_eval
scan_p.transpose = _scan_transpose
scan_p.batch = _scan_batch


def _scan_lowering(lx, *args, jaxpr, num_consts, num_carry, length, reverse, **params):
    consts = args[:num_consts]
    init, xs = args[num_consts : num_consts + num_carry], args[num_consts + num_carry :]

    def step(carry, x):
        outs = lx.call(jaxpr, [*consts, *carry, *x])
        return outs[:num_carry], outs[num_carry:]

    carry, ys = lx.lax.scan(step, list(init), list(xs), length=length, reverse=reverse)
    return [*carry, *ys]


scan_p.lowering = _scan_lowering


# Taylor mode: a scan of the body carrying series; consts, carries and xs each keep theirs
# (beyond JAX's jet)
def _scan_jet(primals, series, *, jaxpr, num_consts, num_carry, **params):
    order = len(series[0])
    n_xs = len(primals) - num_consts - num_carry
    n_ys = len(jaxpr.out_avals) - num_carry
    in_groups, out_groups = [num_consts, num_carry, n_xs], [num_carry, n_ys]
    body = jet_jaxpr(jaxpr, order, in_groups, out_groups)

    def packed_count(values):  # each value, then the coefficients of the floating ones
        return len(values) + order * sum(is_inexact(aval_of(v).dtype) for v in values)

    outs = scan_p.bind(
        *pack(primals, series, in_groups), jaxpr=body,
        num_consts=packed_count(primals[:num_consts]),
        num_carry=packed_count(primals[num_consts : num_consts + num_carry]), **params,
    )  # fmt: skip
    return unpack(outs, jaxpr.out_avals, order, out_groups)  # unpack reads dtypes only


scan_p.jet = _scan_jet
