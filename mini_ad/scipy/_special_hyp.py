"""The Faddeeva function ``wofz`` and the hypergeometric functions ``hyp1f1`` and ``hyp2f1``
of ``mini_ad.scipy.special``, with JAX's signatures. Each binds the primitives of
``mini_ad/primitives/hypergeometric.py`` (float64-accurate NumPy impls); float32 stays
float32 (``wofz``: complex64).

``hyp1f1`` is accurate on the whole real line (Kummer's transformation for ``x < 0``),
where JAX's series loses all precision below about ``x = −20``; JAX's conventions are
kept at the special points: 1 where ``a = 0``, ``e^x`` where ``a = b``, inf where ``b``
is a non-positive integer (and the series does not end first).

``hyp2f1`` is accurate for every real ``x < 1`` (Pfaff's transformation below 0; the
series converges slowly close to 1: nan where it needs more than 20000 terms, within
about 1e-3 of 1), where JAX's loses accuracy above about 0.9 and below −1. Above 1 it
is inf, as JAX's (the real function has a branch cut there).
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_and_broadcast
from mini_ad.primitives import hypergeometric as hg
from mini_ad.scipy._special_bessel import special_function

__all__ = ["hyp1f1", "hyp2f1", "wofz"]


@special_function
def wofz(z):
    """The Faddeeva function ``w(z) = e^(−z²) erfc(−iz)``.

    Real inputs are converted to complex (float32 to complex64, integers and float64 to
    complex128). Holomorphic: ``w'(z) = −2z w(z) + 2i/√π``.

    Args:
      z: real or complex arguments.

    Returns:
      A complex array of ``z``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import wofz
      >>> w = complex(wofz(1.0))
      >>> print(round(w.real, 12), round(w.imag, 12))  # e^(−1), 2 D(1)/√π
      0.367879441171 0.607157705841
    """
    z = mnp.asarray(z)
    dtype = np.promote_types(get_aval(z).dtype, np.complex64)
    return hg.wofz(mnp.astype(z, dtype))


@special_function
def hyp1f1(a, b, x):
    """Kummer's confluent hypergeometric function
    ``1F1(a; b; x) = Σ_k (a)_k / (b)_k x^k / k!``, for real arguments.

    Differentiable in all three: ``∂/∂x = a/b 1F1(a+1; b+1; x)``, and the ``a`` and
    ``b`` derivatives by their series (first order only: a second derivative in ``a``
    or ``b`` raises NotImplementedError).

    Args:
      a: real parameters.
      b: real parameters (inf at 0, −1, −2, ...).
      x: real arguments; the three broadcast together.

    Returns:
      An array of the broadcast shape.

    Raises:
      ValueError: for complex inputs, as JAX.

    Examples:
      >>> from mini_ad.scipy.special import hyp1f1
      >>> print(round(float(hyp1f1(1.0, 2.0, 1.0)), 12))  # e − 1
      1.718281828459
    """
    a, b, x = promote_and_broadcast(a, b, x, inexact=True)
    if get_aval(x).dtype.kind == "c":
        raise ValueError("hyp1f1 does not support complex-valued inputs.")
    return hg.hyp1f1(a, b, x)


@special_function
def hyp2f1(a, b, c, x):
    """Gauss's hypergeometric function ``2F1(a, b; c; x) = Σ_k (a)_k (b)_k / (c)_k x^k / k!``,
    for real arguments and ``x < 1``.

    JAX's conventions: 1 at ``x = 0`` and where ``a`` or ``b`` is 0; inf where ``c`` is
    0, −1, −2, ... and for ``x > 1``; Gauss's sum at ``x = 1`` (inf where
    ``c − a − b <= 0``). Differentiable in all four: ``∂/∂x = ab/c 2F1(a+1, b+1; c+1; x)``,
    and the parameter derivatives by their series (first order only: a second
    derivative in ``a``, ``b`` or ``c`` raises NotImplementedError).

    Args:
      a: real parameters.
      b: real parameters.
      c: real parameters.
      x: real arguments; the four broadcast together.

    Returns:
      An array of the broadcast shape.

    Raises:
      ValueError: for complex inputs.

    Examples:
      >>> from mini_ad.scipy.special import hyp2f1
      >>> print(round(float(hyp2f1(1.0, 1.0, 2.0, -1.0)), 12))  # log(2)
      0.69314718056
    """
    a, b, c, x = promote_and_broadcast(a, b, c, x, inexact=True)
    if get_aval(x).dtype.kind == "c":
        raise ValueError("hyp2f1 does not support complex-valued inputs.")
    return hg.hyp2f1(a, b, c, x)
