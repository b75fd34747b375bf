"""Float64-accurate NumPy implementations of the Bessel functions behind the cards of
bessel.py (no SciPy needed): the exponentially scaled modified functions of order 0 and 1
and of real order, and the Bessel functions of the first and second kind of integer order.

Methods, each classical:

* ``I_ν(x) e^-|x|``: the power series (all terms positive, so no cancellation) up to
  ``|x| = max(40, ν²)``, summed in scaled form; above, Hankel's asymptotic expansion.
* ``J_n(x)``: Miller's backward recurrence normalized by ``1 = J_0 + 2 Σ J_2k`` (stable;
  absolute error a few ulps) for ``|x| < 25`` or ``n >= |x|``; above, Hankel's expansion
  for ``J_0``, ``J_1`` and the (then stable) forward recurrence.
* ``Y_0``, ``Y_1`` below 25: Neumann's series in the ``J_2k`` from the same backward
  recurrence; above, Hankel's expansion; ``Y_n`` by the (stable) forward recurrence.

Near a zero of ``J`` or ``Y`` the error is absolute (a few 1e-16), as for any method in
float64: the relative error there is the problem's own condition number.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.primitives.special_impls import _EULER_GAMMA, _lgamma_impl

_ASYMPTOTIC_FROM = 25.0  # Hankel's expansion for J and Y: error below e^-2x ≈ 2e-22 there
_SCALED_SERIES_BELOW = 40.0  # I_ν: Hankel's expansion above max(40, ν²) (error below 1e-20)


def _hankel_coefficients(order, terms):
    """a_k(ν) = (4ν² - 1²)(4ν² - 3²)...(4ν² - (2k-1)²) / (k! 8^k), k = 0 .. terms-1."""
    mu = 4.0 * np.asarray(order, dtype=np.float64) ** 2
    out = [np.ones_like(mu)]
    for k in range(1, terms):
        out.append(out[-1] * (mu - (2 * k - 1) ** 2) / (k * 8.0))
    return out


# --- modified Bessel functions I_ν, scaled by e^-|x| ------------------------------------------------


def _ive_series(order, ax):
    """Σ_k (x/2)^(ν+2k) / (k! Γ(ν+k+1)) e^-x for x >= 0, each term from the previous one
    (t_{k+1} = t_k (x²/4) / ((k+1)(ν+k+1))), the first in logarithms so nothing overflows."""
    safe = np.where(ax > 0, ax, 1.0)
    lgamma = _lgamma_impl(order + 1)
    first = np.power(safe / 2, order) * np.exp(-safe) * np.exp(-lgamma)  # each factor exact
    in_range = np.isfinite(first) & (first > 1e-290)
    log_first = order * np.log(safe / 2) - lgamma - safe  # where a factor over/underflows
    y = order + 1  # Γ(y) < 0 on (-1, 0), (-3, -2), ...: the sign of the first term
    gamma_sign = np.where((y > 0) | (np.remainder(np.floor(y), 2) == 0), 1.0, -1.0)
    term = gamma_sign * np.where(in_range, first, np.exp(log_first))
    at_zero = np.where(order == 0, 1.0, np.where(order > 0, 0.0, gamma_sign * np.inf))
    term = np.where(ax > 0, term, at_zero)
    quarter = ax * ax / 4
    total = term
    terms = int(np.max(ax, initial=0.0) / 2 + 12 * math.sqrt(np.max(ax, initial=0.0)) + 30)
    for k in range(terms):
        term = term * quarter / ((k + 1) * (order + k + 1))
        total = total + term
    return total


def _ive_asymptotic(order, ax, terms=30):
    """I_ν(x) e^-x ~ (2πx)^(-1/2) Σ_k (-1)^k a_k(ν) / x^k for large x (Hankel)."""
    total = np.zeros_like(ax)
    power = np.ones_like(ax)
    for k, a in enumerate(_hankel_coefficients(order, terms)):
        total = total + (-1) ** k * a * power
        power = power / ax
    return total / np.sqrt(2 * np.pi * ax)


def _ive_nonnegative(order, ax):
    """I_ν(|x|) e^-|x| (ν not a negative integer)."""
    threshold = np.maximum(_SCALED_SERIES_BELOW, order * order)
    series_part = ax < threshold
    series = _ive_series(order, np.where(series_part, ax, 0.0))
    asymptotic = _ive_asymptotic(order, np.where(series_part, threshold, ax))
    return np.where(series_part, series, asymptotic)


def _ive_impl(order, x, at_infinity=np.nan):
    """I_ν(x) e^-|x|, as ``scipy.special.ive``: for x < 0, I_ν(-x) = (-1)^ν I_ν(x) at
    integer ν (nan otherwise); I_-n = I_n at integer n. A negative non-integer order
    takes the same series (Γ(ν+k+1) changes sign below 0) and, above max(40, ν²), the
    same expansion: I_-ν - I_ν = (2/π) sin(νπ) K_ν is e^-2x smaller there."""
    order, x = np.broadcast_arrays(np.asarray(order, np.float64), np.asarray(x, np.float64))
    integer = order == np.round(order)
    nu = np.where(integer, np.abs(order), order)
    ok = (x >= 0) | integer
    value = _ive_nonnegative(np.where(ok, nu, 0.0), np.where(ok, np.abs(x), 0.0))
    odd = integer & (np.remainder(nu, 2) == 1)
    value = np.where((x < 0) & odd, -value, value)
    value = np.where(np.isinf(x) & ok, at_infinity, value)  # SciPy: nan for ive, 0 for i0e
    return np.where(ok & ~np.isnan(x), value, np.nan)


def _iv_impl(order, x):
    """I_ν(x) = ive(ν, x) e^|x| (inf where it overflows)."""
    return _ive_impl(order, x) * np.exp(np.abs(x))


def _bessel_i0e_impl(x):
    return _ive_impl(0.0, x, at_infinity=0.0)


def _bessel_i1e_impl(x):
    return np.copysign(_ive_impl(1.0, x, at_infinity=0.0), x)


# --- Bessel functions J_n and Y_n of integer order ------------------------------------------------


def _hankel_pq(order, ax, terms=24):
    """Hankel's P and Q: P = Σ (-1)^k a_2k / x^2k, Q = Σ (-1)^k a_2k+1 / x^(2k+1)."""
    a = _hankel_coefficients(order, 2 * terms)
    p, q = np.zeros_like(ax), np.zeros_like(ax)
    for k in reversed(range(terms)):
        p = p / (ax * ax) + (-1) ** k * a[2 * k]
        q = q / (ax * ax) + (-1) ** k * a[2 * k + 1]
    return p, q / ax


def _hankel_jy(ax):
    """J_0, J_1, Y_0, Y_1 at ax >= 25: J_ν = √(2/πx) (P cos χ - Q sin χ) and
    Y_ν = √(2/πx) (P sin χ + Q cos χ), χ = x - (ν/2 + 1/4)π, with cos χ and sin χ
    written in cos x and sin x (NumPy reduces x exactly)."""
    c, s = np.cos(ax), np.sin(ax)
    root = np.sqrt(2 / (np.pi * ax)) / math.sqrt(2)
    p0, q0 = _hankel_pq(0.0, ax)
    p1, q1 = _hankel_pq(1.0, ax)
    cos0, sin0 = c + s, s - c  # √2 cos(x - π/4), √2 sin(x - π/4)
    cos1, sin1 = s - c, -s - c  # √2 cos(x - 3π/4), √2 sin(x - 3π/4)
    j0 = root * (p0 * cos0 - q0 * sin0)
    j1 = root * (p1 * cos1 - q1 * sin1)
    y0 = root * (p0 * sin0 + q0 * cos0)
    y1 = root * (p1 * sin1 + q1 * cos1)
    return j0, j1, y0, y1


def _miller(n, ax):
    """Miller's backward recurrence J_{k-1} = (2k/x) J_k - J_{k+1} from an even start N
    far above max(n, x), normalized by 1 = J_0 + 2 Σ J_2k. Returns J_n, J_0, J_1 and the
    Neumann sums S0 = Σ_{k>=1} (-1)^k J_2k / k, S1 = Σ_{k>=1} (-1)^k (J_2k-1 - J_2k+1) / k
    (for Y_0 and Y_1). ax > 0."""
    top = float(np.max(np.maximum(n, ax), initial=0.0))
    start = 2 * int((top + 20 * math.sqrt(top + 1) + 40) / 2)
    upper = np.zeros_like(ax)  # J_{k+1}
    current = np.full_like(ax, 1e-280)  # J_k, unnormalized
    norm = np.where(start % 2 == 0, 2 * current, 0.0)
    jn = np.where(n == start, current, 0.0)
    s0, s1 = np.zeros_like(ax), np.zeros_like(ax)
    for k in range(start, 0, -1):
        lower = (2 * k / ax) * current - upper  # J_{k-1}
        upper, current = current, lower
        m = k - 1
        if m % 2 == 0 and m > 0:
            norm = norm + 2 * current
            s0 = s0 + (-1) ** (m // 2) * current / (m // 2)
        if m % 2 == 1:  # J_m enters S1 at k = (m+1)/2 with +, at k = (m-1)/2 with -
            kk = (m + 1) // 2
            s1 = s1 + (-1) ** kk * current / kk
            if m > 1:
                s1 = s1 - (-1) ** (kk - 1) * current / (kk - 1)
        jn = np.where(n == m, current, jn)
        big = np.abs(current) > 1e250
        if np.any(big):
            scale = np.where(big, 1e-250, 1.0)
            upper, current, norm, jn = upper * scale, current * scale, norm * scale, jn * scale
            s0, s1 = s0 * scale, s1 * scale
    norm = norm + current  # + J_0
    return jn / norm, current / norm, upper / norm, s0 / norm, s1 / norm


_TINY_X = 1e-9  # below, the leading terms (the next are x² ≈ 1e-18 smaller)


def _jn_tiny(n, ax):
    """J_n(x) ≈ (x/2)^n / n! for x < 1e-9 (0 where it underflows)."""
    return np.exp(n * np.log(ax / 2) - _lgamma_impl(n + 1))


def _jn_nonnegative(n, ax):
    """J_n(x) for integer n >= 0 and x >= 0."""
    n = np.asarray(n, np.float64)
    tiny = (ax < _TINY_X) & (ax > 0)
    tiny_value = _jn_tiny(n, np.where(tiny, ax, _TINY_X))
    ax = np.where(tiny, 1.0, ax)
    forward = (ax >= _ASYMPTOTIC_FROM) & (n < ax)
    miller_x = np.where(forward | (ax == 0), 1.0, ax)
    jn_miller = _miller(np.where(forward | (ax == 0), 0.0, n), miller_x)[0]
    fx = np.where(forward, ax, _ASYMPTOTIC_FROM)
    j0, j1, _, _ = _hankel_jy(fx)
    jn_forward = np.where(n == 0, j0, j1)
    lower, current = j0, j1
    for k in range(1, int(np.max(np.where(forward, n, 0), initial=0))):
        lower, current = current, (2 * k / fx) * current - lower
        jn_forward = np.where(n == k + 1, current, jn_forward)
    at_zero = np.where(n == 0, 1.0, 0.0)
    value = np.where(forward, jn_forward, np.where(ax == 0, at_zero, jn_miller))
    return np.where(tiny, tiny_value, value)


def _jn_impl(n, x):
    """J_n(x) for integer-valued n (nan otherwise), as ``scipy.special.jv`` there:
    J_-n = (-1)^n J_n and J_n(-x) = (-1)^n J_n(x)."""
    n, x = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    integer = n == np.round(n)
    an = np.where(integer, np.abs(n), 0.0)
    finite = np.isfinite(x)
    value = _jn_nonnegative(an, np.where(finite, np.abs(x), 1.0))
    sign = np.where((np.remainder(an, 2) == 1) & ((n < 0) != (x < 0)), -1.0, 1.0)
    return np.where(integer & finite, sign * value, np.nan)  # SciPy: nan at ±inf


def _y01(ax):
    """Y_0 and Y_1 for x > 0: Neumann's series
    Y_0 = (2/π)(log(x/2) + γ) J_0 - (4/π) Σ (-1)^k J_2k / k and its derivative
    Y_1 = -Y_0' = (2/π)(log(x/2) + γ) J_1 - 2/(πx) J_0 + (2/π) Σ (-1)^k (J_2k-1 - J_2k+1)/k
    below 25; Hankel's expansion above."""
    near = ax < _ASYMPTOTIC_FROM
    tiny = ax < _TINY_X
    xs = np.where(near & ~tiny, ax, 1.0)
    _, j0, j1, s0, s1 = _miller(np.zeros_like(xs), xs)
    log_term = np.log(xs / 2) + _EULER_GAMMA
    y0_near = (2 / np.pi) * (log_term * j0 - 2 * s0)
    y1_near = (2 / np.pi) * (log_term * j1 - j0 / xs + s1)
    _, _, y0_far, y1_far = _hankel_jy(np.where(near, _ASYMPTOTIC_FROM, ax))
    xt = np.where(tiny, ax, _TINY_X)  # Y_0 ≈ (2/π)(log(x/2) + γ), Y_1 ≈ -2/(πx)
    y0_tiny, y1_tiny = (2 / np.pi) * (np.log(xt / 2) + _EULER_GAMMA), -2 / (np.pi * xt)
    y0 = np.where(tiny, y0_tiny, np.where(near, y0_near, y0_far))
    return y0, np.where(tiny, y1_tiny, np.where(near, y1_near, y1_far))


def _yn_impl(n, x):
    """Y_n(x) for integer-valued n (nan otherwise): the forward recurrence
    Y_{k+1} = (2k/x) Y_k - Y_{k-1} from Y_0, Y_1; Y_-n = (-1)^n Y_n; -inf at 0, nan below
    (as SciPy)."""
    n, x = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    integer = n == np.round(n)
    an = np.where(integer, np.abs(n), 0.0)
    positive = (x > 0) & np.isfinite(x)
    xs = np.where(positive, x, 1.0)
    y0, y1 = _y01(xs)
    value = np.where(an == 0, y0, y1)
    lower, current = y0, y1
    for k in range(1, int(np.max(an, initial=0))):
        following = (2 * k / xs) * current - lower  # once -inf (overflow), stays -inf
        lower, current = current, np.where(np.isneginf(current), -np.inf, following)
        value = np.where(an == k + 1, current, value)
    value = np.where((np.remainder(an, 2) == 1) & (n < 0), -value, value)
    value = np.where(positive, value, np.where(x == 0, -np.inf, np.nan))  # SciPy: nan at inf
    return np.where(integer & ~np.isnan(x), value, np.nan)
