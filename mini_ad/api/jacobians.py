"""Jacobians and Hessians: ``jacfwd``, ``jacrev``, ``hessian``.

``jacfwd`` maps the linearized function, and ``jacrev`` the vjp function, over the
standard basis of the inputs (or output cotangents) with ``vmap``, all at once; the
stacked results are then cut into one block per (output leaf, input leaf) pair.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import (
    check_callable,
    check_grad_inputs,
    normalize_argnums,
    split_args,
    unflatten_results,
)
from mini_ad.api.autodiff import linearize, vjp
from mini_ad.core.tracing import get_aval
from mini_ad.primitives import structural as st
from mini_ad.transforms.batching import vmap_flat
from mini_ad.tree_util import tree_flatten, tree_structure, tree_unflatten

# --- basis and assembly -----------------------------------------------------------------------


def _stacked_basis(avals):
    """The standard basis of the flattened leaves, stacked: leaf j gets an array of shape
    ``(total,) + shape_j`` whose row k is leaf j's part of the k-th basis vector."""
    sizes = [a.size for a in avals]
    total = sum(sizes)
    leaves = []
    offset = 0
    for a, n in zip(avals, sizes, strict=True):
        rows = np.zeros((total, n), a.dtype)
        rows[np.arange(offset, offset + n), np.arange(n)] = 1
        leaves.append(rows.reshape((total,) + tuple(a.shape)))
        offset += n
    return leaves, total


def _map_over_basis(linear_fun, avals):
    """``linear_fun`` (flat lists in and out) applied to every basis vector of ``avals``
    at once by ``vmap``: each output gets a leading axis of length ``sum(sizes)``."""
    basis, total = _stacked_basis(avals)
    if total == 0:
        return None
    n_out = []

    def counted(*vectors):
        outs = linear_fun(*vectors)
        n_out.append(len(outs))
        return outs

    return vmap_flat(counted, basis, [0] * len(basis), lambda: [0] * n_out[0], total)


def jacfwd(fun: Callable, argnums=0, has_aux: bool = False, holomorphic: bool = False) -> Callable:
    """The Jacobian by forward mode: ``vmap`` of the linearized function over the
    standard basis of the inputs (one jvp per input element, all at once).

    Args:
      fun: the function; positional pytree arguments, pytree output (with
        ``has_aux``, a pair ``(out, aux)``).
      argnums: the position, or tuple of positions, of the arguments to
        differentiate with respect to.
      has_aux: whether ``fun`` returns ``(out, aux)``; then ``(jacobian, aux)`` is
        returned.
      holomorphic: differentiate a complex function holomorphically (complex inputs).

    Returns:
      A function of ``fun``'s arguments returning the Jacobian: output pytree
      outside, input pytree inside; ``J[out_leaf][in_leaf]`` has shape
      ``out.shape + in.shape``. Calling it raises TypeError for a bad ``argnums``
      or a non-float input (non-complex with ``holomorphic``).

    Raises:
      TypeError: ``fun`` is not callable.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.jacfwd(lambda x: x ** 2)(mnp.array([1.0, 2.0]))
      array([[2., 0.],
             [0., 4.]])
    """
    check_callable(fun, "jacfwd")

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        nums = normalize_argnums(argnums, len(args))
        dyn, merge = split_args(args, nums)
        check_grad_inputs(dyn, "jacfwd", False, holomorphic, real_only=not holomorphic)
        results = linearize(lambda *d: fun(*merge(d), **kwargs), *dyn, has_aux=has_aux)
        out, f_jvp = results[0], results[1]
        flat_in, in_tree = tree_flatten(tuple(dyn))
        in_avals = [get_aval(x) for x in flat_in]
        flat_out, out_tree = tree_flatten(out)
        columns = _map_over_basis(
            lambda *ts: tree_flatten(f_jvp(*tree_unflatten(in_tree, ts)))[0], in_avals
        )
        inner_tree = _inner_tree(dyn, in_tree, argnums)
        jac = _assemble(flat_out, in_avals, columns, out_tree, inner_tree, forward=True)
        return (jac, results[2]) if has_aux else jac

    return jacfun


def jacrev(
    fun: Callable,
    argnums=0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable:
    """The Jacobian by reverse mode: ``vmap`` of the vjp function over the standard
    basis of the output cotangents (one vjp per output element, all at once).

    Args:
      fun: the function; positional pytree arguments, pytree output (with
        ``has_aux``, a pair ``(out, aux)``).
      argnums: the position, or tuple of positions, of the arguments to
        differentiate with respect to.
      has_aux: whether ``fun`` returns ``(out, aux)``; then ``(jacobian, aux)`` is
        returned.
      holomorphic: differentiate a complex function holomorphically (complex inputs).
      allow_int: allow integer and boolean inputs (their blocks are float0 zeros).

    Returns:
      A function of ``fun``'s arguments returning the Jacobian, structured as
      ``jacfwd``'s. Calling it raises TypeError for a bad ``argnums`` or an
      integer input without ``allow_int``.

    Raises:
      TypeError: ``fun`` is not callable.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.jacrev(lambda x: x ** 2)(mnp.array([1.0, 2.0]))
      array([[2., 0.],
             [0., 4.]])
    """
    check_callable(fun, "jacrev")

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        nums = normalize_argnums(argnums, len(args))
        dyn, merge = split_args(args, nums)
        check_grad_inputs(dyn, "jacrev", allow_int, holomorphic)
        results = vjp(lambda *d: fun(*merge(d), **kwargs), *dyn, has_aux=has_aux)
        out, vjp_fn = results[0], results[1]
        flat_in, in_tree = tree_flatten(tuple(dyn))
        in_avals = [get_aval(x) for x in flat_in]
        flat_out, out_tree = tree_flatten(out)
        out_avals = [get_aval(x) for x in flat_out]
        rows = _map_over_basis(
            lambda *cts: tree_flatten(vjp_fn(tree_unflatten(out_tree, cts)))[0], out_avals
        )
        inner_tree = _inner_tree(dyn, in_tree, argnums)
        jac = _assemble(flat_out, in_avals, rows, out_tree, inner_tree, forward=False)
        return (jac, results[2]) if has_aux else jac

    return jacfun


def _assemble(flat_out, in_avals, stacked, out_tree, in_tree, forward: bool):
    """Build ``{out_leaf: {in_leaf: block}}`` from stacked jvp columns or vjp rows.

    Forward: ``stacked[i]`` is output i's tangent for every input element, shape
    ``(n_in,) + out_i.shape``. Reverse: ``stacked[j]`` is input j's cotangent for every
    output element, shape ``(n_out,) + in_j.shape``. ``None``: there are no elements.
    """
    out_avals = [get_aval(x) for x in flat_out]
    blocks = []
    for i, o in enumerate(out_avals):
        row = []
        for j, a in enumerate(in_avals):
            if stacked is None or (a.size if forward else o.size) == 0:
                row.append(np.zeros(o.shape + a.shape, o.dtype if forward else a.dtype))
            elif forward:
                offset = sum(b.size for b in in_avals[:j])
                part = _leading_rows(stacked[i], offset, a.size)  # (a.size,) + o.shape
                row.append(_move_leading_to_back(part, a.size, o.shape, a.shape))
            else:
                offset = sum(b.size for b in out_avals[:i])
                part = _leading_rows(stacked[j], offset, o.size)  # (o.size,) + a.shape
                row.append(st.reshape(part, o.shape + a.shape))
        blocks.append(unflatten_results(in_tree, row))
    return tree_unflatten(out_tree, blocks)


def _leading_rows(x, start: int, count: int):
    """``x[start:start + count]`` along the leading axis (a ``slice`` unless it is all)."""
    shape = get_aval(x).shape
    if start == 0 and count == shape[0]:
        return x
    return st.slice(x, (start,) + (0,) * (len(shape) - 1), (start + count,) + shape[1:])


def _move_leading_to_back(stacked, n, out_shape, in_shape):
    """``(n,) + out_shape`` -> ``out_shape + in_shape`` with n = prod(in_shape)."""
    k = len(out_shape)
    if k:
        stacked = st.transpose(stacked, tuple(range(1, k + 1)) + (0,))
    return st.reshape(stacked, tuple(out_shape) + tuple(in_shape))


def _inner_tree(dyn, in_tree, argnums):
    """The input structure inside a Jacobian: the argument's tree for an int argnums."""
    return tree_structure(dyn[0]) if isinstance(argnums, (int, np.integer)) else in_tree


def hessian(fun: Callable, argnums=0, has_aux: bool = False, holomorphic: bool = False) -> Callable:
    """The Hessian: ``jacfwd(jacrev(fun))``.

    Args:
      fun: a function of positional pytree arguments (a scalar output gives the
        usual matrix; any output gives ``out.shape + in.shape + in.shape`` blocks).
      argnums: the position, or tuple of positions, of the arguments to
        differentiate with respect to.
      has_aux: whether ``fun`` returns ``(out, aux)``; then ``(hessian, aux)`` is
        returned.
      holomorphic: differentiate a complex function holomorphically (complex inputs).

    Returns:
      A function of ``fun``'s arguments returning the Hessian, nested as
      ``{out_leaf: {in_leaf: {in_leaf: block}}}``. Calling it raises TypeError for a
      bad ``argnums`` or a non-float input.

    Raises:
      TypeError: ``fun`` is not callable.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.hessian(lambda x: mnp.sum(x ** 3))(mnp.array([1.0, 2.0]))
      array([[ 6.,  0.],
             [ 0., 12.]])
    """
    return jacfwd(
        jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic),
        argnums,
        has_aux=has_aux,
        holomorphic=holomorphic,
    )
