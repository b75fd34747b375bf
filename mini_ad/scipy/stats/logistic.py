"""``mini_ad.scipy.stats.logistic``: the logistic distribution, as
``jax.scipy.stats.logistic`` (cdf ``expit((x - loc)/scale)``).

>>> from mini_ad.scipy.stats import logistic
>>> print(logistic.cdf(0.0))
0.5
"""

from __future__ import annotations

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "isf", "logpdf", "pdf", "ppf", "sf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-2 logaddexp(z/2, -z/2) - log scale`` with ``z = (x - loc)/scale``.

    Args:
      x: where to evaluate; loc: the median; scale: the scale (``π scale/√3`` is the
        standard deviation).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(round(float(logistic.logpdf(0.0, loc=0.0, scale=1.0)), 12))
      -1.38629436112
    """
    x, loc, scale = promote(x, loc, scale)
    half_z = (x - loc) / scale / 2
    return -2 * mnp.logaddexp(half_z, -half_z) - mnp.log(scale)


@stats_function
def pdf(x, loc=0, scale=1):
    """The logistic density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the median; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(logistic.pdf(0.0, loc=0.0, scale=0.25))
      1.0
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """``expit((x - loc)/scale)``.

    Args:
      x: where to evaluate; loc: the median; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(round(float(logistic.cdf(1.0, loc=1.0, scale=2.0)), 12))
      0.5
    """
    x, loc, scale = promote(x, loc, scale)
    return special.expit((x - loc) / scale)


@stats_function
def sf(x, loc=0, scale=1):
    """``expit(-(x - loc)/scale)``.

    Args:
      x: where to evaluate; loc: the median; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(f"{float(logistic.sf(40.0, loc=0.0, scale=1.0)):.6e}")
      4.248354e-18
    """
    x, loc, scale = promote(x, loc, scale)
    return special.expit(-((x - loc) / scale))


@stats_function
def ppf(x, loc=0, scale=1):
    """The quantile function ``loc + scale logit(x)``.

    Args:
      x: the probability; loc: the median; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(logistic.ppf(0.5, loc=2.0, scale=3.0))
      2.0
    """
    x, loc, scale = promote(x, loc, scale)
    return special.logit(x) * scale + loc


@stats_function
def isf(x, loc=0, scale=1):
    """The inverse survival function ``loc - scale logit(x)``.

    Args:
      x: the probability of exceeding; loc: the median; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import logistic
      >>> print(logistic.isf(0.5, loc=2.0, scale=3.0))
      2.0
    """
    x, loc, scale = promote(x, loc, scale)
    return -special.logit(x) * scale + loc
