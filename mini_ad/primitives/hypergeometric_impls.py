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


# --- hyp1f1 ---------------------------------------------------------------------------------------

_EPS = np.finfo(np.float64).eps
_MAX_TERMS = 20000


def _kummer_series(a, b, x):
    """(F, ∂F/∂a, ∂F/∂b) of ``1F1(a; b; x)`` by the series (``x >= 0``, or a polynomial), summed until
    every term is below eps times its sum once the terms have started to shrink (nan where
    the series has not converged in _MAX_TERMS terms). Where a non-positive integer ``a``
    ends the series of F before a pole of ``b``, F is the polynomial and its derivatives
    are not finite."""
    term = np.ones_like(x)  # (a)_k / (b)_k x^k / k!
    term_a = np.zeros_like(x)  # d/da of it
    term_b = np.zeros_like(x)  # d/db of it
    total, total_a, total_b = term.copy(), term_a.copy(), term_b.copy()
    active = np.ones(x.shape, dtype=bool)
    # past this k, |term ratio| = |(a+k) x / ((b+k)(k+1))| < 1 stays true
    shrinking_from = np.ceil(np.maximum(np.maximum(np.abs(a), np.abs(b)), np.abs(x))) + 1
    for k in range(_MAX_TERMS):
        if not active.any():
            break
        step = x / ((b + k) * (k + 1))
        term_a = (term_a * (a + k) + term) * step
        term_b = (term_b - term / (b + k)) * (a + k) * step
        term = np.where(term == 0, 0.0, term * (a + k) * step)  # ended: stays 0 past b's pole
        total = total + np.where(active, term, 0.0)
        total_a = total_a + np.where(active, term_a, 0.0)
        total_b = total_b + np.where(active, term_b, 0.0)
        small = (
            (np.abs(term) <= _EPS * np.abs(total))
            & (np.abs(term_a) <= _EPS * np.abs(total_a))
            & (np.abs(term_b) <= _EPS * np.abs(total_b))
        )
        done = (k >= shrinking_from) & small
        done |= (term == 0) & (term_a == 0) & (term_b == 0)  # terminated, a = 0, -1, ...
        done |= ~(np.isfinite(total) & np.isfinite(total_a) & np.isfinite(total_b))
        active &= ~done
    unconverged = np.isnan(total) | active
    return tuple(np.where(unconverged, np.nan, t) for t in (total, total_a, total_b))


def _hyp1f1_all(a, b, x):
    """(F, ∂F/∂a, ∂F/∂b), with Kummer's transformation for x < 0:
    F(a, b, x) = e^x F(b−a, b, −x), so ∂a F = −e^x F₁, ∂b F = e^x (F₁ + F₂) there."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, x)))
    # a polynomial (a = 0, −1, −2, ...) is summed directly: it may end before a pole of b,
    # where the transformed series would not
    negative = (x < 0) & ~((a <= 0) & (a == np.round(a)))
    first = np.where(negative, b - a, a)
    value, d_first, d_b = _kummer_series(first, b, np.where(negative, -x, x))
    scale = np.where(negative, np.exp(x), 1.0)
    d_a = np.where(negative, -d_first, d_first) * scale
    d_b = np.where(negative, d_first + d_b, d_b) * scale
    return value * scale, d_a, d_b


def _pole_in_b(a, b):
    """b = 0, −1, −2, ... before a (a non-positive integer with a > b) ends the series."""
    b_pole = (b <= 0) & (b == np.round(b))
    terminates_first = (a <= 0) & (a == np.round(a)) & (a > b)
    return b_pole & ~terminates_first


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
