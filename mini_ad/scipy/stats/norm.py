"""``mini_ad.scipy.stats.norm``: the normal distribution, as ``jax.scipy.stats.norm``.

Every function takes ``loc`` (the mean) and ``scale`` (the standard deviation) and
broadcasts its arguments; integers become float64, float32 stays float32.

>>> from mini_ad.scipy.stats import norm
>>> print(norm.cdf(0.0))
0.5
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``log φ((x - loc)/scale) - log scale``, as ``-(log(2π scale²) + (x - loc)²/scale²)/2``.

    Args:
      x: where to evaluate the density.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(norm.logpdf(1.0, loc=1.0, scale=1.0))
      -0.9189385332046727
    """
    x, loc, scale = promote(x, loc, scale)
    scale_sq = scale * scale
    return (mnp.log(2 * math.pi * scale_sq) + (x - loc) ** 2 / scale_sq) / -2


@stats_function
def pdf(x, loc=0, scale=1):
    """The normal density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate the density.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(round(float(norm.pdf(0.0, loc=0.0, scale=2.0)), 12))
      0.199471140201
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """``Φ((x - loc)/scale)`` (``special.ndtr``).

    Args:
      x: where to evaluate the distribution function.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(norm.cdf(3.0, loc=3.0, scale=0.5))
      0.5
    """
    x, loc, scale = promote(x, loc, scale)
    return special.ndtr((x - loc) / scale)


@stats_function
def logcdf(x, loc=0, scale=1):
    """``log Φ((x - loc)/scale)`` (``special.log_ndtr``: accurate far in the lower tail).

    Args:
      x: where to evaluate.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(round(float(norm.logcdf(-40.0, loc=0.0, scale=1.0)), 6))
      -804.608442
    """
    x, loc, scale = promote(x, loc, scale)
    return special.log_ndtr((x - loc) / scale)


@stats_function
def sf(x, loc=0, scale=1):
    """The survival function ``1 - cdf``, computed as ``cdf(-x, -loc, scale)``.

    Args:
      x: where to evaluate.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(f"{float(norm.sf(10.0, loc=0.0, scale=1.0)):.6e}")
      7.619853e-24
    """
    x, loc, scale = promote(x, loc, scale)
    return cdf(-x, -loc, scale)


@stats_function
def logsf(x, loc=0, scale=1):
    """``log(1 - cdf)``, computed as ``logcdf(-x, -loc, scale)``.

    Args:
      x: where to evaluate.
      loc: the mean.
      scale: the standard deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(round(float(norm.logsf(40.0, loc=0.0, scale=1.0)), 6))
      -804.608442
    """
    x, loc, scale = promote(x, loc, scale)
    return logcdf(-x, -loc, scale)


@stats_function
def ppf(q, loc=0, scale=1):
    """The quantile function ``loc + scale Φ⁻¹(q)`` (``special.ndtri``: accurate in both
    tails). As ``jax.scipy.stats.norm.ppf`` with x64, the result is float64 (JAX casts to
    its default float), float32 arguments included.

    Args:
      q: the probability; loc: the mean; scale: the standard deviation.

    Returns:
      A float64 array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(round(float(norm.ppf(0.975, loc=0.0, scale=1.0)), 12))
      1.95996398454
    """
    return mnp.astype(special.ndtri(q) * scale + loc, np.float64)


@stats_function
def isf(q, loc=0, scale=1):
    """The inverse survival function ``ppf(1 - q, loc, scale)`` (float64, as ``ppf``).

    Args:
      q: the probability of exceeding; loc: the mean; scale: the standard deviation.

    Returns:
      A float64 array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import norm
      >>> print(round(float(norm.isf(0.025, loc=0.0, scale=1.0)), 12))
      1.95996398454
    """
    return ppf(1 - mnp.asarray(q), loc, scale)
