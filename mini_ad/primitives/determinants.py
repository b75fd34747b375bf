"""Determinants: ``det`` and ``slogdet`` of stacks of square matrices ``(..., n, n)``,
real or complex.

Neither is a JAX primitive (JAX composes them from ``lu``); both lower to ``jnp.linalg``.
``det``'s derivative is the cofactor matrix, computed through the SVD so that it stays
finite and exact at singular matrices, where JAX's derivative is the cofactor matrix too
(its second derivative needs distinct singular values: at a matrix with two or more
zero singular values mini_ad's Hessian of ``det`` is NaN where JAX's is finite).
``slogdet``'s is ``tr(A⁻¹ dA)`` (``d sign = i Im tr(A⁻¹ dA) · sign`` for complex).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import complex as complex_
from mini_ad.primitives.complex_parts import imag, real, real_dtype
from mini_ad.primitives.elementwise import add, convert_element_type, mul, stop_gradient, sub
from mini_ad.primitives.linalg_ops import (
    _check_square,
    adjoint,
    eye_like,
    inverse_transpose,
    matmul,
    swap,
)
from mini_ad.primitives.orthogonal import svd
from mini_ad.primitives.reductions import reduce_prod, reduce_sum
from mini_ad.primitives.structural import broadcast_in_dim
from mini_ad.primitives.taylor import jet_from_jvp

# --- det / slogdet ----------------------------------------------------------------------------


def _trace_of_inverse_times(a, a_dot):
    """``tr(A⁻¹ dA) = Σ_ij (A⁻ᵀ)_ij dA_ij``, linear in ``dA``."""
    ndim = aval_of(a).ndim
    return reduce_sum(mul(inverse_transpose(a), a_dot), (ndim - 2, ndim - 1))


def _scalar_per_matrix(name):
    def abstract_eval(a):
        _check_square(name, a)
        return ShapedArray(a.shape[:-2], a.dtype, False)

    return abstract_eval


det_p = Primitive("det")
det_p.lowering = lambda lx, a: lx.jnp.linalg.det(a)
det_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def det(a):
    """The determinant of each matrix of ``a`` (shape ``(..., n, n)``)."""
    return det_p.bind(a)


def cofactor(a):
    """The cofactor matrix ``adj(A)ᵀ`` of each square matrix, through the SVD so that it
    is exact at singular matrices too: with ``A = U S Vᴴ``,
    ``adj(A) = det(U) det(Vᴴ) · V diag(∏_{j≠i} s_j) Uᴴ``."""
    s, u, vh = svd(a)
    shape = aval_of(a).shape
    nd = len(shape)
    eye = eye_like(broadcast_in_dim(s, shape, tuple(range(nd - 2)) + (nd - 1,)))
    # row i holds s_j for j ≠ i and 1 at j = i: its product is ∏_{j≠i} s_j
    others = add(mul(broadcast_in_dim(s, shape, tuple(range(nd - 2)) + (nd - 1,)),
                     sub(np.ones((), aval_of(s).dtype), eye)), eye)  # fmt: skip
    adj_s = reduce_prod(others, (nd - 1,))
    dtype = aval_of(a).dtype
    if dtype.kind == "c":
        adj_s = convert_element_type(adj_s, dtype)
    phase = mul(det(u), det(vh))
    if dtype.kind != "c":  # real: det(U) det(Vᵀ) = ±1 is locally constant (U's singular
        phase = stop_gradient(phase)  # values are all 1: its own cofactor would be 0/0)
    scaled_uh = mul(broadcast_in_dim(adj_s, shape, tuple(range(nd - 1))), adjoint(u))
    adj = mul(matmul(adjoint(vh), scaled_uh), broadcast_in_dim(phase, shape, tuple(range(nd - 2))))
    return swap(adj)


def _det_jvp(primals, tangents):
    # d det A = tr(adj(A) dA) = Σ_ij cofactor(A)_ij dA_ij: finite at singular matrices (where
    # det A · A⁻ᵀ is 0 · inf), with JAX's values there (the cofactor matrix).
    (a,), (a_dot,) = primals, tangents
    nd = aval_of(a).ndim
    return det(a), reduce_sum(mul(cofactor(a), a_dot), (nd - 2, nd - 1))


det_p.impl = lambda a: np.asarray(np.linalg.det(a))
det_p.abstract_eval = _scalar_per_matrix("det")
det_p.jvp = _det_jvp
det_p.batch = lambda axis_size, vals, dims: (det(bdim_at_front(vals[0], dims[0], axis_size)), 0)

slogdet_p = Primitive("slogdet", multiple_results=True)
slogdet_p.lowering = lambda lx, a: list(lx.jnp.linalg.slogdet(a))
slogdet_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def slogdet(a) -> list:
    """``[sign, log|det|]`` of each matrix of ``a``."""
    return slogdet_p.bind(a)


def _slogdet_abstract_eval(a):
    sign = _scalar_per_matrix("slogdet")(a)
    return [sign, ShapedArray(sign.shape, real_dtype(a.dtype), False)]


def _slogdet_jvp(primals, tangents):
    # With τ = tr(A⁻¹ dA):  d log|det A| = Re τ, and d sign = i Im τ · sign (sign = det/|det|);
    # a real sign is piecewise constant.
    (a,), (a_dot,) = primals, tangents
    sign, logdet = slogdet(a)
    tau = _trace_of_inverse_times(a, a_dot)
    if aval_of(a).dtype.kind != "c":
        return [sign, logdet], [None, tau]
    tau_im = imag(tau)
    sign_dot = mul(sign, complex_(zeros_like(tau_im), tau_im))
    return [sign, logdet], [sign_dot, real(tau)]


def _slogdet_batch(axis_size, vals, dims):
    return slogdet(bdim_at_front(vals[0], dims[0], axis_size)), [0, 0]


slogdet_p.impl = lambda a: [np.asarray(v) for v in np.linalg.slogdet(a)]
slogdet_p.abstract_eval = _slogdet_abstract_eval
slogdet_p.jvp = _slogdet_jvp
slogdet_p.batch = _slogdet_batch
det_p.jet = jet_from_jvp(det_p)  # Taylor mode from the jvp (exact)
slogdet_p.jet = jet_from_jvp(slogdet_p)
