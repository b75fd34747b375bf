"""``mini_ad.scipy.stats.gennorm``: the generalized normal distribution with shape
``beta`` (density ``beta / (2 Γ(1/beta)) exp(-|x|^beta)``), as ``jax.scipy.stats.gennorm``.

>>> from mini_ad.scipy.stats import gennorm
>>> print(gennorm.pdf(0.0, 1.0))  # beta = 1: Laplace
0.5
"""

from __future__ import annotations

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logpdf", "pdf"]


@stats_function
def logpdf(x, beta):
    """``log(beta/2) - lgamma(1/beta) - |x|^beta``.

    Args:
      x: where to evaluate; beta: the shape (2: a normal with variance 1/2).

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gennorm
      >>> print(round(float(gennorm.logpdf(1.0, 2.0)), 12))
      -1.572364942925
    """
    x, beta = promote(x, beta)
    return mnp.log(0.5 * beta) - special.gammaln(1 / beta) - mnp.abs(x) ** beta


@stats_function
def pdf(x, beta):
    """The generalized normal density ``exp(logpdf(x, beta))``.

    Args:
      x: where to evaluate; beta: the shape.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gennorm
      >>> print(round(float(gennorm.pdf(0.0, 2.0)), 12))
      0.564189583548
    """
    return mnp.exp(logpdf(x, beta))


@stats_function
def cdf(x, beta):
    """``(1 + sign(x) P(1/beta, |x|^beta)) / 2`` (``special.gammainc``).

    Args:
      x: where to evaluate; beta: the shape.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import gennorm
      >>> print(round(float(gennorm.cdf(1.0, 1.0)), 12))
      0.816060279414
    """
    x, beta = promote(x, beta)
    return 0.5 * (1 + mnp.sign(x) * special.gammainc(1 / beta, mnp.abs(x) ** beta))
