"""``mini_ad.random``'s ``poisson``, ``multivariate_normal``, ``orthogonal`` and float32
``truncated_normal`` against ``jax.random`` (x64 on).

* ``poisson``, ``truncated_normal`` (float32), ``orthogonal`` and float64
  ``multivariate_normal``: bit for bit.
* float32 ``multivariate_normal``: within the bound its docstring states, ``1.02 eps
  (|mean_i| + sqrt(cov_ii) sum_j |z_j|)``, with ``z`` JAX's own normal draws.

Each distinct call compiles in JAX (poisson's two loops take ~0.3 s), so rows are few.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
from mini_ad import random as mr

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jr = jax.random

KEYS = {
    "seed42": lambda r: r.PRNGKey(42),
    "fold_in": lambda r: r.fold_in(r.PRNGKey(5), 123),
}
_rng = np.random.default_rng(0)
SPECIAL = [0.0, 1.0, -1.0, np.nan, 9.999, 10.0, 20.0]  # JAX: 0 -> 0, -1 and nan -> -1
LAMS = np.concatenate(  # Knuth (< 10), PTRS (>= 10), and the special values
    [_rng.uniform(0, 10, 150), np.exp(_rng.uniform(np.log(10), np.log(1e6), 150)), SPECIAL]
)
LO = _rng.uniform(-4, 2, 200).astype(np.float32)
HI = (LO + _rng.exponential(1.5, 200)).astype(np.float32)  # some beyond erf's cut-off


def assert_same_bits(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype, (ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    if ours.dtype.kind == "f":
        ours, theirs = ours.view(f"u{ours.dtype.itemsize}"), theirs.view(f"u{ours.dtype.itemsize}")
    np.testing.assert_array_equal(ours, theirs)


# (id, function name, positional args after the key, keyword args, key): bit for bit.
# Poisson compiles slowly in JAX (~2 s per call), so each of its rows runs with one key.
EXACT_ROWS = [
    ("poisson-many", "poisson", (LAMS,), {}, "seed42"),
    ("poisson-int32", "poisson", (np.array([3.5, 40.0]), (3, 2)), {"dtype": np.int32}, "fold_in"),
]
for key_id in KEYS:
    EXACT_ROWS += [
        ("truncated32-arrays", "truncated_normal", (LO, HI), {"dtype": np.float32}, key_id),
        (
            "truncated32-scalars",
            "truncated_normal",
            (-1.0, 2.0, (100,)),
            {"dtype": "float32"},
            key_id,
        ),
        ("truncated32-tail", "truncated_normal", (3.0, 6.0, (50,)), {"dtype": np.float32}, key_id),
        (
            "truncated32-inf",
            "truncated_normal",
            (-np.inf, 0.5, (50,)),
            {"dtype": np.float32},
            key_id,
        ),
        (
            "truncated64-arrays",
            "truncated_normal",
            (LO.astype(float), HI.astype(float)),
            {},
            key_id,
        ),
        ("orthogonal", "orthogonal", (5,), {}, key_id),
        ("orthogonal-batch", "orthogonal", (3, (2,)), {}, key_id),
        ("orthogonal-wide", "orthogonal", (4,), {"m": 6}, key_id),
        ("orthogonal-tall", "orthogonal", (6, (2,)), {"m": 3}, key_id),
    ]


@pytest.mark.parametrize("row", EXACT_ROWS, ids=[f"{r[0]}-{r[4]}" for r in EXACT_ROWS])
def test_bit_for_bit(row):
    _, name, args, kwargs, key_id = row
    ours = getattr(mr, name)(KEYS[key_id](mr), *args, **kwargs)
    assert_same_bits(ours, getattr(jr, name)(KEYS[key_id](jr), *args, **kwargs))


@pytest.mark.parametrize("row", [EXACT_ROWS[i] for i in (1, 4, 8)], ids=lambda r: r[0])
def test_jit_bit_for_bit(row):
    _, name, args, kwargs, key_id = row
    ours = ad.jit(lambda k: getattr(mr, name)(k, *args, **kwargs))(KEYS[key_id](mr))
    assert_same_bits(ours, getattr(jr, name)(KEYS[key_id](jr), *args, **kwargs))


@pytest.mark.parametrize(
    "name, args",
    [  # the arguments of rows above, so that JAX's compiled code is reused
        ("poisson", (np.array([3.5, 40.0]), (3, 2), np.int32)),
        ("orthogonal", (3, (2,))),
    ],
)
def test_vmap_over_split_keys(name, args):
    """vmap over keys equals the loop over them, and each draw is JAX's (JAX's own vmap
    of its while loops runs each element's iterations only, so it is the same loop)."""
    keys = mr.split(mr.PRNGKey(3), 4)
    ours = ad.vmap(lambda k: getattr(mr, name)(k, *args))(keys)
    assert_same_bits(ours, np.stack([getattr(mr, name)(k, *args) for k in keys]))
    theirs = np.stack([getattr(jr, name)(k, *args) for k in jr.split(jr.PRNGKey(3), 4)])
    assert_same_bits(ours, theirs)


@pytest.mark.parametrize(
    "n, shape, m", [(6, (2,), None), (1, (), None), (5, (3,), None), (4, (), 7)]
)
def test_orthogonal_float32_bit_for_bit(n, shape, m):
    """float32 QR runs LAPACK's single-precision routines, as XLA's does."""
    ours = mr.orthogonal(mr.PRNGKey(1), n, shape, np.float32, m)
    assert_same_bits(ours, jr.orthogonal(jr.PRNGKey(1), n, shape, np.float32, m))


def test_truncated_normal_float32_gradient():
    def f(r):
        return lambda lo: r.truncated_normal(r.PRNGKey(0), lo, 1.0, (3,), np.float32).sum()

    assert_same_bits(ad.grad(f(mr))(np.float32(-1.0)), jax.grad(f(jr))(np.float32(-1.0)))


# --- multivariate_normal: near JAX, within the stated bound ------------------------------

A3 = _rng.standard_normal((3, 3))
COV3 = A3 @ A3.T + 0.5 * np.eye(3)
A6 = _rng.standard_normal((6, 6))
COV6 = A6 @ A6.T + 0.5 * np.eye(6)
MEAN6 = _rng.standard_normal(6)
COV_BATCH = np.stack([COV3, 2 * np.eye(3)])
MVN_ROWS = [  # (id, mean, cov, shape, keyword args)
    ("cholesky", MEAN6, COV6, (40,), {}),
    ("eigh", MEAN6, COV6, (40,), {"method": "eigh"}),
    ("svd", MEAN6, COV6, (40,), {"method": "svd"}),
    ("cholesky32", MEAN6.astype(np.float32), COV6.astype(np.float32), (40,), {}),
    ("batched-cov", np.zeros(3), COV_BATCH, None, {}),
    ("singular-eigh", np.ones(2), np.ones((2, 2)), (10,), {"method": "eigh"}),
    ("one-dimensional", np.array([0.7]), np.array([[2.3]]), (50,), {}),
    ("one-dimensional32", np.array([0.7], np.float32), np.array([[2.3]], np.float32), (50,), {}),
]


def assert_mvn_matches_jax(key_id, mean, cov, shape, kwargs):
    """float64 (and one dimension): JAX's bits. float32: within the docstring's bound (XLA
    sums a float32 dot of more than three terms in an order that depends on the CPU)."""
    ours = mr.multivariate_normal(KEYS[key_id](mr), mean, cov, shape, **kwargs)
    theirs = np.asarray(jr.multivariate_normal(KEYS[key_id](jr), mean, cov, shape, **kwargs))
    ours = np.asarray(ours)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if theirs.dtype == np.float64 or theirs.shape[-1] == 1:
        assert_same_bits(ours, theirs)
        return
    z = np.asarray(jr.normal(KEYS[key_id](jr), theirs.shape, theirs.dtype), np.float64)
    sd = np.sqrt(np.diagonal(np.asarray(cov, np.float64), axis1=-2, axis2=-1))
    scale = np.abs(np.asarray(mean, np.float64)) + sd * np.abs(z).sum(-1, keepdims=True)
    error = np.abs(ours.astype(np.float64) - theirs)
    assert np.all(error <= 1.02 * np.finfo(theirs.dtype).eps * scale), error.max()


@pytest.mark.parametrize("key_id", list(KEYS))
@pytest.mark.parametrize("row", MVN_ROWS, ids=[r[0] for r in MVN_ROWS])
def test_multivariate_normal_matches_jax(row, key_id):
    assert_mvn_matches_jax(key_id, *row[1:])


def test_multivariate_normal_jit_and_grad():
    ours = ad.jit(lambda k: mr.multivariate_normal(k, MEAN6, COV6, (5,)))(mr.PRNGKey(42))
    eager = mr.multivariate_normal(mr.PRNGKey(42), MEAN6, COV6, (5,))
    assert_same_bits(ours, eager)

    def loss(r):
        return lambda cov: r.multivariate_normal(r.PRNGKey(1), MEAN6, cov, (4,)).sum()

    np.testing.assert_allclose(ad.grad(loss(mr))(COV6), jax.grad(loss(jr))(COV6), rtol=1e-12)


def test_poisson_follows_the_distribution():
    draws = np.asarray(mr.poisson(mr.PRNGKey(1), np.array([3.0, 40.0]), (5000, 2)))
    np.testing.assert_allclose(draws.mean(0), [3.0, 40.0], rtol=4 * np.sqrt(1 / 15000))


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda r: r.poisson(r.PRNGKey(0), 1.0, dtype=np.float32), ValueError),
        (lambda r: r.poisson(r.PRNGKey(0), np.ones(3), (2,)), ValueError),
        (
            lambda r: r.multivariate_normal(r.PRNGKey(0), np.zeros(2), np.eye(2), method="qr"),
            ValueError,
        ),
        (lambda r: r.multivariate_normal(r.PRNGKey(0), np.zeros(2), np.eye(3)), ValueError),
        (lambda r: r.multivariate_normal(r.PRNGKey(0), 0.0, np.eye(2)), ValueError),
        (
            lambda r: r.multivariate_normal(r.PRNGKey(0), np.zeros((2, 2)), np.eye(2), (3,)),
            ValueError,
        ),
        (
            lambda r: r.multivariate_normal(r.PRNGKey(0), np.zeros(2), np.eye(2), dtype=int),
            ValueError,
        ),
    ],
)
def test_errors_as_jax(call, error):
    with pytest.raises(error):
        call(mr)
    with pytest.raises(error):
        call(jr)


def test_multivariate_normal_float32_eigh_raises():
    with pytest.raises(NotImplementedError, match="eigh"):
        mr.multivariate_normal(
            mr.PRNGKey(0), np.zeros(2, np.float32), np.eye(2, dtype=np.float32), method="eigh"
        )
