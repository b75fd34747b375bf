"""Continuous samplers through XLA's ``log``, ``log1p`` and ``erf_inv``: ``normal``,
``exponential``, ``laplace``, ``logistic`` (float32 and float64) and ``truncated_normal``
(float64: it also needs ``erf``, whose float32 XLA version is not reproduced).

Each is JAX's formula on a uniform draw: ``normal = sqrt(2) erf_inv(u)`` with ``u`` in
``(-1, 1)``, ``exponential = -log1p(-u)``, ``laplace = sign(u) log1p(-|u|)``,
``logistic = log(u) - log1p(-u)``, and ``truncated_normal`` inverts the normal CDF
between ``erf(lower/sqrt 2)`` and ``erf(upper/sqrt 2)``.
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import bitcast_convert_type, libm_erf
from mini_ad.random._keys import canonical_shape, check_key
from mini_ad.random._samplers import (
    _as,
    _float32_or_64,
    _float64_only,
    _float_dtype,
    _uniform,
)
from mini_ad.random._xla_math import erf_inv, log, log1p

F64 = np.dtype(np.float64)
SQRT2 = np.array(np.sqrt(2), F64)


def _start(name: str, key, shape, dtype):
    key = check_key(name, key)
    dtype = _float_dtype(name, dtype)
    _float32_or_64(name, dtype)
    return key, canonical_shape(shape), dtype


def _normal(key, shape: tuple, dtype: np.dtype = F64):
    lo = np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype))
    u = _uniform(key, shape, dtype, lo, 1.0)
    return lax.mul(np.array(np.sqrt(2), dtype), erf_inv(u))


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
    """``nextafter(x, +inf)`` for float64 ``x`` (``+inf`` and NaN stay)."""
    bits = bitcast_convert_type(x, np.int64)
    zero = lax.eq(x, np.array(0.0, F64))
    toward_zero = lax.lt(x, np.array(0.0, F64))
    one, minus_one = np.array(1, np.int64), np.array(-1, np.int64)
    step = lax.select_n(toward_zero, _fill(one, bits), _fill(minus_one, bits))
    moved = bitcast_convert_type(lax.add(bits, step), F64)
    tiny = np.array(np.nextafter(0.0, 1.0), F64)
    keep = lax.bitwise_or(lax.ne(x, x), lax.eq(x, np.array(np.inf, F64)))
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
        dtype: float64 (the default) only.

    Returns:
        A float64 array of ``shape``, strictly inside the bounds; differentiable in them.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float32/float16.

    >>> from mini_ad.random import key
    >>> truncated_normal(key(0), -1.0, 1.0, (3,))
    array([-0.13999612, -0.50631466,  0.90652156])
    """
    key = check_key("truncated_normal", key)
    dtype = _float_dtype("truncated_normal", dtype)
    _float64_only("truncated_normal", dtype)
    lower, upper = _as(lower, dtype), _as(upper, dtype)
    bounds_shape = mnp.broadcast_shapes(aval_of(lower).shape, aval_of(upper).shape)
    shape = bounds_shape if shape is None else canonical_shape(shape)
    a = libm_erf(lax.div(lower, SQRT2))
    b = libm_erf(lax.div(upper, SQRT2))
    u = _uniform(key, shape, dtype, a, b)
    out = lax.mul(SQRT2, erf_inv(u))
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
