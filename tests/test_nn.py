"""``mini_ad.nn`` against ``jax.nn`` (x64): values, first and second derivatives
(including at the kinks), dtypes, the normalized exponentials with ``axis``/``where``/
``b``/``return_sign``, ``one_hot``, and ``check_grads`` to third order.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.nn as nn
import mini_ad.numpy as mnp
import mini_ad.scipy.special as mss
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

from autodiff_checks import assert_like_jax  # noqa: E402

# the kinks of every activation (0, ±1, 6) and points around them
POINTS = np.array([-7.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 6.0, 7.5])

ELEMENTWISE = [
    ("relu", nn.relu, jax.nn.relu),
    ("relu6", nn.relu6, jax.nn.relu6),
    ("leaky_relu", nn.leaky_relu, jax.nn.leaky_relu),
    ("leaky_relu_slope", lambda x: nn.leaky_relu(x, 0.3), lambda x: jax.nn.leaky_relu(x, 0.3)),
    ("hard_tanh", nn.hard_tanh, jax.nn.hard_tanh),
    ("sigmoid", nn.sigmoid, jax.nn.sigmoid),
    ("log_sigmoid", nn.log_sigmoid, jax.nn.log_sigmoid),
    ("softplus", nn.softplus, jax.nn.softplus),
    ("soft_sign", nn.soft_sign, jax.nn.soft_sign),
    ("silu", nn.silu, jax.nn.silu),
    ("swish", nn.swish, jax.nn.swish),
    ("gelu", nn.gelu, jax.nn.gelu),
    ("elu", nn.elu, jax.nn.elu),
    ("elu_alpha", lambda x: nn.elu(x, 0.7), lambda x: jax.nn.elu(x, 0.7)),
    ("celu", nn.celu, jax.nn.celu),
    ("celu_alpha", lambda x: nn.celu(x, 2.5), lambda x: jax.nn.celu(x, 2.5)),
    ("selu", nn.selu, jax.nn.selu),
]


def _derivatives(jvp, fn, x):
    """``f``, ``f'`` and ``f''`` elementwise, by nested jvp with a tangent of ones."""
    ones = np.ones(np.shape(x))
    first = lambda x: jvp(fn, (x,), (ones,))[1]
    second = lambda x: jvp(first, (x,), (ones,))[1]
    return fn(x), first(x), second(x)


@pytest.mark.parametrize(
    "mini, jax_fn", [e[1:] for e in ELEMENTWISE], ids=[e[0] for e in ELEMENTWISE]
)
def test_elementwise_activation_and_two_derivatives(mini, jax_fn):
    got = _derivatives(ad.jvp, mini, POINTS)
    want = jax.jit(lambda x: _derivatives(jax.jvp, jax_fn, x))(POINTS)
    for order, (g, w) in enumerate(zip(got, want, strict=True)):
        # atol: in the tails the derivatives are differences of O(1) terms, and JAX's own
        # rounding there is ~5e-14 (50-digit values: gelu''(-7) = -3.2323e-13, mini_ad
        # -3.2546e-13, JAX -3.7919e-13; gelu'(-7) = -2.7651e-14, mini_ad -2.7843e-14,
        # JAX -3.2483e-14)
        assert_like_jax(g, w, f"derivative {order}", rtol=1e-13, atol=1e-12)


@pytest.mark.parametrize(
    "mini, jax_fn", [e[1:] for e in ELEMENTWISE], ids=[e[0] for e in ELEMENTWISE]
)
def test_float32_stays_float32(mini, jax_fn):
    x = POINTS.astype(np.float32)
    out = mini(x)
    want = jax.jit(jax_fn)(x)
    assert out.dtype == np.float32 == want.dtype
    np.testing.assert_allclose(out, want, rtol=2e-6, atol=1e-7)
    assert ad.grad(lambda x: mnp.sum(mini(x)))(x).dtype == np.float32


def test_relu_derivative_at_zero_is_zero_and_python_scalars_work():
    assert nn.relu(0.0) == 0.0 and type(nn.relu(0.0)) is ad.Array
    assert ad.grad(nn.relu)(0.0) == 0.0
    assert ad.grad(nn.relu)(1e-300) == 1.0


X = np.random.default_rng(0).normal(size=(3, 4)) * 2
MASK = np.array([[True, False, True, True], [True, True, False, True], [False, True, True, True]])
B = np.array([1.0, -0.5, 2.0, 0.25])

NORMALIZED = [
    ("softmax", lambda m: lambda x: m.softmax(x)),
    ("softmax_axis0", lambda m: lambda x: m.softmax(x, axis=0)),
    ("softmax_where", lambda m: lambda x: m.softmax(x, where=MASK)),
    ("log_softmax", lambda m: lambda x: m.log_softmax(x)),
    ("log_softmax_axis0", lambda m: lambda x: m.log_softmax(x, axis=0)),
    ("log_softmax_where", lambda m: lambda x: m.log_softmax(x, where=MASK)),
    ("logsumexp_all", lambda m: lambda x: m.logsumexp(x)),
    ("logsumexp_axis1_keepdims", lambda m: lambda x: m.logsumexp(x, axis=1, keepdims=True)),
    ("logsumexp_b", lambda m: lambda x: m.logsumexp(x, axis=1, b=np.abs(B))),
    ("logsumexp_where", lambda m: lambda x: m.logsumexp(x, axis=1, where=MASK)),
    ("logsumexp_return_sign", lambda m: lambda x: m.logsumexp(x, axis=1, b=B, return_sign=True)),
]


@pytest.mark.parametrize("make", [n[1] for n in NORMALIZED], ids=[n[0] for n in NORMALIZED])
def test_normalized_exponentials_match_jax(make):
    mini, jax_fn = make(nn), make(jax.nn)
    first = lambda f: lambda x: f(x)[0] if isinstance(f(x), tuple) else f(x)
    value, want = jax.jit(lambda x: (jax_fn(x), jax.jacrev(first(jax_fn))(x)))(X)
    assert_like_jax(mini(X), value, "value", rtol=1e-13, atol=1e-15)
    assert_like_jax(ad.jacrev(first(mini))(X), want, "jacobian", rtol=1e-12, atol=1e-14)
    assert_like_jax(ad.jacfwd(first(mini))(X), want, "jacobian", rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["softmax_where", "log_softmax_axis0", "logsumexp_b"])
def test_normalized_exponential_hessians_match_jax(name):
    make = dict(NORMALIZED)[name]
    weights = np.random.default_rng(1).normal(size=np.shape(make(nn)(X)))
    weights = np.where(np.isinf(make(nn)(X)), 0.0, weights)  # masked-out -inf entries

    def scalar(m, f):
        return lambda x: m.sum(m.where(weights != 0, f(x), 0.0) * weights)

    want = jax.jit(jax.hessian(scalar(jnp, make(jax.nn))))(X)
    got = ad.hessian(scalar(mnp, make(nn)))(X)
    assert_like_jax(got, want, "hessian", rtol=1e-11, atol=1e-13)


def test_softmax_is_shift_invariant_and_overflow_free():
    big = np.array([1000.0, 1001.0, 999.0])
    np.testing.assert_allclose(nn.softmax(big), nn.softmax(big - 1000.0), rtol=1e-15)
    assert np.all(np.isfinite(ad.jacrev(nn.softmax)(big)))
    np.testing.assert_allclose(
        nn.logsumexp(big), 1001.0 + np.log1p(np.exp(-1) + np.exp(-2)), rtol=1e-15
    )


def test_logsumexp_negative_sum_without_sign_is_nan():
    out = nn.logsumexp(np.array([0.0, 0.0]), b=np.array([1.0, -2.0]))
    assert np.isnan(out)
    assert np.isnan(jax.jit(jax.nn.logsumexp)(jnp.array([0.0, 0.0]), b=jnp.array([1.0, -2.0])))


@pytest.mark.parametrize("axis", [-1, 0])
def test_one_hot_matches_jax(axis):
    labels = np.array([[0, 2, -1], [3, 1, 1]])  # -1 and 3 are out of range: zero rows
    want = jax.jit(lambda x: jax.nn.one_hot(x, 3, axis=axis))(labels)
    assert_like_jax(nn.one_hot(labels, 3, axis=axis), want, "one_hot")
    assert nn.one_hot(labels, 3, dtype=np.float32).dtype == np.float32


def test_gelu_exact_needs_erf():
    try:
        from mini_ad.scipy.special import erf  # noqa: F401
    except ImportError:
        with pytest.raises(NotImplementedError, match="erf"):
            nn.gelu(1.0, approximate=False)
    else:
        assert_like_jax(
            nn.gelu(POINTS, approximate=False), jax.nn.gelu(POINTS, approximate=False), "gelu"
        )


COMPOSITES = [
    ("cross_entropy", lambda x: -mnp.sum(nn.one_hot(np.array([1, 0, 3]), 4) * nn.log_softmax(x))),
    ("softmax_axis0", lambda x: nn.softmax(x, axis=0) * x),
    ("logsumexp_where", lambda x: nn.logsumexp(x, axis=0, where=MASK)),
    ("smooth_stack", lambda x: nn.gelu(nn.silu(x)) + nn.softplus(nn.selu(x + 3.0))),
]


@pytest.mark.parametrize("fun", [c[1] for c in COMPOSITES], ids=[c[0] for c in COMPOSITES])
def test_check_grads_third_order(fun):
    check_grads(fun, (X,), order=3, modes=("fwd", "rev"))


# --- regressions from the argument sweep ------------------------------------------------------


@pytest.mark.parametrize("name", ["relu", "relu6", "hard_sigmoid", "hard_silu"])
def test_piecewise_keep_nan_with_zero_derivative(name):
    # relu(nan) and relu6(nan) gave 0 (JAX's maximum/minimum propagate NaN)
    x = np.array([-1.0, 0.0, 3.0, 6.0, 7.0, np.nan])
    np.testing.assert_array_equal(getattr(nn, name)(x), getattr(jax.nn, name)(x))
    got = ad.vmap(ad.grad(getattr(nn, name)))(x)
    np.testing.assert_array_equal(got, jax.vmap(jax.grad(getattr(jax.nn, name)))(x))


def test_relu6_of_integers_is_float():
    x = np.array([-2, 3, 8])
    got, want = nn.relu6(x), jax.nn.relu6(x)
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("x", [[np.inf, 1.0], [np.inf, np.inf], [-np.inf, 0.0], [-np.inf, -np.inf]])
def test_softmax_with_infinities_as_jax(name, x):
    # softmax([inf, 1]) gave [nan, 0] and log_softmax [nan, -inf]; JAX: all NaN
    x = np.array(x)
    np.testing.assert_array_equal(getattr(nn, name)(x), getattr(jax.nn, name)(x))


@pytest.mark.parametrize("kwargs", [
    {}, {"return_sign": True}, {"b": np.array([1.0, -2.0, 0.5])},
    {"b": np.array([1.0, -2.0, 0.5]), "return_sign": True}])  # fmt: skip
def test_logsumexp_of_complex_input(kwargs):
    # the imaginary part was sign(sum)'s angle stand-in (-1j), not log of the complex sum
    z = np.array([1 + 1j, 2 - 1j, -0.5 + 3j])
    got = mss.logsumexp(z, **kwargs)
    want = jax.scipy.special.logsumexp(z, **kwargs)
    for g, w in zip(jax.tree.leaves(got), jax.tree.leaves(want), strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-13)


def test_logsumexp_zero_weight_drops_an_infinite_term():
    # a = [inf, 1], b = [0, 1] gave NaN (0 * exp(inf)); JAX drops zero-weight terms: 1.0
    a, b = np.array([np.inf, 1.0]), np.array([0.0, 1.0])
    assert float(nn.logsumexp(a, b=b)) == float(jax.nn.logsumexp(a, b=b)) == 1.0
