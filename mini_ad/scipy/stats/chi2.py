"""``mini_ad.scipy.stats.chi2``: the chi-squared distribution with ``df`` degrees of
freedom, as ``jax.scipy.stats.chi2``.

>>> from mini_ad.scipy.stats import chi2
>>> print(round(float(chi2.pdf(1.0, 2.0)), 12))  # df = 2: exponential with mean 2
0.303265329856
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]


@stats_function
def logpdf(x, df, loc=0, scale=1):
    """``(df/2 - 1) log y - y/2 - lgamma(df/2) - df log(2)/2 - log scale`` with
    ``y = (x - loc)/scale``; ``-inf`` below ``loc``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(round(float(chi2.logpdf(2.0, 2.0, loc=0.0, scale=1.0)), 12))
      -1.69314718056
    """
    x, df, loc, scale = promote(x, df, loc, scale)
    y = (x - loc) / scale
    half_df = df / 2
    kernel = (half_df - 1) * mnp.log(y) - y / 2
    normalizer = -(special.gammaln(half_df) + math.log(2.0) * df / 2)
    return mnp.where(x < loc, -np.inf, normalizer - mnp.log(scale) + kernel)


@stats_function
def pdf(x, df, loc=0, scale=1):
    """The chi-squared density ``exp(logpdf(x, df, loc, scale))``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(chi2.pdf(-1.0, 3.0, loc=0.0, scale=1.0))
      0.0
    """
    return mnp.exp(logpdf(x, df, loc, scale))


def _half_y(x, df, loc, scale):
    """``(x - loc) / (2 scale)`` clamped to ``[0, inf]``."""
    return lax.clamp(mnp.zeros_like(x), (x - loc) / (scale * 2), mnp.full_like(x, np.inf))


@stats_function
def cdf(x, df, loc=0, scale=1):
    """``P(df/2, y/2)`` (``special.gammainc``) with ``y = (x - loc)/scale`` clamped to
    ``[0, inf]``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(round(float(chi2.cdf(2.0, 2.0, loc=0.0, scale=1.0)), 12))
      0.632120558829
    """
    x, df, loc, scale = promote(x, df, loc, scale)
    return special.gammainc(df / 2, _half_y(x, df, loc, scale))


@stats_function
def logcdf(x, df, loc=0, scale=1):
    """``log(cdf(x, df, loc, scale))``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(round(float(chi2.logcdf(2.0, 2.0, loc=0.0, scale=1.0)), 12))
      -0.458675145387
    """
    return mnp.log(cdf(x, df, loc, scale))


@stats_function
def sf(x, df, loc=0, scale=1):
    """``Q(df/2, y/2) = 1 - cdf`` (``special.gammaincc``).

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(round(float(chi2.sf(2.0, 2.0, loc=0.0, scale=1.0)), 12))
      0.367879441171
    """
    x, df, loc, scale = promote(x, df, loc, scale)
    return special.gammaincc(df / 2, _half_y(x, df, loc, scale))


@stats_function
def logsf(x, df, loc=0, scale=1):
    """``log(sf(x, df, loc, scale))``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the shift; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import chi2
      >>> print(round(float(chi2.logsf(4.0, 2.0, loc=0.0, scale=1.0)), 12))
      -2.0
    """
    return mnp.log(sf(x, df, loc, scale))
