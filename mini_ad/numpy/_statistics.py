"""Statistics in ``mini_ad.numpy``: mean, var, std and cumsum (``average`` is in ``_spread.py``)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import imag, real
from mini_ad.numpy._core import astype, promote_dtypes, promote_dtypes_inexact
from mini_ad.numpy._math import add, greater, sqrt, square, subtract, true_divide
from mini_ad.numpy._math import where as where_
from mini_ad.numpy._reductions import _count, _sum_dtype, canonical_axes, masked, no_out, sum
from mini_ad.primitives import reductions as red
from mini_ad.primitives import structural as st


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Arithmetic mean over ``axis``, as ``numpy.mean``: ``sum / count``.

    Integers and bools are averaged in float64.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to compute in and return; None picks float64 for integer
        input, otherwise ``a``'s dtype (an integer ``dtype`` truncates, as in NumPy).
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      where: a bool mask broadcasting to ``a``: only its true entries count.

    Returns:
      The means, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.mean([[1, 2], [3, 4]], axis=0))
      [2. 3.]
    """
    no_out("mean", out)
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    if dtype is not None:
        a = astype(a, dtype)
    count = _count_where(a, axis, keepdims, where)
    out = true_divide(sum(a, axis=axis, keepdims=keepdims, where=where), count)
    return out if dtype is None else astype(out, dtype)  # NumPy truncates integer means


def _count_where(a, axis, keepdims, where):
    """The number of entries each reduction covers: a float, or with ``where`` an array."""
    if where is None:
        return float(_count(aval_of(a).shape, axis))
    ones = np.ones(aval_of(a).shape, aval_of(a).dtype if aval_of(a).dtype.kind == "f" else float)
    return sum(masked(ones, where, 0), axis=axis, keepdims=keepdims)


def var(
    a,
    axis=None,
    dtype=None,
    out=None,
    ddof=0,
    keepdims=False,
    *,
    where=None,
    mean=None,
    correction=None,
):
    """Variance over ``axis``, as ``numpy.var``: the mean squared deviation.

    Computed as ``sum(|a - mean(a)| ** 2) / (count - ddof)`` in floating point, real for
    complex ``a``; NaN where ``count - ddof <= 0`` (as in JAX; NumPy gives inf).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to compute in and return; None picks float64 for integer input,
        else ``a``'s real dtype. Complex input needs a complex ``dtype``.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      ddof: delta degrees of freedom: the divisor is ``count - ddof``.
      correction: the array API's name for ``ddof`` (give one of them).
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      where: a bool mask broadcasting to ``a``: only its true entries count.
      mean: a precomputed mean to centre on (broadcasting as ``mean(..., keepdims=True)``).

    Returns:
      The variances, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated, or ``dtype`` is real for
        complex ``a``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.var([1.0, 2.0, 3.0, 4.0]))
      1.25
      >>> print(mnp.var([1.0, 2.0, 3.0, 4.0], ddof=1))
      1.6666666666666667
    """
    no_out("var", out)
    ddof = _ddof(ddof, correction)
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    a = astype(a, _var_dtype(aval_of(a).dtype, dtype))
    if mean is None:
        mean = mean_(a, axis=axis, keepdims=True, where=where)
    squares = abs_squared(subtract(a, astype(mean, aval_of(a).dtype)))
    total = sum(squares, axis=axis, keepdims=keepdims, where=where)
    if where is not None:  # the masked count less ddof; NaN where that is not positive
        count = subtract(_count_where(squares, axis, keepdims, where), ddof)
        out = where_(greater(count, 0), true_divide(total, count), np.nan)
        return out if dtype is None else astype(out, dtype)
    count = _count(aval_of(a).shape, axis) - ddof
    out = true_divide(total, float(count))
    if count <= 0:  # NaN as in JAX, whose derivative here is that of total / count (NaN at 0)
        out = where_(False, out, np.nan)
    return out if dtype is None else astype(out, dtype)


mean_ = mean  # (``var``'s parameter ``mean`` hides the function)


def _ddof(ddof, correction):
    """``correction``, the array API's name for ``ddof``; not both (JAX's ValueError)."""
    if correction is None:
        return ddof
    if ddof:
        raise ValueError("ddof and correction can't be provided simultaneously.")
    return correction


def _var_dtype(in_dtype, dtype):
    """The dtype ``var`` computes in: ``dtype`` if given, refusing a real one for complex input."""
    if dtype is None:
        return in_dtype
    if in_dtype.kind == "c" and np.dtype(dtype).kind != "c":
        raise ValueError(
            f"var/std of a complex array with the real dtype={np.dtype(dtype)} is not supported "
            "(jax.numpy.var refuses it too); pass a complex dtype or take mnp.abs first."
        )
    return np.dtype(dtype)


def abs_squared(x):
    """``|x|²``, real: ``x²`` for real ``x``, ``re(x)² + im(x)²`` for complex ``x``."""
    if aval_of(x).dtype.kind != "c":
        return square(x)
    return add(square(real(x)), square(imag(x)))


def std(
    a,
    axis=None,
    dtype=None,
    out=None,
    ddof=0,
    keepdims=False,
    *,
    where=None,
    mean=None,
    correction=None,
):
    """Standard deviation over ``axis``, as ``numpy.std``: ``sqrt(var(a))``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to compute in and return, as for ``var``.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      ddof: delta degrees of freedom: the variance's divisor is ``count - ddof``.
      correction: the array API's name for ``ddof`` (give one of them).
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      where: a bool mask broadcasting to ``a``: only its true entries count.
      mean: as for ``var``.

    Returns:
      The standard deviations, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.std([[1.0, 3.0], [2.0, 2.0]], axis=1))
      [1. 0.]
    """
    no_out("std", out)
    ddof = _ddof(ddof, correction)
    kw = {"axis": axis, "dtype": dtype, "ddof": ddof, "keepdims": keepdims, "where": where}
    return sqrt(var(a, mean=mean, **kw))


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

    Examples:
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
