"""``mini_ad.scipy.stats.expon``: the exponential distribution, as
``jax.scipy.stats.expon`` (density ``exp(-(x - loc)/scale)/scale`` for ``x >= loc``).

>>> from mini_ad.scipy.stats import expon
>>> print(expon.cdf(-1.0))
0.0
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-(x - loc)/scale - log scale`` for ``x >= loc``, ``-inf`` below.

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(expon.logpdf(2.0, loc=1.0, scale=1.0), expon.logpdf(0.0, loc=1.0, scale=1.0))
      -1.0 -inf
    """
    x, loc, scale = promote(x, loc, scale)
    log_probs = -((x - loc) / scale + mnp.log(scale))
    return mnp.where(x < loc, -np.inf, log_probs)


@stats_function
def pdf(x, loc=0, scale=1):
    """The exponential density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(expon.pdf(0.0, loc=0.0, scale=2.0))
      0.5
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """``1 - exp(-(x - loc)/scale)`` (as ``-expm1``) for ``x >= loc``, 0 below.

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(f"{float(expon.cdf(1e-20, loc=0.0, scale=1.0)):.3e}")
      1.000e-20
    """
    x, loc, scale = promote(x, loc, scale)
    neg_z = (loc - x) / scale
    return mnp.where(x < loc, mnp.zeros_like(neg_z), -mnp.expm1(neg_z))


@stats_function
def logsf(x, loc=0, scale=1):
    """``-(x - loc)/scale`` for ``x >= loc``, 0 below.

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(expon.logsf(3.0, loc=1.0, scale=2.0))
      -1.0
    """
    x, loc, scale = promote(x, loc, scale)
    neg_z = (loc - x) / scale
    return mnp.where(x < loc, mnp.zeros_like(neg_z), neg_z)


@stats_function
def sf(x, loc=0, scale=1):
    """The survival function ``exp(logsf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(expon.sf(-1.0, loc=0.0, scale=1.0))
      1.0
    """
    return mnp.exp(logsf(x, loc, scale))


@stats_function
def logcdf(x, loc=0, scale=1):
    """``log(1 - sf)`` (as ``log1p(-sf)``).

    Args:
      x: where to evaluate; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(round(float(expon.logcdf(1.0, loc=0.0, scale=1.0)), 12))
      -0.458675145387
    """
    return mnp.log1p(-sf(x, loc, scale))


@stats_function
def ppf(q, loc=0, scale=1):
    """The quantile function ``loc - scale log(1 - q)``; nan outside ``[0, 1]``.

    Args:
      q: the probability; loc: the start of the support; scale: the mean above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import expon
      >>> print(expon.ppf(0.0, loc=1.0, scale=2.0), expon.ppf(1.5, loc=1.0, scale=2.0))
      1.0 nan
    """
    q, loc, scale = promote(q, loc, scale)
    bad = mnp.isnan(q) | (q < 0) | (q > 1)
    return mnp.where(bad, np.nan, loc - scale * mnp.log1p(-q))
