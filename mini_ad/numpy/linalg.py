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
from mini_ad.numpy._linalg_lstsq import lstsq
from mini_ad.numpy._linalg_svd import (
    EigResult,
    QRResult,
    SVDResult,
    cond,
    eig,
    eigvals,
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
    """What ``slogdet`` returns: ``sign`` (±1, or 0 for a singular matrix) and
    ``logabsdet`` (``log|det|``), so that ``det == sign * exp(logabsdet)``."""

    sign: object
    logabsdet: object


class EighResult(NamedTuple):
    """What ``eigh`` returns: ``eigenvalues`` ``(..., n)``, ascending, and
    ``eigenvectors`` ``(..., n, n)``, one per column."""

    eigenvalues: object
    eigenvectors: object


def _square(a, name):
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    shape = aval_of(a).shape
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"{name}: last 2 dimensions of the array must be square, got {shape}")
    return a


def _symmetrized(a):
    """``(A + Aᴴ) / 2``: derivatives of Hermitian-matrix functions as in JAX."""
    return multiply(add(a, lo.adjoint(a)), 0.5)


def solve(a, b):
    """Solve ``a @ x == b`` for ``x``, as ``numpy.linalg.solve``.

    ``b`` is one vector if 1-D, else ``(..., n, k)``; batch dimensions broadcast.
    Derivative: ``dx = A⁻¹ (db − dA x)``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.
      b: the right-hand side(s): ``(n,)`` or ``(..., n, k)``.

    Returns:
      ``x``, of ``b``'s (broadcast) shape.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0]))
      [1.  0.5]
    """
    a = _square(a, "solve")
    a, b = promote_dtypes_inexact(a, b, int_to=np.float64)
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
    """The inverse of each matrix, as ``numpy.linalg.inv`` (``solve(a, I)``).

    Derivative: ``d inv = −A⁻¹ dA A⁻¹``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.

    Returns:
      The inverses, of ``a``'s shape.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linalg.inv([[2.0, 0.0], [0.0, 4.0]]))
      [[0.5  0.  ]
       [0.   0.25]]
    """
    a = _square(a, "inv")
    return lo.solve(a, lo.eye_like(a))


def det(a):
    """The determinant of each matrix, as ``numpy.linalg.det``.

    Derivative: ``d det = det · tr(A⁻¹ dA)``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.

    Returns:
      The determinants, of shape ``a.shape[:-2]``.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linalg.det([[2.0, 1.0], [0.0, 3.0]]))
      6.0
    """
    return dets.det(_square(a, "det"))


def slogdet(a) -> SlogdetResult:
    """Sign and log of the absolute determinant of each matrix, as ``numpy.linalg.slogdet``.

    Derivative: ``d log|det| = Re tr(A⁻¹ dA)``; a real sign has a zero derivative, a complex
    one ``d sign = i Im tr(A⁻¹ dA) · sign``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.

    Returns:
      ``SlogdetResult(sign, logabsdet)``, each of shape ``a.shape[:-2]``.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> sign, logabsdet = mnp.linalg.slogdet([[-2.0, 0.0], [0.0, 3.0]])
      >>> print(sign, round(float(logabsdet), 6))
      -1.0 1.791759
    """
    sign, logabsdet = dets.slogdet(_square(a, "slogdet"))
    return SlogdetResult(sign, logabsdet)


def cholesky(a, *, upper: bool = False, symmetrize_input: bool = True):
    """The Cholesky factor ``L`` with ``A = L Lᴴ``, as ``numpy.linalg.cholesky``.

    As in JAX the input is symmetrized first (``(A + Aᴴ) / 2``), and a matrix that is not
    positive definite gives NaNs (NumPy raises).

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.
      upper: return the upper factor ``Lᵀ`` instead.
      symmetrize_input: symmetrize ``a`` first (so the derivative is symmetric too);
        with False only the lower triangle of ``a`` is read.

    Returns:
      The factors, of ``a``'s shape.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linalg.cholesky([[4.0, 2.0], [2.0, 2.0]]))
      [[2. 0.]
       [1. 1.]]
    """
    a = _square(a, "cholesky")
    chol = dec.cholesky(_symmetrized(a) if symmetrize_input else a)
    return lo.adjoint(chol) if upper else chol


def triangular_solve(a, b, *, left_side=False, lower=False, transpose_a=False, unit_diagonal=False):
    """Solve a triangular system, as ``jax.lax.linalg.triangular_solve``.

    Solves ``op(A) X = B`` (``left_side``) or ``X op(A) = B`` for ``X``, reading only one
    triangle of ``a``, where ``op`` is the identity or the transpose. Not in NumPy.

    Args:
      a: a triangular matrix ``(..., m, m)``.
      b: the right-hand sides ``(..., m, n)`` (``(..., n, m)`` when not ``left_side``).
      left_side: solve ``op(A) X = B`` rather than ``X op(A) = B``.
      lower: read the lower triangle of ``a`` (else the upper).
      transpose_a: ``op(A) = Aᵀ`` instead of ``A``.
      unit_diagonal: assume ones on the diagonal of ``a`` (its diagonal is not read).

    Returns:
      ``X``, of ``b``'s shape.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> a = np.array([[2.0, 0.0], [1.0, 1.0]])
      >>> b = np.array([[2.0], [3.0]])
      >>> print(mnp.linalg.triangular_solve(a, b, left_side=True, lower=True))
      [[1.]
       [2.]]
    """
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    a, b = promote_dtypes_inexact(a, b, int_to=np.float64)
    return lo.triangular_solve(
        a, b, left_side=left_side, lower=lower, transpose_a=transpose_a, unit_diagonal=unit_diagonal
    )


def eigh(a, UPLO=None, symmetrize_input: bool = True) -> EighResult:  # noqa: N803 - NumPy's name
    """Eigenvalues and eigenvectors of symmetric matrices, as ``numpy.linalg.eigh``.

    Eigenvalues are ascending; eigenvectors are the columns, defined up to sign. As in
    JAX the input is symmetrized first by default. Derivatives (distinct eigenvalues):
    with ``S = Vᵀ dA V``, ``dw = diag(S)`` and ``dV = V (F ⊙ S)``, ``F_ij = 1/(w_j − w_i)``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.
      UPLO: ``"L"`` (or None) reads the lower triangle, ``"U"`` the upper (when not
        symmetrizing).
      symmetrize_input: symmetrize ``a`` first (``(A + Aᴴ) / 2``).

    Returns:
      ``EighResult(eigenvalues, eigenvectors)``: ``(..., n)`` and ``(..., n, n)``.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> w, v = mnp.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
      >>> print(w)
      [1. 3.]
      >>> print(np.abs(np.round(v, 6)))
      [[0.707107 0.707107]
       [0.707107 0.707107]]
    """
    a = _square(a, "eigh")
    lower = UPLO is None or UPLO == "L"
    v, w = dec.eigh(_symmetrized(a) if symmetrize_input else a, lower=lower)
    return EighResult(w, v)


def eigvalsh(a, UPLO=None):  # noqa: N803 - NumPy's name
    """Eigenvalues of symmetric matrices, ascending, as ``numpy.linalg.eigvalsh``.

    Args:
      a: a square matrix ``(n, n)`` or a batch of them ``(..., n, n)``.
      UPLO: ``"L"`` (or None) or ``"U"``: as in ``eigh``.

    Returns:
      The eigenvalues, of shape ``a.shape[:-1]``.

    Raises:
      ValueError: the last two dimensions of ``a`` are not square.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linalg.eigvalsh([[2.0, 0.0], [0.0, 1.0]]))
      [1. 2.]
    """
    return eigh(a, UPLO).eigenvalues
