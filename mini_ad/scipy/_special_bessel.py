"""Bessel functions of ``mini_ad.scipy.special``: JAX's ``i0``, ``i0e``, ``i1``, ``i1e``
and ``bessel_jn``, and, as HIPS autograd differentiates them (JAX lacks them), SciPy's
``jn``, ``yn``, ``iv``, ``ive``, ``j0``, ``j1``, ``y0``, ``y1``.

They bind the primitives of ``mini_ad/primitives/bessel.py`` (float64-accurate NumPy
impls); integers are converted to float64, float32 stays float32. Derivatives in the
argument follow the classical recurrences; the order is not differentiable (a ValueError,
as autograd has no rule for it).
"""

from __future__ import annotations

import functools

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.primitives import bessel as bs
from mini_ad.tree_util import tree_map

__all__ = ["bessel_jn", "i0", "i0e", "i1", "i1e", "iv", "ive", "j0", "j1", "jn", "y0", "y1", "yn"]


def special_function(fun):
    """Return Arrays outside a transform, and do not warn about inf or nan."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = fun(*args, **kwargs)
        return tree_map(mnp.asarray, out)  # tracers pass; values become Arrays

    return wrapped


def as_float(x):
    """``x`` as an array of a floating dtype (integers become float64)."""
    (x,) = promote_dtypes_inexact(x)
    return x


def with_order(order, x):
    """``x`` as a float, and ``order`` converted to its dtype, both broadcast."""
    x = as_float(x)
    dtype = get_aval(x).dtype
    order = mnp.astype(mnp.asarray(order), dtype)
    order, x = mnp.broadcast_arrays(order, x)
    return order, x


@special_function
def i0e(x):
    """The exponentially scaled modified Bessel function ``I₀(x) e^(−|x|)``.

    Binds the lax primitive ``bessel_i0e``. Derivative: ``i1e(x) − sign(x) i0e(x)``.

    Args:
      x: an array or Python scalar (integers are converted to float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import i0e
      >>> print(round(float(i0e(1.0)), 12))
      0.465759607594
    """
    return bs.bessel_i0e(as_float(x))


@special_function
def i1e(x):
    """The exponentially scaled modified Bessel function ``I₁(x) e^(−|x|)``.

    Binds the lax primitive ``bessel_i1e``; odd in ``x``.

    Args:
      x: an array or Python scalar (integers are converted to float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import i1e
      >>> print(round(float(i1e(-1.0)), 12))
      -0.20791041535
    """
    return bs.bessel_i1e(as_float(x))


@special_function
def i0(x):
    """The modified Bessel function ``I₀(x) = i0e(x) e^|x|``.

    ``e^|x|`` is written ``exp(x sign(x))`` so that the derivative at 0 is I₀'(0) = 0
    (JAX's ``exp(|x|)`` gives 1 there); elsewhere it is ``I₁(x)``, as in JAX.

    Args:
      x: an array or Python scalar (integers are converted to float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import i0
      >>> print(round(float(i0(1.0)), 12))
      1.266065877752
    """
    x = as_float(x)
    return bs.bessel_i0e(x) * mnp.exp(x * mnp.sign(x))


@special_function
def i1(x):
    """The modified Bessel function ``I₁(x) = i1e(x) e^|x|`` (derivative ``I₀ − I₁/x``).

    Args:
      x: an array or Python scalar (integers are converted to float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import i1
      >>> print(round(float(i1(1.0)), 12))
      0.565159103992
    """
    x = as_float(x)
    return bs.bessel_i1e(x) * mnp.exp(x * mnp.sign(x))


@special_function
def bessel_jn(z, *, v: int, n_iter: int = 50):
    """``J_0(z), ..., J_v(z)`` stacked on a new first axis, as ``jax.scipy.special.bessel_jn``.

    Each order binds the ``jn`` primitive (float64-accurate for every ``z``, including
    ``z = 0`` where JAX's backward recurrence gives nan); ``n_iter``, the number of JAX's
    recurrence steps, is checked but not needed here.

    Args:
      z: an array of real arguments.
      v: the highest order, a non-negative Python int.
      n_iter: JAX's iteration count (a positive int; unused).

    Returns:
      An array of shape ``(v + 1,) + z.shape``.

    Examples:
      >>> from mini_ad.scipy.special import bessel_jn
      >>> print(bessel_jn(1.0, v=2))
      [0.76519769 0.44005059 0.11490348]
    """
    if not isinstance(v, (int, np.integer)) or v < 0:
        raise ValueError(f"bessel_jn needs a non-negative integer order v, got {v!r}.")
    if not isinstance(n_iter, (int, np.integer)) or n_iter < 1:
        raise ValueError(f"bessel_jn needs a positive integer n_iter, got {n_iter!r}.")
    z = as_float(z)
    dtype = get_aval(z).dtype
    return mnp.stack([bs.jn(np.asarray(k, dtype), z) for k in range(int(v) + 1)])


@special_function
def jn(n, x):
    """The Bessel function of the first kind ``J_n(x)`` of integer order ``n``.

    As ``scipy.special.jn`` at integer orders (nan at others: SciPy's ``jn`` is ``jv``).
    Derivative in ``x``: ``(J_{n−1}(x) − J_{n+1}(x)) / 2`` (autograd's rule); ``n`` is
    not differentiable.

    Args:
      n: integer orders (an integer or float array of integer values).
      x: real arguments.

    Returns:
      An array of the broadcast shape, in ``x``'s floating dtype.

    Examples:
      >>> from mini_ad.scipy.special import jn
      >>> print(round(float(jn(3, 2.5)), 12))
      0.216600391039
    """
    return bs.jn(*with_order(n, x))


@special_function
def yn(n, x):
    """The Bessel function of the second kind ``Y_n(x)`` of integer order ``n``.

    ``−inf`` at ``x = 0``, nan for ``x < 0``. Derivative in ``x``:
    ``(Y_{n−1}(x) − Y_{n+1}(x)) / 2``; ``n`` is not differentiable.

    Args:
      n: integer orders (an integer or float array of integer values).
      x: real arguments.

    Returns:
      An array of the broadcast shape, in ``x``'s floating dtype.

    Examples:
      >>> from mini_ad.scipy.special import yn
      >>> print(round(float(yn(2, 2.5)), 12))
      -0.381335849242
    """
    return bs.yn(*with_order(n, x))


@special_function
def iv(v, x):
    """The modified Bessel function of the first kind ``I_v(x)`` of real order ``v``.

    Integer orders only for ``x < 0`` (nan for others, as SciPy). Derivative in ``x``:
    ``(I_{v−1}(x) + I_{v+1}(x)) / 2``; ``v`` is not differentiable.

    Args:
      v: real orders.
      x: real arguments.

    Returns:
      An array of the broadcast shape, in ``x``'s floating dtype.

    Examples:
      >>> from mini_ad.scipy.special import iv
      >>> print(round(float(iv(0.5, 1.0)), 12))  # √(2/π) sinh 1
      0.937674888245
    """
    return bs.iv(*with_order(v, x))


@special_function
def ive(v, x):
    """``I_v(x) e^(−|x|)``, the exponentially scaled ``iv``.

    Derivative in ``x``: ``(ive(v−1, x) + ive(v+1, x)) / 2 − sign(x) ive(v, x)``; ``v``
    is not differentiable.

    Args:
      v: real orders.
      x: real arguments.

    Returns:
      An array of the broadcast shape, in ``x``'s floating dtype.

    Examples:
      >>> from mini_ad.scipy.special import ive
      >>> print(round(float(ive(2.0, 3.0)), 12))
      0.111782545297
    """
    return bs.ive(*with_order(v, x))


@special_function
def j0(x):
    """``J₀(x)``, the Bessel function of the first kind of order 0 (derivative ``−J₁``).

    Args:
      x: real arguments.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import j0
      >>> print(round(float(j0(1.0)), 12))
      0.765197686558
    """
    return jn(0, x)


@special_function
def j1(x):
    """``J₁(x)``, the Bessel function of the first kind of order 1.

    Args:
      x: real arguments.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import j1
      >>> print(round(float(j1(1.0)), 12))
      0.440050585745
    """
    return jn(1, x)


@special_function
def y0(x):
    """``Y₀(x)``, the Bessel function of the second kind of order 0 (derivative ``−Y₁``).

    Args:
      x: real arguments (``−inf`` at 0, nan below).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import y0
      >>> print(round(float(y0(1.0)), 12))
      0.088256964216
    """
    return yn(0, x)


@special_function
def y1(x):
    """``Y₁(x)``, the Bessel function of the second kind of order 1.

    Args:
      x: real arguments (``−inf`` at 0, nan below).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> from mini_ad.scipy.special import y1
      >>> print(round(float(y1(1.0)), 12))
      -0.7812128213
    """
    return yn(1, x)
