"""``mini_ad.scipy.stats.gumbel_r``: the right-skewed Gumbel distribution (of the
maximum), as ``jax.scipy.stats.gumbel_r``: ``cdf = exp(-e^-z)``, ``z = (x - loc)/scale``.

A ``scale <= 0`` gives nan, as in JAX.

>>> from mini_ad.scipy.stats import gumbel_r
>>> print(round(float(gumbel_r.logcdf(0.0)), 12))
-1.0
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import log1mexp, promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-(z + e^-z) - log scale``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(gumbel_r.logpdf(0.0, loc=0.0, scale=1.0), gumbel_r.logpdf(0.0, loc=0.0, scale=0.0))
      -1.0 nan
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(scale > 0, special.xlogy(-1, scale) - (z + mnp.exp(-z)), np.nan)


@stats_function
def pdf(x, loc=0, scale=1):
    """The density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(round(float(gumbel_r.pdf(0.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def logcdf(x, loc=0, scale=1):
    """``-e^-z``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(gumbel_r.logcdf(1.0, loc=1.0, scale=2.0))
      -1.0
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(scale > 0, -mnp.exp(-z), np.nan)


@stats_function
def cdf(x, loc=0, scale=1):
    """``exp(logcdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(round(float(gumbel_r.cdf(0.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    return mnp.exp(logcdf(x, loc, scale))


@stats_function
def sf(x, loc=0, scale=1):
    """``1 - exp(-e^-z)``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(round(float(gumbel_r.sf(0.0, loc=0.0, scale=1.0)), 12))
      0.632120558829
    """
    x, loc, scale = promote(x, loc, scale)
    neg_z = (loc - x) / scale
    return mnp.where(scale > 0, 1 - mnp.exp(-mnp.exp(neg_z)), np.nan)


@stats_function
def logsf(x, loc=0, scale=1):
    """``log(1 - exp(-e^-z))`` (``log1mexp(e^-z)``: accurate in both tails).

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(round(float(gumbel_r.logsf(0.0, loc=0.0, scale=1.0)), 12))
      -0.458675145387
    """
    x, loc, scale = promote(x, loc, scale)
    neg_z = (loc - x) / scale
    return mnp.where(scale > 0, log1mexp(mnp.exp(neg_z)), np.nan)


@stats_function
def ppf(p, loc=0, scale=1):
    """The quantile function ``loc - scale log(-log p)``; nan outside ``(0, 1)``.

    Args:
      p: the probability; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_r
      >>> print(round(float(gumbel_r.ppf(0.5, loc=0.0, scale=1.0)), 12))
      0.366512920582
    """
    p, loc, scale = promote(p, loc, scale)
    inside = (p > 0) & (p < 1)
    return mnp.where(inside, loc - scale * mnp.log(special.xlogy(-1, p)), np.nan)
