"""``mini_ad.scipy.stats.gumbel_l``: the left-skewed Gumbel distribution (of the
minimum), as ``jax.scipy.stats.gumbel_l``: ``cdf = 1 - exp(-e^z)``, ``z = (x - loc)/scale``.

A ``scale <= 0`` gives nan, as in JAX.

>>> from mini_ad.scipy.stats import gumbel_l
>>> print(round(float(gumbel_l.logsf(0.0)), 12))
-1.0
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``z - e^z - log scale``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(gumbel_l.logpdf(0.0, loc=0.0, scale=1.0), gumbel_l.logpdf(0.0, loc=0.0, scale=-1.0))
      -1.0 nan
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(scale > 0, special.xlogy(-1, scale) + (z - mnp.exp(z)), np.nan)


@stats_function
def pdf(x, loc=0, scale=1):
    """The density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(round(float(gumbel_l.pdf(0.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def logcdf(x, loc=0, scale=1):
    """``log(-expm1(-e^z))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(round(float(gumbel_l.logcdf(0.0, loc=0.0, scale=1.0)), 12))
      -0.458675145387
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(scale > 0, mnp.log(-mnp.expm1(-mnp.exp(z))), np.nan)


@stats_function
def cdf(x, loc=0, scale=1):
    """``exp(logcdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(round(float(gumbel_l.cdf(0.0, loc=0.0, scale=1.0)), 12))
      0.632120558829
    """
    return mnp.exp(logcdf(x, loc, scale))


@stats_function
def logsf(x, loc=0, scale=1):
    """``-e^z``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(gumbel_l.logsf(1.0, loc=1.0, scale=2.0))
      -1.0
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(scale > 0, -mnp.exp(z), np.nan)


@stats_function
def sf(x, loc=0, scale=1):
    """``exp(logsf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(round(float(gumbel_l.sf(0.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    return mnp.exp(logsf(x, loc, scale))


@stats_function
def ppf(p, loc=0, scale=1):
    """The quantile function ``loc + scale log(-log(1 - p))``; nan outside ``(0, 1)``.

    Args:
      p: the probability; loc: the mode; scale: the scale (positive).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gumbel_l
      >>> print(round(float(gumbel_l.ppf(0.5, loc=0.0, scale=1.0)), 12))
      -0.366512920582
    """
    p, loc, scale = promote(p, loc, scale)
    inside = (p > 0) & (p < 1)
    return mnp.where(inside, loc + scale * mnp.log(special.xlog1py(-1, -p)), np.nan)
