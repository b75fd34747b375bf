"""Shape primitives: squeeze, concatenate, padding, slicing and reversal. All are
linear; each declares its transpose.

The primitives every rule needs (``broadcast_in_dim``, ``reshape``, ``transpose``)
live in ``primitives/base.py``, ``iota`` with the index primitives in
``primitives/indexing.py`` and the dynamic slices in ``primitives/dynamic_slicing.py``;
all are re-exported here, so ``structural`` stays the one place to import shape
primitives from.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.primitives.base import (  # noqa: F401 - re-exported
    _ints,
    broadcast_in_dim,
    broadcast_in_dim_p,
    def_linear,
    reduce_sum,
    reshape,
    reshape_p,
    transpose,
    transpose_p,
)
from mini_ad.primitives.batch_rules import bdim_at_front, example_shape, shift_axes
from mini_ad.primitives.dynamic_slicing import (  # noqa: F401 - re-exported
    dynamic_slice,
    dynamic_slice_p,
    dynamic_update_slice,
    dynamic_update_slice_p,
)
from mini_ad.primitives.elementwise import select_n, sub
from mini_ad.primitives.indexing import iota, iota_p  # noqa: F401 - re-exported

# --- squeeze ------------------------------------------------------------------------------

squeeze_p = Primitive("squeeze")
squeeze_p.lowering = lambda lx, x, *, dimensions: lx.lax.squeeze(x, dimensions)


def squeeze(x, dimensions):
    """Remove size-1 ``dimensions`` of ``x``, as ``jax.lax.squeeze``.

    Args:
      x: an array or tracer.
      dimensions: a tuple of dims, each of size one.

    Returns:
      ``x`` without those dims.

    Raises:
      TypeError: a dim does not have size one (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.squeeze(np.zeros((1, 3, 1)), (0, 2)).shape
      (3,)
    """
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
concatenate_p.lowering = lambda lx, *xs, dimension: lx.lax.concatenate(xs, dimension)


def concatenate(xs, dimension: int):
    """Join arrays along an existing dim, as ``jax.lax.concatenate``.

    The operands must have one dtype and equal shapes except along ``dimension``
    (no promotion, unlike ``mini_ad.numpy.concatenate``).

    Args:
      xs: a sequence of arrays or tracers.
      dimension: the dim to join along (non-negative).

    Returns:
      The joined array.

    Raises:
      TypeError: the dtypes or other dims differ (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.concatenate([np.array([1, 2]), np.array([3])], 0))
      [1 2 3]
    """
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
            raise (TypeError if same else ShapeError)(
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
pad_p.lowering = lambda lx, x, value, *, padding_config: lx.lax.pad(x, value, padding_config)


def pad(x, padding_value, padding_config):
    """Pad ``x`` with ``padding_value``, as ``jax.lax.pad``.

    ``padding_config`` holds one ``(low, high, interior)`` per dim: ``low`` and ``high``
    values before and after, and ``interior`` values between neighbouring elements. A
    negative ``low``/``high`` crops the interior-padded array, as in JAX.

    Args:
      x: an array or tracer.
      padding_value: a scalar of ``x``'s dtype (may be traced; it gets the derivative
        of every padded position).
      padding_config: a sequence of ``(low, high, interior)`` int triples (``interior``
        non-negative).

    Returns:
      The padded array: each dim ``n`` becomes ``low + n + (n - 1) * interior + high``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.pad(np.array([1, 2]), np.array(0), [(1, 2, 1)]))
      [0 1 0 2 0 0]
      >>> print(lax.pad(np.array([1, 2, 3]), np.array(0), [(-1, -2, 1)]))
      [0 2]
    """
    config = tuple(_ints(c) for c in padding_config)
    grown = pad_p.bind(x, padding_value, padding_config=tuple((max(lo, 0), max(hi, 0), i)
                                                              for lo, hi, i in config))  # fmt: skip
    if all(lo >= 0 and hi >= 0 for lo, hi, _ in config):
        return grown
    starts = [max(-lo, 0) for lo, _, _ in config]
    limits = [n - max(-hi, 0) for n, (_, hi, _) in zip(aval_of(grown).shape, config, strict=True)]
    if any(stop < start for start, stop in zip(starts, limits, strict=True)):
        raise ValueError(f"pad: padding_config {config} leaves a negative size.")
    return slice(grown, starts, limits)


def _pad_impl(x, padding_value, *, padding_config):
    x = np.asarray(x)
    out = np.full(_padded_shape(x.shape, padding_config), padding_value, dtype=x.dtype)
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
    return ShapedArray(_padded_shape(x.shape, padding_config), x.dtype, x.weak_type)


def _padded_shape(shape, config):
    return [lo + hi + n + max(n - 1, 0) * i for n, (lo, hi, i) in zip(shape, config, strict=True)]


def _pad_transpose(ct, x, padding_value, *, padding_config):
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
slice_p.lowering = lambda lx, x, *, start_indices, limit_indices, strides: lx.lax.slice(
    x, start_indices, limit_indices, strides
)


def slice(x, start_indices, limit_indices, strides=None):  # noqa: A001 - lax's name
    """A static rectangular slice of ``x``, as ``jax.lax.slice``.

    Like ``x[start:limit:stride]`` along every dim, with non-negative, in-bounds indices.

    Args:
      x: an array or tracer.
      start_indices: one start per dim.
      limit_indices: one (exclusive) end per dim.
      strides: one positive step per dim, or None for all ones.

    Returns:
      The slice.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.slice(np.arange(10), (1,), (8,), (3,)))
      [1 4 7]
    """
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
rev_p.lowering = lambda lx, x, *, dimensions: lx.lax.rev(x, dimensions)


def rev(x, dimensions):
    """Reverse ``x`` along ``dimensions``, as ``jax.lax.rev``.

    Args:
      x: an array or tracer.
      dimensions: a tuple of dims to reverse.

    Returns:
      ``x`` with those dims reversed.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.rev(np.array([[1, 2], [3, 4]]), (1,)))
      [[2 1]
       [4 3]]
    """
    return rev_p.bind(x, dimensions=_ints(dimensions))


rev_p.impl = lambda x, *, dimensions: np.flip(x, dimensions)
rev_p.abstract_eval = lambda x, *, dimensions: x
def_linear(rev_p, lambda ct, x, *, dimensions: [rev(ct, dimensions)])
rev_p.batch = lambda axis_size, vals, dims, *, dimensions: (
    rev(vals[0], shift_axes(dimensions, dims[0])),
    dims[0],
)
