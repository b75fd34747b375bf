"""Predicates, logical and bitwise functions of ``mini_ad.numpy``.

``isfinite``/``isnan``/``isinf``; ``logical_*`` (operands converted to bool);
``bitwise_*``/``invert`` (integer and bool operands only, as in NumPy); and
``logical_and_or_bitwise``, the ``&``, ``|`` and ``^`` operators of traced arrays.
None of them has a derivative.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import astype, promote_and_broadcast, promote_dtypes
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import elementwise as ew


def isfinite(x):
    """Elementwise: whether ``x`` is neither infinite nor NaN, as ``numpy.isfinite``.

    Integers and bools are always finite; a complex number is finite where both its
    parts are. Not differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A bool array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.isfinite([1.0, np.inf, np.nan]))
      [ True False False]
    """
    (x,) = promote_dtypes(x)
    dtype = aval_of(x).dtype
    if not np.issubdtype(dtype, np.inexact):
        return ew.eq(x, x)
    if dtype.kind == "c":
        return ew.bitwise_and(ew.is_finite(cp.real(x)), ew.is_finite(cp.imag(x)))
    return ew.is_finite(x)


def isnan(x):
    """Elementwise: whether ``x`` is NaN, as ``numpy.isnan`` (computed as ``x != x``).

    Not differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A bool array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.isnan([1.0, np.inf, np.nan]))
      [False False  True]
    """
    (x,) = promote_dtypes(x)
    return ew.ne(x, x)


def isinf(x):
    """Elementwise: whether ``x`` is plus or minus infinity, as ``numpy.isinf``.

    Not differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A bool array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.isinf([1.0, -np.inf, np.nan]))
      [False  True False]
    """
    return logical_and(logical_not(isfinite(x)), logical_not(isnan(x)))


def _to_bool(x):
    return astype(x, np.bool_)


def logical_and(x, y):
    """Elementwise logical AND of truth values, as ``numpy.logical_and``.

    The operands are converted to bool (nonzero is true), then broadcast. Not
    differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      A bool array of the broadcast shape: True where both are true.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.logical_and([True, True, False], [True, False, False]))
      [ True False False]
    """
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_and(x, y)


def logical_or(x, y):
    """Elementwise logical OR of truth values, as ``numpy.logical_or``.

    The operands are converted to bool (nonzero is true), then broadcast. Not
    differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      A bool array of the broadcast shape: True where either is true.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.logical_or([True, True, False], [True, False, False]))
      [ True  True False]
    """
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_or(x, y)


def logical_xor(x, y):
    """Elementwise logical XOR of truth values, as ``numpy.logical_xor``.

    The operands are converted to bool (nonzero is true), then broadcast. Not
    differentiable (the result is bool).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      A bool array of the broadcast shape: True where exactly one is true.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.logical_xor([True, True, False], [True, False, False]))
      [False  True False]
    """
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_xor(x, y)


def logical_not(x):
    """Elementwise logical NOT, as ``numpy.logical_not``.

    ``x`` is converted to bool (nonzero is true). Not differentiable.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A bool array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.logical_not([0, 1, 2]))
      [ True False False]
    """
    return ew.bitwise_not(_to_bool(x))


def _require_integer_or_bool(name, *args):
    for x in args:
        kind = aval_of(x).dtype.kind
        if kind not in "biu":
            raise TypeError(
                f"{name} is only defined for integer and bool arrays, got {aval_of(x).dtype.name}."
            )


def bitwise_and(x, y):
    """Elementwise bitwise AND (``x & y``), as ``numpy.bitwise_and``.

    Dtypes promote as in NumPy 2 and the operands broadcast. For bools it is the
    logical AND. Not differentiable.

    Args:
      x: an integer or bool array, a Python int or a (nested) list of them.
      y: the same kind of operand; broadcasts against ``x``.

    Returns:
      An integer (or bool) array of the broadcast shape.

    Raises:
      TypeError: the promoted dtype is not an integer or bool.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.bitwise_and([12, 6], [5, 3]))
      [4 2]
    """
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_and", x)
    return ew.bitwise_and(x, y)


def bitwise_or(x, y):
    """Elementwise bitwise OR (``x | y``), as ``numpy.bitwise_or``.

    Dtypes promote as in NumPy 2 and the operands broadcast. For bools it is the
    logical OR. Not differentiable.

    Args:
      x: an integer or bool array, a Python int or a (nested) list of them.
      y: the same kind of operand; broadcasts against ``x``.

    Returns:
      An integer (or bool) array of the broadcast shape.

    Raises:
      TypeError: the promoted dtype is not an integer or bool.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.bitwise_or([12, 6], [5, 3]))
      [13  7]
    """
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_or", x)
    return ew.bitwise_or(x, y)


def bitwise_xor(x, y):
    """Elementwise bitwise XOR (``x ^ y``), as ``numpy.bitwise_xor``.

    Dtypes promote as in NumPy 2 and the operands broadcast. For bools it is the
    logical XOR. Not differentiable.

    Args:
      x: an integer or bool array, a Python int or a (nested) list of them.
      y: the same kind of operand; broadcasts against ``x``.

    Returns:
      An integer (or bool) array of the broadcast shape.

    Raises:
      TypeError: the promoted dtype is not an integer or bool.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.bitwise_xor([12, 6], [5, 3]))
      [9 5]
    """
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_xor", x)
    return ew.bitwise_xor(x, y)


def invert(x):
    """Elementwise bitwise NOT (``~x``), as ``numpy.invert``/``numpy.bitwise_not``.

    For bools it is the logical NOT; for signed integers ``~x == -x - 1``. Not
    differentiable.

    Args:
      x: an integer or bool array, a Python int or a (nested) list of them.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not an integer or bool.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.invert([1, 6]))
      [-2 -7]
      >>> print(mnp.invert([True, False]))
      [False  True]
    """
    (x,) = promote_dtypes(x)
    _require_integer_or_bool("invert", x)
    return ew.bitwise_not(x)


bitwise_not = invert


def logical_and_or_bitwise(x, y, op):
    """The ``&``, ``|`` and ``^`` operators of traced arrays.

    Dispatches to ``bitwise_and``, ``bitwise_or`` or ``bitwise_xor`` (which are the
    logical operations on bools), as NumPy's operators do.

    Args:
      x: the left operand (an integer or bool array, a Python int or a list of them).
      y: the right operand; broadcasts against ``x``.
      op: ``"and"``, ``"or"`` or ``"xor"``.

    Returns:
      An array of the broadcast shape.

    Raises:
      TypeError: the promoted dtype is not an integer or bool.
      KeyError: ``op`` is none of the three.

    Examples:
      >>> from mini_ad.numpy._logic import logical_and_or_bitwise
      >>> print(logical_and_or_bitwise([12, 6], [5, 3], "or"))
      [13  7]
    """
    return {"and": bitwise_and, "or": bitwise_or, "xor": bitwise_xor}[op](x, y)
