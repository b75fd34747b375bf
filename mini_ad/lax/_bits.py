"""Elementwise bits and parts: ``reciprocal``, ``nextafter``, ``population_count``,
``clz`` and ``shift_right_arithmetic`` (written with the primitives), and the complex
parts ``real``, ``imag``, ``conj``, ``complex`` (primitives of their own).

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.population_count(np.array([7, -1], np.int8)))
[3 8]
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.bits import bitcast_convert_type, shift_right_logical
from mini_ad.primitives.complex_parts import complex, conj, imag, real  # noqa: A004, F401
from mini_ad.primitives.elementwise import (
    add,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    eq,
    gt,
    integer_pow,
    lt,
    select_n,
    stop_gradient,
    sub,
)


def _at_least_one(n: int) -> int:
    return n if n > 0 else 1


def _integer(name, x):
    if aval_of(x).dtype.kind not in "iu":
        raise TypeError(f"{name} does not accept dtype {aval_of(x).dtype.name}; it needs "
                        "integers.")  # fmt: skip


def reciprocal(x):
    """``1 / x``, elementwise, as ``jax.lax.reciprocal`` (``integer_pow(x, -1)``).

    Args:
      x: a floating or complex array.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reciprocal(np.array([2.0, 4.0])))
      [0.5  0.25]
    """
    if aval_of(x).dtype.kind in "iub":
        raise TypeError(f"Integers cannot be raised to negative powers, got "
                        f"reciprocal({aval_of(x).dtype.name}).")  # fmt: skip
    return integer_pow(x, -1)


def nextafter(x1, x2):
    """The next float after ``x1`` towards ``x2``, elementwise, as ``jax.lax.nextafter``.

    Computed on the bits: one step up or down of the integer view. Its derivative is zero
    (JAX defines none).

    Args:
      x1: a floating array.
      x2: an array of ``x1``'s dtype and shape.

    Returns:
      An array of ``x1``'s dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> bool(lax.nextafter(np.float64(1.0), np.float64(2.0)) == np.nextafter(1.0, 2.0))
      True
    """
    dtype = aval_of(x1).dtype
    if dtype.kind != "f" or aval_of(x2).dtype != dtype:
        raise TypeError(f"nextafter needs two floating operands of one dtype, got "
                        f"{dtype.name} and {aval_of(x2).dtype.name}.")  # fmt: skip
    x1, x2 = stop_gradient(x1), stop_gradient(x2)
    int_dtype = np.dtype(f"i{dtype.itemsize}")
    shape = aval_of(x1).shape

    def full(value, dtype):
        return broadcast_in_dim(np.asarray(value, dtype), shape, ())

    bits = bitcast_convert_type(x1, int_dtype)
    zero = np.zeros((), dtype)
    away_from_zero = eq(gt(x2, x1), gt(x1, zero))
    step = select_n(away_from_zero, full(-1, int_dtype), full(1, int_dtype))
    moved = bitcast_convert_type(add(bits, step), dtype)
    tiny = np.finfo(dtype).smallest_subnormal
    from_zero = select_n(lt(x2, zero), full(tiny, dtype), full(-tiny, dtype))
    out = select_n(eq(x1, zero), moved, from_zero)
    out = select_n(eq(x1, x2), out, x2)
    nan = bitwise_or(_isnan(x1), _isnan(x2))
    return select_n(nan, out, full(np.nan, dtype))


def _isnan(x):
    return bitwise_not(eq(x, x))


def population_count(x):
    """The number of 1 bits of each integer (two's complement), as ``jax.lax.population_count``.

    Args:
      x: an integer array.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.population_count(np.array([0, 5, -1], np.int32)))
      [ 0  2 32]
    """
    _integer("population_count", x)
    dtype = aval_of(x).dtype
    one = np.ones((), dtype)
    total = bitwise_and(x, one)
    for k in range(1, 8 * dtype.itemsize):
        total = add(total, bitwise_and(shift_right_logical(x, np.asarray(k, dtype)), one))
    return total


def clz(x):
    """The number of leading zero bits of each integer, as ``jax.lax.clz``.

    Args:
      x: an integer array.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.clz(np.array([0, 1, 255, -1], np.int32)))
      [32 31 24  0]
    """
    _integer("clz", x)
    dtype = aval_of(x).dtype
    bits = 8 * dtype.itemsize
    smeared, shift = x, 1
    while shift < bits:  # every bit below the highest set bit becomes 1
        smeared = bitwise_or(smeared, shift_right_logical(smeared, np.asarray(shift, dtype)))
        shift *= 2
    return sub(np.asarray(bits, dtype), population_count(smeared))


def shift_right_arithmetic(x, y):
    """``x >> y`` keeping the sign, as ``jax.lax.shift_right_arithmetic``; a shift by the bit
    width or more gives -1 for negative ``x`` and 0 otherwise. Unsigned ``x`` shifts its
    bits the same way (the top bit is copied), as in JAX.

    Args:
      x: an integer array.
      y: an integer array of ``x``'s dtype.

    Returns:
      An array of ``x``'s dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.shift_right_arithmetic(np.array([-8, 8]), np.array([1, 70])))
      [-4  0]
    """
    _integer("shift_right_arithmetic", x)
    dtype = aval_of(x).dtype
    if dtype.kind == "u":  # the top bit is the sign: shift the signed view
        signed = np.dtype(f"i{dtype.itemsize}")
        out = shift_right_arithmetic(
            bitcast_convert_type(x, signed), bitcast_convert_type(y, signed)
        )
        return bitcast_convert_type(out, dtype)
    negative = lt(x, np.zeros((), aval_of(x).dtype))
    flipped = select_n(negative, x, bitwise_not(x))
    shifted = shift_right_logical(flipped, y)
    return select_n(negative, shifted, bitwise_not(shifted))


__all__ = [
    "clz", "complex", "conj", "imag", "nextafter", "population_count", "real", "reciprocal", "shift_right_arithmetic",
]  # fmt: skip
