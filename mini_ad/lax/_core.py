"""The elementwise, structural and control-flow functions of ``mini_ad.lax``.

>>> from mini_ad import lax
>>> lax.fori_loop(0, 3, lambda i, x: x * 2.0, 1.0)
array(8.)
"""

from __future__ import annotations

from mini_ad.control_flow import cond, fori_loop, map, scan, switch, while_loop  # noqa: A004
from mini_ad.core.tracing import get_aval
from mini_ad.primitives.bits import bitcast_convert_type, shift_left, shift_right_logical
from mini_ad.primitives.elementwise import (
    abs,  # noqa: A004 - lax's name
    acos,
    acosh,
    add,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    cbrt,
    ceil,
    convert_element_type,
    cos,
    cosh,
    div,
    eq,
    exp,
    exp2,
    expm1,
    floor,
    ge,
    gt,
    integer_pow,
    is_finite,
    le,
    log,
    log1p,
    logistic,
    lt,
    max,  # noqa: A004 - lax's name
    min,  # noqa: A004 - lax's name
    mul,
    ne,
    neg,
    pow,  # noqa: A004 - lax's name
    rem,
    round,  # noqa: A004 - lax's name
    rsqrt,
    select_n,
    sign,
    sin,
    sinh,
    sqrt,
    square,
    stop_gradient,
    sub,
    tan,
    tanh,
)
from mini_ad.primitives.linalg import dot_general
from mini_ad.primitives.reductions import (
    argmax,
    argmin,
    cumsum,
    reduce_max,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from mini_ad.primitives.special import digamma, erf, erf_inv, erfc, lgamma, polygamma
from mini_ad.primitives.structural import (
    broadcast_in_dim,
    concatenate,
    dynamic_slice,
    dynamic_update_slice,
    iota,
    pad,
    reshape,
    rev,
    slice,  # noqa: A004 - lax's name
    squeeze,
    transpose,
)

not_ = bitwise_not
and_ = bitwise_and
or_ = bitwise_or
xor = bitwise_xor


def select(pred, on_true, on_false):
    """``on_true`` where ``pred`` else ``on_false``, elementwise (JAX: ``lax.select``).

    >>> import numpy as np
    >>> select(np.array([True, False]), np.ones(2), np.zeros(2))
    array([1., 0.])
    """
    return select_n(pred, on_false, on_true)


def clamp(lo, x, hi):
    """``min(max(x, lo), hi)``, elementwise, as ``jax.lax.clamp`` (note the argument order).

    The operands must have one dtype; ``lo`` and ``hi`` may be rank 0. Derivatives as
    JAX's: ``x``'s where ``lo < x < hi``, ``lo``'s where ``x < lo < hi``, ``hi``'s where
    ``hi < x``; none at ties.

    Args:
      lo: the lower bound.
      x: the array to clamp.
      hi: the upper bound.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.clamp(0.0, np.array([-1.0, 0.5, 2.0]), 1.0))
      [0.  0.5 1. ]
    """
    value = min(max(x, lo), hi)
    shape = get_aval(value).shape

    def full(v):
        v_shape = get_aval(v).shape
        return v if v_shape == shape else broadcast_in_dim(v, shape, tuple(range(len(v_shape))))

    x, lo, hi = full(x), full(lo), full(hi)
    out = select_n(lt(hi, x), stop_gradient(value), hi)
    out = select_n(bitwise_and(gt(lo, x), lt(lo, hi)), out, lo)
    return select_n(bitwise_and(gt(x, lo), lt(x, hi)), out, x)


__all__ = [
    "abs", "bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "acos", "acosh", "add", "and_", "argmax", "argmin", "asin", "asinh", "atan", "atan2",
    "atanh", "broadcast_in_dim", "cbrt", "ceil", "clamp", "concatenate", "cond",
    "convert_element_type", "cos", "cosh", "cumsum", "digamma", "div", "dot_general",
    "dynamic_slice", "dynamic_update_slice", "eq", "erf", "erf_inv", "erfc", "exp", "exp2", "expm1", "floor", "fori_loop", "ge", "gt",
    "integer_pow", "iota", "is_finite", "le", "lgamma", "log", "log1p", "logistic", "lt", "map", "max",
    "min", "mul", "ne", "neg", "not_", "or_", "pad", "polygamma", "pow", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_sum", "rem", "reshape", "rev", "round", "rsqrt", "scan", "select",
    "select_n", "sign", "sin", "sinh", "slice", "sqrt", "square", "squeeze", "stop_gradient",
    "sub", "switch", "tan", "tanh", "transpose", "while_loop", "xor",
    "bitcast_convert_type", "shift_left", "shift_right_logical",
]  # fmt: skip
