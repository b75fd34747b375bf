"""``mini_ad.scipy.stats.multivariate_normal``: the multivariate normal distribution
(vectors along the last axis), as ``jax.scipy.stats.multivariate_normal``.

>>> import numpy as np
>>> from mini_ad.scipy.stats import multivariate_normal
>>> print(round(float(multivariate_normal.logpdf([0.0, 0.0], [0.0, 0.0], np.eye(2))), 12))
-1.837877066409
"""

from __future__ import annotations

import math

import mini_ad.numpy as mnp
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.scipy.linalg import solve_triangular
from mini_ad.scipy.stats._util import stats_function

__all__ = ["logpdf", "pdf"]


def _solve_lower(chol, b):
    return solve_triangular(chol, b, lower=True)


@stats_function
def logpdf(x, mean, cov, allow_singular=None):
    """``-|L⁻¹(x - mean)|²/2 - n log(2π)/2 - Σ log diag L`` with ``cov = L Lᵀ``
    (Cholesky). A scalar ``mean`` is univariate; a scalar ``cov`` with a vector ``mean``
    is ``cov`` times the identity. Leading axes of ``x``, ``mean`` and ``cov`` broadcast.

    Args:
      x: the points (the last axis holds a vector).
      mean: the mean vector.
      cov: the covariance matrix (symmetric positive definite), or a scalar.
      allow_singular: must be None (anything else is NotImplementedError, as in JAX).

    Returns:
      An array of the broadcast batch shape.

    Raises:
      ValueError: ``cov``'s shape does not match ``mean``'s.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.stats import multivariate_normal
      >>> cov = np.array([[2.0, 0.5], [0.5, 1.0]])
      >>> print(round(float(multivariate_normal.logpdf([1.0, 0.0], [0.0, 0.0], cov, allow_singular=None)), 12))
      -2.403399246091
    """
    if allow_singular is not None:
        raise NotImplementedError("allow_singular argument of multivariate_normal.logpdf")
    x, mean, cov = promote_dtypes_inexact(x, mean, cov, int_to="float64")
    log_2pi = math.log(2 * math.pi)
    mean_shape, cov_shape = mnp.shape(mean), mnp.shape(cov)
    if not mean_shape:
        return -1 / 2 * mnp.square(x - mean) / cov - 1 / 2 * (log_2pi + mnp.log(cov))
    n = mean_shape[-1]
    if not cov_shape:
        y = x - mean
        return -1 / 2 * mnp.einsum("...i,...i->...", y, y) / cov - n / 2 * (
            log_2pi + mnp.log(cov)
        )  # fmt: skip
    if len(cov_shape) < 2 or cov_shape[-2:] != (n, n):
        raise ValueError("multivariate_normal.logpdf got incompatible shapes")
    chol = mnp.linalg.cholesky(cov)
    y = mnp.vectorize(_solve_lower, signature="(n,n),(n)->(n)")(chol, x - mean)
    log_det_half = mnp.sum(mnp.log(mnp.diagonal(chol, axis1=-1, axis2=-2)), axis=-1)
    return -1 / 2 * mnp.einsum("...i,...i->...", y, y) - n / 2 * log_2pi - log_det_half


@stats_function
def pdf(x, mean, cov):
    """The multivariate normal density ``exp(logpdf(x, mean, cov))``.

    Args:
      x: the points (the last axis holds a vector).
      mean: the mean vector.
      cov: the covariance matrix, or a scalar.

    Returns:
      An array of the broadcast batch shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.stats import multivariate_normal
      >>> print(round(float(multivariate_normal.pdf([0.0, 0.0], [0.0, 0.0], np.eye(2))), 12))
      0.159154943092
    """
    return mnp.exp(logpdf(x, mean, cov))
