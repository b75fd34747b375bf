"""Printed jaxprs of primal programs equal JAX's text, character for character.

Each row is a program written once against a NumPy-like module ``np_``; it is staged with
mini_ad (``np_ = mini_ad.numpy``) and with JAX (``np_ = jax.numpy``, x64 enabled), and
``str`` of the two jaxprs must be equal. Programs are chosen where our lowering should be
JAX's; see ``DIFFERENT_ON_PURPOSE`` for ones that differ for a good reason.
"""

import numpy as np
import pytest
from core_checks import random_array

import mini_ad as ad
import mini_ad.numpy as mnp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X3 = random_array((3,), np.float64, seed=70)
M23 = random_array((2, 3), np.float64, seed=71)
M32 = random_array((3, 2), np.float64, seed=72)
F32 = random_array((3,), np.float32, seed=73)
I3 = random_array((3,), np.int64, seed=74)
B2 = random_array((2,), np.bool_, seed=75)
CONST = random_array((3,), np.float64, seed=76)


def _chain_of_30(np_):
    def f(x):
        for _ in range(30):  # variables run past z: ba, bb, ...
            x = np_.sin(x)
        return x

    return f


# (description, program factory np_ -> f, arguments)
SAME_TEXT = [
    ("sin-mul-sum", lambda np_: lambda x: np_.sum(np_.sin(x) * 2.0), (X3,)),
    ("integer_pow", lambda np_: lambda x: x**2, (X3,)),
    ("cube-scalar", lambda np_: lambda x: x**3, (2.0,)),
    ("pow-float-literal", lambda np_: lambda x: x**3.5, (X3,)),
    ("neg", lambda np_: lambda x: -x, (X3,)),
    ("exp-log-tanh", lambda np_: lambda x: np_.tanh(np_.log(np_.exp(x)) + 1.0), (X3,)),
    ("mean", lambda np_: np_.mean, (X3,)),
    ("mean-axis-keepdims", lambda np_: lambda x: np_.mean(x, axis=1, keepdims=True), (M23,)),
    ("max-min", lambda np_: lambda x: np_.max(x) - np_.min(x, axis=0), (M23,)),
    ("max-axis", lambda np_: lambda x: np_.max(x, axis=1), (M23,)),
    ("prod", lambda np_: lambda x: np_.prod(x, axis=0), (M23,)),
    ("reshape", lambda np_: lambda x: np_.reshape(x, (3, 2)), (M23,)),
    ("transpose", lambda np_: lambda x: x.T, (M23,)),
    ("swapaxes", lambda np_: lambda x: np_.swapaxes(x, 0, 1), (M23,)),
    ("ravel", lambda np_: np_.ravel, (M23,)),
    ("slice", lambda np_: lambda x: x[1:], (X3,)),
    ("x[0]", lambda np_: lambda x: x[0], (M23,)),
    ("x[::-1]", lambda np_: lambda x: x[::-1], (X3,)),
    ("x[::-2]", lambda np_: lambda x: x[::-2], (X3,)),
    ("x[::2]", lambda np_: lambda x: x[::2], (X3,)),
    ("slice-none-rev", lambda np_: lambda x: x[1:, None, ::-1], (M23,)),
    ("int-none", lambda np_: lambda x: x[None, 0], (M23,)),
    ("ellipsis", lambda np_: lambda x: x[..., 1], (M23,)),
    ("expand_dims", lambda np_: lambda x: np_.expand_dims(x, 0), (X3,)),
    ("squeeze", lambda np_: np_.squeeze, (np.ones((1, 3)),)),
    ("concatenate", lambda np_: lambda x, y: np_.concatenate([x, y]), (X3, X3)),
    ("float32", lambda np_: lambda x: np_.sin(x) * 2.0, (F32,)),
    ("float32-literal", lambda np_: lambda x: x + 1.5, (np.float32(1.0),)),
    ("int-to-float", lambda np_: np_.sin, (I3,)),
    ("int-divide", lambda np_: lambda x: x / 2, (I3,)),
    ("int-plus-literal", lambda np_: lambda x: x + 1, (np.int32(3),)),
    ("int-sum", lambda np_: np_.sum, (np.arange(3),)),
    ("weak-python-float", lambda np_: lambda x: x * 2.0, (3.0,)),
    ("weak-python-int", lambda np_: lambda x: x * 2, (3,)),
    ("dot", lambda np_: np_.dot, (M23, X3)),
    ("matmul", lambda np_: lambda x, y: x @ y, (M23, M32)),
    ("vecmat", lambda np_: lambda x, y: x @ y, (X3, M32)),
    ("vecvec", lambda np_: lambda x, y: x @ y, (X3, X3)),
    ("batched-matmul", lambda np_: lambda x, y: x @ y, (np.ones((4, 2, 3)), np.ones((4, 3, 2)))),
    ("compare-and", lambda np_: lambda x: np_.logical_and(x > 0, x < 2), (X3,)),
    ("compare-or-not", lambda np_: lambda x: np_.logical_not(np_.logical_or(x != 0, x > 1)), (X3,)),
    ("bool-literal", lambda np_: lambda x: np_.logical_and(x, True), (B2,)),
    ("eq", lambda np_: lambda x, y: x == y, (X3, X3)),
    ("arange-iota", lambda np_: lambda x: x + np_.arange(3), (X3,)),
    ("ones-broadcast_in_dim", lambda np_: lambda x: x + np_.ones(3), (X3,)),
    ("zeros_like", lambda np_: lambda x: np_.zeros_like(x) + x, (X3,)),
    ("astype", lambda np_: lambda x: x.astype(np_.float32), (X3,)),
    ("trig", lambda np_: lambda x: np_.arctan(np_.arcsin(x)) + np_.cosh(x) + np_.tan(x), (X3,)),
    ("sqrt-abs-sign", lambda np_: lambda x: np_.sqrt(np_.abs(x)) * np_.sign(x), (X3,)),
    ("maximum-literal", lambda np_: lambda x: np_.maximum(x, 0.0), (X3,)),
    ("closed-over-const", lambda np_: lambda x: x * CONST, (X3,)),
    ("identity", lambda np_: lambda x: x, (1.0,)),
    ("no-outputs", lambda np_: lambda x: (), (1.0,)),
    ("unused-binder", lambda np_: lambda x: (np_.sin(x), x)[1], (1.0,)),
    ("two-outputs", lambda np_: lambda x, y: (x + y, x * y), (1.0, 2.0)),
    ("literal-output", lambda np_: lambda x: (x, 1.0), (1.0,)),
    ("pytree-input", lambda np_: lambda d: d["a"] * d["b"][0], ({"a": 1.0, "b": (X3,)},)),
    ("thirty-eqns", _chain_of_30, (1.0,)),
]  # fmt: skip

# Where our text differs from JAX's for a good reason (left out of SAME_TEXT):
# - x[:, None] * x[None, :]: mnp broadcasts both operands fully with broadcast_in_dim;
#   JAX's mul accepts [3,1] x [1,3] operands (it only rank-promotes).
# - float32 * int32 arrays: NumPy promotes to float64 (our rule); JAX gives float32. So
#   does jnp.sin of int32 (NumPy: float64), hence the int64 inputs above.
# - jnp.where, jnp.clip, jnp.flip are wrapped in jit[name=_where / clip / _flip] in JAX;
#   mnp inlines them (select_n, max/min, rev).
# - jnp.stack binds a `stack` primitive; mnp uses broadcast_in_dim + concatenate.
# - jnp.full(shape, 2.0) adds a convert_element_type of the weak fill value.
DIFFERENT_ON_PURPOSE = [
    ("rank-promotion", lambda np_: lambda x: x[:, None] * x[None, :], (X3,)),
    ("f32-times-i32", lambda np_: lambda x, i: x * i, (np.float32(1.0), np.int32(2))),
    ("where", lambda np_: lambda x: np_.where(x > 0, x, 0.0), (X3,)),
    ("clip", lambda np_: lambda x: np_.clip(x, 0.0, 1.0), (X3,)),
    ("stack", lambda np_: lambda x, y: np_.stack([x, y]), (X3, X3)),
    ("sin-int32", lambda np_: np_.sin, (I3.astype(np.int32),)),
]


def _texts(factory, args):
    ours = str(ad.make_jaxpr(factory(mnp))(*args))
    theirs = str(jax.make_jaxpr(factory(jnp))(*args))
    return ours, theirs


@pytest.mark.parametrize("desc,factory,args", SAME_TEXT, ids=[row[0] for row in SAME_TEXT])
def test_printed_jaxpr_equals_jax(desc, factory, args):
    ours, theirs = _texts(factory, args)
    assert ours == theirs


def test_text_table_is_large_enough():
    assert len(SAME_TEXT) >= 15


@pytest.mark.parametrize(
    "desc,factory,args", DIFFERENT_ON_PURPOSE, ids=[r[0] for r in DIFFERENT_ON_PURPOSE]
)
def test_known_differences_still_compute_the_same_values(desc, factory, args):
    ours, theirs = _texts(factory, args)
    assert ours != theirs  # if they ever agree, move the row to SAME_TEXT
    closed = ad.make_jaxpr(factory(mnp))(*args)
    ad.typecheck_jaxpr(closed.jaxpr)
    outs = ad.eval_jaxpr(closed.jaxpr, closed.consts, list(args))
    expected = factory(jnp)(*args)
    np.testing.assert_allclose(outs[0], np.asarray(expected), rtol=1e-6)


def test_reduce_sum_prints_its_out_sharding_param_like_jax():
    text = str(ad.make_jaxpr(lambda x: mnp.sum(x, axis=0))(M23))
    assert "reduce_sum[axes=(0,) out_sharding=None]" in text


def test_a_folded_array_literal_prints_its_values():
    """jit's simplifier folds constant arrays into literals; printing them (as
    ``compiled_source`` and ``explain`` do) shows the values, abridged when long."""
    from mini_ad.transforms.simplify import simplify

    closed = ad.make_jaxpr(lambda x: x + mnp.arange(3.0) * 2.0)(np.ones(3))
    assert "add a [0., 2., 4.]:f64[3]" in str(simplify(closed))
    big = ad.make_jaxpr(lambda x: x + mnp.arange(100.0))(np.ones(100))
    assert "..., 97., 98., 99.]:f64[100]" in str(simplify(big))
