"""Slices at traced offsets: ``dynamic_slice`` and ``dynamic_update_slice``.

Start indices are operands (they may be traced); as in JAX, a negative start counts
once from the end and every start is clamped so the window fits. Both are linear in
the array operands and transpose into each other. Batched starts turn into one
``gather`` or ``scatter`` of the windows, as JAX does.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import _ints, broadcast_in_dim
from mini_ad.primitives.batch_rules import bdim_at_front, example_shape, move_axis
from mini_ad.primitives.elementwise import add, lt, max_p, min_p, select_n
from mini_ad.primitives.indexing import gather_p, iota, scatter_p
from mini_ad.primitives.taylor import linear_jet

# --- dynamic_slice ----------------------------------------------------------------------------

dynamic_slice_p = Primitive("dynamic_slice")
dynamic_slice_p.lowering = lambda lx, x, *starts, slice_sizes: lx.lax.dynamic_slice(
    x, starts, slice_sizes
)


def dynamic_slice(x, start_indices, slice_sizes):
    """``x[start:start + size]`` along every dim with traced starts, as ``jax.lax.dynamic_slice``.

    The sizes are static, the starts may be traced; each start is clamped so that the
    slice stays in bounds (as in JAX, so no error is raised for an out-of-range start).

    Args:
      x: an array or tracer.
      start_indices: one integer scalar (int, array or tracer) per dim.
      slice_sizes: one static int per dim.

    Returns:
      An array of shape ``slice_sizes``.

    Raises:
      TypeError: the number of starts or sizes is not ``x.ndim``.

    Example:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_slice(np.arange(5), (np.int32(1),), (3,)))
      [1 2 3]
      >>> print(lax.dynamic_slice(np.arange(5), (np.int32(3),), (3,)))  # start clamped to 2
      [2 3 4]
    """
    start_indices, slice_sizes = tuple(start_indices), _ints(slice_sizes)
    ndim = aval_of(x).ndim
    if len(start_indices) != ndim or len(slice_sizes) != ndim:
        raise TypeError(
            f"dynamic_slice needs one start index and one slice size per dimension of its "
            f"operand (rank {ndim}); got {len(start_indices)} start indices and "
            f"slice_sizes={slice_sizes}."
        )
    return dynamic_slice_p.bind(x, *start_indices, slice_sizes=slice_sizes)


def _clamped_starts(shape, starts, sizes):
    """JAX's rule: a negative start counts once from the end, then clamp into bounds."""
    return [
        int(np.clip(int(s) + n if int(s) < 0 else int(s), 0, n - k))
        for n, s, k in zip(shape, starts, sizes, strict=True)
    ]


def _dynamic_slice_impl(x, *starts, slice_sizes):
    x = np.asarray(x)
    starts = _clamped_starts(x.shape, starts, slice_sizes)
    return x[tuple(np.s_[s : s + k] for s, k in zip(starts, slice_sizes, strict=True))]


def _dynamic_slice_abstract_eval(x, *starts, slice_sizes):
    if (
        len(starts) != x.ndim
        or len(slice_sizes) != x.ndim
        or any(k > n for k, n in zip(slice_sizes, x.shape, strict=True))
    ):
        raise TypeError(f"dynamic_slice sizes {slice_sizes} do not fit shape {x.shape}.")
    return ShapedArray(slice_sizes, x.dtype, x.weak_type)


def _dynamic_slice_jvp(primals, tangents, *, slice_sizes):
    x, *starts = primals
    out = dynamic_slice(x, starts, slice_sizes)
    if tangents[0] is None:
        return out, None
    return out, dynamic_slice(tangents[0], starts, slice_sizes)


def _dynamic_slice_transpose(ct, x, *starts, slice_sizes):
    zero = np.zeros(x.aval.shape, x.aval.dtype)
    return [dynamic_update_slice(zero, ct, starts)] + [None] * len(starts)


dynamic_slice_p.impl = _dynamic_slice_impl
dynamic_slice_p.abstract_eval = _dynamic_slice_abstract_eval
dynamic_slice_p.jvp = _dynamic_slice_jvp
dynamic_slice_p.transpose = _dynamic_slice_transpose


def _index_zero(starts):
    """A 0 start index for a new batch axis, of the other starts' dtype."""
    return np.zeros((), aval_of(starts[0]).dtype if starts else np.int64)


def _window_indices(axis_size, shape, starts, start_dims, sizes):
    """Index arrays reading the window ``start + arange(size)`` of each dim, with the
    starts clamped into bounds as ``dynamic_slice`` does; batched starts give index
    arrays batched at 0. For ``gather``/``scatter`` over all dims at once.
    """
    rank = len(shape)
    indices = []
    for k, (start, bdim, n, size) in enumerate(zip(starts, start_dims, shape, sizes, strict=True)):
        dtype = aval_of(start).dtype
        zero = np.zeros((), dtype)
        wrapped = select_n(lt(start, zero), start, add(start, np.array(n, dtype)))
        clamped = min_p.bind(max_p.bind(wrapped, zero), np.array(n - size, dtype))
        grid = [1] * rank
        grid[k] = size
        ramp = iota(dtype, grid, k)
        if bdim is None:
            indices.append(add(broadcast_in_dim(clamped, grid, ()), ramp))
        else:
            batched = (axis_size,) + tuple(grid)
            ramp = broadcast_in_dim(ramp, batched, tuple(range(1, rank + 1)))
            indices.append(add(broadcast_in_dim(clamped, batched, (0,)), ramp))
    return indices, [None if d is None else 0 for d in start_dims]


def _dynamic_slice_batch(axis_size, vals, dims, *, slice_sizes):
    (x, *starts), (x_dim, *start_dims) = vals, dims
    if all(d is None for d in start_dims):
        x = move_axis(x, x_dim, 0)
        zero = _index_zero(starts)
        return dynamic_slice(x, [zero, *starts], (axis_size,) + slice_sizes), 0
    # batched starts: one gather of the windows (JAX batches dynamic_slice into gather)
    shape = example_shape(x, x_dim)
    indices, index_dims = _window_indices(axis_size, shape, starts, start_dims, slice_sizes)
    axes = tuple(range(len(shape)))
    return gather_p.batch(axis_size, [x, *indices], [x_dim, *index_dims], axes=axes)


dynamic_slice_p.batch = _dynamic_slice_batch

# --- dynamic_update_slice ---------------------------------------------------------------------

dynamic_update_slice_p = Primitive("dynamic_update_slice")
dynamic_update_slice_p.lowering = lambda lx, x, update, *starts: lx.lax.dynamic_update_slice(
    x, update, starts
)


def dynamic_update_slice(x, update, start_indices):
    """``x`` with a block replaced by ``update``, as ``jax.lax.dynamic_update_slice``.

    The block starts at ``start_indices``; functional (``x`` is not changed). The starts
    may be traced and are clamped so that the block stays in bounds, as in JAX.

    Args:
      x: an array or tracer.
      update: an array of ``x``'s rank and dtype, no larger than ``x`` in any dim.
      start_indices: one integer scalar (int, array or tracer) per dim.

    Returns:
      An array of ``x``'s shape.

    Raises:
      TypeError: ``update``'s rank or the number of starts is not ``x.ndim``.

    Example:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_update_slice(np.zeros(5), np.ones(2), (np.int32(1),)))
      [0. 1. 1. 0. 0.]
    """
    start_indices = tuple(start_indices)
    ndim = aval_of(x).ndim
    if len(start_indices) != ndim or aval_of(update).ndim != ndim:
        raise TypeError(
            f"dynamic_update_slice needs an update of the operand's rank ({ndim}) and one "
            f"start index per dimension; got an update of shape {aval_of(update).shape} and "
            f"{len(start_indices)} start indices."
        )
    return dynamic_update_slice_p.bind(x, update, *start_indices)


def _dynamic_update_slice_impl(x, update, *starts):
    out = np.array(x, copy=True)
    update = np.asarray(update)
    starts = _clamped_starts(out.shape, starts, update.shape)
    out[tuple(np.s_[s : s + k] for s, k in zip(starts, update.shape, strict=True))] = update
    return out


def _dynamic_update_slice_abstract_eval(x, update, *starts):
    if (
        update.ndim != x.ndim
        or any(k > n for k, n in zip(update.shape, x.shape, strict=True))
        or len(starts) != x.ndim
    ):
        raise TypeError(f"dynamic_update_slice update {update.shape} does not fit {x.shape}.")
    if update.dtype != x.dtype:
        raise TypeError(
            f"dynamic_update_slice dtypes differ: {x.dtype.name} and {update.dtype.name}."
        )
    return ShapedArray(x.shape, x.dtype, x.weak_type)


def _dynamic_update_slice_jvp(primals, tangents, **params):
    x, update, *starts = primals
    out = dynamic_update_slice(x, update, starts)
    t_x, t_update = tangents[0], tangents[1]
    if t_x is None and t_update is None:
        return out, None
    t_x = zeros_like(x) if t_x is None else t_x
    t_update = zeros_like(update) if t_update is None else t_update
    return out, dynamic_update_slice(t_x, t_update, starts)


def _dynamic_update_slice_transpose(ct, x, update, *starts):
    update_aval = update.aval if _is_undefined(update) else aval_of(update)
    ct_x = None
    if _is_undefined(x):
        ct_x = dynamic_update_slice(ct, np.zeros(update_aval.shape, update_aval.dtype), starts)
    ct_update = dynamic_slice(ct, starts, update_aval.shape) if _is_undefined(update) else None
    return [ct_x, ct_update] + [None] * len(starts)


dynamic_update_slice_p.impl = _dynamic_update_slice_impl
dynamic_update_slice_p.abstract_eval = _dynamic_update_slice_abstract_eval
dynamic_update_slice_p.jvp = _dynamic_update_slice_jvp
dynamic_update_slice_p.transpose = _dynamic_update_slice_transpose


def _dynamic_update_slice_batch(axis_size, vals, dims):
    (x, update, *starts), (x_dim, update_dim, *start_dims) = vals, dims
    if all(d is None for d in start_dims):
        x = bdim_at_front(x, x_dim, axis_size)
        update = bdim_at_front(update, update_dim, axis_size)
        zero = _index_zero(starts)
        return dynamic_update_slice(x, update, [zero, *starts]), 0
    # batched starts: one scatter into the windows
    shape = example_shape(x, x_dim)
    sizes = example_shape(update, update_dim)
    indices, index_dims = _window_indices(axis_size, shape, starts, start_dims, sizes)
    axes = tuple(range(len(shape)))
    return scatter_p.batch(
        axis_size, [x, update, *indices], [x_dim, update_dim, *index_dims], axes=axes
    )


dynamic_update_slice_p.batch = _dynamic_update_slice_batch

# Taylor mode: linear in the operand (and update) for fixed start indices
dynamic_slice_p.jet = linear_jet(dynamic_slice_p, slice(0, 1))
dynamic_update_slice_p.jet = linear_jet(dynamic_update_slice_p, slice(0, 2))
