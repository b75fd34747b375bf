"""Regression tests from a differential sweep of ``mini_ad.numpy.linalg``, ``numpy.fft`` and
``scipy.linalg`` at non-default arguments and edge dtypes, against NumPy/SciPy and JAX (x64)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.linalg

import mini_ad.numpy as mnp
import mini_ad.scipy.linalg as msl

jax.config.update("jax_enable_x64", True)

RNG = np.random.default_rng(7)
SMALL_INTS = [np.bool_, np.int8, np.uint8, np.int16, np.int32]


@pytest.mark.parametrize("dtype", SMALL_INTS)
@pytest.mark.parametrize("name", ["norm", "det", "inv", "pinv", "eigvalsh", "cond", "slogdet"])
def test_linalg_of_integers_computes_in_float64(name, dtype):
    # NumPy's linalg turns integers and bools into float64; mini_ad took NumPy's ufunc rule
    # (uint8 -> float16), so norm([[255, 255], [1, 0]]) overflowed to inf and det raised
    a = np.array([[255, 255], [1, 0]]).astype(dtype)
    if name == "eigvalsh":  # symmetrized as in JAX; NumPy reads one triangle
        a = np.array([[255, 1], [1, 0]]).astype(dtype)
    got = getattr(mnp.linalg, name)(a)
    want = getattr(np.linalg, name)(a)
    for g, w in zip(jax.tree.leaves(tuple(got)) if name == "slogdet" else [got],
                    want if name == "slogdet" else [want], strict=True):  # fmt: skip
        assert np.asarray(g).dtype == np.float64
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("v", [[1.0, 2.0, 3.0], [0.0, 0.0], [0.0, 0.0, 5.0], 2.0, 0.0])
def test_matrix_rank_of_a_vector_is_zero_or_one(v):
    # it counted the nonzero entries (3 for [1, 2, 3]); NumPy and JAX give 1
    v = np.array(v)
    want = np.linalg.matrix_rank(v)
    assert int(mnp.linalg.matrix_rank(v)) == want == int(jnp.linalg.matrix_rank(v))


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 3)])
def test_pinv_of_empty_matrices(shape):
    a = np.zeros(shape)
    got, want = mnp.linalg.pinv(a), jnp.linalg.pinv(a)
    assert got.shape == want.shape == np.linalg.pinv(a).shape


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3), (0, 3), (3, 0)])
@pytest.mark.parametrize("rcond", [None, 0.5, -1.0])
def test_lstsq_residuals_as_jax(shape, rcond):
    # JAX returns the residuals in every case (numpy_resid=False); mini_ad returned NumPy's
    # empty array when m <= n or rank < n
    a = RNG.normal(size=shape)
    a[..., -1:] *= 1e-3  # a small singular value: rcond=0.5 drops it
    b = RNG.normal(size=shape[0])
    for resid in (False, True):
        got = mnp.linalg.lstsq(a, b, rcond=rcond, numpy_resid=resid)
        want = jnp.linalg.lstsq(a, b, rcond=rcond, numpy_resid=resid)
        for g, w in zip(got, want, strict=True):
            assert np.shape(g) == w.shape
            np.testing.assert_allclose(np.asarray(g), np.asarray(w), rtol=1e-8, atol=1e-10)
    if rcond is not None and rcond >= 0:
        got = mnp.linalg.lstsq(a, b, rcond=rcond, numpy_resid=True)
        for g, w in zip(got, np.linalg.lstsq(a, b, rcond=rcond), strict=True):
            np.testing.assert_allclose(np.asarray(g), w, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("axis", [(0, 0), (0, -2), (-1, 1)])
def test_norm_refuses_duplicate_axes(axis):
    x = RNG.normal(size=(3, 3))
    with pytest.raises(ValueError):
        np.linalg.norm(x, axis=axis)
    with pytest.raises(ValueError, match="duplicate axes"):
        mnp.linalg.norm(x, 1, axis=axis)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int16, np.int32, np.float16])
@pytest.mark.parametrize("name", ["fft", "rfft", "ihfft", "fftn", "rfftn", "ifft2"])
def test_fft_dtypes_of_integers_and_float16(name, dtype):
    # int16 gave complex64 and float16 complex128; NumPy: complex128 and complex64
    x = (RNG.normal(size=(3, 4)) * 3).astype(dtype)
    got, want = getattr(mnp.fft, name)(x), getattr(np.fft, name)(x)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-3 if dtype == np.float16 else 1e-12)


@pytest.mark.parametrize("name", ["rfft", "ihfft", "rfftn", "rfft2"])
def test_real_ffts_refuse_complex_input(name):
    # the imaginary part was dropped (with NumPy's ComplexWarning); JAX raises ValueError
    z = RNG.normal(size=(2, 4)) + 1j
    with pytest.raises(ValueError):
        getattr(jnp.fft, name)(z)
    with pytest.raises(ValueError, match="only real valued inputs"):
        getattr(mnp.fft, name)(z)


def test_block_diag_keeps_integer_dtype():
    # int8 blocks came back float16; SciPy and JAX keep the (promoted) integer dtype
    blocks = [np.array([[1, 2]], np.int8), np.array([[3]], np.int16)]
    got, want = msl.block_diag(*blocks), scipy.linalg.block_diag(*blocks)
    assert got.dtype == jax.scipy.linalg.block_diag(*blocks).dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.bool_])
def test_scipy_linalg_of_integers_computes_in_float64(dtype):
    a = np.array([[2, 0], [1, 1]]).astype(dtype)
    b = np.array([1, 1]).astype(dtype)
    got = msl.solve_triangular(a, b, lower=True)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, scipy.linalg.solve_triangular(a, b, lower=True))
    np.testing.assert_allclose(msl.expm(a), scipy.linalg.expm(a.astype(float)), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (5, 3)])
def test_lu_permutation_is_real_for_complex_input(dtype, shape):
    # P came back complex; SciPy and JAX give it the real dtype
    a = (RNG.normal(size=shape) + 1j * RNG.normal(size=shape)).astype(dtype)
    got, want = msl.lu(a), scipy.linalg.lu(a)
    for g, w, j in zip(got, want, jax.scipy.linalg.lu(a), strict=True):
        assert g.dtype == w.dtype == j.dtype
        np.testing.assert_allclose(g, j, rtol=1e-4, atol=1e-5)
