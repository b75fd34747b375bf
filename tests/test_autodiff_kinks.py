"""Derivatives at non-differentiable points follow JAX's conventions (JAX_FACTS.md).

Each row: a mini_ad function, the same function in JAX, the point, and the value JAX
documents. The row passes when mini_ad gives that value and JAX (x64) agrees.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.nn as nn
import mini_ad.numpy as mnp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

inf, nan = np.inf, np.nan
v133 = np.array([1.0, 3.0, 3.0])


def mini_and_jax(fn):
    """``fn(np_module, nn_module)`` -> the same function over mini_ad and over JAX."""
    return lambda x: fn(mnp, nn)(x), lambda x: fn(jnp, jax.nn)(x)


def double_where(m):
    return lambda x: m.where(x > 0, m.sqrt(m.where(x > 0, x, 1.0)), 0.0)


GRAD_ROWS = [
    # (id, fn(np, nn), x, d/dx at x)
    ("abs_at_0", lambda m, n: m.abs, 0.0, 1.0),
    ("maximum_tie_with_0", lambda m, n: lambda x: m.maximum(x, 0.0), 0.0, 0.5),
    ("maximum_tie", lambda m, n: lambda x: m.maximum(x, 2.0), 2.0, 0.5),
    ("minimum_tie", lambda m, n: lambda x: m.minimum(x, 2.0), 2.0, 0.5),
    ("relu_at_0", lambda m, n: n.relu, 0.0, 0.0),
    ("where_x_gt_0_at_0", lambda m, n: lambda x: m.where(x > 0, x, 0.0), 0.0, 0.0),
    ("max_ties_split", lambda m, n: m.max, v133, np.array([0.0, 0.5, 0.5])),
    ("min_ties_split", lambda m, n: m.min, np.array([3.0, 3.0, 5.0]), np.array([0.5, 0.5, 0.0])),
    (
        "argmax_index_first_wins",
        lambda m, n: lambda v: v[m.argmax(v)],
        np.array([3.0, 3.0]),
        np.array([1.0, 0.0]),
    ),
    ("clip_at_upper", lambda m, n: lambda x: m.clip(x, 0.0, 1.0), 1.0, 0.5),
    ("clip_at_lower", lambda m, n: lambda x: m.clip(x, 0.0, 1.0), 0.0, 0.5),
    ("sign_at_0", lambda m, n: m.sign, 0.0, 0.0),
    ("floor", lambda m, n: m.floor, 1.5, 0.0),
    ("round", lambda m, n: m.round, 1.2, 0.0),
    ("sqrt_at_0", lambda m, n: m.sqrt, 0.0, inf),
    ("cbrt_at_0", lambda m, n: m.cbrt, 0.0, inf),
    ("pow_half_at_0", lambda m, n: lambda x: x**0.5, 0.0, inf),
    ("pow_zero_at_0", lambda m, n: lambda x: x**0.0, 0.0, nan),
    ("square_at_0", lambda m, n: lambda x: x**2, 0.0, 0.0),
    ("pow_1_5_at_0", lambda m, n: lambda x: x**1.5, 0.0, 0.0),
    ("log_at_0", lambda m, n: m.log, 0.0, inf),
    ("norm_of_zero_vector", lambda m, n: m.linalg.norm, np.zeros(2), np.array([nan, nan])),
    ("arctan2_y_at_origin", lambda m, n: lambda y: m.arctan2(y, 0.0), 0.0, nan),
    ("tanh_saturated", lambda m, n: m.tanh, 100.0, 0.0),
    ("naive_where_sqrt_at_0", lambda m, n: lambda x: m.where(x > 0, m.sqrt(x), 0.0), 0.0, nan),
    ("naive_where_log_at_0", lambda m, n: lambda x: m.where(x > 0, m.log(x), 0.0), 0.0, nan),
    ("double_where_sqrt_at_0", lambda m, n: double_where(m), 0.0, 0.0),
    ("double_where_sqrt_at_4", lambda m, n: double_where(m), 4.0, 0.25),
    ("leaky_relu_at_0", lambda m, n: n.leaky_relu, 0.0, 1.0),
    ("elu_at_0", lambda m, n: lambda x: n.elu(x, 2.0), 0.0, 2.0),
    ("celu_at_0", lambda m, n: n.celu, 0.0, 1.0),
    ("softplus_at_0", lambda m, n: n.softplus, 0.0, 0.5),
    ("logaddexp_tie", lambda m, n: lambda x: m.logaddexp(x, 1.0), 1.0, 0.5),
    ("relu6_at_6", lambda m, n: n.relu6, 6.0, 0.0),
]


@pytest.mark.parametrize(
    "fn, x, expected", [r[1:] for r in GRAD_ROWS], ids=[r[0] for r in GRAD_ROWS]
)
def test_grad_at_kink(fn, x, expected):
    mini_fn, jax_fn = mini_and_jax(fn)
    scalar = np.ndim(x) == 0 and np.ndim(mini_fn(x)) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = ad.grad(mini_fn)(x)
    # equal up to one rounding (nan == nan, inf == inf)
    np.testing.assert_allclose(got, expected, rtol=2e-16, atol=0)
    j = jax.jit(jax.grad(jax_fn))(jnp.asarray(x) if not scalar else x)
    np.testing.assert_allclose(np.asarray(j), expected, rtol=2e-16, atol=0)


def test_second_derivatives_at_kinks_are_zero_like_jax():
    for fn in (mnp.abs, nn.relu, lambda x: mnp.maximum(x, 0.0)):
        assert ad.grad(ad.grad(fn))(0.0) == 0.0
    assert jax.jit(jax.grad(jax.grad(jnp.abs)))(0.0) == 0.0


def test_jvp_of_sqrt_at_zero_with_zero_tangent_is_nan():
    # 0 * inf is not special-cased, in JAX or here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out, tangent = ad.jvp(mnp.sqrt, (0.0,), (0.0,))
    assert out == 0.0 and np.isnan(tangent)
    assert np.isnan(jax.jit(lambda x, t: jax.jvp(jnp.sqrt, (x,), (t,)))(0.0, 0.0)[1])


def test_double_where_gradient_is_finite_everywhere():
    xs = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])
    g = ad.grad(lambda x: mnp.sum(double_where(mnp)(x)))(xs)
    assert np.all(np.isfinite(g))
    np.testing.assert_array_equal(g[:3], 0.0)
    np.testing.assert_allclose(g[4], 0.5 / np.sqrt(3.0), rtol=1e-15)
