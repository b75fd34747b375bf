"""Primitive table rows: ``conv_general_dilated`` (bilinear; every rule is a convolution).

Small operands (the rows also run JAX's hessian): one row per layout and grouping
kind, strides, padding (negative too), and both dilations; the ``lhs``/``rhs`` variants
close over the other operand, so they are linear and get the transpose dot-product test.
"""

from __future__ import annotations

import numpy as np
from autodiff_rows import lax, real, row

from mini_ad import lax as mlax

HIGHEST = lax.Precision.HIGHEST


def _pair(**kw):
    """The mini_ad and JAX functions of one configuration."""
    return (
        lambda x, w: mlax.conv_general_dilated(x, w, **kw),
        lambda x, w: lax.conv_general_dilated(x, w, precision=HIGHEST, **kw),
    )


CONFIGS = {
    "nchw": (dict(window_strides=(2, 1), padding=((1, 0), (1, 2))), (2, 2, 5, 4), (3, 2, 2, 3)),
    "nhwc-groups-dilated": (
        dict(
            window_strides=(1, 2),
            padding="SAME",
            rhs_dilation=(2, 1),
            feature_group_count=2,
            dimension_numbers=("NHWC", "HWIO", "NHWC"),
        ),
        (1, 5, 5, 4),
        (2, 2, 2, 4),
    ),  # fmt: skip
    "1d-batch-groups-lhs-dilated": (
        dict(window_strides=(2,), padding=((2, -1),), lhs_dilation=(2,), batch_group_count=2),
        (4, 2, 5),
        (4, 2, 3),
    ),  # fmt: skip
}

for name, (kw, lhs_shape, rhs_shape) in CONFIGS.items():
    mini, jax_fn = _pair(**kw)
    row("conv_general_dilated", mini, jax_fn, real(*lhs_shape), real(*rhs_shape), variant=name)

_W = np.random.default_rng(3).normal(size=(3, 2, 2, 3))
_X = np.random.default_rng(4).normal(size=(2, 2, 5, 4))
_mini, _jax = _pair(**CONFIGS["nchw"][0])
row("conv_general_dilated", lambda x: _mini(x, _W), lambda x: _jax(x, _W), real(2, 2, 5, 4),
    linear=True, variant="lhs")  # fmt: skip
row("conv_general_dilated", lambda w: _mini(_X, w), lambda w: _jax(_X, w), real(3, 2, 2, 3),
    linear=True, variant="rhs")  # fmt: skip
