"""Factorizations of general matrices: ``svd``, ``qr`` and ``eig`` (JAX's ``lax.linalg``
primitives), on stacks ``(..., m, n)``, real or complex.

The jvp rules are the matrix-calculus identities JAX uses, written with primitives, so
each factorization is differentiable to any order where JAX's is:

* ``svd`` (reduced, ``A = U diag(s) Vᴴ``, ``k = min(m, n)``): with ``dP = Uᴴ dA V``,
  ``ds = Re diag(dP)``; ``dU = U (F ⊙ (dP S + S dPᴴ) + i Im diag(dP) / s) + (I − U Uᴴ) dA V S⁻¹``
  and ``dV = V (F ⊙ (S dP + dPᴴ S)) + (I − V Vᴴ) dAᴴ U S⁻¹``, ``F_ij = 1/(s_j² − s_i²)``
  off the diagonal. Distinct nonzero singular values are assumed: at repeated ones ``F``
  is ``inf`` and the singular vectors' derivatives are ``inf``/``nan``, as in JAX; the
  singular values' derivatives stay finite. ``full_matrices=True`` with vectors has no
  jvp (JAX: NotImplementedError too).
* ``qr`` (``m ≥ n``, reduced): with ``C = Qᴴ dA R⁻¹`` and ``Ω = tril(C, −1) − tril(C, −1)ᴴ
  + i Im diag(C)``:  ``dQ = Q Ω + (dA R⁻¹ − Q C)``, ``dR = (C − Ω) R``. Wide matrices and
  ``full_matrices`` with ``m > n`` have no jvp (as in JAX).
* ``eig``: eigenvalues only are differentiable, ``dw = diag(V⁻¹ dA V)`` (JAX implements
  no eigenvector derivatives either); distinct eigenvalues assumed.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import complex as complex_
from mini_ad.primitives.complex_parts import complex_dtype, imag, real, real_dtype
from mini_ad.primitives.elementwise import add, convert_element_type, div, mul, sub
from mini_ad.primitives.linalg_ops import (
    adjoint,
    constant_matrix,
    eye_like,
    matmul,
    solve,
    triangular_solve,
)
from mini_ad.primitives.reductions import reduce_sum
from mini_ad.primitives.structural import broadcast_in_dim
from mini_ad.primitives.taylor import jet_from_jvp


def _check_matrix(name, a: ShapedArray):
    if a.ndim < 2:
        raise TypeError(f"{name} needs matrices (..., m, n), got {a.str_short()}.")
    if a.dtype.kind not in "fc":
        raise TypeError(f"{name} needs a floating-point or complex input, got {a.dtype.name}.")


def _as(x, dtype):
    return x if aval_of(x).dtype == dtype else convert_element_type(x, dtype)


def _diag_part(x):
    """The diagonal of each square matrix of ``x`` as a vector."""
    nd = aval_of(x).ndim
    return reduce_sum(mul(x, eye_like(x)), (nd - 1,))


def _rows(v, shape):
    """The vector ``v`` (…, k) broadcast along rows: entry ``(i, j)`` is ``v_j``."""
    nd = len(shape)
    return broadcast_in_dim(v, shape, tuple(range(nd - 2)) + (nd - 1,))


def _columns(v, shape):
    """Entry ``(i, j)`` is ``v_i``."""
    return broadcast_in_dim(v, shape, tuple(range(len(shape) - 1)))


def _imag_diagonal(c):
    """``i Im diag(C)`` as a diagonal matrix (zero for real ``C``)."""
    if aval_of(c).dtype.kind != "c":
        return None
    im = mul(imag(c), eye_like(imag(c)))
    return complex_(mul(im, np.zeros((), aval_of(im).dtype)), im)


# --- svd --------------------------------------------------------------------------------------

svd_p = Primitive("svd", multiple_results=True)
svd_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def svd(a, full_matrices: bool = False, compute_uv: bool = True) -> list:
    """``[s, U, Vᴴ]`` (``[s]`` without ``compute_uv``): singular values, descending and
    real, and the singular vectors of each matrix of ``a`` (JAX's primitive's order)."""
    return svd_p.bind(a, full_matrices=bool(full_matrices), compute_uv=bool(compute_uv))


def _svd_impl(a, *, full_matrices, compute_uv):
    if not compute_uv:
        return [np.asarray(np.linalg.svd(a, compute_uv=False))]
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    return [s, u, vh]


def _svd_abstract_eval(a, *, full_matrices, compute_uv):
    _check_matrix("svd", a)
    *batch, m, n = a.shape
    k = min(m, n)
    s = ShapedArray((*batch, k), real_dtype(a.dtype))
    if not compute_uv:
        return [s]
    cols_u, rows_v = (m, n) if full_matrices else (k, k)
    u = ShapedArray((*batch, m, cols_u), a.dtype)
    vh = ShapedArray((*batch, rows_v, n), a.dtype)
    return [s, u, vh]


def _svd_jvp(primals, tangents, *, full_matrices, compute_uv):
    (a,), (a_dot,) = primals, tangents
    if compute_uv and full_matrices:
        raise NotImplementedError(
            "svd: the jvp with full_matrices=True and compute_uv=True is not implemented "
            "(as in JAX); use full_matrices=False."
        )
    s, u, vh = svd(a, False, True)
    dtype = aval_of(a).dtype
    v = adjoint(vh)
    dp = matmul(adjoint(u), matmul(a_dot, v))  # Uᴴ dA V, (…, k, k)
    s_dot = real(_diag_part(dp)) if dtype.kind == "c" else _diag_part(dp)
    if not compute_uv:
        return [s], [s_dot]
    shape = aval_of(dp).shape
    s_row, s_col = _rows(s, shape), _columns(s, shape)  # s_j, s_i
    eye = eye_like(s_row)
    # F_ij = 1/(s_j² − s_i²) off the diagonal: 1/(… + δ_ij) − δ_ij keeps 1/0 off the diagonal
    s_diffs = mul(add(s_row, s_col), sub(s_row, s_col))  # s_j² − s_i²
    f = sub(div(np.ones((), aval_of(s).dtype), add(s_diffs, eye)), eye)
    f, s_row_c, s_col_c = _as(f, dtype), _as(s_row, dtype), _as(s_col, dtype)
    dp_s, s_dp = mul(dp, s_row_c), mul(s_col_c, dp)  # dP S, S dP
    inner_u = mul(f, add(dp_s, adjoint(dp_s)))
    inner_v = mul(f, add(s_dp, adjoint(s_dp)))
    imag_diag = _imag_diagonal(dp)
    if imag_diag is not None:  # the phase freedom of complex singular vectors, as JAX fixes it
        inner_u = add(inner_u, div(imag_diag, s_row_c))
    u_dot, v_dot = matmul(u, inner_u), matmul(v, inner_v)
    m, n = aval_of(a).shape[-2:]
    if m > n:  # the part of dA V outside the span of U
        dav = matmul(a_dot, v)
        s_dav = _as(_rows(s, aval_of(dav).shape), dtype)
        u_dot = add(u_dot, div(sub(dav, matmul(u, matmul(adjoint(u), dav))), s_dav))
    if n > m:
        dahu = matmul(adjoint(a_dot), u)
        s_dahu = _as(_rows(s, aval_of(dahu).shape), dtype)
        v_dot = add(v_dot, div(sub(dahu, matmul(v, matmul(vh, dahu))), s_dahu))
    return [s, u, vh], [s_dot, u_dot, adjoint(v_dot)]


def _svd_lowering(lx, a, *, full_matrices, compute_uv):
    if not compute_uv:
        return [lx.lax.linalg.svd(a, full_matrices=full_matrices, compute_uv=False)]
    u, s, vh = lx.lax.linalg.svd(a, full_matrices=full_matrices, compute_uv=True)
    return [s, u, vh]


def _svd_batch(axis_size, vals, dims, **params):
    outs = svd_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params)
    return outs, [0] * len(outs)


svd_p.impl = _svd_impl
svd_p.abstract_eval = _svd_abstract_eval
svd_p.jvp = _svd_jvp
svd_p.batch = _svd_batch
svd_p.lowering = _svd_lowering

# --- qr ---------------------------------------------------------------------------------------

qr_p = Primitive("qr", multiple_results=True)
qr_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def qr(a, full_matrices: bool = False) -> list:
    """``[Q, R]`` with ``A = Q R``, ``Q`` with orthonormal columns and ``R`` upper
    triangular (``full_matrices``: ``Q`` square). Signs as LAPACK's (and JAX's)."""
    return qr_p.bind(a, pivoting=False, full_matrices=bool(full_matrices), use_magma=None)


def _qr_impl(a, *, pivoting, full_matrices, use_magma):
    if a.dtype.itemsize * (2 if a.dtype.kind == "f" else 1) == 8 and a.size:
        # float32 and complex64: NumPy's QR runs in double precision; LAPACK's single
        # precision geqrf and orgqr (through SciPy) are what XLA calls, bit for bit.
        from scipy.linalg import qr as lapack_qr

        mode = "full" if full_matrices else "economic"
        pairs = [lapack_qr(m, mode=mode) for m in a.reshape(-1, *a.shape[-2:])]
        q, r = (np.stack([pair[i] for pair in pairs]) for i in (0, 1))
        return [q.reshape(*a.shape[:-2], *q.shape[-2:]), r.reshape(*a.shape[:-2], *r.shape[-2:])]
    q, r = np.linalg.qr(a, mode="complete" if full_matrices else "reduced")
    return [q, r]


def _qr_abstract_eval(a, *, pivoting, full_matrices, use_magma):
    _check_matrix("qr", a)
    *batch, m, n = a.shape
    k = m if full_matrices else min(m, n)
    return [ShapedArray((*batch, m, k), a.dtype), ShapedArray((*batch, k, n), a.dtype)]


def _qr_jvp(primals, tangents, **params):
    (a,), (a_dot,) = primals, tangents
    q, r = qr_p.bind(a, **params)
    m, n = aval_of(a).shape[-2:]
    if m < n or (params["full_matrices"] and m > n):
        raise NotImplementedError(
            f"qr: no jvp for a {m}x{n} matrix with full_matrices={params['full_matrices']} "
            "(JAX implements only m >= n, reduced or square)."
        )
    da_rinv = triangular_solve(r, a_dot, left_side=False, lower=False)  # dA R⁻¹
    c = matmul(adjoint(q), da_rinv)
    lower = mul(c, constant_matrix(np.tril(np.ones((n, n)), -1), c))
    omega = sub(lower, adjoint(lower))  # skew-Hermitian
    imag_diag = _imag_diagonal(c)
    if imag_diag is not None:
        omega = add(omega, imag_diag)
    q_dot = add(matmul(q, omega), sub(da_rinv, matmul(q, c)))
    r_dot = matmul(sub(c, omega), r)
    return [q, r], [q_dot, r_dot]


def _qr_batch(axis_size, vals, dims, **params):
    return qr_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params), [0, 0]


qr_p.impl = _qr_impl
qr_p.abstract_eval = _qr_abstract_eval
qr_p.jvp = _qr_jvp
qr_p.batch = _qr_batch
qr_p.lowering = lambda lx, a, *, pivoting, full_matrices, use_magma: list(
    lx.lax.linalg.qr(a, full_matrices=full_matrices)
)

# --- eig --------------------------------------------------------------------------------------

eig_p = Primitive("eig", multiple_results=True)
eig_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def eig(a, compute_right_eigenvectors: bool = True) -> list:
    """``[w, V]`` (``[w]`` without vectors): the complex eigenvalues and right eigenvectors
    (unit columns) of each general square matrix, in LAPACK's order."""
    return eig_p.bind(
        a, compute_left_eigenvectors=False,
        compute_right_eigenvectors=bool(compute_right_eigenvectors),
    )  # fmt: skip


def _eig_impl(a, *, compute_left_eigenvectors, compute_right_eigenvectors):
    w, v = np.linalg.eig(a)
    dtype = complex_dtype(np.asarray(a).dtype)
    w, v = w.astype(dtype), v.astype(dtype)
    return [w, v] if compute_right_eigenvectors else [w]


def _eig_abstract_eval(a, *, compute_left_eigenvectors, compute_right_eigenvectors):
    _check_matrix("eig", a)
    if a.shape[-1] != a.shape[-2]:
        raise TypeError(f"eig needs square matrices (..., n, n), got {a.str_short()}.")
    dtype = complex_dtype(a.dtype)
    w = ShapedArray(a.shape[:-1], dtype)
    return [w, ShapedArray(a.shape, dtype)] if compute_right_eigenvectors else [w]


def _eig_jvp(primals, tangents, *, compute_left_eigenvectors, compute_right_eigenvectors):
    if compute_right_eigenvectors:
        raise NotImplementedError(
            "eig: only the eigenvalues are differentiable (as in JAX); use eigvals, or "
            "eigh for Hermitian matrices."
        )
    (a,), (a_dot,) = primals, tangents
    w, v = eig(a)
    dtype = aval_of(w).dtype
    # dw = diag(V⁻¹ dA V)
    return [w], [_diag_part(solve(v, matmul(_as(a_dot, dtype), v)))]


def _eig_batch(axis_size, vals, dims, **params):
    outs = eig_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params)
    return outs, [0] * len(outs)


eig_p.impl = _eig_impl
eig_p.abstract_eval = _eig_abstract_eval
eig_p.jvp = _eig_jvp
eig_p.batch = _eig_batch
eig_p.lowering = lambda lx, a, *, compute_left_eigenvectors, compute_right_eigenvectors: list(
    lx.lax.linalg.eig(
        a, compute_left_eigenvectors=False,
        compute_right_eigenvectors=compute_right_eigenvectors,
    )
)  # fmt: skip

# Taylor mode from the jvps (exact where the jvp is defined)
svd_p.jet = jet_from_jvp(svd_p)
qr_p.jet = jet_from_jvp(qr_p)
eig_p.opt_out("jet", "eigenvectors have no derivative (as in JAX), so no second order")
