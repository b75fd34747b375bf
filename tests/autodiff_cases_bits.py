"""Primitive table rows: the bit-level primitives behind ``mini_ad.random`` (threefry, the
shifts, bitcast) and the exactly rounded ``fma`` and C-library math it builds on."""

from __future__ import annotations

import numpy as np
from autodiff_rows import S, int_row, jax, lax, pos, real, row, unit
from jax.extend.random import threefry2x32_p as _threefry_jax  # noqa: E402 - JAX's own

from mini_ad.primitives import bits, libm_pow


def u32(*shape):
    return lambda rng: rng.integers(0, 2**32, size=shape, dtype=np.uint64).astype(np.uint32)


def shift(*shape):
    return lambda rng: rng.integers(0, 32, size=shape).astype(np.uint32)


int_row(
    "threefry2x32",
    lambda k1, k2, x1, x2: bits.threefry2x32(k1, k2, x1, x2)[0],
    lambda k1, k2, x1, x2: _threefry_jax.bind(k1, k2, x1, x2)[0],
    u32(*S), u32(*S), u32(*S), u32(*S),
)  # fmt: skip
int_row("shift_left", bits.shift_left, lax.shift_left, u32(*S), shift(*S))
int_row(
    "shift_right_logical", bits.shift_right_logical, lax.shift_right_logical, u32(*S), shift(*S)
)
int_row(
    "bitcast_convert_type",
    lambda x: bits.bitcast_convert_type(x, np.uint64),
    lambda x: lax.bitcast_convert_type(x, np.uint64),
    real(*S),
)
row("fma", bits.fma, lambda x, y, z: x * y + z, real(*S), real(*S), real(*S))
row("libm_log", bits.libm_log, jax.numpy.log, pos(*S))
row("libm_tan", bits.libm_tan, jax.numpy.tan, unit(*S))
row("libm_erf", bits.libm_erf, jax.scipy.special.erf, real(*S))
row("libm_pow", libm_pow.libm_pow, jax.lax.pow, pos(*S), real(*S))
