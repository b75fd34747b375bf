"""``ad.vmap``'s interface: in_axes / out_axes pytrees, kwargs, axis_size, nesting and
the error messages, each case compared with ``jax.vmap`` (x64) where JAX accepts it."""

from __future__ import annotations

from collections import namedtuple
from types import SimpleNamespace

import numpy as np
import pytest
from autodiff_checks import assert_like_jax

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import errors

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

MINI = SimpleNamespace(np=mnp, vmap=ad.vmap)
JAX = SimpleNamespace(np=jax.numpy, vmap=jax.vmap)
Pair = namedtuple("Pair", ["first", "second"])

rng = np.random.default_rng(0)
X = rng.normal(size=(3, 4))
Y = rng.normal(size=(4, 3))
V = rng.normal(size=4)
S = rng.normal(size=3)
IDX = np.array([2, 0, 3])

# One row: (id, build(L) -> the vmapped function, args). ``L`` is MINI or JAX.
CASES = [
    ("axis0", lambda L: L.vmap(L.np.sin), (X,)),
    ("axis1", lambda L: L.vmap(lambda x: x * 2.0, in_axes=1), (X,)),
    ("axis-1", lambda L: L.vmap(L.np.sum, in_axes=-1), (X,)),
    ("unmapped-arg", lambda L: L.vmap(lambda x, v: x @ v, in_axes=(0, None)), (X, V)),
    ("list-in_axes", lambda L: L.vmap(lambda x, v: x * v, in_axes=[1, 0]), (X.T, Y.T[:4])),
    ("out_axes1", lambda L: L.vmap(lambda y, x: y * x, in_axes=(1, 0), out_axes=1), (Y, X)),
    ("out_axes-1", lambda L: L.vmap(lambda x: L.np.outer(x, x), out_axes=-1), (X,)),
    (
        "dict-prefix",
        lambda L: L.vmap(lambda d, v: d["a"] * d["b"] + v, in_axes=({"a": 0, "b": None}, None)),
        ({"a": X, "b": V}, V),
    ),
    (
        "tuple-arg-one-axis",
        lambda L: L.vmap(lambda p: p[0] - L.np.sum(p[1]), in_axes=(1,)),
        ((Y, np.ones((2, 3))),),
    ),
    (
        "namedtuple-in-out",
        lambda L: L.vmap(lambda p: Pair(p.second, p.first * 2.0), in_axes=(Pair(0, None),)),
        (Pair(X, V),),
    ),
    (
        "out-pytree",
        lambda L: L.vmap(lambda x, v: {"m": x * v, "c": v}, in_axes=(0, None), out_axes={"m": 1, "c": None}),
        (X, V),
    ),
    ("unmapped-output", lambda L: L.vmap(lambda x: (x, V + 1.0)), (S,)),
    ("constant-output", lambda L: L.vmap(lambda x: 2.0, out_axes=0), (S,)),
    ("out-None-unmapped", lambda L: L.vmap(lambda x, v: (x, v * 2.0), in_axes=(0, None), out_axes=(0, None)), (S, V)),
    ("kwargs-mapped", lambda L: lambda x, v: L.vmap(lambda x, v: x @ v, in_axes=(None,))(x, v=v), (Y.T, X)),
    ("axis_size", lambda L: L.vmap(lambda v: v * 2.0, in_axes=None, axis_size=2), (V,)),
    ("none-leaf", lambda L: L.vmap(lambda p: p[0] * 3.0), ((S, None),)),
    ("int-input", lambda L: L.vmap(lambda i, v: v[i]), (IDX, np.tile(V, (3, 1)))),
    ("batched-index", lambda L: L.vmap(lambda i, s: (L.np.ones(4) * s)[i]), (IDX, S)),
    ("batched-at-set", lambda L: L.vmap(lambda i, s: (L.np.ones(4) * s).at[i].set(-s)), (IDX, S)),
    ("batched-where", lambda L: L.vmap(lambda x: L.np.where(x > 0, x, -2.0 * x)), (X,)),
    (
        "nested-outer",
        lambda L: L.vmap(L.vmap(lambda a, b: a * b + 1.0, in_axes=(None, 0)), in_axes=(0, None)),
        (S, V),
    ),
    (
        "nested-axes",
        lambda L: L.vmap(L.vmap(lambda r, c: L.np.dot(r, c), in_axes=(0, None)), in_axes=(None, 1)),
        (X, Y),
    ),
    (
        "nested-triple",
        lambda L: L.vmap(L.vmap(L.vmap(lambda a: L.np.tanh(a) * a), in_axes=1), in_axes=2),
        (rng.normal(size=(2, 3, 4)),),
    ),
    (
        "reductions-and-shapes",
        lambda L: L.vmap(lambda x: L.np.max(L.np.reshape(x, (2, 2)), axis=0) + L.np.cumsum(x)[:2]),
        (X,),
    ),
]  # fmt: skip


@pytest.mark.parametrize("build, args", [pytest.param(b, a, id=i) for i, b, a in CASES])
def test_vmap_like_jax(build, args):
    expected = build(JAX)(*args)
    actual = build(MINI)(*args)
    assert_like_jax(actual, expected, "vmap")


def test_loop_semantics_with_python_loop():
    f = lambda x, v: mnp.tanh(x @ v) * mnp.sum(x)
    out = ad.vmap(f, in_axes=(0, None))(np.stack([X, X * 2]), V)
    np.testing.assert_allclose(out, np.stack([f(X, V), f(X * 2, V)]), rtol=1e-13)


def test_outputs_are_numpy_arrays():
    out = ad.vmap(lambda x: {"s": mnp.sin(x)})(S)
    assert type(out["s"]) is ad.Array


# --- errors -------------------------------------------------------------------------------------


def _message(excinfo) -> str:
    return str(excinfo.value)


def test_inconsistent_sizes_name_every_argument():
    def f(x, y):
        return x[0] + y["a"]

    with pytest.raises(ValueError) as e:
        ad.vmap(f)(np.ones((3, 2)), {"a": np.ones(4), "b": np.ones(3)})
    lines = _message(e).splitlines()
    assert lines[0] == "vmap got inconsistent sizes for array axes to be mapped:"
    assert len(lines) == 4, lines
    assert "argument x" in lines[1] and "size 3" in lines[1] and "f64[3,2]" in lines[1]
    assert "argument y['a']" in lines[2] and "size 4" in lines[2]
    assert "argument y['b']" in lines[3] and "size 3" in lines[3]


def test_inconsistent_sizes_with_kwargs_and_axis_size():
    with pytest.raises(ValueError, match="kwargs\\['y'\\] of type f64\\[4\\] had size 4"):
        ad.vmap(lambda x, y: x * y)(np.ones(3), y=np.ones(4))
    with pytest.raises(ValueError) as e:
        ad.vmap(lambda x: x, axis_size=4)(np.ones((3, 4)))
    lines = _message(e).splitlines()
    assert "`axis_size` argument was 4" in lines[1] and "size 3" in lines[2]


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: ad.vmap(lambda x, y: x, in_axes=(0,))(S, S), ValueError, "len\\(in_axes\\)=1, len\\(args\\)=2"),
        (lambda: ad.vmap(lambda x: x, in_axes=1.5), TypeError, "in_axes must be an int, None, or a tuple"),
        (lambda: ad.vmap(lambda x: x, in_axes={"a": 0}), TypeError, "in_axes must be an int, None, or a tuple"),
        (lambda: ad.vmap(lambda x: x, in_axes=(("a",),)), TypeError, "container with those types as leaves"),
        (lambda: ad.vmap(lambda x: x, out_axes="b"), TypeError, "out_axes must be an int, None"),
        (lambda: ad.vmap(lambda x: x, in_axes=({"a": 0},))({"b": S}), ValueError, "in_axes specification must be a tree prefix"),
        (lambda: ad.vmap(lambda x: (x, x), out_axes=(0, 0, 0))(S), ValueError, "out_axes specification must be a tree prefix"),
        (lambda: ad.vmap(lambda x: x, in_axes=2)(X), ValueError, "along axis 2, which implies that its rank should be at least 3, but is only 2 \\(its shape is \\(3, 4\\)\\)"),
        (lambda: ad.vmap(lambda x: x, in_axes=-3)(X), ValueError, "rank should be at least 3"),
        (lambda: ad.vmap(lambda x: x)(3.0), ValueError, "argument x along axis 0, which implies that its rank should be at least 1"),
        (lambda: ad.vmap(lambda x: x, in_axes=None)(X), ValueError, "at least one non-None value in in_axes or axis_size"),
        (lambda: ad.vmap(lambda: 1.0)(), ValueError, "at least one argument containing an array or axis_size"),
        (lambda: ad.vmap(lambda x: x, out_axes=None)(X), ValueError, "out_axes is None for output 0, but that output is batched"),
        (lambda: ad.vmap(lambda x: x, out_axes=3)(X), ValueError, "axis 3 is out of bounds for output 0"),
        (lambda: ad.vmap(lambda x: x, out_axes=-4)(X), ValueError, "axis -4 is out of bounds"),
        (lambda: ad.vmap(3), TypeError, "vmap expected a callable"),
        (lambda: ad.vmap(lambda x: x)("a"), TypeError, "not a valid mini_ad type"),
    ],
)  # fmt: skip
def test_argument_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_bool_conversion_names_function_and_argument():
    def branchy(x, y):
        if x > 0:
            return y
        return -y

    with pytest.raises(errors.TracerBoolConversionError) as e:
        ad.vmap(branchy, in_axes=(0, None))(S, 1.0)
    message = _message(e)
    assert message.startswith("Attempted boolean conversion of traced array with shape bool[].")
    assert "function branchy" in message and "for vmap" in message
    assert "argument x" in message and "argument y" not in message
    assert "lax.cond" in message


def test_bool_conversion_under_grad_under_vmap_raises():
    def branchy(x):
        return mnp.sin(x) if x > 0 else x

    assert ad.grad(branchy)(0.5) == np.cos(0.5)  # concrete primal: fine under grad alone
    with pytest.raises(errors.TracerBoolConversionError, match="for vmap"):
        ad.vmap(ad.grad(branchy))(S)


def test_other_concretizations_raise():
    with pytest.raises(errors.ConcretizationTypeError):
        ad.vmap(lambda x: float(x))(S)
    with pytest.raises(errors.TracerIntegerConversionError):
        ad.vmap(lambda i: list(range(3))[i])(IDX)
    with pytest.raises(errors.TracerArrayConversionError):
        ad.vmap(np.sin)(S)


def test_leaked_batch_tracer_raises():
    leaked = []
    ad.vmap(lambda x: leaked.append(x) or x)(S)
    with pytest.raises(errors.UnexpectedTracerError, match="vmap"):
        mnp.sin(leaked[0])


def test_python_control_flow_on_unbatched_values_works():
    def f(x, n):
        return x * 2.0 if n > 1 else x

    np.testing.assert_allclose(ad.vmap(f, in_axes=(0, None))(S, 2), 2.0 * S)
