"""Splitting and repeating arrays in ``mini_ad.numpy``: split, tile, repeat."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._shape import ravel, reshape
from mini_ad.primitives import structural as st


def split(a, indices_or_sections, axis=0):
    """Split ``a`` into pieces along an axis, as ``numpy.split``.

    Each piece is a ``slice`` of ``a``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      indices_or_sections: an int n (n equal pieces) or a sorted sequence of the
        indices at which to cut.
      axis: the axis to split (negative counts from the end).

    Returns:
      A list of arrays.

    Raises:
      ValueError: an int ``indices_or_sections`` does not divide the axis length.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> for piece in mnp.split(mnp.arange(6), [1, 4]):
      ...     print(piece)
      [0]
      [1 2 3]
      [4 5]
    """
    a = _operand(a)
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    n = shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    pieces = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        starts = [0] * len(shape)
        limits = list(shape)
        starts[axis], limits[axis] = lo, hi
        pieces.append(st.slice(a, starts, limits))
    return pieces


def tile(a, reps):
    """Repeat the whole of ``a`` ``reps`` times, as ``numpy.tile``.

    Built from ``broadcast_in_dim`` and ``reshape``, so it is differentiable.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      reps: an int or a tuple of ints: repetitions along each axis (aligned at the end,
        padding the shorter of ``reps`` and ``a.shape`` with ones).

    Returns:
      The tiled array.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.tile([1, 2], 2))
      [1 2 1 2]
      >>> print(mnp.tile([1, 2], (2, 1)))
      [[1 2]
       [1 2]]
    """
    a = _operand(a)
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    shape = aval_of(a).shape
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    a = reshape(a, shape)
    # broadcast into an interleaved (rep, size) layout, then merge the pairs
    expanded = tuple(x for pair in zip(reps, shape, strict=True) for x in pair)
    b = st.broadcast_in_dim(a, expanded, tuple(range(1, 2 * ndim, 2)))
    return reshape(b, tuple(r * n for r, n in zip(reps, shape, strict=True)))


def repeat(a, repeats, axis=None):
    """Repeat each element of ``a``, as ``numpy.repeat``.

    Unlike NumPy, ``repeats`` must be one int (not an array of counts).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      repeats: the number of copies of each element.
      axis: the axis along which to repeat; None (the default) flattens ``a`` first.

    Returns:
      The array with each element along ``axis`` repeated ``repeats`` times.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.repeat([1, 2], 2))
      [1 1 2 2]
      >>> print(mnp.repeat([[1, 2]], 2, axis=0))
      [[1 2]
       [1 2]]
    """
    a = _operand(a)
    if axis is None:
        a, axis = ravel(a), 0
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    expanded = shape[: axis + 1] + (int(repeats),) + shape[axis + 1 :]
    kept = tuple(i for i in range(len(expanded)) if i != axis + 1)
    b = st.broadcast_in_dim(a, expanded, kept)
    return reshape(b, shape[:axis] + (shape[axis] * int(repeats),) + shape[axis + 1 :])
