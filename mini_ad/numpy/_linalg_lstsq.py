"""``lstsq``: least squares through the SVD, with JAX's cutoff and residuals."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conj, real
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.numpy._linalg import matmul
from mini_ad.numpy._linalg_svd import _hermitian_transpose, _matrices
from mini_ad.numpy._logic import logical_and
from mini_ad.numpy._math import greater, greater_equal, multiply, true_divide, where
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import expand_dims, reshape
from mini_ad.primitives import orthogonal as orth


def lstsq(a, b, rcond=None, *, numpy_resid: bool = False):
    """``(x, residuals, rank, s)`` minimizing ``‖a x − b‖``, as in JAX: ``x`` from the SVD,
    singular values below ``rcond · s[0]`` (default ``max(m, n) eps``; a negative ``rcond``
    means ``eps``) and zeros dropped; ``residuals`` are the squared column norms of
    ``b − a x``, always computed unless ``numpy_resid`` asks for NumPy's empty ``residuals``
    when ``rank < n`` or ``m <= n``.
    Args:
        a: ``(m, n)``; b: ``(m,)`` or ``(m, k)``; rcond: the relative singular-value cutoff;
        numpy_resid: NumPy's empty residuals in its cases (kept when the rank is traced).
    Returns:
        ``(x, residuals, rank, s)``.
    Examples:
        >>> print(lstsq(np.array([[1.0], [1.0]]), np.array([1.0, 3.0]))[0])
        [2.]
        >>> print(lstsq(np.eye(2), np.ones(2), numpy_resid=True)[1])
        []
    """
    a = _matrices(a, "lstsq")
    a, b = promote_dtypes_inexact(a, b, int_to=np.float64)
    vector = aval_of(b).ndim == 1
    if vector:
        b = reshape(b, (-1, 1))
    m, n = aval_of(a).shape
    dtype = aval_of(a).dtype
    eps = np.finfo(dtype).eps
    if rcond is None:
        rcond = max(m, n) * eps
    elif not isinstance(rcond, Tracer) and np.ndim(rcond) == 0:
        rcond = eps if rcond < 0 else rcond
    s, u, vh = orth.svd(a, full_matrices=False)
    keep = logical_and(greater(s, 0), greater_equal(s, multiply(s[..., :1], rcond)))
    s_inv = where(keep, true_divide(1.0, where(keep, s, 1.0)), 0.0)
    uhb = multiply(expand_dims(s_inv, -1), matmul(_hermitian_transpose(u), b))
    x = matmul(_hermitian_transpose(vh), uhb)
    rank = sum_(keep)
    residual = b - matmul(a, x)
    residuals = sum_(real(multiply(residual, conj(residual))), axis=0)
    if numpy_resid and (m <= n or (not isinstance(rank, Tracer) and int(rank) < n)):
        residuals = np.zeros((0,), aval_of(s).dtype)  # a traced rank keeps the residuals
    if vector:
        x = reshape(x, (n,))
    return x, residuals, rank, s
