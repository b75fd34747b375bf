"""Accuracy of the gamma/beta/zeta family over wide domains, against mpmath (40 digits) or
SciPy where SciPy is accurate (it is not for betaln with a large argument, erfcinv of
subnormals, nor for gammainc deep in its tails): relative error 1e-13 or better, except
where documented in the docstrings (far tails, where the error grows with the
conditioning). Also JAX's edge values and derivative refusals.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special as ss

import mini_ad as ad
import mini_ad.scipy.special as msp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jsp = pytest.importorskip("jax.scipy.special")


@pytest.fixture(autouse=True)
def _mpmath_digits():
    """mpmath's working precision for this module's tests (40 digits), set
    per test and restored: a module-level ``mp.dps = ...`` runs at collection, so the
    last module collected would set it for every test."""
    with mpmath.workdps(40):
        yield


RNG = np.random.default_rng(0)


def rel_err(got, want):
    got, want = np.asarray(got, float), np.asarray(want, float)
    return np.max(np.where(got == want, 0.0, np.abs(got / want - 1)))


def _mp_p(a, x):  # the series x^a e^-x / Γ(a+1) 1F1(1; a+1; x)
    a, x = mpmath.mpf(a), mpmath.mpf(x)
    return mpmath.exp(a * mpmath.log(x) - x - mpmath.loggamma(a + 1)) * mpmath.hyp1f1(
        1, a + 1, x, maxterms=10**6
    )


@pytest.mark.parametrize("lo, hi", [(-3, 0), (0, 2), (2, 4)])
def test_gammainc_against_mpmath(lo, hi):
    a = 10 ** RNG.uniform(lo, hi, 40)
    x = a * np.exp(RNG.normal(size=40) * (1 / np.sqrt(a) + 0.2))
    p_mp = [_mp_p(u, v) for u, v in zip(a, x, strict=True)]
    p_ref, q_ref = np.array([float(p) for p in p_mp]), np.array([float(1 - p) for p in p_mp])
    # the condition number in x is |x - a|: that many ulps is what rounding x costs
    bound = 2e-14 + 4 * np.abs(x - a) * 2.2e-16
    assert np.all(np.abs(msp.gammainc(a, x) / p_ref - 1) <= bound)
    tested = q_ref > 1e-20  # 1 - P at 40 digits is accurate to 1e-20 relative there
    assert np.all((np.abs(msp.gammaincc(a, x) / q_ref - 1) <= bound)[tested])


def test_gammaincc_small_a_has_no_cancellation():
    a, x = np.array([1e-3, 0.01, 0.3]), np.array([0.5, 1.5, 1.2])
    want = [
        float(mpmath.gammainc(u, v, mpmath.inf, regularized=True))
        for u, v in zip(a, x, strict=True)
    ]
    assert rel_err(msp.gammaincc(a, x), want) < 1e-14


def test_igamma_grad_a_and_random_gamma_grad_against_mpmath_and_jax():
    a, x = 10 ** RNG.uniform(-1, 2, 6), 10 ** RNG.uniform(-1, 2, 6)
    want = [float(mpmath.diff(lambda s: _mp_p(s, v), u)) for u, v in zip(a, x, strict=True)]
    np.testing.assert_allclose(lax.igamma_grad_a(a, x), want, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(lax.igamma_grad_a(a, x), jax.lax.igamma_grad_a(a, x), rtol=1e-11)
    np.testing.assert_allclose(
        lax.random_gamma_grad(a, x), jax.lax.random_gamma_grad(a, x), rtol=1e-11
    )


@pytest.mark.parametrize("lo, hi", [(-2, 0), (0, 2), (2, 4)])
def test_betainc_against_scipy(lo, hi):
    a, b = 10 ** RNG.uniform(lo, hi, 300), 10 ** RNG.uniform(lo, hi, 300)
    m = a / (a + b)
    x = np.clip(m + RNG.normal(size=300) * np.sqrt(m * (1 - m) / (a + b + 1)), 1e-6, 1 - 1e-6)
    assert rel_err(msp.betainc(a, b, x), ss.betainc(a, b, x)) < 5e-13


def test_betaln_with_a_large_argument_against_mpmath():
    a, b = 10 ** RNG.uniform(-3, 3, 30), 10 ** RNG.uniform(3, 12, 30)
    want = [float(mpmath.log(mpmath.beta(u, v))) for u, v in zip(a, b, strict=True)]
    assert rel_err(msp.betaln(a, b), want) < 1e-13


def test_zeta_against_scipy():
    s = np.concatenate([RNG.uniform(1.001, 30, 300), 10 ** RNG.uniform(0.01, 2.3, 200)])
    q = 10 ** RNG.uniform(-3, 4, 500)
    ref = ss.zeta(s, q)
    normal = ref > 1e-300
    assert rel_err(msp.zeta(s, q)[normal], ref[normal]) < 5e-14
    s, q = RNG.integers(2, 12, 100).astype(float), RNG.uniform(-30, 0, 100)
    assert rel_err(msp.zeta(s, q), ss.zeta(s, q)) < 1e-13


def test_zeta_derivative_in_x_against_mpmath():
    s, q = RNG.uniform(1.2, 8, 10), RNG.uniform(0.1, 5, 10)
    got = ad.vmap(ad.grad(msp.zeta))(s, q)
    want = [float(mpmath.zeta(u, v, 1)) for u, v in zip(s, q, strict=True)]
    assert rel_err(got, want) < 1e-12


def test_erfcx_ndtri_erfcinv():
    x = np.concatenate([RNG.uniform(-26, 26, 1000), 10 ** RNG.uniform(-5, 300, 200)])
    cond = (
        np.maximum(2 * np.minimum(x, 1e10) ** 2, 1) * 2.3e-16
    )  # erfcx's condition number times an ulp
    assert np.all(np.abs(msp.erfcx(x) / ss.erfcx(x) - 1) <= 4 * cond)
    y = np.concatenate([10 ** RNG.uniform(-300, 0, 500), RNG.uniform(0, 2, 500)])
    assert rel_err(msp.erfcinv(y), ss.erfcinv(y)) < 1e-14
    p = np.concatenate([10 ** RNG.uniform(-300, -1, 300), RNG.uniform(0, 1, 300)])
    assert rel_err(msp.ndtri(p), ss.ndtri(p)) < 2e-15
    tiny = 1.2e-320  # SciPy's erfcinv loses digits on subnormals; mpmath does not
    log_tiny = mpmath.log(mpmath.mpf(tiny))
    want = float(mpmath.findroot(lambda t: mpmath.log(mpmath.erfc(t)) - log_tiny, 27))
    assert rel_err(msp.erfcinv(tiny), want) < 1e-15


def test_edges_match_jax():
    a = np.array([0.0, 0.0, 1.0, 1.0, -1.0, 2.0, 2.0, np.inf, 2.0, np.nan, 3.0])
    x = np.array([0.0, 1.0, 0.0, np.inf, 1.0, -1.0, np.nan, 2.0, 1e-300, 1.0, 0.0])
    for name in ["igamma", "igammac"]:
        np.testing.assert_array_equal(getattr(lax, name)(a, x), getattr(jax.lax, name)(a, x))
    a, b = np.array([1.0, 0.0, 2.0, 2.0, -1.0, 2.0, 2.0, 0.0]), np.array([1.0, 1, 0, 3, 2, 3, 3, 0])
    x = np.array([0.5, 0.5, 0.5, -0.1, 0.5, 0.0, 1.0, 0.5])
    np.testing.assert_array_equal(msp.betainc(a, b, x), jsp.betainc(a, b, x))
    s = np.array([2.0, 1.0, 0.5, 3.0, 3.0, 2.0, 2.5, np.inf, 2.0])
    q = np.array([1.0, 1.0, 1.0, 0.0, -1.0, -0.5, -0.5, 2.0, np.inf])
    np.testing.assert_allclose(msp.zeta(s, q), jsp.zeta(s, q), rtol=1e-14)
    e = np.array([-30.0, 0.0, 1e300, np.inf, -np.inf, np.nan])
    np.testing.assert_allclose(msp.erfcx(e), jsp.erfcx(e), rtol=1e-14)


def test_refusals_match_jax():
    with pytest.raises(ValueError, match="Betainc gradient with respect to a and b"):
        ad.grad(msp.betainc)(2.0, 3.0, 0.4)
    with pytest.raises(NotImplementedError, match="igamma_grad_a"):
        ad.grad(lax.igamma_grad_a)(2.0, 1.0)
    with pytest.raises(NotImplementedError, match="zeta"):
        ad.grad(lax.zeta)(2.0, 1.0)
    with pytest.raises(NotImplementedError, match="Riemann zeta"):
        msp.zeta(2.0)
    with pytest.raises(NotImplementedError, match="exact=True"):
        msp.factorial(3.0, exact=True)


def test_float32_is_kept():
    x = np.float32(1.5)
    for f, args in [(msp.gammainc, (x, x)), (msp.betainc, (x, x, np.float32(0.3))),
                    (msp.zeta, (np.float32(2.5), x)), (msp.ndtri, (np.float32(0.2),)),
                    (msp.erfcx, (x,)), (msp.erfcinv, (x,))]:  # fmt: skip
        assert np.asarray(f(*args)).dtype == np.float32
