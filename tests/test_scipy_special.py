"""``mini_ad.scipy.special`` against ``jax.scipy.special`` (x64), mpmath (40 digits) and
finite differences.

* values and first and second derivatives equal JAX's on several domains per function,
  where JAX itself is accurate (its log_ndtr, erfinv near ±1, lgamma near its zeros and
  polygamma of even order at negative x are not; mpmath is the reference there);
* values are within a few ulps of mpmath, plus the error that rounding the input alone
  causes (condition number × ulp);
* ``check_grads`` to order 2 (finite differences), vmap equals a Python loop, edge values
  and edge derivatives (poles, ±inf, nan, 0, xlogy(0, 0), ...) equal JAX's.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from batching_checks import check_batched_like_loop

import mini_ad as ad
import mini_ad.nn as nn
import mini_ad.numpy as mnp
import mini_ad.scipy.special as msp
from mini_ad.primitives import special
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy
jsp = pytest.importorskip("jax.scipy.special")

RTOL = 1e-13  # values: both libraries are accurate to ~1e-14 on these domains
DERIVATIVE_RTOL, DERIVATIVE_ATOL = 1e-12, 1e-14


def points(lo, hi, n=64, seed=0):
    return np.random.default_rng(seed).uniform(lo, hi, n)


def log_points(lo, hi, n=64, seed=0):
    return np.exp(points(math.log(lo), math.log(hi), n, seed))


# --- values and derivatives against JAX ------------------------------------------------------

# (function name, domain): JAX's n-th derivatives are compared too, on the same points
DOMAINS = [
    ("erf", points(-0.6, 0.6)), ("erf", points(-6, 6)), ("erfc", points(-6, 6)),
    ("erfc", points(0.5, 26)), ("erfinv", points(-1, 1)),
    ("gammaln", points(0.01, 0.9)), ("gammaln", points(2.5, 50)),
    ("gammaln", log_points(50, 1e300)), ("digamma", points(0.01, 1.2)),
    ("digamma", points(2, 100)), ("expit", points(-3, 30)), ("logit", points(0.01, 0.99)),
    ("ndtr", points(-8, 8)), ("log_ndtr", points(-8, 1)), ("entr", points(0.01, 5)),
]  # fmt: skip
# log_ndtr'' = -r (x + r) with r = φ/Φ -> -x - 1/x cancels for x << 0 (in JAX's rule and
# here): below -8 the two agree only to ~1e-11, and its values are compared with mpmath.


def _elementwise_derivatives(f, x, grad, vmap):
    return vmap(grad(f))(x), vmap(grad(grad(f)))(x)


@pytest.mark.parametrize("name, x", DOMAINS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(DOMAINS)])
def test_values_and_derivatives_match_jax(name, x):
    f, jf = getattr(msp, name), getattr(jsp, name)
    np.testing.assert_allclose(f(x), jf(x), rtol=RTOL, atol=0, err_msg=f"{name} value")
    mini = _elementwise_derivatives(f, x, ad.grad, ad.vmap)
    want = jax.jit(lambda x: _elementwise_derivatives(jf, x, jax.grad, jax.vmap))(x)
    for order, (got, expected) in enumerate(zip(mini, want, strict=True), start=1):
        if name == "gammaln" and order == 1 and x.min() < 1:
            continue  # ψ crosses 0 at 1.46; digamma's accuracy is tested on its own
        np.testing.assert_allclose(
            got, expected, rtol=DERIVATIVE_RTOL, atol=DERIVATIVE_ATOL, err_msg=f"{name}^({order})"
        )


def test_expit_left_tail_matches_jax():
    x = points(-30, -3)
    np.testing.assert_allclose(msp.expit(x), jsp.expit(x), rtol=RTOL)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 6])
def test_polygamma_matches_jax(n):
    x = np.concatenate([points(0.05, 30), log_points(30, 1e6)])
    np.testing.assert_allclose(msp.polygamma(n, x), jsp.polygamma(n, x), rtol=RTOL)
    mini = ad.vmap(ad.grad(lambda v: msp.polygamma(n, v)))(x)
    want = jax.vmap(jax.grad(lambda v: jsp.polygamma(n, v)))(x)
    np.testing.assert_allclose(mini, want, rtol=DERIVATIVE_RTOL)
    odd = np.array([1, 3, 5])  # an array of orders, broadcast against x
    np.testing.assert_allclose(
        msp.polygamma(odd, x[:, None]), jsp.polygamma(odd, x[:, None]), rtol=RTOL
    )


def test_negative_arguments_match_jax():  # JAX's polygamma is wrong there (mpmath below)
    x = points(-10, 0, 200, seed=3)
    x = x[np.abs(x - np.round(x)) > 0.05]  # away from the poles
    gl, dg = msp.gammaln(x), msp.digamma(x)
    # both cross zero on (-10, 0): absolute error, relative to the size of the terms
    np.testing.assert_allclose(gl, jsp.gammaln(x), rtol=RTOL, atol=1e-14 * np.max(np.abs(gl)))
    np.testing.assert_allclose(dg, jsp.digamma(x), rtol=RTOL, atol=1e-14 * np.max(np.abs(dg)))


# --- accuracy against mpmath ----------------------------------------------------------------------

mp = pytest.importorskip("mpmath")


@pytest.fixture(autouse=True)
def _mpmath_digits():
    """mpmath's working precision for this module's tests (40 digits), set
    per test and restored: a module-level ``mp.dps = ...`` runs at collection, so the
    last module collected would set it for every test."""
    with mp.workdps(40):
        yield


# name: (mini_ad function, mpmath value, mpmath derivative)
REFERENCE = {
    "erf": (msp.erf, mp.erf, lambda x: 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    "erfc": (msp.erfc, mp.erfc, lambda x: -2 / mp.sqrt(mp.pi) * mp.exp(-x * x)),
    "erfinv": (msp.erfinv, mp.erfinv, lambda y: mp.sqrt(mp.pi) / 2 * mp.exp(mp.erfinv(y) ** 2)),
    "gammaln": (msp.gammaln, lambda x: mp.re(mp.loggamma(x)), mp.digamma),
    "digamma": (msp.digamma, mp.digamma, lambda x: mp.polygamma(1, x)),
    "trigamma": (lambda x: msp.polygamma(1, x), lambda x: mp.polygamma(1, x), lambda x: mp.polygamma(2, x)),
    "polygamma2": (lambda x: msp.polygamma(2, x), lambda x: mp.polygamma(2, x), lambda x: mp.polygamma(3, x)),
    "polygamma7": (lambda x: msp.polygamma(7, x), lambda x: mp.polygamma(7, x), lambda x: mp.polygamma(8, x)),
    "ndtr": (msp.ndtr, mp.ncdf, mp.npdf),
    "log_ndtr": (msp.log_ndtr, lambda x: mp.log(mp.ncdf(x)), lambda x: mp.npdf(x) / mp.ncdf(x)),
}  # fmt: skip

MP_DOMAINS = [
    ("erf", points(-6, 6)), ("erf", log_points(1e-300, 1)), ("erfc", points(-6, 27)),
    ("erfinv", points(-1, 1)), ("erfinv", 1 - log_points(1e-16, 1e-3)),
    ("erfinv", log_points(1e-300, 1e-3)), ("gammaln", points(0, 10)), ("gammaln", points(0.9, 2.1)),
    ("gammaln", log_points(1e-300, 1e300)), ("gammaln", points(-30, 0)),
    ("digamma", points(0, 30)), ("digamma", points(1.3, 1.6)), ("digamma", log_points(1e-300, 1e300)),
    ("digamma", points(-30, 0)), ("trigamma", points(0, 30)), ("trigamma", log_points(1e-100, 1e150)),
    ("trigamma", points(-30, 0)), ("polygamma2", points(0, 30)), ("polygamma2", points(-30, 0)),
    ("polygamma7", points(0, 30)), ("polygamma7", points(-30, 0)), ("ndtr", points(-37, 8)),
    ("log_ndtr", points(-1e3, 30)), ("log_ndtr", points(-30, 10)),
]  # fmt: skip


@pytest.mark.parametrize(
    "name, x", MP_DOMAINS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(MP_DOMAINS)]
)
def test_accuracy_against_mpmath(name, x):
    """Relative error <= 2e-15 + cond(x) ulp/2 per rounding of the argument, where
    cond = |x f'(x) / f(x)| (it matters only near zeros and poles of f, and in the tails of
    erfc and ndtr). ndtr rounds twice: erfc's argument is x times a rounded 1/√2, as in JAX
    (so its error grows like x² ulp, 1.3e-13 at x = -30)."""
    fun, value, derivative = REFERENCE[name]
    roundings = 2 if name == "ndtr" else 1
    got = fun(x)
    for xi, gi in zip(x, got, strict=True):
        want = value(mp.mpf(xi))
        if abs(want) < 1e-300:  # subnormal results carry fewer digits
            continue
        error = abs((mp.mpf(float(gi)) - want) / want)
        cond = abs(xi * derivative(mp.mpf(xi)) / want)
        bound = 2e-15 + roundings * 1.1e-16 * cond
        assert error <= bound, f"{name}({xi!r}) = {gi!r}, want {want}"


def test_gamma_against_jax_and_mpmath():
    """Γ = gammasgn exp(gammaln), as in JAX: its relative error is gammaln's absolute error."""
    x = np.concatenate([points(-10, 10, 200), points(10, 171.6, 100)])
    x = x[np.abs(x - np.round(x)) > 0.01]
    np.testing.assert_allclose(
        msp.gamma(x[np.abs(x) < 10]), jsp.gamma(x[np.abs(x) < 10]), rtol=RTOL
    )
    np.testing.assert_array_equal(msp.gammasgn(x), jsp.gammasgn(x))
    for xi, gi in zip(x, msp.gamma(x), strict=True):
        want = mp.gamma(mp.mpf(xi))
        bound = 1.1e-15 * (1 + abs(float(mp.log(abs(want)))))
        assert abs((mp.mpf(float(gi)) - want) / want) <= bound, f"gamma({xi!r})"
    mini = ad.vmap(ad.grad(msp.gamma))(x[np.abs(x) < 10])
    want = jax.vmap(jax.grad(jsp.gamma))(x[np.abs(x) < 10])
    np.testing.assert_allclose(mini, want, rtol=DERIVATIVE_RTOL)


# --- finite differences and vmap ------------------------------------------------------------------

X = np.array([[0.3, 1.7, 2.5], [4.0, 0.8, 11.0]])
U = np.array([[-0.9, -0.3, 0.1], [0.45, 0.7, 0.95]])  # in (-1, 1)
GRAD_CASES = [
    ("erf", msp.erf, (X - 2,)), ("erfc", msp.erfc, (X - 2,)), ("erfinv", msp.erfinv, (U,)),
    ("gammaln", msp.gammaln, (X,)), ("gammaln-negative", msp.gammaln, (-X - 0.35,)),
    ("digamma", msp.digamma, (X,)), ("polygamma", lambda x: msp.polygamma(2, x), (X,)),
    ("expit", msp.expit, (X - 2,)), ("logit", msp.logit, ((U + 2) / 4,)),
    ("xlogy", msp.xlogy, (X - 2, X)), ("xlog1py", msp.xlog1py, (X - 2, U)),
    ("entr", msp.entr, (X,)), ("ndtr", msp.ndtr, (X - 2,)), ("gamma", msp.gamma, (X / 2 - np.array([2.4, 2.7, 2.9]),)),
    ("rel_entr", msp.rel_entr, (X, X.T.reshape(X.shape))), ("kl_div", msp.kl_div, (X, X[::-1])),
    ("log_ndtr", msp.log_ndtr, (np.array([-25.0, -21.0, -3.0, 0.5, 3.0, 6.0]),)),
    ("logsumexp", lambda x: msp.logsumexp(x, axis=1, b=X), (U,)),
    ("softmax", lambda x: msp.softmax(x) * X, (U,)),
    ("log_softmax", lambda x: msp.log_softmax(x, axis=0) * X, (U,)),
    ("gelu", lambda x: nn.gelu(x, approximate=False), (X - 2,)),
]  # fmt: skip


@pytest.mark.parametrize("name, f, args", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_check_grads_to_order_2(name, f, args):
    check_grads(f, args, order=2)


@pytest.mark.parametrize(
    "f, operands",
    [
        (msp.erf, [points(-3, 3, 4, s) for s in range(3)]),
        (msp.erfinv, [points(-1, 1, 4, s) for s in range(3)]),
        (msp.gammaln, [points(-3, 5, 4, s) for s in range(3)]),
        (ad.grad(msp.digamma), [points(0.1, 5, 1, s)[0] for s in range(3)]),
        (msp.log_ndtr, [points(-30, 5, 4, s) for s in range(3)]),
    ],
)
def test_vmap_equals_a_loop(f, operands):
    check_batched_like_loop(f, [[x] for x in operands], (0,), [0])


def test_vmap_polygamma_over_orders_and_points():
    examples = [[np.array([0, 1, 3])[s], points(0.2, 4, 5, s)] for s in range(3)]
    check_batched_like_loop(msp.polygamma, examples, (0, 1), [0, 0])
    check_batched_like_loop(msp.polygamma, examples, (1,), [0, -1])


# --- edges ----------------------------------------------------------------------------------------

EDGES = np.array(
    [-np.inf, -1e300, -3.0, -2.5, -1.0, -0.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 1.0, 2.0,
     27.0, 1e10, 1e300, np.inf, np.nan]
)  # fmt: skip


def assert_same(got, want, what):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype, what
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=0, equal_nan=True, err_msg=what)
    zeros = (got == 0) & (want == 0)
    assert (np.signbit(got[zeros]) == np.signbit(want[zeros])).all(), f"{what}: sign of 0"


@pytest.mark.parametrize(
    "name",
    ["erf", "erfc", "erfinv", "gammaln", "digamma", "expit", "logit", "ndtr", "entr", "gammasgn"],
)
def test_edge_values_match_jax(name):
    x = EDGES[EDGES != 27.0] if name == "erfc" else EDGES  # JAX flushes erfc(27) to 0
    assert_same(getattr(msp, name)(x), getattr(jsp, name)(x), name)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4])
def test_polygamma_edge_values_match_jax(n):
    """+inf at the poles for odd n, nan for even n; nan at +inf (JAX's convention).
    (JAX underflows polygamma(1, 1e300) = 1e-300 to 0 and loses digits at -2.5.)"""
    x = EDGES[(EDGES != 1e300) & (EDGES != -2.5)]
    assert_same(msp.polygamma(n, x), jsp.polygamma(n, x), f"polygamma({n})")
    assert np.isnan(msp.polygamma(-1, 2.0))


def test_log_ndtr_edges():
    x = np.array([-np.inf, -1e10, -40.0, 0.0, 40.0, np.inf, np.nan])
    assert_same(msp.log_ndtr(x), jsp.log_ndtr(x), "log_ndtr")


XLOG_EDGES = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (2.0, -1.0), (0.0, np.nan)]


@pytest.mark.parametrize("name", ["xlogy", "xlog1py", "rel_entr", "kl_div"])
@pytest.mark.parametrize("x, y", XLOG_EDGES + [(-1.0, 1.0), (1.0, -1.0), (2.0, 3.0)])
def test_xlogy_edges_and_their_gradients_match_jax(name, x, y):
    f, jf = getattr(msp, name), getattr(jsp, name)
    assert_same(f(x, y), jf(x, y), f"{name}({x}, {y})")
    for got, want in zip(ad.grad(f, (0, 1))(x, y), jax.grad(jf, (0, 1))(x, y), strict=True):
        assert_same(got, np.asarray(want), f"grad {name}({x}, {y})")


@pytest.mark.parametrize(
    "name, x",
    [("entr", 0.0), ("entr", -1.0), ("entr", 0.5), ("logit", 0.0), ("logit", 1.0),
     ("erfinv", 1.0), ("erfinv", -1.0), ("gammaln", 0.0), ("gammaln", -2.0), ("digamma", -1.0),
     ("erf", np.inf), ("log_ndtr", -np.inf)],
)  # fmt: skip
def test_edge_gradients_match_jax(name, x):
    got = ad.grad(getattr(msp, name))(x)
    assert_same(got, np.asarray(jax.grad(getattr(jsp, name))(x)), f"grad {name}({x})")


# --- dtypes, errors, staging and the JAX bridge ---------------------------------------------------


def test_dtypes_follow_numpy():
    x32 = np.array([0.25, 1.5, -2.5], np.float32)
    for f in (msp.erf, msp.erfc, msp.gammaln, msp.digamma, lambda x: msp.polygamma(1, x)):
        # the primitives compute in float64 and round once
        np.testing.assert_array_equal(f(x32), f(x32.astype(np.float64)).astype(np.float32))
        assert f(x32).dtype == np.float32
    for f in (msp.ndtr, msp.log_ndtr):  # compositions compute in float32, as JAX's do
        assert f(x32).dtype == np.float32
        np.testing.assert_allclose(f(x32), f(x32.astype(np.float64)), rtol=1e-6)
    assert msp.gammaln(np.array([1, 2, 3])).dtype == np.float64  # NumPy: int64 -> float64
    assert msp.erf(0.5).dtype == np.float64 and isinstance(msp.erf(0.5), np.ndarray)


def test_errors():
    with pytest.raises(ValueError, match="integer type"):
        msp.polygamma(1.0, 2.0)
    with pytest.raises(TypeError, match="real floating"):
        msp.erf(np.array([1 + 1j]))
    with pytest.raises(ValueError, match="with respect to m"):
        ad.grad(lambda m: special.polygamma(m, np.float64(2.0)))(1.0)


def test_jaxprs_read_like_jax():
    text = str(ad.make_jaxpr(ad.grad(msp.digamma))(2.0))
    assert "polygamma 1.0:f64[] a" in text, text
    assert "lgamma" in str(ad.make_jaxpr(msp.gammaln)(2.0))
    f = lambda x: msp.erfinv(msp.erf(x)) + msp.gammaln(x)
    np.testing.assert_allclose(ad.jit(f)(X), f(X), rtol=1e-15)


def test_against_jax_through_the_bridge():
    from mini_ad.interop.compare import check_against_jax

    def gamma_negative_log_likelihood(shape, x):
        terms = msp.gammaln(shape) - (shape - 1) * mnp.log(x) + x
        return mnp.sum(terms) + mnp.sum(msp.log_ndtr(x - 3) + msp.erfc(x / 4))

    check_against_jax(gamma_negative_log_likelihood, X + 0.5, X)


def test_logsumexp_and_softmax_match_jax():
    a, b = U, np.array([[1.0, -2.0, 0.5], [0.1, 0.2, 0.3]])
    for kwargs in [{}, {"axis": 1}, {"axis": (0, 1), "keepdims": True}, {"b": b, "axis": 0}]:
        got, want = msp.logsumexp(a, **kwargs), jsp.logsumexp(a, **kwargs)
        assert_same(got, np.asarray(want), f"logsumexp {kwargs}")
    got = msp.logsumexp(a, axis=1, b=b, return_sign=True)
    want = jsp.logsumexp(a, axis=1, b=b, return_sign=True)
    for g, w in zip(got, want, strict=True):
        assert_same(g, np.asarray(w), "logsumexp return_sign")
    for name in ("softmax", "log_softmax"):
        for kwargs in [{}, {"axis": 0}]:
            got, want = getattr(msp, name)(a, **kwargs), getattr(jsp, name)(a, **kwargs)
            np.testing.assert_allclose(got, want, rtol=1e-14, err_msg=f"{name} {kwargs}")
