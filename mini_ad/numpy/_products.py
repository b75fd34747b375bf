"""More products in ``mini_ad.numpy``: ``kron`` and the array API's ``vecdot``,
``matvec`` and ``vecmat`` (broadcasting over leading axes); compositions of
``multiply``, ``matmul`` and reductions, so bilinear and differentiable."""

from __future__ import annotations

import numpy as np  # noqa: F401 - the doctests' np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conjugate
from mini_ad.numpy._core import _operand, promote_dtypes
from mini_ad.numpy._linalg import matmul
from mini_ad.numpy._math import multiply
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import expand_dims, moveaxis, reshape, squeeze


def kron(a, b):
    """The Kronecker product: blocks ``a[i, j] * b``, for arrays of any rank.

    >>> kron(np.eye(2), np.array([[1.0, 2.0]]))
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]])
    """
    a, b = promote_dtypes(a, b)
    a_shape, b_shape = aval_of(a).shape, aval_of(b).shape
    n = max(len(a_shape), len(b_shape))
    a_shape = (1,) * (n - len(a_shape)) + a_shape
    b_shape = (1,) * (n - len(b_shape)) + b_shape
    a_split = reshape(a, tuple(d for k in a_shape for d in (k, 1)))
    b_split = reshape(b, tuple(d for k in b_shape for d in (1, k)))
    out = multiply(a_split, b_split)
    return reshape(out, tuple(i * j for i, j in zip(a_shape, b_shape, strict=True)))


def vecdot(x1, x2, /, *, axis=-1, precision=None, preferred_element_type=None):
    """Dot products ``sum(conj(x1) * x2)`` of vectors along ``axis`` (each operand's own
    ``axis``; the other axes broadcast), as ``jax.numpy.vecdot``.

    Args:
      x1, x2: the arrays of vectors (broadcast together).
      axis: the vectors' axis.
      precision, preferred_element_type: accepted for NumPy compatibility (ignored).

    Returns:
      The dot products.

    Examples:
      >>> vecdot(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([1.0, 1.0]))
      array([3., 7.])
    """
    x1, x2 = promote_dtypes(x1, x2)
    x1 = moveaxis(x1, axis, -1) if aval_of(x1).ndim else x1
    x2 = moveaxis(x2, axis, -1) if aval_of(x2).ndim else x2
    return sum_(multiply(conjugate(x1), x2), axis=-1)


def matvec(x1, x2, /):
    """Matrix-vector products ``x1 @ x2`` of stacks of matrices (…, m, n) and vectors
    (…, n), broadcasting the leading axes.

    >>> matvec(np.eye(2) * 2.0, np.array([1.0, 3.0]))
    array([2., 6.])
    """
    x2 = expand_dims(_operand(x2), -1)
    return squeeze(matmul(x1, x2), -1)


def vecmat(x1, x2, /):
    """Vector-matrix products ``conj(x1) @ x2`` of stacks of vectors (…, n) and matrices
    (…, n, m), as the array API's ``vecmat`` (the vectors are conjugated).

    Args:
      x1: vectors, ``(..., n)``.
      x2: matrices, ``(..., n, m)``.

    Returns:
      The products ``conj(x1) @ x2``, ``(..., m)``.

    Examples:
      >>> vecmat(np.array([1.0, 3.0]), np.eye(2) * 2.0)
      array([2., 6.])
    """
    x1 = expand_dims(conjugate(_operand(x1)), -2)
    return squeeze(matmul(x1, x2), -2)
