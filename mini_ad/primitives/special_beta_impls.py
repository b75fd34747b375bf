"""Float64-accurate NumPy implementations behind the cards of special_gamma.py that are not
incomplete gamma functions: the regularized incomplete beta function, the Hurwitz zeta
function, the scaled complementary error function ``erfcx`` and ``erfc``'s inverse.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.primitives.special_gamma_impls import stirling_correction
from mini_ad.primitives.special_impls import (
    _ERFC_H,
    _ERFC_NODES,
    _ERFC_WEIGHTS,
    _erf_inv_impl,
    _erf_small,
    _hurwitz_zeta,
    _lgamma_impl,
)

_EPS = np.finfo(np.float64).eps
_MAX_STEPS = 60_000
_TINY = 1e-300
_SQRT_PI = math.sqrt(math.pi)


# --- the incomplete beta function ----------------------------------------------------------------


def betaln_impl(a, b):
    """log B(a, b) for a, b > 0. With a <= b and b >= 8, Stirling's series for lgamma(b) and
    lgamma(a + b) leaves lgamma(a) - a log b - b (log1p(a/b) - a/b) - (a - 1/2) log1p(a/b)
    + c(b) - c(a + b), in which no large terms cancel."""
    small, big = np.minimum(a, b), np.maximum(a, b)
    direct = _lgamma_impl(small) + _lgamma_impl(big) - _lgamma_impl(small + big)
    bb = np.maximum(big, 8.0)
    r = small / bb
    c_b, _ = stirling_correction(bb)
    c_ab, _ = stirling_correction(bb + small)
    stirling = (
        _lgamma_impl(small)
        - small * np.log(bb)
        - bb * (np.log1p(r) - r)
        - (small - 0.5) * np.log1p(r)
        + c_b
        - c_ab
    )
    return np.where(big >= 8, stirling, direct)


def _beta_log_prefactor(a, b, x, log_x, log_y):
    """log(x^a y^b / B(a, b)), y = 1 - x (its log given). For a, b >= 8 near the peak
    x0 = a/(a+b) Stirling's form sqrt(ab/(2π(a+b))) exp(a φ(x/x0 - 1) + b φ(y/y0 - 1)
    + c(a+b) - c(a) - c(b)), φ(t) = log1p(t) - t, keeps the large logarithms apart."""
    direct = a * log_x + b * log_y - betaln_impl(a, b)
    aa, bb = np.maximum(a, 8.0), np.maximum(b, 8.0)
    total = aa + bb
    x0 = aa / total
    t = (x - x0) / x0
    u = (x0 - x) / (bb / total)
    near = (a >= 8) & (b >= 8) & (np.abs(t) < 0.5) & (np.abs(u) < 0.5)
    t, u = np.where(near, t, 0.0), np.where(near, u, 0.0)
    corrections = (
        stirling_correction(total)[0] - stirling_correction(aa)[0] - stirling_correction(bb)[0]
    )
    stirling = (
        0.5 * np.log(aa * bb / (2 * np.pi * total))
        + aa * (np.log1p(t) - t)
        + bb * (np.log1p(u) - u)
        + corrections
    )
    return np.where(near, stirling, direct)


def _beta_fraction(a, b, x, active):
    """The continued fraction of I_x(a, b) a B(a, b) / (x^a y^b) (modified Lentz), for
    x <= (a + 1)/(a + b + 2) where it converges fast."""
    c = np.ones_like(x)
    d = 1 - (a + b) * x / (a + 1)
    d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d
    done = ~active
    for m in range(1, _MAX_STEPS):
        if done.all():
            break
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / np.where(np.abs(d) < _TINY, _TINY, d)
            c = 1 + numerator / c
            c = np.where(np.abs(c) < _TINY, _TINY, c)
            step = d * c
            h = np.where(done, h, h * step)
        done = done | (np.abs(step - 1) <= _EPS * 0.5)
    return h, done


def betainc_impl(a, b, x):
    """I_x(a, b) = B(x; a, b) / B(a, b): the continued fraction, on I_{1-x}(b, a) = 1 -
    I_x(a, b) above x = (a + 1)/(a + b + 2). Edges as JAX: nan for a < 0, b < 0, a = b = 0
    or x outside [0, 1]; 1 for a = 0 < b, 0 for b = 0 < a."""
    inside = (a > 0) & (b > 0) & (x > 0) & (x < 1) & np.isfinite(a) & np.isfinite(b)
    a_, b_, x_ = (np.where(inside, v, 0.5) for v in (a, b, x))
    flip = x_ > (a_ + 1) / (a_ + b_ + 2)
    log_x, log_y = np.log(x_), np.log1p(-x_)
    pa, pb = np.where(flip, b_, a_), np.where(flip, a_, b_)
    px = np.where(flip, 1 - x_, x_)
    log_px, log_py = np.where(flip, log_y, log_x), np.where(flip, log_x, log_y)
    h, done = _beta_fraction(pa, pb, px, inside)
    value = np.exp(_beta_log_prefactor(pa, pb, px, log_px, log_py)) * h / pa
    value = np.where(flip, 1 - value, value)
    valid_ab = (a >= 0) & (b >= 0) & ~((a == 0) & (b == 0))
    out = np.where(inside & done, value, np.nan)
    out = np.where(valid_ab & (x == 0), 0.0, np.where(valid_ab & (x == 1), 1.0, out))
    out = np.where((a == 0) & (b > 0) & (x > 0) & (x <= 1), 1.0, out)
    return np.where((b == 0) & (a > 0) & (x >= 0) & (x < 1), 0.0, out)


# --- the Hurwitz zeta function ------------------------------------------------------------------


def zeta_impl(s, q):
    """ζ(s, q) = sum_{k>=0} (q + k)^-s for s > 1: Euler–Maclaurin after the first terms
    (``special_impls._hurwitz_zeta``); above s = 200 the first 16 terms (the rest are below
    2^-200 of them wherever the result is a normal number). Edges as JAX: inf at s = 1;
    nan for s < 1, at q = 0, -1, -2, ..., for q < 0 unless s is an integer, and at s or
    q = inf. For q < -1000 the direct sum would be long: nan (not computed) there."""
    integer_s = s == np.floor(s)
    ok_q = (q > 0) | ((q < 0) & (q != np.floor(q)) & integer_s & (q > -1000))
    inside = (s > 1) & np.isfinite(s) & np.isfinite(q) & ok_q
    s_, q_ = np.where(inside, s, 2.0), np.where(inside, q, 1.0)
    huge = s_ > 200
    direct = np.zeros_like(q_)
    for k in range(16):
        direct = direct + np.power(q_ + k, -s_)
    series = _hurwitz_zeta(np.where(huge, 2.0, s_), np.where(huge, 1.0, q_))
    out = np.where(inside, np.where(huge, direct, series), np.nan)
    return np.where((s == 1) & ok_q & np.isfinite(q), np.inf, out)


# --- erfcx and erfc's inverse ----------------------------------------------------------------------


def _exp_square(x):
    """e^(x²) with x = a + b, a = x rounded to 1/16: a² is exact and so is the split."""
    a = np.floor(x * 16) / 16
    return np.exp(a * a) * np.exp((x - a) * (x + a))


def _erfcx_positive(x):
    """e^(x²) erfc(x) for x >= 0.6: the trapezoidal sum of special_impls._erfc_large
    without its factor e^(-x²); above 5e7, 1/(x√π) (1 - 1/(2x²)) (next term 1e-31)."""
    xm = np.minimum(x, 5e7)
    x2 = xm * xm
    total = 0.5 / x2
    for node, weight in zip(_ERFC_NODES, _ERFC_WEIGHTS, strict=True):
        total = total + weight / (node + x2)
    near = xm < np.pi / _ERFC_H
    xn = np.where(near, xm, 1.0)
    poles = np.where(near, 2 * _exp_square(xn) / np.expm1(2 * np.pi / _ERFC_H * xn), 0.0)
    trapezoid = (2 * _ERFC_H / np.pi) * xm * total - poles
    xl = np.maximum(x, 5e7)
    asymptotic = (1 - 0.5 / (xl * xl)) / (xl * _SQRT_PI)
    return np.where(x > 5e7, asymptotic, trapezoid)


def erfcx_impl(x):
    """e^(x²) erfc(x); for x <= -0.6, 2 e^(x²) - erfcx(-x) (inf below -26.6)."""
    ax = np.abs(x)
    small = ax < 0.6
    xs = np.where(small, x, 0.0)
    near_zero = np.exp(xs * xs) * (1 - _erf_small(xs))
    large = _erfcx_positive(np.where(small, 0.6, np.where(np.isnan(ax), 1.0, ax)))
    negative = 2 * _exp_square(np.where(x < -27, -27.0, np.minimum(x, 0.0))) - large
    out = np.where(small, near_zero, np.where(x > 0, large, negative))
    out = np.where(x < -27, np.inf, out)
    return np.where(np.isnan(x), np.nan, out)


def erfc_inv_impl(y):
    """The x with erfc(x) = y, for y in [0, 2]. Below y = 1/2 (x > 0.47), Newton's method
    on log erfc(x) = log erfcx(x) - x² = log y, from the start x² = -log y - log(x0 √π),
    x0² = -log y; on [1/2, 3/2] erf_inv(1 - y) (1 - y exact); above, -erfc_inv(2 - y)
    (2 - y exact). inf at 0, -inf at 2, nan outside."""
    upper = y > 1.5
    low = np.where(upper, 2 - y, y)
    tail = (low > 0) & (low < 0.5)
    t = np.where(tail, low, 0.25)
    log_t = np.log(t)
    x = np.sqrt(-log_t)
    x = np.sqrt(np.maximum(-log_t - np.log(x * _SQRT_PI), 0.2))
    for _ in range(8):
        e = erfcx_impl(x)
        residual = np.log(e) - x * x - log_t
        x = x + residual * (_SQRT_PI / 2) * e  # g' = -2 / (√π erfcx(x))
    middle = _erf_inv_impl(1 - np.where(tail, 1.0, low))
    value = np.where(tail, x, middle)
    value = np.where(upper, -value, value)
    value = np.where(y == 0, np.inf, np.where(y == 2, -np.inf, value))
    return np.where((y < 0) | (y > 2) | np.isnan(y), np.nan, value)
