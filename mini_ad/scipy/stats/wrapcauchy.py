"""``mini_ad.scipy.stats.wrapcauchy``: the wrapped Cauchy distribution on ``[0, 2π]``
with shape ``0 < c < 1``, as ``jax.scipy.stats.wrapcauchy``.

>>> from mini_ad.scipy.stats import wrapcauchy
>>> print(wrapcauchy.pdf(1.0, 2.0))
nan
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpdf", "pdf"]


@stats_function
def logpdf(x, c):
    """``log((1 - c²) / (2π (1 + c² - 2c cos x)))`` on ``[0, 2π]``; ``-inf`` outside,
    nan unless ``0 < c < 1``.

    Args:
      x: the angle; c: the shape (the mean resultant length).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import wrapcauchy
      >>> print(round(float(wrapcauchy.logpdf(math.pi, 0.5)), 12))
      -2.936489355077
    """
    x, c = promote(x, c)
    inside = (x >= 0) & (x <= 2 * math.pi)
    log_probs = (
        mnp.log(1 - c * c) - math.log(2 * math.pi) - mnp.log(1 + c * c - 2 * c * mnp.cos(x))
    )  # fmt: skip
    return mnp.where((c > 0) & (c < 1), mnp.where(inside, log_probs, -np.inf), np.nan)


@stats_function
def pdf(x, c):
    """The wrapped Cauchy density ``exp(logpdf(x, c))``.

    Args:
      x: the angle; c: the shape.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import wrapcauchy
      >>> print(round(float(wrapcauchy.pdf(0.0, 0.5)), 12))
      0.477464829276
    """
    return mnp.exp(logpdf(x, c))
