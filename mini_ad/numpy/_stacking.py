"""Stacking arrays in ``mini_ad.numpy``: stack, hstack, vstack."""

from __future__ import annotations

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.numpy._core import _operand
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._shape import atleast_1d, atleast_2d, concatenate, expand_dims


def stack(arrays, axis=0, dtype=None):
    """Join arrays of one shape along a new axis, as ``numpy.stack``.

    Args:
      arrays: a non-empty sequence of arrays, all of the same shape.
      axis: the position of the new axis in the result (negative counts from the end).
      dtype: the result's dtype (each array is cast to it); None promotes.

    Returns:
      An array with one more dimension than the inputs, of size ``len(arrays)`` at ``axis``.

    Raises:
      ValueError: ``arrays`` is empty, the shapes differ, or ``axis`` is out of bounds.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.stack([[1, 2], [3, 4]], axis=1))
      [[1 3]
       [2 4]]
    """
    arrays = [_operand(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {aval_of(x).shape for x in arrays}
    if len(shapes) != 1:
        raise ShapeError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    (axis,) = canonical_axes(axis, aval_of(arrays[0]).ndim + 1)
    return concatenate([expand_dims(x, axis) for x in arrays], axis, dtype=dtype)


def hstack(arrays, dtype=None):
    """Join arrays horizontally, as ``numpy.hstack``.

    1-D arrays join along axis 0, others along axis 1; scalars count as 1-D.

    Args:
      arrays: a non-empty sequence of arrays.
      dtype: the result's dtype (each array is cast to it); None promotes.

    Returns:
      The joined array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.hstack([[1, 2], [3]]))
      [1 2 3]
    """
    arrays = [atleast_1d(x) for x in arrays]
    return concatenate(arrays, 0 if aval_of(arrays[0]).ndim == 1 else 1, dtype=dtype)


def vstack(arrays, dtype=None):
    """Join arrays vertically (along axis 0), as ``numpy.vstack``.

    1-D arrays of length n count as rows of shape (1, n).

    Args:
      arrays: a non-empty sequence of arrays.
      dtype: the result's dtype (each array is cast to it); None promotes.

    Returns:
      The joined array, at least 2-D.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.vstack([[1, 2], [3, 4]]))
      [[1 2]
       [3 4]]
    """
    return concatenate([atleast_2d(x) for x in arrays], 0, dtype=dtype)
