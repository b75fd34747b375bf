"""``mini_ad.scipy.stats.beta``: the beta distribution on ``[loc, loc + scale]`` with
shapes ``a`` and ``b``, as ``jax.scipy.stats.beta``.

>>> from mini_ad.scipy.stats import beta
>>> print(beta.pdf(0.3, 1.0, 1.0))  # a = b = 1: uniform
1.0
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]


@stats_function
def logpdf(x, a, b, loc=0, scale=1):
    """``(a-1) log y + (b-1) log(1-y) - log B(a, b) - log scale`` with
    ``y = (x - loc)/scale`` (``xlogy``/``xlog1py``: finite at the ends for ``a`` or
    ``b`` = 1); ``-inf`` outside ``[loc, loc + scale]``, nan unless ``a, b, scale > 0``.

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.logpdf(0.5, 2.0, 2.0, loc=0.0, scale=1.0)), 12))
      0.405465108108
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    y = (x - loc) / scale
    log_linear = special.xlogy(a - 1, y) + special.xlog1py(b - 1, -y)
    log_probs = -special.betaln(a, b) + log_linear - mnp.log(scale)
    outside = (x > loc + scale) | (x < loc)
    result = mnp.where(outside, -np.inf, log_probs)
    return mnp.where((a <= 0) | (b <= 0) | (scale <= 0), np.nan, result)


@stats_function
def pdf(x, a, b, loc=0, scale=1):
    """The beta density ``exp(logpdf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.pdf(0.5, 2.0, 2.0, loc=0.0, scale=1.0)), 12))
      1.5
    """
    return mnp.exp(logpdf(x, a, b, loc, scale))


def _unit(x, loc, scale):
    """``(x - loc)/scale`` clamped to ``[0, 1]``."""
    return lax.clamp(mnp.zeros_like(x), (x - loc) / scale, mnp.ones_like(x))


@stats_function
def cdf(x, a, b, loc=0, scale=1):
    """``I_y(a, b)``, the regularized incomplete beta function (``special.betainc``),
    at ``y = (x - loc)/scale`` clamped to ``[0, 1]``. Differentiable in ``x``, ``loc``
    and ``scale``; in ``a`` or ``b`` it raises ValueError, as in JAX.

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.cdf(0.5, 2.0, 3.0, loc=0.0, scale=1.0)), 12))
      0.6875
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    return special.betainc(a, b, _unit(x, loc, scale))


@stats_function
def logcdf(x, a, b, loc=0, scale=1):
    """``log(cdf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.logcdf(0.5, 1.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    return mnp.log(cdf(x, a, b, loc, scale))


@stats_function
def sf(x, a, b, loc=0, scale=1):
    """``I_{1-y}(b, a) = 1 - cdf`` (``special.betainc`` with the shapes swapped).

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.sf(0.5, 2.0, 3.0, loc=0.0, scale=1.0)), 12))
      0.3125
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    return special.betainc(b, a, 1 - _unit(x, loc, scale))


@stats_function
def logsf(x, a, b, loc=0, scale=1):
    """``log(sf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the first shape; b: the second shape; loc: the lower
        end; scale: the width.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import beta
      >>> print(round(float(beta.logsf(0.5, 1.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    return mnp.log(sf(x, a, b, loc, scale))
