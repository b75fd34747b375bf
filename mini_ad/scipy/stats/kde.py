"""``gaussian_kde``: a Gaussian kernel density estimate, as ``jax.scipy.stats.gaussian_kde``
(a pytree, so it can be an argument of ``grad``, ``jit`` and ``vmap``)."""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import random
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.scipy import linalg, special
from mini_ad.tree_util import register_pytree_node_class

__all__ = ["gaussian_kde"]


def _check_real(x, what):
    if get_aval(mnp.asarray(x)).dtype.kind == "c":
        raise NotImplementedError(f"gaussian_kde does not support complex {what}")


@register_pytree_node_class
class gaussian_kde:  # noqa: N801 - SciPy's and JAX's name
    """A Gaussian kernel density estimate of the columns of ``dataset`` (``d`` rows,
    ``n`` points), with Scott's (default) or Silverman's bandwidth, a scalar factor or a
    callable of the estimate, and optional point weights.

    Attributes (pytree leaves): ``neff`` (the effective number of points), ``dataset``,
    ``weights`` (summing to 1), ``covariance`` (the data covariance times the squared
    bandwidth factor) and ``inv_cov``; ``d`` and ``n`` are the dimensions.

    Args:
      dataset: the points, shape ``(d, n)`` or ``(n,)`` for one dimension.
      bw_method: ``"scott"`` (None), ``"silverman"``, a scalar factor, or a callable
        taking the estimate and returning the factor.
      weights: optional weights of the points, shape ``(n,)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.stats import gaussian_kde
      >>> kde = gaussian_kde(np.array([-1.0, 0.0, 0.5, 2.0]), bw_method=None, weights=None)
      >>> print(np.round(kde.evaluate(np.array([0.0, 1.0])), 6))
      [0.26852  0.223548]
      >>> print(round(float(kde.integrate_box_1d(-np.inf, np.inf)), 12))
      1.0
    """

    def __init__(self, dataset, bw_method=None, weights=None):
        _check_real(dataset, "data")
        dataset = mnp.atleast_2d(dataset)
        if not math.prod(mnp.shape(dataset)) > 1:
            raise ValueError("`dataset` input should have multiple elements.")
        d, n = mnp.shape(dataset)
        if weights is not None:
            dataset, weights = promote_dtypes_inexact(dataset, weights, int_to=np.float64)
            weights = mnp.atleast_1d(weights)
            weights = weights / mnp.sum(weights)
            if len(mnp.shape(weights)) != 1:
                raise ValueError("`weights` input should be one-dimensional.")
            if mnp.shape(weights)[0] != n:
                raise ValueError("`weights` input should be of length n")
        else:
            (dataset,) = promote_dtypes_inexact(dataset, int_to=np.float64)
            weights = mnp.full(n, 1.0 / n, dtype=get_aval(dataset).dtype)
        self.dataset, self.weights = mnp.asarray(dataset), weights
        self.neff = 1 / mnp.sum(weights**2)
        if bw_method is None or (isinstance(bw_method, str) and bw_method == "scott"):
            factor = mnp.power(self.neff, -1.0 / (d + 4))
        elif isinstance(bw_method, str) and bw_method == "silverman":
            factor = mnp.power(self.neff * (d + 2) / 4.0, -1.0 / (d + 4))
        elif not isinstance(bw_method, str) and np.ndim(bw_method) == 0 and not callable(bw_method):
            factor = bw_method
        elif callable(bw_method):
            factor = bw_method(self)
        else:
            raise ValueError("`bw_method` should be 'scott', 'silverman', a scalar, or a callable.")
        data_cov = mnp.atleast_2d(mnp.cov(self.dataset, rowvar=True, bias=False, aweights=weights))
        self.covariance = data_cov * factor**2
        self.inv_cov = mnp.linalg.inv(data_cov) / factor**2

    def tree_flatten(self):
        return (self.neff, self.dataset, self.weights, self.covariance, self.inv_cov), None

    @classmethod
    def tree_unflatten(cls, aux_data, children):
        kde = cls.__new__(cls)
        kde.neff, kde.dataset, kde.weights, kde.covariance, kde.inv_cov = children
        return kde

    @property
    def d(self):
        """The dimension of the points."""
        return mnp.shape(self.dataset)[0]

    @property
    def n(self):
        """The number of points."""
        return mnp.shape(self.dataset)[1]

    def _reshape_points(self, points):
        _check_real(points, "coordinates")
        points = mnp.atleast_2d(points)
        d, m = mnp.shape(points)
        if d != self.d:
            if d == 1 and m == self.d:
                return mnp.reshape(points, (self.d, 1))
            raise ValueError(f"points have dimension {d}, dataset has dimension {self.d}")
        return points

    def _kernel_sum(self, points, in_log):
        """``Σ_i w_i N(x; x_i, covariance)`` for each column ``x`` of ``points`` (its log
        with ``in_log``, by logsumexp)."""
        data, weights, xi, precision = promote_dtypes_inexact(
            self.dataset, self.weights, self._reshape_points(points), self.inv_cov
        )  # fmt: skip
        whitening = mnp.linalg.cholesky(precision)
        train = mnp.matmul(mnp.transpose(data), whitening)  # (n, d)
        test = mnp.matmul(mnp.transpose(xi), whitening)  # (m, d)
        log_norm = mnp.sum(mnp.log(mnp.diagonal(whitening))) - 0.5 * self.d * math.log(2 * math.pi)
        arg = log_norm - 0.5 * mnp.sum((train[None, :, :] - test[:, None, :]) ** 2, axis=-1)
        if in_log:
            return special.logsumexp(mnp.log(weights)[None, :] + arg, axis=1)
        return mnp.sum(weights[None, :] * mnp.exp(arg), axis=1)

    def evaluate(self, points):
        """The estimated density at ``points`` (shape ``(d, m)``, or ``(m,)`` when
        ``d = 1``, or ``(d,)`` for one point)."""
        return self._kernel_sum(points, in_log=False)

    def __call__(self, points):
        """``evaluate(points)``."""
        return self.evaluate(points)

    def pdf(self, x):
        """``evaluate(x)``."""
        return self.evaluate(x)

    def logpdf(self, x):
        """The log of the estimated density at ``x`` (a logsumexp: no underflow)."""
        return self._kernel_sum(x, in_log=True)

    def _convolve(self, chol, norm, target, weights, mean):
        diff = target - mean[:, None]
        alpha = linalg.cho_solve(chol, diff)
        return norm * mnp.sum(mnp.exp(-0.5 * mnp.sum(diff * alpha, axis=0)) * weights)

    def _cho_norm(self, cov):
        chol = linalg.cho_factor(self.covariance + cov)
        return chol, 1.0 / (math.sqrt(2 * math.pi) ** self.d * mnp.prod(mnp.diag(chol[0])))

    def integrate_gaussian(self, mean, cov):
        """``∫ kde(x) N(x; mean, cov) dx``."""
        mean = mnp.atleast_1d(mnp.squeeze(mean))
        cov = mnp.atleast_2d(cov)
        if mnp.shape(mean) != (self.d,):
            raise ValueError(f"mean does not have dimension {self.d}")
        if mnp.shape(cov) != (self.d, self.d):
            raise ValueError(f"covariance does not have dimension {self.d}")
        chol, norm = self._cho_norm(cov)
        return self._convolve(chol, norm, self.dataset, self.weights, mean)

    def integrate_box_1d(self, low, high):
        """The estimated probability of ``[low, high]`` (one-dimensional data, scalar
        limits)."""
        if self.d != 1:
            raise ValueError("integrate_box_1d() only handles 1D pdfs")
        if np.ndim(low) != 0 or np.ndim(high) != 0:
            raise ValueError("the limits of integration in integrate_box_1d must be scalars")
        sigma = mnp.squeeze(mnp.sqrt(self.covariance))
        low = mnp.squeeze((low - self.dataset) / sigma)
        high = mnp.squeeze((high - self.dataset) / sigma)
        return mnp.sum(self.weights * (special.ndtr(high) - special.ndtr(low)))

    def integrate_kde(self, other):
        """``∫ kde(x) other(x) dx`` for another estimate of the same dimension."""
        if other.d != self.d:
            raise ValueError("KDEs are not the same dimensionality")
        chol, norm = self._cho_norm(other.covariance)
        small, large = (self, other) if self.n < other.n else (other, self)
        per_point = [
            self._convolve(chol, norm, large.dataset, large.weights, small.dataset[:, i])
            for i in range(small.n)
        ]
        return mnp.sum(mnp.stack(per_point) * small.weights)

    def resample(self, key, shape=()):
        """``shape`` new points (shape ``(d,) + shape``): a data point drawn by weight plus
        a normal with the kernel's covariance; for the same ``key``, JAX's draws (to rounding)."""
        ind_key, eps_key = random.split(key)
        ind = random.choice(ind_key, self.n, shape=shape, p=self.weights)
        dtype = get_aval(self.dataset).dtype
        normal = random.normal(eps_key, tuple(shape) + (self.d,), dtype)
        factor = mnp.linalg.cholesky(self.covariance)
        eps = mnp.zeros(self.d, dtype) + mnp.einsum("...ij,...j->...i", factor, normal)
        return self.dataset[:, ind] + mnp.transpose(eps)

    def integrate_box(self, low_bounds, high_bounds, maxpts=None):
        """Not supported (as in JAX): use ``integrate_box_1d``. ``low_bounds``,
        ``high_bounds`` and ``maxpts`` are ignored."""
        raise NotImplementedError("only 1D box integrations are supported; use `integrate_box_1d`")

    def set_bandwidth(self, bw_method=None):
        """Not supported (as in JAX): ``bw_method`` is fixed at construction."""
        raise NotImplementedError("dynamically changing the bandwidth method is not supported")
