"""Joining, rotating and relabelling axes in ``mini_ad.numpy``: ``block``,
``column_stack``, ``dstack``, ``rot90``, ``fliplr``/``flipud``, ``rollaxis`` and the
array API's ``concat``, ``permute_dims``, ``matrix_transpose``; plus ``copy``, ``empty``
and ``empty_like``. All linear compositions of structural primitives.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result
from mini_ad.numpy._creation import zeros_like
from mini_ad.numpy._ranges import zeros
from mini_ad.numpy._shape import atleast_1d as _atleast_1d
from mini_ad.numpy._shape import atleast_2d as _atleast_2d
from mini_ad.numpy._shape import (
    concatenate,
    expand_dims,
    flip,
    moveaxis,
    reshape,
    swapaxes,
    transpose,
)


def _each(fn, arys):
    out = [fn(_operand(x)) for x in arys]
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys):
    """Each array with at least one axis (NumPy's form: a list if several are given).

    >>> atleast_1d(1.0, np.ones((2, 2)))[0].shape
    (1,)
    """
    return _each(lambda x: as_result(_atleast_1d(x)), arys)


def atleast_2d(*arys):
    """Each array with at least two axes (new leading axes).

    >>> atleast_2d(np.ones(3)).shape
    (1, 3)
    """
    return _each(lambda x: as_result(_atleast_2d(x)), arys)


def atleast_3d(*arys):
    """Each array with at least three axes: ``(n,)`` becomes ``(1, n, 1)``, ``(m, n)``
    becomes ``(m, n, 1)``.

    >>> atleast_3d(np.ones(3)).shape
    (1, 3, 1)
    """

    def three(x):
        ndim = aval_of(x).ndim
        if ndim < 2:
            return reshape(x, (1, -1, 1)) if ndim else reshape(x, (1, 1, 1))
        return expand_dims(x, -1) if ndim == 2 else as_result(x)

    return _each(three, arys)


def _depth_and_ndim(arrays, depth=0):
    if isinstance(arrays, list):
        if not arrays:
            raise ValueError("block: lists cannot be empty")
        found = [_depth_and_ndim(x, depth + 1) for x in arrays]
        depths = {d for d, _ in found}
        if len(depths) != 1:
            raise ValueError("block: list depths are mismatched")
        return depths.pop(), max(n for _, n in found)
    if isinstance(arrays, tuple):
        raise TypeError("block: arrays must be nested lists, not tuples")
    return depth, aval_of(_operand(arrays)).ndim


def block(arrays):
    """An array assembled from nested lists of blocks: the innermost lists join along
    the last axis, the next along the second-to-last, and so on.

    Args:
      arrays: nested lists of arrays.

    Returns:
      The assembled array.

    Examples:
      >>> block([[np.zeros((1, 2)), np.ones((1, 1))], [np.ones((1, 3))]])
      array([[0., 0., 1.],
             [1., 1., 1.]])
    """
    depth, leaf_ndim = _depth_and_ndim(arrays)
    ndim = max(depth, leaf_ndim)

    def assemble(x, level):
        if not isinstance(x, list):
            x = _operand(x)
            shape = aval_of(x).shape
            return reshape(x, (1,) * (ndim - len(shape)) + shape)
        parts = [assemble(p, level + 1) for p in x]
        return concatenate(parts, axis=ndim - (depth - level))

    return as_result(assemble(arrays, 0))


def column_stack(tup):
    """1-D arrays as columns (2-D arrays as they are), joined along the second axis.

    Args:
      tup: a sequence of 1-D or 2-D arrays.

    Returns:
      A 2-D array.

    Examples:
      >>> column_stack([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
      array([[1., 3.],
             [2., 4.]])
    """
    columns = []
    for x in tup:
        x = _operand(x)
        columns.append(reshape(x, (-1, 1)) if aval_of(x).ndim < 2 else x)
    return concatenate(columns, axis=1)


def dstack(tup, dtype=None):
    """Arrays joined along the third axis (after ``atleast_3d``).

    Args:
      tup: a sequence of arrays.
      dtype: the result's dtype (each array is cast to it); None promotes.

    Returns:
      An array of rank ≥ 3.

    Examples:
      >>> dstack([np.array([1.0, 2.0]), np.array([3.0, 4.0])]).shape
      (1, 2, 2)
    """
    return concatenate([atleast_3d(x) for x in tup], axis=2, dtype=dtype)


def rot90(m, k=1, axes=(0, 1)):
    """``m`` rotated by 90° ``k`` times in the plane of ``axes`` (from the first axis
    towards the second).

    >>> rot90(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([[2., 4.],
           [1., 3.]])
    """
    m = _operand(m)
    ndim = aval_of(m).ndim
    a0, a1 = (int(a) % ndim for a in axes)
    if a0 == a1:
        raise ValueError("rot90: axes must be different")
    k = int(k) % 4
    if k == 0:
        return as_result(m)
    if k == 2:
        return flip(flip(m, a0), a1)
    perm = list(range(ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose(flip(m, a1), perm)
    return flip(transpose(m, perm), a1)


def fliplr(m):
    """``m`` reversed along its second axis.

    >>> fliplr(np.array([[1.0, 2.0]]))
    array([[2., 1.]])
    """
    m = _operand(m)
    if aval_of(m).ndim < 2:
        raise ValueError("fliplr: input must be at least 2-d")
    return flip(m, 1)


def flipud(m):
    """``m`` reversed along its first axis.

    >>> flipud(np.array([1.0, 2.0]))
    array([2., 1.])
    """
    m = _operand(m)
    if aval_of(m).ndim < 1:
        raise ValueError("flipud: input must be at least 1-d")
    return flip(m, 0)


def rollaxis(a, axis, start=0):
    """Roll ``axis`` back until it lies before position ``start`` (NumPy's legacy
    ``moveaxis``).

    Args:
      a: an array.
      axis: the axis to roll.
      start: the position it ends up before.

    Returns:
      A view of ``a`` with the axes reordered.

    Examples:
      >>> rollaxis(np.zeros((2, 3, 4)), 2).shape
      (4, 2, 3)
    """
    a = _operand(a)
    n = aval_of(a).ndim
    axis = int(axis) % n
    start = int(start) + n if int(start) < 0 else int(start)
    if not 0 <= start <= n:
        raise ValueError(f"rollaxis: start={start} is out of range for {n} dimensions")
    if axis < start:
        start -= 1
    return as_result(a) if axis == start else moveaxis(a, axis, start)


def concat(arrays, /, *, axis=0):
    """The array API's ``concatenate``.

    Args:
      arrays: a sequence of arrays.
      axis: the axis to join along.

    Returns:
      The joined array.

    Examples:
      >>> concat([np.ones(1), np.zeros(1)])
      array([1., 0.])
    """
    return concatenate(arrays, axis)


def permute_dims(a, /, axes):
    """The array API's ``transpose`` (``axes`` required).

    Args:
      a: an array.
      axes: the permutation of its axes.

    Returns:
      The permuted array.

    Examples:
      >>> permute_dims(np.zeros((2, 3)), (1, 0)).shape
      (3, 2)
    """
    return transpose(a, axes)


def matrix_transpose(x, /):
    """``x`` with its last two axes swapped.

    >>> matrix_transpose(np.zeros((4, 2, 3))).shape
    (4, 3, 2)
    """
    x = _operand(x)
    if aval_of(x).ndim < 2:
        raise ValueError("matrix_transpose requires at least 2 dimensions")
    return swapaxes(x, -1, -2)


def copy(a, order=None):
    """A copy of ``a`` (traced values are immutable: the same value).

    Args:
      a: an array.
      order: accepted for NumPy compatibility (ignored).

    Returns:
      A copy of ``a``.

    Examples:
      >>> copy(np.ones(2))
      array([1., 1.])
    """
    if isinstance(a, Tracer):
        return a
    return np.array(a, copy=True)


def empty(shape, dtype=None, device=None):
    """An array of ``shape`` (zeros, as in JAX).

    Args:
      shape: the result's shape.
      dtype: the dtype (None: float64).
      device: accepted for NumPy compatibility (ignored).

    Returns:
      An array of zeros.

    Examples:
      >>> empty(2)
      array([0., 0.])
    """
    return zeros(shape, dtype)


def empty_like(prototype, dtype=None, shape=None, device=None):
    """An array like ``prototype`` (zeros, as in JAX).

    Args:
      prototype: the array whose shape and dtype are used.
      dtype: overrides the dtype.
      shape: overrides the shape.
      device: accepted for NumPy compatibility (ignored).

    Returns:
      An array of zeros.

    Examples:
      >>> empty_like(np.ones(2, np.float32))
      array([0., 0.], dtype=float32)
    """
    if shape is not None:
        return zeros(shape, aval_of(_operand(prototype)).dtype if dtype is None else dtype)
    return zeros_like(prototype, dtype)
