"""Shape primitives: broadcast, reshape, transpose, squeeze, concatenate, slicing,
padding, reversal, iota and dynamic slices. All are linear; each declares its
transpose. ``broadcast_in_dim``'s transpose is the one place that un-broadcasts.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import (
    bdim_at_front,
    example_shape,
    move_axis,
    shift_axes,
    unbatched_rule,
)
from mini_ad.primitives.elementwise import zeros_like
from mini_ad.primitives.helpers import def_zero_jvp


def _is_undefined(x) -> bool:
    return type(x).__name__ == "UndefinedPrimal"


def _ints(values) -> tuple:
    return tuple(int(v) for v in values)


def def_linear(p: Primitive, transpose) -> None:
    """A primitive linear in all its array arguments: its jvp applies it to tangents."""

    def jvp(primals, tangents, **params):
        out = p.bind(*primals, **params)
        if all(t is None for t in tangents):
            return out, None
        tangents = [
            zeros_like(x) if t is None else t for x, t in zip(primals, tangents, strict=True)
        ]
        return out, p.bind(*tangents, **params)

    p.jvp = jvp
    p.transpose = transpose


# --- broadcast_in_dim -----------------------------------------------------------------------

broadcast_in_dim_p = Primitive("broadcast_in_dim")


def broadcast_in_dim(x, shape, broadcast_dimensions):
    """Operand dim i becomes output dim ``broadcast_dimensions[i]`` (size 1 may grow)."""
    return broadcast_in_dim_p.bind(
        x, shape=_ints(shape), broadcast_dimensions=_ints(broadcast_dimensions), sharding=None
    )


def _broadcast_in_dim_impl(x, *, shape, broadcast_dimensions, sharding):
    expanded = [1] * len(shape)
    for operand_dim, out_dim in enumerate(broadcast_dimensions):
        expanded[out_dim] = np.shape(x)[operand_dim]
    return np.broadcast_to(np.reshape(x, expanded), shape)


def _broadcast_in_dim_abstract_eval(x, *, shape, broadcast_dimensions, sharding):
    ok = len(broadcast_dimensions) == x.ndim and all(
        x.shape[i] in (1, shape[d]) for i, d in enumerate(broadcast_dimensions)
    )
    if not ok or list(broadcast_dimensions) != sorted(set(broadcast_dimensions)):
        raise TypeError(
            f"broadcast_in_dim cannot broadcast shape {x.shape} to {shape} with "
            f"broadcast_dimensions={broadcast_dimensions}."
        )
    return ShapedArray(shape, x.dtype, x.weak_type)


def _broadcast_in_dim_transpose(ct, x, *, shape, broadcast_dimensions, sharding):
    # Sum over the new dims and the size-1 dims that grew, then restore x's shape.
    grown = [d for i, d in enumerate(broadcast_dimensions) if x.aval.shape[i] != shape[d]]
    new = [d for d in range(len(shape)) if d not in broadcast_dimensions]
    axes = tuple(sorted(new + grown))
    from mini_ad.primitives.reductions import reduce_sum

    summed = reduce_sum(ct, axes) if axes else ct
    if aval_of(summed).shape != x.aval.shape:
        summed = reshape(summed, x.aval.shape)
    return [summed]


broadcast_in_dim_p.impl = _broadcast_in_dim_impl
broadcast_in_dim_p.abstract_eval = _broadcast_in_dim_abstract_eval
def_linear(broadcast_in_dim_p, _broadcast_in_dim_transpose)


def _broadcast_in_dim_batch(axis_size, vals, dims, *, shape, broadcast_dimensions, sharding):
    (x,), (bdim,) = vals, dims
    x = move_axis(x, bdim, 0)
    out_dims = (0,) + tuple(d + 1 for d in broadcast_dimensions)
    return broadcast_in_dim(x, (axis_size,) + shape, out_dims), 0


broadcast_in_dim_p.batch = _broadcast_in_dim_batch
broadcast_in_dim_p.print_params = lambda params: (
    {"broadcast_dimensions": params["broadcast_dimensions"]}
    if params["broadcast_dimensions"]
    else {}
)

# --- reshape ------------------------------------------------------------------------------

reshape_p = Primitive("reshape")


def reshape(x, new_sizes):
    return reshape_p.bind(x, new_sizes=_ints(new_sizes), dimensions=None, sharding=None)


def _reshape_abstract_eval(x, *, new_sizes, dimensions, sharding):
    if int(np.prod(new_sizes, dtype=np.int64)) != x.size:
        raise TypeError(f"reshape cannot change the size: {x.shape} -> {new_sizes}.")
    return ShapedArray(new_sizes, x.dtype, x.weak_type)


reshape_p.impl = lambda x, *, new_sizes, dimensions, sharding: np.reshape(x, new_sizes)
reshape_p.abstract_eval = _reshape_abstract_eval
def_linear(reshape_p, lambda ct, x, **params: [reshape(ct, x.aval.shape)])


def _reshape_batch(axis_size, vals, dims, *, new_sizes, dimensions, sharding):
    (x,), (bdim,) = vals, dims
    return reshape(move_axis(x, bdim, 0), (axis_size,) + new_sizes), 0


reshape_p.batch = _reshape_batch

# --- transpose ------------------------------------------------------------------------------

transpose_p = Primitive("transpose")


def transpose(x, permutation):
    return transpose_p.bind(x, permutation=_ints(permutation))


def _transpose_abstract_eval(x, *, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise TypeError(
            f"transpose permutation {permutation} is not a permutation of {x.ndim} axes."
        )
    return ShapedArray(tuple(x.shape[i] for i in permutation), x.dtype, x.weak_type)


transpose_p.impl = lambda x, *, permutation: np.transpose(x, permutation)
transpose_p.abstract_eval = _transpose_abstract_eval
def_linear(
    transpose_p,
    lambda ct, x, *, permutation: [transpose(ct, tuple(np.argsort(permutation).tolist()))],
)


def _transpose_batch(axis_size, vals, dims, *, permutation):
    (x,), (bdim,) = vals, dims
    return transpose(x, (bdim,) + shift_axes(permutation, bdim)), 0


transpose_p.batch = _transpose_batch

# --- squeeze ------------------------------------------------------------------------------

squeeze_p = Primitive("squeeze")


def squeeze(x, dimensions):
    return squeeze_p.bind(x, dimensions=_ints(dimensions))


def _squeeze_abstract_eval(x, *, dimensions):
    if any(x.shape[d] != 1 for d in dimensions):
        raise TypeError(f"squeeze dimensions {dimensions} of shape {x.shape} must have size 1.")
    shape = tuple(n for i, n in enumerate(x.shape) if i not in dimensions)
    return ShapedArray(shape, x.dtype, x.weak_type)


squeeze_p.impl = lambda x, *, dimensions: np.squeeze(x, dimensions)
squeeze_p.abstract_eval = _squeeze_abstract_eval
def_linear(squeeze_p, lambda ct, x, *, dimensions: [reshape(ct, x.aval.shape)])


def _squeeze_batch(axis_size, vals, dims, *, dimensions):
    (x,), (bdim,) = vals, dims
    out_dim = bdim - sum(d < bdim for d in dimensions)
    return squeeze(x, shift_axes(dimensions, bdim)), out_dim


squeeze_p.batch = _squeeze_batch

# --- concatenate ------------------------------------------------------------------------------

concatenate_p = Primitive("concatenate")


def concatenate(xs, dimension: int):
    return concatenate_p.bind(*xs, dimension=int(dimension))


def _concatenate_abstract_eval(*xs, dimension):
    first = xs[0]
    for x in xs[1:]:
        same = x.ndim == first.ndim and all(
            a == b
            for i, (a, b) in enumerate(zip(x.shape, first.shape, strict=True))
            if i != dimension
        )
        if not same or x.dtype != first.dtype:
            raise TypeError(
                f"concatenate needs equal dtypes and shapes except along dimension "
                f"{dimension}, got {first.str_short()} and {x.str_short()}."
            )
    shape = list(first.shape)
    shape[dimension] = sum(x.shape[dimension] for x in xs)
    return ShapedArray(shape, first.dtype, all(x.weak_type for x in xs))


def _concatenate_transpose(ct, *xs, dimension):
    cts = []
    start = 0
    ct_shape = aval_of(ct).shape
    for x in xs:
        size = aval_of(x).shape[dimension] if not _is_undefined(x) else x.aval.shape[dimension]
        if _is_undefined(x):
            starts = [0] * len(ct_shape)
            limits = list(ct_shape)
            starts[dimension] = start
            limits[dimension] = start + size
            cts.append(slice(ct, starts, limits))
        else:
            cts.append(None)
        start += size
    return cts


concatenate_p.impl = lambda *xs, dimension: np.concatenate(xs, axis=dimension)
concatenate_p.abstract_eval = _concatenate_abstract_eval
def_linear(concatenate_p, _concatenate_transpose)


def _concatenate_batch(axis_size, vals, dims, *, dimension):
    xs = [bdim_at_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)]
    return concatenate(xs, dimension + 1), 0


concatenate_p.batch = _concatenate_batch

# --- pad ------------------------------------------------------------------------------------

pad_p = Primitive("pad")


def pad(x, padding_value, padding_config):
    """``padding_config``: one ``(low, high, interior)`` per dim, all non-negative."""
    return pad_p.bind(x, padding_value, padding_config=tuple(_ints(c) for c in padding_config))


def _pad_impl(x, padding_value, *, padding_config):
    x = np.asarray(x)
    shape = [
        lo + hi + n + max(n - 1, 0) * interior
        for n, (lo, hi, interior) in zip(x.shape, padding_config, strict=True)
    ]
    out = np.full(shape, padding_value, dtype=x.dtype)
    index = tuple(
        np.s_[lo : lo + n + max(n - 1, 0) * interior : interior + 1]
        for n, (lo, hi, interior) in zip(x.shape, padding_config, strict=True)
    )
    out[index] = x
    return out


def _pad_abstract_eval(x, padding_value, *, padding_config):
    if any(v < 0 for c in padding_config for v in c) or len(padding_config) != x.ndim:
        raise TypeError(
            f"pad needs one non-negative (low, high, interior) per dim, got {padding_config}."
        )
    shape = [
        lo + hi + n + max(n - 1, 0) * interior
        for n, (lo, hi, interior) in zip(x.shape, padding_config, strict=True)
    ]
    return ShapedArray(shape, x.dtype, x.weak_type)


def _pad_transpose(ct, x, padding_value, *, padding_config):
    from mini_ad.primitives.elementwise import sub
    from mini_ad.primitives.reductions import reduce_sum

    ct_shape = aval_of(ct).shape
    starts = [lo for lo, _, _ in padding_config]
    limits = [n - hi for n, (_, hi, _) in zip(ct_shape, padding_config, strict=True)]
    strides = [interior + 1 for _, _, interior in padding_config]
    ct_x = slice(ct, starts, limits, strides) if _is_undefined(x) else None
    ct_value = None
    if _is_undefined(padding_value):
        everything = tuple(range(len(ct_shape)))
        inner = ct_x if ct_x is not None else slice(ct, starts, limits, strides)
        ct_value = sub(reduce_sum(ct, everything), reduce_sum(inner, everything))
    return [ct_x, ct_value]


pad_p.impl = _pad_impl
pad_p.abstract_eval = _pad_abstract_eval
def_linear(pad_p, _pad_transpose)


def _pad_batch(axis_size, vals, dims, *, padding_config):
    (x, padding_value), (x_dim, value_dim) = vals, dims
    if value_dim is None:
        config = list(padding_config)
        config.insert(x_dim, (0, 0, 0))
        return pad(x, padding_value, config), x_dim
    # One padding value per example: pad with zeros, then select the value where a
    # padded mask of ones reads False.
    from mini_ad.primitives.elementwise import select_n

    shape = example_shape(x, x_dim)
    x = bdim_at_front(x, x_dim, axis_size)
    padded = pad(x, zeros_like_scalar(x), ((0, 0, 0),) + padding_config)
    out_shape = aval_of(padded).shape
    inside = pad(np.ones(shape, np.bool_), np.zeros((), np.bool_), padding_config)
    inside = broadcast_in_dim(inside, out_shape, tuple(range(1, len(out_shape))))
    value = broadcast_in_dim(padding_value, out_shape, (0,))
    return select_n(inside, value, padded), 0


pad_p.batch = _pad_batch

# --- slice ----------------------------------------------------------------------------------

slice_p = Primitive("slice")


def slice(x, start_indices, limit_indices, strides=None):  # noqa: A001 - lax's name
    strides = None if strides is None or all(s == 1 for s in strides) else _ints(strides)
    return slice_p.bind(
        x, start_indices=_ints(start_indices), limit_indices=_ints(limit_indices), strides=strides
    )


def _slice_shape(start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    return tuple(
        max(0, -(-(hi - lo) // s))
        for lo, hi, s in zip(start_indices, limit_indices, strides, strict=True)
    )


def _slice_impl(x, *, start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    return np.asarray(x)[
        tuple(
            np.s_[lo:hi:s] for lo, hi, s in zip(start_indices, limit_indices, strides, strict=True)
        )
    ]


def _slice_abstract_eval(x, *, start_indices, limit_indices, strides):
    ok = len(start_indices) == len(limit_indices) == x.ndim and all(
        0 <= lo <= hi <= n for lo, hi, n in zip(start_indices, limit_indices, x.shape, strict=True)
    )
    if not ok:
        raise TypeError(
            f"slice start_indices={start_indices} limit_indices={limit_indices} are out of "
            f"bounds for shape {x.shape}."
        )
    return ShapedArray(_slice_shape(start_indices, limit_indices, strides), x.dtype, x.weak_type)


def _slice_transpose(ct, x, *, start_indices, limit_indices, strides):
    strides = strides or (1,) * len(start_indices)
    out_shape = aval_of(ct).shape
    config = []
    for n, lo, s, m in zip(x.aval.shape, start_indices, strides, out_shape, strict=True):
        used = lo + (m - 1) * s + 1 if m else lo
        config.append((lo, n - used, s - 1 if m > 1 else 0))
    return [pad(ct, zeros_like_scalar(ct), config)]


def zeros_like_scalar(x):
    return np.zeros((), aval_of(x).dtype)


slice_p.impl = _slice_impl
slice_p.abstract_eval = _slice_abstract_eval
def_linear(slice_p, _slice_transpose)


def _slice_batch(axis_size, vals, dims, *, start_indices, limit_indices, strides):
    (x,), (bdim,) = vals, dims
    starts, limits = list(start_indices), list(limit_indices)
    starts.insert(bdim, 0)
    limits.insert(bdim, axis_size)
    if strides is not None:
        strides = list(strides)
        strides.insert(bdim, 1)
    return slice(x, starts, limits, strides), bdim


slice_p.batch = _slice_batch

# --- rev ------------------------------------------------------------------------------------

rev_p = Primitive("rev")


def rev(x, dimensions):
    return rev_p.bind(x, dimensions=_ints(dimensions))


rev_p.impl = lambda x, *, dimensions: np.flip(x, dimensions)
rev_p.abstract_eval = lambda x, *, dimensions: x
def_linear(rev_p, lambda ct, x, *, dimensions: [rev(ct, dimensions)])
rev_p.batch = lambda axis_size, vals, dims, *, dimensions: (
    rev(vals[0], shift_axes(dimensions, dims[0])),
    dims[0],
)

# --- iota -----------------------------------------------------------------------------------

iota_p = Primitive("iota")


def iota(dtype, shape, dimension: int = 0):
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

# --- dynamic_slice / dynamic_update_slice -----------------------------------------------------

dynamic_slice_p = Primitive("dynamic_slice")


def dynamic_slice(x, start_indices, slice_sizes):
    """``x[start:start+size]`` per dim with traced starts, clamped into bounds (as JAX)."""
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
    from mini_ad.primitives.elementwise import add, lt, max_p, min_p, select_n

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
    from mini_ad.primitives.indexing import gather_p

    shape = example_shape(x, x_dim)
    indices, index_dims = _window_indices(axis_size, shape, starts, start_dims, slice_sizes)
    axes = tuple(range(len(shape)))
    return gather_p.batch(axis_size, [x, *indices], [x_dim, *index_dims], axes=axes)


dynamic_slice_p.batch = _dynamic_slice_batch

dynamic_update_slice_p = Primitive("dynamic_update_slice")


def dynamic_update_slice(x, update, start_indices):
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
    from mini_ad.primitives.indexing import scatter_p

    shape = example_shape(x, x_dim)
    sizes = example_shape(update, update_dim)
    indices, index_dims = _window_indices(axis_size, shape, starts, start_dims, sizes)
    axes = tuple(range(len(shape)))
    return scatter_p.batch(
        axis_size, [x, update, *indices], [x_dim, update_dim, *index_dims], axes=axes
    )


dynamic_update_slice_p.batch = _dynamic_update_slice_batch
