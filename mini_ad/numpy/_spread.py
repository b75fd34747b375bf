"""Spread, weights and covariance of ``mini_ad.numpy``: ``ptp``, ``average``
(weights, ``returned``), ``count_nonzero``, ``cov``, ``corrcoef``, and the array API's
``cumulative_sum``/``cumulative_prod``, and ``nancumsum``/``nancumprod``. All compositions, differentiable as JAX's.
"""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conjugate, imag, real
from mini_ad.numpy._core import (
    _operand,
    as_result,
    astype,
    broadcast_to,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._extra import cumprod, diagonal
from mini_ad.numpy._linalg import dot
from mini_ad.numpy._math import add, clip, multiply, not_equal, sqrt, subtract, true_divide
from mini_ad.numpy._reductions import canonical_axes, no_out
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import atleast_2d, concatenate, moveaxis, reshape, transpose
from mini_ad.numpy._statistics import cumsum, mean
from mini_ad.numpy._stats import _nan_replaced


def _cumulative(fn, x, axis, dtype, include_initial, initial):
    x = _operand(x)
    ndim = aval_of(x).ndim
    if axis is None:
        if ndim > 1:
            raise ValueError("cumulative_sum/prod: axis is required for arrays of rank > 1")
        axis = 0
    out = fn(x, axis=axis, dtype=dtype)
    if include_initial:
        (axis,) = canonical_axes(axis, ndim)
        shape = list(aval_of(out).shape)
        shape[axis] = 1
        first = broadcast_to(np.asarray(initial, aval_of(out).dtype), tuple(shape))
        out = concatenate([first, out], axis)
    return out


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """The array API's running sum (``axis`` required beyond 1-D; optionally starting at 0).

    Args:
      x: an array.
      axis: the axis (required beyond 1-D).
      dtype: the accumulation dtype.
      include_initial: start with a 0.

    Returns:
      The running sums.

    Examples:
      >>> cumulative_sum(np.array([1, 2, 3]), include_initial=True)
      array([0, 1, 3, 6])
    """
    return _cumulative(cumsum, x, axis, dtype, include_initial, 0)


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """The array API's running product.

    Args:
      x: an array.
      axis: the axis (required beyond 1-D).
      dtype: the accumulation dtype.
      include_initial: start with a 1.

    Returns:
      The running products.

    Examples:
      >>> cumulative_prod(np.array([1, 2, 3]))
      array([1, 2, 6])
    """
    return _cumulative(cumprod, x, axis, dtype, include_initial, 1)


# --- spread, weights, covariance ------------------------------------------------------------------


def ptp(a, axis=None, out=None, keepdims=False):
    """Peak to peak: ``max - min`` along ``axis``.

    Args:
      a: an array.
      axis: the axis or axes (None: all).
      out: refused (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes as size 1.

    Returns:
      ``max - min``.

    Examples:
      >>> ptp(np.array([[1.0, 4.0], [2.0, 0.0]]), axis=1)
      array([3., 2.])
    """
    no_out("ptp", out)
    return subtract(max_(a, axis=axis, keepdims=keepdims), min_(a, axis=axis, keepdims=keepdims))


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    """Weighted mean along ``axis``; ``returned`` also gives the sum of weights.

    Args:
      a: an array.
      axis: the axis or axes (None: all).
      weights: per-entry weights.
      returned: also return the sum of weights.
      keepdims: keep the reduced axes as size 1.

    Returns:
      The average (and the sum of weights if ``returned``).

    Examples:
      >>> average(np.array([1.0, 3.0]), weights=np.array([3.0, 1.0]))
      array(1.5)
    """
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        if not returned:
            return avg
        count = aval_of(a).size // builtins.max(aval_of(avg).size, 1)
        return avg, broadcast_to(np.asarray(count, aval_of(avg).dtype), aval_of(avg).shape)
    weights = _operand(weights)
    if aval_of(weights).shape != aval_of(a).shape:
        if axis is None or aval_of(weights).ndim != 1:
            raise ValueError("average: weights must have a's shape, or be 1-D along axis")
        (ax,) = canonical_axes(axis, aval_of(a).ndim)
        weights = moveaxis(broadcast_to(weights, aval_of(moveaxis(a, ax, -1)).shape), -1, ax)
    total = sum_(weights, axis=axis, keepdims=keepdims)
    avg = true_divide(sum_(multiply(a, weights), axis=axis, keepdims=keepdims), total)
    if not returned:
        return avg
    return avg, broadcast_to(astype(total, aval_of(avg).dtype), aval_of(avg).shape)


def count_nonzero(a, axis=None, keepdims=False):
    """The number of nonzero entries along ``axis`` (int64).

    Args:
      a: an array.
      axis: the axis or axes (None: all).
      keepdims: keep the reduced axes as size 1.

    Returns:
      int64 counts.

    Examples:
      >>> count_nonzero(np.array([[0, 1], [2, 3]]), axis=0)
      array([1, 2])
    """
    a = _operand(a)
    return sum_(not_equal(a, 0), axis=axis, dtype=np.int64, keepdims=keepdims)


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    """Covariance matrix of the variables (rows, or columns if ``rowvar=False``).

    Args:
      m: variables (rows) by observations.
      y: more variables, appended to ``m``.
      rowvar: whether rows are variables (else columns).
      bias: normalize by N (else N - 1).
      ddof: overrides the normalization to N - ddof.
      fweights, aweights: integer frequency and observation weights.

    Returns:
      The covariance matrix.

    Examples:
      >>> cov(np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
      array([[ 1., -1.],
             [-1.,  1.]])
    """
    x = atleast_2d(promote_dtypes(m, np.zeros((), np.float64))[0])  # NumPy: at least float64
    if not rowvar and aval_of(x).shape[0] != 1:
        x = transpose(x)
    if y is not None:
        y = atleast_2d(promote_dtypes(y, np.zeros((), np.float64))[0])
        if not rowvar and aval_of(y).shape[0] != 1:
            y = transpose(y)
        x = concatenate(promote_dtypes(x, y), 0)
    ddof = (0 if bias else 1) if ddof is None else ddof
    w = None
    for extra in (fweights, aweights):
        if extra is not None:
            extra = astype(_operand(extra), aval_of(x).dtype)
            w = extra if w is None else multiply(w, extra)
    if w is None:
        n = aval_of(x).shape[1]
        centered = subtract(x, mean(x, axis=1, keepdims=True))
        products = dot(centered, transpose(conjugate(centered)))  # Hermitian for complex x
        return squeeze_scalar(true_divide(products, float(n - ddof)))
    w_sum = sum_(w)
    avg = true_divide(sum_(multiply(x, w), axis=1, keepdims=True), w_sum)
    if aweights is None:
        fact = subtract(w_sum, ddof)
    else:
        aw = astype(_operand(aweights), aval_of(x).dtype)
        fact = subtract(w_sum, true_divide(multiply(ddof, sum_(multiply(w, aw))), w_sum))
    centered = subtract(x, avg)
    # sum_k w_k (x_ik - avg_i) conj(x_jk - avg_j), as NumPy and JAX (Hermitian for complex)
    products = dot(multiply(centered, w), transpose(conjugate(centered)))
    return squeeze_scalar(true_divide(products, fact))


def squeeze_scalar(c):
    """NumPy's ``cov`` of one variable is a 0-d array."""
    return reshape(c, ()) if aval_of(c).shape == (1, 1) else c


def corrcoef(x, y=None, rowvar=True):
    """Pearson correlation coefficients (``cov`` normalized, clipped to [-1, 1]; for
    complex input the real and imaginary parts are clipped).

    Args:
      x: variables (rows) by observations.
      y: more variables, appended to ``x``.
      rowvar: whether rows are variables (else columns).

    Returns:
      The correlation matrix.

    Examples:
      >>> corrcoef(np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
      array([[ 1., -1.],
             [-1.,  1.]])
    """
    c = cov(x, y, rowvar)
    if aval_of(c).ndim == 0:
        return true_divide(c, c)
    d = astype(sqrt(real(diagonal(c))), aval_of(c).dtype)
    c = true_divide(true_divide(c, reshape(d, (-1, 1))), reshape(d, (1, -1)))
    if aval_of(c).dtype.kind != "c":
        return as_result(clip(c, -1.0, 1.0))
    # complex: the real and imaginary parts are clipped separately, as in NumPy and JAX
    return add(clip(real(c), -1.0, 1.0), multiply(clip(imag(c), -1.0, 1.0), 1j))


def nancumsum(a, axis=None, dtype=None, out=None):
    """Running sum treating NaNs as zero.

    Args:
      a: an array. axis: the axis (None: flattened). dtype: the result's dtype.
      out: refused (JAX's ``NotImplementedError``).

    >>> nancumsum(np.array([1.0, np.nan, 2.0]))
    array([1., 1., 3.])
    """
    no_out("nancumsum", out)
    return cumsum(_nan_replaced(a, 0), axis=axis, dtype=dtype)


def nancumprod(a, axis=None, dtype=None, out=None):
    """Running product treating NaNs as one.

    Args:
      a: an array. axis: the axis (None: flattened). dtype: the result's dtype.
      out: refused (JAX's ``NotImplementedError``).

    >>> nancumprod(np.array([2.0, np.nan, 3.0]))
    array([2., 2., 6.])
    """
    no_out("nancumprod", out)
    return cumprod(_nan_replaced(a, 1), axis=axis, dtype=dtype)
