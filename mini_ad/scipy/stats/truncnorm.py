"""``mini_ad.scipy.stats.truncnorm``: the normal distribution truncated to
``[a, b]`` (in standard units: ``loc + scale a`` to ``loc + scale b``), as
``jax.scipy.stats.truncnorm``. ``a >= b`` gives nan.

>>> from mini_ad.scipy.stats import truncnorm
>>> print(truncnorm.cdf(0.0, -1.0, 1.0))
0.5
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.scipy import special
from mini_ad.scipy.stats import norm
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "logcdf", "logpdf", "logsf", "pdf", "sf"]


def _log_diff(log_x, log_y):
    """``log(x - y)`` from ``log x`` and ``log y`` (a signed logsumexp)."""
    values = mnp.stack([log_x, log_y])
    signs = mnp.stack([mnp.ones_like(log_x), -mnp.ones_like(log_y)])
    return special.logsumexp(values, b=signs, axis=0)


def _log_gauss_mass(a, b):
    """``log(Φ(b) - Φ(a))``: by the tail on the side of zero that holds ``[a, b]``,
    else as ``log1p(-Φ(a) - Φ(-b))``."""
    a, b = mnp.broadcast_arrays(a, b)
    left, right = b <= 0, a > 0
    central = ~(left | right)
    a_tail = mnp.where(right, -b, a)
    b_tail = mnp.where(right, -a, b)
    tail = _log_diff(special.log_ndtr(b_tail), special.log_ndtr(a_tail))
    middle = mnp.log1p(-special.ndtr(a) - special.ndtr(-b))
    return mnp.where(central, middle, tail)


@stats_function
def logpdf(x, a, b, loc=0, scale=1):
    """``norm.logpdf(x, loc, scale) - log(Φ(b) - Φ(a))`` inside, ``-inf`` outside.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(round(float(truncnorm.logpdf(0.5, 0.0, 10.0, loc=0.0, scale=1.0)), 12))
      -0.350791352645
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    value = norm.logpdf(x, loc, scale) - _log_gauss_mass(a, b)
    z = (x - loc) / scale
    value = mnp.where((z < a) | (z > b), -np.inf, value)
    return mnp.where(a >= b, np.nan, value)


@stats_function
def pdf(x, a, b, loc=0, scale=1):
    """The truncated normal density ``exp(logpdf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(truncnorm.pdf(2.0, -1.0, 1.0, loc=0.0, scale=1.0))
      0.0
    """
    return mnp.exp(logpdf(x, a, b, loc, scale))


@stats_function
def logcdf(x, a, b, loc=0, scale=1):
    """``log((Φ(z) - Φ(a)) / (Φ(b) - Φ(a)))``, through ``log1p(-sf)`` near 1.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(round(float(truncnorm.logcdf(0.0, -1.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    x, a, b = mnp.broadcast_arrays(x, a, b)
    z = (x - loc) / scale
    log_mass = _log_gauss_mass(a, b)
    log_cdf = _log_gauss_mass(a, z) - log_mass
    log_sf = _log_gauss_mass(z, b) - log_mass
    conditions = [z >= b, z <= a, log_cdf > -0.1, z > a]
    choices = [
        mnp.zeros_like(z), mnp.full_like(z, -np.inf), mnp.log1p(-mnp.exp(log_sf)), log_cdf
    ]  # fmt: skip
    return mnp.where(a >= b, np.nan, mnp.select(conditions, choices))


@stats_function
def cdf(x, a, b, loc=0, scale=1):
    """``exp(logcdf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(truncnorm.cdf(1.5, -1.0, 1.0, loc=0.0, scale=1.0))
      1.0
    """
    return mnp.exp(logcdf(x, a, b, loc, scale))


@stats_function
def logsf(x, a, b, loc=0, scale=1):
    """``log(1 - cdf)``, computed as ``logcdf(-x, -b, -a, -loc, scale)``.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(round(float(truncnorm.logsf(0.0, -1.0, 1.0, loc=0.0, scale=1.0)), 12))
      -0.69314718056
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    return logcdf(-x, -b, -a, -loc, scale)


@stats_function
def sf(x, a, b, loc=0, scale=1):
    """``exp(logsf(x, a, b, loc, scale))``.

    Args:
      x: where to evaluate; a: the lower bound in standard units; b: the upper bound in
        standard units; loc: the mean before truncation; scale: the standard deviation
        before truncation.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import truncnorm
      >>> print(truncnorm.sf(-1.5, -1.0, 1.0, loc=0.0, scale=1.0))
      1.0
    """
    return mnp.exp(logsf(x, a, b, loc, scale))
