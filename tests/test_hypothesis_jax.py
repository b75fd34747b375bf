"""Property-based cross-check: random compositions of ``mini_ad.numpy`` functions against
the same composition in ``jax.numpy`` (x64), for the value, ``grad`` and ``jvp``.

A program is a random expression tree over 1-3 inputs whose shapes broadcast together;
its nodes are unary functions (guarded onto safe domains, so compositions stay finite),
broadcasting binary functions, and shape-preserving reductions and scans along an axis.
300 examples run by default (derandomized: the same ones every run); set
``MINI_AD_HYPOTHESIS_EXAMPLES=10000`` for a long run.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

jax = pytest.importorskip("jax")
hypothesis = pytest.importorskip("hypothesis")

import jax.numpy as jnp  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.interop.jax  # noqa: E402,F401 - turns on x64
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad.interop.compare import JAX_TOLERANCE  # noqa: E402
from mini_ad.interop.report import compare_leaves  # noqa: E402

EXAMPLES = int(os.environ.get("MINI_AD_HYPOTHESIS_EXAMPLES", "300"))
RTOL, ATOL = JAX_TOLERANCE[8]

# Unary functions, each guarded onto a safe domain for any finite real input.
UNARY = {
    "sin": lambda np, x: np.sin(x),
    "cos": lambda np, x: np.cos(x),
    "tanh": lambda np, x: np.tanh(x),
    "arctan": lambda np, x: np.arctan(x),
    "arcsinh": lambda np, x: np.arcsinh(x),
    "square": lambda np, x: x * x,
    "cube": lambda np, x: x**3,
    "abs": lambda np, x: np.abs(x),
    "negative": lambda np, x: -x,
    "exp": lambda np, x: np.exp(np.tanh(x)),
    "expm1": lambda np, x: np.expm1(np.sin(x)),
    "cosh": lambda np, x: np.cosh(np.arctan(x)),
    "log": lambda np, x: np.log(1.0 + x * x),
    "log1p": lambda np, x: np.log1p(x * x),
    "sqrt": lambda np, x: np.sqrt(1.0 + x * x),
    "reciprocal": lambda np, x: 1.0 / (1.0 + x * x),
    "power": lambda np, x: (1.0 + x * x) ** 0.7,
    "sigmoid": lambda np, x: 1.0 / (1.0 + np.exp(-np.tanh(x))),
    "leaky": lambda np, x: np.where(x > 0, x, 0.1 * x),
    "clip": lambda np, x: np.clip(x, -0.8, 0.8),
    "arcsin": lambda np, x: np.arcsin(np.tanh(x) * 0.9),
}
BINARY = {
    "add": lambda np, x, y: x + y,
    "sub": lambda np, x, y: x - y,
    "mul": lambda np, x, y: x * y,
    "div": lambda np, x, y: x / (1.0 + y * y),
    "maximum": lambda np, x, y: np.maximum(x, y),
    "minimum": lambda np, x, y: np.minimum(x, y),
    "arctan2": lambda np, x, y: np.arctan2(x, 1.5 + np.sin(y)),
    "where": lambda np, x, y: np.where(x > y, x * y, x + y),
}
# Applied along ``axis % ndim`` with keepdims (so shapes still broadcast), or to a scalar.
AXIS_OPS = {
    "sum": lambda np, x, axis: np.sum(x, axis=axis, keepdims=True),
    "mean": lambda np, x, axis: np.mean(x, axis=axis, keepdims=True),
    "max": lambda np, x, axis: np.max(x, axis=axis, keepdims=True),
    "prod": lambda np, x, axis: np.prod(x, axis=axis, keepdims=True),
    "cumsum": lambda np, x, axis: np.cumsum(x, axis=axis),
    "flip": lambda np, x, axis: np.flip(x, axis=axis),
}
BASE_SHAPES = [(), (3,), (2, 3)]  # few shapes: XLA compiles each primitive once per shape


def expressions(n_inputs: int, depth: int):
    leaf = st.tuples(st.just("x"), st.integers(0, n_inputs - 1))
    if depth == 0:
        return leaf
    sub = expressions(n_inputs, depth - 1)
    return st.one_of(
        leaf,
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), sub),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), sub, sub),
        st.tuples(st.just("axis"), st.sampled_from(sorted(AXIS_OPS)), st.integers(0, 2), sub),
    )


@st.composite
def broadcastable(draw, base):
    """A shape that broadcasts to ``base``: some dims become 1, some leading dims go."""
    dims = [draw(st.sampled_from([n, 1])) for n in base]
    drop = draw(st.integers(0, len(dims)))
    return tuple(dims[drop:])


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 3))
    base = draw(st.sampled_from(BASE_SHAPES))
    shapes = [draw(broadcastable(base)) for _ in range(n_inputs)]
    expr = draw(expressions(n_inputs, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    return expr, shapes, seed


def evaluate(np, expr, xs):
    kind = expr[0]
    if kind == "x":
        return xs[expr[1]]
    if kind == "unary":
        return UNARY[expr[1]](np, evaluate(np, expr[2], xs))
    if kind == "binary":
        return BINARY[expr[1]](np, evaluate(np, expr[2], xs), evaluate(np, expr[3], xs))
    value = evaluate(np, expr[3], xs)
    ndim = np.ndim(value)
    if ndim == 0:
        return value if expr[1] in ("cumsum", "flip") else AXIS_OPS[expr[1]](np, value, None)
    return AXIS_OPS[expr[1]](np, value, expr[2] % ndim)


def show(expr) -> str:
    if expr[0] == "x":
        return f"x{expr[1]}"
    if expr[0] == "unary":
        return f"{expr[1]}({show(expr[2])})"
    if expr[0] == "binary":
        return f"{expr[1]}({show(expr[2])}, {show(expr[3])})"
    return f"{expr[1]}[axis={expr[2]}]({show(expr[3])})"


def assert_close(ours, theirs, what, program):
    result = compare_leaves(
        list(ours), [np.asarray(t) for t in theirs], rtol=RTOL, atol=ATOL, reference="jax"
    )
    assert result.passed, (
        f"{what} differs from JAX ({result.note or result.worst}; max abs err {result.max_abs:.2e}) for {program}"
    )


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(programs())
def test_random_compositions_match_jax(program):
    expr, shapes, seed = program
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-1.5, 1.5, size=s) for s in shapes]
    tangents = [rng.standard_normal(s) for s in shapes]
    argnums = tuple(range(len(xs)))
    desc = f"{show(expr)} with shapes {shapes}"

    def mini_f(*a):
        return evaluate(mnp, expr, a)

    def jax_f(*a):
        return evaluate(jnp, expr, a)

    ours_value = mini_f(*xs)
    ours_grad = ad.grad(lambda *a: mnp.sum(mini_f(*a)), argnums)(*xs)
    ours_jvp = ad.jvp(mini_f, tuple(xs), tuple(tangents))
    with jax.disable_jit():  # op by op: XLA compiles each primitive once per signature
        their_value, pullback = jax.vjp(jax_f, *xs)
        their_grad = pullback(jnp.ones_like(their_value))  # the gradient of sum(f)
        their_jvp = jax.jvp(jax_f, tuple(xs), tuple(tangents))
    assert_close([ours_value], [their_value], "value", desc)
    assert_close(ours_grad, their_grad, "grad", desc)
    assert_close(ours_jvp, their_jvp, "jvp", desc)


def test_programs_cover_every_operation():
    """The strategy can reach every operation (a guard against a typo silently dropping one)."""
    names = {show(("unary", n, ("x", 0))) for n in UNARY} | {
        show(("binary", n, ("x", 0), ("x", 0))) for n in BINARY
    }
    assert len(names) == len(UNARY) + len(BINARY)
    xs = [np.linspace(-1.0, 1.0, 6).reshape(2, 3)]
    for name in AXIS_OPS:
        expr = ("axis", name, 1, ("x", 0))
        np.testing.assert_allclose(
            evaluate(mnp, expr, xs), np.asarray(evaluate(jnp, expr, xs)), rtol=1e-12
        )
