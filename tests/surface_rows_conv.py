"""Surface rows for the convolutions: ``mini_ad.lax``'s convolution names (against
``jax.lax``; no NumPy reference) and ``mini_ad.scipy.signal`` (against ``scipy.signal``
and ``jax.scipy.signal``). The primitive's configurations are tabled in ``test_conv.py``.
"""

from __future__ import annotations

import scipy.signal
from numpy_surface_rows import K, R, jax
from surface_table import Table

import mini_ad.lax
import mini_ad.scipy.signal

NHWC = ("NHWC", "HWIO", "NHWC")

lax_table = Table("mini_ad.lax", mini_ad.lax, jax.lax, None)
lax_table.same("conv_general_dilated", R(2, 3, 7, 6), R(4, 3, 3, 2), K((2, 1)), K("SAME"))
lax_table.same("conv_general_dilated", R(2, 6, 5, 4), R(2, 3, 2, 6), K((1, 2)),
               K(((1, 0), (2, -1))), K((2, 1)), K((1, 2)), K(NHWC), K(2),
               variant="nhwc-groups-dilations")  # fmt: skip
lax_table.same("conv_general_dilated", R(4, 3, 6), R(4, 3, 2), K((2,)), K("VALID"),
               batch_group_count=2)  # fmt: skip
lax_table.same("conv", R(2, 2, 6, 5), R(3, 2, 3, 3), K((1, 2)), K("VALID"))
lax_table.same("conv_with_general_padding", R(1, 2, 5, 5), R(3, 2, 2, 3), K((1, 1)),
               K(((1, 2), (0, 1))), K((2, 1)), K((1, 2)))  # fmt: skip
for padding in ("SAME", "VALID", ((1, 2), (0, 1))):
    lax_table.same("conv_transpose", R(2, 4, 5, 3), R(3, 2, 3, 2), K((2, 1)), K(padding),
                   variant=str(padding)[:6])  # fmt: skip
lax_table.same("conv_transpose", R(1, 6, 2), R(3, 3, 2), K((2,)), K("SAME"),
               transpose_kernel=True)  # fmt: skip
lax_table.same("conv_transpose", R(1, 6, 2), R(2, 2, 3), K((3,)), K(((1, 0),)),
               use_consistent_padding=True)  # fmt: skip
lax_table.same("conv_general_dilated_patches", R(2, 3, 6, 5), K((2, 3)), K((1, 2)), K("SAME"))
lax_table.same("conv_general_dilated_patches", R(2, 6, 5, 3), K((3, 2)), K((2, 1)), K("VALID"),
               dimension_numbers=NHWC, rhs_dilation=(1, 2))  # fmt: skip
shapes = dict(diff=False, vmap=False)
lax_table.same("ConvDimensionNumbers", K((0, 3, 1, 2)), K((3, 2, 0, 1)), K((0, 3, 1, 2)), **shapes)
lax_table.same("conv_dimension_numbers", K((8, 28, 28, 1)), K((3, 3, 1, 4)), K(NHWC), **shapes)
lax_table.same("conv_dimension_numbers", K((8, 1, 28, 28)), K((4, 1, 3, 2)),
               K(("NCHW", "OIWH", "NCWH")), variant="spatial-order", **shapes)  # fmt: skip
lax_table.same("conv_dimension_numbers", K((8, 1, 28)), K((4, 1, 3)), K(None),
               variant="default", **shapes)  # fmt: skip
for padding in ("SAME", "SAME_LOWER", "VALID"):
    lax_table.same("padtype_to_pads", K((5, 6)), K((3, 2)), K((2, 1)), K(padding), **shapes)
lax_table.same("conv_shape_tuple", K((4, 3, 9, 8)), K((6, 3, 3, 2)), K((2, 1)), K("SAME"), K(2),
               **shapes)  # fmt: skip
lax_table.same("conv_shape_tuple", K((4, 3, 9, 8)), K((6, 3, 3, 2)), K((2, 3)),
               K(((1, 1), (0, -1))), variant="pairs", **shapes)  # fmt: skip
for padding in ("SAME", "VALID", ((1, 2), (0, 1))):
    for name in ("conv_general_shape_tuple", "conv_transpose_shape_tuple"):
        lax_table.same(name, K((4, 9, 8, 3)), K((3, 2, 3, 6)), K((2, 3)), K(padding), K(NHWC),
                       variant=str(padding)[:6], **shapes)  # fmt: skip

signal_table = Table("mini_ad.scipy.signal", mini_ad.scipy.signal, jax.scipy.signal, scipy.signal)
for name in ("convolve", "correlate"):
    for mode in ("full", "same", "valid"):
        signal_table.same(name, R(4, 5), R(2, 3), mode=mode)
    signal_table.same(name, R(3, 4, 3), R(2, 2, 2), mode="same", variant="3d")
    signal_table.same(name, R(7), R(3), method="fft", jax=False, variant="fft")
    signal_table.same(name, R(2, 3), R(4, 5), mode="valid", variant="swapped")
for name in ("convolve2d", "correlate2d"):
    for mode in ("full", "same", "valid"):
        signal_table.same(name, R(5, 4), R(2, 2), mode=mode)
    signal_table.same(name, R(2, 3), R(4, 5), mode="valid", variant="swapped")
for mode in ("full", "same", "valid"):
    signal_table.same("fftconvolve", R(5, 4), R(3, 2), mode=mode)
signal_table.same("fftconvolve", R(3, 6), R(3, 3), axes=1, variant="axes")
signal_table.same("detrend", R(3, 12))
# float32 here is checked in test_conv.py against float64: SciPy's own float32 lstsq is
# off by 4e-7 at an entry of 0.009 on these draws, beyond the row's float32 tolerance
signal_table.same("detrend", R(12, 3), axis=0, bp=[4, 7], f32=False)
signal_table.same("detrend", R(3, 12), type="constant")

TABLES = [lax_table, signal_table]
