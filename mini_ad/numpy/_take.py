"""Sorting and gathering along an axis for ``mini_ad.numpy``: ``sort``, ``argsort``,
``take`` and ``take_along_axis``.

``sort``/``argsort`` bind the ``sort`` primitive; ``take``/``take_along_axis`` are
``gather``s (linear in the array) with JAX's out-of-bounds modes: ``"fill"`` (the
default: NaN for floats), ``"clip"`` and ``"wrap"``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._at import _fill_default
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to
from mini_ad.numpy._division import remainder
from mini_ad.numpy._math import clip, greater_equal, less, logical_or, subtract, where
from mini_ad.numpy._reductions import canonical_axes, no_out
from mini_ad.numpy._shape import ravel
from mini_ad.primitives import structural as st
from mini_ad.primitives.indexing import gather
from mini_ad.primitives.sorting import sort as sort_lax
from mini_ad.primitives.sorting import take_along


def _flat_or_axis(a, axis):
    """``(a, axis)`` with ``axis=None`` meaning the flattened array."""
    a = _operand(a)
    if axis is None:
        return ravel(a), 0
    (axis,) = canonical_axes(axis, aval_of(a).ndim)
    return a, axis


# --- sort / argsort -----------------------------------------------------------------------------


def sort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    """Sorted copy of ``a`` along ``axis``, as ``numpy.sort`` (lax ``sort``).

    The derivative moves each tangent with its element; of tied elements exactly one
    takes each slot, as in JAX. NaNs sort to the end.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: the axis to sort along (negative counts from the end); None flattens ``a``.
      kind: ignored (the sort is always stable), as in JAX.
      order: must be None (structured arrays are not supported).
      stable: ignored: ties always keep their order.
      descending: sort from largest to smallest (ties still in their order).

    Returns:
      An array of ``a``'s shape (1-D for ``axis=None``).

    Raises:
      NotImplementedError: ``order`` is given.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.sort([3.0, 1.0, 2.0]))
      [1. 2. 3.]
      >>> print(mnp.sort([[3, 1], [0, 2]], axis=0, descending=True))
      [[3 2]
       [0 1]]
    """
    if order is not None:
        raise NotImplementedError("mini_ad.numpy.sort does not support 'order'")
    a, axis = _flat_or_axis(a, axis)
    if aval_of(a).ndim == 0:
        return as_result(a)
    (out,) = sort_lax([a], axis)
    return st.rev(out, (axis,)) if descending else out


def argsort(a, axis=-1, *, kind=None, order=None, stable=True, descending=False):
    """Indices that sort ``a`` along ``axis``, as ``numpy.argsort`` (stable).

    Not differentiable (the result is int64).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: the axis to sort along (negative counts from the end); None flattens ``a``.
      kind: ignored (the sort is always stable), as in JAX.
      order: must be None (structured arrays are not supported).
      stable: ignored: ties always keep their order.
      descending: sort from largest to smallest (ties still in their order).

    Returns:
      An int64 array of ``a``'s shape (1-D for ``axis=None``).

    Raises:
      NotImplementedError: ``order`` is given.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.argsort([3.0, 1.0, 2.0]))
      [1 2 0]
      >>> print(mnp.argsort([1, 3, 1], descending=True))
      [1 0 2]
    """
    if order is not None:
        raise NotImplementedError("mini_ad.numpy.argsort does not support 'order'")
    a, axis = _flat_or_axis(a, axis)
    shape = aval_of(a).shape
    if not shape:
        return np.zeros((), np.int64)
    if descending:  # stable descending: sort the reversed array, map indices back
        n = shape[axis]
        (_, perm) = sort_lax([st.rev(a, (axis,)), st.iota(np.int64, shape, axis)], axis)
        return subtract(np.int64(n - 1), st.rev(perm, (axis,)))
    _, perm = sort_lax([a, st.iota(np.int64, shape, axis)], axis)
    return perm


# --- take / take_along_axis -----------------------------------------------------------------


def _integer_indices(indices):
    indices = _operand(indices)
    if aval_of(indices).dtype.kind not in "iu":
        raise TypeError(f"indices must be integers, got {aval_of(indices).dtype.name}")
    return indices


def _fill_out_of_bounds(out, indices, n, index_dims, mode, fill_value):
    """JAX's default ``mode="fill"``: indices outside ``[-n, n)`` read ``fill_value``
    (by default NaN for inexact dtypes, the lowest signed or highest unsigned integer,
    True for bools); ``"clip"`` and ``"wrap"`` are handled by the caller."""
    if mode in ("clip", "wrap"):
        return out
    if mode not in (None, "fill"):
        raise NotImplementedError(f"mode={mode!r} (use 'fill', 'clip' or 'wrap')")
    if not isinstance(indices, Tracer):
        outside = (np.asarray(indices) < -n) | (np.asarray(indices) >= n)
        if not outside.any():
            return out
    else:
        outside = logical_or(less(indices, -n), greater_equal(indices, n))
    outside = st.broadcast_in_dim(outside, aval_of(out).shape, index_dims)
    dtype = aval_of(out).dtype
    fill = _fill_default(dtype) if fill_value is None else fill_value
    return where(outside, astype(fill, dtype), out)


def _wrapped(indices, n, mode, clip_negative=False):
    if mode == "clip" and clip_negative:  # take's "clip" clamps -1 to 0 (as NumPy and JAX)
        return clip(indices, 0, n - 1)
    if mode != "wrap":
        return indices
    return remainder(indices, n)


def take(a, indices, axis=None, out=None, mode=None, unique_indices=False,
         indices_are_sorted=False, fill_value=None):  # fmt: skip
    """``a``'s entries at ``indices`` along ``axis``, as ``jax.numpy.take`` (a ``gather``).

    Negative indices count from the end. Out-of-bounds indices follow ``mode``: JAX's
    default ``"fill"`` reads ``fill_value`` (NaN for floats, the lowest signed or highest
    unsigned integer, True for bools), ``"clip"`` clamps to ``[0, n - 1]`` (a negative
    index reads the first entry), ``"wrap"`` wraps round. NumPy instead raises for out-of-bounds
    indices by default.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      indices: an integer array (or list) of any shape.
      axis: the axis to index; None (the default) flattens ``a``.
      out: refused (JAX's ``NotImplementedError``): arrays are immutable.
      mode: None or ``"fill"``, ``"clip"``, or ``"wrap"``.
      unique_indices, indices_are_sorted: accepted for JAX's signature (hints).
      fill_value: the value read out of bounds under ``"fill"`` (None: see above).

    Returns:
      An array of shape ``a.shape[:axis] + indices.shape + a.shape[axis + 1:]``.

    Raises:
      TypeError: ``indices`` are not integers.
      NotImplementedError: ``mode`` is another string.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.take([1.0, 2.0, 3.0], [2, -3, 5]))
      [ 3.  1. nan]
      >>> print(mnp.take([1.0, 2.0, 3.0], [5], mode="wrap"))
      [3.]
    """
    no_out("take", out)
    a, axis = _flat_or_axis(a, axis)
    indices = _integer_indices(indices)
    n = aval_of(a).shape[axis]
    out = gather(a, [_wrapped(indices, n, mode, clip_negative=True)], (axis,))
    index_dims = tuple(range(axis, axis + aval_of(indices).ndim))
    return _fill_out_of_bounds(out, indices, n, index_dims, mode, fill_value)


def take_along_axis(arr, indices, axis=-1, mode=None, fill_value=None):
    """Pick values along ``axis`` by an index array, as ``numpy.take_along_axis``.

    ``out[..., i, ...] = arr[..., indices[..., i, ...], ...]``; the other axes broadcast.
    Out-of-bounds indices follow ``mode`` as in ``take``, except that ``"clip"`` counts
    negative indices from the end before clamping (as JAX does).

    Args:
      arr: an array, a Python scalar or a (nested) list of them.
      indices: an integer array with as many dimensions as ``arr``.
      axis: the axis to index; None flattens both first.
      mode: None or ``"fill"``, ``"clip"``, or ``"wrap"``.
      fill_value: the value read out of bounds under ``"fill"`` (None: see above).

    Returns:
      An array of the broadcast shape, with ``indices``' length along ``axis``.

    Raises:
      ValueError: ``indices`` and ``arr`` differ in number of dimensions.
      TypeError: ``indices`` are not integers.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> a = [[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]]
      >>> print(mnp.take_along_axis(a, mnp.argsort(a, axis=1), axis=1))
      [[10. 20. 30.]
       [40. 50. 60.]]
    """
    arr = _operand(arr)
    indices = _integer_indices(indices)
    if axis is None:
        arr, indices, axis = ravel(arr), ravel(indices), 0
    arr_shape, index_shape = aval_of(arr).shape, aval_of(indices).shape
    if len(arr_shape) != len(index_shape):
        raise ValueError("take_along_axis: indices and arr must have the same number of dimensions")
    (axis,) = canonical_axes(axis, len(arr_shape))
    others = [
        0 if d == axis else np.broadcast_shapes((m,), (k,))[0]
        for d, (m, k) in enumerate(zip(arr_shape, index_shape, strict=True))
    ]
    arr = broadcast_to(arr, tuple(others[:axis]) + (arr_shape[axis],) + tuple(others[axis + 1 :]))
    indices = broadcast_to(
        indices, tuple(others[:axis]) + (index_shape[axis],) + tuple(others[axis + 1 :])
    )
    n = arr_shape[axis]
    out = take_along(arr, _wrapped(indices, n, mode), axis)
    dims = tuple(range(len(arr_shape)))
    return _fill_out_of_bounds(out, indices, n, dims, mode, fill_value)
