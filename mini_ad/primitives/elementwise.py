"""Elementwise primitives. Each block: the primitive, its lax-level function and its
derivative (``# d f = ...``). Linear ones also declare a transpose.

Binary primitives take operands of one dtype whose shapes agree or one of which is
rank 0; ``mini_ad.numpy`` promotes and broadcasts before binding.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like  # noqa: F401 - re-exported for rules
from mini_ad.core.avals import ShapedArray
from mini_ad.core.jaxpr import Literal, Var
from mini_ad.core.primitive import Primitive, lax_lowering
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.helpers import (  # noqa: F401 - add_any, add_any_p re-exported
    add_any,
    add_any_p,
    as_array,
    binop,
    compare_op,
    const,
    def_zero_jvp,
    defjvp,
    unbroadcast,
    unop,
)

# --- linear arithmetic ------------------------------------------------------------------

add_p = binop("add", np.add, scalar="{0} + {1}", commutative=True)


def add(x, y):
    return add_p.bind(x, y)


# d (x + y) = dx + dy
defjvp(add_p, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
add_p.transpose = lambda ct, x, y: [
    unbroadcast(ct, x.aval) if _is_undefined(x) else None,
    unbroadcast(ct, y.aval) if _is_undefined(y) else None,
]

sub_p = binop("sub", np.subtract, scalar="{0} - {1}")


def sub(x, y):
    return sub_p.bind(x, y)


# d (x - y) = dx - dy
defjvp(sub_p, lambda t, ans, x, y: t, lambda t, ans, x, y: neg(t))
sub_p.transpose = lambda ct, x, y: [
    unbroadcast(ct, x.aval) if _is_undefined(x) else None,
    unbroadcast(neg(ct), y.aval) if _is_undefined(y) else None,
]

neg_p = unop("neg", np.negative, inexact_only=False, scalar="-{0}")


def neg(x):
    return neg_p.bind(x)


defjvp(neg_p, lambda t, ans, x: neg(t))  # d (-x) = -dx
neg_p.transpose = lambda ct, x: [neg(ct)]


def _neg_simplify(ins, out_aval, producer):  # -(-x) = x
    inner = producer(ins[0])
    if inner is not None and inner.primitive is neg_p and type(inner.inputs[0]) is Var:
        return inner.inputs[0] if inner.inputs[0].aval.shape == out_aval.shape else None
    return None


neg_p.simplify = _neg_simplify

mul_p = binop("mul", np.multiply, scalar="{0} * {1}", commutative=True)


def mul(x, y):
    return mul_p.bind(x, y)


# d (x y) = dx y + x dy; linear in whichever operand is undefined
defjvp(mul_p, lambda t, ans, x, y: mul(t, y), lambda t, ans, x, y: mul(x, t))


def _mul_transpose(ct, x, y):
    if _is_undefined(x):
        return [unbroadcast(mul(ct, y), x.aval), None]
    return [None, unbroadcast(mul(x, ct), y.aval)]


mul_p.transpose = _mul_transpose


def _is_literal_one(x) -> bool:
    return type(x) is Literal and not x.aval.shape and x.aval.dtype.kind in "fc" and x.val == 1


def _mul_simplify(ins, out_aval, producer):  # x * 1 = x, bit for bit
    for one, other in ((ins[0], ins[1]), (ins[1], ins[0])):
        if _is_literal_one(one) and type(other) is Var:
            if (other.aval.shape, other.aval.dtype) == (out_aval.shape, out_aval.dtype):
                return other
    return None


mul_p.simplify = _mul_simplify


def _div_impl(x, y):
    x_dtype = x.dtype if hasattr(x, "dtype") else np.result_type(x)
    if x_dtype.kind in "iu":  # lax.div rounds integers toward zero
        q = np.floor_divide(x, y)
        return np.where((np.remainder(x, y) != 0) & ((np.sign(x) * np.sign(y)) < 0), q + 1, q)
    return np.true_divide(x, y)


div_p = binop("div", _div_impl, scalar="{0} / {1}")


def div(x, y):
    return div_p.bind(x, y)


# d (x / y) = dx / y - dy x / y²
defjvp(
    div_p,
    lambda t, ans, x, y: div(t, y),
    lambda t, ans, x, y: mul(mul(neg(t), x), integer_pow(y, -2)),
)


def _div_transpose(ct, x, y):
    if _is_undefined(y):
        raise TypeError("div is linear only in its numerator; cannot transpose the denominator")
    return [unbroadcast(div(ct, y), x.aval), None]


div_p.transpose = _div_transpose
# floats: exactly np.true_divide; integers round toward zero in the impl
div_p.codegen = lambda ins, params, out_avals: (
    f"np.true_divide({ins[0]}, {ins[1]})" if out_avals[0].dtype.kind in "fc" else None
)

# --- nonlinear binary ---------------------------------------------------------------------

pow_p = binop("pow", np.power)


def pow(x, y):  # noqa: A001 - lax's name
    return pow_p.bind(x, y)


def _pow_jvp_y(t, ans, x, y):
    # d x**y / dy = log(x) x**y, taken as 0 where x == 0 (as JAX does)
    is_zero = eq(x, const(x, 0))
    safe_x = select_n(is_zero, x, broadcast_like(const(x, 1), x))
    return mul(t, select_n(is_zero, mul(log(safe_x), ans), zeros_like(ans)))


# d x**y / dx = y x**(y-1)   (so (x**0.0)'(0) = 0 * inf = nan, as in JAX)
defjvp(pow_p, lambda t, ans, x, y: mul(t, mul(y, pow(x, sub(y, const(y, 1))))), _pow_jvp_y)

max_p = binop("max", np.maximum, commutative=True)
min_p = binop("min", np.minimum, commutative=True)


def max(x, y):  # noqa: A001 - lax's name
    return max_p.bind(x, y)


def min(x, y):  # noqa: A001 - lax's name
    return min_p.bind(x, y)


def _balanced_weight(x, y, pick):
    """1 where ``pick(x, y)`` holds strictly, 0.5 at ties, 0 elsewhere (JAX's rule)."""
    one = const(x, 1)
    half = const(x, 0.5)
    strict = convert_element_type(pick(x, y), aval_of(x).dtype)
    tie = convert_element_type(eq(x, y), aval_of(x).dtype)
    return add(mul(strict, one), mul(tie, half))


# d max(x, y) = dx [x > y] + dy [y > x], ties split 0.5 / 0.5
defjvp(
    max_p,
    lambda t, ans, x, y: mul(t, _balanced_weight(x, y, gt)),
    lambda t, ans, x, y: mul(t, _balanced_weight(y, x, gt)),
)
# d min(x, y) = dx [x < y] + dy [y < x], ties split 0.5 / 0.5
defjvp(
    min_p,
    lambda t, ans, x, y: mul(t, _balanced_weight(x, y, lt)),
    lambda t, ans, x, y: mul(t, _balanced_weight(y, x, lt)),
)

atan2_p = binop("atan2", np.arctan2)


def atan2(x, y):
    return atan2_p.bind(x, y)


# d atan2(x, y) = (y dx - x dy) / (x² + y²)
defjvp(
    atan2_p,
    lambda t, ans, x, y: mul(t, div(y, add(square(x), square(y)))),
    lambda t, ans, x, y: mul(t, div(neg(x), add(square(x), square(y)))),
)

rem_p = binop("rem", np.fmod)


def rem(x, y):
    return rem_p.bind(x, y)


# rem(x, y) = x - y trunc(x / y):  d/dx = 1, d/dy = -trunc(x / y)
defjvp(
    rem_p,
    lambda t, ans, x, y: t,
    lambda t, ans, x, y: mul(neg(t), mul(sign(div(x, y)), floor(abs(div(x, y))))),
)

# --- unary math -----------------------------------------------------------------------------

sin_p = unop("sin", np.sin)
cos_p = unop("cos", np.cos)
tan_p = unop("tan", np.tan)
asin_p = unop("asin", np.arcsin)
acos_p = unop("acos", np.arccos)
atan_p = unop("atan", np.arctan)
sinh_p = unop("sinh", np.sinh)
cosh_p = unop("cosh", np.cosh)
tanh_p = unop("tanh", np.tanh)
asinh_p = unop("asinh", np.arcsinh)
acosh_p = unop("acosh", np.arccosh)
atanh_p = unop("atanh", np.arctanh)
exp_p = unop("exp", np.exp)
exp2_p = unop("exp2", np.exp2)
log_p = unop("log", np.log)
log1p_p = unop("log1p", np.log1p)
expm1_p = unop("expm1", np.expm1)
sqrt_p = unop("sqrt", np.sqrt, scalar="_m.sqrt({0})")  # both correctly rounded
rsqrt_p = unop("rsqrt", lambda x: 1.0 / np.sqrt(x))
cbrt_p = unop("cbrt", np.cbrt)


def _logistic_impl(x):
    # 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) below: no cancellation in either tail
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(
        np.result_type(x), copy=False
    )


logistic_p = unop("logistic", _logistic_impl)
square_p = unop("square", np.square, inexact_only=False, scalar="{0} * {0}")
abs_p = unop("abs", np.abs, inexact_only=False, scalar="abs({0})")


def sin(x):
    return sin_p.bind(x)


def cos(x):
    return cos_p.bind(x)


def tan(x):
    return tan_p.bind(x)


def asin(x):
    return asin_p.bind(x)


def acos(x):
    return acos_p.bind(x)


def atan(x):
    return atan_p.bind(x)


def sinh(x):
    return sinh_p.bind(x)


def cosh(x):
    return cosh_p.bind(x)


def tanh(x):
    return tanh_p.bind(x)


def asinh(x):
    return asinh_p.bind(x)


def acosh(x):
    return acosh_p.bind(x)


def atanh(x):
    return atanh_p.bind(x)


def exp(x):
    return exp_p.bind(x)


def exp2(x):
    return exp2_p.bind(x)


def log(x):
    return log_p.bind(x)


def log1p(x):
    return log1p_p.bind(x)


def expm1(x):
    return expm1_p.bind(x)


def sqrt(x):
    return sqrt_p.bind(x)


def rsqrt(x):
    return rsqrt_p.bind(x)


def cbrt(x):
    return cbrt_p.bind(x)


def logistic(x):
    return logistic_p.bind(x)


def square(x):
    return square_p.bind(x)


def abs(x):  # noqa: A001 - lax's name
    return abs_p.bind(x)


def _one_minus_square(x):
    return sub(const(x, 1), square(x))


defjvp(sin_p, lambda t, ans, x: mul(t, cos(x)))  # d sin = cos
defjvp(cos_p, lambda t, ans, x: mul(t, neg(sin(x))))  # d cos = -sin
defjvp(tan_p, lambda t, ans, x: mul(t, add(const(x, 1), square(ans))))  # d tan = 1 + tan²
defjvp(asin_p, lambda t, ans, x: mul(t, rsqrt(_one_minus_square(x))))  # 1/√(1-x²)
defjvp(acos_p, lambda t, ans, x: mul(t, neg(rsqrt(_one_minus_square(x)))))  # -1/√(1-x²)
defjvp(atan_p, lambda t, ans, x: div(t, add(const(x, 1), square(x))))  # 1/(1+x²)
defjvp(sinh_p, lambda t, ans, x: mul(t, cosh(x)))  # d sinh = cosh
defjvp(cosh_p, lambda t, ans, x: mul(t, sinh(x)))  # d cosh = sinh
# d tanh = 1 - tanh² = (1 - tanh)(1 + tanh): the product keeps precision where |tanh| -> 1
defjvp(
    tanh_p,
    lambda t, ans, x: mul(t, mul(sub(const(ans, 1), ans), add(const(ans, 1), ans))),
)
defjvp(asinh_p, lambda t, ans, x: mul(t, rsqrt(add(square(x), const(x, 1)))))  # 1/√(x²+1)
# d acosh = 1/√((x-1)(x+1))
defjvp(acosh_p, lambda t, ans, x: mul(t, rsqrt(mul(sub(x, const(x, 1)), add(x, const(x, 1))))))
defjvp(atanh_p, lambda t, ans, x: div(t, _one_minus_square(x)))  # 1/(1-x²)
defjvp(exp_p, lambda t, ans, x: mul(t, ans))  # d exp = exp
defjvp(exp2_p, lambda t, ans, x: mul(t, mul(ans, const(x, math.log(2)))))  # ln2 · 2^x
defjvp(log_p, lambda t, ans, x: div(t, x))  # d log = 1/x
defjvp(log1p_p, lambda t, ans, x: div(t, add(x, const(x, 1))))  # 1/(1+x)
defjvp(expm1_p, lambda t, ans, x: mul(t, add(ans, const(x, 1))))  # d expm1 = exp
defjvp(sqrt_p, lambda t, ans, x: mul(t, div(const(x, 0.5), ans)))  # 1/(2√x): inf at 0
defjvp(rsqrt_p, lambda t, ans, x: mul(t, mul(div(ans, x), const(x, -0.5))))  # -x^(-3/2)/2
defjvp(cbrt_p, lambda t, ans, x: mul(t, mul(integer_pow(ans, -2), const(x, 1 / 3))))
defjvp(logistic_p, lambda t, ans, x: mul(t, mul(ans, sub(const(x, 1), ans))))  # σ(1-σ)
defjvp(square_p, lambda t, ans, x: mul(t, mul(const(x, 2), x)))  # d x² = 2x
# d |x| = sign(x), with d|x|(0) = 1 (JAX selects on x >= 0)
defjvp(abs_p, lambda t, ans, x: select_n(ge(x, const(x, 0)), neg(t), t))

integer_pow_p = Primitive("integer_pow")


def integer_pow(x, y: int):
    return integer_pow_p.bind(x, y=y)


def _integer_pow_impl(x, *, y):
    return as_array(np.multiply(x, x) if y == 2 else np.power(x, y))


integer_pow_p.impl = _integer_pow_impl
integer_pow_p.abstract_eval = lambda x, *, y: x
integer_pow_p.batch = elementwise_batch(integer_pow_p)


def _integer_pow_jvp(t, ans, x, *, y):  # d x^y = y x^(y-1)
    if y == 0:
        return zeros_like(t)
    if y == 1:
        return t
    x_to_y_minus_1 = x if y == 2 else integer_pow(x, y - 1)
    return mul(t, mul(const(x, y), x_to_y_minus_1))


defjvp(integer_pow_p, _integer_pow_jvp)
integer_pow_p.codegen = lambda ins, params, out_avals: (
    f"np.multiply({ins[0]}, {ins[0]})" if params["y"] == 2 else f"np.power({ins[0]}, {params['y']})"
)
integer_pow_p.scalar = lambda ins, params: f"{ins[0]} * {ins[0]}" if params["y"] == 2 else None
integer_pow_p.lowering = lambda lx, x, *, y: lx.lax.integer_pow(x, y)

# --- piecewise constant ---------------------------------------------------------------------

sign_p = unop("sign", np.sign, inexact_only=False)
floor_p = unop("floor", np.floor)
ceil_p = unop("ceil", np.ceil)


def _round_impl(x, rounding_method=0):
    if rounding_method == 1:  # half to even
        return np.round(x)
    truncated = np.trunc(x)  # half away from zero; x - trunc(x) is exact
    return np.where(np.abs(x - truncated) >= 0.5, truncated + np.sign(x), truncated)


round_p = unop("round", _round_impl)
round_p.lowering = lambda lx, x, *, rounding_method=0: lx.lax.round(x, rounding_method)
is_finite_p = Primitive("is_finite")
is_finite_p.impl = lambda x: as_array(np.isfinite(x))
is_finite_p.abstract_eval = lambda x: ShapedArray(x.shape, np.dtype(bool))
is_finite_p.batch = elementwise_batch(is_finite_p)
is_finite_p.ufunc = np.isfinite
is_finite_p.lowering = lax_lowering("is_finite")
stop_gradient_p = unop("stop_gradient", lambda x: x, inexact_only=False)
for _p in (sign_p, floor_p, ceil_p, round_p, is_finite_p, stop_gradient_p):
    def_zero_jvp(_p)


def sign(x):
    return sign_p.bind(x)


def floor(x):
    return floor_p.bind(x)


def ceil(x):
    return ceil_p.bind(x)


def round(x, rounding_method: int = 0):  # noqa: A001 - lax's name
    return round_p.bind(x, rounding_method=rounding_method)


def is_finite(x):
    return is_finite_p.bind(x)


def stop_gradient(x):
    return stop_gradient_p.bind(x)


# --- comparisons and logic ------------------------------------------------------------------

eq_p = compare_op("eq", np.equal, commutative=True)
ne_p = compare_op("ne", np.not_equal, commutative=True)
lt_p = compare_op("lt", np.less)
le_p = compare_op("le", np.less_equal)
gt_p = compare_op("gt", np.greater)
ge_p = compare_op("ge", np.greater_equal)


def _logical_or_bitwise(logical, bitwise):
    def impl(x, y):
        dtype = x.dtype if hasattr(x, "dtype") else np.result_type(x)
        return (logical if dtype == np.bool_ else bitwise)(x, y)

    return impl


and_p = binop(
    "and", _logical_or_bitwise(np.logical_and, np.bitwise_and), lax_name="bitwise_and",
    commutative=True,
)  # fmt: skip
or_p = binop(
    "or", _logical_or_bitwise(np.logical_or, np.bitwise_or), lax_name="bitwise_or",
    commutative=True,
)  # fmt: skip
xor_p = binop(
    "xor", _logical_or_bitwise(np.logical_xor, np.bitwise_xor), lax_name="bitwise_xor",
    commutative=True,
)  # fmt: skip
not_p = unop(
    "not",
    lambda x: np.logical_not(x) if np.result_type(x) == np.bool_ else np.invert(x),
    inexact_only=False,
    lax_name="bitwise_not",
)
for _p in (and_p, or_p, xor_p, not_p):
    def_zero_jvp(_p)


def eq(x, y):
    return eq_p.bind(x, y)


def ne(x, y):
    return ne_p.bind(x, y)


def lt(x, y):
    return lt_p.bind(x, y)


def le(x, y):
    return le_p.bind(x, y)


def gt(x, y):
    return gt_p.bind(x, y)


def ge(x, y):
    return ge_p.bind(x, y)


def bitwise_and(x, y):
    return and_p.bind(x, y)


def bitwise_or(x, y):
    return or_p.bind(x, y)


def bitwise_xor(x, y):
    return xor_p.bind(x, y)


def bitwise_not(x):
    return not_p.bind(x)


# --- select and dtype conversion ------------------------------------------------------------

select_n_p = Primitive("select_n")


def select_n(which, *cases):
    """``cases[which]`` elementwise; ``which`` is bool (2 cases) or int (JAX: select_n)."""
    return select_n_p.bind(which, *cases)


def _select_n_impl(which, *cases):
    if len(cases) == 2:
        return as_array(np.where(which, cases[1], cases[0]))
    return as_array(np.choose(which, np.broadcast_arrays(*cases)))


def _select_n_abstract_eval(which, *cases):
    first = cases[0]
    for c in cases[1:]:
        if c.shape != first.shape or c.dtype != first.dtype:
            raise TypeError(
                f"select_n cases must have the same type, got {first.str_short()} and "
                f"{c.str_short()}."
            )
    if which.shape and which.shape != first.shape:
        raise TypeError(
            f"select_n predicate shape {which.shape} must be () or match the cases' "
            f"shape {first.shape}."
        )
    if which.dtype != np.bool_ and which.dtype.kind not in "iu":
        raise TypeError(f"select_n predicate must be bool or int, got {which.dtype.name}.")
    return ShapedArray(first.shape, first.dtype, all(c.weak_type for c in cases))


def _select_n_jvp(primals, tangents, **params):
    which, *cases = primals
    out = select_n(which, *cases)
    if all(t is None for t in tangents[1:]):
        return out, None
    case_tangents = [
        zeros_like(c) if t is None else t for c, t in zip(cases, tangents[1:], strict=True)
    ]
    return out, select_n(which, *case_tangents)


def _select_n_transpose(ct, which, *cases):
    zero = zeros_like(ct)
    cts = [None]
    for i, case in enumerate(cases):
        if _is_undefined(case):
            branches = [zero] * len(cases)
            branches[i] = ct
            cts.append(select_n(which, *branches))
        else:
            cts.append(None)
    return cts


select_n_p.impl = _select_n_impl
select_n_p.abstract_eval = _select_n_abstract_eval
select_n_p.jvp = _select_n_jvp
select_n_p.transpose = _select_n_transpose
# cases must share one shape; only the predicate may stay rank 0 when unbatched
select_n_p.batch = elementwise_batch(select_n_p, keep_rank0=lambda i: i == 0)
select_n_p.codegen = lambda ins, params, out_avals: (
    f"np.where({ins[0]}, {ins[2]}, {ins[1]})" if len(ins) == 3 else None
)
select_n_p.lowering = lambda lx, which, *cases: lx.lax.select_n(which, *cases)

convert_element_type_p = Primitive("convert_element_type")


def convert_element_type(x, new_dtype, weak_type: bool = False):
    return convert_element_type_p.bind(
        x, new_dtype=np.dtype(new_dtype), weak_type=weak_type, sharding=None
    )


def _convert_impl(x, *, new_dtype, weak_type, sharding):
    return np.asarray(x, dtype=new_dtype)


def _convert_jvp(primals, tangents, *, new_dtype, weak_type, sharding):
    (x,), (t,) = primals, tangents
    out = convert_element_type(x, new_dtype, weak_type)
    if t is None or new_dtype.kind not in "fc":
        return out, None
    return out, convert_element_type(t, new_dtype, weak_type)


def _convert_transpose(ct, x, *, new_dtype, weak_type, sharding):
    return [convert_element_type(ct, x.aval.dtype, x.aval.weak_type)]


convert_element_type_p.impl = _convert_impl
convert_element_type_p.abstract_eval = lambda x, *, new_dtype, weak_type, sharding: ShapedArray(
    x.shape, new_dtype, weak_type
)
convert_element_type_p.jvp = _convert_jvp
convert_element_type_p.transpose = _convert_transpose
convert_element_type_p.batch = elementwise_batch(convert_element_type_p)
convert_element_type_p.print_params = lambda params: {
    k: v for k, v in params.items() if k != "sharding"
}
convert_element_type_p.lowering = lambda lx, x, *, new_dtype, **_: lx.lax.convert_element_type(
    x, new_dtype
)


def _convert_simplify(ins, out_aval, producer):  # a conversion to x's own type is x
    x = ins[0]
    if type(x) is Var and (x.aval.shape, x.aval.dtype) == (out_aval.shape, out_aval.dtype):
        return x
    return None


convert_element_type_p.simplify = _convert_simplify


# --- helpers used by rules --------------------------------------------------------------------


def broadcast_like(scalar, x):
    shape = aval_of(x).shape
    return broadcast_in_dim(scalar, shape, ()) if shape else scalar
