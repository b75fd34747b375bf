"""Float64-accurate NumPy implementations of the exponential, sine/cosine and Fresnel
integrals, Dawson's integral and Spence's function, behind the cards of expint.py (no
SciPy needed). Each method is classical and named beside it; edge values follow SciPy.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.primitives.special_impls import _B, _EULER_GAMMA, _polyval

_TINY = 1e-300


def _lentz(a_of, b_of, b0, iterations):
    """The continued fraction b0 + a1/(b1 + a2/(b2 + ...)) by the modified Lentz method
    (Thompson & Barnett 1986), a fixed number of steps (vectorized; arrays or complex)."""
    f = np.where(b0 == 0, _TINY, b0)
    c, d = f, np.zeros_like(f)
    for i in range(1, iterations + 1):
        a, b = a_of(i), b_of(i)
        d = b + a * d
        d = 1 / np.where(d == 0, _TINY, d)
        c = b + a / c
        c = np.where(c == 0, _TINY, c)
        f = f * c * d
    return f


# --- E_n and Ei ----------------------------------------------------------------------------------


def _expn_positive(n, x):
    """E_n(x) for integer n >= 1, x > 0. For x > 1 the continued fraction
    E_n(x) = e^-x / (x + n - 1·n/(x + n + 2 - 2(n+1)/(x + n + 4 - ...))); for x <= 1 the
    series E_n(x) = (-x)^(n-1)/(n-1)! (ψ(n) - log x) - Σ_{k≠n-1} (-x)^k / ((k-n+1) k!)."""
    large = x > 1
    xl = np.where(large, x, 2.0)
    cf = _lentz(lambda i: -i * (n - 1 + i), lambda i: xl + n + 2 * i, xl + n, 120)
    fraction = np.exp(-xl) / cf
    xs = np.where(large, 0.5, x)
    top = int(np.max(n, initial=1))
    psi = -_EULER_GAMMA + sum(np.where(k < n, 1.0 / k, 0.0) for k in range(1, top))
    total = np.where(n > 1, 1 / (n - 1.0 + (n == 1)), -np.log(xs) - _EULER_GAMMA)
    factor = np.ones_like(xs)  # (-x)^k / k!
    for k in range(1, 40 + top):
        factor = factor * (-xs / k)
        at = k == n - 1
        safe = np.where(at, 1.0, k - n + 1.0)
        total = total + np.where(at, factor * (psi - np.log(xs)), -factor / safe)
    return np.where(large, fraction, total)


def _expn_impl(n, x):
    """E_n(x) = ∫_1^∞ e^(-xt) / t^n dt for integer-valued n >= 0 and x >= 0 (nan
    otherwise); E_0 = e^-x / x, E_n(0) = 1/(n-1) for n > 1 and inf for n <= 1."""
    n, x = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    valid = (n == np.round(n)) & (n >= 0) & (x >= 0)
    positive = valid & (x > 0) & np.isfinite(x)
    ns = np.where(positive & (n >= 1), n, 1.0)
    xs = np.where(positive, x, 1.0)
    value = np.where(n == 0, np.exp(-xs) / xs, _expn_positive(ns, xs))
    at_zero = np.where(n > 1, 1 / np.maximum(n - 1, 1), np.inf)
    value = np.where(x == 0, at_zero, np.where(np.isinf(x), 0.0, value))
    return np.where(valid, value, np.nan)


def _exp1_impl(x):
    return _expn_impl(1.0, x)


def _expi_impl(x):
    """Ei(x) = -E_1(-x) for x < 0; for 0 < x <= 40 the series γ + log x + Σ x^k/(k k!)
    (terms positive); above, the asymptotic e^x/x Σ k!/x^k (error e^-x √(2πx) < 1e-16)."""
    negative = x < 0
    from_e1 = -_exp1_impl(np.where(negative, -x, 1.0))
    xs = np.where(negative | (x > 40), 1.0, x)
    term, total = np.ones_like(xs), np.zeros_like(xs)
    for k in range(1, 120):
        term = term * xs / k
        total = total + term / k
    series = _EULER_GAMMA + np.log(xs) + total
    xa = np.where(x > 40, x, 41.0)
    term, asymptotic = np.ones_like(xa), np.ones_like(xa)
    for k in range(1, 45):
        term = term * k / xa
        asymptotic = asymptotic + term
    asymptotic = np.exp(xa) / xa * asymptotic
    value = np.where(negative, from_e1, np.where(x > 40, asymptotic, series))
    return np.where(x == 0, -np.inf, np.where(x == np.inf, np.inf, value))


# --- Spence's function ---------------------------------------------------------------------------

# Li2(y) = Σ_k B_k u^(k+1)/(k+1)! with u = -log(1 - y) (|u| < 2π), B_1 = -1/2
_LI2_SERIES = [0.0] + [float(_B[k] / math.factorial(k + 1)) for k in range(0, 31)]


def _li2_of_u(u):
    return _polyval(_LI2_SERIES, u)


def _spence_impl(x):
    """spence(x) = ∫_1^x log t / (1 - t) dt = Li2(1 - x) for x >= 0 (nan below), with
    the Bernoulli series in u = -log(1 - y) after the reflection, Landen and inversion
    identities put |u| <= log 3, each u written in x without cancellation."""
    xs = np.where(x > 0, x, 1.0)
    log_x = np.log(xs)
    middle = _li2_of_u(-log_x)  # 1/2 <= x <= 3/2: y = 1 - x, u = -log x
    # 0 < x < 1/2: Li2(1 - x) = π²/6 - log x log(1 - x) - Li2(x)
    low = np.pi**2 / 6 - log_x * np.log1p(-xs) - _li2_of_u(-np.log1p(-xs))
    # 3/2 < x <= 2: Landen, Li2(1 - x) = -Li2((x - 1)/x) - log² x / 2, with u = log x
    high = -_li2_of_u(log_x) - log_x**2 / 2
    # x > 2: inversion then Landen, Li2(1 - x) = -π²/6 - log²(x-1)/2 + Li2(1/x)
    #        + log²(x/(x-1))/2, with Li2(1/x) at u = -log(1 - 1/x)
    u = -np.log1p(-1 / np.maximum(xs, 2.0))
    far = -(np.pi**2) / 6 - np.log(np.maximum(xs - 1, 1.0)) ** 2 / 2 + _li2_of_u(u) + u**2 / 2
    value = np.where(xs < 0.5, low, np.where(xs <= 1.5, middle, np.where(xs <= 2, high, far)))
    value = np.where(x == 0, np.pi**2 / 6, value)
    return np.where((x >= 0) & np.isfinite(x), value, np.nan)


# --- sine and cosine integrals ---------------------------------------------------------------------


def _e1_imaginary(x):
    """E_1(ix) for x >= 2 by its continued fraction (as for E_n above, n = 1):
    E_1(ix) = e^(-ix) / (1 + ix - 1/(3 + ix - 4/(5 + ix - ...)))."""
    b0 = 1 + 1j * x
    cf = _lentz(lambda i: -(i * i) + 0j, lambda i: b0 + 2 * i, b0, 100)
    return (np.cos(x) - 1j * np.sin(x)) / cf


def _si_ci(x):
    """Si(x) and Ci(x) for x >= 0: the series Si = Σ (-1)^k x^(2k+1)/((2k+1)(2k+1)!),
    Ci = γ + log x + Σ_{k>=1} (-1)^k x^2k/(2k (2k)!) below 2; above, from
    E_1(ix) = -Ci(x) + i (Si(x) - π/2)."""
    small = x < 2
    xs = np.where(small, x, 1.0)
    x2 = xs * xs
    si, ci, term = np.zeros_like(xs), np.zeros_like(xs), xs
    for k in range(0, 20):  # term = (-1)^k x^(2k+1) / (2k+1)!
        si = si + term / (2 * k + 1)
        term_even = term * xs / (2 * k + 2)  # (-1)^k x^(2k+2) / (2k+2)!
        ci = ci - term_even / (2 * k + 2)
        term = -term * x2 / ((2 * k + 2) * (2 * k + 3))
    ci = ci + _EULER_GAMMA + np.log(np.where(xs > 0, xs, 1.0))
    ci = np.where(xs == 0, -np.inf, ci)
    e1 = _e1_imaginary(np.where(small, 2.0, np.minimum(x, 1e300)))
    si_large, ci_large = e1.imag + np.pi / 2, -e1.real
    return np.where(small, si, si_large), np.where(small, ci, ci_large)


def _si_impl(x):
    """Si(x), odd; ±π/2 at ±inf."""
    si, _ = _si_ci(np.abs(np.where(np.isinf(x), 1.0, x)))
    si = np.where(np.isinf(x), np.pi / 2, si)
    return np.copysign(si, x)


def _ci_impl(x):
    """Ci(x) for x > 0 (-inf at 0, nan below, 0 at inf), as ``scipy.special.sici``'s
    real value; SciPy gives Ci(|x|) for x < 0 (the real part of Ci(-x) = Ci(x) + iπ)."""
    _, ci = _si_ci(np.abs(np.where(np.isinf(x), 1.0, x)))
    return np.where(np.isinf(x), np.where(x > 0, 0.0, np.nan), ci)


# --- Fresnel integrals ----------------------------------------------------------------------------


def _half_pi_square_phase(x):
    """cos(πx²/2) and sin(πx²/2) with x² split exactly into hi + lo (Dekker) and hi
    reduced modulo 4 exactly, so the phase keeps full precision for large x."""
    hi = x * x
    c = 134217729.0 * x
    xh = c - (c - x)
    xl = x - xh
    lo = ((xh * xh - hi) + 2 * xh * xl) + xl * xl
    t = np.fmod(hi, 4.0) + lo
    return np.cos(np.pi / 2 * t), np.sin(np.pi / 2 * t)


def _fresnel_sc(ax):
    """S(x), C(x) for x >= 0: the power series below 1.6; above, the continued fraction
    of erfc at z = (1 - i)√π x / 2, C + iS = (1 + i)/2 (1 - e^(iπx²/2) h) with
    h = 1/(1 - iπx² - 1·2/(5 - iπx² - 3·4/(9 - iπx² - ...))) (1 - i) x."""
    small = ax < 1.6
    xs = np.where(small, ax, 0.0)
    t = np.pi / 2 * xs * xs
    s, c = np.zeros_like(xs), np.zeros_like(xs)
    term = xs  # (-1)^k t^(2k) x / (2k)!  and then t^(2k+1) x / (2k+1)!
    for k in range(0, 18):
        c = c + term / (4 * k + 1)
        odd = term * t / (2 * k + 1)
        s = s + odd / (4 * k + 3)
        term = -odd * t / (2 * k + 2)
    xl = np.where(small, 2.0, np.minimum(ax, 1e150))
    b0 = 1 - 1j * np.pi * xl * xl
    cf = _lentz(lambda i: -(2 * i - 1.0) * (2 * i) + 0j, lambda i: b0 + 4 * i, b0, 100)
    h = (1 - 1j) * xl / cf
    cos_t, sin_t = _half_pi_square_phase(xl)
    cs = (0.5 + 0.5j) * (1 - (cos_t + 1j * sin_t) * h)
    return np.where(small, s, cs.imag), np.where(small, c, cs.real)


def _fresnel_s_impl(x):
    s, _ = _fresnel_sc(np.abs(np.where(np.isinf(x), 1.0, x)))
    return np.copysign(np.where(np.isinf(x), 0.5, s), x)


def _fresnel_c_impl(x):
    _, c = _fresnel_sc(np.abs(np.where(np.isinf(x), 1.0, x)))
    return np.copysign(np.where(np.isinf(x), 0.5, c), x)


# --- Dawson's integral ------------------------------------------------------------------------------

_RYBICKI_H = 0.2  # error e^-(π/2h)² ≈ 2e-27
_RYBICKI_TERMS = 34  # odd offsets ±1 .. ±67: e^-(33 h)² ≈ 1e-19 beyond


def _dawsn_impl(x):
    """D(x) = e^(-x²) ∫_0^x e^(t²) dt, odd. Below 0.2 the series Σ (-2x²)^k x / (2k+1)!!;
    up to 10 Rybicki's sum D(x) ≈ (1/√π) Σ_{m odd} e^(-(x - mh)²) / m (Rybicki 1989,
    centred on the even m0 nearest x/h); above, D(x) ~ Σ (2k-1)!! / (2x²)^k / (2x)."""
    ax = np.abs(x)
    xs = np.where(ax < 0.2, ax, 0.0)
    term, series = xs, np.zeros_like(xs)
    for k in range(12):
        series = series + term
        term = term * (-2 * xs * xs) / (2 * k + 3)
    xm = np.where((ax >= 0.2) & (ax < 10), ax, 1.0)
    m0 = 2 * np.round(xm / (2 * _RYBICKI_H))
    rybicki = np.zeros_like(xm)
    for j in range(-_RYBICKI_TERMS, _RYBICKI_TERMS):
        m = m0 + 2 * j + 1
        rybicki = rybicki + np.exp(-((xm - m * _RYBICKI_H) ** 2)) / m
    rybicki = rybicki / math.sqrt(math.pi)
    xl = np.where(ax >= 10, ax, 10.0)
    w = 1 / (2 * xl * xl)
    term, asymptotic = np.ones_like(xl), np.ones_like(xl)
    for k in range(1, 20):
        term = term * (2 * k - 1) * w
        asymptotic = asymptotic + term
    asymptotic = asymptotic / (2 * xl)
    value = np.where(ax < 0.2, series, np.where(ax < 10, rybicki, asymptotic))
    value = np.where(np.isinf(x), 0.0, np.where(np.isnan(x), np.nan, value))
    return np.copysign(value, x)
