"""``mini_ad.numpy.linalg`` beyond solves: NumPy's values for svd, qr, eig, pinv, lstsq,
matrix_power, matrix_rank, cond, multi_dot, every ord of norm, tensorsolve and tensorinv
(real and complex), and JAX's derivatives where they are special (det at singular
matrices, svd with full matrices)."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402

RNG = np.random.default_rng(1)
RECT = RNG.normal(size=(4, 3))
SQUARE = RNG.normal(size=(3, 3))
CSQUARE = SQUARE + 1j * RNG.normal(size=(3, 3))
VEC = RNG.normal(size=4)


def _same(got, want, rtol=1e-10):
    for g, w in zip(np.broadcast_arrays(*[np.asarray(got)]), [np.asarray(want)], strict=True):
        assert g.shape == w.shape and g.dtype == w.dtype, (g.shape, w.shape, g.dtype, w.dtype)
        np.testing.assert_allclose(g, w, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("a", [RECT, RECT.T, CSQUARE, RNG.normal(size=(2, 3, 4))], ids=range(4))
def test_svd_qr_values(a):
    _same(mnp.linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False))
    for full in (True, False):
        u, s, vh = mnp.linalg.svd(a, full_matrices=full)
        nu, ns, nvh = np.linalg.svd(a, full_matrices=full)
        assert u.shape == nu.shape and vh.shape == nvh.shape
        k = ns.shape[-1]
        _same((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], a)
    for mode in ("reduced", "complete"):
        for got, want in zip(mnp.linalg.qr(a, mode), np.linalg.qr(a, mode), strict=True):
            _same(got, want)
    _same(mnp.linalg.qr(a, "r"), np.linalg.qr(a, "r"))


def test_eig_eigvals_values():
    # complex even when every eigenvalue is real (JAX's dtype; NumPy returns floats then)
    _same(mnp.linalg.eigvals(SQUARE), np.linalg.eigvals(SQUARE).astype(complex))
    for got, want in zip(mnp.linalg.eig(CSQUARE), np.linalg.eig(CSQUARE), strict=True):
        _same(got, want)


@pytest.mark.parametrize("a", [RECT, RECT.T, CSQUARE], ids=range(3))
def test_pinv_lstsq_rank(a):
    _same(mnp.linalg.pinv(a), np.linalg.pinv(a))
    b = RNG.normal(size=(a.shape[0], 2))
    for got, want in zip(
        mnp.linalg.lstsq(a, b, numpy_resid=True), np.linalg.lstsq(a, b), strict=True
    ):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    low = np.outer(VEC, VEC[:3])
    assert int(mnp.linalg.matrix_rank(low)) == np.linalg.matrix_rank(low) == 1


@pytest.mark.parametrize("n", [-3, -1, 0, 1, 2, 5])
def test_matrix_power(n):
    _same(mnp.linalg.matrix_power(SQUARE, n), np.linalg.matrix_power(SQUARE, n))


@pytest.mark.parametrize("p", [None, 1, -1, 2, -2, np.inf, -np.inf, "fro"])
def test_cond(p):
    _same(mnp.linalg.cond(SQUARE, p), np.linalg.cond(SQUARE, p))


@pytest.mark.parametrize("order", [None, 1, -1, 2, -2, np.inf, -np.inf, "fro", "nuc"])
@pytest.mark.parametrize("x", [SQUARE, CSQUARE, RNG.normal(size=(2, 3, 4))], ids=range(3))
def test_matrix_norms(order, x):
    axis = (0, 2) if x.ndim == 3 else None
    for keepdims in (False, True):
        want = np.linalg.norm(x, order, axis=axis, keepdims=keepdims)
        _same(mnp.linalg.norm(x, order, axis=axis, keepdims=keepdims), want)


@pytest.mark.parametrize("order", [None, 0, 1, -1, 2, -2, 3, 0.5, np.inf, -np.inf])
def test_vector_norms(order):
    for x in (VEC, VEC + 1j * VEC[::-1]):
        _same(mnp.linalg.norm(x, order), np.linalg.norm(x, order))
    _same(mnp.linalg.norm(RECT, order, axis=1), np.linalg.norm(RECT, order, axis=1))


def test_multi_dot_tensorsolve_tensorinv():
    arrays = [VEC, RECT, SQUARE, VEC[:3]]
    _same(mnp.linalg.multi_dot(arrays), np.linalg.multi_dot(arrays))
    a, b = RNG.normal(size=(6, 2, 3)), RNG.normal(size=6)
    _same(mnp.linalg.tensorsolve(a, b), np.linalg.tensorsolve(a, b))
    t = RNG.normal(size=(4, 6, 8, 3))
    _same(mnp.linalg.tensorinv(t, 2), np.linalg.tensorinv(t, 2))


@pytest.mark.parametrize(
    "a",
    [np.array([[1.0, 2.0], [2.0, 4.0]]), np.array([[1.0, 2, 3], [2, 4, 6], [1, 0, 1]]),
     np.zeros((3, 3)), SQUARE, CSQUARE],
    ids=["rank1-2x2", "rank2-3x3", "zero", "regular", "complex"],
)  # fmt: skip
def test_det_derivative_is_the_cofactor_matrix_as_in_jax(a):
    def f(m):
        return mnp.abs(mnp.linalg.det(m)) if np.iscomplexobj(a) else mnp.linalg.det(m)

    def jax_f(m):
        return jnp.abs(jnp.linalg.det(m)) if np.iscomplexobj(a) else jnp.linalg.det(m)

    np.testing.assert_allclose(ad.grad(f)(a), jax.grad(jax_f)(a), rtol=1e-10, atol=1e-12)
    if a.shape == (2, 2):
        np.testing.assert_allclose(ad.hessian(f)(a), jax.hessian(jax_f)(a), atol=1e-12)


def test_svd_jvp_with_full_matrices_is_not_implemented_as_in_jax():
    with pytest.raises(NotImplementedError, match="full_matrices"):
        ad.jvp(lambda a: mnp.linalg.svd(a)[0], (RECT,), (RECT,))
    with pytest.raises(NotImplementedError):
        jax.jvp(lambda a: jnp.linalg.svd(a)[0], (RECT,), (RECT,))


def test_eig_eigenvectors_are_not_differentiable_as_in_jax():
    with pytest.raises(NotImplementedError, match="eigenvalues"):
        ad.jvp(lambda a: mnp.linalg.eig(a)[1], (SQUARE,), (SQUARE,))


TRACE_AXES = [(0, 1), (1, 2), (0, 2), (2, 0), (1, 0), (2, 1), (-1, 0), (0, -1)]


@pytest.mark.parametrize("axis1, axis2", TRACE_AXES)
def test_trace_of_any_two_axes_is_numpys_and_jaxs(axis1, axis2):
    """Regression: the diagonal's axis was summed at the wrong position when the two axes
    were not adjacent or were given in decreasing order (a silent wrong value)."""
    a = RNG.normal(size=(2, 3, 4))
    for offset in (0, 1, -1, 2, -3, 5):
        kwargs = dict(offset=offset, axis1=axis1, axis2=axis2)
        got = mnp.trace(a, **kwargs)
        _same(got, np.trace(a, **kwargs), rtol=1e-13)
        w = RNG.normal(size=np.shape(got))

        def loss(lib, x, w=w, kwargs=kwargs):
            return lib.sum(lib.trace(x, **kwargs) * w)

        _same(ad.grad(lambda x: loss(mnp, x))(a), jax.grad(lambda x: loss(jnp, x))(a))


def test_trace_accepts_nested_lists_as_numpy_does():
    _same(mnp.trace([[1.0, 2.0], [3.0, 4.0]]), np.trace([[1.0, 2.0], [3.0, 4.0]]))
    assert mnp.trace([[1, 2], [3, 4]]).dtype == np.trace(np.array([[1, 2], [3, 4]])).dtype
