"""``mini_ad.numpy.linalg``: solve, inv, det, slogdet, cholesky, triangular_solve, eigh
and eigvalsh — values against NumPy, every transform (to the Hessian) against JAX (x64),
finite differences, vmap against a Python loop, jit, and the printed primitives."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from autodiff_checks import check_transforms_against_jax  # noqa: E402
from batching_checks import check_batched_like_loop  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad.testing import check_grads  # noqa: E402

jnp = jax.numpy
RNG = np.random.default_rng(3)
A = 2.0 * np.eye(3) + 0.4 * RNG.normal(size=(3, 3))
A_STACK = 2.0 * np.eye(3) + 0.4 * RNG.normal(size=(2, 3, 3))
NEG = np.diag([-1.0, 1.0, 1.0]) @ A  # negative determinant
B = RNG.normal(size=(3, 2))
V = RNG.normal(size=3)
SYM = np.diag([1.0, 2.5, 4.0]) + 0.3 * RNG.normal(size=(3, 3))


def spd(np_, a):
    return a @ a.T + 3.0 * np_.eye(3)


def case(name, fn, *args):
    return pytest.param(fn, args, id=name)


CASES = [
    case("solve-matrix", lambda np_, a, b: np_.linalg.solve(a, b), A, B),
    case("solve-vector", lambda np_, a, v: np_.linalg.solve(a, v), A, V),
    case("solve-stacked", lambda np_, a, b: np_.linalg.solve(a, b), A_STACK, B),
    case("inv", lambda np_, a: np_.linalg.inv(a), A),
    case("det", lambda np_, a: np_.linalg.det(a), A),
    case("det-stacked", lambda np_, a: np_.linalg.det(a), A_STACK),
    case("slogdet", lambda np_, a: np_.linalg.slogdet(a)[1] * np_.linalg.slogdet(a)[0], NEG),
    case("cholesky", lambda np_, a: np_.linalg.cholesky(spd(np_, a)), A),
    case("cholesky-nonsymmetric-input", lambda np_, a: np_.linalg.cholesky(a + a.T + 6.0 * np_.eye(3) + 0.1 * a), A),
    case("cholesky-upper", lambda np_, a: np_.linalg.cholesky(spd(np_, a), upper=True), A),
    case("eigvalsh", lambda np_, a: np_.linalg.eigvalsh(a), SYM),
    case("eigh-vectors", lambda np_, a: np_.linalg.eigh(a)[1] ** 2 * np_.linalg.eigh(a)[0], SYM),
    case("quadratic-form", lambda np_, a, v: v @ np_.linalg.solve(spd(np_, a), v) + np_.linalg.slogdet(spd(np_, a))[1], A, V),
]  # fmt: skip


@pytest.mark.parametrize("fn, args", CASES)
def test_against_jax_and_finite_differences(fn, args):
    check_transforms_against_jax(lambda *a: fn(mnp, *a), lambda *a: fn(jnp, *a), args)
    check_grads(lambda *a: fn(mnp, *a), args, order=2)


@pytest.mark.parametrize(
    "params",
    [
        dict(left_side=True, lower=True),
        dict(left_side=True, lower=False, transpose_a=True),
        dict(left_side=False, lower=True, unit_diagonal=True),
        dict(left_side=False, lower=False, transpose_a=True, unit_diagonal=True),
    ],
)
def test_triangular_solve_against_jax(params):
    b = B if params["left_side"] else B.T
    mini = lambda a, b: mnp.linalg.triangular_solve(a, b, **params)
    check_transforms_against_jax(
        mini, lambda a, b: jax.lax.linalg.triangular_solve(a, b, **params), (A, b)
    )
    check_grads(mini, (A, b), order=2)


def test_values_match_numpy():
    np.testing.assert_allclose(mnp.linalg.solve(A, V), np.linalg.solve(A, V), rtol=1e-14)
    np.testing.assert_allclose(
        mnp.linalg.solve(A_STACK, B), np.linalg.solve(A_STACK, B), rtol=1e-14
    )
    np.testing.assert_allclose(mnp.linalg.inv(A_STACK), np.linalg.inv(A_STACK), rtol=1e-13)
    np.testing.assert_allclose(mnp.linalg.det(A_STACK), np.linalg.det(A_STACK), rtol=1e-14)
    sign, logdet = mnp.linalg.slogdet(NEG)
    assert float(sign) == -1.0
    np.testing.assert_allclose(logdet, np.linalg.slogdet(NEG)[1], rtol=1e-14)
    m = spd(np, A)
    np.testing.assert_allclose(mnp.linalg.cholesky(m), np.linalg.cholesky(m), rtol=1e-14)
    w, v = mnp.linalg.eigh(m)
    np.testing.assert_allclose(w, np.linalg.eigvalsh(m), rtol=1e-14)
    np.testing.assert_allclose(v @ np.diag(w) @ v.T, m, rtol=1e-13)
    assert type(mnp.linalg.det(A)) is ad.Array


def test_cholesky_of_indefinite_matrix_is_nan_like_jax():
    bad = np.stack([spd(np, A), -np.eye(3)])
    out = np.asarray(mnp.linalg.cholesky(bad))
    np.testing.assert_allclose(out[0], np.linalg.cholesky(spd(np, A)))
    lower = np.tril(np.ones((3, 3), bool))  # JAX: NaN on and below the diagonal, 0 above
    assert np.isnan(out[1][lower]).all() and (out[1][~lower] == 0).all()
    jnp = pytest.importorskip("jax.numpy")
    np.testing.assert_array_equal(out[1], np.asarray(jnp.linalg.cholesky(-np.eye(3))))


def test_norm_still_works():
    np.testing.assert_allclose(mnp.linalg.norm(V), np.linalg.norm(V), rtol=1e-15)


def test_hessian_of_log_likelihood_against_jax():
    """The backward pass of solve and slogdet is differentiable again (hessian)."""

    def nll(np_, a, v):
        cov = spd(np_, a)
        return 0.5 * v @ np_.linalg.solve(cov, v) + 0.5 * np_.linalg.slogdet(cov)[1]

    got = ad.hessian(lambda a: nll(mnp, a, V))(A)
    expected = jax.hessian(lambda a: nll(jnp, a, V))(A)
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: mnp.linalg.solve(a, V),
        lambda a: mnp.linalg.inv(a),
        lambda a: mnp.linalg.det(a) + mnp.linalg.slogdet(a)[1],
        lambda a: mnp.linalg.cholesky(a @ a.T + 3.0 * mnp.eye(3)),
        lambda a: mnp.linalg.eigvalsh(a + a.T),
        lambda a: mnp.linalg.triangular_solve(a, B, left_side=True, lower=True),
        lambda a: ad.grad(lambda m: mnp.linalg.slogdet(m)[1])(a),
    ],
)
def test_vmap_like_loop(fn):
    examples = [[2.0 * np.eye(3) + 0.4 * RNG.normal(size=(3, 3))] for _ in range(3)]
    for where in (0, -1):
        check_batched_like_loop(fn, examples, (0,), [where])


def test_jit_and_printed_primitives():
    f = lambda a, b: (
        mnp.linalg.solve(a, b).sum() + mnp.linalg.det(a) + mnp.linalg.cholesky(spd(mnp, a)).sum()
    )
    np.testing.assert_allclose(ad.jit(f)(A, B), f(A, B), rtol=1e-14)
    names = {e.primitive.name for e in ad.make_jaxpr(ad.grad(f))(A, B).eqns}
    assert {"solve", "det", "cholesky", "triangular_solve"} <= names
