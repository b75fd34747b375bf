"""``mini_ad.scipy.stats.pareto``: the Pareto distribution with shape ``b``, as
``jax.scipy.stats.pareto``: ``sf = ((x - loc)/scale)^-b`` for ``x >= loc + scale``.

>>> from mini_ad.scipy.stats import pareto
>>> print(pareto.cdf(2.0, 1.0))
0.5
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, b, loc=0, scale=1):
    """``log(b/scale) - (b + 1) log z`` for ``z = (x - loc)/scale >= 1``, ``-inf`` below.

    Args:
      x: where to evaluate; b: the shape (tail index); loc: the shift; scale: the
        start of the support above ``loc``.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(pareto.logpdf(1.0, 2.0, loc=0.0, scale=1.0), pareto.logpdf(0.5, 2.0, loc=0.0, scale=1.0))
      0.6931471805599453 -inf
    """
    x, b, loc, scale = promote(x, b, loc, scale)
    z = (x - loc) / scale
    log_probs = -(mnp.log(scale / b) + (b + 1) * mnp.log(z))
    return mnp.where(x < loc + scale, -np.inf, log_probs)


@stats_function
def pdf(x, b, loc=0, scale=1):
    """The Pareto density ``exp(logpdf(x, b, loc, scale))``.

    Args:
      x: where to evaluate; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(pareto.pdf(2.0, 1.0, loc=0.0, scale=1.0))
      0.25
    """
    return mnp.exp(logpdf(x, b, loc, scale))


@stats_function
def cdf(x, b, loc=0, scale=1):
    """``1 - z^-b`` on the support, 0 below.

    Args:
      x: where to evaluate; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(pareto.cdf(4.0, 2.0, loc=0.0, scale=2.0))
      0.75
    """
    x, b, loc, scale = promote(x, b, loc, scale)
    z = (x - loc) / scale
    return mnp.where(x < loc + scale, mnp.zeros_like(z), 1 - mnp.power(z, -b))


@stats_function
def logcdf(x, b, loc=0, scale=1):
    """``log1p(-z^-b)`` on the support, ``-inf`` below.

    Args:
      x: where to evaluate; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(round(float(pareto.logcdf(2.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    x, b, loc, scale = promote(x, b, loc, scale)
    z = (x - loc) / scale
    return mnp.where(x < loc + scale, -np.inf, mnp.log1p(-mnp.power(z, -b)))


@stats_function
def logsf(x, b, loc=0, scale=1):
    """``-b log z`` on the support, 0 below.

    Args:
      x: where to evaluate; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(round(float(pareto.logsf(2.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    x, b, loc, scale = promote(x, b, loc, scale)
    z = (x - loc) / scale
    return mnp.where(x < loc + scale, mnp.zeros_like(z), -(b * mnp.log(z)))


@stats_function
def sf(x, b, loc=0, scale=1):
    """``exp(logsf(x, b, loc, scale))``.

    Args:
      x: where to evaluate; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(pareto.sf(4.0, 2.0, loc=0.0, scale=2.0))
      0.25
    """
    return mnp.exp(logsf(x, b, loc, scale))


@stats_function
def ppf(q, b, loc=0, scale=1):
    """The quantile function ``loc + scale (1 - q)^(-1/b)``; nan outside ``[0, 1]``.

    Args:
      q: the probability; b: the shape; loc: the shift; scale: the start of the support.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import pareto
      >>> print(pareto.ppf(0.75, 2.0, loc=0.0, scale=2.0))
      4.0
    """
    q, b, loc, scale = promote(q, b, loc, scale)
    bad = mnp.isnan(q) | (q < 0) | (q > 1)
    return mnp.where(bad, np.nan, loc + scale * mnp.power(1 - q, -(1 / b)))
