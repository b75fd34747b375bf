"""Owen's T function as a primitive: ``owens_t(h, a) = 1/(2π) ∫₀^a e^(−h²(1+x²)/2) / (1+x²) dx``,
with its float64 NumPy impl and its derivatives in both operands. The lowering is
``jax.scipy.special.owens_t``.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.primitives.elementwise import add, div, exp, mul, neg, square
from mini_ad.primitives.helpers import binop, const, defjvp
from mini_ad.primitives.special import _in_float64, _real_only, erf
from mini_ad.primitives.special_impls import _erfc_impl

# Gauss–Legendre on [0, 1]: 64 nodes integrate the smooth integrand e^(−h²x²/2)/(1+x²)
# (poles at ±i, a Gaussian spanning at most 9 standard deviations) to rounding error
_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_NODES, _WEIGHTS = (_NODES + 1) / 2, _WEIGHTS / 2
_SPAN = 9.0  # e^(−h²x²/2) < e^−40 beyond x = 9/h: the integral stops there


def _upper_tail(x):
    """Q(x) = 1 − Φ(x) = erfc(x/√2)/2."""
    return 0.5 * _erfc_impl(x / math.sqrt(2))


def _t_small_a(h, a):
    """T(h, a) for h >= 0, 0 <= a <= 1: e^(−h²/2)/(2π) ∫₀^b e^(−h²x²/2)/(1+x²) dx with
    b = min(a, 9/h), by Gauss–Legendre."""
    b = np.minimum(a, _SPAN / np.maximum(h, 1e-300))
    total = np.zeros_like(h)
    for node, weight in zip(_NODES, _WEIGHTS, strict=True):
        x = b * node
        total = total + weight * np.exp(-0.5 * h * h * x * x) / (1 + x * x)
    return np.exp(-0.5 * h * h) * b * total / (2 * np.pi)


def _owens_t_impl(h, a):
    """For a > 1, Owen's (1956) identity T(h, a) = (Q(h) + Q(ah))/2 − Q(h) Q(ah)
    − T(ah, 1/a) (h >= 0, in the upper tails Q so nothing cancels); T is even in h and
    odd in a; T(h, ±inf) = ±Q(|h|)/2."""
    h, a = np.broadcast_arrays(np.asarray(h, np.float64), np.asarray(a, np.float64))
    ah_, aa = np.abs(h), np.abs(a)
    finite = np.isfinite(aa)
    small = aa <= 1
    hs = np.where(np.isfinite(ah_), ah_, 0.0)
    inner = _t_small_a(hs, np.where(small, aa, 1.0))
    big_a = np.where(small | ~finite, 2.0, aa)
    qh, qah = _upper_tail(hs), _upper_tail(big_a * hs)
    outer = 0.5 * (qh + qah) - qh * qah - _t_small_a(big_a * hs, 1 / big_a)
    value = np.where(small, inner, np.where(finite, outer, 0.5 * qh))
    value = np.where(np.isinf(h), 0.0, np.where(np.isnan(h) | np.isnan(a), np.nan, value))
    return np.copysign(value, a)


owens_t_p = _real_only(binop("owens_t", _in_float64(_owens_t_impl)))
owens_t_p.lowering = lambda lx, h, a: lx.jax.scipy.special.owens_t(h, a)


def owens_t(h, a):
    """Owen's T function ``T(h, a) = 1/(2π) ∫₀^a e^(−h²(1+x²)/2) / (1+x²) dx``.

    Derivatives: ``∂T/∂h = −φ(h) erf(ah/√2) / 2`` and
    ``∂T/∂a = e^(−h²(1+a²)/2) / (2π(1+a²))``.

    Args:
      h: a real floating array or tracer.
      a: a real floating array or tracer of ``h``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.owens_t import owens_t
      >>> print(owens_t(np.array([0.0, 0.0]), np.array([1.0, np.inf])))  # 1/8, 1/4
      [0.125 0.25 ]
    """
    return owens_t_p.bind(h, a)


def _dh(t, ans, h, a):
    # ∂T/∂h = −φ(h) erf(ah/√2)/2, φ(h) = e^(−h²/2)/√(2π)
    phi = mul(const(h, 1 / math.sqrt(2 * math.pi)), exp(mul(const(h, -0.5), square(h))))
    return mul(t, mul(const(h, -0.5), mul(phi, erf(mul(const(h, 1 / math.sqrt(2)), mul(a, h))))))


def _da(t, ans, h, a):
    # ∂T/∂a = e^(−h²(1+a²)/2) / (2π(1+a²))
    one_plus = add(const(a, 1), square(a))
    decay = exp(neg(mul(const(h, 0.5), mul(square(h), one_plus))))
    return mul(t, div(decay, mul(const(a, 2 * math.pi), one_plus)))


defjvp(owens_t_p, _dh, _da)
