"""Convolutions: ``np.lax.conv_general_dilated`` and friends, and ``np.scipy.signal``
(category ``signal``)."""

from __future__ import annotations

from mini_ad.comparisons.registry import A, case

NHWC = ("NHWC", "HWIO", "NHWC")


@case("signal", A(2, 1, 8, 8), A(4, 1, 3, 3), A(3, 3, 4, 2))
def conv_two_layers(np, images, w1, w2):
    h = np.tanh(np.lax.conv_general_dilated(images, w1, (2, 2), "SAME"))
    h = np.transpose(h, (0, 2, 3, 1))
    out = np.lax.conv_general_dilated(h, w2, (1, 1), ((1, 0), (0, 1)), rhs_dilation=(1, 2),
                                      dimension_numbers=NHWC)  # fmt: skip
    return np.sum(out**2)


@case("signal", A(2, 4, 6), A(6, 2, 3), A(2, 4, 6), A(4, 4, 2))
def conv_groups(np, x, w, y, v):
    grouped = np.lax.conv_general_dilated(x, w, (2,), "SAME", feature_group_count=2)
    batched = np.lax.conv_general_dilated(y, v, (1,), ((1, 1),), batch_group_count=2)
    return grouped.sum(axis=(0, 2)) + batched.sum(axis=(0, 2))[:2].sum()


@case("signal", A(1, 5, 4, 2), A(3, 3, 3, 2))
def conv_transpose_same(np, x, w):
    return np.lax.conv_transpose(x, w, (2, 2), "SAME", transpose_kernel=True)


@case("signal", A(5, 6), A(2, 3))
def scipy_convolve_correlate(np, a, v):
    sig = np.scipy.signal
    return sig.convolve(a, v, mode="same") + sig.correlate2d(a, v, mode="same")


@case("signal", A(7, 3), A(3, 3))
def scipy_fftconvolve_detrend(np, a, v):
    sig = np.scipy.signal
    return sig.fftconvolve(a, v, mode="valid").sum() + sig.detrend(a, axis=0, bp=3)
