"""Elementwise functions of ``mini_ad.numpy``: NumPy's names over lax primitives.

Each wrapper promotes dtypes (to float where the math needs it), broadcasts, and binds one
primitive; compositions (``clip``, ``log10``, ``hypot``, ...) are written with the wrappers so
they are differentiable for free. Predicates and logic live in ``_logic.py``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import _current_trace, eval_trace
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
from mini_ad.numpy._docs import elementwise_doc
from mini_ad.numpy._fastpath import (
    _CONCRETE,
    _PYTHON_SCALARS,
    _eager,
    _ready,
    _simple_aval,
    _ufunc_of,
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
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import elementwise as ew


def _unary(primitive_fn, name, *, inexact=True):
    promote = promote_dtypes_inexact if inexact else promote_dtypes
    kinds = "fc" if inexact else "fcbiu"
    ufunc = _ufunc_of(primitive_fn)
    card = getattr(primitive_fn, "primitive", None)  # primitive_fn(x) is card.bind(x)

    def fn(x):
        aval = _simple_aval(x)
        if aval is None or aval.dtype.kind not in kinds:  # lists, NumPy scalars, ints
            (x,) = promote(x)
        else:
            trace = _current_trace.get()
            if trace is not eval_trace:
                if card is not None:  # the bind, inlined (hot under every transform)
                    return trace.process_primitive(card, (x,), {})
            elif ufunc is not None and type(x) in _CONCRETE and aval.dtype.kind != "c":
                return _eager(ufunc, x)
        return primitive_fn(x)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = elementwise_doc(name, primitive_fn.__name__, 1, inexact)
    return fn


def _binary(primitive_fn, name, *, inexact=False, int_to=None):
    kinds = "fc" if inexact else "fcbiu"
    ufunc = _ufunc_of(primitive_fn)
    card = getattr(primitive_fn, "primitive", None)  # primitive_fn(x, y) is card.bind(x, y)

    def fn(x, y):
        x_aval = _simple_aval(x)
        y_aval = _simple_aval(y)
        if not _ready(x, y, x_aval, y_aval, kinds):
            x, y = promote_and_broadcast(x, y, inexact=inexact, int_to=int_to)
        else:
            trace = _current_trace.get()
            if trace is not eval_trace:
                if card is not None:  # the bind, inlined (hot under every transform)
                    return trace.process_primitive(card, (x, y), {})
            elif (
                ufunc is not None and x_aval.dtype.kind != "c"
                and (type(x) in _CONCRETE or type(x) in _PYTHON_SCALARS)
                and (type(y) in _CONCRETE or type(y) in _PYTHON_SCALARS)
            ):  # fmt: skip
                return _eager(ufunc, x, y)
        return primitive_fn(x, y)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = elementwise_doc(name, primitive_fn.__name__, 2, inexact)
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
    """Elementwise ``x * x``, as ``numpy.square`` (the ``square`` primitive).

    Dtypes are kept (integers stay integers); bools square to int8, as in NumPy.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.square([1.5, -2.0]))
      [2.25 4.  ]
      >>> print(mnp.square([True, False]))
      [1 0]
    """
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


def _comparison(primitive_fn, strict_fn, name):
    """An ordering comparison; complex operands compare lexicographically (real parts,
    then imaginary parts), as in NumPy and ``jax.numpy`` (``lax``'s comparisons refuse
    complex operands)."""
    plain = _binary(primitive_fn, name)

    def fn(x, y):
        x_aval, y_aval = _simple_aval(x), _simple_aval(y)
        kinds = "" if x_aval is None or y_aval is None else x_aval.dtype.kind + y_aval.dtype.kind
        if kinds and "c" not in kinds:
            return plain(x, y)
        x, y = promote_and_broadcast(x, y)
        if aval_of(x).dtype.kind != "c":
            return primitive_fn(x, y)
        xr, yr = cp.real(x), cp.real(y)
        ties = ew.bitwise_and(ew.eq(xr, yr), primitive_fn(cp.imag(x), cp.imag(y)))
        return ew.bitwise_or(strict_fn(xr, yr), ties)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = plain.__doc__
    return fn


less = _comparison(ew.lt, ew.lt, "less")
less_equal = _comparison(ew.le, ew.lt, "less_equal")
greater = _comparison(ew.gt, ew.gt, "greater")
greater_equal = _comparison(ew.ge, ew.gt, "greater_equal")


def _bools_as_int8(*args) -> list:
    """NumPy's ``**``, ``//``, ``%`` and reciprocal compute bools as int8."""
    if aval_of(args[0]).dtype != np.bool_:
        return list(args)
    return [astype(x, np.int8) for x in args]


def _promote_arithmetic(x, y) -> list:
    return _bools_as_int8(*promote_and_broadcast(x, y))


def log2(x):
    """Base-2 logarithm, as ``numpy.log2``: ``log(x) / log(2)``.

    Integers and bools are promoted to float64 (float32 stays float32).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.log2([1.0, 8.0, 0.5]))
      [ 0.  3. -1.]
    """
    return true_divide(log(x), float(np.log(2.0)))  # a weak constant keeps x's float dtype


def log10(x):
    """Base-10 logarithm, as ``numpy.log10``: ``log(x) / log(10)``.

    Integers and bools are promoted to float64 (float32 stays float32).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.log10([1.0, 100.0]))
      [0. 2.]
    """
    return true_divide(log(x), float(np.log(10.0)))


def hypot(x, y):
    """Elementwise ``sqrt(x**2 + y**2)``, as ``numpy.hypot``.

    Integers and bools are promoted to float. Computed as JAX does, without overflow:
    ``big * sqrt(1 + (small / big)**2)`` with ``big = max(|x|, |y|)``, ``big`` itself
    where it is 0 and ``inf`` where an operand is infinite. The derivative follows that
    formula: ``(0.5, 0.5)`` at the origin (the tie of ``max``), NaN at an infinity.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      y: an array, a Python scalar or a (nested) list of them; broadcasts against ``x``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.hypot([3.0, 5.0], [4.0, 12.0]))
      [ 5. 13.]
    """
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
logaddexp2 = _binary(ew.logaddexp2, "logaddexp2", inexact=True)


def where(condition, x=None, y=None):
    """Elementwise ``x if condition else y``, as ``numpy.where`` (lax ``select_n``).

    ``condition`` is converted to bool; ``x`` and ``y`` promote to one dtype; all three
    broadcast. The derivative flows to ``x`` where ``condition`` holds and to ``y``
    elsewhere. The one-argument form ``where(condition)`` is ``numpy.nonzero`` and needs a
    concrete (untraced) ``condition``.

    Args:
      condition: an array, a Python scalar or a (nested) list of them.
      x: the values where ``condition`` is true (or None, with ``y`` None, for the
        one-argument form).
      y: the values where it is false.

    Returns:
      An array of the broadcast shape; for the one-argument form, a tuple of index
      arrays.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.where([True, False, True], [1.0, 2.0, 3.0], 0.0))
      [1. 0. 3.]
      >>> print(mnp.where([0, 1, 1]))
      (array([1, 2]),)
    """
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


def clip(x, a_min=None, a_max=None, *, min=None, max=None):  # noqa: A002 - NumPy 2's names
    """Limit the values of ``x`` to ``[a_min, a_max]``, as ``numpy.clip``.

    Computed as ``minimum(a_max, maximum(a_min, x))``, so at a bound the derivative is 0.5,
    as in JAX.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      a_min: the lower bound (broadcasts against ``x``), or None for none.
      a_max: the upper bound, or None for none.
      min, max: NumPy 2's and JAX's names for ``a_min`` and ``a_max``.

    Returns:
      An array of the broadcast shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.clip([-2.0, 0.5, 3.0], 0.0, 1.0))
      [0.  0.5 1. ]
    """
    a_min, a_max = (min if a_min is None else a_min), (max if a_max is None else a_max)
    if any(
        b is not None and aval_of(promote_dtypes(b)[0]).dtype.kind == "c" for b in (x, a_min, a_max)
    ):
        raise ValueError(
            "clip: complex numbers have no order to clip by; clip the real and imaginary "
            "parts separately (mnp.real, mnp.imag), as jax.numpy.clip requires."
        )
    if a_min is not None:
        x = maximum(a_min, x)
    if a_max is not None:
        x = minimum(a_max, x)
    return as_result(x)


def stop_gradient(x):
    """The identity, with a zero derivative (``lax.stop_gradient``).

    Use it to treat a value as a constant under ``grad``, ``jvp`` and ``vjp``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> import mini_ad as ad
      >>> print(ad.grad(lambda x: x * mnp.stop_gradient(x))(3.0))
      3.0
    """
    return ew.stop_gradient(x)
