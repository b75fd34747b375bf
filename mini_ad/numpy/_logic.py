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
from mini_ad.primitives import elementwise as ew


def isfinite(x):
    (x,) = promote_dtypes(x)
    if not np.issubdtype(aval_of(x).dtype, np.inexact):
        return ew.eq(x, x)
    return ew.is_finite(x)


def isnan(x):
    (x,) = promote_dtypes(x)
    return ew.ne(x, x)


def isinf(x):
    return logical_and(logical_not(isfinite(x)), logical_not(isnan(x)))


def _to_bool(x):
    return astype(x, np.bool_)


def logical_and(x, y):
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_and(x, y)


def logical_or(x, y):
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_or(x, y)


def logical_xor(x, y):
    x, y = promote_and_broadcast(_to_bool(x), _to_bool(y))
    return ew.bitwise_xor(x, y)


def logical_not(x):
    return ew.bitwise_not(_to_bool(x))


def _require_integer_or_bool(name, *args):
    for x in args:
        kind = aval_of(x).dtype.kind
        if kind not in "biu":
            raise TypeError(
                f"{name} is only defined for integer and bool arrays, got {aval_of(x).dtype.name}."
            )


def bitwise_and(x, y):
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_and", x)
    return ew.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_or", x)
    return ew.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = promote_and_broadcast(x, y)
    _require_integer_or_bool("bitwise_xor", x)
    return ew.bitwise_xor(x, y)


def invert(x):
    (x,) = promote_dtypes(x)
    _require_integer_or_bool("invert", x)
    return ew.bitwise_not(x)


bitwise_not = invert


def logical_and_or_bitwise(x, y, op):
    """The ``&``, ``|`` and ``^`` operators of traced arrays."""
    return {"and": bitwise_and, "or": bitwise_or, "xor": bitwise_xor}[op](x, y)
