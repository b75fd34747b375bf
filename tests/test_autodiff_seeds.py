"""The derivatives worked out in the seed tutorials (shared/seeds), exactly.

The expected numbers are derived by hand (and written next to each case); the
tutorials' PyTorch outputs agree except seed 000's first example, which printed 5
for d/dx sum((x + 1)²) at x = 1 — the right value is 2 (x + 1) = 4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.nn as nn
import mini_ad.numpy as mnp


def test_seed000_square_of_shift_is_4_not_5():
    x = mnp.ones((2, 2))
    g = ad.grad(lambda x: ((x + 1) ** 2).sum())(x)
    assert type(g) is ad.Array and g.shape == (2, 2) and g.dtype == np.float64
    np.testing.assert_array_equal(g, np.full((2, 2), 4.0))  # d/dx (x+1)² = 2(x+1) = 4


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (lambda x: x * 2, 1.0, [2.0]),  # seed 004: linear, slope 2 everywhere
        (lambda x: x * 2, 3.0, [2.0]),
        (lambda x: x**2, 3.0, [6.0]),  # 2x
        (lambda x: x**3, 3.0, [27.0]),  # 3x²
        (lambda x: x**2 + x * 2 + 2, 3.0, [8.0]),  # 2x + 2
        (lambda x: x**3, 4.0, [48.0, 24.0, 6.0]),  # seed 003: 3x², 6x, 6
        (lambda x: x**3 + x**2 + x + 1, 2.0, [17.0, 14.0, 6.0]),  # 3x²+2x+1, 6x+2, 6
    ],
)
def test_nested_grad_of_polynomials(f, x, expected):
    derivative = f
    for want in expected:
        derivative = ad.grad(derivative)
        assert derivative(x) == want


def test_exp_three_times_is_e():
    d = ad.grad(mnp.exp)
    dd = ad.grad(d)
    ddd = ad.grad(dd)
    for fn in (mnp.exp, d, dd, ddd):
        np.testing.assert_allclose(fn(1.0), math.e, rtol=1e-15)


def test_sin_at_3141_three_times():
    x = 3.141
    d = ad.grad(mnp.sin)
    dd = ad.grad(d)
    ddd = ad.grad(dd)
    assert d(x) == math.cos(x)
    np.testing.assert_allclose(dd(x), -math.sin(x), rtol=1e-15)
    np.testing.assert_allclose(ddd(x), -math.cos(x), rtol=1e-15)


def f_xy(x, y):
    return (x + 2 * y) ** 3


def test_seed003_partial_derivatives_of_x_plus_2y_cubed():
    x, y = 4.0, 3.0  # s = x + 2y = 10
    assert ad.grad(f_xy, 0)(x, y) == 300.0  # 3 s²
    assert ad.grad(f_xy, 1)(x, y) == 600.0  # 6 s²
    assert ad.grad(ad.grad(f_xy, 0), 0)(x, y) == 60.0  # 6 s
    assert ad.grad(ad.grad(f_xy, 0), 1)(x, y) == 120.0  # 12 s
    assert ad.grad(ad.grad(f_xy, 1), 0)(x, y) == 120.0  # mixed partials agree
    assert ad.grad(ad.grad(f_xy, 1), 1)(x, y) == 240.0  # 24 s
    gx, gy = ad.grad(f_xy, (0, 1))(x, y)
    assert (gx, gy) == (300.0, 600.0)

    def sum_of_partials(x, y):
        gx, gy = ad.grad(f_xy, (0, 1))(x, y)
        return gx + gy

    assert ad.grad(sum_of_partials, (0, 1))(x, y) == (180.0, 360.0)  # (60+120, 120+240)
    np.testing.assert_array_equal(ad.hessian(f_xy, (0, 1))(x, y), ((60.0, 120.0), (120.0, 240.0)))


def calc(a):
    b = a * 2 + 1
    c = b * b
    d = c / (c + 2)
    return d.mean()


def test_seed002_calc_gradient_and_finite_differences():
    a = mnp.array([1.0, 2.0, 3.0])
    g = ad.grad(calc)(a)
    np.testing.assert_allclose(g, [0.0661157, 0.0182899, 0.0071767], atol=5e-8)
    b = 2 * a + 1
    c = b * b
    # dd/dc = 2 / (c + 2)², dc/da = 4b, and the mean divides by 3
    np.testing.assert_allclose(g, 2 / (c + 2) ** 2 * 4 * b / 3, rtol=1e-14)
    eps = 1e-6
    central = [(calc(a + eps * e) - calc(a - eps * e)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(g, central, rtol=1e-7)


def test_seed002_mean_of_scaled_shift():
    g = ad.grad(lambda x: ((x + 2) * 3).mean())(mnp.ones((2, 3)))
    np.testing.assert_array_equal(g, np.full((2, 3), 0.5))  # 3 / 6


def test_seed004_two_layer_gradients():
    def y(w1, b1, w2, b2, x):
        h1 = w1 * x + b1  # -4
        return w2 * h1 + b2  # -9

    params = (2.0, -10.0, 4.0, 7.0)
    assert y(*params, 3.0) == -9.0
    # dy/dw1 = w2 x, dy/db1 = w2, dy/dw2 = h1, dy/db2 = 1
    assert ad.grad(y, (0, 1, 2, 3))(*params, 3.0) == (12.0, 4.0, -4.0, 1.0)


def test_seed004_squared_error_and_one_sgd_step():
    def loss(w, b, x, true):
        return (w * x + b - true) ** 2

    w, b = 5.0, 1.0
    gw, gb = ad.grad(loss, (0, 1))(w, b, 3.0, 10.0)
    assert (gw, gb) == (36.0, 12.0)  # 2 (pred - true) x, 2 (pred - true); pred = 16
    w, b = w - 0.01 * gw, b - 0.01 * gb
    np.testing.assert_allclose((w, b), (4.64, 0.88), rtol=1e-15)
    np.testing.assert_allclose(loss(w, b, 3.0, 10.0), 23.04, rtol=1e-13)  # (14.8 - 10)²


def celu_mlp_loss(w1, w2, w3, x):
    h = nn.celu(mnp.matmul(w1.T, x))
    h = nn.celu(mnp.matmul(w2.T, h))
    y = nn.celu(mnp.matmul(w3.T, h))
    return mnp.mean((y - mnp.zeros(1)) ** 2)


def test_seed000_celu_mlp_matches_jax():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def jax_loss(w1, w2, w3, x):
        h = jax.nn.celu(jnp.matmul(w1.T, x))
        h = jax.nn.celu(jnp.matmul(w2.T, h))
        y = jax.nn.celu(jnp.matmul(w3.T, h))
        return jnp.mean((y - jnp.zeros(1)) ** 2)

    rng = np.random.default_rng(0)
    w1, w2, w3 = rng.normal(size=(3, 10)), rng.normal(size=(10, 10)), rng.normal(size=(10, 1))
    x = np.array([1.0, -2.0, 3.0])
    value, grads = ad.value_and_grad(celu_mlp_loss, (0, 1, 2))(w1, w2, w3, x)
    j_value, j_grads = jax.value_and_grad(jax_loss, (0, 1, 2))(w1, w2, w3, x)
    np.testing.assert_allclose(value, j_value, rtol=1e-12)
    for g, j, w in zip(grads, j_grads, (w1, w2, w3), strict=True):
        assert g.shape == w.shape and g.dtype == np.float64
        j = np.asarray(j)
        assert np.linalg.norm(g - j) <= 1e-12 * np.linalg.norm(j)
        np.testing.assert_allclose(g, j, rtol=1e-10, atol=1e-14)
