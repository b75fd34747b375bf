"""Polynomials in ``mini_ad.numpy`` (coefficient arrays, highest power first, as
NumPy's ``poly*`` functions): evaluation, arithmetic, calculus, fitting, ``vander`` and
``roots``.

All but ``roots`` are compositions (Horner's rule, convolutions, least squares by the
normal equations), so differentiable in every argument. ``roots`` needs an eigensolver
for general matrices, which mini_ad lacks: it takes concrete values and has no
derivative.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._convolve import convolve
from mini_ad.numpy._core import (
    _operand,
    as_result,
    astype,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._division import power
from mini_ad.numpy._indexing import getitem
from mini_ad.numpy._linalg import dot
from mini_ad.numpy._math import add, multiply, negative, sqrt, subtract, true_divide
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import atleast_1d, concatenate, flip, reshape, transpose
from mini_ad.numpy._stacking import stack
from mini_ad.numpy.linalg import solve
from mini_ad.primitives import structural as st


def _coefficients(p):
    p = atleast_1d(_operand(p))
    if aval_of(p).ndim != 1:
        raise ValueError("polynomial coefficients must be 1-D")
    return p


def polyval(p, x, *, unroll=16):
    """``p[0] * x**(n-1) + ... + p[n-1]`` by Horner's rule.

    Args:
      p: coefficients, highest first.
      x: where to evaluate.
      unroll: accepted for NumPy compatibility (ignored).

    Returns:
      The values, of ``x``'s shape.

    Examples:
      >>> polyval([1.0, 0.0, -1.0], np.array([2.0, 3.0]))
      array([3., 8.])
    """
    p, x = promote_dtypes(_coefficients(p), x)
    n = aval_of(p).shape[0]
    y = multiply(x, np.zeros((), aval_of(x).dtype))
    for i in range(n):
        y = add(multiply(y, x), getitem(p, i))
    return y


def _pad_front(p, n):
    k = aval_of(p).shape[0]
    return st.pad(p, np.zeros((), aval_of(p).dtype), ((n - k, 0, 0),)) if k < n else p


def polyadd(a1, a2):
    """The sum of two polynomials.

    Args:
      a1, a2: coefficients, highest first.

    Returns:
      The sum's coefficients.

    Examples:
      >>> polyadd([1.0, 2.0], [1.0, 0.0, 0.0])
      array([1., 1., 2.])
    """
    a1, a2 = promote_dtypes(_coefficients(a1), _coefficients(a2))
    n = max(aval_of(a1).shape[0], aval_of(a2).shape[0])
    return add(_pad_front(a1, n), _pad_front(a2, n))


def polysub(a1, a2):
    """The difference of two polynomials.

    Args:
      a1, a2: coefficients, highest first.

    Returns:
      The coefficients of ``a1 - a2``.

    Examples:
      >>> polysub([1.0, 2.0], [1.0, 0.0, 0.0])
      array([-1.,  1.,  2.])
    """
    a1, a2 = promote_dtypes(_coefficients(a1), _coefficients(a2))
    n = max(aval_of(a1).shape[0], aval_of(a2).shape[0])
    return subtract(_pad_front(a1, n), _pad_front(a2, n))


def polymul(a1, a2, *, trim_leading_zeros=False):
    """The product of two polynomials (a convolution of the coefficients).

    Args:
      a1, a2: coefficients, highest first.
      trim_leading_zeros: accepted for NumPy compatibility (ignored).

    Returns:
      The product's coefficients.

    Examples:
      >>> polymul([1.0, 1.0], [1.0, -1.0])
      array([ 1.,  0., -1.])
    """
    a1, a2 = promote_dtypes(_coefficients(a1), _coefficients(a2))
    return convolve(a1, a2)


def polydiv(u, v, *, trim_leading_zeros=False):
    """Quotient and remainder of polynomial long division (the remainder keeps ``u``'s
    length, as JAX's without ``trim_leading_zeros``).

    Args:
      u, v: the dividend's and divisor's coefficients, highest first.
      trim_leading_zeros: accepted for NumPy compatibility (ignored).

    Returns:
      The quotient and the remainder.

    Examples:
      >>> q, r = polydiv([1.0, 0.0, -1.0], [1.0, 1.0])
      >>> q, r
      (array([ 1., -1.]), array([0., 0., 0.]))
    """
    u, v = promote_dtypes_inexact(_coefficients(u), _coefficients(v))
    m, n = aval_of(u).shape[0] - 1, aval_of(v).shape[0] - 1
    scale = true_divide(1.0, getitem(v, 0))
    remainder = [getitem(u, i) for i in range(m + 1)]
    v_terms = [getitem(v, i) for i in range(n + 1)]
    quotient = []
    for k in range(max(m - n + 1, 0)):
        d = multiply(scale, remainder[k])
        quotient.append(d)
        for j in range(n + 1):
            remainder[k + j] = subtract(remainder[k + j], multiply(d, v_terms[j]))
    if not quotient:
        quotient = [multiply(getitem(u, 0), 0.0)]
    return stack(quotient), stack(remainder)


def polyder(p, m=1):
    """The ``m``-th derivative of a polynomial.

    Args:
      p: coefficients, highest first.
      m: the order of the derivative.

    Returns:
      The derivative's coefficients.

    Examples:
      >>> polyder([1.0, 1.0, 1.0])
      array([2., 1.])
    """
    p = _coefficients(p)
    (p,) = promote_dtypes(p)
    for _ in range(int(m)):
        n = aval_of(p).shape[0]
        if n == 0:  # a constant's derivative is empty, as in NumPy and JAX
            break
        p = multiply(st.slice(p, (0,), (n - 1,)), np.arange(n - 1, 0, -1))  # NumPy: int64
    return as_result(p)


def polyint(p, m=1, k=None):
    """The ``m``-th antiderivative of a polynomial, with integration constants ``k``
    (zeros by default).

    Args:
      p: coefficients, highest first.
      m: the order of the antiderivative.
      k: the integration constants.

    Returns:
      The antiderivative's coefficients.

    Examples:
      >>> polyint([2.0, 2.0])
      array([1., 2., 0.])
    """
    (p,) = promote_dtypes_inexact(_coefficients(p))
    m = int(m)
    constants = np.zeros(m) if k is None else k
    constants = atleast_1d(_operand(constants))
    if aval_of(constants).shape[0] == 1 and m > 1:
        constants = reshape(constants, ()) * np.ones(m)
    for i in range(m):
        n = aval_of(p).shape[0]
        p = true_divide(p, np.arange(n, 0, -1))  # NumPy divides by int64: at least float64
        p = concatenate([p, reshape(getitem(constants, i), (1,))])
    return as_result(p)


def vander(x, N=None, increasing=False):  # noqa: N803 - NumPy's name
    """The Vandermonde matrix: columns ``x**(N-1), ..., x, 1`` (reversed if
    ``increasing``).

    >>> vander(np.array([2.0, 3.0]), 3)
    array([[4., 2., 1.],
           [9., 3., 1.]])
    """
    x = _operand(x)
    if aval_of(x).ndim != 1:
        raise ValueError("vander: x must be a one-dimensional array")
    n = aval_of(x).shape[0] if N is None else int(N)
    x = astype(x, np.promote_types(aval_of(x).dtype, np.int64))  # NumPy's dtype
    if n == 0:
        return np.zeros((aval_of(x).shape[0], 0), aval_of(x).dtype)
    columns = [power(x, k) for k in range(n)]
    out = stack(columns, axis=1)
    return as_result(out if increasing else flip(out, 1))


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit of degree ``deg`` (coefficients, highest first;
    ``y`` may have one column per fit).

    Args:
      x, y: the sample points and values.
      deg: the degree of the fit.
      rcond: accepted for NumPy compatibility (ignored).
      full, cov: unsupported (must be False).
      w: per-point weights.

    Returns:
      The coefficients, highest first.

    Examples:
      >>> np.round(polyfit(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]), 1), 12)
      array([2., 1.])
    """
    if full or cov:
        raise NotImplementedError("mini_ad.numpy.polyfit supports full=False, cov=False")
    x, y, _ = promote_dtypes(x, y, np.zeros((), np.float64))  # NumPy fits in float64
    lhs = vander(x, int(deg) + 1)
    rhs = y
    if w is not None:
        w = _operand(w)
        lhs = multiply(lhs, reshape(w, (-1, 1)))
        rhs = multiply(rhs, w) if aval_of(rhs).ndim == 1 else multiply(rhs, reshape(w, (-1, 1)))
    scale = sqrt(sum_(multiply(lhs, lhs), axis=0))
    lhs = true_divide(lhs, scale)
    coefficients = solve(dot(transpose(lhs), lhs), dot(transpose(lhs), rhs))
    if aval_of(coefficients).ndim == 2:
        return true_divide(coefficients, reshape(scale, (-1, 1)))
    return true_divide(coefficients, scale)


def roots(p, *, strip_zeros=True):
    """The roots of a polynomial (the eigenvalues of its companion matrix); the values
    must be concrete and the result has no derivative.

    Args:
      p: coefficients, highest first.
      strip_zeros: accepted for NumPy compatibility (ignored).

    Returns:
      A NumPy array of the roots.

    Examples:
      >>> roots(np.array([1.0, -3.0, 2.0]))
      array([2., 1.])
    """
    p = _coefficients(p)
    if isinstance(p, Tracer):
        p = p.to_concrete("roots")
    return np.roots(np.asarray(p))


def poly(seq_of_zeros):
    """The coefficients of the monic polynomial with the given roots (1-D), or of the
    characteristic polynomial of a square matrix (concrete values only).

    Args:
      seq_of_zeros: the roots (1-D) or a square matrix.

    Returns:
      The coefficients, highest first.

    Examples:
      >>> poly(np.array([1.0, 2.0]))
      array([ 1., -3.,  2.])
    """
    zeros = _operand(seq_of_zeros)
    if aval_of(zeros).ndim == 2:
        if isinstance(zeros, Tracer):
            zeros = zeros.to_concrete("poly of a matrix")
        return np.poly(np.asarray(zeros))
    (zeros,) = promote_dtypes_inexact(zeros, int_to=np.float64)
    out = np.ones((1,) if aval_of(zeros).shape[0] else (), aval_of(zeros).dtype)  # NumPy: 1.0
    for i in range(aval_of(zeros).shape[0]):
        root = reshape(negative(getitem(zeros, i)), (1,))
        factor = concatenate([np.ones((1,), aval_of(zeros).dtype), root])
        out = convolve(out, factor)
    return as_result(out)
