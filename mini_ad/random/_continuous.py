"""Continuous samplers through XLA's ``log``, ``log1p``, ``erf`` and ``erf_inv``:
``normal``, ``exponential``, ``laplace``, ``logistic`` and ``truncated_normal`` (float32
and float64).

Each is JAX's formula on a uniform draw: ``normal = sqrt(2) erf_inv(u)`` with ``u`` in
``(-1, 1)``, ``exponential = -log1p(-u)``, ``laplace = sign(u) log1p(-|u|)``,
``logistic = log(u) - log1p(-u)``, and ``truncated_normal`` inverts the normal CDF
between ``erf(lower/sqrt 2)`` and ``erf(upper/sqrt 2)`` (XLA turns the division into a
multiplication by ``1/sqrt 2``, and so does mini_ad).
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import bitcast_convert_type
from mini_ad.random._keys import canonical_shape, check_key
from mini_ad.random._samplers import (
    _as,
    _float32_or_64,
    _float_dtype,
    _uniform,
)
from mini_ad.random._xla_math import erf, erf_inv, log, log1p

F64 = np.dtype(np.float64)


def _start(name: str, key, shape, dtype):
    key = check_key(name, key)
    dtype = _float_dtype(name, dtype)
    _float32_or_64(name, dtype)
    return key, canonical_shape(shape), dtype


def _normal_over_sqrt2(key, shape: tuple, dtype: np.dtype = F64):
    """``erf_inv(u)``: a standard normal draw before its factor ``sqrt(2)``."""
    lo = np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype))
    return erf_inv(_uniform(key, shape, dtype, lo, 1.0))


def _normal(key, shape: tuple, dtype: np.dtype = F64):
    return lax.mul(np.array(np.sqrt(2), dtype), _normal_over_sqrt2(key, shape, dtype))


def normal(key, shape=(), dtype=None):
    """Standard normal draws, ``sqrt(2) erf_inv(u)`` (JAX: ``jax.random.normal``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> normal(key(0), (3,))
    array([-0.20584214, -0.78476578,  1.81608667])
    """
    key, shape, dtype = _start("normal", key, shape, dtype)
    return _normal(key, shape, dtype)


def _step_up(x):
    """``nextafter(x, +inf)`` for float32 or float64 ``x`` (``+inf`` and NaN stay)."""
    dtype = aval_of(x).dtype
    int_dtype = np.dtype(f"int{8 * dtype.itemsize}")
    bits = bitcast_convert_type(x, int_dtype)
    zero = lax.eq(x, np.array(0.0, dtype))
    toward_zero = lax.lt(x, np.array(0.0, dtype))
    one, minus_one = np.array(1, int_dtype), np.array(-1, int_dtype)
    step = lax.select_n(toward_zero, _fill(one, bits), _fill(minus_one, bits))
    moved = bitcast_convert_type(lax.add(bits, step), dtype)
    tiny = np.nextafter(np.array(0.0, dtype), np.array(1.0, dtype))
    keep = lax.bitwise_or(lax.ne(x, x), lax.eq(x, np.array(np.inf, dtype)))
    out = lax.select_n(zero, moved, _fill(tiny, x))
    return lax.select_n(keep, out, x)


def _fill(scalar, like):
    shape = aval_of(like).shape
    if aval_of(scalar).shape == shape:
        return scalar
    return lax.broadcast_in_dim(scalar, shape, ()) if shape else scalar


def truncated_normal(key, lower, upper, shape=None, dtype=None):
    """Normal draws truncated to ``(lower, upper)`` (JAX: ``jax.random.truncated_normal``).

    Args:
        key: a single key.
        lower, upper: bounds (scalars or arrays broadcastable to ``shape``; infinite
            bounds allowed).
        shape: the result shape; default the broadcast shape of the bounds.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``, strictly inside the bounds; differentiable
        in them.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> truncated_normal(key(0), -1.0, 1.0, (3,))
    array([-0.13999612, -0.50631466,  0.90652156])
    """
    key = check_key("truncated_normal", key)
    dtype = _float_dtype("truncated_normal", dtype)
    _float32_or_64("truncated_normal", dtype)
    lower, upper = _as(lower, dtype), _as(upper, dtype)
    bounds_shape = mnp.broadcast_shapes(aval_of(lower).shape, aval_of(upper).shape)
    shape = bounds_shape if shape is None else canonical_shape(shape)
    sqrt2 = np.array(np.sqrt(2), dtype)
    inv_sqrt2 = np.array(1, dtype) / sqrt2  # XLA's rewrite of x / sqrt2
    a = erf(lax.mul(lower, inv_sqrt2))
    b = erf(lax.mul(upper, inv_sqrt2))
    u = _uniform(key, shape, dtype, a, b)
    out = lax.mul(sqrt2, erf_inv(u))
    low = _step_up(lax.stop_gradient(lower))
    high = lax.neg(_step_up(lax.neg(lax.stop_gradient(upper))))
    return mnp.minimum(mnp.maximum(low, out), high)


def exponential(key, shape=(), dtype=None):
    """Standard exponential draws, ``-log1p(-u)`` (JAX: ``jax.random.exponential``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> exponential(key(0), (3,))
    array([0.54207056, 0.24372319, 3.36163426])
    """
    key, shape, dtype = _start("exponential", key, shape, dtype)
    u = _uniform(key, shape, dtype, 0.0, 1.0)
    return lax.neg(log1p(lax.neg(u)))


def laplace(key, shape=(), dtype=None):
    """Standard Laplace draws, ``sign(u) log1p(-|u|)`` (JAX: ``jax.random.laplace``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> laplace(key(0), (3,))
    array([ 0.17803369,  0.83796278, -2.66848708])
    """
    key, shape, dtype = _start("laplace", key, shape, dtype)
    u = _uniform(key, shape, dtype, -1.0 + float(np.finfo(dtype).epsneg), 1.0)
    return lax.mul(lax.sign(u), log1p(lax.neg(lax.abs(u))))


def logistic(key, shape=(), dtype=None):
    """Standard logistic draws, ``log(u) - log1p(-u)`` (JAX: ``jax.random.logistic``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> logistic(key(0), (3,))
    array([-0.32911032, -1.28738678,  3.32634015])
    """
    key, shape, dtype = _start("logistic", key, shape, dtype)
    u = _uniform(key, shape, dtype, float(np.finfo(dtype).tiny), 1.0)
    return lax.sub(log(u), log1p(lax.neg(u)))
