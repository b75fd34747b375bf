"""Matrix factorizations of Hermitian matrices: ``cholesky`` and ``eigh`` (JAX's
``lax.linalg`` primitives), on stacks ``(..., n, n)``, real or complex.

Complex matrices are Hermitian (``A = Aᴴ``), and every transpose in the rules is the
conjugate transpose ``ᴴ`` (``adjoint``); on real matrices ``ᴴ`` is ``ᵀ`` and the rules are
the real ones. The jvp rules are written with primitives, so both factorizations are
differentiable to any order; reverse mode transposes their linear parts (JAX's vjp
convention: a transpose, never a conjugate transpose).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import real, real_dtype
from mini_ad.primitives.elementwise import add, convert_element_type, div, mul, sub
from mini_ad.primitives.linalg_ops import (
    _check_square,
    adjoint,
    constant_matrix,
    eye_like,
    matmul,
    triangular_solve,
)
from mini_ad.primitives.reductions import reduce_sum
from mini_ad.primitives.structural import broadcast_in_dim
from mini_ad.primitives.taylor import jet_from_jvp

# --- cholesky ---------------------------------------------------------------------------------

cholesky_p = Primitive("cholesky")
cholesky_p.lowering = lambda lx, a: lx.lax.linalg.cholesky(a, symmetrize_input=False)
cholesky_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def cholesky(a):
    """The lower Cholesky factor ``L`` (``A = L Lᴴ``), reading ``a``'s lower triangle.
    A matrix that is not positive definite gives NaNs (as in JAX), not an error."""
    return cholesky_p.bind(a)


def _cholesky_impl(a):
    a = np.asarray(a)
    single = a.dtype in (np.float32, np.complex64)
    if not single:
        try:
            return np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            pass
    # one matrix at a time; float32 and complex64 with LAPACK's single-precision potrf
    # (through SciPy), as XLA does, where NumPy would run double precision
    from scipy.linalg import cholesky as potrf

    flat = a.reshape((-1,) + a.shape[-2:])
    out = np.full(flat.shape, np.nan, a.dtype)
    for i, m in enumerate(flat):
        try:
            out[i] = potrf(m, lower=True) if single else np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            pass
    above = np.triu(np.ones(a.shape[-2:], bool), 1)  # JAX: NaN below the diagonal, 0 above
    return np.where(above, np.zeros((), a.dtype), out).reshape(a.shape)


def _cholesky_abstract_eval(a):
    _check_square("cholesky", a)
    return ShapedArray(a.shape, a.dtype, False)


def _cholesky_jvp(primals, tangents):
    # A = L Lᴴ  =>  L⁻¹ dA L⁻ᴴ = L⁻¹ dL + (L⁻¹ dL)ᴴ, whose lower triangle with the diagonal
    # halved is L⁻¹ dL (lower triangular):  dL = L Φ(L⁻¹ dA L⁻ᴴ)
    (a,), (a_dot,) = primals, tangents
    chol = cholesky(a)
    left = triangular_solve(chol, a_dot, left_side=True, lower=True)  # L⁻¹ dA
    middle = triangular_solve(  # · L⁻ᴴ
        chol, left, left_side=False, lower=True, transpose_a=True, conjugate_a=True
    )
    n = aval_of(a).shape[-1]
    phi = np.tril(np.ones((n, n))) - 0.5 * np.eye(n)
    return chol, matmul(chol, mul(middle, constant_matrix(phi, a)))


cholesky_p.impl = _cholesky_impl
cholesky_p.abstract_eval = _cholesky_abstract_eval
cholesky_p.jvp = _cholesky_jvp
cholesky_p.batch = lambda axis_size, vals, dims: (
    cholesky(bdim_at_front(vals[0], dims[0], axis_size)),
    0,
)

# --- eigh -------------------------------------------------------------------------------------

eigh_p = Primitive("eigh", multiple_results=True)
eigh_p.lowering = lambda lx, a, *, lower, sort_eigenvalues: list(
    lx.lax.linalg.eigh(a, lower=lower, symmetrize_input=False, sort_eigenvalues=sort_eigenvalues)
)
eigh_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def eigh(a, lower: bool = True, sort_eigenvalues: bool = True) -> list:
    """``[V, w]``: eigenvectors (columns) and ascending real eigenvalues of the Hermitian
    (real symmetric) matrices ``a``, reading the ``lower`` (or upper) triangle (JAX's
    order of results).

    Derivatives assume distinct eigenvalues. At a repeated eigenvalue the eigenvalues'
    derivatives are still those of the computed basis, and the eigenvectors' are
    ``inf``/``nan`` as in JAX (``1 / (w_j − w_i)`` with ``w_j = w_i``)."""
    return eigh_p.bind(a, lower=bool(lower), sort_eigenvalues=bool(sort_eigenvalues))


def _eigh_impl(a, *, lower, sort_eigenvalues):
    w, v = np.linalg.eigh(a, UPLO="L" if lower else "U")
    return [v, w]


def _eigh_abstract_eval(a, *, lower, sort_eigenvalues):
    _check_square("eigh", a)
    w_dtype = real_dtype(a.dtype)
    return [ShapedArray(a.shape, a.dtype, False), ShapedArray(a.shape[:-1], w_dtype, False)]


def _eigh_jvp(primals, tangents, *, lower, sort_eigenvalues):
    # With S = Vᴴ dA V:  dw = Re diag(S),  dV = V (F ⊙ S),  F_ij = 1 / (w_j − w_i) off the
    # diagonal and 0 on it (JAX's formula).
    (a,), (a_dot,) = primals, tangents
    v, w = eigh(a, lower, sort_eigenvalues)
    shape = aval_of(a).shape
    dtype = aval_of(a).dtype
    nd = len(shape)
    s = matmul(adjoint(v), matmul(a_dot, v))
    w_row = broadcast_in_dim(w, shape, tuple(range(nd - 2)) + (nd - 1,))  # w_j
    w_col = broadcast_in_dim(w, shape, tuple(range(nd - 1)))  # w_i
    eye = eye_like(w_row)
    # 1/(w_j − w_i + δ_ij) − δ_ij: no 1/0 on the diagonal, so no inf reaches a transposed rule
    f = sub(div(np.ones((), aval_of(w).dtype), add(sub(w_row, w_col), eye)), eye)
    if dtype.kind == "c":
        f = convert_element_type(f, dtype)
    v_dot = matmul(v, mul(f, s))
    diag_s = reduce_sum(mul(s, eye_like(s)), (nd - 1,))
    w_dot = real(diag_s) if dtype.kind == "c" else diag_s
    return [v, w], [v_dot, w_dot]


def _eigh_batch(axis_size, vals, dims, **params):
    return eigh_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params), [0, 0]


eigh_p.impl = _eigh_impl
eigh_p.abstract_eval = _eigh_abstract_eval
eigh_p.jvp = _eigh_jvp
eigh_p.batch = _eigh_batch
cholesky_p.jet = jet_from_jvp(cholesky_p)  # Taylor mode from the jvp (exact)
eigh_p.jet = jet_from_jvp(eigh_p)
