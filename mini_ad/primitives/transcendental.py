"""Nonlinear elementwise math, one card per primitive.

A card here is one call: ``_unary(name, impl, derivative)`` builds the primitive with the
``unop`` family (impl, shape rule, batching, jit code from a NumPy ufunc impl, the
``jax.lax.<name>`` lowering), gives it the jvp ``t * f'(x)`` from ``derivative(t, ans, x)``
and returns it with its lax-level function. The comment above each card gives the math.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.arithmetic import add, div, integer_pow, mul, neg, sub
from mini_ad.primitives.complex_parts import conj, real, real_dtype
from mini_ad.primitives.helpers import binop, const, defjvp, lax_function, real_only, unop
from mini_ad.primitives.logic import (
    broadcast_like,
    convert_element_type,
    eq,
    floor,
    ge,
    select_n,
    sign,
)  # fmt: skip


def _unary(name, impl, derivative, real_math=False, **family):
    p = unop(name, impl, **family)
    defjvp(p, derivative)
    if real_math:  # complex operands: a TypeError naming the primitive, as in JAX
        real_only(p)
    return p, lax_function(p)


def _binary(name, impl, d_x, d_y, real_math=False, **family):
    p = binop(name, impl, **family)
    defjvp(p, d_x, d_y)
    if real_math:
        real_only(p)
    return p, lax_function(p)


def _one_minus_square(x):
    return sub(const(x, 1), square(x))


# --- trigonometric and hyperbolic -------------------------------------------------------------

# d sin = cos
sin_p, sin = _unary("sin", np.sin, lambda t, ans, x: mul(t, cos(x)))
# d cos = -sin
cos_p, cos = _unary("cos", np.cos, lambda t, ans, x: mul(t, neg(sin(x))))
# d tan = 1 + tan²
tan_p, tan = _unary("tan", np.tan, lambda t, ans, x: mul(t, add(const(x, 1), square(ans))))
# d asin = 1/√(1-x²)
asin_p, asin = _unary("asin", np.arcsin, lambda t, ans, x: mul(t, rsqrt(_one_minus_square(x))))
# d acos = -1/√(1-x²)
acos_p, acos = _unary("acos", np.arccos, lambda t, ans, x: mul(t, neg(rsqrt(_one_minus_square(x)))))
# d atan = 1/(1+x²)
atan_p, atan = _unary("atan", np.arctan, lambda t, ans, x: div(t, add(const(x, 1), square(x))))
# d sinh = cosh
sinh_p, sinh = _unary("sinh", np.sinh, lambda t, ans, x: mul(t, cosh(x)))
# d cosh = sinh
cosh_p, cosh = _unary("cosh", np.cosh, lambda t, ans, x: mul(t, sinh(x)))
# d tanh = 1 - tanh² = (1 - tanh)(1 + tanh): the product keeps precision where |tanh| -> 1
tanh_p, tanh = _unary(
    "tanh",
    np.tanh,
    lambda t, ans, x: mul(t, mul(sub(const(ans, 1), ans), add(const(ans, 1), ans))),
)
# d asinh = 1/√(x²+1)
asinh_p, asinh = _unary(
    "asinh", np.arcsinh, lambda t, ans, x: mul(t, rsqrt(add(square(x), const(x, 1))))
)
# d acosh = 1/√((x-1)(x+1))
acosh_p, acosh = _unary(
    "acosh",
    np.arccosh,
    lambda t, ans, x: mul(t, rsqrt(mul(sub(x, const(x, 1)), add(x, const(x, 1))))),
)
# d atanh = 1/(1-x²)
atanh_p, atanh = _unary("atanh", np.arctanh, lambda t, ans, x: div(t, _one_minus_square(x)))
# d atan2(x, y) = (y dx - x dy) / (x² + y²)
atan2_p, atan2 = _binary(
    "atan2",
    np.arctan2,
    lambda t, ans, x, y: mul(t, div(y, add(square(x), square(y)))),
    lambda t, ans, x, y: mul(t, div(neg(x), add(square(x), square(y)))),
    real_math=True,  # JAX extends atan2 to complex; mini_ad does not (yet)
)

# --- exponentials, logarithms, powers ---------------------------------------------------------

# d exp = exp
exp_p, exp = _unary("exp", np.exp, lambda t, ans, x: mul(t, ans))
# d 2^x = ln2 · 2^x
exp2_p, exp2 = _unary("exp2", np.exp2, lambda t, ans, x: mul(t, mul(ans, const(x, math.log(2)))))
# d log = 1/x
log_p, log = _unary("log", np.log, lambda t, ans, x: div(t, x))
# d log1p = 1/(1+x)
log1p_p, log1p = _unary("log1p", np.log1p, lambda t, ans, x: div(t, add(x, const(x, 1))))
# d expm1 = exp = expm1 + 1
expm1_p, expm1 = _unary("expm1", np.expm1, lambda t, ans, x: mul(t, add(ans, const(x, 1))))
# d √x = 1/(2√x): inf at 0. Python's math.sqrt and NumPy's are both correctly rounded.
sqrt_p, sqrt = _unary(
    "sqrt", np.sqrt, lambda t, ans, x: mul(t, div(const(x, 0.5), ans)), scalar="_m.sqrt({0})"
)
# d x^(-1/2) = -x^(-3/2)/2
rsqrt_p, rsqrt = _unary(
    "rsqrt", lambda x: 1.0 / np.sqrt(x), lambda t, ans, x: mul(t, mul(div(ans, x), const(x, -0.5)))
)
# d ∛x = 1/(3 ∛x²)
cbrt_p, cbrt = _unary(
    "cbrt",
    np.cbrt,
    lambda t, ans, x: mul(t, mul(integer_pow(ans, -2), const(x, 1 / 3))),
    real_math=True,
)
# d x² = 2x
square_p, square = _unary(
    "square",
    np.square,
    lambda t, ans, x: mul(t, mul(const(x, 2), x)),
    inexact_only=False,
    scalar="{0} * {0}",
)


def _abs_derivative(t, ans, x):
    if aval_of(x).dtype.kind != "c":  # d |x| = sign(x), with d|x|(0) = 1 (JAX: x >= 0)
        return select_n(ge(x, const(x, 0)), neg(t), t)
    # d |z| = Re(conj(z) dz) / |z|, and 0 at z = 0 (conj(0) / 1)
    safe = select_n(eq(ans, const(ans, 0)), ans, broadcast_like(const(ans, 1), ans))
    return real(mul(t, div(conj(x), convert_element_type(safe, aval_of(x).dtype))))


abs_p, abs = _unary(  # noqa: A001 - lax's name
    "abs", np.abs, _abs_derivative, inexact_only=False, scalar="abs({0})"
)
_abs_elementwise_aval = abs_p.abstract_eval
# |z| of a complex z is real: complex128 -> float64
abs_p.abstract_eval = lambda x: (
    ShapedArray(x.shape, real_dtype(x.dtype), x.weak_type)
    if x.dtype.kind == "c"
    else _abs_elementwise_aval(x)
)


def _pow_d_y(t, ans, x, y):
    # d x**y / dy = log(x) x**y, taken as 0 where x == 0 (as JAX does)
    is_zero = eq(x, const(x, 0))
    safe_x = select_n(is_zero, x, broadcast_like(const(x, 1), x))
    return mul(t, select_n(is_zero, mul(log(safe_x), ans), zeros_like(ans)))


# d x**y = y x**(y-1) dx + log(x) x**y dy   (so (x**0.0)'(0) = 0 * inf = nan, as in JAX)
pow_p, pow = _binary(  # noqa: A001 - lax's name
    "pow", np.power, lambda t, ans, x, y: mul(t, mul(y, pow(x, sub(y, const(y, 1))))), _pow_d_y
)


def _logistic_impl(x):
    if np.iscomplexobj(x):  # 1/(1+e^-z), holomorphic (JAX accepts complex too)
        return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(x))))
    # 1/(1+e^-x) for x >= 0 and e^x/(1+e^x) below: no cancellation in either tail
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(
        np.result_type(x), copy=False
    )


# d σ = σ (1 - σ)
logistic_p, logistic = _unary(
    "logistic", _logistic_impl, lambda t, ans, x: mul(t, mul(ans, sub(const(x, 1), ans)))
)


# --- log-sum-exp of two -----------------------------------------------------------------------


def _finite_or_zero(x):
    """x, with +inf replaced by 0: JAX's rule for the derivatives of logaddexp at inf."""
    return select_n(eq(x, const(x, np.inf)), x, zeros_like(x))


def _log_add_exp_derivative(base_exp):
    # d/dx log_b(b^x + b^y) = b^(x - out), with +inf read as 0 (JAX: inf, inf -> 1, 1)
    def d_x(t, ans, x, y):
        return mul(t, base_exp(sub(_finite_or_zero(x), _finite_or_zero(ans))))

    def d_y(t, ans, x, y):
        return mul(t, base_exp(sub(_finite_or_zero(y), _finite_or_zero(ans))))

    return d_x, d_y


logaddexp_p, logaddexp = _binary(
    "logaddexp", np.logaddexp, *_log_add_exp_derivative(exp), commutative=True, real_math=True
)
logaddexp_p.lowering = lambda lx, x, y: lx.jnp.logaddexp(x, y)
# log2(2^x + 2^y); d/dx = 2^(x - out)
logaddexp2_p, logaddexp2 = _binary(
    "logaddexp2", np.logaddexp2, *_log_add_exp_derivative(exp2), commutative=True, real_math=True
)
logaddexp2_p.lowering = lambda lx, x, y: lx.jnp.logaddexp2(x, y)

# rem(x, y) = x - y trunc(x / y):  d/dx = 1, d/dy = -trunc(x / y)
rem_p, rem = _binary(
    "rem",
    np.fmod,
    lambda t, ans, x, y: t,
    lambda t, ans, x, y: mul(neg(t), _trunc(div(x, y))),
    real_math=True,
)


def _trunc(x):
    return mul(sign(x), floor(abs(x)))
