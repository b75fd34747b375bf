"""Primitive table rows: ``sort`` and the dense linear algebra of ``linalg_ops``.

Matrix arguments are well conditioned (``2 I`` plus a small random matrix) so finite
differences and JAX agree to the usual tolerances. ``cholesky`` and ``eigh`` read one
triangle, so their rows symmetrize the input first (as ``jnp.linalg`` does), which makes
finite differences along non-symmetric directions meaningful.
"""

from __future__ import annotations

import numpy as np
from autodiff_rows import jnp, lax, real, row

from mini_ad.core.tracing import get_aval
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import decompositions as dec
from mini_ad.primitives import determinants as dets
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import sorting as so
from mini_ad.primitives import structural as st

jax_linalg = lax.linalg


def wellcond(*shape):
    """Matrices ``2 I + 0.3 N(0, 1)``: far from singular."""
    return lambda rng: 2.0 * np.eye(shape[-1]) + 0.3 * rng.normal(size=shape)


def distinct(*shape):
    """A permutation of spread-out values: no ties, gaps of at least 0.5."""
    n = int(np.prod(shape))
    return lambda rng: (rng.permutation(n) * 0.5 + rng.uniform(0, 0.1, n)).reshape(shape)


def sym(a):
    """``(A + Aᴴ) / 2`` (Hermitian for complex rows, as ``lax.linalg`` symmetrizes)."""
    return ew.mul(ew.add(a, lo.adjoint(a)), np.array(0.5, get_aval(a).dtype))


def squared_modulus(v):
    """``|v|²``: independent of the eigenvectors' signs (phases, if complex)."""
    if get_aval(v).dtype.kind == "c":
        return cp.real(ew.mul(v, cp.conj(v)))
    return ew.mul(v, v)


A0 = 2.0 * np.eye(3) + 0.3 * np.random.default_rng(7).normal(size=(3, 3))

# --- sort -------------------------------------------------------------------------------------

row("sort", lambda x: so.sort([x], 1)[0], lambda x: lax.sort(x, dimension=1), distinct(3, 4))
row(
    "sort",
    lambda k, v: ew.add(*so.sort([k, v], 0)),
    lambda k, v: sum(lax.sort((k, v), dimension=0, num_keys=1)),
    distinct(4, 2),
    real(4, 2),
    variant="two-operands",
)

# --- solves -----------------------------------------------------------------------------------

row("solve", lo.solve, jnp.linalg.solve, wellcond(3, 3), real(3, 2))
row("solve", lo.solve, jnp.linalg.solve, wellcond(2, 3, 3), real(2, 3, 1), variant="batched")
row(
    "solve",
    lambda b: lo.solve(A0, b),
    lambda b: jnp.linalg.solve(A0, b),
    real(3, 2),
    linear=True,
    variant="rhs",
)
for params in (
    dict(left_side=True, lower=True),
    dict(left_side=False, lower=False, transpose_a=True),
    dict(left_side=True, lower=False, transpose_a=True, unit_diagonal=True),
):
    name = "-".join(k for k, v in params.items() if v) + ("" if params["lower"] else "-upper")
    row(
        "triangular_solve",
        lambda a, b, p=params: lo.triangular_solve(a, b, **p),
        lambda a, b, p=params: jax_linalg.triangular_solve(a, b, **p),
        wellcond(3, 3),
        real(3, 3),
        variant=name,
    )
row(
    "triangular_solve",
    lambda b: lo.triangular_solve(A0, b, left_side=True, lower=True),
    lambda b: jax_linalg.triangular_solve(A0, b, left_side=True, lower=True),
    real(3, 2),
    linear=True,
    variant="rhs",
)

# --- determinants -----------------------------------------------------------------------------

row("det", dets.det, jnp.linalg.det, wellcond(3, 3))
row("det", dets.det, jnp.linalg.det, wellcond(2, 3, 3), variant="batched")
row(
    "slogdet",
    lambda a: ew.mul(*dets.slogdet(a)),
    lambda a: jnp.prod(jnp.stack(jnp.linalg.slogdet(a)), axis=0),
    lambda rng: np.diag([-1.0, 1.0, 1.0]) @ wellcond(3, 3)(rng),
)

# --- decompositions ---------------------------------------------------------------------------

row(
    "cholesky",
    lambda a: dec.cholesky(sym(a)),
    lambda a: jax_linalg.cholesky(a),
    wellcond(3, 3),
)
row(
    "cholesky",
    lambda a: dec.cholesky(sym(a)),
    lambda a: jax_linalg.cholesky(a),
    wellcond(2, 3, 3),
    variant="batched",
)


# |V|² + w (w broadcast over rows) does not depend on the eigenvectors' signs or phases
row(
    "eigh",
    lambda a: (lambda v, w: ew.add(squared_modulus(v), st.broadcast_in_dim(w, (3, 3), (1,))))(
        *dec.eigh(sym(a))
    ),
    lambda a: (lambda v, w: jnp.real(v * jnp.conj(v)) + w[None, :])(*jax_linalg.eigh(a)),
    lambda rng: np.diag([1.0, 2.0, 3.5]) + 0.2 * rng.normal(size=(3, 3)),
)
