"""NumPy impls of the Faddeeva function ``wofz`` and the confluent hypergeometric
function ``hyp1f1`` with its derivatives in ``a`` and ``b`` (float64 in, float64 or
complex128 out; no SciPy).

``wofz``: Weideman's rational approximation (SIAM J. Numer. Anal. 31, 1994) with
N = 40 terms, whose coefficients are computed here at import by the FFT of his paper;
relative error about 1e-14 for Im z >= 0, and ``w(z) = 2 e^(−z²) − w(−z)`` below.

``hyp1f1``: Kummer's series ``Σ (a)_k / (b)_k x^k / k!`` for ``x >= 0`` and Kummer's
transformation ``1F1(a; b; x) = e^x 1F1(b − a; b; −x)`` for ``x < 0``, so that the series
never alternates because of ``x``. The ``a``/``b`` derivatives are the series of
``d/da (a)_k`` and ``d/db 1/(b)_k``, carried term by term (exact where ``a`` is a
non-positive integer and the series terminates).
"""

from __future__ import annotations

import math

import numpy as np

# --- wofz -----------------------------------------------------------------------------------------


def _weideman_coefficients(n):
    """The polynomial coefficients (highest degree first) and the scale L for N = n."""
    m = 2 * n
    scale = np.sqrt(n / np.sqrt(2.0))
    theta = np.arange(-m + 1, m) * np.pi / m
    t = scale * np.tan(theta / 2)
    samples = np.concatenate([[0.0], np.exp(-(t**2)) * (scale**2 + t**2)])
    spectrum = np.real(np.fft.fft(np.fft.fftshift(samples))) / (2 * m)
    return scale, spectrum[1 : n + 1][::-1].copy()


_W_SCALE, _W_COEFFS = _weideman_coefficients(40)
_INV_SQRT_PI = 1.0 / np.sqrt(np.pi)


def _wofz_upper(z):
    """w(z) for Im z >= 0."""
    iz = 1j * z
    denom = _W_SCALE - iz
    ratio = (_W_SCALE + iz) / denom
    return 2.0 * np.polyval(_W_COEFFS, ratio) / denom**2 + _INV_SQRT_PI / denom


def wofz_impl(z):
    """The Faddeeva function ``w(z) = e^(−z²) erfc(−iz)`` (complex128)."""
    z = np.asarray(z, dtype=np.complex128)
    upper = ~(z.imag < 0)  # nan stays on the upper branch
    reflected = np.where(upper, z, -z)
    w = _wofz_upper(reflected)
    below = 2.0 * np.exp(-(z * z)) - w
    return np.where(upper, w, below)


# --- the series ---------------------------------------------------------------------------------

_EPS = np.finfo(np.float64).eps
_MAX_TERMS = 20000


def _series(uppers, lowers, x, shrinking_from, tail=1.0):
    """``pFq(uppers; lowers; x) = Σ_k Π(u)_k / Π(l)_k x^k / k!`` and its derivatives in
    each upper and lower parameter, summed term by term: with ``t_{k+1} = t_k r_k``,
    ``d t_{k+1} = d t_k r_k + t_k ∂r_k``, where ``∂r_k`` is ``r_k / (u + k)`` for an upper
    parameter (written without the division, so it holds where ``u + k = 0``) and
    ``−r_k / (l + k)`` for a lower one.

    Summed until every term is below ``eps · tail`` times its sum once ``k`` passes
    ``shrinking_from`` (the terms shrink from there on; ``tail`` is 1 − the ratio's limit,
    so the neglected tail is below eps too). nan where that takes over _MAX_TERMS terms.
    Where a non-positive integer upper parameter ends the series before a pole of a lower
    one, the sum is the polynomial and the derivatives are not finite.
    """
    params = [*uppers, *lowers]
    n_up = len(uppers)
    term = np.ones_like(x)
    d_terms = [np.zeros_like(x) for _ in params]
    total, d_totals = term.copy(), [d.copy() for d in d_terms]
    active = np.ones(x.shape, dtype=bool)
    for k in range(_MAX_TERMS):
        if not active.any():
            break
        numerators = [u + k for u in uppers]
        denominator = np.prod([v + k for v in lowers], axis=0) * (k + 1)
        ratio = np.prod(numerators, axis=0) * x / denominator
        for i, p in enumerate(params):
            if i < n_up:  # r_k / (u_i + k), as the product of the other numerators
                others = [n for j, n in enumerate(numerators) if j != i]
                d_ratio = np.prod(others, axis=0) * x / denominator if others else x / denominator
            else:
                d_ratio = -ratio / (p + k)
            d_terms[i] = d_terms[i] * ratio + np.where(term == 0, 0.0, term * d_ratio)
        term = np.where(term == 0, 0.0, term * ratio)  # ended: stays 0 past a pole
        total = total + np.where(active, term, 0.0)
        small = np.abs(term) <= _EPS * tail * np.abs(total)
        finite = np.isfinite(total)
        ended = term == 0
        for i in range(len(params)):
            d_totals[i] = d_totals[i] + np.where(active, d_terms[i], 0.0)
            small &= np.abs(d_terms[i]) <= _EPS * tail * np.abs(d_totals[i])
            finite &= np.isfinite(d_totals[i])
            ended &= d_terms[i] == 0
        active &= ~(((k >= shrinking_from) & small) | ended | ~finite)
    unconverged = np.isnan(total) | active
    return [np.where(unconverged, np.nan, t) for t in (total, *d_totals)]


def _nonpositive_integer(v):
    return (v <= 0) & (v == np.round(v))


# --- hyp1f1 ---------------------------------------------------------------------------------------


def _kummer_series(a, b, x):
    """(F, ∂F/∂a, ∂F/∂b) of ``1F1(a; b; x)`` by the series; past k = max(|a|, |b|, |x|)
    the ratio ``(a+k) x / ((b+k)(k+1))`` stays below 1."""
    shrinking_from = np.ceil(np.maximum(np.maximum(np.abs(a), np.abs(b)), np.abs(x))) + 1
    return _series([a], [b], x, shrinking_from)


def _hyp1f1_all(a, b, x):
    """(F, ∂F/∂a, ∂F/∂b), with Kummer's transformation for x < 0:
    F(a, b, x) = e^x F(b−a, b, −x), so ∂a F = −e^x F₁, ∂b F = e^x (F₁ + F₂) there."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, x)))
    # a polynomial (a = 0, −1, −2, ...) is summed directly: it may end before a pole of b,
    # where the transformed series would not
    negative = (x < 0) & ~_nonpositive_integer(a)
    first = np.where(negative, b - a, a)
    value, d_first, d_b = _kummer_series(first, b, np.where(negative, -x, x))
    scale = np.where(negative, np.exp(x), 1.0)
    d_a = np.where(negative, -d_first, d_first) * scale
    d_b = np.where(negative, d_first + d_b, d_b) * scale
    return value * scale, d_a, d_b


def _pole_in_b(a, b):
    """b = 0, −1, −2, ... before a (a non-positive integer with a > b) ends the series."""
    return _nonpositive_integer(b) & ~(_nonpositive_integer(a) & (a > b))


def hyp1f1_impl(a, b, x):
    """``1F1(a; b; x)`` with JAX's conventions: 1 where a = 0 (b = 0 too), e^x where
    a = b, and inf at a pole of b (b a non-positive integer)."""
    value = _hyp1f1_all(a, b, x)[0]
    value = np.where(_pole_in_b(a, b), np.inf, value)
    return np.where(a == 0, 1.0, np.where(a == b, np.exp(x), value))


def hyp1f1_grad_a_impl(a, b, x):
    """``∂/∂a 1F1(a; b; x)`` (nan at a pole of b)."""
    return np.where(_pole_in_b(a, b), np.nan, _hyp1f1_all(a, b, x)[1])


def hyp1f1_grad_b_impl(a, b, x):
    """``∂/∂b 1F1(a; b; x)`` (nan at a pole of b)."""
    return np.where(_pole_in_b(a, b), np.nan, _hyp1f1_all(a, b, x)[2])


# --- hyp2f1 ---------------------------------------------------------------------------------------


def _gauss_series(a, b, c, z):
    """(F, ∂a, ∂b, ∂c) of ``2F1(a, b; c; z)`` for |z| < 1 by the series; the ratio
    ``(a+k)(b+k) z / ((c+k)(k+1))`` tends to z, below 1 in size once k passes
    (|a| + |b| + |c| + 2) / (1 − |z|)."""
    gap = 1 - np.abs(z)
    shrinking_from = np.ceil((np.abs(a) + np.abs(b) + np.abs(c) + 2) / np.maximum(gap, 1e-300))
    return _series([a, b], [c], z, shrinking_from, tail=np.maximum(gap, 1e-300))


def _gamma(v):
    """Γ(v) elementwise (inf at the poles 0, −1, −2, ... and on overflow)."""

    def one(t):
        try:
            return math.gamma(t)
        except (ValueError, OverflowError):
            return math.inf if t > 0 or t == math.floor(t) else 0.0

    return np.vectorize(one, otypes=[np.float64])(v)


def _hyp2f1_all(a, b, c, x):
    """(F, ∂a, ∂b, ∂c) for x < 1. Below 0 Pfaff's transformation
    ``2F1(a, b; c; x) = (1−x)^(−a) 2F1(a, c−b; c; x/(x−1))`` maps x to [0, 1), where the
    series has positive ratio; a polynomial (a or b = 0, −1, ...) is summed directly."""
    a, b, c, x = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, c, x)))
    pfaff = (x < 0) & ~_nonpositive_integer(a) & ~_nonpositive_integer(b)
    z = np.where(pfaff, x / (x - 1), np.where(x < 1, x, 0.0))
    value, d_a, d_second, d_c = _gauss_series(a, np.where(pfaff, c - b, b), c, z)
    scale = np.where(pfaff, (1 - x) ** -a, 1.0)
    log_1mx = np.log1p(-np.minimum(x, 0.0))
    d_a = np.where(pfaff, d_a - log_1mx * value, d_a)
    d_b = np.where(pfaff, -d_second, d_second)
    d_c = np.where(pfaff, d_second + d_c, d_c)
    return [t * scale for t in (value, d_a, d_b, d_c)]


def _hyp2f1_conventions(a, b, c, x, general):
    """JAX's values at its special points around ``general`` (x < 1): 1 at x = 0 and
    where a or b = 0 (c ≠ 0), inf where c is a pole (0, −1, ...) and for x > 1, the
    closed forms for b = c and a = c, and Gauss's sum Γ(c)Γ(d)/(Γ(c−a)Γ(c−b)) at x = 1
    (inf where d = c − a − b <= 0). A nan x gives nan."""
    d = c - a - b
    one_minus_x = np.where(x < 1, 1 - x, 1.0)
    at_one = np.where(x == 1, _gamma(c) * _gamma(d) / (_gamma(c - a) * _gamma(c - b)), 0.0)
    out = np.where(x > 1, np.inf, general)
    out = np.where(x == 1, np.where(d <= 0, np.inf, at_one), out)
    out = np.where((x < 1) & (a == c), one_minus_x**-b, out)
    out = np.where((x < 1) & (b == c), one_minus_x**-a, out)
    out = np.where(_nonpositive_integer(c), np.inf, out)
    out = np.where((x == 0) | (((a == 0) | (b == 0)) & (c != 0)), 1.0, out)
    return np.where(np.isnan(x), np.nan, out)  # JAX: 1


def hyp2f1_impl(a, b, c, x):
    """``2F1(a, b; c; x)`` for real x < 1 (inf above, with JAX's conventions)."""
    return _hyp2f1_conventions(a, b, c, x, _hyp2f1_all(a, b, c, x)[0])


def _hyp2f1_grad(index):
    def impl(a, b, c, x):
        """A derivative of ``2F1(a, b; c; x)`` in a parameter (nan for x >= 1 and at a
        pole of c)."""
        grad = _hyp2f1_all(a, b, c, x)[index]
        return np.where((x >= 1) | _nonpositive_integer(c), np.nan, grad)

    return impl


hyp2f1_grad_a_impl = _hyp2f1_grad(1)
hyp2f1_grad_b_impl = _hyp2f1_grad(2)
hyp2f1_grad_c_impl = _hyp2f1_grad(3)
