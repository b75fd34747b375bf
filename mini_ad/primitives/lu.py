"""``lu`` (LU factorization with partial pivoting) and ``lu_pivots_to_permutation``, JAX's
``lax.linalg`` primitives, on stacks ``(..., m, n)``, real or complex.

``lu(A) = [LU, pivots, permutation]`` with ``A[permutation] = L U``: ``L`` unit lower
triangular (strictly below the diagonal of ``LU``), ``U`` upper triangular (on and above
it), ``pivots`` LAPACK's row swaps (0-based) and ``permutation`` their composition. The
impl is NumPy (the same choice of pivots as LAPACK's ``getrf``: the first largest
magnitude, ``|re| + |im|`` for complex). jvp, square matrices (JAX also handles rectangular ones): with
``Φ = L⁻¹ P dA U⁻¹``, ``dL = L tril(Φ, −1)`` and ``dU = triu(Φ) U``; the integer outputs
have zero tangents.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.elementwise import add, convert_element_type, eq, mul
from mini_ad.primitives.helpers import def_zero_jvp
from mini_ad.primitives.linalg_ops import constant_matrix, matmul, triangular_solve
from mini_ad.primitives.structural import broadcast_in_dim
from mini_ad.primitives.taylor import jet_from_jvp, zero_jet

lu_p = Primitive("lu", multiple_results=True)
lu_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def lu(a) -> list:
    """``[LU, pivots, permutation]`` of each matrix of ``a`` (JAX's order of results)."""
    return lu_p.bind(a)


def _lu_impl(a):
    a = np.array(a, copy=True)
    *batch, m, n = a.shape
    flat = a.reshape(-1, m, n)
    count = flat.shape[0]
    k = min(m, n)
    pivots = np.zeros((count, k), np.int32)
    perm = np.tile(np.arange(m, dtype=np.int32), (count, 1))
    rows = np.arange(count)
    for j in range(k):
        column = flat[:, j:, j]  # LAPACK's magnitude: |re| + |im| for complex numbers
        p = j + np.argmax(np.abs(column.real) + np.abs(column.imag), axis=1)
        pivots[:, j] = p
        flat[rows, j], flat[rows, p] = flat[rows, p].copy(), flat[rows, j].copy()
        perm[rows, j], perm[rows, p] = perm[rows, p].copy(), perm[rows, j].copy()
        pivot = flat[:, j, j]
        safe = np.where(pivot == 0, 1, pivot)  # a zero column: nothing to eliminate
        flat[:, j + 1 :, j] /= safe[:, None]
        flat[:, j + 1 :, j + 1 :] -= flat[:, j + 1 :, j, None] * flat[:, j, None, j + 1 :]
    return [
        flat.reshape(a.shape),
        pivots.reshape((*batch, k)),
        perm.reshape((*batch, m)),
    ]


def _lu_abstract_eval(a):
    if a.ndim < 2 or a.dtype.kind not in "fc":
        raise TypeError(f"lu needs floating or complex matrices (..., m, n), got {a.str_short()}.")
    *batch, m, n = a.shape
    return [
        ShapedArray(a.shape, a.dtype),
        ShapedArray((*batch, min(m, n)), np.int32),
        ShapedArray((*batch, m), np.int32),
    ]


def permutation_matrix(permutation, dtype):
    """``P`` with ``P_ij = [permutation_i == j]`` (so ``P A = A[permutation]``)."""
    shape = aval_of(permutation).shape
    m = shape[-1]
    nd = len(shape) + 1
    rows = broadcast_in_dim(permutation, (*shape, m), tuple(range(nd - 1)))
    cols = broadcast_in_dim(np.arange(m, dtype=np.int32), (*shape, m), (nd - 1,))
    return convert_element_type(eq(rows, cols), dtype)


def _lu_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    lu_, pivots, permutation = lu(a)
    m, n = aval_of(a).shape[-2:]
    if m != n:
        raise NotImplementedError("lu: the jvp is implemented for square matrices only.")
    dtype = aval_of(a).dtype
    pa_dot = matmul(permutation_matrix(permutation, dtype), a_dot)
    left = triangular_solve(lu_, pa_dot, left_side=True, lower=True, unit_diagonal=True)
    phi = triangular_solve(lu_, left, left_side=False, lower=False)  # L⁻¹ P dA U⁻¹
    strict_lower = constant_matrix(np.tril(np.ones((n, n)), -1), a)
    upper = constant_matrix(np.triu(np.ones((n, n))), a)
    l_full = add(mul(lu_, strict_lower), constant_matrix(np.eye(n), a))
    u_full = mul(lu_, upper)
    l_dot = matmul(l_full, mul(phi, strict_lower))
    u_dot = matmul(mul(phi, upper), u_full)
    return [lu_, pivots, permutation], [add(l_dot, u_dot), None, None]


def _lu_batch(axis_size, vals, dims):
    return lu(bdim_at_front(vals[0], dims[0], axis_size)), [0, 0, 0]


lu_p.impl = _lu_impl
lu_p.abstract_eval = _lu_abstract_eval
lu_p.jvp = _lu_jvp
lu_p.batch = _lu_batch
lu_p.lowering = lambda lx, a: list(lx.lax.linalg.lu(a))

# --- lu_pivots_to_permutation ------------------------------------------------------------------

lu_pivots_to_permutation_p = Primitive("lu_pivots_to_permutation")


def lu_pivots_to_permutation(pivots, permutation_size: int):
    """The permutation made by applying LAPACK's row swaps ``pivots`` to ``arange``."""
    return lu_pivots_to_permutation_p.bind(pivots, permutation_size=int(permutation_size))


def _pivots_impl(pivots, *, permutation_size):
    pivots = np.asarray(pivots)
    flat = pivots.reshape(-1, pivots.shape[-1])
    perm = np.tile(np.arange(permutation_size, dtype=np.int32), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        perm[rows, j], perm[rows, p] = perm[rows, p].copy(), perm[rows, j].copy()
    return perm.reshape(pivots.shape[:-1] + (permutation_size,))


def _pivots_abstract_eval(pivots, *, permutation_size):
    if pivots.dtype.kind not in "iu" or pivots.ndim < 1:
        raise TypeError(f"lu_pivots_to_permutation needs integer pivots, got {pivots.str_short()}.")
    return ShapedArray(pivots.shape[:-1] + (permutation_size,), np.int32)


lu_pivots_to_permutation_p.impl = _pivots_impl
lu_pivots_to_permutation_p.abstract_eval = _pivots_abstract_eval
def_zero_jvp(lu_pivots_to_permutation_p)
lu_pivots_to_permutation_p.batch = lambda axis_size, vals, dims, **params: (
    lu_pivots_to_permutation_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params),
    0,
)
lu_pivots_to_permutation_p.lowering = lambda lx, pivots, *, permutation_size: (
    lx.lax.linalg.lu_pivots_to_permutation(pivots, permutation_size)
)

lu_p.jet = jet_from_jvp(lu_p)  # Taylor mode from the jvp
lu_pivots_to_permutation_p.jet = zero_jet(lu_pivots_to_permutation_p)
