"""Primitive table rows: the complex parts (``real imag conj complex``), ``abs`` of complex
numbers, and the Hermitian factorizations on complex matrices.

The table's checkers differentiate real functions of real arguments, so each row builds
its complex numbers from real arguments with ``complex(x, y)`` and ends in ``real`` or
``imag``: finite differences, the dot-product test, vmap and JAX (x64) all see a real
function of real inputs whose inside is complex. (``test_complex_cards`` runs every row,
these included, on complex inputs too.)
"""

from __future__ import annotations

import numpy as np
from autodiff_rows import S, away0, jnp, lax, real, row

from mini_ad.core.tracing import get_aval
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import decompositions as dec
from mini_ad.primitives import determinants as dets
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import fft as fft_prim
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import structural as st


def z(x, y):
    return cp.complex(x, y)


# --- the parts --------------------------------------------------------------------------------

row("complex", lambda x, y: cp.real(ew.mul(z(x, y), z(x, y))),
    lambda x, y: jnp.real(lax.complex(x, y) ** 2), real(*S), real(*S))  # fmt: skip
row("complex", lambda x, y: cp.imag(ew.mul(z(x, y), z(x, y))),
    lambda x, y: jnp.imag(lax.complex(x, y) ** 2), real(*S), real(), variant="rank0")  # fmt: skip
row("real", lambda x, y: cp.real(ew.exp(z(x, y))),
    lambda x, y: jnp.real(jnp.exp(lax.complex(x, y))), real(*S), real(*S))  # fmt: skip
row("real", lambda x, y: cp.real(z(x, y)), lambda x, y: x + 0 * y, real(*S), real(*S),
    linear=True, variant="linear")  # fmt: skip
row("imag", lambda x, y: cp.imag(ew.sin(z(x, y))),
    lambda x, y: jnp.imag(jnp.sin(lax.complex(x, y))), real(*S), real(*S))  # fmt: skip
row("imag", lambda x, y: cp.imag(z(x, y)), lambda x, y: y + 0 * x, real(*S), real(*S),
    linear=True, variant="linear")  # fmt: skip
row("conj", lambda x, y: cp.imag(ew.mul(cp.conj(z(x, y)), ew.exp(z(x, y)))),
    lambda x, y: jnp.imag(lax.conj(lax.complex(x, y)) * jnp.exp(lax.complex(x, y))),
    real(*S), real(*S))  # fmt: skip
row("conj", lambda x: cp.imag(cp.conj(x)), lambda x: jnp.imag(lax.conj(x)), real(*S),
    linear=True, variant="real-input")  # fmt: skip
row("abs", lambda x, y: ew.abs(z(x, y)), lambda x, y: jnp.abs(lax.complex(x, y)),
    away0(*S), away0(*S), variant="complex")  # fmt: skip

# --- Hermitian factorizations of complex matrices ---------------------------------------------


def hermitian(x, y):
    """A well-conditioned Hermitian matrix from two real ones: ``(C + Cᴴ)/2 + 3 I``."""
    c = z(x, y)
    half = np.array(0.5, np.complex128)
    return ew.add(ew.mul(ew.add(c, lo.adjoint(c)), half), scaled_eye(c, 3))


def scaled_eye(c, k):
    return ew.mul(lo.eye_like(c), np.array(k, np.complex128))


def jax_hermitian(x, y):
    c = lax.complex(x, y)
    return (c + jnp.conj(jnp.swapaxes(c, -1, -2))) / 2 + 3 * jnp.eye(x.shape[-1])


def jax_hermitian_chol(x, y):
    return lax.linalg.cholesky(jax_hermitian(x, y), symmetrize_input=False)


def _cholesky_parts(x, y):
    chol = dec.cholesky(hermitian(x, y))
    return ew.add(cp.real(chol), ew.mul(cp.imag(chol), np.float64(2.0)))


row("cholesky", _cholesky_parts,
    lambda x, y: (lambda c: jnp.real(c) + 2 * jnp.imag(c))(jax_hermitian_chol(x, y)),
    real(3, 3), real(3, 3), variant="complex")  # fmt: skip


def _eigh_parts(x, y):
    v, w = dec.eigh(hermitian(x, y))
    modulus = cp.real(ew.mul(v, cp.conj(v)))  # |V|²: independent of the phases
    return ew.add(modulus, st.broadcast_in_dim(w, (3, 3), (1,)))


row("eigh", _eigh_parts,
    lambda x, y: (lambda v, w: jnp.real(v * jnp.conj(v)) + w[None, :])(
        *lax.linalg.eigh(jax_hermitian(x, y), symmetrize_input=False)),
    lambda rng: np.diag([1.0, 2.0, 3.5]) + 0.2 * rng.normal(size=(3, 3)), real(3, 3),
    variant="complex")  # fmt: skip


def _slogdet_parts(x, y):
    sign, logdet = dets.slogdet(ew.add(z(x, y), scaled_eye(z(x, y), 2)))
    return ew.add(ew.add(cp.real(sign), cp.imag(sign)), logdet)


row("slogdet", _slogdet_parts,
    lambda x, y: (lambda s, l: jnp.real(s) + jnp.imag(s) + l)(
        *jnp.linalg.slogdet(lax.complex(x, y) + 2 * jnp.eye(3))),
    real(3, 3), real(3, 3), variant="complex")  # fmt: skip

# --- fft --------------------------------------------------------------------------------------


def parts(c):
    """``Re c + 2 Im c``: a real function that sees both parts of a complex result."""
    re, im = cp.real(c), cp.imag(c)
    return ew.add(re, ew.mul(im, np.array(2.0, get_aval(im).dtype)))


def jax_parts(c):
    return jnp.real(c) + 2 * jnp.imag(c)


for fft_type, shape, lengths in (
    ("FFT", (2, 5), (5,)),
    ("IFFT", (3, 4, 6), (4, 6)),
    ("RFFT", (3, 6), (6,)),
    ("RFFT", (3, 5), (3, 5)),
    ("IRFFT", (2, 4), (6,)),
    ("IRFFT", (3, 4), (3, 7)),
):
    jax_type = getattr(lax.FftType, fft_type)
    if fft_type == "RFFT":
        mini = lambda x, t=fft_type, n=lengths: parts(fft_prim.fft(x, t, n))  # noqa: E731
        jax_fn = lambda x, t=jax_type, n=lengths: jax_parts(lax.fft(x, t, n))  # noqa: E731
        specs = (real(*shape),)
    elif fft_type == "IRFFT":
        mini = lambda x, y, t=fft_type, n=lengths: fft_prim.fft(z(x, y), t, n)  # noqa: E731
        jax_fn = lambda x, y, t=jax_type, n=lengths: lax.fft(lax.complex(x, y), t, n)  # noqa: E731
        specs = (real(*shape), real(*shape))
    else:
        mini = lambda x, y, t=fft_type, n=lengths: parts(fft_prim.fft(z(x, y), t, n))  # noqa: E731
        jax_fn = lambda x, y, t=jax_type, n=lengths: jax_parts(lax.fft(lax.complex(x, y), t, n))  # noqa: E731, E501
        specs = (real(*shape), real(*shape))
    row(
        "fft",
        mini,
        jax_fn,
        *specs,
        linear=True,
        variant=f"{fft_type}-{len(lengths)}d-{lengths[-1]}",
    )
