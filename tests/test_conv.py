"""``conv_general_dilated`` against JAX (x64) over a table of configurations: values,
jvp, and vjp with respect to both operands; vmap against a Python loop with either or
both operands batched; jit against eager, bit for bit; finite differences to second
order; the errors; and the gradient of an MNIST-sized CNN against ``jax.grad``.

The primitive's own autodiff rows are in ``autodiff_cases_conv.py``; the convenience
functions' rows in ``surface_rows_conv.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp, jlax = jax.numpy, jax.lax

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad import lax  # noqa: E402
from mini_ad.testing import check_grads  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12
NHWC = ("NHWC", "HWIO", "NHWC")

# name: (keyword arguments, lhs shape, rhs shape)
CONFIGS = {
    "1d-valid": (dict(window_strides=(1,), padding="VALID"), (2, 3, 7), (4, 3, 3)),
    "1d-strided-same": (dict(window_strides=(2,), padding="SAME"), (2, 3, 8), (2, 3, 3)),
    "1d-same-lower": (dict(window_strides=(3,), padding="SAME_LOWER"), (1, 2, 8), (2, 2, 4)),
    "1d-negative-padding": (dict(window_strides=(1,), padding=((-1, 2),)), (2, 2, 6), (3, 2, 2)),
    "2d-nchw-strided": (dict(window_strides=(2, 3), padding=((1, 2), (0, 1))), (2, 3, 9, 8),
                        (4, 3, 3, 2)),
    "2d-nhwc-same": (dict(window_strides=(2, 2), padding="SAME", dimension_numbers=NHWC),
                     (2, 7, 6, 3), (3, 3, 3, 4)),
    "2d-lhs-dilation": (dict(window_strides=(1, 2), padding=((2, 1), (1, 1)), lhs_dilation=(2, 3)),
                        (1, 2, 4, 3), (2, 2, 3, 2)),
    "2d-rhs-dilation": (dict(window_strides=(1, 1), padding="SAME", rhs_dilation=(2, 3)),
                        (2, 2, 8, 9), (3, 2, 3, 2)),
    "2d-both-dilations-strided": (
        dict(window_strides=(2, 1), padding=((1, 0), (2, -1)), lhs_dilation=(2, 1),
             rhs_dilation=(1, 2)), (2, 3, 5, 6), (2, 3, 2, 3)),
    "2d-feature-groups": (dict(window_strides=(1, 1), padding="VALID", feature_group_count=2),
                          (2, 4, 5, 5), (6, 2, 2, 2)),
    "2d-depthwise-nhwc": (
        dict(window_strides=(2, 1), padding="SAME", feature_group_count=3, dimension_numbers=NHWC),
        (2, 6, 5, 3), (3, 3, 1, 3)),
    "2d-batch-groups": (dict(window_strides=(1, 2), padding="SAME", batch_group_count=2),
                        (4, 3, 6, 5), (4, 3, 2, 2)),
    "2d-batch-groups-nhwc-dilated": (
        dict(window_strides=(1, 1), padding=((1, 1), (0, 0)), batch_group_count=3,
             rhs_dilation=(2, 1), dimension_numbers=NHWC), (6, 5, 4, 2), (2, 2, 2, 3)),
    "2d-mixed-layouts": (
        dict(window_strides=(1, 2), padding="SAME", dimension_numbers=("NCHW", "HWIO", "NHWC")),
        (2, 3, 6, 5), (2, 3, 3, 2)),
    "3d-ncdhw": (dict(window_strides=(1, 2, 1), padding=((1, 0), (1, 1), (0, 0)),
                      rhs_dilation=(1, 1, 2)), (1, 2, 4, 5, 5), (2, 2, 2, 2, 2)),
    "3d-ndhwc-groups": (
        dict(window_strides=(2, 1, 1), padding="SAME", feature_group_count=2,
             dimension_numbers=("NDHWC", "DHWIO", "NDHWC")), (1, 4, 3, 4, 4), (2, 2, 2, 2, 4)),
}  # fmt: skip


def _functions(kw):
    mini = lambda x, w: lax.conv_general_dilated(x, w, **kw)
    ref = lambda x, w: jlax.conv_general_dilated(x, w, precision=jlax.Precision.HIGHEST, **kw)
    return mini, ref


def _operands(name):
    kw, lhs_shape, rhs_shape = CONFIGS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    return kw, rng.normal(size=lhs_shape), rng.normal(size=rhs_shape), rng


def _close(actual, expected, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype, what
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)


@pytest.mark.parametrize("name", CONFIGS)
def test_value_jvp_and_vjp_against_jax(name):
    kw, x, w, rng = _operands(name)
    mini, ref = _functions(kw)
    tx, tw = rng.normal(size=x.shape), rng.normal(size=w.shape)

    def everything(x, w, tx, tw, ct):
        out, t_out = jax.jvp(ref, (x, w), (tx, tw))
        return out, t_out, jax.vjp(ref, x, w)[1](ct)

    out = mini(x, w)
    ct = rng.normal(size=np.shape(out))
    j_out, j_t_out, (j_ct_x, j_ct_w) = jax.jit(everything)(x, w, tx, tw, ct)
    _close(out, j_out, f"{name}: value")
    _close(ad.jvp(mini, (x, w), (tx, tw))[1], j_t_out, f"{name}: jvp")
    ct_x, ct_w = ad.vjp(mini, x, w)[1](ct)
    _close(ct_x, j_ct_x, f"{name}: vjp lhs")
    _close(ct_w, j_ct_w, f"{name}: vjp rhs")


@pytest.mark.parametrize("name", CONFIGS)
def test_vmap_against_a_loop(name):
    kw, x, w, rng = _operands(name)
    mini, _ = _functions(kw)
    xs = np.stack([x, rng.normal(size=x.shape)])
    ws = np.stack([w, rng.normal(size=w.shape)])
    np.testing.assert_allclose(ad.vmap(mini, (0, None))(xs, w), [mini(a, w) for a in xs],
                               rtol=1e-13, atol=1e-13)  # fmt: skip
    np.testing.assert_allclose(ad.vmap(mini, (None, 0))(x, ws), [mini(x, b) for b in ws],
                               rtol=1e-13, atol=1e-13)  # fmt: skip
    # batch axes elsewhere than in front, and both operands batched
    out = ad.vmap(mini, (x.ndim, 1))(np.moveaxis(xs, 0, -1), np.moveaxis(ws, 0, 1))
    np.testing.assert_allclose(out, [mini(a, b) for a, b in zip(xs, ws, strict=True)],
                               rtol=1e-13, atol=1e-13)  # fmt: skip


@pytest.mark.parametrize("name", ["2d-nchw-strided", "2d-depthwise-nhwc", "2d-batch-groups"])
def test_per_example_gradients(name):
    kw, x, w, rng = _operands(name)
    mini, ref = _functions(kw)
    xs = np.stack([x, rng.normal(size=x.shape)])
    loss = lambda f: lambda x, w: (f(x, w) ** 2).sum()
    got = ad.vmap(ad.grad(loss(mini), 1), (0, None))(xs, w)
    want = jax.vmap(jax.grad(loss(ref), 1), (0, None))(xs, w)
    _close(got, want, f"{name}: per-example grads")


@pytest.mark.parametrize("name", CONFIGS)
def test_jit_equals_eager_bitwise(name):
    kw, x, w, _ = _operands(name)
    mini, _ = _functions(kw)
    for dtype in (np.float64, np.float32):
        xd, wd = x.astype(dtype), w.astype(dtype)
        eager, staged = np.asarray(mini(xd, wd)), np.asarray(ad.jit(mini)(xd, wd))
        assert eager.dtype == dtype and eager.tobytes() == staged.tobytes()


@pytest.mark.parametrize("name", ["1d-negative-padding", "2d-both-dilations-strided",
                                  "2d-batch-groups", "3d-ndhwc-groups"])  # fmt: skip
def test_finite_differences_to_second_order(name):
    kw, x, w, _ = _operands(name)
    check_grads(_functions(kw)[0], (x, w), order=2)


def test_preferred_element_type_and_integers():
    x, w = np.arange(12.0).reshape(1, 1, 12), np.ones((1, 1, 3))
    out = lax.conv(x.astype(np.float32), w.astype(np.float32), (1,), "VALID",
                   preferred_element_type=np.float64)  # fmt: skip
    assert out.dtype == np.float64
    ints = lax.conv(x.astype(np.int32), w.astype(np.int32), (2,), "SAME")
    want = jlax.conv(x.astype(np.int32), w.astype(np.int32), (2,), "SAME")
    assert ints.dtype == np.int32 and np.array_equal(ints, want)


def test_errors_name_the_problem():
    x, w = np.ones((1, 4, 5, 5)), np.ones((2, 3, 2, 2))
    with pytest.raises(TypeError, match="feature_group_count"):
        lax.conv(x, w, (1, 1), "VALID")
    with pytest.raises(TypeError, match="one dtype"):
        lax.conv(x, np.ones((2, 4, 2, 2), np.float32), (1, 1), "VALID")
    with pytest.raises(ValueError, match="lhs_dilation"):
        lax.conv_general_dilated(x, np.ones((2, 4, 2, 2)), (1, 1), "SAME", lhs_dilation=(2, 1))
    with pytest.raises(RuntimeError, match="padding"):
        lax.conv(x, np.ones((2, 4, 2, 2)), (1, 1), "FULL")
    with pytest.raises(ValueError, match="at most one"):
        lax.conv_general_dilated(np.ones((2, 2, 3)), np.ones((2, 1, 2)), (1,), "VALID",
                                 feature_group_count=2, batch_group_count=2)  # fmt: skip


def test_detrend_in_float32_is_float32_accurate():
    """Three segments: mini_ad's float32 result is within a few float32 ulps of the
    float64 one (SciPy's float32 result is not always, see surface_rows_conv.py)."""
    import mini_ad.scipy.signal as msig

    x = np.random.default_rng(5).normal(size=(12, 3))
    exact = np.asarray(msig.detrend(x.astype(np.float32).astype(np.float64), axis=0, bp=[4, 7]))
    single = msig.detrend(x.astype(np.float32), axis=0, bp=[4, 7])
    assert single.dtype == np.float32
    np.testing.assert_allclose(single, exact, rtol=0, atol=8 * np.finfo(np.float32).eps)


# --- an MNIST-sized CNN ----------------------------------------------------------------------


def _cnn_loss(np_, conv, params, images, labels):
    """Two strided convolutions (NCHW, then NHWC), tanh, a dense layer, softmax
    cross-entropy: the same program for mini_ad (``np_ = mnp``) and JAX."""
    w1, b1, w2, b2, w3, b3 = params
    h = conv(images, w1, (2, 2), "SAME")  # (8, 8, 14, 14)
    h = np_.tanh(h + b1[None, :, None, None])
    h = np_.transpose(h, (0, 2, 3, 1))  # NHWC
    h = conv(h, w2, (2, 2), ((1, 1), (1, 1)), dimension_numbers=NHWC)  # (8, 7, 7, 16)
    h = np_.tanh(h + b2)
    logits = h.reshape(h.shape[0], -1) @ w3 + b3
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np_.log(np_.exp(shifted).sum(axis=1, keepdims=True))
    return -(log_probs * labels).sum() / images.shape[0]


def _cnn_problem():
    rng = np.random.default_rng(0)
    params = (
        rng.normal(size=(8, 1, 3, 3)) / 3, rng.normal(size=8) * 0.1,
        rng.normal(size=(3, 3, 8, 16)) / 8, rng.normal(size=16) * 0.1,
        rng.normal(size=(7 * 7 * 16, 10)) / 28, rng.normal(size=10) * 0.1,
    )  # fmt: skip
    images = rng.uniform(size=(8, 1, 28, 28))
    labels = np.eye(10)[rng.integers(0, 10, size=8)]
    return params, images, labels


def test_mnist_cnn_gradient_matches_jax():
    params, images, labels = _cnn_problem()
    mini_conv = lambda x, w, s, p, dimension_numbers=None: lax.conv_general_dilated(
        x, w, s, p, dimension_numbers=dimension_numbers
    )
    jax_conv = lambda x, w, s, p, dimension_numbers=None: jlax.conv_general_dilated(
        x, w, s, p, dimension_numbers=dimension_numbers, precision=jlax.Precision.HIGHEST
    )
    loss = lambda p: _cnn_loss(mnp, mini_conv, p, images, labels)
    value, grads = ad.value_and_grad(loss)(params)
    jax_loss = lambda p: _cnn_loss(jnp, jax_conv, p, images, labels)
    j_value, j_grads = jax.jit(jax.value_and_grad(jax_loss))(params)
    np.testing.assert_allclose(value, j_value, rtol=1e-12)
    for g, j in zip(grads, j_grads, strict=True):
        assert g.shape == j.shape
        np.testing.assert_allclose(g, j, rtol=1e-10, atol=0)  # elementwise relative
    staged = ad.jit(ad.grad(loss))(params)  # the same program compiled
    for g, s in zip(grads, staged, strict=True):
        np.testing.assert_allclose(s, g, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_numpy_and_scipy_signal_share_one_convolution(mode):
    """``mini_ad.numpy.convolve``/``correlate`` and ``mini_ad.scipy.signal``'s agree where
    NumPy's and SciPy's definitions do (the first operand the longer), bit for bit."""
    import mini_ad.scipy.signal as msig

    rng = np.random.default_rng(6)
    a, v = rng.normal(size=9) + 1j * rng.normal(size=9), rng.normal(size=4) + 0.5j
    for name in ("convolve", "correlate"):
        got, want = getattr(mnp, name)(a, v, mode), getattr(msig, name)(a, v, mode)
        assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), name
        np.testing.assert_allclose(got, getattr(np, name)(a, v, mode), rtol=1e-13)
