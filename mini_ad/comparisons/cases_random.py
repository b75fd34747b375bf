"""``random`` samplers on the same key in both libraries (``np.ad.random`` is
``mini_ad.random`` or ``jax.random``): poisson counts, multivariate normal draws (and
their derivatives in the mean and covariance), orthogonal matrices and float32
truncated normal draws (and their derivatives in the bounds).
"""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

FIRST_ORDER = ("value", "grad", "jvp", "vjp")


@case("statistics", onp.array([0.5, 3.0, 9.5, 12.0, 250.0]), transforms=("value",), fd=False,
      note="integer draws: no derivative")  # fmt: skip
def random_poisson_counts(np, lam):
    r = np.ad.random
    return r.poisson(r.PRNGKey(0), lam, (4, 5))


@case("statistics", A(3, lo=-1, hi=1), transforms=FIRST_ORDER, order=1)
def random_multivariate_normal_mean(np, mean):
    r = np.ad.random
    cov = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])
    return (r.multivariate_normal(r.PRNGKey(1), mean, cov, (6,)) ** 2).sum()


@case("statistics", A(2, 2, lo=0.0, hi=0.3), transforms=FIRST_ORDER, order=1)
def random_multivariate_normal_cov_eigh(np, noise):
    r = np.ad.random
    cov = np.eye(2) * 2.0 + noise @ noise.T
    return r.multivariate_normal(r.PRNGKey(2), np.zeros(2), cov, (5,), method="eigh").sum()


@case("statistics", onp.float64(0.0), transforms=("value",), fd=False,
      note="no inputs: a random orthogonal matrix times a constant")  # fmt: skip
def random_orthogonal(np, shift):
    r = np.ad.random
    return r.orthogonal(r.PRNGKey(3), 4, (2,)) + shift


@case("statistics", onp.float32(-1.5), transforms=FIRST_ORDER, order=1, fd=False,
      note="float32: central differences are too coarse; checked against JAX")  # fmt: skip
def random_truncated_normal_float32(np, lower):
    r = np.ad.random
    return r.truncated_normal(r.PRNGKey(4), lower, 2.0, (6,), np.float32).sum()
