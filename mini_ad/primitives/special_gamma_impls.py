"""Float64-accurate NumPy implementations of the regularized incomplete gamma functions
behind the cards of special_gamma.py: ``igamma`` (P), ``igammac`` (Q), ``igamma_grad_a``
(∂P/∂a) and ``random_gamma_grad`` (the implicit derivative of a gamma sample).

Methods (all elementwise, vectorized with masks, each element's loop stopping by itself):

* x < a + 1: the series P = F(a, x)/a · sum_{n>=0} x^n / ((a+1)...(a+n));
* x >= a + 1: Legendre's continued fraction Q = F(a, x) · 1/(x+1-a- 1(1-a)/(x+3-a- ...)),
  evaluated by the modified Lentz method;
* Q for a < 1 and x < a + 1 (where 1 - P would cancel):
  Q = -expm1(a log x - lgamma(1+a)) - x^a/Γ(1+a) · a sum_{n>=1} (-x)^n / (n! (a+n)).

F(a, x) = x^a e^-x / Γ(a) is written, for a >= 8, as sqrt(a/2π) exp(a (log λ - λ + 1)
- c(a)) with λ = x/a and Stirling's correction c(a) = lgamma(a) - (a-1/2) log a + a
- log(2π)/2, so that no large logarithms cancel. The derivatives in a come from the same
formulas run on dual numbers (value, ∂/∂a), as forward-mode differentiation would.
The loops need about 9 sqrt(a) steps near x = a; they stop after 60 000 (a above about
4e7 with |x - a| of order sqrt(a)), and such elements are NaN rather than inaccurate.
"""

from __future__ import annotations

import numpy as np

from mini_ad.primitives.special_impls import (
    _LGAMMA2_SERIES,
    _STIRLING,
    _digamma_impl,
    _lgamma_impl,
    _polyval,
)

_EPS = np.finfo(np.float64).eps
_MAX_STEPS = 60_000
_TINY = 1e-300


class Dual:
    """A value and its derivative in one variable, through + - * / (forward mode)."""

    __slots__ = ("v", "d")
    __array_ufunc__ = None  # ndarray (op) Dual defers to the Dual's reflected operator

    def __init__(self, v, d=0.0):
        self.v, self.d = v, d

    def __add__(self, o):
        o = _dual(o)
        return Dual(self.v + o.v, self.d + o.d)

    __radd__ = __add__

    def __sub__(self, o):
        o = _dual(o)
        return Dual(self.v - o.v, self.d - o.d)

    def __rsub__(self, o):
        return _dual(o) - self

    def __neg__(self):
        return Dual(-self.v, -self.d)

    def __mul__(self, o):
        o = _dual(o)
        return Dual(self.v * o.v, self.d * o.v + self.v * o.d)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = _dual(o)
        q = self.v / o.v
        return Dual(q, (self.d - q * o.d) / o.v)

    def __rtruediv__(self, o):
        return _dual(o) / self


def _dual(x):
    return x if isinstance(x, Dual) else Dual(x)


def dual_exp(x: Dual) -> Dual:
    e = np.exp(x.v)
    return Dual(e, e * x.d)


def dual_where(mask, x, y) -> Dual:
    x, y = _dual(x), _dual(y)
    return Dual(np.where(mask, x.v, y.v), np.where(mask, x.d, y.d))


def stirling_correction(a):
    """c(a) = lgamma(a) - (a - 1/2) log a + a - log(2π)/2 and c'(a), for a >= 8."""
    w = 1 / (a * a)
    value = _polyval(_STIRLING, w) / a
    # c(a) = sum_k s_k a^(1-2k), so c'(a) = sum_k (1 - 2k) s_k a^(-2k)
    derivative = _polyval([(1 - 2 * (k + 1)) * s for k, s in enumerate(_STIRLING)], w) * w
    return value, derivative


def _log_prefactor(a, x):
    """log F(a, x) = log(x^a e^-x / Γ(a)) as a Dual in a (a > 0, x > 0 finite)."""
    big = a >= 8
    ab = np.where(big, a, 8.0)
    t = (x - ab) / ab  # λ - 1
    c, dc = stirling_correction(ab)
    # a (log λ - λ + 1) = a (log1p(t) - t), whose derivative in a is log λ
    stirling = Dual(
        ab * (np.log1p(t) - t) + 0.5 * np.log(ab / (2 * np.pi)) - c,
        np.log1p(t) + 0.5 / ab - dc,
    )
    log_x = np.log(x)
    direct = Dual(a * log_x - x - _lgamma_impl(a), log_x - _digamma_impl(a))
    return dual_where(big, stirling, direct)


def _series(a, x, active):
    """sum_{n>=0} x^n / ((a+1)...(a+n)) as a Dual in a, where ``active``."""
    term, total = Dual(np.ones_like(x)), Dual(np.ones_like(x))
    done = ~active
    for n in range(1, _MAX_STEPS):
        if done.all():
            break
        term = term * x / (a + n)
        total = dual_where(done, total, total + term)
        done = done | (np.abs(term.v) <= _EPS * 0.25 * np.abs(total.v))
    return total, done


def _continued_fraction(a, x, active):
    """Legendre's continued fraction for Γ(a, x) e^x x^-a (as a Dual in a), x >= a + 1."""
    b = x + 1 - a
    c = Dual(np.full_like(x, 1 / _TINY))
    d = 1 / b
    h = d
    done = ~active
    for i in range(1, _MAX_STEPS):
        if done.all():
            break
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = dual_where(np.abs(d.v) < _TINY, _TINY, d)
        c = b + an / c
        c = dual_where(np.abs(c.v) < _TINY, _TINY, c)
        d = 1 / d
        step = d * c
        h = dual_where(done, h, h * step)
        done = done | (np.abs(step.v - 1) <= _EPS * 0.5)
    return h, done


def _lgamma1p(a):
    """lgamma(1 + a) for 0 < a < 1 without rounding 1 + a, and its derivative ψ(1 + a)."""
    value = np.where(
        a <= 0.5, _polyval(_LGAMMA2_SERIES, a) - np.log1p(a), _polyval(_LGAMMA2_SERIES, a - 1)
    )
    return Dual(value, _digamma_impl(1 + a))


def _q_small_a(a, x):
    """Q(a, x) for 0 < a < 1, 0 < x < 2 without cancellation (see the module docstring)."""
    t = Dual(a * np.log(x), np.log(x)) - _lgamma1p(a)
    u = dual_exp(t)
    total, power = Dual(np.zeros_like(a)), np.ones_like(a)
    for n in range(1, 40):  # |x| < 2: (-x)^n / n! is below 1e-19 after 40 terms
        power = power * (-x) / n
        total = total + power / (Dual(a, 1.0) + n)
    expm1_t = Dual(np.expm1(t.v), np.exp(t.v) * t.d)
    return -expm1_t - u * Dual(a, 1.0) * total


def _regions(a, x):
    """The elements with a finite answer to compute, and their safe arguments."""
    inside = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
    a_safe, x_safe = np.where(inside, a, 1.0), np.where(inside, x, 1.0)
    return inside, a_safe, x_safe


def _p_and_q(a, x):
    """The series and the continued fraction (Duals in a), each where it applies."""
    inside, a, x = _regions(a, x)
    use_series = x < a + 1
    ad = Dual(a, 1.0)
    log_f = _log_prefactor(a, x)
    s, s_done = _series(ad, x, inside & use_series)
    h, h_done = _continued_fraction(ad, x, inside & ~use_series)
    f = dual_exp(log_f)
    p_series = f * s / ad
    q_fraction = f * h
    converged = np.where(use_series, s_done, h_done)
    return inside, use_series, converged, p_series, q_fraction, log_f, s, h, a, x


def igamma_impl(a, x):
    """P(a, x) = γ(a, x)/Γ(a), the regularized lower incomplete gamma function."""
    inside, use_series, converged, p_series, q_fraction, *_ = _p_and_q(a, x)
    p = np.where(use_series, p_series.v, 1 - q_fraction.v)
    return _edges(p, a, x, inside, converged, at_zero_a=1.0, at_zero_x=0.0, at_inf_x=1.0)


def igammac_impl(a, x):
    """Q(a, x) = 1 - P(a, x), computed without cancellation."""
    inside, use_series, converged, p_series, q_fraction, *rest = _p_and_q(a, x)
    a_in, x_in = rest[-2], rest[-1]
    small = use_series & (a_in < 1)
    q_small = _q_small_a(np.where(small, a_in, 0.5), np.where(small, x_in, 1.0))
    q = np.where(use_series, np.where(small, q_small.v, 1 - p_series.v), q_fraction.v)
    return _edges(q, a, x, inside, converged, at_zero_a=0.0, at_zero_x=1.0, at_inf_x=0.0)


def _edges(values, a, x, inside, converged, *, at_zero_a, at_zero_x, at_inf_x):
    """JAX's values off the interior: nan for a < 0, x < 0, a = x = 0, a = inf or nan."""
    finite_a = np.isfinite(a) & (a >= 0)
    out = np.where(inside & converged, values, np.nan)
    out = np.where(finite_a & (a > 0) & (x == 0), at_zero_x, out)
    out = np.where(finite_a & (a > 0) & np.isposinf(x), at_inf_x, out)
    return np.where((a == 0) & (x > 0), at_zero_a, out)


def igamma_grad_a_impl(a, x):
    """∂P(a, x)/∂a: the series (x < a + 1) or the continued fraction, on dual numbers."""
    inside, use_series, converged, p_series, q_fraction, *_ = _p_and_q(a, x)
    grad = np.where(use_series, p_series.d, -q_fraction.d)
    out = np.where(inside & converged, grad, np.nan)
    return np.where(np.isfinite(a) & (a > 0) & (x == 0), 0.0, out)


def random_gamma_grad_impl(a, x):
    """dx/da for a sample x of Gamma(a, 1) held at a fixed quantile:
    -(∂P/∂a) / (∂P/∂x), with ∂P/∂x = F(a, x)/x; F cancels from both, so nothing
    underflows: -x (d log F · S/a + (S/a)') below a + 1, x (d log F · h + h') above."""
    inside, use_series, converged, _, _, log_f, s, h, a_in, x_in = _p_and_q(a, x)
    s_over_a = s / Dual(a_in, 1.0)
    below = -x_in * (log_f.d * s_over_a.v + s_over_a.d)
    above = x_in * (log_f.d * h.v + h.d)
    out = np.where(inside & converged, np.where(use_series, below, above), np.nan)
    return np.where(np.isfinite(a) & (a > 0) & (x == 0), 0.0, out)
