"""``mini_ad.random``'s gamma family (``gamma``, ``loggamma``, ``beta``, ``dirichlet``)
against ``jax.random``.

These are JAX's algorithms with JAX's keys, but not bit for bit everywhere (the module
docstring says why: XLA's ``rsqrt`` and ``exp``). So each row checks, for several keys,
shapes and dtypes, eagerly, under ``jit`` and under ``vmap``:

* where mini_ad's ``rsqrt(d)`` equals XLA's (float64), gamma samples are JAX's bit for bit;
* every sample is within the measured bound of JAX's (``MAX_ULPS``), and only a small
  fraction differ at all (so an accept/reject flip, which would change a whole sample,
  would fail the test).
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
from mini_ad import random as mr
from mini_ad.random._xla_math import rsqrt

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jr = jax.random


KEYS = {
    "seed0": lambda r: r.PRNGKey(0),
    "seed42": lambda r: r.PRNGKey(42),
    "split": lambda r: r.split(r.PRNGKey(7), 3)[2],
    "fold_in": lambda r: r.fold_in(r.PRNGKey(5), 123),
}
_rng = np.random.default_rng(0)
ALPHAS = np.exp(_rng.uniform(np.log(0.01), np.log(500.0), 400))  # boosted and not
A23 = np.array([[0.2, 1.0, 3.5], [0.7, 12.0, 90.0]])
CONC = np.array([0.3, 1.0, 2.5, 7.0])

# measured over 10^4 draws per function and dtype (see mini_ad.random's docstring);
# the fraction bound (varied alphas) is about twice the measured rates
MAX_ULPS = {"float64": 32, "float32": 64}
MAX_FRACTION = {"gamma": 0.08, "loggamma": 0.08}

# (id, function name, positional args after the key, keyword args)
ROWS = [
    ("gamma-scalar", "gamma", (2.0,), {}),
    ("gamma-shape", "gamma", (0.5, (2, 5)), {}),
    ("gamma-array", "gamma", (A23,), {}),
    ("gamma-broadcast", "gamma", (np.array([0.3, 4.0]), (3, 2)), {}),
    ("gamma-many", "gamma", (ALPHAS,), {}),
    ("gamma32-many", "gamma", (ALPHAS.astype(np.float32),), {"dtype": "float32"}),
    ("loggamma-many", "loggamma", (ALPHAS,), {}),
    ("loggamma-tiny", "loggamma", (np.full(50, 1e-3),), {}),
    ("loggamma32", "loggamma", (A23.astype(np.float32),), {"dtype": "float32"}),
    ("beta", "beta", (A23, 2.0), {}),
    ("beta-shape", "beta", (0.5, 0.5, (200,)), {}),
    ("beta32", "beta", (np.float32(2.0), np.float32(3.0), (50,)), {"dtype": "float32"}),
    ("dirichlet", "dirichlet", (CONC,), {}),
    ("dirichlet-shape", "dirichlet", (CONC, (50,)), {}),
    ("dirichlet32", "dirichlet", (CONC.astype(np.float32), (20,)), {"dtype": "float32"}),
]


def ulps(ours, theirs) -> np.ndarray:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    signed = np.int64 if ours.dtype == np.float64 else np.int32
    return np.abs(ours.view(signed).astype(np.int64) - theirs.view(signed).astype(np.int64))


def assert_near_jax(name, ours, theirs, varied=False):
    """Within the ulp bound (a flipped accept/reject step would not be); with varied
    parameters, only a small fraction differ at all."""
    diff = ulps(ours, theirs)
    assert diff.max(initial=0) <= MAX_ULPS[np.asarray(ours).dtype.name], diff.max()
    if varied:
        assert np.mean(diff > 0) <= MAX_FRACTION[name]


@pytest.mark.parametrize("key_id", ["seed42", "fold_in"])  # each call compiles in JAX: keep few
@pytest.mark.parametrize("row", ROWS, ids=[r[0] for r in ROWS])
def test_near_jax(row, key_id):
    _, name, args, kwargs = row
    ours = getattr(mr, name)(KEYS[key_id](mr), *args, **kwargs)
    theirs = getattr(jr, name)(KEYS[key_id](jr), *args, **kwargs)
    assert_near_jax(name, ours, theirs, varied=row[0].endswith("many"))


@pytest.mark.parametrize("key_id", list(KEYS))
@pytest.mark.parametrize("name", ["gamma", "loggamma"])
def test_bit_for_bit_where_rsqrt_agrees(name, key_id):
    ours = np.asarray(getattr(mr, name)(KEYS[key_id](mr), ALPHAS))
    theirs = np.asarray(getattr(jr, name)(KEYS[key_id](jr), ALPHAS))
    d = np.where(ALPHAS >= 1, ALPHAS, ALPHAS + 1) - 1 / 3
    agrees = np.asarray(rsqrt(d)) == np.asarray(jax.jit(jax.lax.rsqrt)(d))
    assert agrees.mean() > 0.7
    np.testing.assert_array_equal(ours[agrees].view(np.uint64), theirs[agrees].view(np.uint64))


@pytest.mark.parametrize("row", ROWS[:4] + ROWS[9:10] + ROWS[12:13], ids=lambda r: r[0])
def test_jit_near_jax(row):
    _, name, args, kwargs = row
    ours = ad.jit(lambda k: getattr(mr, name)(k, *args, **kwargs))(mr.PRNGKey(11))
    assert_near_jax(name, ours, getattr(jr, name)(jr.PRNGKey(11), *args, **kwargs))


VMAP_ROWS = [
    ("gamma", (np.array([0.4, 3.0]),), {}),
    ("gamma", (1.5, (3,)), {"dtype": "float32"}),
    ("loggamma", (np.array([0.01, 3.0]),), {}),
    ("beta", (2.0, 0.5, (3,)), {}),
    ("dirichlet", (CONC,), {}),
]


@pytest.mark.parametrize("row", VMAP_ROWS, ids=[r[0] for r in VMAP_ROWS])
def test_vmap_over_split_keys_near_jax(row):
    name, args, kwargs = row
    ours = ad.vmap(lambda k: getattr(mr, name)(k, *args, **kwargs))(mr.split(mr.PRNGKey(3), 4))
    theirs = jax.vmap(lambda k: getattr(jr, name)(k, *args, **kwargs))(jr.split(jr.PRNGKey(3), 4))
    assert_near_jax(name, ours, theirs)
    looped = np.stack([getattr(mr, name)(k, *args, **kwargs) for k in mr.split(mr.PRNGKey(3), 4)])
    np.testing.assert_array_equal(np.asarray(ours), looped)


@pytest.mark.parametrize("name", ["gamma", "loggamma"])
def test_x64_off_default_float32(name):
    alphas = ALPHAS[:100].astype(np.float32)
    with jax.enable_x64(False):  # JAX with x64 off: float32 by default
        theirs = np.asarray(getattr(jr, name)(jr.PRNGKey(9), alphas))
    assert theirs.dtype == np.float32
    ours = getattr(mr, name)(mr.PRNGKey(9), alphas, dtype=np.float32)
    assert_near_jax(name, ours, theirs, varied=True)


def test_samples_follow_the_distribution():
    draws = np.asarray(mr.gamma(mr.PRNGKey(1), 0.7, (20000,)))
    assert abs(draws.mean() - 0.7) < 4 * np.sqrt(0.7 / 20000)  # mean a, variance a
    b = np.asarray(mr.beta(mr.PRNGKey(2), 2.0, 3.0, (20000,)))
    assert abs(b.mean() - 0.4) < 4 * np.sqrt(0.04 / 20000)  # mean a/(a+b), var 0.04
    d = np.asarray(mr.dirichlet(mr.PRNGKey(3), CONC, (100,)))
    np.testing.assert_allclose(d.sum(-1), 1.0, rtol=1e-14)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: ad.grad(lambda a: mr.gamma(mr.PRNGKey(0), a))(2.0), NotImplementedError),
        (lambda: ad.grad(lambda a: mr.beta(mr.PRNGKey(0), a, 1.0))(2.0), NotImplementedError),
        (lambda: mr.gamma(mr.PRNGKey(0), np.ones(3), (2,)), ValueError),
        (lambda: mr.gamma(mr.PRNGKey(0), 1.0, dtype=np.float16), NotImplementedError),
        (lambda: mr.gamma(mr.PRNGKey(0), 1.0, dtype=np.int32), ValueError),
        (lambda: mr.dirichlet(mr.PRNGKey(0), 1.0), ValueError),
        (lambda: mr.beta(mr.PRNGKey(0), np.ones(2), 1.0, dtype=np.float32), ValueError),
    ],
)
def test_errors(call, error):
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.gamma(r.PRNGKey(0), np.ones(3), (2,)),
        lambda r: r.dirichlet(r.PRNGKey(0), 1.0),
        lambda r: r.beta(r.PRNGKey(0), np.ones(2), 1.0, dtype=np.float32),
    ],
)
def test_jax_raises_the_same(call):
    with pytest.raises(ValueError):
        call(jr)
