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
from mini_ad.primitives.taylor import jet_from_jvp


def _unary(name, impl, derivative, real_math=False, **family):
    p = unop(name, impl, **family)
    defjvp(p, derivative)
    if real_math:  # complex operands: a TypeError naming the primitive, as in JAX
        real_only(p)
    return p, lax_function(p, 1)


def _binary(name, impl, d_x, d_y, real_math=False, **family):
    p = binop(name, impl, **family)
    defjvp(p, d_x, d_y)
    if real_math:
        real_only(p)
    return p, lax_function(p, 2)


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


def _atan2_impl(y, x):
    """``np.arctan2``; for complex operands ``-i log((x + i y) / sqrt(x² + y²))``, the
    analytic continuation JAX (XLA) computes."""
    if np.result_type(y, x).kind != "c":
        return np.arctan2(y, x)
    return -1j * np.log((x + 1j * y) / np.sqrt(x * x + y * y))


def _real_ufunc_code(ufunc_name):
    """jit's code for a family member whose impl is a NumPy ufunc for real dtypes only
    (complex operands: the impl)."""
    return lambda ins, params, out_avals: (
        None if out_avals[0].dtype.kind == "c" else f"np.{ufunc_name}({ins[0]}, {ins[1]})"
    )


# d atan2(x, y) = (y dx - x dy) / (x² + y²), complex operands too (holomorphic)
atan2_p, atan2 = _binary(
    "atan2",
    _atan2_impl,
    lambda t, ans, x, y: mul(t, div(y, add(square(x), square(y)))),
    lambda t, ans, x, y: mul(t, div(neg(x), add(square(x), square(y)))),
)
atan2_p.codegen = _real_ufunc_code("arctan2")

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
_abs_elementwise_aval = abs_p.abstract_eval  # |z| of a complex z is real: c128 -> f64
abs_p.abstract_eval = lambda x: (  # noqa: E731
    ShapedArray(x.shape, real_dtype(x.dtype), x.weak_type) if x.dtype.kind == "c" else _abs_elementwise_aval(x)  # noqa: E501
)  # fmt: skip


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


def _rem_impl(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind not in "iu":
        return np.fmod(x, y)
    zero = y == 0  # XLA: x rem 0 is x
    return np.where(zero, x, np.fmod(x, np.where(zero, np.ones((), y.dtype), y)))


# rem(x, y) = x - y trunc(x / y):  d/dx = 1, d/dy = -trunc(x / y)
rem_p, rem = _binary(
    "rem",
    _rem_impl,
    lambda t, ans, x, y: t,
    lambda t, ans, x, y: mul(neg(t), _trunc(div(x, y))),
    real_math=True,
)


def _trunc(x):
    return mul(sign(x), floor(abs(x)))


rem_p.codegen = lambda ins, params, out_avals: (  # floats: exactly np.fmod, as the impl
    f"np.fmod({ins[0]}, {ins[1]})" if out_avals[0].dtype.kind in "fc" else None
)


# --- Taylor rules: recurrences on normalized coefficients (see primitives/taylor.py) ------------
# For y = f(x(t)) with y' = u(t) x'(t): k y_k = Σ_{j=1..k} j x_j u_{k-j}, where u_m needs only
# y_0 .. y_m, so the coefficients follow one another at O(k) products each. The other cards
# here (asin, atan2, pow, logaddexp, ...) derive theirs from the jvp (``jet_from_jvp``).


def _sum(values):
    total = None
    for v in values:
        if v is not None:
            total = v if total is None else add(total, v)
    return total


def _scaled(v, c):
    return None if v is None or c == 0 else (v if c == 1 else mul(v, const(v, c)))


def _dx(x):
    """``[j x_j]`` for j = 0..K: the coefficients of x'(t) shifted by one."""
    return [None if j == 0 or v is None else _scaled(v, j) for j, v in enumerate(x)]


def _next_term(dx, u, k):
    """``y_k = (1/k) Σ_{j=1..k} (j x_j) u_{k-j}``."""
    products = [
        mul(dx[j], u[k - j]) for j in range(1, k + 1) if dx[j] is not None and u[k - j] is not None
    ]
    return _scaled(_sum(products), 1 / k)


def _self_square(y, m):
    """The m-th coefficient of y², from y_0 .. y_m (symmetric: half the products)."""
    parts = [
        _scaled(mul(y[i], y[m - i]), 2)
        for i in range((m + 1) // 2)
        if y[i] is not None and y[m - i] is not None
    ]
    if m % 2 == 0 and y[m // 2] is not None:
        parts.append(square(y[m // 2]))
    return _sum(parts)


def _ode_jet(p, u_term):
    """The rule of ``y = p(x)`` with ``y' = u x'``; ``u_term(m, y)`` is u's m-th coefficient."""

    def rule(primals, series):
        x = [primals[0], *series[0]]
        dx = _dx(x)
        y = [p.bind(primals[0])]
        u = []
        for k in range(1, len(x)):
            u.append(u_term(k - 1, y))
            y.append(_next_term(dx, u, k))
        return y[0], y[1:]

    return rule


def _one_plus(c, y0, sign):
    # the m-th coefficient of c + sign * y², with y² from _self_square
    def u_term(m, y):
        sq = _self_square(y, m)
        sq = None if sq is None else (sq if sign > 0 else neg(sq))
        return add(const(y[0], c), sq) if m == 0 and c else sq

    return u_term


exp_p.jet = _ode_jet(exp_p, lambda m, y: y[m])  # exp' = exp
exp2_p.jet = _ode_jet(exp2_p, lambda m, y: _scaled(y[m], math.log(2)))  # (2^x)' = ln2 2^x
expm1_p.jet = _ode_jet(expm1_p, lambda m, y: add(y[0], const(y[0], 1)) if m == 0 else y[m])
tanh_p.jet = _ode_jet(tanh_p, _one_plus(1, None, -1))  # tanh' = 1 - tanh²
tan_p.jet = _ode_jet(tan_p, _one_plus(1, None, 1))  # tan' = 1 + tan²
logistic_p.jet = _ode_jet(  # σ' = σ - σ²
    logistic_p, lambda m, y: _sum([y[m], None if (s := _self_square(y, m)) is None else neg(s)])
)


def _pair_jet(f, g, sign, which):
    """sin/cos (sign -1) and sinh/cosh (sign +1): f' = g, g' = sign f, computed together."""

    def rule(primals, series):
        x = [primals[0], *series[0]]
        dx = _dx(x)
        s, c = [f(primals[0])], [g(primals[0])]
        for k in range(1, len(x)):
            s_k = _next_term(dx, c, k)
            c_k = _next_term(dx, s, k)
            s.append(s_k)
            c.append(c_k if sign > 0 or c_k is None else neg(c_k))
        out = s if which == 0 else c
        return out[0], out[1:]

    return rule


sin_p.jet = _pair_jet(sin, cos, -1, 0)
cos_p.jet = _pair_jet(sin, cos, -1, 1)
sinh_p.jet = _pair_jet(sinh, cosh, 1, 0)
cosh_p.jet = _pair_jet(sinh, cosh, 1, 1)


def _log_jet(p, shift):
    # y = log(shift + x): (shift + x) y' = x'  =>  y_k = (x_k - (1/k) Σ_{j=1..k-1} j y_j x_{k-j}) / z_0
    def rule(primals, series):
        x = [primals[0], *series[0]]
        z0 = x[0] if shift == 0 else add(x[0], const(x[0], shift))
        y = [p.bind(primals[0])]
        dy = [None]
        for k in range(1, len(x)):
            acc = _scaled(
                _sum(
                    [
                        mul(dy[j], x[k - j])
                        for j in range(1, k)
                        if dy[j] is not None and x[k - j] is not None
                    ]
                ),
                1 / k,
            )
            num = x[k] if acc is None else (neg(acc) if x[k] is None else sub(x[k], acc))
            y.append(None if num is None else div(num, z0))
            dy.append(_scaled(y[k], k))
        return y[0], y[1:]

    return rule


log_p.jet = _log_jet(log_p, 0)
log1p_p.jet = _log_jet(log1p_p, 1)


def _sqrt_jet(primals, series):
    # y² = x  =>  y_k = (x_k - Σ_{j=1..k-1} y_j y_{k-j}) / (2 y_0)
    x = [primals[0], *series[0]]
    y = [sqrt(primals[0])]
    two_y0 = mul(y[0], const(y[0], 2))
    for k in range(1, len(x)):
        cross = _sum(
            [mul(y[j], y[k - j]) for j in range(1, k) if y[j] is not None and y[k - j] is not None]
        )
        num = x[k] if cross is None else (neg(cross) if x[k] is None else sub(x[k], cross))
        y.append(None if num is None else div(num, two_y0))
    return y[0], y[1:]


def _real_power_jet(p, a):
    # y = x^a: x y' = a x' y  =>  k x_0 y_k = Σ_{j=1..k} ((a+1) j - k) x_j y_{k-j}
    def rule(primals, series):
        x = [primals[0], *series[0]]
        y = [p.bind(primals[0])]
        for k in range(1, len(x)):
            parts = [
                _scaled(mul(x[j], y[k - j]), ((a + 1) * j - k) / k)
                for j in range(1, k + 1)
                if x[j] is not None and y[k - j] is not None
            ]
            total = _sum(parts)
            y.append(None if total is None else div(total, x[0]))
        return y[0], y[1:]

    return rule


sqrt_p.jet = _sqrt_jet
rsqrt_p.jet = _real_power_jet(rsqrt_p, -0.5)
cbrt_p.jet = _real_power_jet(cbrt_p, 1 / 3)
square_p.jet = lambda primals, series: (square(primals[0]), [_self_square([primals[0], *series[0]], k) for k in range(1, len(series[0]) + 1)])  # fmt: skip
# |x| = ±x near x0 (+ at 0, as the jvp): the sign of x0 times each coefficient
_abs_real_jet = lambda primals, series: (abs(primals[0]), [None if t is None else select_n(ge(primals[0], const(primals[0], 0)), neg(t), t) for t in series[0]])  # fmt: skip  # noqa: E501, E731
_abs_complex_jet = jet_from_jvp(abs_p)  # |z| is not piecewise linear in z: from the jvp
abs_p.jet = lambda primals, series: (  # noqa: E731
    _abs_complex_jet if aval_of(primals[0]).dtype.kind == "c" else _abs_real_jet
)(primals, series)
