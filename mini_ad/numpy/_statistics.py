"""Statistics in ``mini_ad.numpy``: mean, var, std, average and cumsum."""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import astype, promote_dtypes, promote_dtypes_inexact
from mini_ad.numpy._math import multiply, sqrt, square, subtract, true_divide
from mini_ad.numpy._reductions import _count, _sum_dtype, canonical_axes, sum
from mini_ad.primitives import reductions as red
from mini_ad.primitives import structural as st


def mean(a, axis=None, dtype=None, keepdims=False):
    """Arithmetic mean over ``axis``, as ``numpy.mean``: ``sum / count``.

    Integers and bools are averaged in float64.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to compute in and return; None picks float64 for integer
        input, otherwise ``a``'s dtype (an integer ``dtype`` truncates, as in NumPy).
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The means, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.mean([[1, 2], [3, 4]], axis=0))
      [2. 3.]
    """
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    if dtype is not None:
        a = astype(a, dtype)
    count = _count(aval_of(a).shape, axis)
    out = true_divide(sum(a, axis=axis, keepdims=keepdims), float(count))
    return out if dtype is None else astype(out, dtype)  # NumPy truncates integer means


def var(a, axis=None, dtype=None, ddof=0, keepdims=False):
    """Variance over ``axis``, as ``numpy.var``: the mean squared deviation.

    Computed as ``sum((a - mean(a)) ** 2) / (count - ddof)`` in floating point.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype of the mean; None picks float64 for integer input.
      ddof: delta degrees of freedom: the divisor is ``count - ddof``.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The variances, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.var([1.0, 2.0, 3.0, 4.0]))
      1.25
      >>> print(mnp.var([1.0, 2.0, 3.0, 4.0], ddof=1))
      1.6666666666666667
    """
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    centered = subtract(a, mean(a, axis=axis, dtype=dtype, keepdims=True))
    count = _count(aval_of(a).shape, axis)
    return true_divide(
        sum(square(centered), axis=axis, keepdims=keepdims), float(builtins.max(count - ddof, 0))
    )


def std(a, axis=None, dtype=None, ddof=0, keepdims=False):
    """Standard deviation over ``axis``, as ``numpy.std``: ``sqrt(var(a))``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype of the mean; None picks float64 for integer input.
      ddof: delta degrees of freedom: the variance's divisor is ``count - ddof``.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The standard deviations, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.std([[1.0, 3.0], [2.0, 2.0]], axis=1))
      [1. 0.]
    """
    return sqrt(var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims))


def cumsum(a, axis=None, dtype=None):
    """Cumulative sum along ``axis``, as ``numpy.cumsum`` (lax ``cumsum``).

    Bools and small integers accumulate in int64 (unsigned in uint64), as in NumPy.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int (negative counts from the end); None (the default) flattens ``a``.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.

    Returns:
      An array of ``a``'s shape (1-D for ``axis=None``) of running sums.

    Raises:
      ValueError: the axis is out of bounds.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.cumsum([1, 2, 3, 4]))
      [ 1  3  6 10]
      >>> print(mnp.cumsum([[1, 2], [3, 4]], axis=0))
      [[1 2]
       [4 6]]
    """
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    if axis is None:
        a = st.reshape(a, (aval_of(a).size,))
        axis = 0
    (axis,) = canonical_axes(axis, aval_of(a).ndim)
    return red.cumsum(a, axis)


def average(a, axis=None, weights=None):
    """Weighted average over ``axis``, as ``numpy.average``.

    ``sum(a * weights) / sum(weights)``; without weights it is ``mean``. Unlike NumPy,
    ``weights`` must broadcast against ``a`` (there is no 1-D weights along ``axis``),
    and there is no ``returned``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints.
      weights: an array broadcasting against ``a``, or None for equal weights.

    Returns:
      The averages, of ``a``'s shape without the reduced axes.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.average([1.0, 2.0, 4.0], weights=[1.0, 1.0, 2.0]))
      2.75
    """
    if weights is None:
        return mean(a, axis=axis)
    return true_divide(sum(multiply(a, weights), axis=axis), sum(weights, axis=axis))
