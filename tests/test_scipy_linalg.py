"""``mini_ad.scipy.linalg``: SciPy's values (JAX's where they differ: ``cho_factor``'s
other triangle), JAX's derivatives (x64), finite differences where JAX has none
(``solve_sylvester``: JAX's goes through a Schur form it cannot differentiate)."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
scipy_linalg = pytest.importorskip("scipy.linalg")
jax.config.update("jax_enable_x64", True)
jsl = jax.scipy.linalg
jnp = jax.numpy

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
import mini_ad.scipy.linalg as msl  # noqa: E402
from mini_ad.testing import check_grads  # noqa: E402

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 3)) + 3 * np.eye(3)
C = A + 1j * RNG.normal(size=(3, 3))
B = RNG.normal(size=(3, 2))
V = RNG.normal(size=3)


@pytest.mark.parametrize("a", [A, C], ids=["real", "complex"])
@pytest.mark.parametrize("trans", [0, 1, 2, "N", "T", "C"])
@pytest.mark.parametrize("lower", [True, False])
def test_solve_triangular(a, trans, lower):
    for b, unit in ((B, False), (V, True)):
        got = msl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)
        want = scipy_linalg.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)
        np.testing.assert_allclose(got, want, rtol=1e-12)

    def f(m):
        return mnp.sum(mnp.abs(msl.solve_triangular(m, B, trans=trans, lower=lower)) ** 2)

    def jax_f(m):
        return jnp.sum(jnp.abs(jsl.solve_triangular(m, B, trans=trans, lower=lower)) ** 2)

    np.testing.assert_allclose(ad.grad(f)(a), jax.grad(jax_f)(a), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("a", [A, C], ids=["real", "complex"])
@pytest.mark.parametrize("lower", [True, False])
def test_cho_factor_and_solve(a, lower):
    h = a @ a.conj().T + np.eye(3)
    c = msl.cho_factor(h, lower)
    np.testing.assert_allclose(c[0], jsl.cho_factor(h, lower)[0], rtol=1e-12)
    assert c[1] == lower
    want = scipy_linalg.cho_solve(scipy_linalg.cho_factor(h, lower), B)
    np.testing.assert_allclose(msl.cho_solve(c, B), want, rtol=1e-12)

    def f(m):
        m = m @ mnp.conj(mnp.swapaxes(m, 0, 1)) + np.eye(3)
        return mnp.sum(mnp.abs(msl.cho_solve(msl.cho_factor(m, lower), B)) ** 2)

    def jax_f(m):
        m = m @ jnp.conj(m.T) + jnp.eye(3)
        return jnp.sum(jnp.abs(jsl.cho_solve(jsl.cho_factor(m, lower), B)) ** 2)

    np.testing.assert_allclose(ad.grad(f)(a), jax.grad(jax_f)(a), rtol=1e-9, atol=1e-12)


def test_eigh_eigvals_only():
    h = C @ C.conj().T
    np.testing.assert_allclose(
        msl.eigh(h, eigvals_only=True), scipy_linalg.eigh(h, eigvals_only=True)
    )
    w, v = msl.eigh(h)
    np.testing.assert_allclose((v * w) @ v.conj().T, h, rtol=1e-12, atol=1e-12)


def test_block_diag():
    blocks = (A, [1.0, 2.0], 3.0, np.ones((2, 1)))
    np.testing.assert_array_equal(msl.block_diag(*blocks), scipy_linalg.block_diag(*blocks))
    grad = ad.grad(lambda a: mnp.sum(msl.block_diag(a, a) ** 2))(A)
    np.testing.assert_allclose(grad, 4 * A)


def test_solve_sylvester():
    b, q = RNG.normal(size=(2, 2)), RNG.normal(size=(3, 2))
    got = msl.solve_sylvester(A, b, q)
    np.testing.assert_allclose(got, scipy_linalg.solve_sylvester(A, b, q), rtol=1e-10)
    np.testing.assert_allclose(got, jsl.solve_sylvester(A, b, q), rtol=1e-10)
    check_grads(msl.solve_sylvester, (A, b, q), order=2)


@pytest.mark.parametrize("shape", [(4, 4), (4, 3), (3, 5)])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_lu_values(shape, dtype):
    a = RNG.normal(size=shape).astype(dtype)
    if dtype == np.complex128:
        a = a + 1j * RNG.normal(size=shape)
    for got, want in zip(msl.lu(a), scipy_linalg.lu(a), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    for got, want in zip(
        msl.lu(a, permute_l=True), scipy_linalg.lu(a, permute_l=True), strict=True
    ):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("a", [A, C], ids=["real", "complex"])
@pytest.mark.parametrize("trans", [0, 1, 2])
def test_lu_factor_and_solve(a, trans):
    factors = msl.lu_factor(a)
    want = scipy_linalg.lu_factor(a)
    np.testing.assert_allclose(factors[0], want[0], rtol=1e-12)
    np.testing.assert_array_equal(factors[1], want[1])
    np.testing.assert_allclose(
        msl.lu_solve(factors, B, trans=trans), scipy_linalg.lu_solve(want, B, trans=trans)
    )

    def f(m):
        return mnp.sum(mnp.abs(msl.lu_solve(msl.lu_factor(m), B, trans=trans)) ** 2)

    def jax_f(m):
        return jnp.sum(jnp.abs(jsl.lu_solve(jsl.lu_factor(m), B, trans=trans)) ** 2)

    np.testing.assert_allclose(ad.grad(f)(a), jax.grad(jax_f)(a), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("a", [A, 4 * A, C], ids=["real", "scaled", "complex"])
def test_expm_and_sqrtm(a):
    np.testing.assert_allclose(msl.expm(a), scipy_linalg.expm(a), rtol=1e-9)
    root = msl.sqrtm(a)
    assert root.dtype == np.complex128  # as JAX's
    np.testing.assert_allclose(root, scipy_linalg.sqrtm(a), rtol=1e-10)

    def f(m):
        return mnp.sum(mnp.abs(msl.expm(m)) ** 2)

    def jax_f(m):
        return jnp.sum(jnp.abs(jsl.expm(m)) ** 2)

    np.testing.assert_allclose(ad.grad(f)(a / 4), jax.grad(jax_f)(a / 4), rtol=1e-9)
    if not np.iscomplexobj(a):  # check_grads pairs real tangents and cotangents
        check_grads(lambda m: mnp.real(msl.sqrtm(m)), (a,), order=1)
