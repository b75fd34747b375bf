"""``mini_ad.scipy.stats.t``: Student's t distribution with ``df`` degrees of freedom, as
``jax.scipy.stats.t`` (which has only ``logpdf`` and ``pdf``).

>>> from mini_ad.scipy.stats import t
>>> print(round(float(t.pdf(0.0, 1.0)), 12))  # df = 1: Cauchy, 1/π
0.318309886184
"""

from __future__ import annotations

import math

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpdf", "pdf"]


@stats_function
def logpdf(x, df, loc=0, scale=1):
    """``lgamma((df+1)/2) - lgamma(df/2) - log(π df scale²)/2 - (df+1)/2 log1p(z²/df)``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the center; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import t
      >>> print(round(float(t.logpdf(1.0, 3.0, loc=1.0, scale=1.0)), 12))
      -1.000888849624
    """
    x, df, loc, scale = promote(x, df, loc, scale)
    z = (x - loc) / scale
    half_df = df / 2
    half_df_plus_half = half_df + 0.5
    normalizer = (
        special.gammaln(half_df) + mnp.log(scale * scale * math.pi * df) / 2
        - special.gammaln(half_df_plus_half)
    )  # fmt: skip
    return -(normalizer + half_df_plus_half * mnp.log1p(z * z / df))


@stats_function
def pdf(x, df, loc=0, scale=1):
    """The t density ``exp(logpdf(x, df, loc, scale))``.

    Args:
      x: where to evaluate; df: the degrees of freedom; loc: the center; scale: the scale.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import t
      >>> print(round(float(t.pdf(0.0, 2.0, loc=0.0, scale=1.0)), 12))
      0.353553390593
    """
    return mnp.exp(logpdf(x, df, loc, scale))
