"""The spherical harmonics ``sph_harm_y`` of ``mini_ad.scipy.special``, with JAX's
signature and its index conventions (``n`` and ``m`` one-dimensional, clipped to
``n_max``; ``theta`` shorter than ``n`` reused from its last entry). A composition of
``mini_ad.numpy``: the orthonormal associated Legendre function comes from the standard
three-term recurrence in the degree, so that ``theta`` and ``phi`` are differentiated
through it, as in JAX.
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.scipy._special_bessel import special_function

__all__ = ["sph_harm_y"]


def _static_n_max(n, n_max):
    if n_max is not None:
        return int(n_max)
    try:
        return int(np.max(np.asarray(n)))
    except TypeError as error:  # a tracer refuses conversion to a NumPy array
        raise TypeError(
            "sph_harm_y needs n_max as a Python int when n is traced (under jit or vmap): "
            "pass n_max=... explicitly."
        ) from error


def _legendre(n, m, x, s, n_max):
    """The orthonormal associated Legendre function ``P̄_n^m(x)`` with the Condon–Shortley
    phase (``∫ P̄² dx = 1/(2π)``), for integer-valued ``0 <= n, m <= n_max`` (0 where
    ``m > n``); ``s = √(1 − x²)``. Upward in the degree l from the diagonal
    ``P̄_m^m = (−1)^m √((2m+1)/(4π) Π_{k<=m} (2k−1)/(2k)) s^m``:
    ``P̄_l^m = a_l (x P̄_{l−1}^m − P̄_{l−2}^m / a_{l−1})`` with ``a_l = √((4l²−1)/(l²−m²))``."""
    one = mnp.ones_like(x)
    diagonal = one * math.sqrt(1 / (4 * math.pi))
    for k in range(1, n_max + 1):
        factor = -math.sqrt((2 * k - 1) / (2 * k)) * s
        diagonal = mnp.where(m >= k, diagonal * factor, diagonal)
    diagonal = diagonal * mnp.sqrt(2 * m + 1)
    previous, current = mnp.zeros_like(x), mnp.zeros_like(x)  # P̄_{l−2}^m, P̄_{l−1}^m
    previous_a = one
    out = mnp.zeros_like(x)
    for level in range(n_max + 1):
        # a_l, and 1 where unused (no nan in a branch that reverse mode multiplies by 0)
        used = m < level
        gap = mnp.where(used, level * level - m * m, 1.0)
        a = mnp.sqrt(mnp.where(used, (4 * level * level - 1) / gap, 1.0))
        upward = a * (x * current - previous / previous_a)
        value = mnp.where(m == level, diagonal, mnp.where(m < level, upward, 0.0))
        out = mnp.where(n == level, value, out)
        previous, current = current, value
        previous_a = a
    return out


@special_function
def sph_harm_y(n, m, theta, phi, diff_n=None, n_max=None):
    """The spherical harmonics ``Y_n^m(θ, φ) = N P_n^m(cos θ) e^(imφ)``, orthonormal on the
    sphere, with the Condon–Shortley phase (as SciPy's ``sph_harm_y``).

    As JAX's: ``n`` and ``m`` are one-dimensional integer arrays, clipped into
    ``[0, n_max]`` (``|m|`` too), ``0`` where ``|m| > n``; ``theta`` (a scalar becomes
    one entry) is indexed like ``n``, its last entry reused where it is shorter.
    Differentiable in ``theta`` and ``phi``; the result is complex.

    Args:
      n: the degrees, ``n >= 0``.
      m: the orders, ``|m| <= n``.
      theta: the polar angles (colatitudes), in ``[0, π]``.
      phi: the azimuthal angles, broadcast against ``n``.
      diff_n: unsupported (NotImplementedError), as in JAX.
      n_max: the largest degree, a Python int; needed when ``n`` is traced.

    Returns:
      A complex array of ``n``'s length (broadcast with ``phi``).

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.special import sph_harm_y
      >>> y = sph_harm_y(np.array([0, 1]), np.array([0, 0]), np.array([0.0, 0.0]), 0.0)
      >>> print(np.round(y.real, 8))  # 1/√(4π), √(3/(4π))
      [0.28209479 0.48860251]
    """
    if diff_n is not None:
        raise NotImplementedError("The 'diff_n' argument of sph_harm_y is not supported.")
    n_max = _static_n_max(n, n_max)
    theta, phi = promote_dtypes_inexact(mnp.asarray(theta), mnp.asarray(phi))
    dtype = get_aval(theta).dtype
    if theta.ndim == 0:
        theta = mnp.reshape(theta, (1,))
    n, m = mnp.asarray(n), mnp.asarray(m)
    length = n.shape[0]
    theta = mnp.take(theta, np.minimum(np.arange(length), theta.shape[0] - 1))
    degree = mnp.clip(mnp.astype(n, dtype), 0, n_max)
    order = mnp.clip(mnp.abs(mnp.astype(m, dtype)), 0, n_max)
    legendre = _legendre(degree, order, mnp.cos(theta), mnp.sin(theta), n_max)
    angle = order * phi
    harmonics = lax.complex(legendre * mnp.cos(angle), legendre * mnp.sin(angle))
    sign = mnp.where(mnp.remainder(order, 2) == 1, -1.0, 1.0)
    return mnp.where(m < 0, sign * mnp.conj(harmonics), harmonics)
