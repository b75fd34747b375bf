"""Primitive table rows: elementwise math, select and conversion, and the primitives
with integer or bool outputs."""

from __future__ import annotations

import numpy as np
from autodiff_rows import (
    C23,
    S,
    away0,
    boolean,
    gt1,
    int_row,
    jnp,
    lax,
    off_grid,
    pos,
    real,
    row,
    unit,
)

from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import reductions as rd
from mini_ad.primitives import special as sp
from mini_ad.primitives import structural as st

# --- elementwise arithmetic -------------------------------------------------------------------

row("add", ew.add, lax.add, real(*S), real(*S), linear=True)
row("add", ew.add, jnp.add, real(*S), real(), linear=True, variant="rank0")
row("add_any", ew.add_any, lax.add, real(*S), real(*S), linear=True)
row("sub", ew.sub, lax.sub, real(*S), real(*S), linear=True)
row("sub", ew.sub, jnp.subtract, real(), real(*S), linear=True, variant="rank0")
row("neg", ew.neg, lax.neg, real(*S), linear=True)
row("mul", ew.mul, lax.mul, real(*S), real(*S))
row("mul", ew.mul, jnp.multiply, real(*S), real(), variant="rank0")
row(
    "mul",
    lambda x: ew.mul(C23, x),
    lambda x: lax.mul(C23, x),
    real(*S),
    linear=True,
    variant="const",
)
row("div", ew.div, lax.div, real(*S), away0(*S))
row("div", ew.div, jnp.divide, real(), away0(*S), variant="rank0")
row(
    "div",
    lambda x: ew.div(x, C23 + 3.0),
    lambda x: x / (C23 + 3.0),
    real(*S),
    linear=True,
    variant="const",
)
row("pow", ew.pow, lax.pow, pos(*S), real(*S))
row("pow", ew.pow, jnp.power, pos(*S), real(), variant="rank0")
row("max", ew.max, lax.max, real(*S), real(*S))
row("max", ew.max, jnp.maximum, real(*S), real(), variant="rank0")
row("min", ew.min, lax.min, real(*S), real(*S))
row("atan2", ew.atan2, lax.atan2, real(*S), away0(*S))
row("rem", ew.rem, lax.rem, real(*S), away0(*S))
row("logaddexp", ew.logaddexp, jnp.logaddexp, real(*S), real(*S))
row("logaddexp2", ew.logaddexp2, jnp.logaddexp2, real(*S), real(*S))

# --- unary math -------------------------------------------------------------------------------

for _name, _domain in [
    ("sin", real), ("cos", real), ("tan", unit), ("asin", unit), ("acos", unit), ("atan", real),
    ("sinh", real), ("cosh", real), ("tanh", real), ("asinh", real), ("acosh", gt1),
    ("atanh", unit), ("exp", real), ("exp2", real), ("log", pos), ("log1p", pos),
    ("expm1", real), ("sqrt", pos), ("rsqrt", pos), ("cbrt", away0), ("logistic", real),
    ("square", real), ("abs", away0),
]:  # fmt: skip
    row(_name, getattr(ew, _name), getattr(lax, _name), _domain(*S))

# special functions (their accuracy is tested in tests/test_scipy_special.py)
for _name, _domain in [
    ("erf", real), ("erfc", real), ("erf_inv", unit), ("lgamma", pos), ("digamma", pos),
]:  # fmt: skip
    row(_name, getattr(sp, _name), getattr(lax, _name), _domain(*S))
row("lgamma", sp.lgamma, lax.lgamma, off_grid(*S), variant="negative")
row("digamma", sp.digamma, lax.digamma, off_grid(*S), variant="negative")
row(
    "polygamma",
    lambda x: sp.polygamma(np.float64(1), x),
    lambda x: lax.polygamma(np.float64(1), x),
    pos(*S),
)
row(
    "polygamma",
    lambda x: sp.polygamma(np.full(S, 3.0), x),
    lambda x: lax.polygamma(np.full(S, 3.0), x),
    pos(*S),
    variant="m3",
)

row("integer_pow", lambda x: ew.integer_pow(x, 3), lambda x: lax.integer_pow(x, 3), real(*S))
row(
    "integer_pow",
    lambda x: ew.integer_pow(x, -2),
    lambda x: lax.integer_pow(x, -2),
    away0(*S),
    variant="neg",
)
row(
    "integer_pow",
    lambda x: ew.integer_pow(x, 0),
    lambda x: lax.integer_pow(x, 0),
    real(*S),
    variant="zero",
)

# piecewise constant: zero derivative away from the jumps
row("sign", ew.sign, lax.sign, away0(*S))
row("floor", ew.floor, lax.floor, off_grid(*S))
row("ceil", ew.ceil, lax.ceil, off_grid(*S))
row(
    "round",
    lambda x: ew.round(x, 0),
    lambda x: lax.round(x, lax.RoundingMethod.AWAY_FROM_ZERO),
    off_grid(*S),
)
row(
    "round",
    lambda x: ew.round(x, 1),
    lambda x: lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN),
    off_grid(*S),
    variant="even",
)
row("stop_gradient", ew.stop_gradient, lax.stop_gradient, real(*S), finite_differences=False)

# --- select and conversion --------------------------------------------------------------------

PRED = np.array([[True, False, True], [False, False, True]])
WHICH = np.array([[0, 2, 1], [1, 0, 2]], dtype=np.int32)
row(
    "select_n",
    lambda x, y: ew.select_n(PRED, x, y),
    lambda x, y: lax.select_n(PRED, x, y),
    real(*S),
    real(*S),
    linear=True,
)
row(
    "select_n",
    lambda x, y, z: ew.select_n(WHICH, x, y, z),
    lambda x, y, z: lax.select_n(WHICH, x, y, z),
    real(*S),
    real(*S),
    real(*S),
    linear=True,
    variant="3way",
)
row(
    "convert_element_type",
    lambda x: ew.convert_element_type(x, np.float64, weak_type=True),
    lambda x: lax.convert_element_type(x, np.float64),
    real(*S),
    linear=True,
)
row(
    "convert_element_type",
    lambda x: ew.convert_element_type(
        ew.mul(ew.convert_element_type(x, np.float64), C23), np.float32
    ),
    lambda x: lax.convert_element_type(
        lax.mul(lax.convert_element_type(x, np.float64), C23), np.float32
    ),
    lambda rng: rng.normal(size=S).astype(np.float32),
    linear=True,
    variant="f32",
)

# --- integer and bool outputs: a float0 tangent and nothing to differentiate ---------------------

for _name, _lax in [
    ("eq", "eq"),
    ("ne", "ne"),
    ("lt", "lt"),
    ("le", "le"),
    ("gt", "gt"),
    ("ge", "ge"),
]:
    int_row(_name, getattr(ew, _name), getattr(lax, _lax), real(*S), real(*S))
for _name, _lax in [("and", "bitwise_and"), ("or", "bitwise_or"), ("xor", "bitwise_xor")]:
    int_row(_name, getattr(ew, f"bitwise_{_name}"), getattr(lax, _lax), boolean(*S), boolean(*S))
int_row("not", ew.bitwise_not, lax.bitwise_not, boolean(*S))
int_row("is_finite", ew.is_finite, lax.is_finite, real(*S))
int_row("argmax", lambda x: rd.argmax(x, 1), lambda x: jnp.argmax(x, axis=1), real(*S))
int_row("argmin", lambda x: rd.argmin(x, 0), lambda x: jnp.argmin(x, axis=0), real(*S))
int_row(
    "iota",
    lambda x: st.iota(np.int64, (2, 3), 1),
    lambda x: lax.broadcasted_iota(np.int64, (2, 3), 1),
    real(*S),
)
