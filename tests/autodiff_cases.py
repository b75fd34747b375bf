"""The primitive table for the autodiff tests: one row per primitive (or variant).

A row names the primitive it exercises, a mini_ad function written with that
primitive (lax level, ``mini_ad.primitives``), the same function in ``jax.lax`` /
``jax.numpy``, and generators for its differentiable arguments; non-differentiable
operands (indices, predicates, static params) are closed over. ``linear`` rows are
linear in all their arguments jointly and also get the transpose dot-product test.

``INTEGER_OUTPUT`` rows are the primitives whose outputs are integers or bools: they
have no derivative to compare, only a float0 tangent.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

import mini_ad  # noqa: F401 - registers every primitive
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import indexing as ix
from mini_ad.primitives import linalg as la
from mini_ad.primitives import reductions as rd
from mini_ad.primitives import structural as st

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy
lax = jax.lax

# --- argument domains -------------------------------------------------------------------------


def real(*shape):
    return lambda rng: rng.normal(size=shape)


def pos(*shape):
    return lambda rng: rng.uniform(0.5, 2.0, size=shape)


def unit(*shape):
    return lambda rng: rng.uniform(-0.85, 0.85, size=shape)


def gt1(*shape):
    return lambda rng: rng.uniform(1.2, 3.0, size=shape)


def away0(*shape):
    """|x| in [0.5, 2] with random signs."""
    return lambda rng: rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 2.0, size=shape)


def off_grid(*shape):
    """Values at least 0.1 away from every integer and half-integer (round/floor kinks)."""
    return lambda rng: rng.integers(-3, 3, size=shape) + rng.uniform(0.1, 0.4, size=shape)


def boolean(*shape):
    return lambda rng: rng.integers(0, 2, size=shape).astype(bool)


@dataclass
class Row:
    primitive: str
    mini: object
    jax: object
    arg_specs: list
    linear: bool = False
    variant: str = ""
    finite_differences: bool = True  # False where the derivative is zero by fiat

    @property
    def id(self) -> str:
        return f"{self.primitive}-{self.variant}" if self.variant else self.primitive

    def args(self) -> tuple:
        rng = np.random.default_rng(zlib.crc32(self.id.encode()))
        return tuple(np.asarray(spec(rng)) for spec in self.arg_specs)


ROWS: list[Row] = []
INTEGER_OUTPUT: list[Row] = []


def row(primitive, mini, jax_fn, *specs, linear=False, variant="", finite_differences=True):
    ROWS.append(Row(primitive, mini, jax_fn, list(specs), linear, variant, finite_differences))


def int_row(primitive, mini, jax_fn, *specs, variant=""):
    INTEGER_OUTPUT.append(Row(primitive, mini, jax_fn, list(specs), False, variant))


S = (2, 3)
C23 = np.linspace(-1.5, 2.0, 6).reshape(S)  # a constant operand for linear variants

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

# --- unary math -------------------------------------------------------------------------------

for _name, _domain in [
    ("sin", real), ("cos", real), ("tan", unit), ("asin", unit), ("acos", unit), ("atan", real),
    ("sinh", real), ("cosh", real), ("tanh", real), ("asinh", real), ("acosh", gt1),
    ("atanh", unit), ("exp", real), ("exp2", real), ("log", pos), ("log1p", pos),
    ("expm1", real), ("sqrt", pos), ("rsqrt", pos), ("cbrt", away0), ("logistic", real),
    ("square", real), ("abs", away0),
]:  # fmt: skip
    row(_name, getattr(ew, _name), getattr(lax, _name), _domain(*S))

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

# --- indexing ---------------------------------------------------------------------------------

IDX = np.array([2, -1, 0, 2])  # a repeat and a negative index
UNIQUE = np.array([3, 0])
row("gather", lambda x: ix.gather(x, [IDX], (0,)), lambda x: x[IDX], real(4, 3), linear=True)
row(
    "gather",
    lambda x: ix.gather(x, [IDX[:2], UNIQUE], (0, 1)),
    lambda x: x[IDX[:2], UNIQUE],
    real(4, 5),
    linear=True,
    variant="2d",
)
row(
    "scatter-add",
    lambda x, u: ix.scatter_add(x, u, [IDX], (0,)),
    lambda x, u: x.at[IDX].add(u),
    real(4, 3),
    real(4, 3),
    linear=True,
)
row(
    "scatter",
    lambda x, u: ix.scatter(x, u, [UNIQUE], (0,)),
    lambda x, u: x.at[UNIQUE].set(u),
    real(4, 3),
    real(2, 3),
    linear=True,
)

# --- structural -------------------------------------------------------------------------------

row(
    "broadcast_in_dim",
    lambda x: st.broadcast_in_dim(x, (2, 3), (1,)),
    lambda x: lax.broadcast_in_dim(x, (2, 3), (1,)),
    real(3),
    linear=True,
)
row(
    "broadcast_in_dim",
    lambda x: st.broadcast_in_dim(x, (2, 3, 4), (1, 2)),
    lambda x: lax.broadcast_in_dim(x, (2, 3, 4), (1, 2)),
    real(3, 1),
    linear=True,
    variant="grow",
)
row(
    "reshape",
    lambda x: st.reshape(x, (3, 2)),
    lambda x: lax.reshape(x, (3, 2)),
    real(*S),
    linear=True,
)
row(
    "transpose",
    lambda x: st.transpose(x, (2, 0, 1)),
    lambda x: lax.transpose(x, (2, 0, 1)),
    real(2, 3, 4),
    linear=True,
)
row(
    "squeeze",
    lambda x: st.squeeze(x, (1,)),
    lambda x: lax.squeeze(x, (1,)),
    real(2, 1, 3),
    linear=True,
)
row(
    "concatenate",
    lambda x, y: st.concatenate([x, y], 1),
    lambda x, y: lax.concatenate([x, y], 1),
    real(2, 3),
    real(2, 1),
    linear=True,
)
PAD = ((1, 0, 1), (0, 2, 0))
row(
    "pad",
    lambda x, v: st.pad(x, v, PAD),
    lambda x, v: lax.pad(x, v, PAD),
    real(*S),
    real(),
    linear=True,
)
row(
    "slice",
    lambda x: st.slice(x, (1, 0), (4, 5), (2, 2)),
    lambda x: lax.slice(x, (1, 0), (4, 5), (2, 2)),
    real(4, 5),
    linear=True,
)
row("rev", lambda x: st.rev(x, (0, 1)), lambda x: lax.rev(x, (0, 1)), real(*S), linear=True)
# start 4 along a dim of 5 with size 2 is clamped to 3, as in JAX
row(
    "dynamic_slice",
    lambda x: st.dynamic_slice(x, (1, 4), (2, 2)),
    lambda x: lax.dynamic_slice(x, (1, 4), (2, 2)),
    real(4, 5),
    linear=True,
)
row(
    "dynamic_update_slice",
    lambda x, u: st.dynamic_update_slice(x, u, (2, 1)),
    lambda x, u: lax.dynamic_update_slice(x, u, (2, 1)),
    real(4, 5),
    real(2, 2),
    linear=True,
)

# --- contractions and reductions --------------------------------------------------------------

BATCHED = (((2,), (1,)), ((0,), (0,)))
MATMUL = (((1,), (0,)), ((), ()))
row(
    "dot_general",
    lambda x, y: la.dot_general(x, y, BATCHED),
    lambda x, y: lax.dot_general(x, y, BATCHED),
    real(2, 3, 4),
    real(2, 4, 5),
)
row(
    "dot_general",
    lambda x, y: la.dot_general(x, y, MATMUL),
    lambda x, y: lax.dot_general(x, y, MATMUL),
    real(3, 4),
    real(4, 2),
    variant="matmul",
)
row(
    "dot_general",
    lambda x: la.dot_general(x, C23, MATMUL),
    lambda x: lax.dot_general(x, C23, MATMUL),
    real(4, 2),
    linear=True,
    variant="const",
)
row(
    "reduce_sum",
    lambda x: rd.reduce_sum(x, (0, 2)),
    lambda x: jnp.sum(x, axis=(0, 2)),
    real(2, 3, 4),
    linear=True,
)
row("reduce_max", lambda x: rd.reduce_max(x, (1,)), lambda x: jnp.max(x, axis=1), real(*S))
row("reduce_min", lambda x: rd.reduce_min(x, (0, 1)), lambda x: jnp.min(x, axis=(0, 1)), real(*S))
row("reduce_prod", lambda x: rd.reduce_prod(x, (1,)), lambda x: jnp.prod(x, axis=1), away0(2, 5))
ZERO_IN = np.array([[0.0, 1.5, -2.0], [0.7, 0.0, 0.0]])
row(
    "reduce_prod",
    lambda x: rd.reduce_prod(x, (1,)),
    lambda x: jnp.prod(x, axis=1),
    lambda rng: ZERO_IN,
    variant="zeros",
)
row("cumsum", lambda x: rd.cumsum(x, 1), lambda x: lax.cumsum(x, 1), real(*S), linear=True)
row(
    "cumsum",
    lambda x: rd.cumsum(x, 0, reverse=True),
    lambda x: lax.cumsum(x, 0, reverse=True),
    real(*S),
    linear=True,
    variant="reverse",
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
