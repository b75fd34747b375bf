"""``mini_ad.scipy.stats.binom``: the binomial distribution (successes in ``n`` trials of
probability ``p``), as ``jax.scipy.stats.binom``.

>>> from mini_ad.scipy.stats import binom
>>> print(round(float(binom.pmf(1, 2, 0.5)), 12))
0.5
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpmf", "pmf"]


@stats_function
def logpmf(k, n, p, loc=0):
    """``log C(n, y) + y log p + (n - y) log(1 - p)`` with ``y = k - loc`` (``gammaln``
    for the binomial coefficient, so ``k`` and ``n`` may be real); ``-inf`` outside
    ``[loc, loc + n]``.

    Args:
      k: the number of successes; n: the number of trials; p: the success probability;
        loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import binom
      >>> print(round(float(binom.logpmf(2, 4, 0.5, loc=0)), 12))
      -0.980829253012
    """
    k, n, p, loc = promote(k, n, p, loc)
    y = k - loc
    comb = special.gammaln(n + 1) - (special.gammaln(y + 1) + special.gammaln(n - y + 1))
    log_linear = special.xlogy(y, p) + special.xlog1py(n - y, -p)
    log_probs = mnp.where(((y == 0) & (n == 0)) | (log_linear == 0), 0.0, comb + log_linear)
    return mnp.where((k >= loc) & (k < loc + n + 1), log_probs, -np.inf)


@stats_function
def pmf(k, n, p, loc=0):
    """``exp(logpmf(k, n, p, loc))``.

    Args:
      k: the number of successes; n: the number of trials; p: the success probability;
        loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import binom
      >>> print(round(float(binom.pmf(3, 3, 0.5, loc=0)), 12))
      0.125
    """
    return mnp.exp(logpmf(k, n, p, loc))
