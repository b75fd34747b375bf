"""``mini_ad.scipy.special``'s counting functions, Box–Cox transforms and the inverses of
the normal distribution and erfc (JAX's names and signatures), re-exported by
``mini_ad.scipy.special``.
"""

from __future__ import annotations

import math
import operator

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.numpy._core import promote_and_broadcast
from mini_ad.primitives import special as sp
from mini_ad.primitives import special_gamma as sg
from mini_ad.primitives.special_impls import _bernoulli
from mini_ad.scipy._special_gamma import as_float, special_function


@special_function
def factorial(n, exact: bool = False):
    """``n! = Γ(n + 1)`` as a float, ``exp(lgamma(n + 1))`` as in JAX; 0 for ``n < 0``.

    Args:
      n: real arguments.
      exact: only ``False`` is supported (``True``: NotImplementedError, as in JAX).

    Returns:
      ``n!``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import factorial
      >>> print(round(float(factorial(5.0, exact=False)), 9))
      120.0
    """
    if exact:
        raise NotImplementedError("factorial with exact=True")
    n = as_float(n)
    return mnp.where(n < 0, mnp.zeros_like(n), mnp.exp(sp.lgamma(n + 1)))


@special_function
def comb(N, k, *, repetition: bool = False):  # noqa: N803 - SciPy's and JAX's name
    """The binomial coefficient ``N choose k`` as a float, through ``lgamma`` as in JAX;
    0 for ``N < 0``, ``k < 0`` or ``k > N``.

    Args:
      N: real numbers of things.
      k: real numbers taken, broadcast against ``N``.
      repetition: count combinations with repetition (``comb(N + k - 1, k)``).

    Returns:
      The float-valued ``N choose k``.

    Examples:
      >>> from mini_ad.scipy.special import comb
      >>> print(round(float(comb(5.0, 2.0)), 9), round(float(comb(5.0, 2.0, repetition=True)), 9))
      10.0 15.0
    """
    N, k = promote_and_broadcast(N, k, inexact=True)  # noqa: N806
    if repetition:
        result = comb(N + k - 1, k)
        return mnp.where((k == 0) & (N >= 0), mnp.ones_like(result), result)
    ok = (k <= N) & (N >= 0) & (k >= 0)
    safe_n = mnp.where(ok, N, mnp.zeros_like(N))
    safe_k = mnp.where(ok, k, mnp.zeros_like(k))
    log_value = sp.lgamma(safe_n + 1) - sp.lgamma(safe_k + 1) - sp.lgamma(safe_n + 1 - safe_k)
    return mnp.where(ok, mnp.exp(log_value), mnp.zeros_like(log_value))


def bernoulli(n: int):
    """The Bernoulli numbers ``B_0 .. B_n`` (``B_1 = -1/2``), exact rationals rounded to
    float64 (JAX's are approximations: its ``B_4`` is off by 2e-6).

    Args:
      n: a concrete non-negative Python integer.

    Returns:
      A float64 array of length ``n + 1``.

    Raises:
      ValueError: ``n`` is negative.

    Examples:
      >>> from mini_ad.scipy.special import bernoulli
      >>> print(bernoulli(4))
      [ 1.         -0.5         0.16666667  0.         -0.03333333]
    """
    n = operator.index(n)
    if n < 0:
        raise ValueError("n must be a non-negative integer.")
    return mnp.asarray(np.array([float(b) for b in _bernoulli(n)], dtype=np.float64))


def _boxcox_of_log(log_x, lmbda):
    zero = lmbda == 0
    safe = mnp.where(zero, mnp.ones_like(lmbda), lmbda)
    return mnp.where(zero, log_x, mnp.expm1(safe * log_x) / safe)


@special_function
def boxcox(x, lmbda):
    """The Box–Cox transform ``(x^λ - 1)/λ`` (``log x`` at ``λ = 0``), as
    ``expm1(λ log x)/λ``; nan for ``x < 0``.

    Args:
      x: positive data.
      lmbda: real exponents, broadcast against ``x``.

    Returns:
      The transformed values, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import boxcox
      >>> print(round(float(boxcox(4.0, 0.5)), 12))  # (2 - 1)/0.5
      2.0
    """
    x, lmbda = promote_and_broadcast(x, lmbda, inexact=True)
    return _boxcox_of_log(mnp.log(x), lmbda)


@special_function
def boxcox1p(x, lmbda):
    """The Box–Cox transform of ``1 + x``, ``expm1(λ log1p(x))/λ`` (``log1p(x)`` at
    ``λ = 0``), accurate for small ``x``.

    Args:
      x: data above -1.
      lmbda: real exponents, broadcast against ``x``.

    Returns:
      The transformed values, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import boxcox1p
      >>> print(round(float(boxcox1p(3.0, 0.5)), 12))
      2.0
    """
    x, lmbda = promote_and_broadcast(x, lmbda, inexact=True)
    return _boxcox_of_log(mnp.log1p(x), lmbda)


@special_function
def erfcx(x):
    """The scaled complementary error function ``e^(x²) erfc(x)``, finite for large
    ``x`` (binds the ``erfcx`` primitive; derivative ``2x erfcx(x) - 2/√π``).

    Args:
      x: real arguments.

    Returns:
      ``erfcx(x)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import erfcx
      >>> print(f"{float(erfcx(1e10)):.10e}")  # ≈ 1/(x √π)
      5.6418958355e-11
    """
    return sg.erfcx(as_float(x))


@special_function
def erfcinv(x):
    """The inverse of ``erfc`` on ``[0, 2]`` (inf at 0, -inf at 2, nan outside),
    accurate for tiny arguments (as in SciPy and HIPS autograd; JAX has no ``erfcinv``).

    Args:
      x: arguments in ``[0, 2]``.

    Returns:
      ``erfcinv(x)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import erfcinv, erfc
      >>> print(round(float(erfcinv(1e-300)), 10), float(erfc(erfcinv(0.5))))
      26.2094699605 0.5
    """
    return sg.erfc_inv(as_float(x))


@special_function
def ndtri(p):
    """The inverse of the standard normal CDF, ``-√2 erfcinv(2p)``: accurate in both
    tails (down to the smallest subnormal ``p``; JAX gives 0 there).

    Args:
      p: probabilities in ``[0, 1]`` (-inf at 0, inf at 1, nan outside).

    Returns:
      ``Φ⁻¹(p)``, of the promoted dtype.

    Examples:
      >>> from mini_ad.scipy.special import ndtri
      >>> print(round(float(ndtri(1e-300)), 6), float(ndtri(0.5)))
      -37.047096 -0.0
    """
    p = as_float(p)
    return -math.sqrt(2) * sg.erfc_inv(2 * p)
