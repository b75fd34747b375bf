"""``mini_ad.scipy.stats.uniform``: the uniform distribution on ``[loc, loc + scale]``,
as ``jax.scipy.stats.uniform``.

>>> from mini_ad.scipy.stats import uniform
>>> print(uniform.cdf(0.25))
0.25
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logpdf", "pdf", "ppf"]


@stats_function
def logpdf(x, loc=0, scale=1):
    """``-log scale`` on ``[loc, loc + scale]``, ``-inf`` outside.

    Args:
      x: where to evaluate; loc: the lower end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import uniform
      >>> print(uniform.logpdf(1.0, loc=0.0, scale=1.0), uniform.logpdf(2.0, loc=0.0, scale=1.0))
      -0.0 -inf
    """
    x, loc, scale = promote(x, loc, scale)
    outside = (x > loc + scale) | (x < loc)
    return mnp.where(outside, -np.inf, -mnp.log(scale))


@stats_function
def pdf(x, loc=0, scale=1):
    """The uniform density ``exp(logpdf(x, loc, scale))``.

    Args:
      x: where to evaluate; loc: the lower end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import uniform
      >>> print(uniform.pdf(1.0, loc=0.0, scale=4.0))
      0.25
    """
    return mnp.exp(logpdf(x, loc, scale))


@stats_function
def cdf(x, loc=0, scale=1):
    """0 below ``loc``, ``(x - loc)/scale`` on the support, 1 above.

    Args:
      x: where to evaluate; loc: the lower end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import uniform
      >>> print(uniform.cdf(2.0, loc=1.0, scale=4.0))
      0.25
    """
    x, loc, scale = promote(x, loc, scale)
    zero, one = mnp.zeros_like(x), mnp.ones_like(x)
    conditions = [x < loc, x > loc + scale, (x >= loc) & (x <= loc + scale)]
    return mnp.select(conditions, [zero, one, (x - loc) / scale])


@stats_function
def ppf(q, loc=0, scale=1):
    """The quantile function ``loc + scale q``; nan outside ``[0, 1]``.

    Args:
      q: the probability; loc: the lower end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import uniform
      >>> print(uniform.ppf(0.25, loc=1.0, scale=4.0))
      2.0
    """
    q, loc, scale = promote(q, loc, scale)
    bad = mnp.isnan(q) | (q < 0) | (q > 1)
    return mnp.where(bad, np.nan, loc + scale * q)
