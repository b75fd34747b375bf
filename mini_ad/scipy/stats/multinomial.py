"""``mini_ad.scipy.stats.multinomial``: the multinomial distribution of the counts ``x``
(last axis) of ``n`` draws with probabilities ``p``, as ``jax.scipy.stats.multinomial``.

>>> from mini_ad.scipy.stats import multinomial
>>> print(multinomial.pmf([1, 1], 2, [0.5, 0.5]))
0.5
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_dtypes
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import promote, stats_function

__all__ = ["logpmf", "pmf"]


@stats_function
def logpmf(x, n, p):
    """``lgamma(n + 1) + Σ (x_i log p_i - lgamma(x_i + 1))``; ``-inf`` unless the counts
    sum to ``n`` (each vector of a batch, as in SciPy; JAX 0.10.2 compares the sum of
    the whole batch). ``x`` and ``n`` must be integers (a ValueError otherwise, as in JAX).

    Args:
      x: the counts per category (last axis); n: the number of draws; p: the category
        probabilities (last axis).

    Returns:
      An array of the broadcast shape of ``x``, ``n`` and ``p`` without the last axis.

    Examples:
      >>> from mini_ad.scipy.stats import multinomial
      >>> print(round(float(multinomial.logpmf([2, 0, 1], 3, [0.5, 0.25, 0.25])), 12))
      -1.673976433572
    """
    (p,) = promote(p)
    x, n = promote_dtypes(x, n)
    dtype = get_aval(x).dtype
    if dtype.kind not in "iu":
        raise ValueError(f"x and n must be of integer type; got x.dtype={dtype}.")
    p_dtype = get_aval(p).dtype
    x, n = mnp.astype(x, p_dtype), mnp.astype(n, p_dtype)
    log_probs = special.gammaln(n + 1) + mnp.sum(
        special.xlogy(x, p) - special.gammaln(x + 1), axis=-1
    )  # fmt: skip
    # each vector of counts must sum to n (JAX 0.10.2 sums all of x: wrong for a batch)
    return mnp.where(mnp.sum(x, axis=-1) == n, log_probs, -np.inf)


@stats_function
def pmf(x, n, p):
    """``exp(logpmf(x, n, p))``.

    Args:
      x: the counts per category (last axis); n: the number of draws; p: the category
        probabilities (last axis).

    Returns:
      An array of the broadcast shape of ``x``, ``n`` and ``p`` without the last axis.

    Examples:
      >>> from mini_ad.scipy.stats import multinomial
      >>> print(round(float(multinomial.pmf([2, 0], 2, [0.5, 0.5])), 12))
      0.25
    """
    return mnp.exp(logpmf(x, n, p))
