"""``mini_ad.scipy.stats.geom``: the geometric distribution (trials up to the first
success, from 1), as ``jax.scipy.stats.geom``.

>>> from mini_ad.scipy.stats import geom
>>> print(geom.pmf(1, 0.25))
0.25
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpmf", "pmf"]


@stats_function
def logpmf(k, p, loc=0):
    """``(y - 1) log(1 - p) + log p`` with ``y = k - loc``; ``-inf`` for ``y <= 0``.

    Args:
      k: the trial of the first success; p: the success probability; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import geom
      >>> print(round(float(geom.logpmf(2, 0.5, loc=0)), 12), geom.logpmf(0, 0.5, loc=0))
      -1.38629436112 -inf
    """
    k, p, loc = promote(k, p, loc)
    y = k - loc
    log_probs = special.xlog1py(y - 1, -p) + mnp.log(p)
    return mnp.where(y <= 0, -np.inf, log_probs)


@stats_function
def pmf(k, p, loc=0):
    """``exp(logpmf(k, p, loc))``.

    Args:
      k: the trial of the first success; p: the success probability; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import geom
      >>> print(geom.pmf(2, 0.5, loc=0))
      0.25
    """
    return mnp.exp(logpmf(k, p, loc))
