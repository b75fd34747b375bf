"""``mini_ad.scipy.stats`` at the edges the surface rows (``surface_rows_stats.py``) do not
draw: outside the support, at its ends, invalid parameters, the refusals, float32; each
value against JAX x64 (and SciPy where JAX follows it), derivatives where JAX's differ
from the plain composition.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.scipy.stats as mstats

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jstats = pytest.importorskip("jax.scipy.stats")

INF, NAN = np.inf, np.nan
# (module, function, arguments): points outside the support, at its ends, and invalid
# parameters; the value must equal JAX's (nan where JAX's is nan, the sign of inf too)
EDGES = [
    ("norm", "logcdf", (np.array([-40.0, 0.0, 40.0]),)),
    ("norm", "logsf", (np.array([-40.0, 0.0, 40.0]),)),
    ("expon", "logpdf", (np.array([-1.0, 0.0, 2.0]), 0.0, 1.0)),
    ("expon", "cdf", (np.array([-1.0, 0.0, 2.0]),)),
    ("expon", "ppf", (np.array([-0.5, 0.0, 1.0, 1.5, NAN]),)),
    ("uniform", "logpdf", (np.array([-0.1, 0.0, 1.0, 1.1]),)),
    ("uniform", "cdf", (np.array([-0.1, 0.0, 0.5, 1.0, 1.1]),)),
    ("uniform", "ppf", (np.array([-0.1, 0.0, 1.0, 1.1]),)),
    ("pareto", "logpdf", (np.array([0.5, 1.0, 2.0]), 2.0)),
    ("pareto", "cdf", (np.array([0.5, 1.0, 2.0]), 2.0)),
    ("pareto", "logcdf", (np.array([0.5, 1.0, 2.0]), 2.0)),
    ("pareto", "logsf", (np.array([0.5, 1.0, 2.0]), 2.0)),
    ("pareto", "ppf", (np.array([-0.1, 0.0, 0.5, 1.0, 1.1]), 2.0)),
    ("gumbel_l", "logpdf", (1.0, 0.0, np.array([-1.0, 0.0, 1.0]))),
    ("gumbel_r", "logsf", (np.array([-30.0, 0.0, 30.0]),)),
    ("gumbel_r", "ppf", (np.array([0.0, 0.5, 1.0]),)),
    ("gumbel_l", "ppf", (np.array([0.0, 0.5, 1.0]),)),
    ("chi2", "logpdf", (np.array([-1.0, 0.0, 1.0]), np.array([2.0, 2.0, 3.0]))),
    ("gamma", "logpdf", (np.array([-1.0, 0.0, 0.0, 1.0]), np.array([2.0, 1.0, 0.5, 2.0]))),
    ("beta", "logpdf", (np.array([-0.1, 0.0, 1.0, 0.5, 0.5]), np.array([1.0, 1.0, 1.0, 0.0, 2.0]),
                        np.array([1.0, 2.0, 1.0, 1.0, -1.0]))),  # fmt: skip
    ("truncnorm", "logpdf", (np.array([-2.0, 0.0, 0.5, 2.0]), -1.0, np.array([1.0, 1.0, -1.0, 1.0]))),
    ("truncnorm", "logcdf", (np.array([-2.0, -1.0, 0.99, 1.0, 2.0]), -1.0, 1.0)),
    ("truncnorm", "logpdf", (np.array([-9.0, -8.5]), -10.0, -8.0)),  # the left tail
    ("wrapcauchy", "logpdf", (np.array([-0.1, 0.0, 1.0, 7.0]), np.array([0.5, 0.0, 1.0, 0.5]))),
    ("bernoulli", "logpmf", (np.array([-1.0, 0.0, 1.0, 2.0]), 0.0)),
    ("bernoulli", "cdf", (np.array([-1.0, 0.0, 0.5, 1.0, NAN]), np.array([0.3, 0.3, 1.2, 0.3, 0.3]))),
    ("bernoulli", "ppf", (np.array([0.0, 0.7, 0.71, 1.0, 1.1]), 0.3)),
    ("binom", "logpmf", (np.array([-1.0, 0.0, 3.0, 4.0, 0.0]), np.array([3.0, 3.0, 3.0, 3.0, 0.0]), 0.4)),
    ("binom", "logpmf", (np.array([0.0, 3.0]), 3.0, np.array([0.0, 1.0]))),
    ("geom", "logpmf", (np.array([0.0, 1.0, 2.0]), np.array([0.5, 1.0, 0.5]))),
    ("nbinom", "logpmf", (np.array([-1.0, 0.0, 2.0]), 2.0, 0.5)),
    ("poisson", "logpmf", (np.array([-1.0, 0.0, 1.5, 2.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0, 1.0]))),
    ("betabinom", "logpmf", (np.array([-1.0, 0.0, 2.0, 4.0, 0.0]), np.array([3.0, 0.0, 3.0, 3.0, -1.0]),
                             2.0, np.array([1.0, 1.0, 0.0, 1.0, 1.0]))),  # fmt: skip
    ("dirichlet", "logpdf", (np.array([[0.5, 0.0, 0.6], [0.5, 1.0, 0.6]]), np.array([2.0, 2.0]))),
    ("gennorm", "logpdf", (np.array([0.0, 3.0]), np.array([0.5, 8.0]))),
]  # fmt: skip


@pytest.mark.parametrize(
    "dist,fn,args", EDGES, ids=[f"{d}.{f}-{i}" for i, (d, f, _) in enumerate(EDGES)]
)
def test_edge_values_equal_jax(dist, fn, args):
    mini = getattr(getattr(mstats, dist), fn)(*args)
    expected = jax.jit(getattr(getattr(jstats, dist), fn))(*args)  # one compilation
    np.testing.assert_allclose(mini, expected, rtol=1e-12, atol=0, equal_nan=True)
    assert np.asarray(mini).dtype == np.asarray(expected).dtype


@pytest.mark.parametrize("dist,fn,args", [
    ("norm", "logpdf", (0.5,)), ("gamma", "logpdf", (1.5, 2.0)), ("poisson", "logpmf", (2, 1.5)),
    ("truncnorm", "logcdf", (0.2, -1.0, 1.0)), ("beta", "pdf", (0.3, 2.0, 3.0)),
])  # fmt: skip
def test_float32_stays_float32(dist, fn, args):
    args32 = [np.float32(a) if isinstance(a, float) else a for a in args]
    out = getattr(getattr(mstats, dist), fn)(*args32)
    assert out.dtype == np.float32
    assert out.dtype == getattr(getattr(jstats, dist), fn)(*args32).dtype


def test_gumbel_derivative_in_scale_where_jax_raises():
    # JAX 0.10.2: xlogy(-1, scale) differentiates an integer constant and raises TypeError
    with pytest.raises(TypeError, match="float0"):
        jax.grad(jstats.gumbel_l.logpdf, argnums=2)(0.5, 0.1, 1.5)
    scipy_stats = pytest.importorskip("scipy.stats")
    eps = 1e-6
    for mini, ref in [
        (mstats.gumbel_l, scipy_stats.gumbel_l),
        (mstats.gumbel_r, scipy_stats.gumbel_r),
    ]:
        g = ad.grad(mini.logpdf, argnums=2)(0.5, 0.1, 1.5)
        fd = (ref.logpdf(0.5, 0.1, 1.5 + eps) - ref.logpdf(0.5, 0.1, 1.5 - eps)) / (2 * eps)
        np.testing.assert_allclose(g, fd, rtol=1e-7)


def test_poisson_entropy_gradient():
    # reverse mode is finite in every branch (forward mode is nan below 100, as in JAX)
    for mu in [0.5, 8.7, 50.0, 150.0]:  # away from the steps of the truncation (mu + 20 whole)
        g = ad.grad(mstats.poisson.entropy)(mu)
        np.testing.assert_allclose(g, jax.grad(jstats.poisson.entropy)(mu), rtol=1e-12)
        eps = 1e-5
        fd = (mstats.poisson.entropy(mu + eps) - mstats.poisson.entropy(mu - eps)) / (2 * eps)
        np.testing.assert_allclose(g, fd, rtol=1e-6)


def test_refusals_match_jax():
    with pytest.raises(ValueError, match="integer"):
        mstats.multinomial.logpmf(np.array([1.0, 1.0]), 2, np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match="one-dimensional"):
        mstats.dirichlet.logpdf(np.ones((2, 2)) / 2, np.ones((2, 2)))
    with pytest.raises(ValueError, match="one entry fewer"):
        mstats.dirichlet.logpdf(np.ones(4) / 4, np.ones(2))
    with pytest.raises(NotImplementedError):
        mstats.multivariate_normal.logpdf(np.zeros(2), np.zeros(2), np.eye(2), allow_singular=True)
    with pytest.raises(ValueError, match="incompatible shapes"):
        mstats.multivariate_normal.logpdf(np.zeros(2), np.zeros(2), np.eye(3))
    for fn in [mstats.mode, mstats.rankdata]:
        with pytest.raises(NotImplementedError):
            fn(np.ones(3), nan_policy="omit")
        with pytest.raises(ValueError):
            fn(np.ones(3), nan_policy="bad")
    with pytest.raises(ValueError):
        mstats.rankdata(np.ones(3), method="bad")
    with pytest.raises(ValueError):
        mstats.sem(np.ones(3), nan_policy="raise")


def test_nan_handling_of_rankdata_mode_sem():
    x = np.array([[1.0, NAN, 2.0, 2.0], [3.0, 1.0, 1.0, NAN]])
    np.testing.assert_array_equal(mstats.rankdata(x), jstats.rankdata(x))
    np.testing.assert_array_equal(mstats.rankdata(x, axis=1), jstats.rankdata(x, axis=1))
    np.testing.assert_allclose(mstats.sem(x, axis=1, nan_policy="omit"),
                               jstats.sem(x, axis=1, nan_policy="omit"), rtol=1e-14)  # fmt: skip
    nans = np.array([NAN, NAN, 1.0, 2.0, NAN])
    assert np.isnan(mstats.mode(nans).mode) and mstats.mode(nans).count == jstats.mode(nans).count


def test_jit_and_vmap_of_a_likelihood():
    data = np.array([0.3, -1.2, 0.8, 2.1])

    def nll(params):
        loc, log_scale = params[0], params[1]
        return -mstats.norm.logpdf(data, loc, ad.numpy.exp(log_scale)).sum()

    def jax_nll(params):
        return -jstats.norm.logpdf(data, params[0], jax.numpy.exp(params[1])).sum()

    params = np.array([0.1, 0.2])
    np.testing.assert_allclose(ad.jit(ad.grad(nll))(params), jax.grad(jax_nll)(params), rtol=1e-12)
    batch = np.array([[0.1, 0.2], [0.5, -0.3]])
    hessians = ad.vmap(ad.hessian(nll))(batch)
    np.testing.assert_allclose(hessians[1], ad.hessian(nll)(batch[1]), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("bw_method", [None, 0.7])
def test_gaussian_kde_against_jax_and_scipy(bw_method):
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(0)
    data, weights, points = rng.normal(size=(2, 7)), rng.uniform(0.5, 1, 7), rng.normal(size=(2, 3))
    mini = mstats.gaussian_kde(data, bw_method, weights)
    jkde = jstats.gaussian_kde(data, bw_method, weights)
    skde = scipy_stats.gaussian_kde(data, bw_method, weights)
    for method in ["evaluate", "pdf", "logpdf", "__call__"]:
        np.testing.assert_allclose(getattr(mini, method)(points), getattr(skde, method)(points),
                                   rtol=1e-13)  # fmt: skip
    other, jother = mstats.gaussian_kde(points), jstats.gaussian_kde(points)
    np.testing.assert_allclose(mini.integrate_kde(other), jkde.integrate_kde(jother), rtol=1e-13)
    mean, cov = np.array([0.1, -0.2]), np.array([[1.0, 0.2], [0.2, 0.5]])
    np.testing.assert_allclose(mini.integrate_gaussian(mean, cov),
                               skde.integrate_gaussian(mean, cov), rtol=1e-13)  # fmt: skip
    # the same draws as JAX's (same key: same indices and normals), to rounding
    np.testing.assert_allclose(mini.resample(ad.random.key(3), (4,)),
                               jkde.resample(jax.random.key(3), (4,)), rtol=1e-14)  # fmt: skip
    assert (mini.d, mini.n) == (jkde.d, jkde.n)
    np.testing.assert_allclose(mini.neff, jkde.neff, rtol=1e-14)


def test_gaussian_kde_transforms_and_refusals():
    data, points = np.array([-1.0, 0.0, 0.5, 2.0]), np.array([0.0, 1.0])
    kde = mstats.gaussian_kde(data)
    scipy_stats = pytest.importorskip("scipy.stats")
    np.testing.assert_allclose(mstats.gaussian_kde(data, "silverman").evaluate(points),
                               scipy_stats.gaussian_kde(data, "silverman").evaluate(points),
                               rtol=1e-13)  # fmt: skip
    np.testing.assert_allclose(kde.integrate_box_1d(-0.5, 1.0),
                               jstats.gaussian_kde(data).integrate_box_1d(-0.5, 1.0), rtol=1e-14)  # fmt: skip

    def loss(d):
        return mstats.gaussian_kde(d).logpdf(points).sum()

    def jax_loss(d):
        return jstats.gaussian_kde(d).logpdf(points).sum()

    np.testing.assert_allclose(ad.grad(loss)(data), jax.grad(jax_loss)(data), rtol=1e-12)
    jitted = ad.jit(lambda k, p: k.logpdf(p))(kde, points)  # a pytree argument
    np.testing.assert_allclose(jitted, kde.logpdf(points), rtol=1e-14)
    with pytest.raises(NotImplementedError):
        kde.integrate_box(0.0, 1.0)
    with pytest.raises(NotImplementedError):
        kde.set_bandwidth("scott")
    with pytest.raises(ValueError, match="multiple elements"):
        mstats.gaussian_kde(np.array([1.0]))
    with pytest.raises(ValueError, match="bw_method"):
        mstats.gaussian_kde(data, bw_method="bad")
    with pytest.raises(ValueError, match="dimension"):
        kde.evaluate(np.ones((2, 3)))
