"""``mini_ad.scipy.special``'s gamma-, beta- and zeta-family functions (JAX's names,
signatures and derivatives), re-exported by ``mini_ad.scipy.special``.

The incomplete gamma and beta functions, the Hurwitz zeta function, ``erfcx`` and erfc's
inverse bind the primitives of ``mini_ad/primitives/special_gamma.py``; the rest are
compositions of ``mini_ad.numpy`` and the lgamma/digamma primitives, written as JAX
writes them where JAX fixes a rule (``poch`` and ``zeta`` have JAX's custom JVPs).
"""

from __future__ import annotations

import functools
import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.control_flow.custom_jvp import custom_jvp
from mini_ad.numpy._core import promote_and_broadcast, promote_dtypes_inexact
from mini_ad.primitives import special as sp
from mini_ad.primitives import special_gamma as sg
from mini_ad.primitives.special_impls import _B
from mini_ad.tree_util import tree_map


def special_function(fun):
    """Return Arrays outside a transform, and do not warn about inf or nan."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = fun(*args, **kwargs)
        return tree_map(mnp.asarray, out)

    return wrapped


def as_float(x):
    (x,) = promote_dtypes_inexact(x)
    return x


def _gamma_sign(x):
    """The sign of Γ(x) (as ``gammasgn``): -1 on (-2k-1, -2k) and at -0.0, nan at poles."""
    floor_x = mnp.floor(x)
    pole = ((x < 0) & (x == floor_x)) | mnp.isnan(x)
    negative = ((x < 0) & (mnp.remainder(floor_x, 2) != 0)) | ((x == 0) & (1 / x < 0))
    sign = mnp.where(negative, mnp.full_like(x, -1.0), mnp.ones_like(x))
    return mnp.where(pole, mnp.full_like(x, np.nan), sign)


@special_function
def gammainc(a, x):
    """The regularized lower incomplete gamma function ``P(a, x) = γ(a, x)/Γ(a)``.

    Binds ``igamma``; differentiable in ``a`` (``igamma_grad_a``) and ``x``, as in JAX.
    Relative error about 1e-14 for ``a`` up to 1e6 (vs mpmath), plus in the far tails
    about ``|x - a|`` ulps, the condition number (what rounding ``x`` alone costs);
    subnormal results lose digits. The loops stop after 60 000 steps (``a`` above about
    4e7 near ``x = a``): such elements are nan, not inaccurate.

    Args:
      a: positive shape parameters (nan for ``a < 0``).
      x: non-negative arguments, broadcast against ``a``.

    Returns:
      ``P(a, x)``, of the promoted dtype (float32 stays float32).

    Examples:
      >>> import math
      >>> from mini_ad.scipy.special import gammainc
      >>> print(round(float(gammainc(1.0, 2.0)), 12), round(1 - math.exp(-2), 12))
      0.864664716763 0.864664716763
    """
    return sg.igamma(*promote_and_broadcast(a, x, inexact=True))


@special_function
def gammaincc(a, x):
    """The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``,
    accurate where it is tiny (binds ``igammac``; accuracy as ``gammainc``).

    Args:
      a: positive shape parameters.
      x: non-negative arguments, broadcast against ``a``.

    Returns:
      ``Q(a, x)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import gammaincc
      >>> print(f"{float(gammaincc(1.0, 50.0)):.6e}")  # e^-50
      1.928750e-22
    """
    return sg.igammac(*promote_and_broadcast(a, x, inexact=True))


@special_function
def betainc(a, b, x):
    """The regularized incomplete beta function ``I_x(a, b)`` (binds
    ``regularized_incomplete_beta``). Differentiable in ``x`` only, as in JAX (a
    ValueError for ``a`` and ``b``). Relative error about 1e-13 for ``a, b`` up to 1e5
    near the bulk (vs SciPy and mpmath); in far tails it grows as ``|a log x|`` ulps.

    Args:
      a: positive parameters.
      b: positive parameters.
      x: points of ``[0, 1]``; all three broadcast together.

    Returns:
      ``I_x(a, b)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import betainc
      >>> float(betainc(2.0, 3.0, 0.5))  # 11/16
      0.6875
    """
    return sg.betainc(*promote_and_broadcast(a, b, x, inexact=True))


def _stirling_correction(x):
    """c(x) = lgamma(x) - (x - 1/2) log x + x - log(2π)/2 for x >= 8, in mini_ad.numpy."""
    w = 1 / (x * x)
    total = mnp.zeros_like(x)
    for k in reversed(range(1, 11)):
        total = total * w + float(_B[2 * k] / (2 * k * (2 * k - 1)))
    return total / x


@special_function
def betaln(a, b):
    """``log |B(a, b)|``, accurate when one argument is large: with ``s <= t`` the
    smaller and larger, ``t >= 8``, Stirling's series leaves ``lgamma(s) - s log t -
    t (log1p(s/t) - s/t) - (s - 1/2) log1p(s/t) + c(t) - c(s + t)``, where no large
    terms cancel (c: Stirling's correction); below, ``lgamma(a) + lgamma(b) - lgamma(a+b)``.
    Derivatives are this formula's (they equal ``ψ(a) - ψ(a + b)``).

    Args:
      a: real parameters.
      b: real parameters, broadcast against ``a``.

    Returns:
      ``log |B(a, b)|``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import betaln
      >>> print(round(float(betaln(1.0, 1e10)), 10))  # -log(1e10)
      -23.0258509299
    """
    a, b = promote_and_broadcast(a, b, inexact=True)
    small, big = mnp.minimum(a, b), mnp.maximum(a, b)
    direct = sp.lgamma(small) + sp.lgamma(big) - sp.lgamma(small + big)
    large = big >= 8
    t = mnp.where(large, big, mnp.full_like(big, 8.0))
    s = mnp.where(large, small, mnp.ones_like(small))
    r = s / t
    stirling = (
        sp.lgamma(s) - s * mnp.log(t) - t * (mnp.log1p(r) - r) - (s - 0.5) * mnp.log1p(r)
        + _stirling_correction(t) - _stirling_correction(t + s)
    )  # fmt: skip
    return mnp.where(large, stirling, direct)


@special_function
def beta(a, b):
    """The beta function ``B(a, b) = Γ(a)Γ(b)/Γ(a+b)``, as JAX: ``sign · exp(betaln)``.

    Args:
      a: real parameters.
      b: real parameters, broadcast against ``a``.

    Returns:
      ``B(a, b)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import beta
      >>> print(round(float(beta(2.0, 3.0)), 14))  # 1/12
      0.08333333333333
    """
    a, b = promote_and_broadcast(a, b, inexact=True)
    sign = _gamma_sign(a) * _gamma_sign(b) * _gamma_sign(a + b)
    return sign * mnp.exp(betaln(a, b))


@special_function
def multigammaln(a, d):
    """``log Γ_d(a) = d(d-1)/4 log π + sum_{i<d} lgamma(a - i/2)``, as JAX (no check that
    ``a > (d-1)/2``: inf or nan there, where SciPy raises).

    Args:
      a: real arguments.
      d: the dimension, a concrete Python integer.

    Returns:
      ``log Γ_d(a)``, of ``a``'s promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import multigammaln
      >>> print(round(float(multigammaln(3.0, 1)), 12))  # log Γ(3)
      0.69314718056
    """
    d = int(d)
    a = as_float(a)
    total = mnp.full_like(a, 0.25 * d * (d - 1) * math.log(math.pi))
    for i in range(d):
        total = total + sp.lgamma(a - 0.5 * i)
    return total


def _gamma(x):
    return _gamma_sign(x) * mnp.exp(sp.lgamma(x))


@custom_jvp
def _poch(z, m):
    return mnp.where(m == 0.0, mnp.ones_like(z), _gamma(z + m) / _gamma(z))


# d poch / dz = (ψ(z+m) - ψ(z)) poch; d poch / dm = ψ(z+m) poch (JAX's rules)
_poch.defjvps(
    lambda t, ans, z, m: t * (sp.digamma(z + m) - sp.digamma(z)) * ans,
    lambda t, ans, z, m: t * sp.digamma(z + m) * ans,
)


@special_function
def poch(z, m):
    """The Pochhammer symbol ``(z)_m = Γ(z + m)/Γ(z)``, as JAX (a ratio of gammas: it
    overflows for ``z + m`` above 171.6, and its relative error is about
    ``|lgamma| · 1e-16``).

    Args:
      z: real arguments.
      m: real arguments, broadcast against ``z``.

    Returns:
      ``(z)_m``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import poch
      >>> print(round(float(poch(3.0, 2.0)), 10))  # 3 · 4
      12.0
    """
    return _poch(*promote_and_broadcast(z, m, inexact=True))


_ZETA_TERMS, _ZETA_BERNOULLI = 16, 12


def _zeta_derivative_s(s, q):
    """∂ζ(s, q)/∂s from the first 16 terms and Euler–Maclaurin's tail at y = q + 16:
    -sum log(q+k) (q+k)^-s + d/ds [y^(1-s)/(s-1) + y^-s (1/2 + sum_j B_2j/(2j)! (s)_(2j-1)
    y^(1-2j))] (accurate while s is below about 2π y; JAX's rule is this series' jvp)."""
    total = mnp.zeros_like(s)
    for k in range(_ZETA_TERMS):
        total = total - mnp.log(q + k) * (q + k) ** -s
    y = q + _ZETA_TERMS
    log_y = mnp.log(y)
    power = y ** (1 - s)
    total = total - power * (log_y / (s - 1) + 1 / ((s - 1) * (s - 1)))
    rising, rising_d = s, mnp.ones_like(s)  # (s)_(2j-1) and its derivative in s
    series, series_d = mnp.full_like(s, 0.5), mnp.zeros_like(s)
    for j in range(1, _ZETA_BERNOULLI + 1):
        c = float(_B[2 * j]) / math.factorial(2 * j) * y ** (1.0 - 2 * j)
        series, series_d = series + c * rising, series_d + c * rising_d
        rising, rising_d = (
            rising * (s + 2 * j - 1) * (s + 2 * j),
            rising_d * (s + 2 * j - 1) * (s + 2 * j) + rising * (2 * s + 4 * j - 1),
        )
    return total + y**-s * (series_d - log_y * series)


@custom_jvp
def _zeta(s, q):
    return sg.zeta(s, q)


# d ζ/ds: the series above; d ζ/dq = -s ζ(s + 1, q)
_zeta.defjvps(
    lambda t, ans, s, q: t * _zeta_derivative_s(s, q),
    lambda t, ans, s, q: -t * s * _zeta(s + 1, q),
)


@special_function
def zeta(x, q=None):
    """The Hurwitz zeta function ``ζ(x, q) = sum_{k>=0} (q + k)^-x`` (binds ``zeta``).

    As in JAX, ``q=None`` (Riemann's zeta) is a NotImplementedError; inf at ``x = 1``, nan
    for ``x < 1``, at ``q = 0, -1, ...`` and for ``q < 0`` unless ``x`` is an integer.
    Derivatives in both arguments (JAX's rules; ``∂/∂x`` from a series accurate while
    ``x < 2π(q + 16)``).

    Args:
      x: real exponents.
      q: real offsets, broadcast against ``x``.

    Returns:
      ``ζ(x, q)``, of the promoted dtype.

    Examples:
      >>> import math
      >>> from mini_ad.scipy.special import zeta
      >>> print(round(float(zeta(2.0, 1.0)), 12), round(math.pi**2 / 6, 12))
      1.644934066848 1.644934066848
    """
    if q is None:
        raise NotImplementedError(
            "Riemann zeta function not implemented; pass q != None to compute the Hurwitz "
            "Zeta function."
        )
    return _zeta(*promote_and_broadcast(x, q, inexact=True))


@special_function
def loggamma(x):
    """The principal branch of ``log Γ(x)`` for real ``x``: ``lgamma(x)`` for ``x > 0``,
    nan for ``x <= 0`` (as JAX for real inputs; complex inputs are not supported).

    Args:
      x: real arguments.

    Returns:
      ``log Γ(x)``, of the promoted dtype.

    Examples:
      >>> import math
      >>> from mini_ad.scipy.special import loggamma
      >>> float(loggamma(4.0)) == math.log(6.0)
      True
    """
    x = as_float(x)
    return mnp.where(x > 0, sp.lgamma(x), mnp.full_like(x, np.nan))


@special_function
def psi(x):
    """The digamma function ``ψ(x)``, SciPy's other name for ``digamma`` (as in HIPS
    autograd; ``jax.scipy.special`` has no ``psi``).

    Args:
      x: real arguments.

    Returns:
      ``ψ(x)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import psi
      >>> round(float(psi(1.0)), 14)  # -γ
      -0.57721566490153
    """
    return sp.digamma(as_float(x))
