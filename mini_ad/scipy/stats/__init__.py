"""``mini_ad.scipy.stats``: ``jax.scipy.stats``'s distributions, one submodule each
(``norm.logpdf``, ``gamma.pdf``, ``poisson.logpmf``, ...), written with
``mini_ad.numpy`` and ``mini_ad.scipy.special`` so that every transform applies.

Arguments broadcast; integers become float64 and float32 stays float32. Outside the
support a log-density is ``-inf``; invalid parameters give nan where JAX gives nan.

>>> import mini_ad as ad
>>> from mini_ad.scipy.stats import norm
>>> print(ad.grad(norm.logpdf)(1.0))  # d/dx -x²/2
-1.0
"""

from mini_ad.scipy.stats import (  # noqa: F401
    bernoulli,
    beta,
    betabinom,
    binom,
    cauchy,
    chi2,
    dirichlet,
    expon,
    gamma,
    gennorm,
    geom,
    gumbel_l,
    gumbel_r,
    laplace,
    logistic,
    multinomial,
    multivariate_normal,
    nbinom,
    norm,
    pareto,
    poisson,
    t,
    truncnorm,
    uniform,
    vonmises,
    wrapcauchy,
)
from mini_ad.scipy.stats._core import mode, rankdata, sem
from mini_ad.scipy.stats.kde import gaussian_kde

__all__ = [
    "gaussian_kde", "mode", "rankdata", "sem",
    "bernoulli", "beta", "betabinom", "binom", "cauchy", "chi2", "dirichlet", "expon",
    "gamma", "gennorm", "geom", "gumbel_l", "gumbel_r", "laplace", "logistic", "multinomial",
    "multivariate_normal", "nbinom", "norm", "pareto", "poisson", "t", "truncnorm",
    "uniform", "vonmises", "wrapcauchy",
]  # fmt: skip
