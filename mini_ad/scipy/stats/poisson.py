"""``mini_ad.scipy.stats.poisson``: the Poisson distribution with mean ``mu``, as
``jax.scipy.stats.poisson``.

>>> from mini_ad.scipy.stats import poisson
>>> print(round(float(poisson.pmf(0, 1.0)), 12))
0.367879441171
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["cdf", "entropy", "logpmf", "pmf"]


@stats_function
def logpmf(k, mu, loc=0):
    """``y log mu - lgamma(y + 1) - mu`` with ``y = k - loc``; ``-inf`` for ``y < 0`` or a
    ``k`` that is not a whole number.

    Args:
      k: the count; mu: the mean; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import poisson
      >>> print(round(float(poisson.logpmf(2, 2.0, loc=0)), 12), poisson.logpmf(0.5, 2.0, loc=0))
      -1.30685281944 -inf
    """
    k, mu, loc = promote(k, mu, loc)
    y = k - loc
    log_probs = special.xlogy(y, mu) - special.gammaln(y + 1) - mu
    return mnp.where((y < 0) | (mnp.round(k) != k), -np.inf, log_probs)


@stats_function
def pmf(k, mu, loc=0):
    """``exp(logpmf(k, mu, loc))``.

    Args:
      k: the count; mu: the mean; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import poisson
      >>> print(round(float(poisson.pmf(1, 2.0, loc=0)), 12))
      0.270670566473
    """
    return mnp.exp(logpmf(k, mu, loc))


@stats_function
def cdf(k, mu, loc=0):
    """``Q(floor(k - loc) + 1, mu)``, the regularized upper incomplete gamma function
    (``special.gammaincc``); 0 below ``loc``.

    Args:
      k: the count; mu: the mean; loc: the shift.

    Returns:
      An array of the arguments' broadcast shape.

    Examples:
      >>> from mini_ad.scipy.stats import poisson
      >>> print(round(float(poisson.cdf(0, 1.0, loc=0)), 12), poisson.cdf(-1, 1.0, loc=0))
      0.367879441171 0.0
    """
    k, mu, loc = promote(k, mu, loc)
    y = k - loc
    return mnp.where(y < 0, mnp.zeros_like(y), special.gammaincc(mnp.floor(1 + y), mu))


def _entropy_by_sum(mu, terms, upper):
    """``-Σ p log p`` over the counts ``0 .. terms-1`` below ``upper`` (per ``mu``)."""
    k = mnp.arange(terms, dtype=get_aval(mu).dtype)[:, None]
    probs = pmf(k, mu, 0)
    return mnp.sum(special.entr(mnp.where(k < mnp.ceil(upper)[None, :], probs, 0.0)), axis=0)


@stats_function
def entropy(mu, loc=0):
    """The entropy ``-Σ_k p_k log p_k``: summed over the counts up to ``mu + 20`` (mean
    below 10) or ``mu + 10√mu + 20`` (below 100), else the asymptotic
    ``log(2πe mu)/2 - 1/(12 mu)``; 0 at ``mu = 0``. ``loc`` only broadcasts.

    Args:
      mu: the mean; loc: the shift (the entropy does not depend on it).

    Returns:
      An array of the broadcast shape of ``mu`` and ``loc``.

    Examples:
      >>> from mini_ad.scipy.stats import poisson
      >>> print(round(float(poisson.entropy(1.0, loc=0)), 12))
      1.304842242256
    """
    mu, loc = promote(mu, loc)
    shape = np.broadcast_shapes(mnp.shape(mu), mnp.shape(loc))
    flat = mnp.ravel(mu)
    small = _entropy_by_sum(flat, 35, flat + 20)
    medium = _entropy_by_sum(flat, 250, flat + 10 * mnp.sqrt(flat) + 20)
    large = 0.5 * mnp.log(2 * math.pi * math.e * flat) - 1.0 / (12 * flat)
    by_size = mnp.where(flat < 10, small, mnp.where(flat < 100, medium, large))
    result = mnp.where(flat == 0, mnp.zeros_like(flat), by_size)
    return mnp.broadcast_to(mnp.reshape(result, mnp.shape(mu)), shape)
