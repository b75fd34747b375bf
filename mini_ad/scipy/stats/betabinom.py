"""``mini_ad.scipy.stats.betabinom``: the beta-binomial distribution (a binomial whose
success probability is drawn from ``beta(a, b)``), as ``jax.scipy.stats.betabinom``.

>>> from mini_ad.scipy.stats import betabinom
>>> print(round(float(betabinom.pmf(1, 2, 1.0, 1.0)), 12))  # a = b = 1: uniform on 0..n
0.333333333333
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpmf", "pmf"]


@stats_function
def logpmf(k, n, a, b, loc=0):
    """``log C(n, y) + log B(y + a, n - y + b) - log B(a, b)`` with
    ``y = floor(k) - loc``; ``-inf`` outside ``[0, n]``, nan unless ``n >= 0`` and
    ``a, b > 0``.

    Args:
      k: the number of successes; n: the number of trials; a: the first shape of the
        beta prior; b: its second shape; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import betabinom
      >>> print(round(float(betabinom.logpmf(1, 3, 2.0, 2.0, loc=0)), 12))
      -1.203972804326
    """
    k, n, a, b, loc = promote(k, n, a, b, loc)
    y = mnp.floor(k) - loc
    log_comb = -(mnp.log1p(n) + special.betaln(n - y + 1, y + 1))
    log_probs = log_comb + special.betaln(y + a, n - y + b) - special.betaln(a, b)
    log_probs = mnp.where((y == 0) & (n == 0), 0.0, log_probs)
    log_probs = mnp.where((y < -loc) | (y > n) | (y + a <= 0), -np.inf, log_probs)
    return mnp.where((n < 0) | (a <= 0) | (b <= 0), np.nan, log_probs)


@stats_function
def pmf(k, n, a, b, loc=0):
    """``exp(logpmf(k, n, a, b, loc))``.

    Args:
      k: the number of successes; n: the number of trials; a: the first shape of the
        beta prior; b: its second shape; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import betabinom
      >>> print(round(float(betabinom.pmf(0, 3, 2.0, 2.0, loc=0)), 12))
      0.2
    """
    return mnp.exp(logpmf(k, n, a, b, loc))
