"""Repeating arrays in ``mini_ad.numpy``: tile, repeat (splitting is in ``_splitting.py``)."""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._shape import ravel, reshape
from mini_ad.numpy._take import take
from mini_ad.primitives import structural as st


def tile(a, reps):
    """Repeat the whole of ``a`` ``reps`` times, as ``numpy.tile``.

    Built from ``broadcast_in_dim`` and ``reshape``, so it is differentiable.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      reps: an int or a tuple of ints: repetitions along each axis (aligned at the end,
        padding the shorter of ``reps`` and ``a.shape`` with ones).

    Returns:
      The tiled array.

    Examples:
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


def repeat(a, repeats, axis=None, *, total_repeat_length=None):
    """Repeat each element of ``a``, as ``numpy.repeat`` and ``jax.numpy.repeat``.

    An int ``repeats`` broadcasts ``a``; an array of counts (concrete, one per element
    along ``axis``, or one for all) becomes a ``take`` of the repeated indices.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      repeats: the number of copies of each element: an int or an integer array.
      axis: the axis along which to repeat; None (the default) flattens ``a`` first.
      total_repeat_length: the output's length along ``axis``, as in JAX: extra copies
        are cut off, and a shortfall is filled with copies of the last element.

    Returns:
      The array with each element along ``axis`` repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.repeat([1, 2], 2))
      [1 1 2 2]
      >>> print(mnp.repeat([[1, 2]], 2, axis=0))
      [[1 2]
       [1 2]]
      >>> print(mnp.repeat([1, 2, 3], [0, 2, 1]))
      [2 2 3]
      >>> print(mnp.repeat([1, 2, 3], [0, 2, 1], total_repeat_length=5))
      [2 2 3 3 3]
    """
    a = _operand(a)
    if axis is None:
        a, axis = ravel(a), 0
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    counts = np.asarray(repeats)
    if counts.ndim == 0 and total_repeat_length is None:
        expanded = shape[: axis + 1] + (int(counts),) + shape[axis + 1 :]
        kept = tuple(i for i in range(len(expanded)) if i != axis + 1)
        b = st.broadcast_in_dim(a, expanded, kept)
        return reshape(b, shape[:axis] + (shape[axis] * int(counts),) + shape[axis + 1 :])
    n = shape[axis]
    index = np.repeat(
        np.arange(n), np.broadcast_to(counts.ravel(), (n,)) if counts.ndim else counts
    )
    if total_repeat_length is not None:
        short = builtins.max(total_repeat_length - index.size, 0)
        index = np.concatenate([index, np.full(short, n - 1)])[:total_repeat_length]
    return take(a, index.astype(np.int64), axis=axis)
