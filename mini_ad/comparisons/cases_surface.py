"""The wider ``numpy`` surface: statistics, sets and searching (category
``statistics``), polynomials and signals (``signal``), ``einsum`` and products
(``linalg``), splitting and joining (``shape``) (each program returns floats that depend smoothly on
the inputs at the drawn points, so every transform applies)."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

# --- statistics -----------------------------------------------------------------------------


@case("statistics", A(5, 4))
def quantiles(np, x):
    return np.quantile(x, onp.array([0.2, 0.5, 0.9]), axis=0) + np.median(x, axis=1).sum()


@case("statistics", A(3, 6))
def percentile_ptp_average(np, x):
    w = onp.linspace(0.5, 2.0, 6)
    return np.percentile(x, 30.0, axis=1) * np.ptp(x, axis=1) + np.average(x, axis=1, weights=w)


@case("statistics", onp.array([[0.3, onp.nan, 1.2, -0.4], [onp.nan, 2.0, 0.5, 0.1]]),
      fd=("jvp", "jacfwd"), note="NaN inputs: reverse-mode finite differences at a NaN are NaN")  # fmt: skip
def nan_reductions(np, x):
    return (np.nanmean(x, axis=1) + np.nanstd(x, axis=1) + np.nanmax(x, axis=1)
            + np.nanmedian(x, axis=1) + np.nansum(x**2, axis=1))  # fmt: skip


@case("statistics", A(3, 5))
def covariance(np, x):
    return np.cov(x) + np.corrcoef(x) * 2.0


@case("statistics", A(3, 4), A(3, 4))
def complex_statistics_and_products(np, x, y):
    z = x + 1j * y  # var/std/cov are real or Hermitian; vdot and vecdot conjugate z
    spread = np.var(z, axis=1, ddof=1) + np.std(z, axis=0).sum() + np.nanvar(z)
    products = np.vdot(z, y - 1j * x) + np.vecdot(z, z[::-1]).sum() + np.cov(z)[0, 1]
    return spread + np.abs(products) + np.real(np.corrcoef(z)[1, 2])


@case("statistics", A(3, 5))
def keyword_variants(np, x):
    counts = onp.array([1, 0, 2, 1, 3])
    picked = np.take(x, onp.array([-1, 7, 2]), axis=1, mode="clip") + np.take(x, onp.array([4]), 1)
    lin, step = np.linspace(0.5, 2.0, 4, endpoint=False, retstep=True)  # concrete ends only
    return (np.repeat(x, counts, axis=1, total_repeat_length=8).sum(axis=1) + picked.sum(axis=1)
            + np.var(x, axis=1, ddof=2) + (x[:, :4] * lin * step).sum(1))  # fmt: skip


# --- sets and searching ---------------------------------------------------------------------


@case("statistics", onp.array([0.3, 1.5, 0.3, 2.5, 1.5, 0.7]), fd=False,
      note="repeated values: finite differences pull the ties apart")  # fmt: skip
def unique_with_size(np, x):
    return np.unique(x, size=5, fill_value=0.0) * onp.arange(1.0, 6.0)


@case("statistics", A(6))
def searchsorted_gather(np, x):
    edges = onp.array([-0.5, 0.0, 0.5])
    return x * np.searchsorted(edges, x) + np.where(
        np.isin(np.digitize(x, edges), onp.array([1, 2])), x, 0.0
    )


@case("statistics", A(8))
def nonzero_with_size(np, x):
    (index,) = np.nonzero(x > 0, size=8, fill_value=0)
    return np.take(x, index) ** 2


@case("statistics", A(6))
def sort_partition_select(np, x):
    return np.select([x < -0.3, x > 0.3], [x**2, np.sin(x)], default=x) + np.sort(x) * np.arange(6)


# --- polynomials ----------------------------------------------------------------------------


@case("signal", A(4), A(5))
def polyval_polymul(np, p, x):
    return np.polyval(np.polymul(p, p[:2]), x) + np.polyval(np.polyder(p), x)


@case("signal", A(8), A(8))
def polyfit_line(np, x, y):
    return np.polyfit(x, y, 2)


@case("signal", A(4), A(2, lo=0.5, hi=1.5))
def polydiv_polyint(np, u, v):
    q, r = np.polydiv(u, v)
    return np.concatenate([q, r, np.polyint(u)])


@case("signal", A(3))
def vander_poly(np, x):
    return np.vander(x, 4).sum(axis=0) + np.poly(x)


# --- signal ---------------------------------------------------------------------------------


@case("signal", A(6), A(3))
def convolve_correlate(np, a, v):
    return (
        np.convolve(a, v) + np.correlate(a, v, mode="full") + np.convolve(a, v, mode="same").sum()
    )


@case("signal", A(5, lo=-2, hi=2), A(4))
def interp_trapezoid(np, x, fp):
    xp = onp.array([-1.5, -0.2, 0.4, 1.7])
    return np.interp(x, xp, fp) + np.trapezoid(fp**2, xp)


@case("signal", A(3, 6))
def gradient_ediff_unwrap(np, f):
    return np.gradient(f, axis=1) + np.unwrap(3.0 * f, axis=1) + np.ediff1d(f).sum()


# --- einsum ---------------------------------------------------------------------------------


@case("linalg", A(2, 3), A(3, 4), A(4, 2))
def einsum_chain(np, a, b, c):
    return np.einsum("ij,jk,kl->il", a, b, c) + np.einsum("ij,jk,ki", a, b, c)


@case("linalg", A(3, 3), A(2, 3, 3))
def einsum_diagonal_ellipsis(np, a, b):
    return (
        np.einsum("ii->i", a)
        + np.einsum("...ii->...", b).sum()
        + np.einsum("bij,jk->bik", b, a)[0, 0]
    )


@case("linalg", A(2, 3), A(3))
def kron_vecdot_matvec(np, a, v):
    return np.kron(a, v).sum(axis=0)[:3] + np.vecdot(a, v).sum() + np.matvec(a, v).sum()


# --- splitting and joining ------------------------------------------------------------------


@case("shape", A(6, 2))
def split_and_block(np, x):
    a, b, c = np.array_split(x, 3)
    return (
        np.block([[a, b], [c, np.flipud(a)]]) * np.rot90(np.column_stack([a[:, 0], b[:, 1]]))[0, 0]
    )


@case("shape", A(5))
def insert_delete_append(np, x):
    return np.append(np.insert(np.delete(x, 1), 2, x[0] * 3.0), x[::-1] ** 2)


@case("shape", A(2, 3), A(3))
def meshgrid_moveaxis(np, x, y):
    u, v = np.meshgrid(y, x[0])
    return (
        np.moveaxis(np.stack([u * v, u + v]), [0, 1], [1, 0]).sum(axis=1)
        + np.dstack([u, v])[..., 1]
    )
