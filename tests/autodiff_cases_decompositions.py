"""Primitive table rows: ``svd``, ``qr`` and ``eig`` (``mini_ad.primitives.orthogonal``),
``lu`` and ``lu_pivots_to_permutation`` (``mini_ad.primitives.lu``).

Outputs that are defined only up to signs (real) or phases (complex) enter through
quantities independent of them: singular values, ``|U|²``, ``|Vᴴ|²``; ``Q`` and ``R`` are
fixed by LAPACK's convention, which JAX shares. Matrices have well separated singular
values and eigenvalues, where the derivatives are smooth. Complex rows build their
matrix from two real ones.
"""

from __future__ import annotations

import numpy as np
from autodiff_rows import int_row, jax, jnp, lax, real, row

from mini_ad.core.tracing import get_aval
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import lu as lu_prim
from mini_ad.primitives import matrix_functions as mf
from mini_ad.primitives import orthogonal as orth


def spread(*shape):
    """Matrices with well separated singular values: a random one plus a graded diagonal."""

    def draw(rng):
        a = 0.3 * rng.normal(size=shape)
        k = min(shape[-2:])
        idx = np.arange(k)
        a[..., idx, idx] += 1.0 + 1.5 * idx
        return a

    return draw


def modulus2(x):
    return cp.real(ew.mul(x, cp.conj(x))) if get_aval(x).dtype.kind == "c" else ew.mul(x, x)


def _abs2_jax(x):
    return jnp.real(x * jnp.conj(x))


# --- svd --------------------------------------------------------------------------------------

row("svd", lambda a: orth.svd(a, compute_uv=False)[0],
    lambda a: jnp.linalg.svd(a, compute_uv=False), spread(4, 3))  # fmt: skip
row("svd", lambda a: orth.svd(a, compute_uv=False)[0],
    lambda a: jnp.linalg.svd(a, compute_uv=False), spread(2, 3, 4), variant="batched")  # fmt: skip
row("svd", lambda a: modulus2(orth.svd(a)[1]),
    lambda a: _abs2_jax(jnp.linalg.svd(a, full_matrices=False)[0]), spread(4, 3),
    variant="u")  # fmt: skip
row("svd", lambda a: modulus2(orth.svd(a)[2]),
    lambda a: _abs2_jax(jnp.linalg.svd(a, full_matrices=False)[2]), spread(3, 4),
    variant="vh-wide")  # fmt: skip
row("svd", lambda x, y: modulus2(orth.svd(cp.complex(x, y))[1]),
    lambda x, y: _abs2_jax(jnp.linalg.svd(lax.complex(x, y), full_matrices=False)[0]),
    spread(4, 3), spread(4, 3), variant="complex")  # fmt: skip

# --- qr ---------------------------------------------------------------------------------------

row("qr", lambda a: orth.qr(a)[0], lambda a: jnp.linalg.qr(a)[0], spread(4, 3))
row("qr", lambda a: orth.qr(a)[1], lambda a: jnp.linalg.qr(a)[1], spread(2, 3, 3),
    variant="r-batched")  # fmt: skip
row("qr", lambda x, y: cp.imag(orth.qr(cp.complex(x, y))[0]),
    lambda x, y: jnp.imag(jnp.linalg.qr(lax.complex(x, y))[0]), spread(4, 3), real(4, 3),
    variant="complex")  # fmt: skip

# --- eig (eigenvalues; JAX has no second derivative: eigenvectors are not differentiable) -----


def _eigvals_parts(a):
    w = orth.eig(a, compute_right_eigenvectors=False)[0]
    re, im = cp.real(w), cp.imag(w)
    return ew.add(re, ew.mul(im, np.array(2.0, get_aval(im).dtype)))


row("eig", _eigvals_parts,
    lambda a: (lambda w: jnp.real(w) + 2 * jnp.imag(w))(jnp.linalg.eigvals(a)),
    lambda rng: np.diag([1.0, 2.5, 4.0]) + 0.2 * rng.normal(size=(3, 3)),
    max_order=1)  # fmt: skip

# --- lu ---------------------------------------------------------------------------------------

row("lu", lambda a: lu_prim.lu(a)[0], lambda a: lax.linalg.lu(a)[0], spread(4, 4))
row("lu", lambda a: lu_prim.lu(a)[0], lambda a: lax.linalg.lu(a)[0], spread(2, 3, 3),
    variant="batched")  # fmt: skip
row("lu", lambda x, y: cp.imag(lu_prim.lu(cp.complex(x, y))[0]),
    lambda x, y: jnp.imag(lax.linalg.lu(lax.complex(x, y))[0]), spread(3, 3), real(3, 3),
    variant="complex")  # fmt: skip


def _pivots(rng):
    """LAPACK-style pivots of a 4x4 factorization: row j swaps with some row p >= j."""
    return np.array([[rng.integers(j, 4) for j in range(4)] for _ in range(2)], np.int32)


int_row("lu_pivots_to_permutation", lambda p: lu_prim.lu_pivots_to_permutation(p, 4),
        lambda p: lax.linalg.lu_pivots_to_permutation(p, 4), _pivots)  # fmt: skip

# --- expm, sqrtm ------------------------------------------------------------------------------

row("expm", mf.expm, jax.scipy.linalg.expm, real(3, 3))
row("expm", mf.expm, jax.scipy.linalg.expm, lambda rng: 3.0 * rng.normal(size=(2, 2, 2)),
    variant="batched-scaled")  # fmt: skip
row("expm", lambda x, y: cp.imag(mf.expm(cp.complex(x, y))),
    lambda x, y: jnp.imag(jax.scipy.linalg.expm(lax.complex(x, y))), real(2, 2), real(2, 2),
    variant="complex")  # fmt: skip


def _spd(a):
    """``A Aᵀ + 2 I``: symmetric positive definite, so its square root is real."""
    dtype = get_aval(a).dtype
    return ew.add(lo.matmul(a, lo.adjoint(a)), np.asarray(np.eye(3) * 2.0, dtype))


def _jax_sqrt_spd(a):
    # JAX cannot differentiate its sqrtm (a Schur form): the same root through eigh
    w, v = jnp.linalg.eigh(a @ jnp.conj(a.T) + 2 * jnp.eye(3, dtype=a.dtype))
    return jnp.real((v * jnp.sqrt(w)) @ jnp.conj(v.T))


row("sqrtm", lambda a: cp.real(mf.sqrtm(_spd(a))), _jax_sqrt_spd, real(3, 3))
