"""``cond`` and ``switch``: choose one of several branches by a traced index.

``cond_p`` (JAX: cond) takes ``index, *operands`` and a tuple of branch Jaxprs;
branch ``clamp(index)`` runs. ``cond(pred, true_fun, false_fun)`` lists the false
branch first, so ``index = int32(pred)`` selects it, as JAX prints it.

    jvp        : the jvp of every branch, one ``cond`` on primals and tangents
    partial_eval: with a known index, a known ``cond`` computes the primal outputs and
                 residuals now; an unknown ``cond`` on the residuals is staged
    transpose  : a ``cond`` of the transposed branches
    batch      : a ``cond`` of the batched branches; with a batched index, every
                 branch runs and ``select_n`` picks per example
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
    stage_eqn,
    trace_hoisted,
    transpose_jaxpr,
    types_match,
    zeros,
)
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var, eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import Tracer, set_current_trace
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import structural as st
from mini_ad.transforms.compile import compile_jaxpr
from mini_ad.transforms.jet import jet_jaxpr, pack, unpack
from mini_ad.transforms.staging import aval_of
from mini_ad.transforms.transpose import is_undefined
from mini_ad.tree_util import tree_flatten, tree_unflatten

cond_p = Primitive("cond", multiple_results=True)


def cond(pred, true_fun, false_fun, *operands):
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, staged so
    that ``pred`` may be traced. Both branches are traced and must return the same types.

    >>> import mini_ad.numpy as mnp
    >>> cond(2.0 > 1.0, mnp.sin, mnp.cos, 0.0)
    array(0.)
    """
    if not callable(true_fun) or not callable(false_fun):
        raise TypeError("lax.cond: true_fun and false_fun arguments should be callable.")
    aval = _scalar_aval(pred, "Pred", "cond")
    if aval.dtype != np.bool_ and aval.dtype.kind not in "iu":
        raise TypeError(f"Pred type must be either boolean or number, got {aval.dtype.name}.")
    if not isinstance(pred, Tracer):  # a concrete pred: the index is a literal (as in JAX)
        index = np.asarray(pred != 0, np.int32)
    else:
        if aval.dtype != np.bool_:
            pred = ew.ne(pred, np.zeros((), aval.dtype))
        index = ew.convert_element_type(pred, np.int32)
    return _bind_cond(index, (false_fun, true_fun), operands, ("false_fun", "true_fun"))


def switch(index, branches, *operands):
    """``branches[clamp(index, 0, len(branches) - 1)](*operands)``.

    >>> import mini_ad.numpy as mnp
    >>> switch(5, [mnp.sin, mnp.cos], 0.0)
    array(1.)
    """
    branches = tuple(branches)
    if not branches:
        raise ValueError("Empty branch sequence")
    if not all(callable(b) for b in branches):
        raise TypeError("lax.switch: branches argument should be a sequence of callables.")
    aval = _scalar_aval(index, "Branch index", "switch")
    if aval.dtype.kind not in "iu":
        raise TypeError(f"Index type must be an integer, got {aval.dtype.name}.")
    if len(branches) == 1:
        return branches[0](*operands)
    index = ew.convert_element_type(index, np.int32)
    index = ew.max(ew.min(index, np.array(len(branches) - 1, np.int32)), np.array(0, np.int32))
    return _bind_cond(index, branches, operands, [f"branches[{i}]" for i in range(len(branches))])


def _scalar_aval(x, what, api):
    if isinstance(x, (list, tuple)):
        raise TypeError(f"{what} must be a scalar, got {x!r}.")
    aval = check_valid_args([x], f"lax.{api}")[0]
    if aval.shape:
        raise TypeError(f"{what} must be a scalar, got {x!r} of shape {aval.shape}.")
    return aval


def _bind_cond(index, funs, operands, fun_names):
    ops_flat, in_tree = tree_flatten(operands)
    in_avals = check_valid_args(ops_flat, "lax.cond operands")
    jaxprs, consts, out_trees = [], [], []
    for fun in funs:
        flat, store = flatten_fun(fun, in_tree)
        closed, branch_consts = trace_hoisted(
            flat, in_avals, debug_info("cond", fun, len(in_avals), "operands")
        )
        jaxprs.append(closed)
        consts.append(branch_consts)
        out_trees.append(store["out"])
    for name, tree in zip(fun_names[1:], out_trees[1:], strict=True):
        if tree != out_trees[0]:
            raise TypeError(
                f"{fun_names[0]} and {name} output must have same type structure, got "
                f"{out_trees[0]} and {tree}."
            )
    _check_branch_types(jaxprs, fun_names)
    all_consts, branches = _common_consts(jaxprs, consts)
    outs = cond_p.bind(index, *all_consts, *ops_flat, branches=tuple(branches))
    return tree_unflatten(out_trees[0], outs)


def _check_branch_types(jaxprs, fun_names):
    first = jaxprs[0].out_avals
    for name, j in zip(fun_names[1:], jaxprs[1:], strict=True):
        if not all(types_match(a, b) for a, b in zip(first, j.out_avals, strict=True)):
            diffs = "\n".join(
                f"  output {k}: {fun_names[0]} gives {a.str_short()}, {name} gives {b.str_short()}"
                for k, (a, b) in enumerate(zip(first, j.out_avals, strict=True))
                if not types_match(a, b)
            )
            raise TypeError(f"cond branches must have equal output types but they differ.\n{diffs}")


def _common_consts(jaxprs, consts):
    """Every branch takes the consts of all branches (each reads only its own)."""
    all_consts, index = [], {}
    for branch_consts in consts:
        for c in branch_consts:
            if id(c) not in index:
                index[id(c)] = len(all_consts)
                all_consts.append(c)
    branches = []
    for closed, branch_consts in zip(jaxprs, consts, strict=True):
        j = closed.jaxpr
        const_vars = [Var(aval_of(c)) for c in all_consts]
        for v, c in zip(j.invars[: len(branch_consts)], branch_consts, strict=True):
            const_vars[index[id(c)]] = v
        invars = const_vars + j.invars[len(branch_consts) :]
        branches.append(ClosedJaxpr(Jaxpr([], invars, j.eqns, j.outvars), closed.consts))
    return all_consts, branches


# --- rules ------------------------------------------------------------------------------------


def _cond_impl(index, *args, branches):
    i = int(np.clip(index, 0, len(branches) - 1))
    return compile_jaxpr(branches[i])(*args)


def _cond_abstract_eval(index, *args, branches):
    if index.shape or index.dtype != np.int32:
        raise TypeError(f"cond index must be a scalar int32, got {index.str_short()}.")
    outs = branches[0].out_avals
    # the result is weakly typed only if it is so in every branch
    weak = [all(b.out_avals[k].weak_type for b in branches) for k in range(len(outs))]
    return [a.update(weak_type=w) for a, w in zip(outs, weak, strict=True)]


def _cond_jvp(primals, tangents, *, branches):
    index, *ops = primals
    nonzeros = [t is not None for t in tangents[1:]]
    out_nz = [False] * len(branches[0].out_avals)
    for b in branches:
        out_nz = [x or y for x, y in zip(out_nz, jvp_jaxpr(b, nonzeros, False)[1], strict=True)]
    jvps = tuple(jvp_jaxpr(b, nonzeros, out_nz)[0] for b in branches)
    outs = cond_p.bind(index, *ops, *[t for t in tangents[1:] if t is not None], branches=jvps)
    n = len(out_nz)
    return outs[:n], merge_by_mask(out_nz, outs[n:], [None] * out_nz.count(False))


def _cond_partial_eval(trace, args, *, branches):
    index, *ops = args
    if is_own(trace, index):  # which branch runs is unknown: everything is
        return stage_eqn(
            trace,
            cond_p,
            args,
            {"branches": branches},
            _cond_abstract_eval(aval_of(index), branches=branches),
        )
    unknowns = [is_own(trace, x) for x in ops]
    try:
        out_uk = [False] * len(branches[0].out_avals)
        for b in branches:
            out_uk = [
                x or y
                for x, y in zip(
                    out_uk, partial_eval_jaxpr(b, unknowns, False).out_unknowns, strict=True
                )
            ]
        pes = [partial_eval_jaxpr(b, unknowns, out_uk) for b in branches]
    except WhileTripCountError:
        # A reverse-mode while loop in a branch needs concrete values: with a concrete
        # index, trace through the taken branch instead.
        i = concrete_or_none(index)
        if i is None:
            raise
        branch = branches[int(np.clip(i, 0, len(branches) - 1))]
        return eval_jaxpr(branch.jaxpr, branch.consts, ops)
    slots, slot_of = _merge_residuals([p.res_avals for p in pes])
    n_known_out = out_uk.count(False)
    known_branches = tuple(
        _known_with_all_residuals(p, n_known_out, slot_of[k], slots) for k, p in enumerate(pes)
    )
    with set_current_trace(trace.parent):
        known = cond_p.bind(index, *filter_mask(ops, unknowns, keep=False), branches=known_branches)
    known_outs, residuals = known[:n_known_out], known[n_known_out:]
    unknown_branches = tuple(
        _unknown_with_all_residuals(p, slot_of[k], slots) for k, p in enumerate(pes)
    )
    out_avals = filter_mask(_cond_abstract_eval(aval_of(index), branches=branches), out_uk)
    unknown_outs = stage_eqn(
        trace, cond_p, [index, *residuals, *filter_mask(ops, unknowns)],
        {"branches": unknown_branches}, out_avals,
    )  # fmt: skip
    return merge_by_mask(out_uk, unknown_outs, known_outs)


def _merge_residuals(res_avals_per_branch):
    """Share residual slots of equal type between branches (only one branch runs)."""
    slots, slot_of = [], []
    for res_avals in res_avals_per_branch:
        used, mine = set(), []
        for aval in res_avals:
            k = next(
                (i for i, s in enumerate(slots) if i not in used and types_match(s, aval)), None
            )
            if k is None:
                k = len(slots)
                slots.append(aval.strip_weak_type())
            used.add(k)
            mine.append(k)
        slot_of.append(mine)
    return slots, slot_of


def _known_with_all_residuals(pe, n_known_out, my_slots, slots):
    def fn(*known_ins):
        outs = eval_jaxpr(pe.known.jaxpr, pe.known.consts, known_ins)
        res = [None] * len(slots)
        for k, r in zip(my_slots, outs[n_known_out:], strict=True):
            res[k] = r
        return outs[:n_known_out] + [
            zeros(a) if r is None else r for r, a in zip(res, slots, strict=True)
        ]

    return closed_from(fn, pe.known.in_avals)


def _unknown_with_all_residuals(pe, my_slots, slots):
    j = pe.unknown.jaxpr
    res_vars = [Var(a) for a in slots]
    for k, v in zip(my_slots, j.invars[: pe.num_res], strict=True):
        res_vars[k] = v
    invars = res_vars + j.invars[pe.num_res :]
    return ClosedJaxpr(Jaxpr(j.constvars, invars, j.eqns, j.outvars), pe.unknown.consts)


def _cond_transpose(cts, index, *ops, branches):
    if is_undefined(index):
        raise ValueError("cond cannot be transposed with respect to its index.")
    linear = [is_undefined(x) for x in ops]
    nonzero = [ct is not None for ct in cts]
    transposed = tuple(transpose_jaxpr(b, linear, nonzero) for b in branches)
    residuals = filter_mask(ops, linear, keep=False)
    cts_in = cond_p.bind(index, *residuals, *filter_mask(cts, nonzero), branches=transposed)
    return [None, *merge_by_mask(linear, cts_in, [None] * linear.count(False))]


def _cond_batch(axis_size, vals, dims, *, branches):
    index, *ops = vals
    index_dim, *op_dims = dims
    batched = [d is not None for d in op_dims]
    ops = [
        x if d is None else move_to_front(x, d, axis_size)
        for x, d in zip(ops, op_dims, strict=True)
    ]
    if index_dim is not None:
        return _select_batched(
            axis_size, move_to_front(index, index_dim, axis_size), ops, batched, branches
        )
    out_b = [False] * len(branches[0].out_avals)
    for b in branches:
        out_b = [
            x or y for x, y in zip(out_b, batch_jaxpr(b, axis_size, batched, False)[1], strict=True)
        ]
    batched_branches = tuple(batch_jaxpr(b, axis_size, batched, out_b)[0] for b in branches)
    outs = cond_p.bind(index, *ops, branches=batched_branches)
    return outs, [0 if b else None for b in out_b]


def _select_batched(axis_size, index, ops, batched, branches):
    """A batched index: run every branch on the whole batch, pick per example."""
    per_branch = []
    for b in branches:
        bj = batch_jaxpr(b, axis_size, batched, True)[0]
        per_branch.append(eval_jaxpr(bj.jaxpr, bj.consts, ops))
    outs = []
    for cases in zip(*per_branch, strict=True):
        shape = aval_of(cases[0]).shape
        which = st.broadcast_in_dim(index, shape, (0,)) if len(shape) > 1 else index
        outs.append(ew.select_n(which, *cases))
    return outs, [0] * len(outs)


cond_p.impl = _cond_impl
cond_p.abstract_eval = _cond_abstract_eval
cond_p.jvp = _cond_jvp
cond_p.partial_eval = _cond_partial_eval
cond_p.transpose = _cond_transpose
cond_p.batch = _cond_batch


def _cond_lowering(lx, index, *operands, branches):
    """``lax.switch`` over the lowered branches (an int index; a bool one is converted)."""
    if lx.jnp.result_type(index) == lx.jnp.bool_:
        index = lx.lax.convert_element_type(index, lx.np.int32)
    fns = [lambda *ops, branch=branch: lx.call(branch, ops) for branch in branches]
    return list(lx.lax.switch(index, fns, *operands))


cond_p.lowering = _cond_lowering

__all__ = ["cond", "cond_p", "switch"]


# Taylor mode: each branch carries the series of its operands (beyond JAX's jet)
def _cond_jet(primals, series, *, branches):
    index, *ops = primals
    order = len(series[0])
    jets = tuple(jet_jaxpr(b, order) for b in branches)
    outs = cond_p.bind(index, *pack(ops, series[1:], [len(ops)]), branches=jets)
    return unpack(outs, branches[0].out_avals, order, [len(branches[0].out_avals)])


cond_p.jet = _cond_jet
