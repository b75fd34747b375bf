"""Comparisons and NaN handling in ``mini_ad.numpy``: ``isclose``, ``allclose``,
``array_equal``, ``array_equiv``, ``fmax``/``fmin``, ``nan_to_num`` and
``isposinf``/``isneginf``. (Complex parts live in ``_complex.py``.)
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy import _complex as cx
from mini_ad.numpy._core import (
    _operand,
    as_result,
    promote_and_broadcast,
    promote_dtypes,
)
from mini_ad.numpy._math import abs as abs_
from mini_ad.numpy._math import (
    add,
    equal,
    greater,
    isfinite,
    isinf,
    isnan,
    less,
    less_equal,
    logical_and,
    logical_or,
    multiply,
    subtract,
    where,
)
from mini_ad.numpy._reductions import all as all_


def fmax(x1, x2):
    """Elementwise maximum that ignores NaNs.

    Args:
      x1, x2: the arrays to compare (broadcast together).

    Returns:
      The elementwise maxima.

    Examples:
      >>> fmax(np.array([1.0, np.nan]), np.array([np.nan, 2.0]))
      array([1., 2.])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    return where(logical_or(greater(x1, x2), isnan(x2)), x1, x2)


def fmin(x1, x2):
    """Elementwise minimum that ignores NaNs.

    Args:
      x1, x2: the arrays to compare (broadcast together).

    Returns:
      The elementwise minima.

    Examples:
      >>> fmin(np.array([1.0, np.nan]), np.array([np.nan, 2.0]))
      array([1., 2.])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    return where(logical_or(less(x1, x2), isnan(x2)), x1, x2)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN replaced by ``nan``, infinities by ``posinf``/``neginf`` (the dtype's extremes
    by default); complex ``x`` has each part replaced on its own.

    Args:
      x: an array (non-float dtypes are returned as they are).
      copy: accepted for NumPy compatibility (ignored).
      nan: the value replacing NaNs.
      posinf, neginf: the values replacing +inf and -inf (None: the dtype's extremes).

    Returns:
      ``x`` with the replacements, in ``x``'s dtype.

    Examples:
      >>> nan_to_num(np.array([np.nan, np.inf, 1.0]))[[0, 2]]
      array([0., 1.])
    """
    (x,) = promote_dtypes(x)
    dtype = aval_of(x).dtype
    if dtype.kind not in "fc":
        return as_result(x)
    if dtype.kind == "c":  # the real and imaginary parts each on their own, as NumPy and JAX
        parts = [nan_to_num(p, copy, nan, posinf, neginf) for p in (cx.real(x), cx.imag(x))]
        return add(parts[0], multiply(parts[1], 1j))
    info = np.finfo(dtype)
    posinf = info.max if posinf is None else posinf
    neginf = info.min if neginf is None else neginf
    x = where(isnan(x), np.asarray(nan, dtype), x)
    x = where(isposinf(x), np.asarray(posinf, dtype), x)
    return where(isneginf(x), np.asarray(neginf, dtype), x)


def isposinf(x):
    """Whether ``x`` is +inf.

    >>> isposinf(np.array([np.inf, -np.inf]))
    array([ True, False])
    """
    return logical_and(isinf(x), greater(x, 0))


def isneginf(x):
    """Whether ``x`` is -inf.

    >>> isneginf(np.array([np.inf, -np.inf]))
    array([False,  True])
    """
    return logical_and(isinf(x), less(x, 0))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``|a - b| <= atol + rtol * |b|`` elementwise (infinities equal only to themselves).

    Args:
      a, b: the arrays to compare (broadcast together).
      rtol, atol: relative and absolute tolerances.
      equal_nan: whether NaNs in the same place count as close.

    Returns:
      A bool array.

    Examples:
      >>> isclose(np.array([1.0, 1.1]), 1.0)
      array([ True, False])
    """
    a, b = promote_and_broadcast(a, b, inexact=True)
    close = less_equal(abs_(subtract(a, b)), add(atol, multiply(rtol, abs_(b))))
    out = logical_or(logical_and(close, isfinite(b)), equal(a, b))
    if equal_nan:
        out = logical_or(out, logical_and(isnan(a), isnan(b)))
    return out


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether ``isclose`` holds everywhere.

    Args:
      a, b: the arrays to compare (broadcast together).
      rtol, atol: relative and absolute tolerances.
      equal_nan: whether NaNs in the same place count as equal.

    Returns:
      A scalar bool.

    Examples:
      >>> bool(allclose(np.ones(3), 1.0 + 1e-9))
      True
    """
    return all_(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1, a2, equal_nan=False):
    """Whether both have one shape and equal entries.

    Args:
      a1, a2: the arrays to compare.
      equal_nan: whether NaNs in the same place count as equal.

    Returns:
      A scalar bool.

    Examples:
      >>> bool(array_equal([1, 2], np.array([1, 2])))
      True
    """
    a1, a2 = _operand(a1), _operand(a2)
    if aval_of(a1).shape != aval_of(a2).shape:
        return np.asarray(False)
    same = equal(a1, a2)
    if equal_nan:
        same = logical_or(same, logical_and(isnan(a1), isnan(a2)))
    return all_(same)


def array_equiv(a1, a2):
    """Whether the arrays broadcast together and are equal everywhere.

    Args:
      a1, a2: the arrays to compare (broadcast together).

    Returns:
      A scalar bool.

    Examples:
      >>> bool(array_equiv(np.ones((2, 3)), np.ones(3)))
      True
    """
    a1, a2 = _operand(a1), _operand(a2)
    try:
        np.broadcast_shapes(aval_of(a1).shape, aval_of(a2).shape)
    except ValueError:
        return np.asarray(False)
    return all_(equal(a1, a2))
