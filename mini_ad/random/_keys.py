"""Keys and raw bits: threefry2x32 as JAX 0.10 uses it by default.

A key is a ``uint32`` array of shape ``(2,)`` (a batch of keys: ``(..., 2)``), the form
``jax.random.PRNGKey`` returns; ``key`` returns the same form (JAX: a typed key array).

JAX's default configuration has ``jax_threefry_partitionable`` on: the bits for an
output of shape ``S`` are the two threefry words of the counters ``(i >> 32, i & 0xffffffff)``
for ``i`` the row-major position in ``S``, under the key's two words; 32-bit draws are
``w1 ^ w2``, 64-bit ones ``w1 << 32 | w2``. ``split`` hashes the counters of shape
``(num,)`` the same way and stacks the two words; ``fold_in`` hashes the counter
``(0, data)``.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import shift_left, shift_right_logical, threefry2x32

U32 = np.dtype(np.uint32)
UINT_DTYPES = {8: np.dtype(np.uint8), 16: np.dtype(np.uint16), 32: U32, 64: np.dtype(np.uint64)}


def canonical_shape(shape) -> tuple:
    """``shape`` as a tuple of ints (an int is a 1-d shape)."""
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def check_key(name: str, key, *, allow_batched: bool = False):
    """``key`` as a mini_ad value of dtype uint32 and shape ``(2,)`` (or ``(..., 2)``)."""
    if not hasattr(key, "dtype"):
        key = np.asarray(key)
    aval = aval_of(key)
    if aval.dtype != U32 or not aval.shape or aval.shape[-1] != 2:
        raise TypeError(
            f"{name} needs a threefry key: a uint32 array of shape (2,) from "
            f"mini_ad.random.key or PRNGKey, got {aval.dtype.name}{list(aval.shape)}."
        )
    if not allow_batched and aval.shape != (2,):
        raise ValueError(
            f"{name} accepts a single key, but was given a key array of shape "
            f"{aval.shape[:-1]} != (). Use mini_ad.vmap for batching."
        )
    return key


def _key_words(key):
    """The two ``uint32`` words of a single key, as rank-0 values."""
    k1 = lax.reshape(lax.slice(key, (0,), (1,)), ())
    k2 = lax.reshape(lax.slice(key, (1,), (2,)), ())
    return k1, k2


def hash_counts(key, shape: tuple):
    """The two threefry words for each position of ``shape`` (JAX: the partitionable
    counters of ``iota_2x32_shape``)."""
    size = math.prod(shape)
    if size >= 2**32:
        raise NotImplementedError(f"random draws of {size} values (2**32 or more).")
    counts_lo = np.arange(size, dtype=U32).reshape(shape)
    counts_hi = np.zeros(shape, U32)
    k1, k2 = _key_words(key)
    return threefry2x32(k1, k2, counts_hi, counts_lo)


def random_bits(key, bit_width: int, shape: tuple):
    """Unsigned integers of ``bit_width`` bits, one per position of ``shape``."""
    w1, w2 = hash_counts(key, shape)
    if bit_width == 64:
        u64 = UINT_DTYPES[64]
        high = lax.convert_element_type(w1, u64)
        low = lax.convert_element_type(w2, u64)
        return lax.bitwise_or(shift_left(high, np.array(32, u64)), low)
    mixed = lax.bitwise_xor(w1, w2)
    if bit_width == 32:
        return mixed
    return lax.convert_element_type(mixed, UINT_DTYPES[bit_width])


def _stack_words(w1, w2):
    """``(..., 2)`` keys from two word arrays of one shape."""
    shape = aval_of(w1).shape
    column = shape + (1,)
    return lax.concatenate([lax.reshape(w1, column), lax.reshape(w2, column)], len(shape))


def key(seed) -> np.ndarray:
    """A threefry PRNG key from an integer seed (JAX: ``jax.random.key``).

    mini_ad keeps keys raw: this returns the same ``uint32[2]`` array as ``PRNGKey``,
    whose words are ``jax.random.key_data(jax.random.key(seed))``.

    Args:
        seed: a scalar integer (a Python int must fit in int64, as in JAX).

    Returns:
        A ``uint32`` array of shape ``(2,)``.

    Raises:
        TypeError: if ``seed`` is not a scalar integer.

    >>> key(42)
    array([ 0, 42], dtype=uint32)
    """
    return PRNGKey(seed)


def PRNGKey(seed):  # noqa: N802 - JAX's name
    """A legacy threefry PRNG key from an integer seed (JAX: ``jax.random.PRNGKey``).

    The words are the high and low 32 bits of the seed (a seed narrower than 64 bits
    has high word 0 and its low word wraps, as in JAX).

    Args:
        seed: a scalar integer (a Python int must fit in int64, as in JAX).

    Returns:
        A ``uint32`` array of shape ``(2,)``.

    Raises:
        TypeError: if ``seed`` is not a scalar integer.

    >>> PRNGKey(0)
    array([0, 0], dtype=uint32)
    >>> PRNGKey(-1)
    array([4294967295, 4294967295], dtype=uint32)
    """
    if isinstance(seed, (bool, np.bool_)):
        raise TypeError(f"PRNGKey seed must be an integer, got {seed!r}.")
    if isinstance(seed, int):
        seed = np.asarray(np.int64(seed))  # OverflowError beyond int64, as in JAX
    elif not hasattr(seed, "dtype"):
        seed = np.asarray(seed)
    aval = aval_of(seed)
    if aval.shape:
        raise TypeError(
            f"PRNGKey accepts a scalar seed, but was given an array of shape {aval.shape} "
            "!= (). Use mini_ad.vmap for batching."
        )
    if aval.dtype.kind not in "iu":
        raise TypeError(f"PRNGKey seed must be an integer, got dtype {aval.dtype.name}.")
    low = lax.convert_element_type(seed, U32)  # integer conversion keeps the low 32 bits
    if aval.dtype.itemsize == 8:
        high = shift_right_logical(seed, np.array(32, aval.dtype))
        high = lax.convert_element_type(high, U32)
    else:
        high = np.zeros((), U32)  # XLA: a shift by the full width gives 0
    return _stack_words(high, low)


def key_data(keys):
    """The ``uint32`` words underlying keys (JAX: ``jax.random.key_data``).

    mini_ad's keys are their data, so this returns ``keys`` after checking them.

    Args:
        keys: a key or an array of keys (``uint32``, trailing dimension 2).

    Returns:
        The same ``uint32`` array.

    Raises:
        TypeError: if ``keys`` is not a ``uint32`` array with trailing dimension 2.

    >>> key_data(key(7))
    array([0, 7], dtype=uint32)
    """
    return check_key("key_data", keys, allow_batched=True)


def wrap_key_data(key_bits_array, *, impl=None):
    """Keys from their ``uint32`` words (JAX: ``jax.random.wrap_key_data``).

    Args:
        key_bits_array: a ``uint32`` array of shape ``(..., 2)``.
        impl: ``None`` or ``"threefry2x32"`` (the only implementation).

    Returns:
        The keys (the same array: mini_ad's keys are raw).

    Raises:
        ValueError: for another ``impl``. TypeError: for another dtype or trailing shape.

    >>> wrap_key_data(key_data(key(7)))
    array([0, 7], dtype=uint32)
    """
    if impl not in (None, "threefry2x32"):
        raise ValueError(f"mini_ad.random implements only threefry2x32, not {impl!r}.")
    return check_key("wrap_key_data", key_bits_array, allow_batched=True)


def split(key, num=2):
    """New keys from ``key`` (JAX: ``jax.random.split``, partitionable threefry).

    Args:
        key: a single key.
        num: the number of keys (an int) or their shape (a tuple). Default 2.

    Returns:
        A ``uint32`` array of shape ``(num, 2)`` (or ``(*num, 2)``).

    Raises:
        ValueError: if ``key`` is a batch of keys (use ``vmap``).

    >>> split(key(0))
    array([[1797259609, 2579123966],
           [ 928981903, 3453687069]], dtype=uint32)
    """
    key = check_key("split", key)
    w1, w2 = hash_counts(key, canonical_shape(num))
    return _stack_words(w1, w2)


def fold_in(key, data):
    """A new key from ``key`` and a 32-bit integer (JAX: ``jax.random.fold_in``).

    Args:
        key: a single key.
        data: a scalar integer, taken modulo 2**32.

    Returns:
        A key: the threefry hash of the counter ``(0, data)``.

    Raises:
        TypeError: if ``data`` is not a scalar.

    >>> fold_in(key(0), 1)
    array([ 928981903, 3453687069], dtype=uint32)
    """
    key = check_key("fold_in", key)
    if not hasattr(data, "dtype"):
        data = np.asarray(data)
    if aval_of(data).shape:
        raise TypeError(
            f"fold_in accepts a scalar, but was given an array of shape "
            f"{aval_of(data).shape} != (). Use mini_ad.vmap for batching."
        )
    if isinstance(data, np.ndarray) and data.dtype.kind in "iub":
        data = data.astype(np.int64).astype(U32)
    else:
        data = lax.convert_element_type(data, U32)
    k1, k2 = _key_words(key)
    w1, w2 = threefry2x32(k1, k2, np.zeros((), U32), data)
    return _stack_words(w1, w2)


def bits(key, shape=(), dtype=None):
    """Uniform random bits as unsigned integers (JAX: ``jax.random.bits``).

    Args:
        key: a single key.
        shape: the result shape. Default ``()``.
        dtype: an unsigned integer dtype; default ``uint64`` (JAX's with x64 on).

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: if ``dtype`` is not unsigned.

    >>> bits(key(0), (2,), "uint32")
    array([4070199207, 4202968722], dtype=uint32)
    """
    key = check_key("bits", key)
    dtype = np.dtype(np.uint64 if dtype is None else dtype)
    if dtype.kind != "u":
        raise ValueError(f"dtype argument to `bits` must be an unsigned int dtype, got {dtype}")
    return random_bits(key, 8 * dtype.itemsize, canonical_shape(shape))
