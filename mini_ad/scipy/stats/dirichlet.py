"""``mini_ad.scipy.stats.dirichlet``: the Dirichlet distribution on the simplex with
concentrations ``alpha``, as ``jax.scipy.stats.dirichlet``. The categories run along
the first axis of ``x`` (SciPy's layout).

>>> from mini_ad.scipy.stats import dirichlet
>>> print(dirichlet.pdf([0.25, 0.75], [1.0, 1.0]))  # alpha = 1: uniform on the simplex
1.0
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.scipy import special
from mini_ad.scipy.stats._util import stats_function

__all__ = ["logpdf", "pdf"]


def _is_simplex(x):
    return mnp.all(x > 0, axis=0) & (mnp.abs(mnp.sum(x, axis=0) - 1) < 1e-6)


@stats_function
def logpdf(x, alpha):
    """``Σ (alpha_i - 1) log x_i - (Σ lgamma(alpha_i) - lgamma(Σ alpha_i))`` on the
    simplex (all ``x_i > 0``, summing to 1 within 1e-6), ``-inf`` off it. ``x`` may omit
    the last category (it is then ``1 - Σ x_i``).

    Args:
      x: the point; categories along its first axis (``len(alpha)`` or one fewer).
      alpha: the concentrations, one-dimensional.

    Returns:
      An array of ``x``'s shape without its first axis.

    Raises:
      ValueError: ``alpha`` is not one-dimensional, or ``x`` has a wrong number of
        categories.

    Examples:
      >>> from mini_ad.scipy.stats import dirichlet
      >>> print(round(float(dirichlet.logpdf([0.5, 0.5], [2.0, 2.0])), 12))
      0.405465108108
    """
    x, alpha = promote_dtypes_inexact(x, alpha, int_to=np.float64)
    x_shape, alpha_shape = mnp.shape(x), mnp.shape(alpha)
    if len(alpha_shape) != 1:
        raise ValueError(f"`alpha` must be one-dimensional; got alpha.shape={alpha_shape}")
    if not x_shape or x_shape[0] not in (alpha_shape[0], alpha_shape[0] - 1):
        raise ValueError(
            "`x` must have either the same number of entries as `alpha` or one entry "
            f"fewer; got x.shape={x_shape}, alpha.shape={alpha_shape}"
        )
    if x_shape[0] != alpha_shape[0]:
        x = mnp.concatenate([x, 1 - mnp.sum(x, axis=0, keepdims=True)], axis=0)
    normalizer = mnp.sum(special.gammaln(alpha)) - special.gammaln(mnp.sum(alpha))
    alpha = mnp.reshape(alpha, alpha_shape + (1,) * (len(x_shape) - 1))
    log_probs = mnp.sum(special.xlogy(alpha - 1, x), axis=0) - normalizer
    return mnp.where(_is_simplex(x), log_probs, -np.inf)


@stats_function
def pdf(x, alpha):
    """The Dirichlet density ``exp(logpdf(x, alpha))``.

    Args:
      x: the point; categories along its first axis. alpha: the concentrations.

    Returns:
      An array of ``x``'s shape without its first axis.

    Examples:
      >>> from mini_ad.scipy.stats import dirichlet
      >>> print(round(float(dirichlet.pdf([0.5, 0.5], [2.0, 2.0])), 12))
      1.5
    """
    return mnp.exp(logpdf(x, alpha))
