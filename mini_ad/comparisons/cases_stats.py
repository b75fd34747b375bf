"""``np.scipy.stats`` (mini_ad.scipy.stats / jax.scipy.stats): likelihoods and
distribution functions as one writes them to fit parameters (category ``statistics``)."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

_DATA = onp.array([0.3, -1.2, 0.8, 2.1, -0.4])
_COUNTS = onp.array([0.0, 2.0, 1.0, 4.0, 3.0])


@case("statistics", A(2, lo=-0.5, hi=0.5))
def normal_and_t_likelihood(np, params):
    loc, log_scale = params[0], params[1]
    scale = np.exp(log_scale)
    stats = np.scipy.stats
    return np.sum(stats.norm.logpdf(_DATA, loc, scale) + stats.t.logpdf(_DATA, 3.0, loc, scale))


@case("statistics", A(3, lo=0.5, hi=2.0))
def gamma_poisson_likelihood(np, params):
    stats = np.scipy.stats
    a, rate, mu = params[0], params[1], params[2]
    return np.sum(stats.gamma.logpdf(_COUNTS + 0.5, a, 0.0, 1 / rate)) + np.sum(
        stats.poisson.logpmf(_COUNTS, mu) + stats.nbinom.logpmf(_COUNTS, a, mu / (1 + mu))
    )


@case("statistics", A(5, lo=-2.0, hi=2.0))
def cdfs_and_tails(np, x):
    stats = np.scipy.stats
    return (stats.norm.logcdf(x) + stats.norm.logsf(x, 0.5, 2.0) + stats.logistic.cdf(x)
            + stats.cauchy.sf(x) + stats.gumbel_r.logcdf(x) + stats.laplace.cdf(x, 0.1))  # fmt: skip


@case("statistics", A(4, lo=0.2, hi=3.0), order=1,
      note="gammainc is differentiable once in its shape, as in JAX")  # fmt: skip
def gamma_and_chi2_cdfs(np, x):
    stats = np.scipy.stats
    return stats.gamma.cdf(x, 1.5) * stats.chi2.sf(x, x + 1.0) + stats.norm.ppf(x / 4.0)


@case("statistics", A(3, lo=0.1, hi=0.9), A(3, lo=0.5, hi=2.0))
def truncnorm_beta_dirichlet(np, x, alpha):
    stats = np.scipy.stats
    simplex = x / np.sum(x)
    return (np.sum(stats.truncnorm.logpdf(x, -1.0, 1.5, 0.2, 0.8)) + stats.dirichlet.logpdf(simplex, alpha)
            + np.sum(stats.beta.logpdf(x, alpha, 2.0) + stats.binom.logpmf(2.0, 4.0, x)))  # fmt: skip


@case("statistics", A(3, 2), A(2))
def multivariate_normal_logpdf(np, x, mean):
    stats = np.scipy.stats
    cov = onp.array([[2.0, 0.3], [0.3, 0.5]])
    return stats.multivariate_normal.logpdf(x, mean, cov) + stats.multivariate_normal.logpdf(
        x, mean, 1.5
    )
