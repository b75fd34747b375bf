"""More elementwise functions of ``mini_ad.numpy``: the float encoding (``signbit``,
``copysign``, ``nextafter``, ``spacing``, ``frexp``, ``ldexp``), ``heaviside``, ``i0``,
``divmod``/``modf``/``fabs`` and integer arithmetic (``gcd``, ``lcm``, shifts,
``bitwise_count``). Compositions of the wrappers in ``_math.py`` (so differentiable
where JAX's are) and of bit operations (integer or zero-derivative outputs).
"""

from __future__ import annotations

import numpy as np
from numpy.lib import _function_base_impl as _np_function_base

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    _operand,
    as_result,
    astype,
    promote_and_broadcast,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._division import floor_divide, remainder, trunc
from mini_ad.numpy._math import abs as abs_
from mini_ad.numpy._math import (
    add,
    bitwise_and,
    bitwise_not,
    equal,
    exp,
    exp2,
    greater,
    isfinite,
    isinf,
    isnan,
    less,
    less_equal,
    logical_not,
    logical_or,
    multiply,
    negative,
    sqrt,
    subtract,
    true_divide,
    where,
)
from mini_ad.primitives.bits import bitcast_convert_type, shift_left, shift_right_logical


def _int_view(x):
    """The bits of float ``x`` as a signed integer of the same width."""
    return bitcast_convert_type(x, np.dtype(f"i{aval_of(x).dtype.itemsize}"))


def signbit(x):
    """Whether the sign bit is set (also for ``-0.0`` and negative NaNs).

    Args:
      x: a real array.

    Returns:
      A bool array.

    Examples:
      >>> signbit(np.array([-0.0, 1.0, -2.0]))
      array([ True, False,  True])
    """
    (x,) = promote_dtypes(x)
    kind = aval_of(x).dtype.kind
    if kind == "b":
        return as_result(astype(x, np.bool_) != astype(x, np.bool_))
    if kind in "iu":
        return less(x, 0)
    return less(_int_view(x), 0)


def copysign(x1, x2):
    """``|x1|`` with the sign of ``x2``; the derivative in ``x2`` is zero.

    >>> copysign(np.array([1.0, -2.0]), -1.0)
    array([-1., -2.])
    """
    x1, x2 = promote_and_broadcast(x1, x2, inexact=True)
    magnitude = abs_(x1)
    return where(signbit(x2), negative(magnitude), magnitude)


def nextafter(x1, x2):
    """The next float after ``x1`` towards ``x2`` (no derivative, as in JAX).

    >>> bool(nextafter(1.0, 2.0) == np.nextafter(1.0, 2.0))
    True
    """
    x1, x2 = promote_and_broadcast(x1, x2, inexact=True)
    dtype = aval_of(x1).dtype
    bits = _int_view(x1)
    away_from_zero = equal(greater(x2, x1), greater(x1, 0))
    one = np.ones((), aval_of(bits).dtype)
    moved = bitcast_convert_type(add(bits, where(away_from_zero, one, -one)), dtype)
    tiny = np.asarray(np.finfo(dtype).smallest_subnormal, dtype)
    from_zero = copysign(tiny, x2)
    out = where(equal(x1, 0), from_zero, moved)
    out = where(equal(x1, x2), x2, out)
    return where(logical_or(isnan(x1), isnan(x2)), np.asarray(np.nan, dtype), out)


def spacing(x):
    """The distance from ``x`` to the next float away from zero (negative for ``x < 0``).

    >>> bool(spacing(1.0) == np.spacing(1.0))
    True
    """
    (x,) = promote_dtypes_inexact(x)
    dtype = aval_of(x).dtype
    target = where(signbit(x), np.asarray(-np.inf, dtype), np.asarray(np.inf, dtype))
    return subtract(nextafter(x, target), x)


def ldexp(x1, x2):
    """``x1 * 2**x2`` for integer ``x2``, exactly.

    >>> ldexp(np.array([1.5, 3.0]), np.array([2, -1]))
    array([6. , 1.5])
    """
    (x1,) = promote_dtypes_inexact(x1, int_to=np.float64)
    x2 = _operand(x2)
    if aval_of(x2).dtype.kind not in "biu":
        raise TypeError("ldexp: the exponent must be an integer array")
    half = floor_divide(x2, 2)
    dtype = aval_of(x1).dtype
    scale1 = astype(exp2(astype(half, np.float64)), dtype)
    scale2 = astype(exp2(astype(subtract(x2, half), np.float64)), dtype)
    return multiply(multiply(x1, scale1), scale2)


def frexp(x):
    """Mantissa in ``[0.5, 1)`` (signed) and int32 exponent with ``x = m * 2**e``.

    >>> frexp(np.array([8.0, 0.75]))
    (array([0.5 , 0.75]), array([4, 0], dtype=int32))
    """
    (x,) = promote_dtypes_inexact(x)
    dtype = aval_of(x).dtype
    info = np.finfo(dtype)
    subnormal = less(abs_(x), info.smallest_normal)
    boost = info.nmant + 1
    scaled = where(subnormal, multiply(x, float(2.0**boost)), x)
    bits = _int_view(scaled)
    width = 8 * dtype.itemsize
    bits_dtype = aval_of(bits).dtype
    field_mask = np.asarray((1 << (width - 1 - info.nmant)) - 1, bits_dtype)
    field = bitwise_and(shift_right_logical(bits, np.asarray(info.nmant, bits_dtype)), field_mask)
    exponent = subtract(field, np.asarray(info.maxexp - 2, bits_dtype))
    exponent = where(subnormal, subtract(exponent, np.asarray(boost, bits_dtype)), exponent)
    special = logical_or(equal(x, 0), logical_not(isfinite(x)))
    exponent = astype(where(special, np.zeros((), bits_dtype), exponent), np.int32)
    mantissa = where(special, x, ldexp(x, negative(exponent)))
    return mantissa, exponent


def heaviside(x1, x2):
    """0 for ``x1 < 0``, ``x2`` at 0, 1 for ``x1 > 0`` (NaN stays NaN).

    >>> heaviside(np.array([-1.0, 0.0, 2.0]), 0.5)
    array([0. , 0.5, 1. ])
    """
    x1, x2 = promote_and_broadcast(x1, x2, inexact=True)
    out = where(less(x1, 0), 0.0, where(greater(x1, 0), 1.0, x2))
    return where(isnan(x1), x1, out)


def _chebyshev(x, coefficients):
    """Clenshaw's recurrence for a Chebyshev series (Cephes' ``chbevl``)."""
    b0, b1, b2 = coefficients[0], 0.0, 0.0
    for c in coefficients[1:]:
        b2, b1 = b1, b0
        b0 = add(subtract(multiply(x, b1), b2), float(c))
    return multiply(0.5, subtract(b0, b2))


def i0(x):
    """The modified Bessel function of the first kind, order 0 (Chebyshev series of
    Cephes, as ``np.i0``); differentiable, ``i0' = i1``.

    Args:
      x: a real array.

    Returns:
      ``I0(x)`` as floats.

    Examples:
      >>> float(i0(1.0)) == float(np.i0(1.0))
      True
    """
    (x,) = promote_dtypes_inexact(x, int_to=np.float64)
    x = abs_(x)
    small = less_equal(x, 8.0)
    x_small = where(small, x, 8.0)
    x_large = where(small, 9.0, x)
    near = multiply(exp(x_small), _chebyshev(subtract(multiply(x_small, 0.5), 2.0), _I0_A))
    far_series = _chebyshev(subtract(true_divide(32.0, x_large), 2.0), _I0_B)
    far = true_divide(multiply(exp(x_large), far_series), sqrt(x_large))
    return where(small, near, far)


_I0_A = [float(c) for c in _np_function_base._i0A]
_I0_B = [float(c) for c in _np_function_base._i0B]


def divmod(x1, x2):  # noqa: A001 - NumPy's name
    """``(x1 // x2, x1 % x2)``.

    >>> divmod(np.array([7, -7]), 2)
    (array([ 3, -4]), array([1, 1]))
    """
    return floor_divide(x1, x2), remainder(x1, x2)


def modf(x):
    """Fractional and integral parts, both with the sign of ``x``.

    >>> modf(np.array([2.5, -1.25]))
    (array([ 0.5 , -0.25]), array([ 2., -1.]))
    """
    (x,) = promote_dtypes_inexact(x)
    whole = trunc(x)
    return where(isinf(x), multiply(x, 0.0), subtract(x, whole)), whole


def _require_integers(name, *args):
    for x in args:
        if aval_of(x).dtype.kind not in "iub":
            raise TypeError(f"{name} is only defined for integer arrays")


def gcd(x1, x2):
    """Greatest common divisor of integers (Euclid's algorithm, unrolled).

    Args:
      x1, x2: integer arrays (broadcast together).

    Returns:
      The elementwise gcd.

    Examples:
      >>> gcd(np.array([12, 20]), 8)
      array([4, 4])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    _require_integers("gcd", x1, x2)
    a, b = abs_(x1), abs_(x2)
    zero = np.zeros((), aval_of(a).dtype)
    for _ in range(int(aval_of(a).dtype.itemsize * 8 * 1.45) + 2):
        done = equal(b, zero)
        safe_b = where(done, np.ones((), aval_of(b).dtype), b)
        a, b = where(done, a, b), where(done, zero, remainder(a, safe_b))
    return a


def lcm(x1, x2):
    """Least common multiple of integers (0 if either is 0).

    Args:
      x1, x2: integer arrays (broadcast together).

    Returns:
      The elementwise lcm.

    Examples:
      >>> lcm(np.array([4, 6]), 6)
      array([12,  6])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    g = gcd(x1, x2)
    zero = np.zeros((), aval_of(g).dtype)
    safe_g = where(equal(g, zero), np.ones((), aval_of(g).dtype), g)
    return where(equal(g, zero), zero, abs_(multiply(floor_divide(x1, safe_g), x2)))


def left_shift(x1, x2):
    """``x1 << x2`` on integers.

    >>> left_shift(np.array([1, 3]), 2)
    array([ 4, 12])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    _require_integers("left_shift", x1)
    return shift_left(x1, x2)


def right_shift(x1, x2):
    """``x1 >> x2`` on integers (arithmetic: the sign is kept).

    >>> right_shift(np.array([-8, 8]), 2)
    array([-2,  2])
    """
    x1, x2 = promote_and_broadcast(x1, x2)
    _require_integers("right_shift", x1)
    if aval_of(x1).dtype.kind == "u":
        return shift_right_logical(x1, x2)
    negative_x = less(x1, 0)
    flipped = where(negative_x, bitwise_not(x1), x1)
    shifted = shift_right_logical(flipped, x2)
    return where(negative_x, bitwise_not(shifted), shifted)


def bitwise_count(x):
    """The number of 1 bits in ``|x|`` (uint8, as NumPy's).

    >>> bitwise_count(np.array([7, -1]))
    array([3, 1], dtype=uint8)
    """
    (x,) = promote_dtypes(x)
    _require_integers("bitwise_count", x)
    dtype = aval_of(x).dtype
    if dtype.kind == "b":
        return astype(x, np.uint8)
    magnitude = abs_(x) if dtype.kind == "i" else x
    unsigned = bitcast_convert_type(magnitude, np.dtype(f"u{dtype.itemsize}"))
    one = np.ones((), aval_of(unsigned).dtype)
    total = np.zeros((), aval_of(unsigned).dtype)
    for k in range(8 * dtype.itemsize):
        bit = bitwise_and(shift_right_logical(unsigned, np.asarray(k, one.dtype)), one)
        total = add(total, bit)
    return astype(total, np.uint8)


def fabs(x):
    """Absolute value as a float.

    Args:
      x: a real array.

    Returns:
      ``|x|`` as floats.

    Examples:
      >>> fabs(np.array([-1, 2]))
      array([1., 2.])
    """
    (x,) = promote_dtypes_inexact(x)
    return abs_(x)
