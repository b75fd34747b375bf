"""``mini_ad.random`` against ``jax.random`` (x64 on), bit for bit.

One row per call: the same function name and arguments are run through both
libraries, for several keys (seeds, a split key, a fold_in key) and shapes; results
must have the same dtype and shape and equal bits. Then the same rows under
``mini_ad.jit``, under ``vmap`` over split keys (against JAX's vmap), and gradients
of reparameterised samples against JAX's.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
from mini_ad import random as mr

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jr = jax.random


def assert_same_bits(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    if ours.dtype.kind == "f":  # compare the bits, so -0.0 != 0.0 and NaNs match
        ours = ours.view(f"u{ours.dtype.itemsize}")
        theirs = theirs.view(f"u{theirs.dtype.itemsize}")
    np.testing.assert_array_equal(ours, theirs)


# Keys, built the same way in both libraries.
KEYS = {
    "seed0": lambda r: r.PRNGKey(0),
    "seed42": lambda r: r.PRNGKey(42),
    "split": lambda r: r.split(r.PRNGKey(7), 3)[2],
    "fold_in": lambda r: r.fold_in(r.PRNGKey(5), 123),
}

SHAPES = [(), (3,), (2, 5), (1000,)]
LOGITS = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]))
TABLE = np.arange(12.0).reshape(3, 4)
P5 = np.array([0.1, 0.2, 0.3, 0.15, 0.25])

# (id, function name, positional args after the key, keyword args). Each distinct
# call costs an XLA compilation (~0.1 s), so only the core functions run at every shape.
ROWS = []
for shape in SHAPES:
    ROWS += [
        (f"bits32-{shape}", "bits", (shape, "uint32"), {}),
        (f"uniform64-{shape}", "uniform", (shape,), {}),
        (f"normal-{shape}", "normal", (shape,), {}),
        (f"normal32-{shape}", "normal", (shape, "float32"), {}),
    ]
for shape in [(2, 5), (1000,)]:
    ROWS += [
        (f"split-{shape}", "split", (shape,), {}),
        (f"uniform32-{shape}", "uniform", (shape, "float32"), {}),
        (f"randint-{shape}", "randint", (shape, -3, 100), {}),
    ]
ROWS += [
    ("bits64", "bits", ((2, 5),), {}),
    ("uniform-range64", "uniform", ((2, 5), "float64", -3.3, 7.1), {}),
    ("uniform-range32", "uniform", ((2, 5), "float32", -3.3, 7.1), {}),
    ("randint-int8", "randint", ((2, 5), -100, 100, "int8"), {}),
    ("randint-uint32", "randint", ((2, 5), 5, 2**32, "uint32"), {}),
    ("bernoulli", "bernoulli", (0.3, (2, 5)), {}),
    ("bernoulli32", "bernoulli", (np.float32(0.3), (2, 5)), {}),
    ("cauchy", "cauchy", ((2, 5),), {"dtype": "float64"}),
    ("cauchy32", "cauchy", ((1000,),), {"dtype": "float32"}),
    ("choice", "choice", (10, (2, 5)), {}),
    ("choice-p", "choice", (5, (1000,)), {"p": P5}),
    ("exponential", "exponential", ((1000,),), {}),
    ("laplace", "laplace", ((1000,),), {}),
    ("logistic", "logistic", ((1000,),), {}),
    ("exponential32", "exponential", ((1000,), "float32"), {}),
    ("laplace32", "laplace", ((1000,), "float32"), {}),
    ("logistic32", "logistic", ((1000,), "float32"), {}),
    ("truncated_normal", "truncated_normal", (-1.0, 2.0, (1000,)), {}),
]
ROWS += [
    ("split-default", "split", (), {}),
    ("fold_in", "fold_in", (2**31 + 17,), {}),
    ("bits8", "bits", ((7,), "uint8"), {}),
    ("bits16", "bits", ((7,), "uint16"), {}),
    ("uniform16", "uniform", ((50,), "float16"), {}),
    ("uniform16-range", "uniform", ((50,), "float16", -3.3, 7.1), {}),
    ("uniform-array-bounds", "uniform", ((2, 3), "float64", np.array([0.0, 1.0, 2.0]), 5.0), {}),
    ("randint-big", "randint", ((100,), -(2**62), 2**62), {}),
    ("randint-empty-range", "randint", ((5,), 4, 2), {}),
    ("randint-array-bounds", "randint", ((2, 3), np.array([0, 10, 20]), 30), {}),
    ("randint-uint64", "randint", ((9,), 0, 2**40, "uint64"), {}),
    ("bernoulli-high", "bernoulli", (0.3, (10,)), {"mode": "high"}),
    ("bernoulli-array-p", "bernoulli", (np.array([0.1, 0.5, 0.9]),), {}),
    ("truncated_normal-inf", "truncated_normal", (-np.inf, 0.5, (50,)), {}),
    ("truncated_normal-array", "truncated_normal", (np.array([-3.0, 0.0, 1.0]), 4.0), {}),
    ("categorical", "categorical", (LOGITS,), {}),
    ("categorical-axis0", "categorical", (LOGITS,), {"axis": 0}),
    ("categorical-shape", "categorical", (LOGITS,), {"shape": (4, 2)}),
    ("permutation-int", "permutation", (10,), {}),
    ("permutation-2000", "permutation", (2000,), {}),  # two sorting rounds
    ("permutation-array", "permutation", (TABLE,), {"axis": 1}),
    ("permutation-independent", "permutation", (TABLE,), {"axis": 1, "independent": True}),
    ("choice-array", "choice", (TABLE, (2,)), {"axis": 1}),
    ("choice-no-replace", "choice", (10, (4,)), {"replace": False}),
    ("choice-no-replace-array", "choice", (TABLE, (2,)), {"replace": False, "axis": 1}),
    ("choice-p32", "choice", (5, (50,)), {"p": P5.astype(np.float32)}),
    ("choice-p-no-replace", "choice", (5, (3,)), {"replace": False, "p": P5}),
    ("categorical32", "categorical", (LOGITS.astype(np.float32),), {"shape": (50, 2)}),
    ("choice-p32-no-replace", "choice", (5, (3,)), {"replace": False, "p": P5.astype(np.float32)}),
    ("categorical-no-replace", "categorical", (LOGITS,), {"shape": (3, 2), "replace": False}),
    ("categorical-no-replace-axis0", "categorical", (LOGITS,), {"axis": 0, "replace": False}),
]


def both(name, key_id, args, kwargs):
    ours = getattr(mr, name)(KEYS[key_id](mr), *args, **kwargs)
    theirs = getattr(jr, name)(KEYS[key_id](jr), *args, **kwargs)
    return ours, theirs


@pytest.mark.parametrize("key_id", list(KEYS))
@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_matches_jax(row, key_id):
    _, name, args, kwargs = row
    assert_same_bits(*both(name, key_id, args, kwargs))


@pytest.mark.parametrize("seed", [0, 42, -1, 2**40 + 5, np.int32(-7), np.uint32(3_000_000_000)])
@pytest.mark.parametrize("ctor", ["PRNGKey", "key"])
def test_keys_match_jax(ctor, seed):
    theirs = getattr(jr, ctor)(seed)
    if ctor == "key":
        theirs = jr.key_data(theirs)
    assert_same_bits(getattr(mr, ctor)(seed), theirs)


def test_key_data_round_trip():
    data = mr.key_data(mr.key(9))
    assert_same_bits(mr.wrap_key_data(data), jr.key_data(jr.wrap_key_data(jr.key_data(jr.key(9)))))


JIT_ROWS = [r for r in ROWS if "(" not in r[0] or r[0].endswith("(2, 5)")]


@pytest.mark.parametrize("row", JIT_ROWS, ids=[r[0] for r in JIT_ROWS])
def test_jit_matches_jax(row):
    _, name, args, kwargs = row
    fun = ad.jit(lambda k: getattr(mr, name)(k, *args, **kwargs))
    ours = fun(mr.PRNGKey(11))
    assert_same_bits(ours, getattr(jr, name)(jr.PRNGKey(11), *args, **kwargs))


VMAP_ROWS = [
    ("uniform", ((3,),), {}),
    ("uniform", ((2, 2), "float32", -1.0, 2.0), {}),
    ("split", (), {}),
    ("bits", ((4,), "uint32"), {}),
    ("randint", ((3,), 0, 10), {}),
    ("bernoulli", (0.5, (3,)), {}),
    ("cauchy", ((3,),), {}),
    ("normal", ((3,),), {}),
    ("normal", ((3,), "float32"), {}),
    ("exponential", ((3,),), {}),
    ("truncated_normal", (-1.0, 1.0, (3,)), {}),
    ("categorical", (LOGITS,), {}),
    ("permutation", (6,), {}),
    ("choice", (10, (3,)), {"p": np.ones(10) / 10}),
]


@pytest.mark.parametrize("row", VMAP_ROWS, ids=[r[0] for r in VMAP_ROWS])
def test_vmap_over_split_keys_matches_jax(row):
    name, args, kwargs = row
    ours = ad.vmap(lambda k: getattr(mr, name)(k, *args, **kwargs))(mr.split(mr.PRNGKey(3), 4))
    theirs = jax.vmap(lambda k: getattr(jr, name)(k, *args, **kwargs))(jr.split(jr.PRNGKey(3), 4))
    assert_same_bits(ours, theirs)


def test_vmap_of_key_constructors_and_fold_in():
    seeds = np.arange(4)
    assert_same_bits(ad.vmap(mr.PRNGKey)(seeds), jax.vmap(jr.PRNGKey)(seeds))
    keys, jkeys = mr.split(mr.PRNGKey(1), 4), jr.split(jr.PRNGKey(1), 4)
    assert_same_bits(ad.vmap(mr.fold_in)(keys, seeds), jax.vmap(jr.fold_in)(jkeys, seeds))


def test_jit_of_traced_seed_and_data():
    fun = ad.jit(lambda s, d: mr.uniform(mr.fold_in(mr.PRNGKey(s), d), (3,)))
    ours = fun(np.int64(2**40 + 9), np.uint32(77))
    theirs = jr.uniform(jr.fold_in(jr.PRNGKey(np.int64(2**40 + 9)), np.uint32(77)), (3,))
    assert_same_bits(ours, theirs)


GRAD_ROWS = [
    ("uniform-reparam", lambda r, k, a, b: (a + b * r.uniform(k, (5,))).sum()),
    ("uniform-bounds", lambda r, k, a, b: (r.uniform(k, (5,), minval=a, maxval=b) ** 2).sum()),
    ("cauchy-reparam", lambda r, k, a, b: (a + b * r.cauchy(k, (5,))).sum()),
    ("normal-reparam", lambda r, k, a, b: (a + b * r.normal(k, (5,))).sum()),
    ("normal-nonlinear", lambda r, k, a, b: (r.normal(k, (5,)) * b + a).sum() ** 2),
    ("laplace-reparam", lambda r, k, a, b: (a + b * r.laplace(k, (5,))).sum()),
    ("truncated-bounds", lambda r, k, a, b: r.truncated_normal(k, a, b, (5,)).sum()),
]


@pytest.mark.parametrize("row", GRAD_ROWS, ids=[r[0] for r in GRAD_ROWS])
def test_grad_of_reparameterised_sample_matches_jax(row):
    _, fun = row
    ours = ad.grad(lambda a, b: fun(mr, mr.PRNGKey(4), a, b), argnums=(0, 1))(-1.0, 2.0)
    theirs = jax.grad(lambda a, b: fun(jr, jr.PRNGKey(4), a, b), argnums=(0, 1))(-1.0, 2.0)
    # the samples are equal bit for bit; the backward passes round differently (XLA
    # fuses multiply-adds and orders sums its own way), so gradients agree to rounding
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(np.asarray(o), np.asarray(t), rtol=1e-13)


def test_grad_under_vmap_and_jit():
    def loss(r, k, s):
        return (s * r.uniform(k, (3,), minval=-1.0, maxval=s)).sum()

    ours = ad.jit(ad.vmap(lambda k: ad.grad(lambda s: loss(mr, k, s))(2.0)))
    theirs = jax.vmap(lambda k: jax.grad(lambda s: loss(jr, k, s))(2.0))
    ours, theirs = ours(mr.split(mr.PRNGKey(6), 3)), theirs(jr.split(jr.PRNGKey(6), 3))
    np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=1e-13)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: mr.uniform(mr.split(mr.PRNGKey(0), 2)), ValueError),  # batched key
        (lambda: mr.uniform(np.zeros(2, np.int32)), TypeError),  # not a uint32 key
        (lambda: mr.uniform(mr.PRNGKey(0), dtype=np.int32), ValueError),
        (lambda: mr.randint(mr.PRNGKey(0), (), 0, 5, np.float64), TypeError),
        (lambda: mr.bits(mr.PRNGKey(0), dtype=np.int32), ValueError),
        (lambda: mr.bernoulli(mr.PRNGKey(0), 1), TypeError),
        (lambda: mr.PRNGKey(np.arange(2)), TypeError),
        (lambda: mr.PRNGKey(1.5), TypeError),
        (lambda: mr.fold_in(mr.PRNGKey(0), np.arange(2)), TypeError),
        (lambda: mr.choice(mr.PRNGKey(0), 3, (4,), replace=False), ValueError),
        (lambda: mr.cauchy(mr.PRNGKey(0), dtype=np.float16), NotImplementedError),
        (lambda: mr.normal(mr.PRNGKey(0), dtype=np.float16), NotImplementedError),
        (
            lambda: mr.truncated_normal(mr.PRNGKey(0), 0.0, 1.0, dtype=np.float16),
            NotImplementedError,
        ),
        (lambda: mr.categorical(mr.PRNGKey(0), LOGITS.astype(np.float16)), NotImplementedError),
        (
            lambda: mr.choice(mr.PRNGKey(0), 5, (2,), False, P5.astype(np.float16)),
            NotImplementedError,
        ),
        (lambda: mr.categorical(mr.PRNGKey(0), LOGITS, shape=(4, 2), replace=False), ValueError),
    ],
)
def test_errors(call, error):
    with pytest.raises(error):
        call()


# --- the primitives of mini_ad/primitives/bits.py, one row each ------------------------------

from types import SimpleNamespace  # noqa: E402

from mini_ad.primitives import bits as bits_p  # noqa: E402

_rng = np.random.default_rng(0)
_u32 = lambda *shape: _rng.integers(0, 2**32, shape, dtype=np.uint64).astype(np.uint32)  # noqa: E731
_f64 = lambda *shape: _rng.uniform(0.1, 3.0, shape)  # noqa: E731

# (primitive, operands for 4 examples stacked on axis 0, params)
PRIMITIVE_ROWS = [
    (bits_p.threefry2x32_p, [_u32(4, 5) for _ in range(4)], {}),
    (bits_p.shift_left_p, [_u32(4, 5), _u32(4, 5) % 40], {}),
    (
        bits_p.shift_right_logical_p,
        [_u32(4, 5).view(np.int32), (_u32(4, 5) % 40).view(np.int32)],
        {},
    ),
    (bits_p.bitcast_convert_type_p, [_f64(4, 5)], {"new_dtype": np.dtype(np.uint64)}),
    (bits_p.fma_p, [_f64(4, 5), _f64(4, 5), -_f64(4, 5)], {}),
    (bits_p.fma_p, [x.astype(np.float32) for x in (_f64(4, 5), _f64(4, 5), -_f64(4, 5))], {}),
    (bits_p.libm_log_p, [_f64(4, 5)], {}),
    (bits_p.libm_tan_p, [_f64(4, 5)], {}),
    (bits_p.libm_tan_p, [_f64(4, 5).astype(np.float32)], {}),
    (bits_p.libm_erf_p, [_f64(4, 5)], {}),
]
LX = SimpleNamespace(lax=jax.lax, jnp=jax.numpy, jax=jax)


def _outs(out):
    return [np.asarray(o) for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("row", PRIMITIVE_ROWS, ids=lambda r: r[0].name)
def test_primitive_lowering_equals_impl(row):
    p, args, params = row
    ours = _outs(p.impl(*args, **params))
    theirs = _outs(jax.jit(lambda *a: p.lowering(LX, *a, **params))(*args))
    for o, t in zip(ours, theirs, strict=True):
        assert_same_bits(o, t)


@pytest.mark.parametrize("row", PRIMITIVE_ROWS, ids=lambda r: r[0].name)
def test_primitive_vmap_equals_loop(row):
    p, args, params = row
    batched = _outs(ad.vmap(lambda *a: p.bind(*a, **params))(*args))
    looped = [_outs(p.impl(*[a[i] for a in args], **params)) for i in range(4)]
    for j, out in enumerate(batched):
        assert_same_bits(out, np.stack([loop[j] for loop in looped]))


@pytest.mark.parametrize("row", PRIMITIVE_ROWS, ids=lambda r: r[0].name)
def test_primitive_jvp(row):
    p, args, params = row
    if np.asarray(args[0]).dtype.kind != "f" or p is bits_p.bitcast_convert_type_p:
        _, tangent = p.jvp(args, [None] * len(args), **params)
        assert tangent is None or tangent == [None, None]  # piecewise constant: zero
        return
    args = [np.asarray(a, np.float64) for a in args]
    eps = 1e-6
    for i in range(len(args)):
        bumped = [a + eps * (j == i) for j, a in enumerate(args)]
        lowered = [a - eps * (j == i) for j, a in enumerate(args)]
        numeric = (p.impl(*bumped) - p.impl(*lowered)) / (2 * eps)
        tangents = [np.ones_like(a) if j == i else np.zeros_like(a) for j, a in enumerate(args)]
        _, exact = ad.jvp(lambda *a: p.bind(*a), args, tangents)
        np.testing.assert_allclose(np.asarray(exact), numeric, rtol=1e-6, atol=1e-8)


def test_fma_rounds_once():
    # 0.1 * 10 - 1 is 0 in two roundings but 2**-54 + ... once (the error of fl(0.1))
    out = bits_p.fma(np.float64(0.1), np.float64(10.0), np.float64(-1.0))
    assert float(out) == 5.551115123125783e-17
    assert float(np.float64(0.1) * 10.0 - 1.0) == 0.0
