"""``mini_ad.nn.initializers`` against ``jax.nn.initializers``: the same key gives the same
numbers, bit for bit (``mini_ad.random`` reproduces ``jax.random``), in float64 and
float32, under ``jit`` too; and the same errors."""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.nn.initializers as mi
from mini_ad import random as mr

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
ji = jax.nn.initializers

# (name, factory arguments or None for an initializer itself, shape)
CASES = [
    ("zeros", None, (2, 3)),
    ("ones", None, (4,)),
    ("constant", (1.5,), (2, 3)),
    ("uniform", (2.0,), (5,)),
    ("normal", (0.5,), (2, 2, 3)),
    ("truncated_normal", (0.3, None, -1.0, 1.5), (40,)),
    ("glorot_uniform", (), (5, 6)),
    ("glorot_normal", (), (5, 6)),
    ("lecun_uniform", (), (3, 4)),
    ("lecun_normal", (), (3, 4, 5)),
    ("he_uniform", (), (2, 3, 4)),
    ("he_normal", (), (7, 3)),
    ("glorot_uniform", (0, 1, 2), (3, 4, 2)),
    ("he_normal", ((0, 1), 2), (2, 3, 4)),
    ("variance_scaling", (0.7, "fan_geo_avg", "normal"), (3, 5)),
    ("variance_scaling", (0.7, "fan_out", "truncated_normal", 0, (1, 2)), (3, 5, 2)),
    ("variance_scaling", (1.3, "fan_avg", "uniform", -2, -1, 0), (2, 3, 4)),
]


def _both(name, args):
    if args is None:
        return getattr(mi, name), getattr(ji, name)
    return getattr(mi, name)(*args), getattr(ji, name)(*args)


def _case_id(case):
    return f"{case[0]}{case[1] or ''}{case[2]}"


@pytest.mark.parametrize("seed_case", list(enumerate(CASES)), ids=[_case_id(c) for c in CASES])
def test_same_numbers_as_jax_float64(seed_case):
    seed, (name, args, shape) = seed_case
    mini, jax_init = _both(name, args)
    out = mini(mr.key(seed), shape)
    expected = np.asarray(jax_init(jax.random.key(seed), shape))
    assert out.dtype == expected.dtype == np.float64
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_same_numbers_as_jax_float32(case):
    name, args, shape = case
    mini, jax_init = _both(name, args)
    out = mini(mr.key(3), shape, np.float32)
    expected = np.asarray(jax_init(jax.random.key(3), shape, np.float32))
    assert out.dtype == expected.dtype == np.float32
    np.testing.assert_array_equal(out, expected)


def test_dtype_bound_at_construction_and_under_jit():
    init = mi.he_uniform(dtype=np.float32)
    assert init(mr.key(1), (2, 3)).dtype == np.float32
    staged = ad.jit(lambda k: mi.lecun_normal()(k, (4, 3)))(mr.key(2))
    np.testing.assert_array_equal(staged, mi.lecun_normal()(mr.key(2), (4, 3)))


def test_aliases_and_protocol():
    assert mi.xavier_uniform is mi.glorot_uniform and mi.kaiming_normal is mi.he_normal
    assert isinstance(mi.zeros, mi.Initializer)
    assert isinstance(mi.constant(1.0), mi.Initializer)
    assert sorted(mi.__all__) == sorted(
        n for n in dir(ji) if not n.startswith("_") and n not in ("orthogonal", "delta_orthogonal")
    )


@pytest.mark.parametrize(
    "build, shape",
    [
        (lambda m: m.variance_scaling(1.0, "fan_sum", "normal"), (3, 3)),
        (lambda m: m.variance_scaling(1.0, "fan_in", "cauchy"), (3, 3)),
        (lambda m: m.glorot_uniform(), (3,)),
    ],
    ids=["mode", "distribution", "1-D shape"],
)
def test_errors_as_jax(build, shape):
    with pytest.raises(ValueError) as jax_error:
        build(ji)(jax.random.key(0), shape)
    with pytest.raises(ValueError) as mini_error:
        build(mi)(mr.key(0), shape)
    assert str(mini_error.value) == str(jax_error.value)


def test_unsupported_arguments_are_refused():
    with pytest.raises(NotImplementedError, match="floats"):
        mi.normal()(mr.key(0), (2,), np.complex128)
    with pytest.raises(NotImplementedError, match="out_sharding"):
        mi.ones(mr.key(0), (2,), out_sharding="x")
