"""Accuracy of ``hyp1f1``, ``hyp2f1``, ``wofz`` and ``sph_harm_y`` of
``mini_ad.scipy.special``: ``hyp1f1`` and ``hyp2f1`` with their parameter derivatives
against mpmath (30 digits) over the real line (``x < 1`` for ``hyp2f1``), ``wofz``
against SciPy (the Faddeeva package) over the complex plane, ``sph_harm_y`` against
SciPy to degree 30; JAX's conventions at the special points, dtypes, errors, and
derivatives against JAX and finite differences.

Bounds are relative: 1e-13 for ``wofz`` and ``hyp1f1`` with ``x >= 0``, 1e-12 for
``x < 0`` (Kummer's transformation ``e^x 1F1(b − a; b; −x)`` meets a series whose
terms alternate when ``b < a``; measured errors are below 2e-13). ``hyp2f1``: 1e-13 for
values, 1e-12 for the parameter derivatives (measured below 2e-13).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special

import mini_ad as ad
from mini_ad.scipy import special as ms
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jss = jax.scipy.special


@pytest.fixture(autouse=True)
def _mpmath_digits():
    """mpmath's working precision for this module's tests (30 digits), set
    per test and restored: a module-level ``mp.dps = ...`` runs at collection, so the
    last module collected would set it for every test."""
    with mpmath.workdps(30):
        yield


def _relative_error(ours, expected):
    ours, expected = np.asarray(ours), np.asarray(expected)
    return np.abs(ours - expected) / np.abs(expected)


def _mp_hyp1f1(a, b, x):
    """(1F1, ∂/∂a, ∂/∂b) from mpmath."""
    out = []
    for ai, bi, xi in zip(a, b, x, strict=True):
        ai, bi, xi = mpmath.mpf(ai), mpmath.mpf(bi), mpmath.mpf(xi)
        out.append([
            float(mpmath.hyp1f1(ai, bi, xi)),
            float(mpmath.diff(lambda s: mpmath.hyp1f1(s, bi, xi), ai)),  # noqa: B023
            float(mpmath.diff(lambda s: mpmath.hyp1f1(ai, s, xi), bi)),  # noqa: B023
        ])  # fmt: skip
    return np.array(out).T


@pytest.mark.parametrize(
    "a_range, b_range, x_range, rtol",
    [
        ((0.1, 5), (0.1, 5), (0, 5), 1e-13),
        ((0.1, 5), (0.1, 5), (0, 60), 1e-13),
        ((0.1, 5), (0.1, 5), (100, 600), 1e-13),  # JAX: its asymptotic series here
        ((-3, -0.1), (0.1, 5), (0, 5), 1e-13),
        ((0.1, 5), (0.1, 5), (-60, 0), 1e-12),  # JAX's series fails below about −20
        ((-3, 3), (0.1, 5), (-20, 0), 1e-12),
    ],
)
def test_hyp1f1_and_its_parameter_derivatives_against_mpmath(a_range, b_range, x_range, rtol):
    rng = np.random.default_rng(abs(hash((a_range, x_range))) % 2**32)
    a, b, x = (rng.uniform(*r, 25) for r in (a_range, b_range, x_range))
    value, d_a, d_b = _mp_hyp1f1(a, b, x)
    assert _relative_error(ms.hyp1f1(a, b, x), value).max() < rtol
    grad = ad.vmap(ad.grad(ms.hyp1f1, argnums=(0, 1)))(a, b, x)
    assert _relative_error(grad[0], d_a).max() < rtol
    assert _relative_error(grad[1], d_b).max() < rtol


def test_hyp1f1_agrees_with_jax_where_jax_is_accurate():
    rng = np.random.default_rng(3)
    a, b, x = rng.uniform(0.1, 4, 30), rng.uniform(0.1, 4, 30), rng.uniform(-3, 40, 30)
    np.testing.assert_allclose(ms.hyp1f1(a, b, x), jss.hyp1f1(a, b, x), rtol=1e-11)
    ours = ad.vmap(ad.grad(ms.hyp1f1, argnums=(0, 1, 2)))(a, b, x)
    theirs = jax.vmap(jax.grad(jss.hyp1f1, argnums=(0, 1, 2)))(a, b, x)
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-10)


def test_hyp1f1_special_points_follow_jax():
    # a = 0 → 1 (b = 0 too; SciPy: inf), a = b → e^x, b = 0, −2 → inf, a polynomial
    # ending before b's pole, and a polynomial with x < 0
    a = np.array([0.0, 0.0, 2.0, -2.5, 1.0, 1.0, -1.0, -3.0, -4.0])
    b = np.array([0.0, 3.0, 2.0, -2.5, 0.0, -2.0, -2.0, -5.0, 2.5])
    x = np.array([1.0, 7.0, 3.0, -4.0, 1.0, 1.0, 1.0, -3.0, -20.0])
    np.testing.assert_allclose(ms.hyp1f1(a, b, x), jss.hyp1f1(a, b, x), rtol=1e-13)
    polynomial = slice(6, None)
    np.testing.assert_allclose(
        ms.hyp1f1(a, b, x)[polynomial], scipy.special.hyp1f1(a, b, x)[polynomial], rtol=1e-13
    )


def test_hyp1f1_dtypes_and_errors():
    f32 = np.float32
    assert ms.hyp1f1(f32(1), f32(2), f32(0.5)).dtype == np.float32
    assert ms.hyp1f1(1, 2, 1).dtype == np.float64
    np.testing.assert_allclose(ms.hyp1f1(f32(1), f32(2), f32(0.5)), np.expm1(0.5) / 0.5, 1e-6)
    assert ms.hyp1f1(np.ones(3), 2.0, np.zeros((2, 1))).shape == (2, 3)
    with pytest.raises(ValueError, match="complex"):
        ms.hyp1f1(1.0, 2.0, 1j)
    with pytest.raises(NotImplementedError, match="hyp1f1_grad_a"):
        ad.grad(ad.grad(ms.hyp1f1))(1.5, 2.5, 0.7)
    assert np.isnan(ms.hyp1f1(np.nan, 1.0, 1.0))  # JAX: 1.0


def test_hyp1f1_second_derivative_in_x():
    def f(x):
        return ms.hyp1f1(1.3, 2.7, x)

    x = np.array([-2.0, 0.5, 3.0])
    check_grads(f, (x,), order=2)
    # d²/dx² 1F1(a; b; x) = a (a+1) / (b (b+1)) 1F1(a+2; b+2; x)
    want = 1.3 * 2.3 / (2.7 * 3.7) * scipy.special.hyp1f1(3.3, 4.7, x)
    np.testing.assert_allclose(ad.vmap(ad.hessian(f))(x), want, rtol=1e-13)


def _plane(rng, n):
    """The upper half plane near and far, the lower half plane where w stays finite."""
    return np.concatenate([
        rng.uniform(-6, 6, n) + 1j * rng.uniform(0, 6, n),
        rng.uniform(-40, 40, n) + 1j * rng.uniform(0, 40, n),
        rng.uniform(-6, 6, n) + 1j * rng.uniform(-3, 0, n),
        rng.uniform(-0.5, 0.5, n) + 1j * rng.uniform(-0.5, 0.5, n),
        rng.uniform(-30, 30, n) + 0j,
    ])  # fmt: skip


def test_wofz_against_scipy_and_jax():
    z = _plane(np.random.default_rng(4), 400)
    assert _relative_error(ms.wofz(z), scipy.special.wofz(z)).max() < 1e-13
    assert _relative_error(ms.wofz(z), jss.wofz(z)).max() < 1e-12
    w = complex(ms.wofz(1j))
    assert w.imag == 0 and abs(w.real - mpmath.exp(1) * mpmath.erfc(1)) < 1e-15 * w.real


def test_wofz_dtypes():
    assert ms.wofz(np.float32(1)).dtype == np.complex64
    assert ms.wofz(np.complex64(1j)).dtype == np.complex64
    assert ms.wofz(2).dtype == np.complex128
    assert ms.wofz(np.array([1.0])).dtype == np.complex128
    z = np.array([0.3 + 0.2j, -1.5 + 2j], np.complex64)
    np.testing.assert_allclose(ms.wofz(z), scipy.special.wofz(z.astype(complex)), rtol=1e-6)


def test_wofz_derivative_is_holomorphic_and_matches_jax():
    def parts(x, y):
        w = ms.wofz(ad.lax.complex(x, y))
        return ad.numpy.real(w), ad.numpy.imag(w)

    x, y = np.array([0.7, -1.2, 2.0]), np.array([0.3, -0.4, 1.0])
    check_grads(lambda x, y: parts(x, y)[0], (x, y), order=2)
    check_grads(lambda x, y: parts(x, y)[1], (x, y), order=2)
    z, t = x + 1j * y, np.array([1.0 + 0.5j, -0.3j, 2.0])
    ours = ad.jvp(ms.wofz, (z,), (t,))
    theirs = jax.jvp(jss.wofz, (z,), (t,))
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    # w' = −2z w + 2i/√π
    np.testing.assert_allclose(
        ours[1], t * (-2 * z * scipy.special.wofz(z) + 2j / np.sqrt(np.pi)), rtol=1e-13
    )
    ct = np.array([1.0 - 1j, 0.5j, 2.0])
    np.testing.assert_allclose(
        ad.vjp(ms.wofz, z)[1](ct)[0], jax.vjp(jss.wofz, z)[1](ct)[0], rtol=1e-12
    )


def _mp_hyp2f1(a, b, c, x):
    """(2F1, ∂/∂a, ∂/∂b, ∂/∂c) from mpmath."""
    out = []
    for p in zip(a, b, c, x, strict=True):
        p = [mpmath.mpf(v) for v in p]
        row = [float(mpmath.hyp2f1(*p))]
        for i in range(3):

            def along(s, i=i, p=p):
                return mpmath.hyp2f1(*p[:i], s, *p[i + 1 :])

            row.append(float(mpmath.diff(along, p[i])))
        out.append(row)
    return np.array(out).T


@pytest.mark.parametrize(
    "ab_range, c_range, x_range",
    [
        ((0.1, 3), (0.1, 5), (-0.5, 0.5)),
        ((0.1, 3), (0.1, 5), (0.5, 0.95)),  # JAX: its digamma transformation above 0.9
        ((0.1, 3), (0.1, 5), (-50, -1)),  # JAX: nan or inf below −1
        ((-3, 3), (0.1, 5), (-3, 0.9)),
    ],
)
def test_hyp2f1_and_its_parameter_derivatives_against_mpmath(ab_range, c_range, x_range):
    rng = np.random.default_rng(abs(hash((ab_range, x_range))) % 2**32)
    a, b, c, x = (rng.uniform(*r, 12) for r in (ab_range, ab_range, c_range, x_range))
    expected = _mp_hyp2f1(a, b, c, x)
    assert _relative_error(ms.hyp2f1(a, b, c, x), expected[0]).max() < 1e-13
    grads = ad.vmap(ad.grad(ms.hyp2f1, argnums=(0, 1, 2)))(a, b, c, x)
    for ours, want in zip(grads, expected[1:], strict=True):
        assert _relative_error(ours, want).max() < 1e-12


def test_hyp2f1_special_points_follow_jax():
    # x = 0; a = 0; c = 0, −2 (SciPy: 1 or a polynomial); b = c and a = c; Gauss's sum at
    # x = 1 and inf where c − a − b <= 0; inf above 1; a polynomial in x < −1
    a = np.array([1.0, 0.0, 1.0, -2.0, 1.5, 2.0, 1.0, 1.0, 1.0, -2.0])
    b = np.array([1.0, 1.0, 2.0, -3.0, 2.0, 1.5, 2.0, 2.0, 2.0, 1.5])
    c = np.array([2.0, 2.0, 0.0, -4.0, 2.0, 2.0, 4.5, 2.5, 3.0, 2.5])
    x = np.array([0.0, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 1.5, -3.0])
    np.testing.assert_allclose(ms.hyp2f1(a, b, c, x), jss.hyp2f1(a, b, c, x), rtol=1e-13)


def test_hyp2f1_dtypes_errors_and_x_derivatives():
    f32 = np.float32
    assert ms.hyp2f1(f32(1), f32(1), f32(2), f32(0.5)).dtype == np.float32
    assert ms.hyp2f1(1, 1, 2, 0).dtype == np.float64
    assert np.isnan(ms.hyp2f1(1.0, 2.0, 3.0, np.nan))  # JAX: 1.0
    with pytest.raises(ValueError, match="complex"):
        ms.hyp2f1(1.0, 2.0, 3.0, 0.5j)
    with pytest.raises(NotImplementedError, match="hyp2f1_grad_c"):
        ad.grad(ad.grad(ms.hyp2f1, argnums=2), argnums=2)(1.5, 0.7, 2.5, 0.3)

    def f(x):
        return ms.hyp2f1(1.3, 0.6, 2.7, x)

    x = np.array([-4.0, 0.2, 0.8])
    check_grads(f, (x,), order=2)
    # d²/dx² 2F1 = a(a+1) b(b+1) / (c(c+1)) 2F1(a+2, b+2; c+2; x)
    want = 1.3 * 2.3 * 0.6 * 1.6 / (2.7 * 3.7) * scipy.special.hyp2f1(3.3, 2.6, 4.7, x)
    np.testing.assert_allclose(ad.vmap(ad.hessian(f))(x), want, rtol=1e-12)


def test_sph_harm_y_against_scipy_to_degree_30():
    rng = np.random.default_rng(5)
    n = rng.integers(0, 31, 200)
    m = np.array([rng.integers(-k, k + 1) for k in n])
    theta, phi = rng.uniform(0, np.pi, 200), rng.uniform(0, 2 * np.pi, 200)
    ours = ms.sph_harm_y(n, m, theta, phi)
    assert ours.dtype == np.complex128
    np.testing.assert_allclose(ours, scipy.special.sph_harm_y(n, m, theta, phi), atol=1e-13)


def test_sph_harm_y_index_conventions_follow_jax():
    n, m = np.array([2, 3, 6, 5, 0]), np.array([1, 4, 2, -2, 0])  # |m| > n gives 0
    for theta, n_max in [(0.5, None), (np.array([0.5, 0.9]), None), (np.array([0.4]), 4)]:
        np.testing.assert_allclose(
            ms.sph_harm_y(n, m, theta, 0.3, n_max=n_max),
            jss.sph_harm_y(n, m, theta, 0.3, n_max=n_max),
            atol=1e-14,
        )
    with pytest.raises(NotImplementedError, match="diff_n"):
        ms.sph_harm_y(n, m, 0.5, 0.3, diff_n=1)
    with pytest.raises(TypeError, match="n_max"):
        ad.jit(lambda n: ms.sph_harm_y(n, m, 0.5, 0.3))(n)
    jitted = ad.jit(lambda n: ms.sph_harm_y(n, m, 0.5, 0.3, n_max=6))(n)
    np.testing.assert_allclose(jitted, ms.sph_harm_y(n, m, 0.5, 0.3), atol=1e-15)


def test_sph_harm_y_derivatives_match_jax():
    n, m = np.array([0, 1, 3, 4, 5]), np.array([0, -1, 3, 2, -4])
    theta, phi = np.array([0.3, 1.2, 2.0, 2.9, 1.6]), np.array([0.1, 2.0, 4.0, 5.5, 3.0])

    def ours(t, p):
        y = ms.sph_harm_y(n, m, t, p)
        return ad.numpy.sum(ad.numpy.real(y) * ad.numpy.imag(y) + ad.numpy.real(y))

    def theirs(t, p):
        y = jss.sph_harm_y(n, m, t, p)
        return jax.numpy.sum(y.real * y.imag + y.real)

    grads = ad.grad(ours, (0, 1))(theta, phi), jax.grad(theirs, (0, 1))(theta, phi)
    for o, t in zip(*grads, strict=True):
        np.testing.assert_allclose(o, t, rtol=1e-12, atol=1e-14)
    check_grads(ours, (theta, phi), order=2)
