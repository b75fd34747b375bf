"""``mini_ad.scipy.stats.gamma``: the gamma distribution with shape ``a``, as
``jax.scipy.stats.gamma``.

>>> from mini_ad.scipy.stats import gamma
>>> print(round(float(gamma.pdf(1.0, 1.0)), 12))  # a = 1: exponential
0.367879441171
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]


@stats_function
def logpdf(x, a, loc=0, scale=1):
    """``(a - 1) log y - y - lgamma(a) - log scale`` with ``y = (x - loc)/scale``
    (``xlogy``: finite at ``y = 0`` for ``a = 1``); ``-inf`` below ``loc``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(gamma.logpdf(0.0, 1.0, loc=0.0, scale=1.0), gamma.logpdf(-1.0, 2.0, loc=0.0, scale=1.0))
      0.0 -inf
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    ok = x >= loc
    y = mnp.where(ok, (x - loc) / scale, mnp.ones_like(x))
    log_probs = special.xlogy(a - 1, y) - y - (special.gammaln(a) + mnp.log(scale))
    return mnp.where(ok, log_probs, -np.inf)


@stats_function
def pdf(x, a, loc=0, scale=1):
    """The gamma density ``exp(logpdf(x, a, loc, scale))``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(round(float(gamma.pdf(2.0, 2.0, loc=0.0, scale=1.0)), 12))
      0.270670566473
    """
    return mnp.exp(logpdf(x, a, loc, scale))


@stats_function
def cdf(x, a, loc=0, scale=1):
    """``P(a, y)``, the regularized lower incomplete gamma function (``special.gammainc``)
    at ``y = (x - loc)/scale`` clamped to ``[0, inf]``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(round(float(gamma.cdf(1.0, 1.0, loc=0.0, scale=1.0)), 12))
      0.632120558829
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    y = lax.clamp(mnp.zeros_like(x), (x - loc) / scale, mnp.full_like(x, np.inf))
    return special.gammainc(a, y)


@stats_function
def logcdf(x, a, loc=0, scale=1):
    """``log(cdf(x, a, loc, scale))``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(round(float(gamma.logcdf(1.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.458675145387
    """
    return mnp.log(cdf(x, a, loc, scale))


@stats_function
def sf(x, a, loc=0, scale=1):
    """``Q(a, y) = 1 - P(a, y)`` (``special.gammaincc``); 1 below ``loc``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(round(float(gamma.sf(1.0, 1.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    y = (x - loc) / scale
    return mnp.where(y < 0, mnp.ones_like(y), special.gammaincc(a, y))


@stats_function
def logsf(x, a, loc=0, scale=1):
    """``log(sf(x, a, loc, scale))``.

    Args:
      x: where to evaluate; a: the shape; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gamma
      >>> print(round(float(gamma.logsf(2.0, 1.0, loc=0.0, scale=1.0)), 12))
      -2.0
    """
    return mnp.log(sf(x, a, loc, scale))
