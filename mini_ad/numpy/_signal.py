"""Signals and sampled functions in ``mini_ad.numpy``: ``interp``, ``trapezoid``,
``gradient``, ``ediff1d``, ``unwrap`` and the windows (``bartlett``, ``blackman``,
``hamming``, ``hanning``, ``kaiser``). ``convolve`` and ``correlate`` are in
``_convolve.py``, on the convolution primitive.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, astype, promote_dtypes, promote_dtypes_inexact
from mini_ad.numpy._division import remainder
from mini_ad.numpy._extra import argsort, diff, take
from mini_ad.numpy._histogram import searchsorted
from mini_ad.numpy._math import (
    abs as abs_,
)
from mini_ad.numpy._math import (
    add,
    equal,
    greater,
    less,
    logical_and,
    multiply,
    subtract,
    true_divide,
    where,
)
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import concatenate, moveaxis, ravel, reshape
from mini_ad.numpy._statistics import cumsum
from mini_ad.numpy._ufuncs import i0
from mini_ad.primitives import structural as st


def interp(x, xp, fp, left=None, right=None, period=None):
    """Piecewise-linear interpolation of ``(xp, fp)`` (``xp`` increasing) at ``x``;
    ``left``/``right`` outside (``fp``'s ends by default), or periodic.

    Args:
      x: where to interpolate.
      xp, fp: the sample points (increasing) and values.
      left, right: the values below and above ``xp``'s range.
      period: the period of periodic ``xp`` (None: not periodic).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> interp(np.array([0.5, 1.5, 3.0]), np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0]))
      array([1. , 2.5, 3. ])
    """
    x, xp, fp = promote_dtypes_inexact(x, xp, fp, int_to=np.float64)
    if period is not None:
        period = abs_(period)
        x = remainder(x, period)
        xp = remainder(xp, period)
        order = argsort(xp)
        xp, fp = take(xp, order), take(fp, order)
        n = aval_of(xp).shape[0]
        xp = concatenate([subtract(st.slice(xp, (n - 1,), (n,)), period), xp,
                          add(st.slice(xp, (0,), (1,)), period)])  # fmt: skip
        fp = concatenate([st.slice(fp, (n - 1,), (n,)), fp, st.slice(fp, (0,), (1,))])
    n = aval_of(xp).shape[0]
    i = searchsorted(xp, x, side="right")
    i = where(less(i, 1), 1, where(greater(i, n - 1), n - 1, i))
    x0, x1 = take(xp, subtract(i, 1)), take(xp, i)
    f0, f1 = take(fp, subtract(i, 1)), take(fp, i)
    dx = subtract(x1, x0)
    safe_dx = where(equal(dx, 0), 1.0, dx)
    out = add(f0, multiply(true_divide(subtract(x, x0), safe_dx), subtract(f1, f0)))
    out = where(equal(dx, 0), f0, out)
    if period is None:
        first, last = st.slice(xp, (0,), (1,)), st.slice(xp, (n - 1,), (n,))
        f_first = reshape(st.slice(fp, (0,), (1,)), ())
        f_last = reshape(st.slice(fp, (n - 1,), (n,)), ())
        out = where(equal(x, reshape(last, ())), f_last, out)
        out = where(less(x, reshape(first, ())), f_first if left is None else left, out)
        out = where(greater(x, reshape(last, ())), f_last if right is None else right, out)
    return out


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """The integral of samples ``y`` along ``axis`` by the trapezoidal rule (spacing
    ``x`` coordinates or the constant ``dx``).

    >>> trapezoid(np.array([1.0, 2.0, 3.0]))
    array(4.)
    """
    (y,) = promote_dtypes_inexact(y, int_to=np.float64)
    y = moveaxis(y, axis, -1)
    n = aval_of(y).shape[-1]
    if x is None:
        widths = dx
    else:
        x = _operand(x)
        widths = diff(x) if aval_of(x).ndim == 1 else diff(moveaxis(x, axis, -1), axis=-1)
    lead = [0] * (aval_of(y).ndim - 1)
    head = st.slice(y, lead + [0], list(aval_of(y).shape[:-1]) + [max(n - 1, 0)])
    tail = st.slice(y, lead + [min(1, n)], list(aval_of(y).shape))
    return sum_(multiply(widths, multiply(add(head, tail), 0.5)), axis=-1)


def _along(f, axis, lo, hi):
    shape = aval_of(f).shape
    starts, limits = [0] * len(shape), list(shape)
    starts[axis], limits[axis] = lo, hi
    return st.slice(f, starts, limits)


def _gradient_1d(f, h, axis, edge_order):
    """Second-order central differences inside, one-sided at the ends; ``h`` is the
    vector of spacings (length n - 1) or a scalar."""
    n = aval_of(f).shape[axis]
    if n < edge_order + 1:
        raise ValueError("gradient: each axis needs at least edge_order + 1 samples")
    shape = [1] * aval_of(f).ndim
    shape[axis] = -1
    if np.ndim(h) == 0 and not hasattr(h, "aval"):
        h = np.full(n - 1, h, aval_of(f).dtype)
    h = reshape(h, tuple(shape))
    h1, h2 = _along(h, axis, 0, n - 2), _along(h, axis, 1, n - 1)
    f0, f1, f2 = _along(f, axis, 0, n - 2), _along(f, axis, 1, n - 1), _along(f, axis, 2, n)
    a = true_divide(-h2, multiply(h1, add(h1, h2)))
    b = true_divide(subtract(h2, h1), multiply(h1, h2))
    c = true_divide(h1, multiply(h2, add(h1, h2)))
    inner = add(add(multiply(a, f0), multiply(b, f1)), multiply(c, f2))
    g0, g1, gl = _along(f, axis, 0, 1), _along(f, axis, 1, 2), _along(f, axis, n - 1, n)
    gl1 = _along(f, axis, n - 2, n - 1)
    d0, dl = _along(h, axis, 0, 1), _along(h, axis, n - 2, n - 1)
    if edge_order == 1:
        first = true_divide(subtract(g1, g0), d0)
        last = true_divide(subtract(gl, gl1), dl)
    else:
        g2, gl2 = _along(f, axis, 2, 3), _along(f, axis, n - 3, n - 2)
        e1, e2 = d0, _along(h, axis, 1, 2)
        first = add(add(multiply(true_divide(-(2.0 * e1 + e2), multiply(e1, add(e1, e2))), g0),
                        multiply(true_divide(add(e1, e2), multiply(e1, e2)), g1)),
                    multiply(true_divide(-e1, multiply(e2, add(e1, e2))), g2))  # fmt: skip
        e1, e2 = _along(h, axis, n - 3, n - 2), dl
        last = add(add(multiply(true_divide(e2, multiply(e1, add(e1, e2))), gl2),
                       multiply(true_divide(-(e1 + e2), multiply(e1, e2)), gl1)),
                   multiply(true_divide(2.0 * e2 + e1, multiply(e2, add(e1, e2))), gl))  # fmt: skip
    return concatenate([first, inner, last], axis)


def gradient(f, *varargs, axis=None, edge_order=1):
    """The gradient of sampled ``f``: central differences inside, one-sided differences
    of order ``edge_order`` (1 or 2) at the ends; spacings are scalars or coordinates.

    Args:
      f: the samples.
      varargs: spacings (scalars or coordinates), one per axis.
      axis: the axis or axes (None: all).
      edge_order: 1 or 2.

    Returns:
      One array per axis (just the array for one axis).

    Examples:
      >>> gradient(np.array([1.0, 4.0, 9.0, 16.0]))
      array([3., 4., 6., 7.])
    """
    (f,) = promote_dtypes_inexact(f, int_to=np.float64)
    ndim = aval_of(f).ndim
    if axis is None:
        axes = tuple(range(ndim))
    else:  # in the order given: one gradient per axis, as NumPy returns them
        canonical_axes(axis, ndim)  # (bounds and repeats checked)
        given = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
        axes = tuple(int(a) % ndim for a in given)
    spacings = list(varargs) if varargs else [1.0]
    if len(spacings) == 1:
        spacings = spacings * len(axes)
    if edge_order not in (1, 2):
        raise ValueError("gradient: edge_order must be 1 or 2")
    out = []
    for ax, h in zip(axes, spacings, strict=True):
        if np.ndim(h) == 1 or (hasattr(h, "aval") and aval_of(h).ndim == 1):
            h = diff(promote_dtypes(h, f)[0])
        out.append(_gradient_1d(f, h, ax, edge_order))
    return out[0] if len(out) == 1 else out


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences of consecutive entries of ``ravel(ary)``, with optional values
    before and after.

    Args:
      ary: an array (flattened).
      to_end: values appended after the differences.
      to_begin: values prepended.

    Returns:
      A 1-D array.

    Examples:
      >>> ediff1d(np.array([1.0, 4.0, 9.0]), to_begin=0.0)
      array([0., 3., 5.])
    """
    parts = [diff(ravel(_operand(ary)))]
    dtype = aval_of(parts[0]).dtype
    if to_begin is not None:  # NumPy casts the extra values to ary's dtype
        parts.insert(0, astype(ravel(_operand(to_begin)), dtype))
    if to_end is not None:
        parts.append(astype(ravel(_operand(to_end)), dtype))
    return concatenate(parts) if len(parts) > 1 else parts[0]


def unwrap(p, discont=None, axis=-1, period=2 * np.pi):
    """``p`` with jumps larger than ``discont`` (``period / 2`` by default) along
    ``axis`` replaced by their complement modulo ``period``.

    >>> np.round(unwrap(np.array([0.0, 6.0, 12.0])), 6)
    array([ 0.      , -0.283185, -0.566371])
    """
    (p,) = promote_dtypes_inexact(p, int_to=np.float64)
    (axis,) = canonical_axes(axis, aval_of(p).ndim)
    discont = period / 2 if discont is None else max(discont, period / 2)
    dd = diff(p, axis=axis)
    high = period / 2
    ddmod = add(remainder(add(dd, high), period), -high)
    ddmod = where(logical_and(equal(ddmod, -high), greater(dd, 0)), high, ddmod)
    correction = where(less(abs_(dd), discont), 0.0, subtract(ddmod, dd))
    n = aval_of(p).shape[axis]
    head = _along(p, axis, 0, 1)
    tail = add(_along(p, axis, 1, n), cumsum(correction, axis=axis))
    return concatenate([head, tail], axis)


def _window(m, formula):
    m = int(m)
    if m < 1:
        return np.zeros((0,), np.float64)
    if m == 1:
        return np.ones((1,), np.float64)
    return formula(m)


def bartlett(M):  # noqa: N803 - NumPy's name
    """The triangular (Bartlett) window of ``M`` points.

    >>> bartlett(5)
    array([0. , 0.5, 1. , 0.5, 0. ])
    """
    return _window(M, lambda m: 1 - np.abs(np.arange(1 - m, m, 2)) / (m - 1))


def hanning(M):  # noqa: N803
    """The Hann window of ``M`` points.

    >>> hanning(3)
    array([0., 1., 0.])
    """
    return _window(M, lambda m: 0.5 + 0.5 * np.cos(np.pi * np.arange(1 - m, m, 2) / (m - 1)))


def hamming(M):  # noqa: N803
    """The Hamming window of ``M`` points.

    >>> hamming(3)
    array([0.08, 1.  , 0.08])
    """
    return _window(M, lambda m: 0.54 + 0.46 * np.cos(np.pi * np.arange(1 - m, m, 2) / (m - 1)))


def blackman(M):  # noqa: N803
    """The Blackman window of ``M`` points.

    >>> np.round(blackman(3), 12)
    array([-0.,  1., -0.])
    """

    def formula(m):
        n = np.arange(1 - m, m, 2)
        return 0.42 + 0.5 * np.cos(np.pi * n / (m - 1)) + 0.08 * np.cos(2.0 * np.pi * n / (m - 1))

    return _window(M, formula)


def kaiser(M, beta):  # noqa: N803
    """The Kaiser window of ``M`` points with shape ``beta`` (differentiable in
    ``beta``).

    >>> np.round(kaiser(3, 0.0), 12)
    array([1., 1., 1.])
    """
    m = int(M)
    if m < 1:
        return np.zeros((0,), np.float64)
    if m == 1:
        return np.ones((1,), np.float64)
    (beta,) = promote_dtypes_inexact(beta, int_to=np.float64)
    n = np.arange(0, m)
    alpha = (m - 1) / 2.0
    ratio = (n - alpha) / alpha
    return true_divide(i0(multiply(beta, np.sqrt(1 - ratio * ratio))), i0(beta))
