"""Matrix functions: ``expm`` (the matrix exponential) and ``sqrtm`` (the principal square
root), on stacks ``(..., n, n)``, real or complex.

Both jvp rules are linear in the tangent and written with primitives, so reverse mode and
higher orders follow:

* ``expm``: its Fréchet derivative ``L(A, E)`` is the top-right block of
  ``expm([[A, E], [0, A]])``; the rule evaluates it for the ``n²`` unit matrices ``E_k``
  (one batched ``expm`` of ``2n × 2n`` blocks) and contracts ``dA`` with them. Meant for
  small matrices (``n²`` exponentials of size ``2n``). JAX's values; its derivatives.
* ``sqrtm``: ``S = sqrtm(A)`` gives ``S dS + dS S = dA``, one linear solve of size ``n²``.
  JAX cannot differentiate its ``sqrtm`` (a Schur form); finite differences check ours.
  The impl diagonalizes ``A`` (a defective ``A`` is outside its reach), and, as JAX's, the
  result is complex.

Taylor mode (``jet``, any order) has its own rules, not the jvp's (which would grow by a
factor ``n²`` per order): ``expm`` of the block Toeplitz matrix of the series, and for
``sqrtm`` one Sylvester solve per order (see the rules below).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives import structural as st
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import complex_dtype
from mini_ad.primitives.elementwise import add, convert_element_type, mul, sub
from mini_ad.primitives.linalg import dot_general
from mini_ad.primitives.linalg_ops import _check_square, solve, swap
from mini_ad.primitives.structural import broadcast_in_dim, concatenate, reshape

# --- expm -------------------------------------------------------------------------------------

expm_p = Primitive("expm")
expm_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")
expm_p.lowering = lambda lx, a: lx.jax.scipy.linalg.expm(a)

# Padé [13/13] with scaling and squaring (Higham 2005): the coefficients and the 1-norm
# up to which no scaling is needed.
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)  # fmt: skip
_THETA13 = 5.371920351148152


def expm(a):
    """``e^A`` of each square matrix."""
    return expm_p.bind(a)


def _expm_one(a):
    norm = np.max(np.sum(np.abs(a), axis=0)) if a.size else 0.0
    squarings = max(0, int(np.ceil(np.log2(norm / _THETA13)))) if norm > _THETA13 else 0
    a = a / 2.0**squarings
    b = _PADE13
    eye = np.eye(a.shape[0], dtype=a.dtype)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2
             + b[1] * eye)  # fmt: skip
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    r = np.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        r = r @ r
    return r


def _expm_impl(a):
    a = np.asarray(a)
    flat = a.reshape((-1,) + a.shape[-2:])
    return np.stack([_expm_one(m) for m in flat]).reshape(a.shape).astype(a.dtype)


def _square_aval(name):
    def abstract_eval(a):
        _check_square(name, a)
        dtype = complex_dtype(a.dtype) if name == "sqrtm" else a.dtype
        return ShapedArray(a.shape, dtype)

    return abstract_eval


def _unit_blocks(a):
    """``[[A, E_k], [0, A]]`` for the ``n²`` unit matrices ``E_k``: shape (…, n², 2n, 2n)."""
    shape = aval_of(a).shape
    *batch, n, _ = shape
    nb = len(batch)
    dtype = aval_of(a).dtype
    big = (*batch, n * n, n, n)
    a_rep = broadcast_in_dim(a, big, tuple(range(nb)) + (nb + 1, nb + 2))
    units = np.eye(n * n, dtype=dtype).reshape(n * n, n, n)
    e = broadcast_in_dim(units, big, (nb, nb + 1, nb + 2))
    zero = broadcast_in_dim(np.zeros((), dtype), big, ())
    top = concatenate([a_rep, e], nb + 2)
    bottom = concatenate([zero, a_rep], nb + 2)
    return concatenate([top, bottom], nb + 1)


def _expm_jvp(primals, tangents):
    (a,), (a_dot,) = primals, tangents
    shape = aval_of(a).shape
    *batch, n, _ = shape
    nb = len(batch)
    blocks = expm(_unit_blocks(a))
    starts = (0,) * (nb + 1) + (0, n)
    limits = (*batch, n * n, n, 2 * n)
    frechet = st.slice(blocks, starts, limits)  # L(A, E_k), (…, n², n, n)
    flat_dot = reshape(a_dot, (*batch, n * n))
    dims = (((nb,), (nb,)), (tuple(range(nb)), tuple(range(nb))))
    return expm(a), dot_general(flat_dot, frechet, dims)  # Σ_k dA_k L(A, E_k)


def _batch_front(p):
    return lambda axis_size, vals, dims: (p.bind(bdim_at_front(vals[0], dims[0], axis_size)), 0)


expm_p.impl = _expm_impl
expm_p.abstract_eval = _square_aval("expm")
expm_p.jvp = _expm_jvp
expm_p.batch = _batch_front(expm_p)

# --- sqrtm ------------------------------------------------------------------------------------

sqrtm_p = Primitive("sqrtm")
sqrtm_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")
sqrtm_p.lowering = lambda lx, a: lx.jax.scipy.linalg.sqrtm(a)


def sqrtm(a):
    """The principal square root of each diagonalizable square matrix (complex)."""
    return sqrtm_p.bind(a)


def _sqrtm_impl(a):
    a = np.asarray(a)
    w, v = np.linalg.eig(a.astype(complex_dtype(a.dtype)))
    root = np.sqrt(w)
    out = (v * root[..., None, :]) @ np.linalg.inv(v)
    return out.astype(complex_dtype(a.dtype))


def _kron_sum(s):
    """``S ⊗ I + I ⊗ Sᵀ`` (rows flattened): ``vec(S X + X S)`` as a matrix of ``vec(X)``."""
    shape = aval_of(s).shape
    *batch, n, _ = shape
    nb = len(batch)
    big = (*batch, n, n, n, n)  # indices i, j, k, l
    eye = np.eye(n, dtype=aval_of(s).dtype)
    # (S ⊗ I)[(i,j),(k,l)] = S_ik δ_jl;  (I ⊗ Sᵀ)[(i,j),(k,l)] = δ_ik S_lj
    s_ik = broadcast_in_dim(s, big, tuple(range(nb)) + (nb, nb + 2))
    d_jl = broadcast_in_dim(eye, big, (nb + 1, nb + 3))
    d_ik = broadcast_in_dim(eye, big, (nb, nb + 2))
    s_lj = broadcast_in_dim(swap(s), big, tuple(range(nb)) + (nb + 1, nb + 3))
    total = add(mul(s_ik, d_jl), mul(d_ik, s_lj))
    return reshape(total, (*batch, n * n, n * n))


def _sqrtm_jvp(primals, tangents):
    # S dS + dS S = dA, solved as one linear system of size n²
    (a,), (a_dot,) = primals, tangents
    s = sqrtm(a)
    shape = aval_of(s).shape
    *batch, n, _ = shape
    dtype = aval_of(s).dtype
    if aval_of(a_dot).dtype != dtype:  # a real A: its tangent enters as complex
        a_dot = convert_element_type(a_dot, dtype)
    rhs = reshape(a_dot, (*batch, n * n, 1))
    return s, reshape(solve(_kron_sum(s), rhs), shape)


sqrtm_p.impl = _sqrtm_impl
sqrtm_p.abstract_eval = _square_aval("sqrtm")
sqrtm_p.jvp = _sqrtm_jvp
sqrtm_p.batch = _batch_front(sqrtm_p)


# --- Taylor mode ------------------------------------------------------------------------------
# A(t) = A0 + A1 t + ... + AK t^K maps to the block upper-triangular Toeplitz matrix with
# blocks A0 on the diagonal, A1 above it, ...: a homomorphism of algebras (t becomes the
# nilpotent block shift), so expm of that matrix has the Taylor coefficients of expm(A(t))
# along its first block row. sqrtm cannot use it (that matrix is defective, outside its
# impl's reach); S(t)² = A(t) gives, order by order, the Sylvester equation of the jvp:
# S0 Sk + Sk S0 = Ak - Σ_{j=1..k-1} Sj S(k-j).


def _expm_jet(primals, series):
    (a,), (terms,) = primals, series
    *batch, n, _ = aval_of(a).shape
    nb = len(batch)
    zero = zeros_like(a)
    coeffs = [a] + [zero if t is None else t for t in terms]
    size = len(coeffs)
    rows = [concatenate([zero] * i + coeffs[: size - i], nb + 1) for i in range(size)]
    first_row = st.slice(expm(concatenate(rows, nb)), (0,) * (nb + 2), (*batch, n, size * n))
    out = [
        st.slice(first_row, (0,) * (nb + 1) + (k * n,), (*batch, n, (k + 1) * n))
        for k in range(1, size)
    ]
    return expm(a), out  # the primal from A alone: the same bits as without jet


def _matmul(x, y):
    nb = len(aval_of(x).shape) - 2
    batch = tuple(range(nb))
    return dot_general(x, y, (((nb + 1,), (nb,)), (batch, batch)))


def _sqrtm_jet(primals, series):
    (a,), (terms,) = primals, series
    s = sqrtm(a)
    shape = aval_of(s).shape
    *batch, n, _ = shape
    dtype = aval_of(s).dtype
    sylvester = _kron_sum(s)
    out = []
    for k, a_k in enumerate(terms, start=1):
        rhs = zeros_like(s) if a_k is None else convert_element_type(a_k, dtype)
        for j in range(1, k):
            rhs = sub(rhs, _matmul(out[j - 1], out[k - j - 1]))
        out.append(reshape(solve(sylvester, reshape(rhs, (*batch, n * n, 1))), shape))
    return s, out


expm_p.jet = _expm_jet
sqrtm_p.jet = _sqrtm_jet
