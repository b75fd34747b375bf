"""Float64-accurate NumPy implementations of the special functions behind the cards of
special.py: erf, erfc, erfinv, lgamma, digamma, polygamma (no SciPy needed)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np


def _bernoulli(n: int) -> list[Fraction]:
    """B_0 .. B_n from the recurrence sum_{j=0}^{m} C(m+1, j) B_j = 0 (so B_1 = -1/2)."""
    b = [Fraction(1)]
    for m in range(1, n + 1):
        b.append(-sum(math.comb(m + 1, j) * b[j] for j in range(m)) / (m + 1))
    return b


_B = _bernoulli(40)


def _zeta_minus_one(k: int, n: int = 10, terms: int = 12) -> Fraction:
    """ζ(k) - 1 = sum_{j>=2} j^-k: the first terms directly, the tail from n on by
    Euler–Maclaurin, sum_{j>=n} j^-k = n^(1-k)/(k-1) + n^-k/2
    + sum_i B_2i/(2i)! k(k+1)...(k+2i-2) n^(-k-2i+1) (error below 1e-20)."""
    total = sum(Fraction(1, j**k) for j in range(2, n))
    total += Fraction(1, (k - 1) * n ** (k - 1)) + Fraction(1, 2 * n**k)
    rising = k  # k (k+1) ... (k+2i-2)
    for i in range(1, terms + 1):
        total += _B[2 * i] * rising / (math.factorial(2 * i) * n ** (k + 2 * i - 1))
        rising *= (k + 2 * i - 1) * (k + 2 * i)
    return total


_EULER_GAMMA = 0.57721566490153286061  # γ = -ψ(1)


_LOG_PI = math.log(math.pi)


_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


# Maclaurin series erf(x) = 2/√π sum_n (-1)^n x^(2n+1) / (n! (2n+1)), for |x| < 0.6
_ERF_SERIES = [(-1) ** n / (math.factorial(n) * (2 * n + 1)) for n in range(15)]


# For x >= 0.6, the trapezoidal rule with step h on the even integrand of
#   erfc(x) = (2x/π) e^(-x²) ∫_0^∞ e^(-t²) / (t² + x²) dt
# plus the residue of the poles at t = ±ix while they lie within the strip |Im t| < π/h:
#   erfc(x) = (2hx/π) e^(-x²) [1/(2x²) + sum_{n>=1} e^(-n²h²) / (n²h² + x²)]
#             - 2 / (e^(2πx/h) - 1) [x < π/h]
# (Chiarella & Reichel 1968; Hunter & Regan 1972). The rule's error is about e^(-π²/h²)
# relative (7e-22 at h = 0.45) and the terms are negligible after n h > 6.9.
_ERFC_H = 0.45


_ERFC_NODES = (_ERFC_H * np.arange(1, 17)) ** 2


_ERFC_WEIGHTS = np.exp(-_ERFC_NODES)


def _exp_minus_square(x):
    """e^(-x²) to full precision for large x: x = a + b with a = x rounded down to 1/16, so
    a² is exact and x² = a² + b (x + a) carries no rounding error into the exponent."""
    a = np.floor(x * 16) / 16
    return np.exp(-a * a) * np.exp(-(x - a) * (x + a))


def _erf_small(x):
    x2 = x * x
    total = np.zeros_like(x)
    for c in reversed(_ERF_SERIES):
        total = total * x2 + c
    return _TWO_OVER_SQRT_PI * x * total


def _erfc_large(x):
    """erfc(x) for x >= 0.6 (any x > 0 works; beyond 27.3 it underflows to 0)."""
    x = np.minimum(x, 27.5)
    x2 = x * x
    total = 0.5 / x2
    for node, weight in zip(_ERFC_NODES, _ERFC_WEIGHTS, strict=True):
        total = total + weight / (node + x2)
    poles = np.where(x < np.pi / _ERFC_H, 2 / np.expm1(2 * np.pi / _ERFC_H * x), 0.0)
    return (2 * _ERFC_H / np.pi) * x * _exp_minus_square(x) * total - poles


def _erf_impl(x):
    ax = np.abs(x)
    small = ax < 0.6
    return np.where(
        small,
        _erf_small(np.where(small, x, 0.0)),
        np.sign(x) * (1 - _erfc_large(np.maximum(ax, 0.6))),
    )


def _erfc_impl(x):
    small = np.abs(x) < 0.6
    large = _erfc_large(np.maximum(np.abs(x), 0.6))
    return np.where(
        small, 1 - _erf_small(np.where(small, x, 0.0)), np.where(x > 0, large, 2 - large)
    )


def _erf_inv_impl(y):
    """Solve erf(x) = |y| by Halley's method: with u = (erf(x) - |y|) / erf'(x) and
    erf'' = -2x erf', the step is x -= u / (1 + x u). For |y| > 1/2 the residual is
    written q - erfc(x) with q = 1 - |y| (exact), so it keeps its precision near 1.
    Starting points: the Maclaurin series of erfinv for |y| <= 1/2, Winitzki's (2008)
    closed form sqrt(sqrt((2/(πa) + L/2)² - L/a) - (2/(πa) + L/2)), L = log(1 - y²),
    a = 0.147, above; three cubically convergent steps reach full precision."""
    a = np.abs(y)
    small = a <= 0.5
    q = np.where(small, 0.5, 1 - a)
    series = (
        (math.sqrt(math.pi) / 2) * a * (1 + a * a * (math.pi / 12 + a * a * 7 * math.pi**2 / 480))
    )
    log_1my2 = np.log(q) + np.log(2 - q)
    c = 2 / (math.pi * 0.147) + log_1my2 / 2
    closed_form = np.sqrt(np.sqrt(c * c - log_1my2 / 0.147) - c)
    x = np.where(small, series, closed_form)
    for _ in range(3):  # x stays near [0, 0.48] where small, above 0.47 elsewhere
        residual = np.where(small, _erf_small(x) - a, q - _erfc_large(np.maximum(x, 0.1)))
        u = residual * (math.sqrt(math.pi) / 2) * np.exp(x * x)
        x = x - u / (1 + x * u)
    x = np.where(a == 1, np.inf, np.where(a > 1, np.nan, x))
    return np.copysign(x, y)


# lgamma(2 + z) = (1 - γ) z + sum_{k>=2} (-1)^k (ζ(k) - 1) / k z^k  (radius 2; |z| <= 1/2 here)
_LGAMMA2_SERIES = [0.0, 1 - _EULER_GAMMA] + [
    float((-1) ** k * _zeta_minus_one(k) / k) for k in range(2, 30)
]


# Stirling: lgamma(x) = (x - 1/2) log x - x + log(2π)/2 + sum_k B_2k / (2k (2k-1) x^(2k-1))
_STIRLING = [float(_B[2 * k] / (2 * k * (2 * k - 1))) for k in range(1, 11)]


def _polyval(coefficients, z):
    total = np.zeros_like(z)
    for c in reversed(coefficients):
        total = total * z + c
    return total


def _lgamma_positive(x):
    """lgamma(x) for x > 0: Stirling's series from 8 on; below, the series about 2 after
    the recurrence lgamma(x) = lgamma(x + 1) - log x moves x into [3/2, 5/2)."""
    big = x >= 8
    xb = np.where(big, x, 8.0)
    w = 1 / (xb * xb)
    stirling = (xb - 0.5) * np.log(xb) - xb + _HALF_LOG_2PI + _polyval(_STIRLING, w) / xb
    stirling = np.where(np.isinf(x), np.inf, stirling)
    xs = np.where(big, 2.0, x)
    down = np.clip(np.floor(xs - 1.5), 0, 6)  # lgamma(x) = lgamma(x - n) + log prod (x - k)
    product = np.ones_like(xs)
    for k in range(1, 7):
        product = product * np.where(k <= down, xs - k, 1.0)
    z = np.where(xs < 0.5, xs, np.where(xs < 1.5, xs - 1, xs - down - 2))
    near = _polyval(_LGAMMA2_SERIES, z)
    near = near + np.where(
        xs < 0.5, -np.log(xs) - np.log1p(xs), np.where(xs < 1.5, -np.log(xs), np.log(product))
    )
    return np.where(big, stirling, near)


def _sin_pi(x):
    """sin(πx) with the argument reduced exactly first: x - round(x) in [-1/2, 1/2]."""
    n = np.round(x)
    return np.where(np.remainder(n, 2) == 0, 1.0, -1.0) * np.sin(np.pi * (x - n))


def _lgamma_impl(x):
    """For x <= 0, reflection: lgamma(x) = log π - log|sin πx| - lgamma(1 - x)."""
    positive = x > 0
    values = _lgamma_positive(np.where(positive, x, 1 - x))
    reflected = _LOG_PI - np.log(np.abs(_sin_pi(x))) - values
    return np.where(positive, values, np.where(np.isneginf(x), np.inf, reflected))


# ψ(x) = log x - 1/(2x) - sum_k B_2k / (2k x^2k)   for x >= 10
_DIGAMMA_ASYMPTOTIC = [0.0] + [float(_B[2 * k] / (2 * k)) for k in range(1, 11)]


_FACTORIALS = np.array([float(math.factorial(m)) for m in range(171)] + [np.inf])


def _hurwitz_zeta(s, x, scale=1.0):
    """``scale`` ζ(s, x), where ζ(s, x) = sum_{k>=0} (x + k)^-s, for integer s >= 2 and
    x >= -1/2 off the poles:
    the first n terms directly (all of one sign for even s), the tail at y = x + n >= s + 10
    by Euler–Maclaurin, ζ(s, y) = y^(1-s)/(s-1) + y^-s/2 + sum_j B_2j/(2j)! (s)_(2j-1)
    y^(1-s-2j), where (s)_i is the rising factorial. ``scale`` (m! for polygamma) goes
    between two halves of y^(1-s) so that a normal result has no subnormal intermediate."""
    shift = np.maximum(np.ceil(s + 10 - x), 0)
    head = np.zeros_like(x * s)
    for k in range(int(np.max(shift, initial=0))):
        head = head + np.where(k < shift, np.power(x + k, -s), 0.0)
    y = x + shift
    w = 1 / (y * y)
    tail, rising_over_factorial, power = 0.0, s / 2, w  # (s)_(2j-1)/(2j)!, y^(-2j)
    for j in range(1, 14):
        tail = tail + float(_B[2 * j]) * rising_over_factorial * power
        rising_over_factorial = rising_over_factorial * (s + 2 * j - 1) * (s + 2 * j)
        rising_over_factorial = rising_over_factorial / ((2 * j + 1) * (2 * j + 2))
        power = power * w
    half_power = np.power(y, (1 - s) / 2)
    return scale * head + half_power * (scale * half_power) * (1 / (s - 1) + 0.5 / y + tail)


# ψ's positive root x0, split into two floats, and ψ's Taylor series there,
# ψ(x0 + t) = sum_{k>=1} (-1)^(k+1) ζ(k+1, x0) t^k, used on [1, 2] (|t| / x0 < 0.37).
_DIGAMMA_ROOT = Fraction("1.46163214496836234126265954232572132846819620400644635129598841")


_ROOT_HI = float(_DIGAMMA_ROOT)


_ROOT_LO = float(_DIGAMMA_ROOT - Fraction(_ROOT_HI))


_DIGAMMA_ROOT_SERIES = [0.0] + [
    (-1) ** (k + 1) * float(_hurwitz_zeta(np.float64(k + 1), np.float64(_ROOT_HI)))
    for k in range(1, 42)
]


def _digamma_positive(x):
    """ψ(x) for x > 0: from 10 on, the asymptotic series; below, the recurrence
    ψ(x + 1) = ψ(x) + 1/x moves x into [1, 2] for the root series: ψ(x) = ψ(x + 1) - 1/x
    for x < 1, ψ(x) = ψ(x - n) + sum_{k=1}^{n} 1/(x - k) for x > 2 (the added terms
    have the sign of ψ there, so little cancels)."""
    big = x >= 10
    y = np.where(big, x, 10.0)
    asymptotic = np.log(y) - 0.5 / y - _polyval(_DIGAMMA_ASYMPTOTIC, 1 / (y * y))
    xs = np.where(big, 1.5, x)
    down = np.maximum(np.ceil(xs - 2), 0)
    below = xs < 1
    correction = np.where(below, -1 / xs, 0.0)
    for k in range(1, 9):
        correction = correction + np.where(k <= down, 1 / (xs - k), 0.0)
    t = (np.where(below, xs + 1, xs - down) - _ROOT_HI) - _ROOT_LO
    return np.where(big, asymptotic, _polyval(_DIGAMMA_ROOT_SERIES, t) + correction)


def _is_pole(x):
    return (x <= 0) & (x == np.floor(x))


def _digamma_impl(x):
    """Reflection for x <= 0: ψ(x) = ψ(1 - x) - π / tan(πx), with πx reduced mod π."""
    positive = x > 0
    values = _digamma_positive(np.where(positive, x, 1 - x))
    reflected = values - np.pi / np.tan(np.pi * (x - np.round(x)))
    return np.where(positive, values, np.where(_is_pole(x), np.nan, reflected))


def _polygamma_impl(m, x):
    """ψ^(m)(x) = (-1)^(m+1) m! ζ(m+1, x) for integer m >= 1; ψ for m = 0; nan otherwise.
    Below x = -1/2, reflection: differentiating ψ(1-x) - ψ(x) = π cot πx m times gives
    ψ^(m)(x) - ψ^(m)(r) = (-1)^m (ψ^(m)(1-x) - ψ^(m)(1-r)) for r = x - round(x), as
    cot's derivatives have period 1; every argument on the right is >= -1/2."""
    m, x = np.broadcast_arrays(m, x)
    whole = (m >= 0) & (m == np.floor(m))
    mm = np.where(whole & (m >= 1), m, 1.0)
    s = mm + 1
    odd_m = np.remainder(mm, 2) == 1
    finite = np.isfinite(x) & ~_is_pole(x)
    xr = np.where(finite, x, 1.0)
    far = xr < -0.5
    scale = np.where(odd_m, 1.0, -1.0) * _FACTORIALS[np.minimum(mm, 171).astype(int)]
    values = np.empty_like(xr)
    near = ~far
    values[near] = _hurwitz_zeta(s[near], xr[near], scale[near])
    s, xr, scale, sign = s[far], xr[far], scale[far], np.where(odd_m[far], -1.0, 1.0)
    r = xr - np.round(xr)
    values[far] = _hurwitz_zeta(s, r, scale) + sign * (
        _hurwitz_zeta(s, 1 - xr, scale) - _hurwitz_zeta(s, 1 - r, scale)
    )
    at_pole = np.where(odd_m, np.inf, np.nan)  # poles and -inf; JAX gives nan at +inf
    values = np.where(finite, values, np.where(np.isposinf(x) | np.isnan(x), np.nan, at_pole))
    if np.any(m == 0):
        values = np.where(m == 0, _digamma_impl(x), values)
    return np.where(whole, values, np.nan)
