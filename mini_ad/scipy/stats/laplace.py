"""``mini_ad.scipy.stats.laplace``: the Laplace distribution, as
``jax.scipy.stats.laplace`` (density ``exp(-|x - loc|/scale) / (2 scale)``).

>>> from mini_ad.scipy.stats import laplace
>>> print(laplace.cdf(0.0))
0.5
"""

from __future__ import annotations

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logpdf", "pdf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-|x - loc|/scale - log(2 scale)``.

    Args:
      x: where to evaluate; loc: the median; scale: the mean absolute deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import laplace
      >>> print(round(float(laplace.logpdf(1.0, loc=0.0, scale=1.0)), 12))
      -1.69314718056
    """
    x, loc, scale = promote(x, loc, scale)
    return -(mnp.abs(x - loc) / scale + mnp.log(2 * scale))


@stats_function
def pdf(x, loc=0, scale=1):
    """The Laplace density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the median; scale: the mean absolute deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import laplace
      >>> print(laplace.pdf(0.0, loc=0.0, scale=0.5))
      1.0
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """``e^z / 2`` for ``z = (x - loc)/scale <= 0``, ``1 - e^-z / 2`` above.

    Args:
      x: where to evaluate; loc: the median; scale: the mean absolute deviation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import laplace
      >>> print(round(float(laplace.cdf(1.0, loc=1.0, scale=3.0)), 12))
      0.5
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return mnp.where(z <= 0, 0.5 * mnp.exp(z), 1 - 0.5 * mnp.exp(-z))
