"""Slicing along one dim: ``slice_in_dim``, ``index_in_dim``, the ``dynamic_*_in_dim``
family, ``split`` and ``index_take``, written with the structural primitives.

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.slice_in_dim(np.arange(6), 1, 5, 2))
[1 3]
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.lax._building import expand_dims
from mini_ad.primitives.base import transpose
from mini_ad.primitives.dynamic_slicing import dynamic_slice, dynamic_update_slice
from mini_ad.primitives.elementwise import max  # noqa: A004 - lax's name
from mini_ad.primitives.indexing import gather
from mini_ad.primitives.structural import slice, squeeze  # noqa: A004 - lax's name


def _axis(ndim: int, axis) -> int:
    if not -ndim <= int(axis) < max_int(ndim, 1):
        raise ValueError(f"axis {axis} is out of bounds for an array of rank {ndim}.")
    return int(axis) % max_int(ndim, 1)


def max_int(a: int, b: int) -> int:
    return a if a > b else b


def slice_in_dim(operand, start_index, limit_index, stride: int = 1, axis: int = 0):
    """``operand[start:limit:stride]`` along ``axis``, as ``jax.lax.slice_in_dim``.

    Negative ``start_index``/``limit_index`` count from the end; None means the end.

    Args:
      operand: an array.
      start_index: the first index (int or None).
      limit_index: one past the last index (int or None).
      stride: the step.
      axis: the dim to slice.

    Returns:
      The sliced array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.slice_in_dim(np.arange(6), start_index=-4, limit_index=None, stride=2,
      ...                        axis=0))
      [2 4]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    n = shape[axis]
    start = 0 if start_index is None else int(start_index)
    limit = n if limit_index is None else int(limit_index)
    start, limit = start + n if start < 0 else start, limit + n if limit < 0 else limit
    starts, limits, strides = [0] * len(shape), list(shape), [1] * len(shape)
    starts[axis], limits[axis], strides[axis] = start, limit, int(stride)
    return slice(operand, starts, limits, strides)


def index_in_dim(operand, index: int, axis: int = 0, keepdims: bool = True):
    """``operand[index]`` along ``axis`` for a static ``index``, as ``jax.lax.index_in_dim``.

    Args:
      operand: an array.
      index: an int (negative counts from the end).
      axis: the dim to index.
      keepdims: keep ``axis`` with length 1.

    Returns:
      The slice.

    Raises:
      IndexError: ``index`` is out of bounds.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.index_in_dim(np.arange(6).reshape(2, 3), -1, axis=1, keepdims=False))
      [2 5]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    n = shape[axis]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(f"index {index} is out of bounds for axis {axis} with size {n}")
    index = index + n if index < 0 else index
    out = slice_in_dim(operand, index, index + 1, 1, axis)
    return out if keepdims else squeeze(out, (axis,))


def _start(index, n: int, allow_negative_indices: bool):
    if isinstance(index, (int, np.integer)) or (isinstance(index, np.ndarray) and not index.ndim):
        if not allow_negative_indices and int(index) < 0:
            raise ValueError(f"Index {int(index)} is out of bounds for dimension {n} if "
                             "allow_negative_indices=False")  # fmt: skip
        return int(index)
    # dynamic_slice already counts a negative start once from the end
    return index if allow_negative_indices else max(index, np.zeros((), aval_of(index).dtype))


def dynamic_slice_in_dim(operand, start_index, slice_size: int, axis: int = 0, *,
                         allow_negative_indices: bool = True):  # fmt: skip
    """``operand[start:start + slice_size]`` along ``axis`` for a traced start, as
    ``jax.lax.dynamic_slice_in_dim`` (the start is clamped into bounds).

    Args:
      operand: an array.
      start_index: an integer scalar (may be traced).
      slice_size: the static length.
      axis: the dim to slice.
      allow_negative_indices: a negative start counts from the end (else a concrete
        negative start is a ValueError and a traced one is clamped to 0).

    Returns:
      The slice, ``slice_size`` long along ``axis``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_slice_in_dim(np.arange(6), np.int64(-2), 2, axis=0,
      ...                                allow_negative_indices=True))
      [4 5]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    start = _start(start_index, shape[axis], allow_negative_indices)
    dtype = aval_of(start).dtype if not isinstance(start, int) else np.dtype(np.int64)
    starts = [np.zeros((), dtype)] * len(shape)
    starts[axis] = start
    sizes = list(shape)
    sizes[axis] = int(slice_size)
    return dynamic_slice(operand, starts, sizes)


def dynamic_index_in_dim(operand, index, axis: int = 0, keepdims: bool = True, *,
                         allow_negative_indices: bool = True):  # fmt: skip
    """``operand[index]`` along ``axis`` for a traced index, as ``jax.lax.dynamic_index_in_dim``.

    Args:
      operand: an array.
      index: an integer scalar (may be traced; clamped into bounds).
      axis: the dim to index.
      keepdims: keep ``axis`` with length 1.
      allow_negative_indices: a negative index counts from the end.

    Returns:
      The slice.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_index_in_dim(np.arange(6).reshape(3, 2), np.int64(1), axis=0,
      ...                                keepdims=False, allow_negative_indices=True))
      [2 3]
    """
    axis = _axis(aval_of(operand).ndim, axis)
    out = dynamic_slice_in_dim(operand, index, 1, axis,
                               allow_negative_indices=allow_negative_indices)  # fmt: skip
    return out if keepdims else squeeze(out, (axis,))


def dynamic_update_slice_in_dim(operand, update, start_index, axis: int, *,
                                allow_negative_indices: bool = True):  # fmt: skip
    """``operand`` with ``update`` written at ``start_index`` along ``axis``, as
    ``jax.lax.dynamic_update_slice_in_dim`` (the start is clamped into bounds).

    Args:
      operand: an array.
      update: an array of ``operand``'s dtype and rank, no longer along any dim.
      start_index: an integer scalar (may be traced).
      axis: the dim of ``start_index``.
      allow_negative_indices: a negative start counts from the end.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_update_slice_in_dim(np.zeros(4), np.ones(2), np.int64(1),
      ...                                       axis=0, allow_negative_indices=True))
      [0. 1. 1. 0.]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    start = _start(start_index, shape[axis], allow_negative_indices)
    dtype = aval_of(start).dtype if not isinstance(start, int) else np.dtype(np.int64)
    starts = [np.zeros((), dtype)] * len(shape)
    starts[axis] = start
    return dynamic_update_slice(operand, update, starts)


def dynamic_update_index_in_dim(operand, update, index, axis: int, *,
                                allow_negative_indices: bool = True):  # fmt: skip
    """``operand`` with the slice ``index`` along ``axis`` replaced by ``update``, as
    ``jax.lax.dynamic_update_index_in_dim``.

    Args:
      operand: an array.
      update: the new slice, with or without ``axis`` (length 1).
      index: an integer scalar (may be traced; clamped into bounds).
      axis: the dim of ``index``.
      allow_negative_indices: a negative index counts from the end.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dynamic_update_index_in_dim(np.zeros((2, 2)), np.ones(2), np.int64(1),
      ...                                       axis=0, allow_negative_indices=True))
      [[0. 0.]
       [1. 1.]]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    if aval_of(update).ndim == len(shape) - 1:
        update = expand_dims(update, (axis,))
    return dynamic_update_slice_in_dim(operand, update, index, axis,
                                       allow_negative_indices=allow_negative_indices)  # fmt: skip


def split(operand, sizes, axis: int = 0) -> list:
    """Split ``operand`` along ``axis`` into pieces of ``sizes``, as ``jax.lax.split``.

    Args:
      operand: an array.
      sizes: the pieces' lengths (they must add up to the length of ``axis``).
      axis: the dim to split.

    Returns:
      A list of arrays.

    Raises:
      ValueError: the sizes do not add up.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> [p.tolist() for p in lax.split(np.arange(5), (2, 3), axis=0)]
      [[0, 1], [2, 3, 4]]
    """
    shape = aval_of(operand).shape
    axis = _axis(len(shape), axis)
    sizes = [int(s) for s in sizes]
    if sum(sizes) != shape[axis] or any(s < 0 for s in sizes):
        raise ValueError(f"Sum of sizes {sum(sizes)} must be equal to dimension {axis} of the "
                         f"operand shape {shape}")  # fmt: skip
    pieces, start = [], 0
    for s in sizes:
        pieces.append(slice_in_dim(operand, start, start + s, 1, axis))
        start += s
    return pieces


def index_take(src, idxs, axes):
    """``src`` indexed by one integer array per axis in ``axes``, as ``jax.lax.index_take``.

    The result is ``(N, *the other dims of src in order)`` for index arrays of length N
    (the indexed dims go first). Indices wrap once when negative and are clamped into
    bounds.

    Args:
      src: an array.
      idxs: a tuple of 1-D integer arrays of one length, one per entry of ``axes``.
      axes: the dims they index, increasing.

    Returns:
      The gathered array.

    Raises:
      TypeError: ``axes`` is not increasing.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.arange(6.0).reshape(2, 3)
      >>> print(lax.index_take(x, idxs=(np.array([1, 0]),), axes=(0,)))
      [[3. 4. 5.]
       [0. 1. 2.]]
    """
    axes = tuple(int(a) for a in axes)
    if list(axes) != sorted(axes):
        raise TypeError(f"index_take: axes must be sorted, got {axes}.")
    ndim = aval_of(src).ndim
    perm = list(axes) + [d for d in range(ndim) if d not in axes]
    moved = transpose(src, perm) if perm != list(range(ndim)) else src
    return gather(moved, list(idxs), tuple(range(len(axes))))


__all__ = [
    "dynamic_index_in_dim", "dynamic_slice_in_dim", "dynamic_update_index_in_dim", "dynamic_update_slice_in_dim", "index_in_dim", "index_take", "slice_in_dim", "split",
]  # fmt: skip
