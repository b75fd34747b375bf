"""``mini_ad.scipy.stats.bernoulli``: the Bernoulli distribution (1 with probability
``p``, else 0), as ``jax.scipy.stats.bernoulli``.

>>> from mini_ad.scipy.stats import bernoulli
>>> print(bernoulli.pmf(1, 0.25))
0.25
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logpmf", "pmf", "ppf"]


@stats_function
def logpmf(k, p, loc=0):
    """``xlogy(y, p) + xlog1py(1 - y, -p)`` with ``y = k - loc``; ``-inf`` outside ``[0, 1]``.

    Args:
      k: the outcome; p: the probability of 1; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import bernoulli
      >>> print(round(float(bernoulli.logpmf(0, 0.75, loc=0)), 12), bernoulli.logpmf(2, 0.5, loc=0))
      -1.38629436112 -inf
    """
    k, p, loc = promote(k, p, loc)
    y = k - loc
    log_probs = special.xlogy(y, p) + special.xlog1py(1 - y, -p)
    return mnp.where((y < 0) | (y > 1), -np.inf, log_probs)


@stats_function
def pmf(k, p, loc=0):
    """``exp(logpmf(k, p, loc))``.

    Args:
      k: the outcome; p: the probability of 1; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import bernoulli
      >>> print(bernoulli.pmf(0, 0.25, loc=0))
      0.75
    """
    return mnp.exp(logpmf(k, p, loc))


@stats_function
def cdf(k, p):
    """0 below 0, ``1 - p`` on ``[0, 1)``, 1 from 1 on; nan for ``p`` outside ``[0, 1]``.

    Args:
      k: where to evaluate; p: the probability of 1.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import bernoulli
      >>> print(bernoulli.cdf(0.5, 0.25), bernoulli.cdf(0.5, 1.5))
      0.75 nan
    """
    k, p = promote(k, p)
    zero, one = mnp.zeros_like(k), mnp.ones_like(k)
    conditions = [
        mnp.isnan(k) | mnp.isnan(p) | (p < 0) | (p > 1), k < 0, (k >= 0) & (k < 1), k >= 1
    ]  # fmt: skip
    return mnp.select(conditions, [mnp.full_like(k, np.nan), zero, one - p, one])


@stats_function
def ppf(q, p):
    """The quantile function: 0 for ``q <= 1 - p``, else 1; nan outside ``[0, 1]``.

    Args:
      q: the probability; p: the probability of 1.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import bernoulli
      >>> print(bernoulli.ppf(0.5, 0.25), bernoulli.ppf(0.9, 0.25))
      0.0 1.0
    """
    q, p = promote(q, p)
    bad = mnp.isnan(q) | mnp.isnan(p) | (p < 0) | (p > 1) | (q < 0) | (q > 1)
    return mnp.where(bad, np.nan, mnp.where(q <= 1 - p, mnp.zeros_like(q), mnp.ones_like(q)))
