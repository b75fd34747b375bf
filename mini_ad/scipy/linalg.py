"""``mini_ad.scipy.linalg``: the ``jax.scipy.linalg`` look-alike.

``solve_triangular``, ``cho_factor``/``cho_solve``, ``lu``/``lu_factor``/``lu_solve``,
``expm``, ``sqrtm``, ``solve_sylvester``, ``block_diag`` and ``eigh`` (with
``eigvals_only``), written over the
primitives of ``mini_ad.primitives`` (``triangular_solve``, ``cholesky``, ``lu``,
``solve``, ``eigh``), so each
is differentiable to any order, batches under ``vmap`` and compiles under ``jit``.
Real and complex inputs; Hermitian where the math asks for it.

>>> import numpy as np
>>> solve_triangular(np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([2.0, 3.0]), lower=True)
array([1., 2.])
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy import linalg as _np_linalg
from mini_ad.numpy._core import _operand, promote_dtypes_inexact
from mini_ad.numpy._core import promote_dtypes as _promote_dtypes
from mini_ad.numpy._einsum import einsum
from mini_ad.numpy._math import add, multiply
from mini_ad.numpy._pad import pad
from mini_ad.numpy._shape import concatenate, reshape, swapaxes
from mini_ad.primitives import decompositions as dec
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import lu as lu_prim
from mini_ad.primitives import matrix_functions as mf

__all__ = [
    "block_diag", "cho_factor", "cho_solve", "eigh", "expm", "lu", "lu_factor", "lu_solve",
    "solve_sylvester", "solve_triangular", "sqrtm",
]  # fmt: skip

_TRANS = {0: (False, False), "N": (False, False), 1: (True, False), "T": (True, False),
          2: (True, True), "C": (True, True)}  # fmt: skip


def _as_matrix_rhs(b):
    """``b`` as ``(..., n, k)`` and a function restoring its shape."""
    vector = aval_of(b).ndim == 1
    if vector:
        return reshape(b, (-1, 1)), lambda x: reshape(x, (-1,))
    return b, lambda x: x


def solve_triangular(a, b, trans=0, lower: bool = False, unit_diagonal: bool = False):
    """``x`` with ``op(a) x = b``, reading one triangle of ``a``; ``trans`` 0/'N' (``a``),
    1/'T' (``aᵀ``) or 2/'C' (``aᴴ``).

    Args:
        a: a triangular matrix ``(..., n, n)``.
        b: the right-hand side, ``(n,)`` or ``(..., n, k)``.
        trans: which ``op(a)`` to solve with.
        lower: read the lower triangle of ``a`` (else the upper).
        unit_diagonal: take ``a``'s diagonal as ones.

    Returns:
        ``x``, of ``b``'s shape.

    Examples:
        >>> solve_triangular(np.array([[2.0, 1.0], [0.0, 1.0]]), np.array([3.0, 1.0]))
        array([1., 1.])
    """
    a, b = promote_dtypes_inexact(_operand(a), _operand(b), int_to=np.float64)
    transpose_a, conjugate_a = _TRANS[trans]
    b, restore = _as_matrix_rhs(b)
    x = lo.triangular_solve(
        a, b, left_side=True, lower=lower, transpose_a=transpose_a,
        conjugate_a=conjugate_a and aval_of(a).dtype.kind == "c", unit_diagonal=unit_diagonal,
    )  # fmt: skip
    return restore(x)


def cho_factor(a, lower: bool = False):
    """``(c, lower)``: the Cholesky factor (``L`` if ``lower`` else ``Lᴴ``), zeros in the
    other triangle (as JAX; SciPy leaves the input's entries there).

    Args:
        a: a Hermitian positive-definite matrix.
        lower: return the lower factor ``L`` (else the upper ``Lᴴ``).

    Returns:
        ``(c, lower)``, ready for ``cho_solve``.

    Examples:
        >>> c, low = cho_factor(np.array([[4.0, 2.0], [2.0, 3.0]]), lower=True)
        >>> print(np.round(c, 6))
        [[2.       0.      ]
         [1.       1.414214]]
    """
    c = _np_linalg.cholesky(a, upper=not lower)
    return c, lower


def cho_solve(c_and_lower, b):
    """``x`` with ``A x = b`` given ``cho_factor(A)``.

    Args:
        c_and_lower: the ``(c, lower)`` pair of ``cho_factor``.
        b: the right-hand side, ``(n,)`` or ``(..., n, k)``.

    Returns:
        ``x``, of ``b``'s shape.

    Examples:
        >>> cf = cho_factor(np.array([[4.0, 2.0], [2.0, 3.0]]))
        >>> cho_solve(cf, np.array([2.0, 1.0]))
        array([0.5, 0. ])
    """
    c, lower = c_and_lower
    c, b = promote_dtypes_inexact(_operand(c), _operand(b), int_to=np.float64)
    b, restore = _as_matrix_rhs(b)
    complex_ = aval_of(c).dtype.kind == "c"
    if lower:  # L Lᴴ x = b
        y = lo.triangular_solve(c, b, left_side=True, lower=True)
        x = lo.triangular_solve(c, y, left_side=True, lower=True, transpose_a=True,
                                conjugate_a=complex_)  # fmt: skip
    else:  # Uᴴ U x = b
        y = lo.triangular_solve(c, b, left_side=True, lower=False, transpose_a=True,
                                conjugate_a=complex_)  # fmt: skip
        x = lo.triangular_solve(c, y, left_side=True, lower=False)
    return restore(x)


def eigh(a, b=None, lower: bool = True, eigvals_only: bool = False, **kwargs):
    """Eigenvalues (ascending) and eigenvectors of a Hermitian matrix, reading its
    ``lower`` (or upper) triangle; only the eigenvalues with ``eigvals_only``. The
    generalized problem (``b``) is not supported (JAX: neither).

    Args:
        a: a Hermitian matrix ``(..., n, n)``.
        b: must be ``None``.
        lower: read the lower triangle of ``a`` (else the upper).
        eigvals_only: return the eigenvalues alone.

    Returns:
        ``(w, v)`` (columns of ``v`` the eigenvectors), or ``w`` with ``eigvals_only``.

    Examples:
        >>> eigh(np.array([[2.0, 1.0], [1.0, 2.0]]), eigvals_only=True)
        array([1., 3.])
    """
    if b is not None:
        raise NotImplementedError("eigh: only the standard eigenproblem (b=None) is supported.")
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    v, w = dec.eigh(a, lower=lower)
    return w if eigvals_only else (w, v)


def block_diag(*arrs):
    """The block-diagonal matrix of the given 2-D (or scalar / 1-D) blocks.

    Args:
        *arrs: the blocks, in order down the diagonal.

    Returns:
        A 2-D array with the blocks on its diagonal, zeros elsewhere.

    Examples:
        >>> print(block_diag(np.array([[1.0]]), np.array([[2.0, 3.0]])))
        [[1. 0. 0.]
         [0. 2. 3.]]
    """
    if not arrs:
        return np.zeros((1, 0))
    blocks = []
    for x in _promote_dtypes(*[_operand(x) for x in arrs]):
        nd = aval_of(x).ndim
        blocks.append(reshape(x, (1, 1)) if nd == 0 else reshape(x, (1, -1)) if nd == 1 else x)
    total = sum(aval_of(x).shape[1] for x in blocks)
    rows, before = [], 0
    for x in blocks:
        width = aval_of(x).shape[1]
        rows.append(pad(x, ((0, 0), (before, total - before - width))))
        before += width
    return concatenate(rows, axis=0)


def solve_sylvester(a, b, q):
    """``x`` with ``a x + x b = q`` (``a`` m×m, ``b`` n×n), as one linear solve of size
    ``m n`` (``(a ⊗ I + I ⊗ bᵀ) vec(x) = vec(q)``, rows flattened): meant for small
    matrices. Differentiable in ``a``, ``b`` and ``q``.

    Args:
        a: an ``(m, m)`` matrix.
        b: an ``(n, n)`` matrix.
        q: the ``(m, n)`` right-hand side.

    Returns:
        ``x``, ``(m, n)``.

    Examples:
        >>> solve_sylvester(np.array([[1.0]]), np.array([[2.0]]), np.array([[6.0]]))
        array([[2.]])
    """
    a, b, q = promote_dtypes_inexact(_operand(a), _operand(b), _operand(q), int_to=np.float64)
    m, n = aval_of(a).shape[-1], aval_of(b).shape[-1]
    eye_m = np.eye(m, dtype=aval_of(a).dtype)
    eye_n = np.eye(n, dtype=aval_of(a).dtype)
    kron_a = reshape(einsum("ik,jl->ijkl", a, eye_n), (m * n, m * n))
    kron_b = reshape(einsum("ik,jl->ijkl", eye_m, swapaxes(b, 0, 1)), (m * n, m * n))
    x = lo.solve(add(kron_a, kron_b), reshape(q, (m * n, 1)))
    return reshape(x, (m, n))


def lu(a, permute_l: bool = False):
    """``(P, L, U)`` with ``a = P @ L @ U`` (``(P @ L, U)`` with ``permute_l``): ``L``
    unit lower triangular ``(m, k)``, ``U`` upper triangular ``(k, n)``.

    Args:
        a: an ``(..., m, n)`` matrix.
        permute_l: return ``(P @ L, U)`` instead of ``(P, L, U)``.

    Returns:
        ``(P, L, U)``, or ``(P @ L, U)`` with ``permute_l``.

    Examples:
        >>> p, l, u = lu(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> print(np.round(u, 6))
        [[3.       4.      ]
         [0.       0.666667]]
    """
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    packed, _, permutation = lu_prim.lu(a)
    m, n = aval_of(a).shape[-2:]
    k = min(m, n)
    dtype = aval_of(a).dtype
    rows_l = tuple(aval_of(a).shape[:-2]) + (m, k)
    l_part = multiply(packed[..., :, :k], np.tril(np.ones((m, k), dtype), -1))
    lower = add(l_part, np.broadcast_to(np.eye(m, k, dtype=dtype), rows_l))
    upper = multiply(packed[..., :k, :], np.triu(np.ones((k, n), dtype)))
    p_dtype = dtype if permute_l else np.zeros((), dtype).real.dtype  # P is real (SciPy, JAX)
    p = swapaxes(lu_prim.permutation_matrix(permutation, p_dtype), -1, -2)
    if permute_l:
        return lo.matmul(p, lower), upper
    return p, lower, upper


def lu_factor(a):
    """``(lu, piv)``: ``L`` and ``U`` packed in one matrix and LAPACK's pivots (0-based).

    Args:
        a: an ``(..., n, n)`` matrix.

    Returns:
        ``(lu, piv)``, ready for ``lu_solve``.

    Examples:
        >>> lu_mat, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
        >>> print(np.round(lu_mat, 6), piv)
        [[3.       4.      ]
         [0.333333 0.666667]] [1 1]
    """
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    packed, pivots, _ = lu_prim.lu(a)
    return packed, pivots


def lu_solve(lu_and_piv, b, trans=0):
    """``x`` with ``op(A) x = b`` given ``lu_factor(A)``; ``trans`` as ``solve_triangular``.

    Args:
        lu_and_piv: the ``(lu, piv)`` pair of ``lu_factor``.
        b: the right-hand side, ``(n,)`` or ``(..., n, k)``.
        trans: 0/'N' (``A``), 1/'T' (``Aᵀ``) or 2/'C' (``Aᴴ``).

    Returns:
        ``x``, of ``b``'s shape.

    Examples:
        >>> lu_solve(lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]])), np.array([5.0, 11.0]))
        array([1., 2.])
    """
    packed, pivots = lu_and_piv
    packed, b = promote_dtypes_inexact(_operand(packed), _operand(b), int_to=np.float64)
    b, restore = _as_matrix_rhs(b)
    n = aval_of(packed).shape[-1]
    dtype = aval_of(packed).dtype
    p = lu_prim.permutation_matrix(lu_prim.lu_pivots_to_permutation(pivots, n), dtype)
    transpose_a, conjugate_a = _TRANS[trans]
    conjugate_a = conjugate_a and dtype.kind == "c"
    if not transpose_a:  # P A = L U:  x = U⁻¹ L⁻¹ P b
        y = lo.triangular_solve(packed, lo.matmul(p, b), left_side=True, lower=True,
                                unit_diagonal=True)  # fmt: skip
        return restore(lo.triangular_solve(packed, y, left_side=True, lower=False))
    # op(A) = op(U) op(L) P:  x = Pᵀ op(L)⁻¹ op(U)⁻¹ b
    y = lo.triangular_solve(packed, b, left_side=True, lower=False, transpose_a=True,
                            conjugate_a=conjugate_a)  # fmt: skip
    y = lo.triangular_solve(packed, y, left_side=True, lower=True, transpose_a=True,
                            conjugate_a=conjugate_a, unit_diagonal=True)  # fmt: skip
    return restore(lo.matmul(swapaxes(p, -1, -2), y))


def expm(A, *, upper_triangular: bool = False, max_squarings: int = 16):  # noqa: N803
    """The matrix exponential ``e^A`` (Padé 13 with scaling and squaring); derivatives
    through its Fréchet derivative (``mini_ad.primitives.matrix_functions``).

    Args:
        A: a square matrix ``(..., n, n)``.
        upper_triangular: accepted for JAX compatibility; ignored.
        max_squarings: accepted for JAX compatibility; ignored.

    Returns:
        ``e^A``, of ``A``'s shape.

    Examples:
        >>> print(np.round(expm(np.array([[0.0, 1.0], [0.0, 0.0]])), 6))
        [[1. 1.]
         [0. 1.]]
    """
    del upper_triangular, max_squarings  # JAX's tuning knobs; the value is the same
    (a,) = promote_dtypes_inexact(_operand(A), int_to=np.float64)
    return mf.expm(a)


def sqrtm(A, blocksize: int = 1):  # noqa: N803 - SciPy's name
    """The principal square root of a diagonalizable matrix, complex as in JAX;
    differentiable (``S dS + dS S = dA``), where JAX's is not.

    Args:
        A: a square matrix ``(n, n)``.
        blocksize: SciPy's tuning knob; ignored.

    Returns:
        ``S`` with ``S @ S = A``, complex.

    Examples:
        >>> print(np.round(sqrtm(np.array([[4.0, 0.0], [0.0, 9.0]])), 6))
        [[2.+0.j 0.+0.j]
         [0.+0.j 3.+0.j]]
    """
    del blocksize
    (a,) = promote_dtypes_inexact(_operand(A), int_to=np.float64)
    return mf.sqrtm(a)
