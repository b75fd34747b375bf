"""Exponential and trigonometric integrals of ``mini_ad.scipy.special``: ``exp1``,
``expi``, ``expn``, ``sici``, ``fresnel``, ``dawsn``, ``spence`` and Owen's ``owens_t``,
with JAX's signatures. Each binds the primitives of ``mini_ad/primitives/expint.py``
and ``owens_t.py`` (float64-accurate NumPy impls); integers become float64, float32
stays float32.

Edge values follow SciPy where JAX's differ: ``exp1(inf) = 0`` (JAX: nan),
``expi(0) = -inf``, ``expi(±inf) = inf, 0`` (JAX: nan), ``expn(n, 0) = 1/(n-1)`` for
``n > 1`` (JAX: ``1/n``).
"""

from __future__ import annotations

from mini_ad.numpy._core import promote_and_broadcast
from mini_ad.primitives import expint as ei
from mini_ad.primitives import owens_t as ot
from mini_ad.scipy._special_bessel import as_float, special_function, with_order

__all__ = ["dawsn", "exp1", "expi", "expn", "fresnel", "owens_t", "sici", "spence"]


@special_function
def exp1(x):
    """The exponential integral ``E₁(x) = ∫₁^∞ e^(−xt)/t dt`` (nan for ``x < 0``).

    Derivative: ``−e^(−x)/x``.

    Args:
      x: real arguments.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import exp1
      >>> print(round(float(exp1(1.0)), 12))
      0.219383934396
    """
    return ei.exp1(as_float(x))


@special_function
def expi(x):
    """The exponential integral ``Ei(x)`` (principal value; ``Ei(x) = −E₁(−x)`` for x < 0).

    Derivative: ``e^x / x``.

    Args:
      x: real arguments.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import expi
      >>> print(round(float(expi(1.0)), 12))
      1.895117816356
    """
    return ei.expi(as_float(x))


@special_function
def expn(n, x):
    """The generalized exponential integral ``E_n(x) = ∫₁^∞ e^(−xt)/t^n dt``.

    ``n``: non-negative integer values (nan elsewhere, as JAX). Derivative in ``x``:
    ``−E_{n−1}(x)``; in ``n``: 0, as JAX's gradient.

    Args:
      n: integer orders.
      x: real arguments ``x >= 0`` (nan below).

    Returns:
      An array of the broadcast shape, in ``x``'s floating dtype.

    Examples:
      >>> from mini_ad.scipy.special import expn
      >>> print(round(float(expn(2, 1.0)), 12))
      0.148495506776
    """
    return ei.expn(*with_order(n, x))


@special_function
def spence(x):
    """Spence's function ``∫₁^x log t / (1 − t) dt = Li₂(1 − x)``, for ``x >= 0``.

    Derivative: ``log(x) / (1 − x)`` (−1 at 1).

    Args:
      x: real arguments (nan below 0).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import spence
      >>> print(round(float(spence(2.0)), 12))  # −π²/12
      -0.822467033424
    """
    return ei.spence(as_float(x))


@special_function
def dawsn(x):
    """Dawson's integral ``D(x) = e^(−x²) ∫₀^x e^(t²) dt``. Derivative: ``1 − 2x D(x)``.

    Args:
      x: real arguments.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import dawsn
      >>> print(round(float(dawsn(1.0)), 12))
      0.538079506913
    """
    return ei.dawsn(as_float(x))


@special_function
def sici(x):
    """The sine and cosine integrals ``(Si(x), Ci(x))``.

    ``Si`` is odd; for ``x < 0`` ``Ci`` gives ``Ci(|x|)`` (the real part), as SciPy and
    JAX. Derivatives: ``sin x / x`` and ``cos x / x``.

    Args:
      x: real arguments.

    Returns:
      A pair of arrays of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import sici
      >>> si, ci = sici(1.0)
      >>> print(round(float(si), 12), round(float(ci), 12))
      0.946083070367 0.337403922901
    """
    x = as_float(x)
    return ei.si(x), ei.ci(x)


@special_function
def fresnel(x):
    """The Fresnel integrals ``(S(x), C(x))``, ``∫₀^x sin(πt²/2) dt`` and the cosine one.

    Derivatives: ``sin(πx²/2)`` and ``cos(πx²/2)``.

    Args:
      x: real arguments.

    Returns:
      A pair of arrays of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import fresnel
      >>> s, c = fresnel(1.0)
      >>> print(round(float(s), 12), round(float(c), 12))
      0.43825914739 0.779893400377
    """
    x = as_float(x)
    return ei.fresnel_s(x), ei.fresnel_c(x)


@special_function
def owens_t(h, a):
    """Owen's T function ``T(h, a) = 1/(2π) ∫₀^a e^(−h²(1+x²)/2) / (1+x²) dx``.

    Even in ``h``, odd in ``a``; ``T(h, ±inf) = ±(1 − Φ(|h|))/2``. Differentiable in
    both: ``∂T/∂h = −φ(h) erf(ah/√2)/2``, ``∂T/∂a = e^(−h²(1+a²)/2) / (2π(1+a²))``.

    Args:
      h: real arguments.
      a: real arguments, broadcast against ``h``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> from mini_ad.scipy.special import owens_t
      >>> print(round(float(owens_t(0.0, 1.0)), 14))  # arctan(a)/(2π)
      0.125
    """
    return ot.owens_t(*promote_and_broadcast(h, a, inexact=True))
