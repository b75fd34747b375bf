"""``mini_ad.scipy.stats.nbinom``: the negative binomial distribution (failures before
the ``n``-th success), as ``jax.scipy.stats.nbinom``.

>>> from mini_ad.scipy.stats import nbinom
>>> print(round(float(nbinom.pmf(0, 1, 0.25)), 12))
0.25
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpmf", "pmf"]


@stats_function
def logpmf(k, n, p, loc=0):
    """``lgamma(y + n) - lgamma(n) - lgamma(y + 1) + n log p + y log(1 - p)`` with
    ``y = k - loc``; ``-inf`` below ``loc``.

    Args:
      k: the number of failures; n: the number of successes; p: the success
        probability; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import nbinom
      >>> print(round(float(nbinom.logpmf(1, 2, 0.5, loc=0)), 12))
      -1.38629436112
    """
    k, n, p, loc = promote(k, n, p, loc)
    y = k - loc
    comb = special.gammaln(y + n) - special.gammaln(n) - special.gammaln(y + 1)
    log_linear = special.xlogy(n, p) + special.xlogy(y, 1 - p)
    return mnp.where(k < loc, -np.inf, comb + log_linear)


@stats_function
def pmf(k, n, p, loc=0):
    """``exp(logpmf(k, n, p, loc))``.

    Args:
      k: the number of failures; n: the number of successes; p: the success
        probability; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import nbinom
      >>> print(round(float(nbinom.pmf(1, 2, 0.5, loc=0)), 12))
      0.25
    """
    return mnp.exp(logpmf(k, n, p, loc))
