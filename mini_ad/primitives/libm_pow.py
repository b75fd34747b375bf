"""``libm_pow``: the C library's ``pow`` (float64) and ``powf`` (float32), value by value.

XLA on CPU computes ``lax.pow`` of floats by calling the C library; NumPy's ``power``
uses its own vectorised loops (SVML on AVX-512 machines), which differ in the last bit
for some values. ``mini_ad.random.gamma`` needs the C library's bits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from typing import Any

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.elementwise import mul, pow, sub  # noqa: A004
from mini_ad.primitives.helpers import binary_shape, const, defjvp
from mini_ad.primitives.transcendental import _pow_d_y

libm_pow_p = Primitive("libm_pow")


def _powf():
    """The C library's float32 ``powf``, or None where it cannot be loaded."""
    try:
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        function = libm.powf
    except (OSError, AttributeError, TypeError):
        return None
    function.restype = ctypes.c_float
    function.argtypes = [ctypes.c_float, ctypes.c_float]
    return function


def _python_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)  # the C library's pow; raises where C sets errno
    except (OverflowError, ValueError):
        with np.errstate(all="ignore"):
            return float(np.power(np.float64(x), np.float64(y)))


_SCALAR: dict[np.dtype, Any] = {np.dtype(np.float64): np.frompyfunc(_python_pow, 2, 1)}
if (_powf_fn := _powf()) is not None:
    _SCALAR[np.dtype(np.float32)] = np.frompyfunc(_powf_fn, 2, 1)


def _libm_pow_impl(x, y):
    x, y = np.asarray(x), np.asarray(y)
    return np.asarray(_SCALAR[x.dtype](x, y), dtype=x.dtype)


def _libm_pow_abstract_eval(x: ShapedArray, y: ShapedArray):
    if x.dtype != y.dtype or x.dtype not in _SCALAR:
        raise TypeError(
            f"libm_pow takes two operands of one of {sorted(d.name for d in _SCALAR)}, "
            f"got {x.dtype.name} and {y.dtype.name}."
        )
    return ShapedArray(binary_shape("libm_pow", x, y), x.dtype, x.weak_type and y.weak_type)


def libm_pow(x, y):
    """The C library's ``pow(x, y)`` of each pair of values (what XLA computes on CPU).

    Args:
        x: the bases (float32 or float64).
        y: the exponents, of the same dtype.

    Returns:
        ``x ** y`` as the C library rounds it.

    >>> import numpy as np
    >>> float(libm_pow(np.float64(2.0), np.float64(0.5)))
    1.4142135623730951
    """
    return libm_pow_p.bind(x, y)


libm_pow_p.impl = _libm_pow_impl
libm_pow_p.abstract_eval = _libm_pow_abstract_eval
libm_pow_p.batch = elementwise_batch(libm_pow_p)
libm_pow_p.lowering = lambda lx, x, y: lx.lax.pow(x, y)
libm_pow_p.opt_out("transpose", "not linear: reverse mode transposes its jvp instead")
libm_pow_p.opt_out("jet", "not written: mini_ad.random only needs first derivatives")
# d x**y = y x**(y-1) dx + log(x) x**y dy, as for pow (the exact derivative, as in JAX)
defjvp(libm_pow_p, lambda t, ans, x, y: mul(t, mul(y, pow(x, sub(y, const(y, 1))))), _pow_d_y)
