"""``multivariate_normal`` and ``orthogonal``: normal draws through a matrix factorisation.

Both are JAX's algorithms on JAX's keys: the standard normal draws are JAX's bit for
bit, and the factorisations are LAPACK's (through NumPy), as JAX's are on CPU. The last
bits can differ where the two libraries round differently (see each docstring).
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import fma
from mini_ad.random._continuous import _normal, _normal_over_sqrt2
from mini_ad.random._gamma import _check_shape
from mini_ad.random._keys import canonical_shape, check_key
from mini_ad.random._samplers import _float32_or_64, _float_dtype

_METHODS = ("svd", "eigh", "cholesky")


def _factor(cov, method: str):
    """``F`` with ``F Fᵀ = cov``: the Cholesky factor, or ``U sqrt(s)`` / ``V sqrt(w)``."""
    if method == "svd":
        u, s, _ = mnp.linalg.svd(cov)
        return mnp.multiply(u, mnp.sqrt(mnp.expand_dims(s, -2)))
    if method == "eigh":
        w, v = mnp.linalg.eigh(cov)
        return mnp.multiply(v, mnp.sqrt(mnp.expand_dims(w, -2)))
    symmetric = mnp.divide(mnp.add(cov, mnp.swapaxes(cov, -1, -2)), 2)  # as JAX's cholesky
    return mnp.linalg.cholesky(symmetric)


def multivariate_normal(key, mean, cov, shape=None, dtype=None, method="cholesky"):
    """Normal draws with mean ``mean`` and covariance ``cov`` (JAX:
    ``jax.random.multivariate_normal``): ``mean + F z`` with ``F Fᵀ = cov`` and ``z``
    standard normal draws.

    JAX's keys and formula, near its bits: ``z`` is JAX's exactly, and ``F`` comes from
    LAPACK as in JAX, but the product ``F z`` is summed in another order than XLA's dot
    kernels, and NumPy's LAPACK may round ``F`` differently. Measured against JAX (sizes
    1 to 12, all three methods, float64 and float32 cholesky), each draw ``x_i`` is
    within ``1.02 eps (|mean_i| + sqrt(cov_ii) sum_j |z_j|)`` of JAX's (about 80% of
    float64 draws were equal, never float32 ones). float32 ``eigh`` and ``svd`` raise:
    NumPy runs them in float64, whose eigenvectors' signs can differ from JAX's float32
    ones (a different draw altogether).

    Args:
        key: a single key.
        mean: the mean vector(s), shape ``(..., n)``.
        cov: positive (semi)definite covariance matrices, shape ``(..., n, n)``.
        shape: the batch shape of the result; default the broadcast batch shape of
            ``mean`` and ``cov``.
        dtype: the dtype of the normal draws; default ``mean``'s (float64 or float32).
        method: ``'cholesky'`` (default), ``'eigh'`` or ``'svd'`` (the last two allow
            singular ``cov``).

    Returns:
        An array of shape ``shape + (n,)``; differentiable in ``mean`` and ``cov``.

    Raises:
        ValueError: for an unknown ``method``, a non-float ``dtype``, or shapes that do
            not fit (``mean.ndim < 1``, ``cov.shape != (..., n, n)``, or batch shapes
            that do not broadcast to ``shape``).
        NotImplementedError: for float32 ``mean``/``cov`` with ``'eigh'`` or ``'svd'``,
            and for float16.

    >>> from mini_ad.random import key
    >>> multivariate_normal(key(0), mnp.zeros(2), mnp.eye(2), (3,)).shape
    (3, 2)
    """
    key = check_key("multivariate_normal", key)
    mean, cov = mnp.asarray(mean), mnp.asarray(cov)
    common = np.dtype(mnp.result_type(mean, cov))
    if common.kind not in "fc":  # JAX: promote_dtypes_inexact
        common = np.dtype(np.float64)
    mean, cov = mnp.asarray(mean, common), mnp.asarray(cov, common)
    if method not in _METHODS:
        raise ValueError("method must be one of {'svd', 'eigh', 'cholesky'}")
    dtype = common if dtype is None else _float_dtype("multivariate_normal", dtype)
    _float32_or_64("multivariate_normal", dtype)
    mean_shape, cov_shape = aval_of(mean).shape, aval_of(cov).shape
    if len(mean_shape) < 1:
        raise ValueError(
            f"multivariate_normal requires mean.ndim >= 1, got mean.ndim == {len(mean_shape)}"
        )
    if len(cov_shape) < 2:
        raise ValueError(
            f"multivariate_normal requires cov.ndim >= 2, got cov.ndim == {len(cov_shape)}"
        )
    n = mean_shape[-1]
    if cov_shape[-2:] != (n, n):
        raise ValueError(
            f"multivariate_normal requires cov.shape == (..., n, n) for n={n}, but got "
            f"cov.shape == {cov_shape}."
        )
    if shape is None:
        shape = mnp.broadcast_shapes(mean_shape[:-1], cov_shape[:-2])
    else:
        shape = canonical_shape(shape)
        _check_shape("normal", shape, mean_shape[:-1], cov_shape[:-2])
    if common == np.float32 and method != "cholesky":
        raise NotImplementedError(
            f"multivariate_normal(method={method!r}) with float32 mean/cov: NumPy runs float32 "
            "eigh/svd in float64, whose eigenvectors' signs can differ from JAX's float32 "
            "LAPACK ones (a different draw, not a rounding difference). Use float64 or "
            "method='cholesky'."
        )
    factor = _factor(cov, method)
    if cov_shape == (1, 1) and common == dtype:
        # XLA makes the one-term dot a product by a scalar, folds sqrt(2) into it and
        # fuses the add: fma(erf_inv(u), sqrt(2) factor, mean)
        scale = lax.mul(np.array(np.sqrt(2), dtype), mnp.reshape(factor, ()))
        e = _normal_over_sqrt2(key, shape + (n,), dtype)
        full = aval_of(e).shape
        return fma(e, mnp.broadcast_to(scale, full), mnp.broadcast_to(mean, full))
    z = _normal(key, shape + (n,), dtype)
    return mnp.add(mean, mnp.einsum("...ij,...j->...i", factor, z))


def orthogonal(key, n: int, shape=(), dtype=None, m=None):
    """A draw from the Haar measure on orthogonal matrices (JAX: ``jax.random.orthogonal``).

    The Q factor of the QR decomposition of a matrix of standard normal draws, its
    columns' signs fixed by ``sign(diag R)`` (Mezzadri's method), as JAX does. For
    ``m != n``, a semi-orthogonal ``n × m`` matrix (orthonormal rows if ``n < m``,
    columns otherwise).

    Bit for bit with JAX (the normal draws are JAX's, and the QR is LAPACK's in the
    draw's precision, as XLA's; equal for every size tried, 1 to 33, float32 and
    float64).

    Args:
        key: a single key.
        n: the number of rows.
        shape: batch dimensions of the result. Default ``()``.
        dtype: float64 (the default) or float32.
        m: the number of columns; default ``n``.

    Returns:
        An array of shape ``(*shape, n, m)``.

    Raises:
        ValueError: for a non-float ``dtype``. NotImplementedError: for float16.

    >>> from mini_ad.random import key
    >>> q = orthogonal(key(0), 3)
    >>> bool(mnp.allclose(q @ q.T, mnp.eye(3)))
    True
    """
    key = check_key("orthogonal", key)
    dtype = _float_dtype("orthogonal", dtype)
    _float32_or_64("orthogonal", dtype)
    shape = canonical_shape(shape)
    n = int(n)
    m = n if m is None else int(m)
    z = _normal(key, (*shape, max(n, m), min(n, m)), dtype)
    q, r = mnp.linalg.qr(z)
    signs = lax.sign(mnp.diagonal(r, axis1=-2, axis2=-1))
    x = mnp.multiply(q, mnp.expand_dims(signs, -2))
    return mnp.swapaxes(x, -1, -2) if n < m else x
