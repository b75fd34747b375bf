"""``mini_ad.scipy.stats.vonmises``: the von Mises distribution on the circle with
concentration ``kappa``, as ``jax.scipy.stats.vonmises`` (density
``exp(kappa cos x) / (2π I0(kappa))``, any real ``x``).

>>> from mini_ad.scipy.stats import vonmises
>>> print(vonmises.logpdf(0.0, -1.0))
nan
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpdf", "pdf"]


@stats_function
def logpdf(x, kappa):
    """``kappa (cos x - 1) - log(2π i0e(kappa))`` (the scaled Bessel function: no
    overflow for large ``kappa``); nan unless ``kappa > 0``.

    Args:
      x: the angle; kappa: the concentration.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import vonmises
      >>> print(round(float(vonmises.logpdf(0.0, 1000.0)), 12))
      2.534814043721
    """
    x, kappa = promote(x, kappa)
    log_probs = kappa * (mnp.cos(x) - 1) - mnp.log(2 * math.pi * special.i0e(kappa))
    return mnp.where(kappa > 0, log_probs, np.nan)


@stats_function
def pdf(x, kappa):
    """The von Mises density ``exp(logpdf(x, kappa))``.

    Args:
      x: the angle; kappa: the concentration.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import vonmises
      >>> print(round(float(vonmises.pdf(math.pi, 1.0)), 12))
      0.046245485763
    """
    return mnp.exp(logpdf(x, kappa))
