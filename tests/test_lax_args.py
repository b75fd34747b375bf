"""Regression tests from a differential sweep of ``mini_ad.lax`` at non-default parameters and
integer/bool/NaN edge inputs, against ``jax.lax`` with x64 (and NumPy where mnp follows it)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax import lax as jl

import mini_ad as ad
import mini_ad.lax as ml
import mini_ad.numpy as mnp

jax.config.update("jax_enable_x64", True)


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


SPECIAL = [np.nan, np.inf, -np.inf, 1e20, -1e20, 2.7, -2.7, 300.5, -129.5, -0.0, 2.0**63,
           2.0**63 - 1024, -(2.0**63), 2.0**31, 2.0**31 - 1, 255.9, -0.9]  # fmt: skip


@pytest.mark.parametrize("src", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("dst", [np.int8, np.uint8, np.int32, np.int64, np.uint32, np.uint64])
def test_convert_float_to_int_saturates(src, dst):
    # NaN/inf/out-of-range went through NumPy's undefined cast (NaN -> INT_MIN); XLA
    # saturates and maps NaN to 0
    with np.errstate(over="ignore"):
        x = np.array(SPECIAL).astype(src)
    want = jl.convert_element_type(x, dst)
    _same(ml.convert_element_type(x, dst), want)
    _same(ad.jit(lambda v: ml.convert_element_type(v, dst))(x), want)


@pytest.mark.parametrize("x, dtype", [
    (np.array([1.0, -2.0], np.float32), np.int16), (np.array([1.0, -2.0]), np.int8),
    (np.array([[1, 2, 3, 4]], np.int8), np.int32), (np.array([[1, 2]], np.int32), np.float64),
    (np.array([1.5], np.float32), np.uint32), (np.float64(2.0), np.int8),
    (np.array(3, np.uint64), np.float64)])  # fmt: skip
def test_bitcast_between_widths(x, dtype):
    # narrowing flattened the result ((4,) for JAX's (2, 2)); widening kept the last axis
    want = jl.bitcast_convert_type(x, dtype)
    _same(ml.bitcast_convert_type(x, dtype), want)
    _same(ad.jit(lambda v: ml.bitcast_convert_type(v, dtype))(x), want)
    _same(ad.vmap(lambda v: ml.bitcast_convert_type(v, dtype))(np.stack([x, x])),
          np.stack([want, want]))  # fmt: skip
    # 0-d operands stay 0-d (a same-width bitcast in mini_ad.random: uint64 bits -> float64)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.int32])
def test_integer_scans_and_products_keep_the_dtype(dtype):
    # NumPy's cumsum/prod widen small integers to int64 (jaxprs said int32)
    x = np.arange(1, 7).reshape(2, 3).astype(dtype)
    for got, want in [(ml.cumsum(x, 1, reverse=True), jl.cumsum(x, 1, reverse=True)),
                      (ml.cumprod(x, 0), jl.cumprod(x, 0)),
                      (ml.reduce_prod(x, (0,)), jl.reduce_prod(x, (0,)))]:  # fmt: skip
        _same(got, want)
    with pytest.raises(TypeError, match="bool"):
        ml.cumsum(np.array([True, False]))


@pytest.mark.parametrize("padding", ["SAME", "SAME_LOWER"])
@pytest.mark.parametrize("base", [(1, 2), (2, 1), (3, 2)])
def test_reduce_window_padding_string_with_base_dilation(padding, base):
    # the string padding was computed for the dilated operand (JAX: the undilated one), a
    # (2, 4) result where JAX's is (2, 3)
    x = np.arange(24.0).reshape(4, 6)
    args = ((2, 3), (2, 3), padding, base, (1, 2))
    for m, j, init in [(ml.add, jl.add, 0.0), (ml.max, jl.max, -np.inf)]:
        np.testing.assert_array_equal(ml.reduce_window(x, init, m, *args),
                                      jl.reduce_window(x, init, j, *args))  # fmt: skip


@pytest.mark.parametrize("config", [[(-1, 2, 1)], [(2, -3, 2)], [(-2, -1, 0)], [(-4, 1, 1)],
                                    [(-5, 0, 0)], [(1, 2, 0)]])  # fmt: skip
def test_pad_with_negative_amounts(config):
    x = np.arange(1.0, 6.0)
    want = jl.pad(x, 0.5, config)
    _same(ml.pad(x, 0.5, config), want)
    _same(ml.pad(x.astype(np.int32), np.int32(-7), config),
          jl.pad(x.astype(np.int32), np.int32(-7), config))  # fmt: skip
    g = ad.grad(lambda v, p: (ml.pad(v, p, config) ** 2).sum(), argnums=(0, 1))(x, 0.5)
    h = jax.grad(lambda v, p: (jl.pad(v, p, config) ** 2).sum(), argnums=(0, 1))(x, 0.5)
    for a, b in zip(g, h, strict=True):
        np.testing.assert_allclose(a, b)
    with pytest.raises(ValueError):
        ml.pad(x, 0.0, [(-7, 0, 0)])


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8, np.uint32])
def test_integer_div_rem_by_zero_as_xla(dtype):
    # lax.div(x, 0) gave 0 (JAX: -1, all ones) and rem(x, 0) gave 0 (JAX: x)
    info = np.iinfo(dtype)
    a = np.array([7, -7, 0, info.min, 7, -7, info.max]).astype(dtype, casting="unsafe")
    b = np.array([0, 0, 0, -1, 2, -2, 3]).astype(dtype, casting="unsafe")
    for m, j in [(ml.div, jl.div), (ml.rem, jl.rem)]:
        _same(m(a, b), j(a, b))
        _same(ad.jit(m)(a, b), j(a, b))
    # mini_ad.numpy follows jax.numpy: integer % 0 and fmod(x, 0) are 0 (as in NumPy), but
    # x // 0 is not (signed: -2, or -1 for 0; unsigned: all ones; NumPy gives 0)
    for name in ("floor_divide", "remainder", "fmod"):
        _same(getattr(mnp, name)(a, b), getattr(jnp, name)(a, b))
        _same(ad.jit(getattr(mnp, name))(a, b), getattr(jnp, name)(a, b))
    _same(mnp.asarray(a) // mnp.asarray(b), jnp.asarray(a) // jnp.asarray(b))  # Array's //
    _same(divmod(mnp.asarray(a), b)[0], divmod(jnp.asarray(a), b)[0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.uint8, np.bool_])
def test_reduce_max_min_of_empty_give_the_identity(dtype):
    x = np.zeros((2, 0), dtype)
    for m, j in [(ml.reduce_max, jl.reduce_max), (ml.reduce_min, jl.reduce_min)]:
        _same(m(x, (1,)), j(x, (1,)))


def test_dot_general_accumulates_in_the_preferred_type():
    # int8 x int8 -> int32 wrapped in int8 first: 4 * 100 * 100 gave 64, not 40000
    x, y = np.full((1, 4), 100, np.int8), np.full((4, 1), 100, np.int8)
    dn = (((1,), (0,)), ((), ()))
    _same(ml.dot_general(x, y, dn, preferred_element_type=np.int32),
          jl.dot_general(x, y, dn, preferred_element_type=np.int32))  # fmt: skip
    f = np.random.default_rng(0).normal(size=(3, 50)).astype(np.float32)
    np.testing.assert_allclose(ml.dot_general(f, f.T, dn, preferred_element_type=np.float64),
                               jl.dot_general(f, f.T, dn, preferred_element_type=np.float64),
                               rtol=1e-13)  # fmt: skip


def test_iota_of_a_size_and_reshape_dimensions():
    _same(ml.iota(np.int32, 5), jl.iota(np.int32, 5))
    x = np.arange(24.0).reshape(2, 3, 4)
    for sizes, dims in [((4, 6), (2, 0, 1)), ((24,), (1, 0, 2))]:
        _same(ml.reshape(x, sizes, dims), jl.reshape(x, sizes, dims))
    assert jnp.asarray(ml.reshape(x, (6, 4), (0, 1, 2))).shape == (6, 4)


@pytest.mark.parametrize("lo, hi", [(-0.5, 0.5), (0.0, 0.0), (1.0, -1.0)])
def test_clamp_derivatives_as_jax(lo, hi):
    # min(max(x, lo), hi) split ties 0.5/0.5 (x == lo gave 0.5 to x and to lo); JAX gives
    # x's derivative only strictly inside, lo's where x < lo < hi, hi's where hi < x
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0, np.nan])
    _same(ml.clamp(lo, x, hi), jl.clamp(lo, x, hi))
    for argnum in range(3):
        got = ad.vmap(ad.grad(ml.clamp, argnums=argnum), in_axes=(None, 0, None))(lo, x, hi)
        want = jax.vmap(jax.grad(jl.clamp, argnums=argnum), in_axes=(None, 0, None))(lo, x, hi)
        _same(got, want)
