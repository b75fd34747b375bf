"""``mini_ad.scipy.stats.cauchy``: the Cauchy distribution, as ``jax.scipy.stats.cauchy``.

``loc`` is the median and ``scale`` the half width at half maximum.

>>> from mini_ad.scipy.stats import cauchy
>>> print(cauchy.cdf(0.0))
0.5
"""

from __future__ import annotations

import math

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "isf", "logcdf", "logpdf", "logsf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-log(π scale (1 + z²))`` with ``z = (x - loc)/scale``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.logpdf(1.0, loc=0.0, scale=1.0)), 12))
      -1.837877066409
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return -(mnp.log(math.pi * scale) + mnp.log1p(z * z))


@stats_function
def pdf(x, loc=0, scale=1):
    """The Cauchy density ``1 / (π scale (1 + z²))``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.pdf(0.0, loc=0.0, scale=0.5)), 12))
      0.636619772368
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """``1/2 + arctan(z)/π``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.cdf(2.0, loc=1.0, scale=1.0)), 12))
      0.75
    """
    x, loc, scale = promote(x, loc, scale)
    return 0.5 + (1.0 / math.pi) * mnp.arctan((x - loc) / scale)


@stats_function
def logcdf(x, loc=0, scale=1):
    """``log(cdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.logcdf(0.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    return mnp.log(cdf(x, loc, scale))


@stats_function
def sf(x, loc=0, scale=1):
    """``1 - cdf``, computed as ``cdf(-x, -loc, scale)``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.sf(2.0, loc=1.0, scale=1.0)), 12))
      0.25
    """
    x, loc, scale = promote(x, loc, scale)
    return cdf(-x, -loc, scale)


@stats_function
def logsf(x, loc=0, scale=1):
    """``log(1 - cdf)``, computed as ``logcdf(-x, -loc, scale)``.

    Args:
      x: where to evaluate; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.logsf(2.0, loc=1.0, scale=1.0)), 12))
      -1.38629436112
    """
    x, loc, scale = promote(x, loc, scale)
    return logcdf(-x, -loc, scale)


@stats_function
def ppf(q, loc=0, scale=1):
    """The quantile function ``loc + scale tan(π q - π/2)``.

    Args:
      q: the probability; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.ppf(0.75, loc=1.0, scale=2.0)), 12))
      3.0
    """
    q, loc, scale = promote(q, loc, scale)
    return mnp.tan(math.pi * q - math.pi / 2) * scale + loc


@stats_function
def isf(q, loc=0, scale=1):
    """The inverse survival function ``loc + scale tan(π/2 - π q)``.

    Args:
      q: the probability of exceeding; loc: the median; scale: the half width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import cauchy
      >>> print(round(float(cauchy.isf(0.25, loc=1.0, scale=2.0)), 12))
      3.0
    """
    q, loc, scale = promote(q, loc, scale)
    return mnp.tan(math.pi / 2 - math.pi * q) * scale + loc
