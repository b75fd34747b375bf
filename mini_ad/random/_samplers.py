"""Samplers built on ``random_bits``: JAX's algorithms, operation for operation.

Floating draws randomise the mantissa of a number in [1, 2) and subtract 1; a range
``[minval, maxval)`` is then ``floats * (maxval - minval) + minval``, which XLA on CPU
rounds once (a fused multiply-add), so mini_ad uses ``fma`` there. Integer draws use
twice the bits of the dtype and a remainder, as JAX does.
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import (
    bitcast_convert_type,
    fma,
    libm_tan,
    shift_right_logical,
)
from mini_ad.primitives.sorting import sort
from mini_ad.random._keys import UINT_DTYPES, canonical_shape, check_key, random_bits, split
from mini_ad.random._xla_math import log as xla_log


def _float_dtype(name: str, dtype) -> np.dtype:
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype.kind != "f":
        raise ValueError(f"dtype argument to `{name}` must be a float dtype, got {dtype}")
    return dtype


def _as(x, dtype):
    """``x`` (a Python number, array or tracer) converted to ``dtype``."""
    if not hasattr(x, "dtype"):
        x = np.asarray(x)
    return lax.convert_element_type(x, dtype) if aval_of(x).dtype != dtype else x


def _fit(x, shape: tuple):
    """``x`` broadcast to ``shape``; rank-0 values stay rank 0 (primitives accept them)."""
    x_shape = aval_of(x).shape
    return x if x_shape in ((), shape) else mnp.broadcast_to(x, shape)


def _unit_floats(key, shape: tuple, dtype: np.dtype):
    """Floats in [0, 1): random mantissa bits under the exponent of 1.0, minus 1."""
    finfo = np.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    rng_bits = max(nbits, 8) if nmant >= 8 else 8
    uint = UINT_DTYPES[nbits]
    raw = random_bits(key, rng_bits, shape)
    if rng_bits != nbits:
        raw = lax.convert_element_type(raw, uint)
    mantissa = shift_right_logical(raw, np.array(rng_bits - nmant, uint))
    one_bits = np.array(1.0, dtype).view(uint)
    in_one_two = bitcast_convert_type(lax.bitwise_or(mantissa, one_bits), dtype)
    return lax.sub(in_one_two, np.array(1.0, dtype))


def _uniform(key, shape: tuple, dtype: np.dtype, minval, maxval):
    floats = _unit_floats(key, shape, dtype)
    if _is_value(minval, 0.0) and _is_value(maxval, 1.0):
        return floats  # max(0, fma(f, 1, 0)) == f exactly
    minval = _fit(_as(minval, dtype), shape)
    maxval = _fit(_as(maxval, dtype), shape)
    span = lax.sub(maxval, minval)
    if dtype.itemsize >= 4:
        scaled = fma(floats, span, minval)
    else:  # XLA rounds float16 products and sums separately (no contraction)
        scaled = lax.add(lax.mul(floats, _fit(span, shape)), minval)
    return lax.max(_fit(minval, shape), scaled)


def _is_value(x, value: float) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and x == value


def uniform(key, shape=(), dtype=None, minval=0.0, maxval=1.0):
    """Uniform floats in ``[minval, maxval)`` (JAX: ``jax.random.uniform``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: a float dtype; default float64 (JAX's with x64 on).
        minval, maxval: bounds, scalars or broadcastable to ``shape``.

    Returns:
        An array of ``shape`` and ``dtype``; differentiable in ``minval`` and ``maxval``.

    Raises:
        ValueError: if ``dtype`` is not a float dtype.

    >>> from mini_ad.random import key
    >>> uniform(key(0), (3,))
    array([0.41845711, 0.21629545, 0.96532146])
    """
    key = check_key("uniform", key)
    dtype = _float_dtype("uniform", dtype)
    return _uniform(key, canonical_shape(shape), dtype, minval, maxval)


def _clip_convert(x, dtype: np.dtype):
    """Integer ``x`` converted to integer ``dtype``, clipped to its range (not wrapped)."""
    have = aval_of(x).dtype
    have_info, want_info = np.iinfo(have), np.iinfo(dtype)
    lo = np.array(max(want_info.min, have_info.min), have)
    hi = np.array(min(want_info.max, have_info.max), have)
    return _as(lax.min(lax.max(x, lo), hi), dtype)


def _urem(x, span):
    """``x % span`` on unsigned values of one shape, with XLA's ``x % 0 == x``."""
    zero = lax.eq(span, mnp.zeros_like(span))
    safe = lax.select(zero, mnp.ones_like(span), span)
    return lax.select(zero, x, lax.rem(x, safe))


def _randint(key, shape: tuple, minval, maxval, dtype: np.dtype):
    minval, maxval = mnp.asarray(minval), mnp.asarray(maxval)
    if aval_of(minval).dtype.kind not in "iu":
        minval = _as(minval, np.int64)
    if aval_of(maxval).dtype.kind not in "iu":
        maxval = _as(maxval, np.int64)
    top = _clip_convert(np.array(np.iinfo(dtype).max, dtype), aval_of(maxval).dtype)
    maxval_out_of_range = _fit(lax.gt(maxval, top), shape)
    minval = _fit(_clip_convert(minval, dtype), shape)
    maxval = _fit(_clip_convert(maxval, dtype), shape)
    nbits = np.iinfo(dtype).bits
    uint = UINT_DTYPES[nbits]
    k1, k2 = split(key)
    higher = random_bits(k1, nbits, shape)
    lower = random_bits(k2, nbits, shape)
    # span = maxval - minval; 1 when empty; one more when maxval is beyond the dtype
    span = mnp.broadcast_to(_as(lax.sub(maxval, minval), uint), shape)
    nonempty = lax.gt(maxval, minval)
    span = lax.select(mnp.broadcast_to(nonempty, shape), span, mnp.ones_like(span))
    bump = mnp.broadcast_to(lax.bitwise_and(maxval_out_of_range, nonempty), shape)
    span = lax.select(bump, lax.add(span, np.ones((), uint)), span)
    # (high * 2**nbits + low) % span, with 2**nbits % span from (2**(nbits/2) % span)²
    multiplier = _urem(mnp.full(shape, 2 ** (nbits // 2), dtype=uint), span)
    multiplier = _urem(lax.mul(multiplier, multiplier), span)
    offset = lax.add(lax.mul(_urem(higher, span), multiplier), _urem(lower, span))
    offset = _urem(offset, span)
    return lax.add(mnp.broadcast_to(minval, shape), _as(offset, dtype))


def randint(key, shape, minval, maxval, dtype=None):
    """Uniform integers in ``[minval, maxval)`` (JAX: ``jax.random.randint``).

    Args:
        key: a single key.
        shape: the result shape.
        minval, maxval: integer bounds, scalars or broadcastable to ``shape``; they are
            clipped to ``dtype``'s range, and ``maxval <= minval`` gives ``minval``.
        dtype: an integer dtype; default int64 (JAX's with x64 on).

    Returns:
        An integer array of ``shape`` and ``dtype``.

    Raises:
        TypeError: if ``dtype`` is not an integer dtype.

    >>> from mini_ad.random import key
    >>> randint(key(0), (5,), 0, 10)
    array([5, 1, 5, 7, 3])
    """
    key = check_key("randint", key)
    dtype = np.dtype(np.int64 if dtype is None else dtype)
    if dtype.kind not in "iu":
        raise TypeError(f"randint only accepts integer dtypes, got {dtype}")
    shape = canonical_shape(shape)
    info = np.iinfo(dtype)
    if info.bits >= 32:
        return _randint(key, shape, minval, maxval, dtype)
    # sample in 32 bits to avoid a biased result, as JAX does
    i32 = np.dtype(np.int32)
    lo = np.array(info.min, i32)
    minval = lax.min(lax.max(_as(mnp.asarray(minval), i32), lo), np.array(info.max, i32))
    maxval = lax.min(lax.max(_as(mnp.asarray(maxval), i32), lo), np.array(info.max + 1, i32))
    return _as(_randint(key, shape, minval, maxval, i32), dtype)


def bernoulli(key, p=0.5, shape=None, mode: str = "low"):
    """Booleans that are True with probability ``p`` (JAX: ``jax.random.bernoulli``).

    Args:
        key: a single key.
        p: a floating probability or array of them (its dtype sets the uniform draw's).
        shape: the result shape; default ``p``'s shape.
        mode: ``"low"`` (default) or ``"high"`` (two uniforms for extra resolution).

    Returns:
        A boolean array of ``shape``.

    Raises:
        TypeError: if ``p`` is not floating. ValueError: for an unknown ``mode``.

    >>> from mini_ad.random import key
    >>> bernoulli(key(0), 0.5, (4,))
    array([ True,  True, False, False])
    """
    if mode not in ("high", "low"):
        raise ValueError(f"got mode={mode!r}, expected 'high' or 'low'")
    key = check_key("bernoulli", key)
    p = mnp.asarray(p)
    dtype = aval_of(p).dtype
    if dtype.kind != "f":
        raise TypeError(f"bernoulli probability `p` must have a floating dtype, got {dtype}.")
    shape = aval_of(p).shape if shape is None else canonical_shape(shape)
    p = _fit(p, shape)
    if mode == "low":
        return lax.lt(_uniform(key, shape, dtype, 0.0, 1.0), p)
    both = _uniform(key, (2, *shape), dtype, 0.0, 1.0)
    u1 = lax.reshape(lax.slice(both, (0,) * len(both.shape), (1, *shape)), shape)
    u2 = lax.reshape(lax.slice(both, (1,) + (0,) * len(shape), (2, *shape)), shape)
    u2 = lax.mul(u2, np.array(2.0 ** -np.finfo(dtype).nmant, dtype))
    return lax.lt(u2, lax.sub(p, u1))


def _float32_or_64(name: str, dtype: np.dtype) -> None:
    if dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            f"mini_ad.random.{name} reproduces JAX in float32 and float64, not {dtype.name}."
        )


def cauchy(key, shape=(), dtype=None):
    """Standard Cauchy draws, ``tan(pi (u - 1/2))`` (JAX: ``jax.random.cauchy``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: for a non-float dtype. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> cauchy(key(0), (2,))
    array([-0.26192951, -1.23784602])
    """
    key = check_key("cauchy", key)
    dtype = _float_dtype("cauchy", dtype)
    _float32_or_64("cauchy", dtype)
    u = _uniform(key, canonical_shape(shape), dtype, float(np.finfo(dtype).eps), 1.0)
    centred = lax.sub(u, np.array(0.5, dtype))
    return libm_tan(lax.mul(np.array(np.pi, dtype), centred))


def _gumbel_low(key, shape: tuple, dtype: np.dtype):
    """``-log(-log(u))`` for ``u`` uniform in ``[tiny, 1)`` (JAX's ``mode="low"``)."""
    u = _uniform(key, shape, dtype, float(np.finfo(dtype).tiny), 1.0)
    return lax.neg(xla_log(lax.neg(xla_log(u))))


def categorical(key, logits, axis: int = -1, shape=None, replace: bool = True, mode=None):
    """Draws from categorical distributions given by ``logits`` (JAX: ``jax.random.categorical``).

    The Gumbel-max trick: ``argmax(logits + gumbel)`` along ``axis``.

    Args:
        key: a single key.
        logits: float32 or float64 unnormalised log-probabilities.
        axis: the axis of categories. Default -1.
        shape: the result shape, broadcast-compatible with the batch shape (``logits``'s
            shape without ``axis``); default the batch shape.
        replace: sample with replacement (default True); False draws distinct categories
            (the Gumbel top-k trick), ``prod(shape[:-batch ndim])`` of them.
        mode: ``None`` or ``"low"`` (JAX's default); ``"high"`` is not implemented.

    Returns:
        An array of indices along ``axis``: int64, or int32 with ``replace=False`` (as JAX).

    Raises:
        NotImplementedError: for float16 logits or ``mode="high"``.

    >>> from mini_ad.random import key
    >>> categorical(key(0), mnp.log(mnp.array([0.2, 0.3, 0.5])), shape=(6,))
    array([2, 2, 0, 1, 1, 2])
    """
    key = check_key("categorical", key)
    if mode not in (None, "low"):
        raise NotImplementedError(
            "mini_ad.random.categorical implements mode='low' (JAX's default) only: "
            "mode='high' needs XLA's float log1p of float32 values bit for bit."
        )
    logits = mnp.asarray(logits)
    dtype = aval_of(logits).dtype
    _float32_or_64("categorical", dtype)
    logits_shape = aval_of(logits).shape
    axis = axis % len(logits_shape)
    batch_shape = logits_shape[:axis] + logits_shape[axis + 1 :]
    shape = batch_shape if shape is None else canonical_shape(shape)
    if mnp.broadcast_shapes(shape, batch_shape) != shape:
        raise ValueError(
            f"categorical shape {shape} must be broadcast-compatible with the batch shape "
            f"{batch_shape} and equal to the broadcast result."
        )
    prefix = shape[: len(shape) - len(batch_shape)]
    if not replace:
        k = int(np.prod(prefix))
        if k > logits_shape[axis]:
            raise ValueError(
                f"Number of samples without replacement ({k}) cannot exceed number of "
                f"categories ({logits_shape[axis]})."
            )
        perturbed = logits + _gumbel_low(key, logits_shape, dtype)
        indices = top_k_indices(mnp.moveaxis(perturbed, axis, -1), k)  # batch + (k,)
        indices = lax.convert_element_type(indices, np.int32)  # JAX: top_k's int32
        return mnp.reshape(mnp.moveaxis(indices, -1, 0), shape)
    axis_from_end = axis - len(logits_shape)
    draw_shape = list(shape[len(prefix) :])
    draw_shape.insert(axis_from_end % len(logits_shape), logits_shape[axis])
    noise = _gumbel_low(key, (*prefix, *draw_shape), dtype)
    expanded = mnp.reshape(logits, (1,) * len(prefix) + logits_shape)
    return mnp.argmax(noise + expanded, axis=axis_from_end)


def top_k_indices(x, k: int):
    """The int64 indices of the ``k`` largest entries along the last axis, largest first,
    ties to the lower index (JAX: ``lax.top_k(x, k)[1]``): a stable sort of ``-x``."""
    shape = aval_of(x).shape
    index = lax.broadcast_in_dim(mnp.arange(shape[-1]), shape, (len(shape) - 1,))
    _, order = sort([lax.neg(x), index], dimension=len(shape) - 1, num_keys=1)
    return order[..., :k]
