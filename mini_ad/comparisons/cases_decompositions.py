"""Factorizations and complex numbers: svd, qr, pinv, lstsq, norms and conditions through
the SVD, matrix powers, tensor solves, eigenvalues, and complex functions and Hermitian
matrices built from two real arguments (``z = x + 1j·y``)."""

from __future__ import annotations

from mini_ad.comparisons.registry import A, case


def _graded(np, a):
    """``a`` plus a graded diagonal: well separated singular values."""
    k = min(a.shape)
    return a + np.eye(a.shape[0], a.shape[1]) * np.arange(1.0, 1.0 + 1.5 * k, 1.5)[:k]


@case("linalg", A(4, 3))
def svd_values_and_low_rank(np, a):
    m = _graded(np, a)
    u, s, vh = np.linalg.svd(m, full_matrices=False)
    low_rank = (u[:, :2] * s[:2]) @ vh[:2]  # independent of the vectors' signs
    return np.sum(low_rank**2) + np.linalg.svd(m, compute_uv=False) @ np.arange(3.0)


@case("linalg", A(4, 3))
def qr_factors(np, a):
    q, r = np.linalg.qr(_graded(np, a))
    return np.sum(q, axis=0) * np.diagonal(r) + np.linalg.qr(_graded(np, a), mode="r")[0]


@case("linalg", A(4, 3), A(4))
def pinv_and_lstsq(np, a, b):
    m = _graded(np, a)
    return np.linalg.pinv(m) @ b + np.linalg.lstsq(m, b)[0]


@case("linalg", A(3, 3))
def spectral_norms_and_conditions(np, a):
    m = _graded(np, a)
    return (
        np.linalg.norm(m, 2) + np.linalg.norm(m, "nuc") + np.linalg.norm(m, -2)
        + np.linalg.norm(m, 1) + np.linalg.norm(m, -np.inf) + np.linalg.cond(m)
        + np.linalg.cond(m, "fro")
    )  # fmt: skip


@case("linalg", A(3, 3), A(3))
def matrix_power_and_multi_dot(np, a, x):
    m = a + 2.0 * np.eye(3)
    return np.linalg.multi_dot([x, np.linalg.matrix_power(m, 3), np.linalg.matrix_power(m, -2)])


@case("linalg", A(6, 2, 3), A(6))
def tensorsolve_and_tensorinv(np, a, b):
    m = a + np.reshape(3.0 * np.eye(6), (6, 2, 3))
    return np.sum(np.linalg.tensorsolve(m, b)) + np.sum(np.linalg.tensorinv(m, 1) ** 2)


@case("linalg", A(3), A(3))
def complex_elementwise(np, x, y):
    z = x + 1j * y + 0.5
    w = np.sin(z) * np.conj(z) + np.exp(z) / (z + 2.0)
    return np.abs(w) + np.real(z**2) + np.imag(np.log(z)) + np.angle(w)


@case("linalg", A(3, 3), A(3, 3))
def complex_hermitian_eigh_cholesky_det(np, x, y):
    z = x + 1j * y
    h = (z + np.conj(np.swapaxes(z, 0, 1))) / 2 + 4.0 * np.eye(3)
    chol = np.linalg.cholesky(h)
    sign, logdet = np.linalg.slogdet(z + 3.0 * np.eye(3))
    return (
        np.linalg.eigvalsh(h) + np.sum(np.abs(chol) ** 2, axis=0) + np.real(sign) + logdet
        + np.abs(np.linalg.det(z + 3.0 * np.eye(3)))
    )  # fmt: skip


@case("linalg", A(3, 3), A(3, 3))
def complex_svd_and_norms(np, x, y):
    z = _graded(np, x) + 0.5j * y
    return np.linalg.svd(z, compute_uv=False) + np.linalg.norm(z, "nuc") + np.linalg.norm(z)


# --- fft --------------------------------------------------------------------------------------


@case("linalg", A(8), A(8))
def fft_power_spectrum(np, x, y):
    z = x + 1j * y
    spectrum = np.fft.fft(z, norm="ortho")
    return np.abs(spectrum) ** 2 + np.real(np.fft.ifft(spectrum * np.conj(spectrum), n=8))


@case("linalg", A(4, 6))
def rfft2_filter_and_back(np, x):
    spectrum = np.fft.rfft2(x)
    kernel = np.exp(-(np.fft.rfftfreq(6) ** 2))
    return np.fft.irfft2(spectrum * kernel, s=(4, 6)) + np.fft.fftshift(x, axes=1)


@case("linalg", A(5), A(5))
def hermitian_ffts(np, x, y):
    return np.fft.hfft(x + 1j * y, n=8) + np.sum(np.abs(np.fft.ihfft(x)))
