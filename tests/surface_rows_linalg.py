"""Rows for every public name of ``mini_ad.numpy.linalg``, ``mini_ad.numpy.fft`` and
``mini_ad.scipy.linalg``, checked by ``test_module_surface.py`` against NumPy/SciPy and
JAX (x64).

Inputs are well conditioned: symmetric positive definite where a factorisation needs it,
diagonally dominant elsewhere. Results defined only up to a sign or phase (eigenvectors,
singular vectors) are compared after a normalisation computed in the same library
(``*_fixed``: each vector scaled so its largest entry is real and positive), so values
and derivatives are checked, not just magnitudes. Complex results are checked as values;
their derivatives are checked on the real and imaginary parts stacked (``reim``).
"""

from __future__ import annotations

import functools

import numpy as np
import scipy.linalg as sla
from numpy_surface_rows import K, R, jax, jnp
from surface_table import Table

import mini_ad.numpy as mnp
import mini_ad.numpy.fft as mfft
import mini_ad.numpy.linalg as mla
import mini_ad.scipy.linalg as msla

jsla = jax.scipy.linalg


def SPD(n, *batch):  # noqa: N802 - a spec, like R and P
    """Symmetric positive definite, eigenvalues in about [1, 3]."""

    def draw(rng):
        a = rng.normal(size=(*batch, n, n)) / np.sqrt(n)
        return a @ np.swapaxes(a, -1, -2) + np.eye(n)

    return draw


def WELL(n, *batch):  # noqa: N802
    """Diagonally dominant, so well conditioned (and not symmetric)."""
    return lambda rng: rng.normal(size=(*batch, n, n)) + 3 * np.eye(n)


def TRI(n, *trailing, lower=True):  # noqa: N802
    """Triangular with its diagonal in ±[1, 2]."""

    def draw(rng):
        a = np.tril(rng.normal(size=(n, n))) if lower else np.triu(rng.normal(size=(n, n)))
        np.fill_diagonal(a, rng.choice([-1, 1], size=n) * rng.uniform(1, 2, size=n))
        return a

    return draw


def REAL_EIG(n):  # noqa: N802
    """Not symmetric, with real, well separated eigenvalues ``1..n``."""

    def draw(rng):
        p = rng.normal(size=(n, n)) + 3 * np.eye(n)
        return p @ np.diag(np.arange(1.0, n + 1)) @ np.linalg.inv(p)

    return draw


LIBS = {"mini": mnp, "jax": jnp, "numpy": np}


def three(fn):
    """``fn(xp)`` for each library's NumPy namespace: (mini, jax, numpy) callables."""
    return fn(mnp), fn(jnp), fn(np)


def fixed_columns(xp, v):
    """``v`` with each column scaled by the conjugate phase of its largest entry."""
    idx = xp.argmax(xp.abs(v), axis=-2)
    pivot = xp.take_along_axis(v, idx[..., None, :], axis=-2)
    return v * (xp.conj(pivot) / xp.abs(pivot))


def sym(xp, x, shift=4.0):
    """A symmetric positive definite matrix, linear in ``x``: derivatives of functions that
    read one triangle (or assume symmetry) are then taken along symmetric directions."""
    return (x + xp.swapaxes(x, -1, -2)) / 2 + shift * xp.eye(x.shape[-1])


def reim(xp, z):
    return xp.stack([xp.real(z), xp.imag(z)])


def is_a(result_type):
    """Asserts mini's result is ``result_type`` (a NamedTuple) and passes it on."""

    def check(result):
        assert type(result).__name__ == result_type.__name__, type(result)
        assert isinstance(result, result_type), type(result)
        return result

    return check


def _svd_fixed(xp, usv):
    """U's first k columns (the rest of a full U is any basis of the complement), s, and
    Vh's first k rows, each singular pair's sign fixed by U's largest entry."""
    u, s, vh = usv
    k = s.shape[-1]
    u = u[..., :k]
    idx = xp.argmax(xp.abs(u), axis=-2)
    sign = xp.sign(xp.take_along_axis(u, idx[None, :], axis=-2))
    return u * sign, s, vh[:k] * xp.swapaxes(sign, -1, -2)


# --- mini_ad.numpy.linalg ---------------------------------------------------------------------
linalg = Table("mini_ad.numpy.linalg", mla, jnp.linalg, np.linalg)
same, row = linalg.same, linalg.row

same("cholesky", SPD(3))
same("cholesky", SPD(3, 2), variant="batched")
same("cond", WELL(3))
same("cond", WELL(3), K("fro"), variant="fro")
same("det", WELL(3))
same("det", WELL(3, 2), variant="batched")
same("inv", WELL(3))
same("solve", WELL(3), R(3, 2))
same("slogdet", WELL(3))
row("SlogdetResult", lambda a: is_a(mla.SlogdetResult)(mla.slogdet(a)), jnp.linalg.slogdet,
    np.linalg.slogdet, WELL(3, 2))  # fmt: skip
same("eigvalsh", SPD(3))
same("eigvalsh", SPD(4), UPLO="U")
row("eigh", *three(lambda xp: lambda a: (xp.linalg.eigh(a)[0],
                                         fixed_columns(xp, xp.linalg.eigh(a)[1]))),
    SPD(4), variant="fixed signs")  # fmt: skip
row("EighResult", lambda a: is_a(mla.EighResult)(mla.eigh(a)).eigenvalues,
    lambda a: jnp.linalg.eigh(a).eigenvalues, lambda a: np.linalg.eigh(a).eigenvalues, SPD(3))  # fmt: skip
# eig: complex results; the eigenvalues and phase-fixed eigenvectors as values, and the
# derivatives of a matrix with real eigenvalues
row("eig", *three(lambda xp: lambda a: (xp.linalg.eig(a)[0],
                                        fixed_columns(xp, xp.linalg.eig(a)[1]))),
    WELL(3), diff=False)  # fmt: skip
row("eig", *three(lambda xp: lambda a: reim(xp, fixed_columns(xp, xp.linalg.eig(a)[1]))),
    REAL_EIG(3), variant="vectors,reim", f32=False, diff=False)  # fmt: skip
# eigenvectors have no derivative, as in JAX (NotImplementedError in both)
row("EigResult", lambda a: reim(mnp, is_a(mla.EigResult)(mla.eig(a)).eigenvalues),
    lambda a: reim(jnp, jnp.linalg.eig(a).eigenvalues),
    lambda a: reim(np, np.linalg.eig(a).eigenvalues), REAL_EIG(3), f32=False, diff=False)  # fmt: skip
same("eigvals", WELL(3), diff=False)
row("eigvals", *three(lambda xp: lambda a: reim(xp, xp.linalg.eigvals(a))), REAL_EIG(4),
    variant="reim", f32=False)  # fmt: skip
row("lstsq", *three(lambda xp: lambda a, b: xp.linalg.lstsq(a, b, rcond=None)[0]),
    R(5, 3), R(5, 2), variant="solution")  # fmt: skip
row("lstsq", lambda a, b: mla.lstsq(a, b, rcond=None, numpy_resid=True)[1::2],
    lambda a, b: jnp.linalg.lstsq(a, b, rcond=None, numpy_resid=True)[1::2],
    lambda a, b: np.linalg.lstsq(a, b, rcond=None)[1::2], R(5, 3), R(5), variant="resid,s")  # fmt: skip
# the rank is int64, as JAX's with x64 (NumPy's is int32): compared as int64
row("lstsq", lambda a, b: mla.lstsq(a, b, rcond=None)[2],
    lambda a, b: jnp.linalg.lstsq(a, b, rcond=None)[2],
    lambda a, b: np.linalg.lstsq(a, b, rcond=None)[2], R(5, 3), R(5), variant="rank", diff=False,
    canon=lambda r: r.astype(np.int64))  # fmt: skip
same("matrix_power", WELL(3), K(3))
same("matrix_power", WELL(3), K(-2), variant="n=-2")
same("matrix_power", WELL(3), K(0), variant="n=0")
same("matrix_rank", R(4, 3), diff=False)
same("matrix_rank", K(np.outer([1.0, 2.0, 3.0], [1.0, -1.0])), diff=False, variant="rank 1")
row("multi_dot", *three(lambda xp: lambda a, b, c: xp.linalg.multi_dot([a, b, c])),
    R(2, 3), R(3, 4), R(4))  # fmt: skip
same("norm", R(5))
for ord_ in [1, -np.inf, 0.5]:
    same("norm", R(5), ord=ord_)
same("norm", R(3, 4), axis=1, keepdims=True)
for ord_ in ["nuc", -1, 2, -2, np.inf]:
    same("norm", R(3, 4), ord=ord_)
same("pinv", R(4, 3))
row("pinv", *three(lambda xp: lambda x: xp.linalg.pinv(sym(xp, x), hermitian=True)), R(3, 3),
    variant="hermitian=True")  # fmt: skip
for mode in ["reduced", "complete"]:
    same("qr", R(4, 3), mode=mode, diff=mode == "reduced")  # complete Q: not unique
same("qr", R(4, 3), mode="r", variant="mode=r")
row("QRResult", lambda a: is_a(mla.QRResult)(mla.qr(a)), jnp.linalg.qr, np.linalg.qr, R(3, 3))
same("svd", R(4, 3), compute_uv=False)
row("svd", *three(lambda xp: lambda a: _svd_fixed(xp, xp.linalg.svd(a, full_matrices=False))),
    R(4, 3), variant="fixed signs")  # fmt: skip
# full_matrices=True (the default) has no jvp, as in JAX
row("SVDResult", *three(lambda xp: lambda a: _svd_fixed(xp, xp.linalg.svd(a))), R(3, 3),
    diff=False)  # fmt: skip
row("svd", *three(lambda xp: lambda a: _svd_fixed(xp, xp.linalg.svd(a))), R(4, 3),
    diff=False, variant="full_matrices")  # fmt: skip
same("tensorinv", lambda rng: (rng.normal(size=(6, 6)) + 4 * np.eye(6)).reshape(2, 3, 6), ind=2)
same("tensorsolve", lambda rng: (rng.normal(size=(6, 6)) + 4 * np.eye(6)).reshape(2, 3, 6),
     R(2, 3))  # fmt: skip
row("triangular_solve", lambda a, b: mla.triangular_solve(a, b, left_side=True, lower=True),
    lambda a, b: jax.lax.linalg.triangular_solve(a, b, left_side=True, lower=True),
    lambda a, b: sla.solve_triangular(a, b, lower=True), TRI(3), R(3, 2))  # fmt: skip
row("triangular_solve", lambda a, b: mla.triangular_solve(a, b, transpose_a=True),
    lambda a, b: jax.lax.linalg.triangular_solve(a, b, transpose_a=True),
    lambda a, b: sla.solve_triangular(a, b.T).T, TRI(3, lower=False), R(2, 3),
    variant="right,transpose")  # fmt: skip


# --- mini_ad.numpy.fft ------------------------------------------------------------------------
fft = Table("mini_ad.numpy.fft", mfft, jnp.fft, np.fft)


def fft_rows(name, *specs, derivatives=False, **kw):
    """One row per transform and options. A complex result's derivatives are checked (with
    ``derivatives``) on its real and imaginary parts stacked, in a second row; float32 is
    checked on the complex values, where rounding is relative to the modulus."""
    mini, jax_fn, ref = (functools.partial(getattr(xp.fft, name), **kw) for xp in (mnp, jnp, np))
    complex_out = np.iscomplexobj(ref(*[s(np.random.default_rng(0)) for s in specs]))
    fft.same(name, *specs, diff=not complex_out, **kw)
    if complex_out and derivatives:
        fft.row(name, lambda *a: reim(mnp, mini(*a)), lambda *a: reim(jnp, jax_fn(*a)),
                lambda *a: reim(np, ref(*a)), *specs, f32=False, vmap=False,
                variant=",".join([*(f"{k}={v}" for k, v in kw.items()), "reim"]))  # fmt: skip


# the derivatives of the complex transforms once each, with options
for name in ["fft", "ifft", "rfft", "ihfft"]:
    fft_rows(name, R(8))
    fft_rows(name, R(3, 6), n=5, axis=0, norm="ortho", derivatives=True)
for name in ["irfft", "hfft"]:
    fft_rows(name, R(5))
    fft_rows(name, R(4, 3), n=6, axis=0, norm="forward")
for name in ["fft2", "ifft2", "rfft2", "irfft2"]:
    fft_rows(name, R(4, 6))
    fft_rows(name, R(2, 3, 4), s=(4, 5), axes=(0, 2), derivatives=True)
for name in ["fftn", "ifftn", "rfftn", "irfftn"]:
    fft_rows(name, R(2, 3, 4))
    fft_rows(name, R(3, 4, 2), axes=(0, 1), norm="ortho", derivatives=True)
fft.same("fftn", lambda rng: rng.normal(size=(3, 4)) + 1j * rng.normal(size=(3, 4)),
         variant="complex input", f32=False)  # fmt: skip
fft.same("fftfreq", K(8), K(0.5))
fft.same("fftfreq", K(7))
fft.same("rfftfreq", K(8), K(0.25))
fft.same("rfftfreq", K(9))
fft.same("fftshift", R(7))
fft.same("fftshift", R(4, 5), axes=0)
fft.same("ifftshift", R(6))
fft.same("ifftshift", R(4, 5), axes=(0, 1))


# --- mini_ad.scipy.linalg ---------------------------------------------------------------------
scipy_linalg = Table("mini_ad.scipy.linalg", msla, jsla, sla)
same, row = scipy_linalg.same, scipy_linalg.row

same("block_diag", R(2, 2), R(1, 3), R(2, 1))
row("cho_factor", lambda x: mnp.tril(msla.cho_factor(sym(mnp, x), lower=True)[0]),
    lambda x: jnp.tril(jsla.cho_factor(sym(jnp, x), lower=True)[0]),
    lambda x: np.tril(sla.cho_factor(sym(np, x), lower=True)[0]), R(3, 3), variant="lower")  # fmt: skip
row("cho_factor", lambda x: mnp.triu(msla.cho_factor(sym(mnp, x))[0]),
    lambda x: jnp.triu(jsla.cho_factor(sym(jnp, x))[0]),
    lambda x: np.triu(sla.cho_factor(sym(np, x))[0]), R(3, 3), variant="upper")  # fmt: skip
row("cho_solve", lambda c, b: msla.cho_solve((c, True), b), lambda c, b: jsla.cho_solve((c, True), b),
    lambda c, b: sla.cho_solve((c, True), b), TRI(3), R(3, 2))  # fmt: skip
row("eigh", *(lambda x, lib=lib, xp=xp: lib.eigh(sym(xp, x), eigvals_only=True)
              for lib, xp in ((msla, mnp), (jsla, jnp), (sla, np))),
    R(3, 3), variant="eigvals_only")  # fmt: skip


def _eigh_fixed(lib, xp):
    def f(a):
        w, v = lib.eigh(sym(xp, a))
        return w, fixed_columns(xp, v)

    return f


row("eigh", _eigh_fixed(msla, mnp), _eigh_fixed(jsla, jnp), _eigh_fixed(sla, np), R(4, 4),
    variant="fixed signs")  # fmt: skip
same("expm", lambda rng: 0.5 * rng.normal(size=(3, 3)))
same("lu", WELL(3))
same("lu", WELL(3), permute_l=True)
# mini_ad's lu has a jvp for square matrices only (JAX's also for rectangular ones)
same("lu", R(3, 4), permute_l=True, diff=False, variant="rectangular")
same("lu_factor", WELL(3))
row("lu_solve", lambda a, b: msla.lu_solve(msla.lu_factor(a), b),
    lambda a, b: jsla.lu_solve(jsla.lu_factor(a), b), lambda a, b: sla.lu_solve(sla.lu_factor(a), b),
    WELL(3), R(3, 2))  # fmt: skip
row("lu_solve", lambda a, b: msla.lu_solve(msla.lu_factor(a), b, trans=1),
    lambda a, b: jsla.lu_solve(jsla.lu_factor(a), b, trans=1),
    lambda a, b: sla.lu_solve(sla.lu_factor(a), b, trans=1), WELL(3), R(3), variant="trans=1")  # fmt: skip
# JAX cannot differentiate it (no rule for schur): finite differences check mini_ad's
same("solve_sylvester", SPD(3), SPD(2), R(3, 2), jax_diff=False)
same("solve_triangular", TRI(3), R(3, 2), lower=True)
same("solve_triangular", TRI(3, lower=False), R(3), trans=1)
same("solve_triangular", TRI(3, lower=False), R(3), trans="T", unit_diagonal=True)
# complex, as JAX's (SciPy's is real for these): JAX cannot differentiate it (schur)
row(
    "sqrtm",
    msla.sqrtm,
    jsla.sqrtm,
    lambda a: sla.sqrtm(a).astype(np.result_type(a.dtype, np.complex64)),
    SPD(3),
    jax_diff=False,
)
row("sqrtm", lambda a: reim(mnp, msla.sqrtm(a)), lambda a: reim(jnp, jsla.sqrtm(a)),
    lambda a: reim(np, sla.sqrtm(a).astype(complex)), SPD(3), jax_diff=False, f32=False,
    variant="reim")  # fmt: skip

TABLES = [linalg, fft, scipy_linalg]
