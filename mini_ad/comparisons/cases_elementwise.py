"""Elementwise math (one row per function, on its safe domain), the conventions at kinks,
and broadcasting with NumPy's promotion rules."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, Case, case, register

# --- unary functions: sum(f(x)) so grad and hessian see the first and second derivatives ----
# (name, domain low, domain high)
UNARY = [
    ("sin", -2, 2), ("cos", -2, 2), ("tan", -1, 1), ("arcsin", -0.9, 0.9),
    ("arccos", -0.9, 0.9), ("arctan", -2, 2), ("sinh", -2, 2), ("cosh", -2, 2),
    ("tanh", -2, 2), ("arcsinh", -2, 2), ("arccosh", 1.2, 3), ("arctanh", -0.9, 0.9),
    ("exp", -2, 2), ("exp2", -2, 2), ("expm1", -2, 2), ("log", 0.3, 3), ("log1p", -0.5, 2),
    ("log2", 0.3, 3), ("log10", 0.3, 3), ("sqrt", 0.3, 3), ("cbrt", 0.3, 3),
    ("reciprocal", 0.5, 2), ("square", -2, 2), ("negative", -2, 2), ("deg2rad", -2, 2),
    ("rad2deg", -2, 2), ("sinc", 0.1, 2), ("abs", 0.1, 2), ("sign", 0.1, 2),
    ("floor", 0.1, 3.9), ("ceil", 0.1, 3.9), ("round", 0.1, 3.4), ("trunc", -3.9, 3.9),
    ("rint", 0.1, 3.4), ("positive", -2, 2),
]  # fmt: skip

for _name, _lo, _hi in UNARY:
    register(
        Case(
            _name,
            "elementwise",
            lambda np, x, f=_name: np.sum(getattr(np, f)(x)),
            (A(2, 3, lo=_lo, hi=_hi),),
        )
    )


@case("elementwise", A(2, 3, lo=-3, hi=-0.5), name="abs_negative")
def abs_negative(np, x):
    return np.sum(np.abs(x) * x)


@case("elementwise", A(4, lo=-2, hi=2))
def vector_output_tanh(np, x):
    return np.tanh(x) * np.cos(x)


# --- binary functions -------------------------------------------------------------------------


@case("elementwise", A(3, lo=0.5, hi=2), A(3, lo=-1.5, hi=1.5))
def power_array_exponent(np, x, y):
    return np.sum(np.power(x, y))


@case("elementwise", A(3, lo=-2, hi=2))
def power_integer(np, x):
    return np.sum(x**3 - 2 * x**2 + x ** (-2))


@case("elementwise", A(3, lo=0.5, hi=2))
def power_float_exponent(np, x):
    return np.sum(x**2.5 + x**-0.5)


@case("elementwise", A(3, lo=0.5, hi=2))
def scalar_base_power(np, x):
    return np.sum(2.0**x + np.float_power(x, 1.5))


@case("elementwise", A(3, lo=-2, hi=2), A(3, lo=0.5, hi=2))
def arctan2(np, y, x):
    return np.sum(np.arctan2(y, x) + np.arctan2(x, y))


@case("elementwise", A(3, lo=-2, hi=2), A(3, lo=-2, hi=2))
def hypot_logaddexp(np, x, y):
    return np.sum(np.hypot(x, y) + np.logaddexp(x, y))


@case("elementwise", A(4, lo=-2, hi=2), A(4, lo=-2, hi=2))
def maximum_minimum(np, x, y):
    return np.maximum(x, y) * 2.0 + np.minimum(x, y)


@case("elementwise", A(4, lo=0.5, hi=5), A(4, lo=0.7, hi=1.3))
def fmod_remainder(np, x, y):
    return np.fmod(x, y) + np.remainder(x, y) + np.mod(-x, y)


@case("elementwise", A(4, lo=0.5, hi=5), A(4, lo=0.7, hi=1.3))
def floor_divide(np, x, y):
    return np.floor_divide(x, y) * x


@case("elementwise", A(2, 3, lo=-2, hi=2), A(2, 3, lo=0.5, hi=2))
def divide_forms(np, x, y):
    return np.sum(x / y + np.true_divide(y, 1.0 + x * x) + np.divide(2.0, y))


@case("elementwise", A(5, lo=-2, hi=2))
def where_select(np, x):
    return np.where(x > 0.1, np.sin(x), x**2)


@case("elementwise", A(5, lo=-2, hi=2))
def clip_inside(np, x):
    return np.clip(x, -3.0, 3.0) * np.clip(x, -1.5, 1.5)


@case("elementwise", A(5, lo=-2, hi=2))
def isfinite_mask(np, x):
    y = 1.0 / x
    return np.where(np.isfinite(y) & ~np.isnan(y), y, 0.0) + np.isinf(y)


@case("elementwise", A(5, lo=-2, hi=2), A(5, lo=-2, hi=2))
def comparisons_and_logic(np, x, y):
    mask = np.logical_or(x > y, np.logical_and(x < -1.0, np.logical_not(y > 0)))
    return np.where(mask, x * y, x + y) + np.equal(x, x) - np.not_equal(x, y)


@case("elementwise", A(5, lo=0, hi=10, dtype="int64"))
def integer_arithmetic(np, k):
    return (k * 3 + 1) // 2 - k % 3 + np.abs(-k) + (k & 6) + (k | 1) + (k ^ 3) + ~k


@case("elementwise", A(3, lo=-2, hi=2), A(3, lo=-2, hi=2))
def composite_smooth(np, x, y):
    return np.sum(np.exp(np.sin(x) * y) / (1.0 + np.cosh(x - y)) + np.log1p(x**2 * y**2))


# --- kinks: JAX's conventions at non-differentiable points (finite differences don't apply) --
kink = dict(fd=False, note="evaluated at a kink: finite differences straddle it")


@case("kinks", onp.array([-1.5, 0.0, 2.0]), **kink)
def abs_at_zero(np, x):
    return np.sum(np.abs(x))  # JAX: abs'(0) = 1


@case("kinks", onp.array([-1.0, 0.0, 2.0]), **kink)
def sign_at_zero(np, x):
    return np.sum(np.sign(x) * x)


@case("kinks", onp.array([1.0, 2.0, 3.0]), onp.array([1.0, 0.0, 3.0]), **kink)
def maximum_tie(np, x, y):
    return np.sum(np.maximum(x, y))  # ties split 0.5 / 0.5


@case("kinks", onp.array([1.0, 2.0, 3.0]), onp.array([1.0, 5.0, 3.0]), **kink)
def minimum_tie(np, x, y):
    return np.sum(np.minimum(x, y) * np.array([1.0, 2.0, 3.0]))


@case("kinks", onp.array([1.0, 3.0, 3.0]), **kink)
def max_reduction_ties(np, x):
    return np.max(x)  # [0, .5, .5]


@case("kinks", onp.array([3.0, 3.0, 5.0]), **kink)
def min_reduction_ties(np, x):
    return np.min(x)


@case("kinks", onp.array([0.0, 0.5, 1.0, 1.5]), **kink)
def clip_at_bounds(np, x):
    return np.sum(np.clip(x, 0.0, 1.0))  # 0.5 at both bounds (min o max)


@case("kinks", onp.array([0.0, 1.0, 4.0]), **kink)
def sqrt_at_zero(np, x):
    return np.sum(np.sqrt(x))  # sqrt'(0) = inf


@case("kinks", onp.array([0.0, 2.0]), **kink)
def power_zero_exponent_at_zero(np, x):
    return np.sum(x**0.0)  # (x**0.0)'(0) = nan in JAX


@case("kinks", onp.array([0.0, 1.5]), **kink)
def power_at_zero(np, x):
    return np.sum(x**2 + x**1.5)  # 0 and 0 at 0


@case("kinks", onp.array([0.0, 4.0]), **kink)
def naive_where_sqrt(np, x):
    return np.sum(np.where(x > 0, np.sqrt(x), 0.0))  # nan at 0: 0 * inf in the untaken branch


@case("kinks", onp.array([0.0, 4.0]), **kink)
def double_where_sqrt(np, x):
    safe = np.where(x > 0, x, 1.0)
    return np.sum(np.where(x > 0, np.sqrt(safe), 0.0))  # 0 at 0


@case("kinks", onp.array([0.0, 0.0, 0.0]), **kink)
def norm_at_zero(np, x):
    return np.linalg.norm(x)  # [nan, nan, nan] in JAX


@case("kinks", onp.array([-1.0, 0.0, 1.0]), **kink)
def where_boundary(np, x):
    return np.sum(np.where(x >= 0, x**2, -x))


@case("kinks", onp.array([0.5, 1.5, 2.5, -0.5]), **kink)
def round_half(np, x):
    return np.sum(np.round(x) + np.floor(x) * x)


@case("kinks", onp.array([0.0, 0.5]), **kink)
def sinc_at_zero(np, x):
    return np.sum(np.sinc(x))


# --- broadcasting and dtype promotion ----------------------------------------------------------


@case("broadcasting", A(3), A(2, 3))
def vector_plus_matrix(np, x, y):
    return np.sum(np.sin(x + y) * y)


@case("broadcasting", A(2, 1), A(1, 3))
def column_times_row(np, x, y):
    return x * y + np.exp(x - y)


@case("broadcasting", A(4, 1, 3), A(2, 3))
def rank_three_minus_matrix(np, x, y):
    return np.sum((x - y) ** 2)


@case("broadcasting", A(3), A(4))
def outer_by_none_indexing(np, x, y):
    return np.tanh(x[:, None] * y[None, :])


@case("broadcasting", A(3), 2.5)
def python_scalar_operands(np, x, s):
    return np.sum(s * x + x / s - 1.0 + s**2)


@case("broadcasting", A(3))
def broadcast_to(np, x):
    return np.broadcast_to(x, (2, 3)) * np.arange(6.0).reshape(2, 3)


@case("broadcasting", A(2, 3), A(3), A(2, 1))
def where_broadcasts(np, c, x, y):
    return np.where(c > 0, x, y * 2.0)


@case("broadcasting", A(3, dtype="float32"))
def float32_stays_float32(np, x):
    return np.sum(x * 2.0 + np.sin(x) / 3)  # weak Python scalars keep float32


@case("broadcasting", A(3, lo=-5, hi=5, dtype="int8"), A(3))
def int_times_float(np, k, x):
    return k * 2.0 + x * k  # int8 * weak float -> float64


@case("broadcasting", A(3, dtype="float32"), A(3))
def float32_plus_float64(np, x, y):
    return np.sum(x * y)  # promotes to float64


@case("broadcasting", A(1, 3), A(2, 1, 1))
def size_one_dims_grow(np, x, y):
    return np.sum(np.cos(x * y), axis=0)
