"""Integer-array indexing: ``gather``, ``scatter-add`` and ``scatter``, and ``iota``
(the index ramp that batched gathers and sorts are built with).

Simpler than XLA's general forms (JAX prints them with many params): ``axes`` names
the operand dims indexed by the integer arrays, with NumPy's advanced-indexing
result layout. Indices are wrapped when negative and clamped into bounds, as in
JAX (which never raises on out-of-bounds traced indices).

``gather`` is linear in the operand, its transpose is ``scatter-add``, whose
transpose is ``gather``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import _ints, as_array, reshape, transpose
from mini_ad.primitives.batch_rules import (
    bdim_at_front,
    example_shape,
    move_axis,
    put_bdim,
    unbatched_rule,
)
from mini_ad.primitives.helpers import def_zero_jvp
from mini_ad.primitives.taylor import linear_jet


def _index_tuple(shape, indices, axes):
    index = [np.s_[:]] * len(shape)
    for axis, idx in zip(axes, indices, strict=True):
        idx = np.asarray(idx)
        n = shape[axis]
        index[axis] = np.clip(np.where(idx < 0, idx + n, idx), 0, max(n - 1, 0))
    return tuple(index)


def gathered_shape(shape, index_shapes, axes) -> tuple:
    """NumPy's advanced-indexing result shape for integer arrays at ``axes``."""
    batch = tuple(np.broadcast_shapes(*index_shapes)) if index_shapes else ()
    rest = [n for i, n in enumerate(shape) if i not in axes]
    if list(axes) == list(range(axes[0], axes[0] + len(axes))):  # adjacent: stays in place
        first = axes[0]
        return tuple(shape[:first]) + batch + tuple(shape[axes[-1] + 1 :])
    return batch + tuple(rest)


def _check_indices(x, indices, axes, name):
    if len(indices) != len(axes) or len(set(axes)) != len(axes) or any(a >= x.ndim for a in axes):
        raise TypeError(f"{name}: invalid axes {axes} for an operand of shape {x.shape}.")
    for idx in indices:
        if idx.dtype.kind not in "iu":
            raise TypeError(f"{name}: indices must be integers, got {idx.dtype.name}.")


def _adjacent(axes) -> bool:
    return list(axes) == list(range(axes[0], axes[0] + len(axes)))


# --- iota -----------------------------------------------------------------------------------

iota_p = Primitive("iota")
iota_p.lowering = lambda lx, *, dtype, shape, dimension, **_: lx.lax.broadcasted_iota(
    dtype, shape, dimension
)
iota_p.opt_out("transpose", "it has no operands")


def iota(dtype, shape, dimension: int = 0):
    """An array of ``shape`` counting ``0, 1, ...`` along ``dimension``, as ``jax.lax.iota``.

    ``shape`` an int gives JAX's 1-D ``iota(dtype, size)``; a tuple gives
    ``jax.lax.broadcasted_iota`` (the other dims repeat the ramp). It has no operands, so
    its derivative is zero.

    Args:
      dtype: the dtype of the result.
      shape: the size (an int) or the shape (a tuple of ints).
      dimension: the dim along which the values count up.

    Returns:
      An array of ``shape`` and ``dtype``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.iota(np.int32, (2, 3), 1))
      [[0 1 2]
       [0 1 2]]
    """
    shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
    return iota_p.bind(
        dtype=np.dtype(dtype), shape=_ints(shape), dimension=int(dimension), sharding=None
    )


def _iota_impl(*, dtype, shape, dimension, sharding):
    ramp = np.arange(shape[dimension], dtype=dtype)
    return np.broadcast_to(
        ramp.reshape([-1 if i == dimension else 1 for i in range(len(shape))]), shape
    )


iota_p.impl = _iota_impl
iota_p.abstract_eval = lambda *, dtype, shape, dimension, sharding: ShapedArray(shape, dtype)
def_zero_jvp(iota_p)
iota_p.batch = unbatched_rule(iota_p)  # no operands, so never batched


# --- batching: the index arrays of one example broadcast to a shape of rank r; batched
# index arrays get shape (B, 1.., *example shape) so they broadcast to (B, *that shape).
# A batched operand is indexed on its batch axis by an iota (B, 1, ..., 1) too.


def _batch_indices(axis_size, indices, index_dims):
    shapes = [example_shape(i, d) for i, d in zip(indices, index_dims, strict=True)]
    rank = len(np.broadcast_shapes(*shapes)) if shapes else 0
    out = []
    for idx, d, shape in zip(indices, index_dims, shapes, strict=True):
        if d is not None:
            padded = (axis_size,) + (1,) * (rank - len(shape)) + shape
            idx = reshape(move_axis(idx, d, 0), padded)
        out.append(idx)
    return out, rank


def _batch_axis_index(axis_size, indices, rank):
    return iota(aval_of(indices[0]).dtype, (axis_size,) + (1,) * rank, 0)


def _index_dims_last(rank, n_lead):
    """Permutation of (B, *index dims, *n_lead dims, *rest) to (B, *lead, *index, *rest)."""
    lead = tuple(range(1 + rank, 1 + rank + n_lead))
    return (0,) + lead + tuple(range(1, 1 + rank))


def _index_dims_first(rank, n_lead):
    """Permutation of (B, *n_lead dims, *index dims, *rest) to (B, *index, *lead, *rest)."""
    index = tuple(range(1 + n_lead, 1 + n_lead + rank))
    return (0,) + index + tuple(range(1, 1 + n_lead))


def _permute_front(x, perm):
    ndim = aval_of(x).ndim
    full = perm + tuple(range(len(perm), ndim))
    return x if full == tuple(range(ndim)) else transpose(x, full)


# --- gather -----------------------------------------------------------------------------------


def _jax_index(lx, shape, indices, axes):
    """The same indexing in JAX: wrap negative indices once, then clamp into bounds."""
    index = [slice(None)] * len(shape)
    for axis, idx in zip(axes, indices, strict=True):
        n = shape[axis]
        idx = lx.jnp.where(idx < 0, idx + n, idx)
        index[axis] = lx.jnp.clip(idx, 0, max(n - 1, 0))
    return tuple(index)


gather_p = Primitive("gather")
gather_p.lowering = lambda lx, x, *indices, axes: lx.jnp.asarray(x)[
    _jax_index(lx, lx.jnp.shape(x), indices, axes)
]


def gather(x, indices, axes):
    return gather_p.bind(x, *indices, axes=tuple(int(a) for a in axes))


def _gather_abstract_eval(x, *indices, axes):
    _check_indices(x, indices, axes, "gather")
    shape = gathered_shape(x.shape, [i.shape for i in indices], axes)
    return ShapedArray(shape, x.dtype, x.weak_type)


def _gather_jvp(primals, tangents, *, axes):
    x, *indices = primals
    out = gather(x, indices, axes)
    return out, None if tangents[0] is None else gather(tangents[0], indices, axes)


def _gather_transpose(ct, x, *indices, axes):
    zero = np.zeros(x.aval.shape, x.aval.dtype)
    return [scatter_add(zero, ct, indices, axes)] + [None] * len(indices)


gather_p.impl = lambda x, *indices, axes: as_array(
    np.asarray(x)[_index_tuple(np.shape(x), indices, axes)]
)
gather_p.abstract_eval = _gather_abstract_eval
gather_p.jvp = _gather_jvp
gather_p.transpose = _gather_transpose


def _gather_batch(axis_size, vals, dims, *, axes):
    (x, *indices), (x_dim, *index_dims) = vals, dims
    shifted = tuple(a + 1 for a in axes)
    if all(d is None for d in index_dims):
        # the batch axis is one more sliced axis: in front of adjacent index dims, or
        # after the index dims, which then come first
        out = gather(move_axis(x, x_dim, 0), indices, shifted)
        rank = len(np.broadcast_shapes(*(aval_of(i).shape for i in indices)))
        return out, 0 if _adjacent(axes) else rank
    indices, rank = _batch_indices(axis_size, indices, index_dims)
    if x_dim is None:  # the batch axis is the leading index dim
        return gather(x, indices, axes), axes[0] if _adjacent(axes) else 0
    # index x's batch axis by an iota: the result is (B, *index dims, *rest of x)
    row = _batch_axis_index(axis_size, indices, rank)
    out = gather(move_axis(x, x_dim, 0), [row, *indices], (0,) + shifted)
    if _adjacent(axes) and axes[0] > 0:  # one example keeps its leading dims in front
        out = _permute_front(out, _index_dims_last(rank, axes[0]))
    return out, 0


gather_p.batch = _gather_batch

# --- scatter-add ------------------------------------------------------------------------------

scatter_add_p = Primitive("scatter-add")
scatter_add_p.lowering = lambda lx, x, updates, *indices, axes: (
    lx.jnp.asarray(x).at[_jax_index(lx, lx.jnp.shape(x), indices, axes)].add(updates)
)


def scatter_add(x, updates, indices, axes):
    """``x`` with ``updates`` added at the gathered positions (repeats accumulate)."""
    return scatter_add_p.bind(x, updates, *indices, axes=tuple(int(a) for a in axes))


def _scatter_abstract_eval(name):
    def abstract_eval(x, updates, *indices, axes):
        _check_indices(x, indices, axes, name)
        expected = gathered_shape(x.shape, [i.shape for i in indices], axes)
        if updates.shape != expected or updates.dtype != x.dtype:
            raise TypeError(
                f"{name}: updates of type {updates.str_short()} do not match the indexed "
                f"region {ShapedArray(expected, x.dtype).str_short()}."
            )
        return ShapedArray(x.shape, x.dtype, x.weak_type)

    return abstract_eval


def _scatter_add_impl(x, updates, *indices, axes):
    out = np.array(x, copy=True)
    np.add.at(out, _index_tuple(out.shape, indices, axes), updates)
    return out


def _scatter_family_jvp(scatter_fn):
    """For fixed indices a scatter is linear in (operand, updates) jointly: its tangent
    is the same scatter applied to the tangents."""

    def jvp(primals, tangents, *, axes):
        x, updates, *indices = primals
        out = scatter_fn(x, updates, indices, axes)
        t_x, t_u = tangents[0], tangents[1]
        if t_x is None and t_u is None:
            return out, None
        t_x = zeros_like(x) if t_x is None else t_x
        t_u = zeros_like(updates) if t_u is None else t_u
        return out, scatter_fn(t_x, t_u, indices, axes)

    return jvp


def _scatter_add_transpose(ct, x, updates, *indices, axes):
    ct_x = ct if _is_undefined(x) else None
    ct_updates = gather(ct, indices, axes) if _is_undefined(updates) else None
    return [ct_x, ct_updates] + [None] * len(indices)


scatter_add_p.impl = _scatter_add_impl
scatter_add_p.abstract_eval = _scatter_abstract_eval("scatter-add")
scatter_add_p.jvp = _scatter_family_jvp(scatter_add)
scatter_add_p.transpose = _scatter_add_transpose


def _scatter_batch(p):
    """Batch rule of ``scatter``/``scatter-add``: the batched operand is indexed as in
    ``_gather_batch``, and the updates are laid out as that gather's result."""

    def rule(axis_size, vals, dims, *, axes):
        (x, updates, *indices), (x_dim, u_dim, *index_dims) = vals, dims
        x = bdim_at_front(x, x_dim, axis_size)
        shifted = tuple(a + 1 for a in axes)
        if all(d is None for d in index_dims):
            rank = len(np.broadcast_shapes(*(aval_of(i).shape for i in indices)))
            updates = put_bdim(updates, u_dim, axis_size, 0 if _adjacent(axes) else rank)
            return p.bind(x, updates, *indices, axes=shifted), 0
        indices, rank = _batch_indices(axis_size, indices, index_dims)
        row = _batch_axis_index(axis_size, indices, rank)
        updates = bdim_at_front(updates, u_dim, axis_size)
        if _adjacent(axes) and axes[0] > 0:
            updates = _permute_front(updates, _index_dims_first(rank, axes[0]))
        return p.bind(x, updates, row, *indices, axes=(0,) + shifted), 0

    return rule


scatter_add_p.batch = _scatter_batch(scatter_add_p)

# --- scatter (set) ----------------------------------------------------------------------------

scatter_p = Primitive("scatter")
scatter_p.lowering = lambda lx, x, updates, *indices, axes: (
    lx.jnp.asarray(x).at[_jax_index(lx, lx.jnp.shape(x), indices, axes)].set(updates)
)


def scatter(x, updates, indices, axes):
    """``x`` with the gathered positions replaced by ``updates`` (``x.at[i].set(u)``)."""
    return scatter_p.bind(x, updates, *indices, axes=tuple(int(a) for a in axes))


def _scatter_impl(x, updates, *indices, axes):
    out = np.array(x, copy=True)
    out[_index_tuple(out.shape, indices, axes)] = updates
    return out


def _scatter_transpose(ct, x, updates, *indices, axes):
    # overwritten positions receive nothing from x; updates receive what was read there
    update_aval = updates.aval if _is_undefined(updates) else aval_of(updates)
    ct_x = None
    if _is_undefined(x):
        ct_x = scatter(ct, np.zeros(update_aval.shape, update_aval.dtype), indices, axes)
    ct_updates = gather(ct, indices, axes) if _is_undefined(updates) else None
    return [ct_x, ct_updates] + [None] * len(indices)


scatter_p.impl = _scatter_impl
scatter_p.abstract_eval = _scatter_abstract_eval("scatter")
scatter_p.jvp = _scatter_family_jvp(scatter)
scatter_p.transpose = _scatter_transpose
scatter_p.batch = _scatter_batch(scatter_p)

# Taylor mode: linear in the operand (and updates) for fixed indices
gather_p.jet = linear_jet(gather_p, slice(0, 1))
scatter_add_p.jet = linear_jet(scatter_add_p, slice(0, 2))
scatter_p.jet = linear_jet(scatter_p, slice(0, 2))
