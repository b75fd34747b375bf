"""Rounding, division and powers in ``mini_ad.numpy``: floor, ceil, rint, round, trunc,
positive, reciprocal, power, float_power, remainder, fmod, floor_divide."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    as_result,
    astype,
    promote_and_broadcast,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._logic import (  # noqa: F401 - re-exported
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    invert,
    isfinite,
    isinf,
    isnan,
    logical_and,
    logical_and_or_bitwise,
    logical_not,
    logical_or,
    logical_xor,
)
from mini_ad.numpy._math import (
    _bools_as_int8,
    _promote_arithmetic,
    add,
    greater,
    less,
    multiply,
    subtract,
    true_divide,
    where,
)
from mini_ad.primitives import elementwise as ew


def _integral_rounding(primitive_fn, name):
    """``floor``/``ceil``: the identity on integers and bools (NumPy 2 keeps their dtype)."""

    def fn(x):
        (x,) = promote_dtypes(x)
        if not np.issubdtype(aval_of(x).dtype, np.inexact):
            return as_result(x)
        return primitive_fn(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""Elementwise ``{name}``, as ``numpy.{name}``; integers and bools pass through.

    NumPy 2 keeps their dtype; floats bind the ``{primitive_fn.__name__}`` primitive. The
    derivative is zero (almost everywhere), as in JAX.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape and dtype.

    Example (the expected output is NumPy's):

    >>> import mini_ad.numpy as mnp
    >>> print(mnp.{name}([-1.5, 0.25, 2.0]))
    {np.array2string(getattr(np, name)(np.array([-1.5, 0.25, 2.0])), separator=" ")}
    >>> print(mnp.{name}([1, 2]))
    [1 2]
    """
    return fn


floor = _integral_rounding(ew.floor, "floor")


ceil = _integral_rounding(ew.ceil, "ceil")


def positive(x):
    """Elementwise ``+x``, as ``numpy.positive``: ``x`` itself, as an array.

    Dtypes promote as for the other unary functions; nothing is bound.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.positive([-1.5, 2.0]))
      [-1.5  2. ]
    """
    (x,) = promote_dtypes(x)
    return as_result(x)


def rint(x):
    """Round to the nearest integer, halves to even, as ``numpy.rint``.

    Integers and bools are promoted to float64, as in NumPy. The derivative is zero
    (almost everywhere), as in JAX.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.rint([0.5, 1.5, 2.5, -1.7]))
      [ 0.  2.  2. -2.]
    """
    (x,) = promote_dtypes_inexact(x)
    return ew.round(x, rounding_method=1)


def round(a, decimals=0, out=None):  # noqa: A001 - NumPy's name
    """Round to ``decimals`` places, halves to even, as ``numpy.round``/``numpy.around``.

    Integers and bools are returned unchanged. With ``decimals`` nonzero it computes
    ``rint(a * 10**decimals) / 10**decimals``. The derivative is zero (almost
    everywhere), as in JAX.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      decimals: the number of decimal places (negative rounds to tens, hundreds, ...).
      out: refused (JAX's ``NotImplementedError``): arrays are immutable.

    Returns:
      An array of ``a``'s shape and dtype.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.round([0.5, 1.5, 2.5]))
      [0. 2. 2.]
      >>> print(mnp.round([1.234, 5.678], 1))
      [1.2 5.7]
    """
    if out is not None:
        raise NotImplementedError("The 'out' argument to mnp.round is not supported.")
    (x,) = promote_dtypes(a)
    if not np.issubdtype(aval_of(x).dtype, np.inexact):
        return as_result(x)
    if decimals == 0:
        return ew.round(x, rounding_method=1)
    factor = 10.0**decimals
    return true_divide(ew.round(multiply(x, factor), rounding_method=1), factor)


around = round


def trunc(x):
    """Round toward zero, as ``numpy.trunc``.

    Integers and bools are returned unchanged. Computed as ``ceil`` below zero and
    ``floor`` above; the derivative is zero.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.trunc([-1.7, 1.7, 2.0]))
      [-1.  1.  2.]
    """
    (x,) = promote_dtypes(x)
    if not np.issubdtype(aval_of(x).dtype, np.inexact):
        return as_result(x)
    return where(less(x, 0), ceil(x), floor(x))


def reciprocal(x):
    """Elementwise ``1 / x``, as ``numpy.reciprocal``.

    For integers it is integer division rounding toward zero (so ``reciprocal(2)`` is
    0), as in NumPy; bools compute as int8.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape and (promoted) dtype.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.reciprocal([2.0, 0.5]))
      [0.5 2. ]
      >>> print(mnp.reciprocal([1, 2]))
      [1 0]
    """
    (x,) = _bools_as_int8(*promote_dtypes(x))
    if aval_of(x).dtype.kind in "iu":
        return ew.div(np.ones((), aval_of(x).dtype), x)
    return true_divide(1.0, x)


def power(x, y):
    """Elementwise ``x ** y``, as ``numpy.power``.

    A Python-int exponent binds ``integer_pow`` (as in JAX), so ``x ** 2`` stays
    differentiable at ``x = 0`` and keeps ``x``'s dtype; otherwise dtypes promote and
    ``pow`` is bound. Bools compute as int8.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.power([1.5, 2.0], 2))
      [2.25 4.  ]
      >>> print(mnp.power([2.0, 4.0], [3.0, 0.5]))
      [8. 2.]
    """
    if isinstance(y, (int, np.integer)) and not isinstance(y, bool):
        x = promote_dtypes(x, y)[0]  # y's dtype counts, not its value (int8 ** 2 is int8)
        return ew.integer_pow(x, int(y))
    x, y = _promote_arithmetic(x, y)
    return ew.pow(x, y)


def float_power(x, y):
    """Elementwise ``x ** y`` in float64, as ``numpy.float_power``.

    Both operands are converted to float64 first (complex stays complex in NumPy;
    here it is converted to float64 too).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.float_power([2, 4], [3, -1]))
      [8.   0.25]
    """
    x, y = promote_and_broadcast(astype(x, np.float64), astype(y, np.float64))
    return ew.pow(x, y)


def remainder(x, y):
    """Elementwise remainder with the sign of the divisor, as ``numpy.remainder``/``numpy.mod``.

    Python's ``%``: ``x - floor_divide(x, y) * y``. Bools compute as int8.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.remainder([5, -5], [3, 3]))
      [2 1]
      >>> print(mnp.remainder([5.5, -5.5], 2.0))
      [1.5 0.5]
    """
    x, y = _promote_arithmetic(x, y)
    r = ew.rem(x, y)
    zero = np.zeros((), aval_of(r).dtype)
    fix = ew.bitwise_and(ew.ne(r, zero), ew.ne(ew.lt(r, zero), ew.lt(y, zero)))
    return _numpy_int_zero(where(fix, add(r, y), r), y)


def _numpy_int_zero(out, y):
    """Integer ``x % 0`` and ``fmod(x, 0)`` are 0, in JAX and NumPy alike (lax's rem
    gives x there). (Integer ``x // 0`` is not 0 in JAX: see ``floor_divide``.)"""
    dtype = aval_of(out).dtype
    if not np.issubdtype(dtype, np.integer):
        return out
    zero = np.zeros((), dtype)
    return where(ew.eq(y, zero), zero, out)


mod = remainder


def fmod(x, y):
    """Elementwise remainder with the sign of the dividend, as ``numpy.fmod``.

    C's ``fmod`` (the ``rem`` primitive): ``x - trunc(x / y) * y``. Bools compute as
    int8.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.fmod([5, -5], [3, 3]))
      [ 2 -2]
    """
    x, y = _promote_arithmetic(x, y)
    return _numpy_int_zero(ew.rem(x, y), y)


def floor_divide(x, y):
    """Elementwise division rounding toward minus infinity, as ``numpy.floor_divide``.

    Python's ``//``. Integers stay integers, with JAX's result for a zero divisor
    (signed ``x // 0`` is -2 for ``x != 0`` and -1 for ``x == 0``, unsigned ``x // 0``
    the largest value, where NumPy gives 0); for
    floats the result follows NumPy's rule ``(x - fmod(x, y)) / y``, rounded. The
    derivative is zero.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.floor_divide([7, -7], [2, 2]))
      [ 3 -4]
      >>> print(mnp.floor_divide([7.5, -7.5], 2.0))
      [ 3. -4.]
    """
    x, y = _promote_arithmetic(x, y)
    dtype = aval_of(x).dtype
    r = ew.rem(x, y)
    zero = np.zeros((), dtype)
    # the truncated quotient is one too big where the remainder and divisor differ in sign
    fix = ew.bitwise_and(ew.ne(r, zero), ew.ne(ew.lt(r, zero), ew.lt(y, zero)))
    if np.issubdtype(dtype, np.integer):
        # JAX's rule: one less where the signs differ and the remainder is not 0; so
        # x // 0 is lax's x / 0 (-1), less one unless x is 0 (NumPy gives 0)
        q = ew.div(x, y)
        if np.issubdtype(dtype, np.unsignedinteger):
            return q  # (JAX: lax's division, x // 0 all ones)
        fix = ew.bitwise_and(ew.ne(r, zero), ew.ne(ew.sign(x), ew.sign(y)))
        return where(fix, subtract(q, 1), q)
    # NumPy's float rule: (x - fmod(x, y)) / y is an integer up to rounding; fix, then round
    q = where(fix, subtract(ew.div(ew.sub(x, r), y), 1), ew.div(ew.sub(x, r), y))
    q_floor = floor(q)
    return where(greater(subtract(q, q_floor), 0.5), add(q_floor, 1), q_floor)
