"""Elementwise functions of ``mini_ad.numpy``: NumPy's names over lax primitives.

Each wrapper promotes dtypes (to float where the math needs it), broadcasts, and
binds one primitive; compositions (``clip``, ``log10``, ``hypot``, ...) are
written with the wrappers so they are differentiable for free. The predicates, logical
and bitwise functions live in ``_logic.py`` and are re-exported here.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import concrete_aval
from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    _operand,
    as_result,
    astype,
    broadcast_shapes,
    broadcast_to,
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
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import transcendental as tr

_PYTHON_SCALARS = (float, int, complex, bool)


def _simple_aval(x):
    """The aval of a tracer, ndarray or Python scalar; None for other operands."""
    if type(x) is np.ndarray or type(x) in _PYTHON_SCALARS:
        return concrete_aval(x)
    if isinstance(x, Tracer):
        return x.aval
    return None


def _ready(x, y, x_aval, y_aval, kinds) -> bool:
    """Whether ``x`` and ``y`` need no promotion or broadcasting (the common case, checked
    cheaply): one dtype of the allowed kinds, shapes equal or one of them rank 0, and no
    weakly typed tracer meeting a strongly typed operand (that needs a conversion)."""
    if x_aval is None or y_aval is None or x_aval.dtype != y_aval.dtype:
        return False
    if x_aval.dtype.kind not in kinds:
        return False
    if x_aval.shape != y_aval.shape and x_aval.shape and y_aval.shape:
        return False
    if x_aval.weak_type == y_aval.weak_type:
        return True
    weak = x if x_aval.weak_type else y
    return type(weak) in _PYTHON_SCALARS


def _unary(primitive_fn, name, *, inexact=True):
    promote = promote_dtypes_inexact if inexact else promote_dtypes
    kinds = "fc" if inexact else "fcbiu"

    def fn(x):
        aval = _simple_aval(x)
        if aval is None or aval.dtype.kind not in kinds:  # lists, NumPy scalars, ints
            (x,) = promote(x)
        return primitive_fn(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"Elementwise ``{name}`` (NumPy semantics; lax primitive ``{primitive_fn.__name__}``)."
    )
    return fn


def _binary(primitive_fn, name, *, inexact=False, int_to=None):
    kinds = "fc" if inexact else "fcbiu"

    def fn(x, y):
        x_aval = _simple_aval(x)
        y_aval = _simple_aval(y)
        if not _ready(x, y, x_aval, y_aval, kinds):
            x, y = promote_and_broadcast(x, y, inexact=inexact, int_to=int_to)
        return primitive_fn(x, y)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with NumPy broadcasting and promotion."
    return fn


sin = _unary(ew.sin, "sin")
cos = _unary(ew.cos, "cos")
tan = _unary(ew.tan, "tan")
arcsin = _unary(ew.asin, "arcsin")
arccos = _unary(ew.acos, "arccos")
arctan = _unary(ew.atan, "arctan")
sinh = _unary(ew.sinh, "sinh")
cosh = _unary(ew.cosh, "cosh")
tanh = _unary(ew.tanh, "tanh")
arcsinh = _unary(ew.asinh, "arcsinh")
arccosh = _unary(ew.acosh, "arccosh")
arctanh = _unary(ew.atanh, "arctanh")
exp = _unary(ew.exp, "exp")
exp2 = _unary(ew.exp2, "exp2")
log = _unary(ew.log, "log")
log1p = _unary(ew.log1p, "log1p")
expm1 = _unary(ew.expm1, "expm1")
sqrt = _unary(ew.sqrt, "sqrt")
cbrt = _unary(ew.cbrt, "cbrt")
negative = _unary(ew.neg, "negative", inexact=False)
_square = _unary(ew.square, "square", inexact=False)


def square(x):
    """``x * x``; bools square to int8, as in NumPy."""
    if aval_of(_operand(x)).dtype == np.bool_:
        x = astype(x, np.int8)
    return _square(x)


abs = _unary(ew.abs, "abs", inexact=False)  # noqa: A001 - NumPy's name
absolute = abs
sign = _unary(ew.sign, "sign", inexact=False)

add = _binary(ew.add, "add")
subtract = _binary(ew.sub, "subtract")
multiply = _binary(ew.mul, "multiply")
true_divide = _binary(ew.div, "true_divide", inexact=True, int_to=np.float64)
divide = true_divide
maximum = _binary(ew.max, "maximum")
minimum = _binary(ew.min, "minimum")
arctan2 = _binary(ew.atan2, "arctan2", inexact=True)
equal = _binary(ew.eq, "equal")
not_equal = _binary(ew.ne, "not_equal")
less = _binary(ew.lt, "less")
less_equal = _binary(ew.le, "less_equal")
greater = _binary(ew.gt, "greater")
greater_equal = _binary(ew.ge, "greater_equal")


def _integral_rounding(primitive_fn, name):
    """``floor``/``ceil``: the identity on integers and bools (NumPy 2 keeps their dtype)."""

    def fn(x):
        (x,) = promote_dtypes(x)
        if not np.issubdtype(aval_of(x).dtype, np.inexact):
            return as_result(x)
        return primitive_fn(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}``; integers and bools pass through unchanged."
    return fn


floor = _integral_rounding(ew.floor, "floor")
ceil = _integral_rounding(ew.ceil, "ceil")


def positive(x):
    (x,) = promote_dtypes(x)
    return as_result(x)


def rint(x):
    """Round half to even, like ``np.rint``."""
    (x,) = promote_dtypes_inexact(x)
    return ew.round(x, rounding_method=1)


def round(x, decimals=0):  # noqa: A001 - NumPy's name
    """Round half to even to ``decimals`` places, like ``np.round``."""
    (x,) = promote_dtypes(x)
    if not np.issubdtype(aval_of(x).dtype, np.inexact):
        return as_result(x)
    if decimals == 0:
        return ew.round(x, rounding_method=1)
    factor = 10.0**decimals
    return true_divide(ew.round(multiply(x, factor), rounding_method=1), factor)


around = round


def trunc(x):
    (x,) = promote_dtypes(x)
    if not np.issubdtype(aval_of(x).dtype, np.inexact):
        return as_result(x)
    return where(less(x, 0), ceil(x), floor(x))


def _bools_as_int8(*args) -> list:
    """NumPy's ``**``, ``//``, ``%`` and reciprocal compute bools as int8."""
    if aval_of(args[0]).dtype != np.bool_:
        return list(args)
    return [astype(x, np.int8) for x in args]


def _promote_arithmetic(x, y) -> list:
    return _bools_as_int8(*promote_and_broadcast(x, y))


def reciprocal(x):
    """``1 / x``; for integers it is integer division rounding toward zero, as NumPy's."""
    (x,) = _bools_as_int8(*promote_dtypes(x))
    if aval_of(x).dtype.kind in "iu":
        return ew.div(np.ones((), aval_of(x).dtype), x)
    return true_divide(1.0, x)


def log2(x):
    return true_divide(log(x), float(np.log(2.0)))  # a weak constant keeps x's float dtype


def log10(x):
    return true_divide(log(x), float(np.log(10.0)))


def hypot(x, y):
    """``sqrt(x**2 + y**2)`` without overflow, as JAX defines it: ``big * sqrt(1 + (small /
    big)**2)`` with ``big = max(|x|, |y|)``, ``big`` itself where it is 0 and ``inf`` where an
    operand is infinite. The derivative follows that formula: at the origin it is
    ``(0.5, 0.5)`` (the tie of ``max``), at an infinity it is NaN, as in JAX."""
    x, y = promote_dtypes_inexact(x, y)
    shape = broadcast_shapes(aval_of(x).shape, aval_of(y).shape)
    x, y = broadcast_to(x, shape), broadcast_to(y, shape)
    dtype = aval_of(x).dtype

    def full(value):
        return ew.broadcast_like(np.array(value, dtype), x)

    a, b = ew.abs(x), ew.abs(y)
    any_inf = ew.bitwise_or(ew.eq(a, full(np.inf)), ew.eq(b, full(np.inf)))
    big, small = ew.max(a, b), ew.min(a, b)
    zero = ew.eq(big, full(0.0))
    ratio = ew.div(small, ew.select_n(zero, big, full(1.0)))
    r = ew.mul(big, ew.sqrt(ew.add(full(1.0), ew.mul(ratio, ratio))))
    r = ew.select_n(zero, r, big)
    return as_result(ew.select_n(any_inf, r, full(np.inf)))


logaddexp = _binary(ew.logaddexp, "logaddexp", inexact=True)
logaddexp2 = _binary(tr.logaddexp2, "logaddexp2", inexact=True)


def power(x, y):
    """``x ** y``; a Python-int exponent becomes ``integer_pow`` (as in JAX)."""
    if isinstance(y, (int, np.integer)) and not isinstance(y, bool):
        x = promote_dtypes(x, y)[0]  # y's dtype counts, not its value (int8 ** 2 is int8)
        return ew.integer_pow(x, int(y))
    x, y = _promote_arithmetic(x, y)
    return ew.pow(x, y)


def float_power(x, y):
    x, y = promote_and_broadcast(astype(x, np.float64), astype(y, np.float64))
    return ew.pow(x, y)


def remainder(x, y):
    """Python's ``%``: the result has the sign of the divisor."""
    x, y = _promote_arithmetic(x, y)
    r = ew.rem(x, y)
    zero = np.zeros((), aval_of(r).dtype)
    fix = ew.bitwise_and(ew.ne(r, zero), ew.ne(ew.lt(r, zero), ew.lt(y, zero)))
    return where(fix, add(r, y), r)


mod = remainder


def fmod(x, y):
    x, y = _promote_arithmetic(x, y)
    return ew.rem(x, y)


def floor_divide(x, y):
    """Python's ``//``: rounds toward minus infinity."""
    x, y = _promote_arithmetic(x, y)
    dtype = aval_of(x).dtype
    r = ew.rem(x, y)
    zero = np.zeros((), dtype)
    # the truncated quotient is one too big where the remainder and divisor differ in sign
    fix = ew.bitwise_and(ew.ne(r, zero), ew.ne(ew.lt(r, zero), ew.lt(y, zero)))
    if np.issubdtype(dtype, np.integer):
        q = ew.div(x, y)
        return where(fix, subtract(q, 1), q)
    # NumPy's float rule: (x - fmod(x, y)) / y is an integer up to rounding; fix, then round
    q = where(fix, subtract(ew.div(ew.sub(x, r), y), 1), ew.div(ew.sub(x, r), y))
    q_floor = floor(q)
    return where(greater(subtract(q, q_floor), 0.5), add(q_floor, 1), q_floor)


def where(condition, x=None, y=None):
    """Elementwise ``x if condition else y`` (lax ``select_n``). The one-argument form
    (``np.nonzero``) needs a concrete condition."""
    if x is None and y is None:
        return np.nonzero(np.asarray(condition))
    condition = _operand(condition)
    condition = astype(condition, np.bool_) if aval_of(condition).dtype != np.bool_ else condition
    x, y = promote_dtypes(x, y)
    condition, x, y = _broadcast3(condition, x, y)
    return ew.select_n(condition, y, x)


def _broadcast3(condition, x, y):
    shapes = [aval_of(v).shape for v in (condition, x, y)]
    shape = broadcast_shapes(*shapes)
    return [
        v if s == shape else broadcast_to(v, shape)
        for v, s in zip((condition, x, y), shapes, strict=True)
    ]


def clip(x, a_min=None, a_max=None):
    """``minimum(a_max, maximum(a_min, x))``: at a bound the derivative is 0.5, as in JAX."""
    if a_min is not None:
        x = maximum(a_min, x)
    if a_max is not None:
        x = minimum(a_max, x)
    return as_result(x)


def stop_gradient(x):
    """The identity whose derivative is zero (``lax.stop_gradient``)."""
    return ew.stop_gradient(x)


def sinc(x):
    (x,) = promote_dtypes_inexact(x, int_to=np.float64)
    pi_x = multiply(np.pi, x)
    is_zero = equal(x, 0)
    safe = where(is_zero, 1.0, pi_x)
    # At 0 take the Maclaurin series in t = πx: value 1 and JAX's derivatives there
    # (sinc''(0) = -π²/3), exact through order 9.
    t2 = multiply(pi_x, pi_x)
    series = 1.0 + t2 * (-1 / 6 + t2 * (1 / 120 + t2 * (-1 / 5040 + t2 / 362880)))
    return where(is_zero, series, true_divide(sin(safe), safe))


def deg2rad(x):
    (x,) = promote_dtypes_inexact(x)
    return multiply(x, np.pi / 180)


def rad2deg(x):
    (x,) = promote_dtypes_inexact(x)
    return multiply(x, 180 / np.pi)
