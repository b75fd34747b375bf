"""``mini_ad.numpy.linalg``: norms, solves, inverses, determinants and decompositions.

Matrices may carry leading batch dimensions ``(..., n, n)``, as in NumPy. The
functions are thin wrappers over the primitives of ``mini_ad.primitives.linalg_ops``
(``solve``, ``det``, ``slogdet``, ``triangular_solve``), ``decompositions`` (``cholesky``,
``eigh``) and ``orthogonal`` (``svd``, ``qr``, ``eig``), whose jvp rules are the
matrix-calculus identities JAX uses, so every function is differentiable to any order in
forward and reverse mode (``eig``: eigenvalues only, as in JAX). Complex matrices work
throughout; ``eigh`` and ``cholesky`` read them as Hermitian.

>>> import numpy as np
>>> solve(np.array([[2.0, 0.0], [0.0, 4.0]]), np.array([2.0, 2.0]))
array([1. , 0.5])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np  # noqa: F401 - the doctests' namespace

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import broadcast_shapes, broadcast_to, promote_dtypes_inexact
from mini_ad.numpy._linalg_svd import (
    EigResult,
    QRResult,
    SVDResult,
    cond,
    eig,
    eigvals,
    lstsq,
    matrix_power,
    matrix_rank,
    multi_dot,
    norm,
    pinv,
    qr,
    svd,
    tensorinv,
    tensorsolve,
)
from mini_ad.numpy._math import add, multiply
from mini_ad.numpy._shape import reshape
from mini_ad.primitives import decompositions as dec
from mini_ad.primitives import determinants as dets
from mini_ad.primitives import linalg_ops as lo

__all__ = [
    "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult", "cholesky", "cond",
    "det", "eig", "eigh", "eigvals", "eigvalsh", "inv", "lstsq", "matrix_power", "matrix_rank",
    "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "svd", "tensorinv", "tensorsolve",
    "triangular_solve",
]  # fmt: skip


class SlogdetResult(NamedTuple):
    sign: object
    logabsdet: object


class EighResult(NamedTuple):
    eigenvalues: object
    eigenvectors: object


def _square(a, name):
    (a,) = promote_dtypes_inexact(a)
    shape = aval_of(a).shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"{name}: last 2 dimensions of the array must be square, got {shape}")
    return a


def _symmetrized(a):
    """``(A + Aᴴ) / 2``: derivatives of Hermitian-matrix functions as in JAX."""
    return multiply(add(a, lo.adjoint(a)), 0.5)


def solve(a, b):
    """``x`` with ``a @ x == b``; ``b`` is one vector if 1-D, else ``(..., n, k)``.

    Derivative: ``dx = A⁻¹ (db − dA x)``.
    """
    a = _square(a, "solve")
    a, b = promote_dtypes_inexact(a, b)
    a_shape, b_shape = aval_of(a).shape, aval_of(b).shape
    vector = len(b_shape) == 1
    if vector:
        b = reshape(b, b_shape + (1,))
        b_shape = aval_of(b).shape
    batch = broadcast_shapes(a_shape[:-2], b_shape[:-2])
    a = broadcast_to(a, batch + a_shape[-2:])
    b = broadcast_to(b, batch + b_shape[-2:])
    x = lo.solve(a, b)
    return reshape(x, batch + b_shape[-2:-1]) if vector else x


def inv(a):
    """The inverse of each matrix (``solve(a, I)``); ``d inv = −A⁻¹ dA A⁻¹``.

    >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    a = _square(a, "inv")
    return lo.solve(a, lo.eye_like(a))


def det(a):
    """The determinant of each matrix; ``d det = det · tr(A⁻¹ dA)``.

    >>> float(det(np.array([[2.0, 1.0], [0.0, 3.0]])))
    6.0
    """
    return dets.det(_square(a, "det"))


def slogdet(a) -> SlogdetResult:
    """``(sign, log|det|)`` of each matrix; ``d log|det| = tr(A⁻¹ dA)``."""
    sign, logabsdet = dets.slogdet(_square(a, "slogdet"))
    return SlogdetResult(sign, logabsdet)


def cholesky(a, *, upper: bool = False, symmetrize_input: bool = True):
    """The Cholesky factor ``L`` with ``A = L Lᴴ`` (``Lᴴ`` if ``upper``). As in JAX the
    input is symmetrized first, and a matrix that is not positive definite gives NaNs.

    >>> cholesky(np.array([[4.0, 2.0], [2.0, 2.0]]))
    array([[2., 0.],
           [1., 1.]])
    """
    a = _square(a, "cholesky")
    chol = dec.cholesky(_symmetrized(a) if symmetrize_input else a)
    return lo.adjoint(chol) if upper else chol


def triangular_solve(a, b, *, left_side=False, lower=False, transpose_a=False, unit_diagonal=False):
    """``lax.linalg.triangular_solve``: ``op(A) X = B`` (``left_side``) or ``X op(A) = B``,
    reading one triangle of ``a``; ``b`` is ``(..., m, n)``."""
    (a,) = promote_dtypes_inexact(a)
    a, b = promote_dtypes_inexact(a, b)
    return lo.triangular_solve(
        a, b, left_side=left_side, lower=lower, transpose_a=transpose_a, unit_diagonal=unit_diagonal
    )


def eigh(a, UPLO=None, symmetrize_input: bool = True) -> EighResult:  # noqa: N803 - NumPy's name
    """``(eigenvalues, eigenvectors)`` of symmetric matrices, eigenvalues ascending.

    Derivatives (distinct eigenvalues): with ``S = Vᵀ dA V``, ``dw = diag(S)`` and
    ``dV = V (F ⊙ S)``, ``F_ij = 1/(w_j − w_i)``. Eigenvectors are defined up to sign.
    """
    a = _square(a, "eigh")
    lower = UPLO is None or UPLO == "L"
    v, w = dec.eigh(_symmetrized(a) if symmetrize_input else a, lower=lower)
    return EighResult(w, v)


def eigvalsh(a, UPLO=None):  # noqa: N803 - NumPy's name
    """Eigenvalues of symmetric matrices, ascending.

    >>> eigvalsh(np.array([[2.0, 0.0], [0.0, 1.0]]))
    array([1., 2.])
    """
    return eigh(a, UPLO).eigenvalues
