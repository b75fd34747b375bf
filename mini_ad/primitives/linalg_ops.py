"""Dense linear algebra on stacks of matrices: ``solve`` and ``triangular_solve`` (the
factorizations are in ``decompositions`` and ``orthogonal``, determinants in
``determinants``).

Every primitive takes operands of shape ``(..., n, n)`` (and right-hand sides
``(..., n, k)`` with the same leading dims); ``impl`` calls ``np.linalg``, which works
on stacks, so each batch rule only moves the batch axis to the front. The jvp rules are
the matrix-calculus identities, written with primitives (``dot_general``, ``solve``,
``triangular_solve``, masks by ``mul``), so they can be differentiated again and their
linear parts transposed. ``solve`` and ``triangular_solve`` are linear in the
right-hand side and declare that transpose.

``triangular_solve`` is JAX's primitive (``lax.linalg``);
``solve`` has no single JAX primitive (JAX composes it from ``lu`` and
``custom_linear_solve``) and lowers to ``jnp.linalg``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.avals import ShapedArray, is_inexact
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import conj
from mini_ad.primitives.elementwise import mul, neg, sub
from mini_ad.primitives.linalg import dot_general
from mini_ad.primitives.structural import broadcast_in_dim, transpose

# --- helpers on stacks of matrices (written with primitives) -----------------------------------


def matmul(x, y):
    """``x @ y`` for ``(..., m, k) @ (..., k, n)`` with equal leading dims."""
    nb = aval_of(x).ndim - 2
    batch = tuple(range(nb))
    return dot_general(x, y, (((nb + 1,), (nb,)), (batch, batch)))


def swap(x):
    """``x`` with its last two axes swapped (the matrix transpose)."""
    ndim = aval_of(x).ndim
    return transpose(x, tuple(range(ndim - 2)) + (ndim - 1, ndim - 2))


def conj_if_complex(x):
    """``conj(x)`` for a complex ``x``; a real ``x`` as it is (no complex promotion)."""
    return conj(x) if aval_of(x).dtype.kind == "c" else x


def adjoint(x):
    """The conjugate transpose ``xᴴ`` of each matrix (``xᵀ`` for real ``x``)."""
    return conj_if_complex(swap(x))


def constant_matrix(m, like):
    """The constant ``(n, n)`` matrix ``m`` broadcast over ``like``'s leading dims."""
    aval = aval_of(like)
    m = np.asarray(m, aval.dtype)
    return broadcast_in_dim(m, aval.shape, (aval.ndim - 2, aval.ndim - 1))


def eye_like(x):
    return constant_matrix(np.eye(aval_of(x).shape[-1]), x)


def _triangle(n, lower, unit_diagonal):
    """The 0/1 mask of the triangle a triangular solve reads."""
    mask = np.tril(np.ones((n, n))) if lower else np.triu(np.ones((n, n)))
    return mask - np.eye(n) if unit_diagonal else mask


def _check_square(name, a: ShapedArray):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise TypeError(f"{name} needs square matrices (..., n, n), got {a.str_short()}.")
    if not is_inexact(a.dtype):
        raise TypeError(f"{name} needs a floating-point input, got {a.dtype.name}.")


def _both_at_front(axis_size, vals, dims):
    return [bdim_at_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)]


def inverse_transpose(a):
    """``A⁻ᵀ`` as ``solve(Aᵀ, I)``."""
    return solve(swap(a), eye_like(a))


# --- solve ------------------------------------------------------------------------------------

solve_p = Primitive("solve")
solve_p.lowering = lambda lx, a, b: lx.jnp.linalg.solve(a, b)


def solve(a, b):
    """``A⁻¹ B`` for ``a`` of shape ``(..., n, n)`` and ``b`` of shape ``(..., n, k)``."""
    return solve_p.bind(a, b)


def _solve_abstract_eval(a, b):
    _check_square("solve", a)
    if b.ndim != a.ndim or b.shape[:-1] != a.shape[:-1] or b.dtype != a.dtype:
        raise TypeError(
            f"solve needs b of shape (..., n, k) and dtype matching a {a.str_short()} "
            f"({a.dtype.name}), got {b.str_short()} ({b.dtype.name})."
        )
    return ShapedArray(b.shape, b.dtype, False)


def _solve_jvp(primals, tangents):
    # A x = b  =>  dA x + A dx = db  =>  dx = A⁻¹ (db − dA x)
    (a, b), (a_dot, b_dot) = primals, tangents
    x = solve(a, b)
    if a_dot is None:
        return x, solve(a, b_dot)
    rhs = neg(matmul(a_dot, x)) if b_dot is None else sub(b_dot, matmul(a_dot, x))
    return x, solve(a, rhs)


def _solve_transpose(ct, a, b):
    # x = A⁻¹ b is linear in b; its transpose is ct_b = A⁻ᵀ ct
    if _is_undefined(a):
        raise TypeError("solve is not linear in its matrix operand; it cannot be transposed in a.")
    return [None, solve(swap(a), ct)]


solve_p.impl = lambda a, b: np.linalg.solve(a, b)
solve_p.abstract_eval = _solve_abstract_eval
solve_p.jvp = _solve_jvp
solve_p.transpose = _solve_transpose
solve_p.batch = lambda axis_size, vals, dims: (solve(*_both_at_front(axis_size, vals, dims)), 0)

# --- triangular_solve -------------------------------------------------------------------------

triangular_solve_p = Primitive("triangular_solve")
triangular_solve_p.lowering = lambda lx, a, b, **params: lx.lax.linalg.triangular_solve(
    a, b, **params
)


def triangular_solve(
    a, b, left_side=False, lower=False, transpose_a=False, conjugate_a=False, unit_diagonal=False
):
    """Solve ``op(A) X = B`` (``left_side``) or ``X op(A) = B`` with ``A`` triangular:
    only the ``lower`` (or upper) triangle of ``a`` is read, its diagonal taken as ones if
    ``unit_diagonal``; ``op(A)`` is ``A`` conjugated if ``conjugate_a`` and then transposed
    if ``transpose_a``. Defaults as ``lax.linalg``. Its transpose in ``b`` flips
    ``transpose_a`` and keeps ``conjugate_a`` (JAX's vjp transposes, never conjugates)."""
    return triangular_solve_p.bind(
        a, b, left_side=bool(left_side), lower=bool(lower), transpose_a=bool(transpose_a),
        conjugate_a=bool(conjugate_a), unit_diagonal=bool(unit_diagonal),
    )  # fmt: skip


def _op_a(a, lower, transpose_a, conjugate_a, unit_diagonal):
    """``op(A)`` as a full matrix (NumPy, for ``impl``)."""
    n = a.shape[-1]
    a = np.where(_triangle(n, lower, unit_diagonal).astype(bool), a, 0)
    if unit_diagonal:
        a = a + np.eye(n, dtype=a.dtype)
    if conjugate_a:
        a = np.conj(a)
    return np.swapaxes(a, -1, -2) if transpose_a else a


def _triangular_solve_impl(a, b, *, left_side, lower, transpose_a, conjugate_a, unit_diagonal):
    op_a = _op_a(np.asarray(a), lower, transpose_a, conjugate_a, unit_diagonal)
    if left_side:
        return np.linalg.solve(op_a, b)
    # X op(A) = B  <=>  op(A)ᵀ Xᵀ = Bᵀ
    return np.swapaxes(np.linalg.solve(np.swapaxes(op_a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)


def _triangular_solve_abstract_eval(a, b, *, left_side, **params):
    _check_square("triangular_solve", a)
    n = a.shape[-1]
    fits = b.ndim == a.ndim and b.shape[:-2] == a.shape[:-2]
    fits = fits and (b.shape[-2] == n if left_side else b.shape[-1] == n)
    if not fits or b.dtype != a.dtype:
        raise TypeError(
            f"triangular_solve: b {b.str_short()} ({b.dtype.name}) does not fit a "
            f"{a.str_short()} ({a.dtype.name}) (left_side={left_side})."
        )
    return ShapedArray(b.shape, b.dtype, False)


def _triangular_solve_jvp(primals, tangents, **params):
    # op(A) X = B  =>  dX = op(A)⁻¹ (dB − op(dA) X); X op(A) = B  =>  dX = (dB − X op(dA)) op(A)⁻¹
    # where dA is restricted to the triangle the solve reads.
    (a, b), (a_dot, b_dot) = primals, tangents
    x = triangular_solve(a, b, **params)
    if a_dot is None:
        return x, triangular_solve(a, b_dot, **params)
    n = aval_of(a).shape[-1]
    op_a_dot = mul(
        a_dot, constant_matrix(_triangle(n, params["lower"], params["unit_diagonal"]), a)
    )
    if params["conjugate_a"]:
        op_a_dot = conj_if_complex(op_a_dot)
    if params["transpose_a"]:
        op_a_dot = swap(op_a_dot)
    product = matmul(op_a_dot, x) if params["left_side"] else matmul(x, op_a_dot)
    rhs = neg(product) if b_dot is None else sub(b_dot, product)
    return x, triangular_solve(a, rhs, **params)


def _triangular_solve_transpose(ct, a, b, **params):
    # X = op(A)⁻¹ B  =>  ct_B = op(A)⁻ᵀ ct (and likewise on the right): flip transpose_a
    if _is_undefined(a):
        raise TypeError("triangular_solve is not linear in a; it cannot be transposed in a.")
    return [None, triangular_solve(a, ct, **{**params, "transpose_a": not params["transpose_a"]})]


def _triangular_solve_batch(axis_size, vals, dims, **params):
    a, b = _both_at_front(axis_size, vals, dims)
    return triangular_solve(a, b, **params), 0


triangular_solve_p.impl = _triangular_solve_impl
triangular_solve_p.abstract_eval = _triangular_solve_abstract_eval
triangular_solve_p.jvp = _triangular_solve_jvp
triangular_solve_p.transpose = _triangular_solve_transpose
triangular_solve_p.batch = _triangular_solve_batch
