"""Bit-level and exactly rounded primitives for ``mini_ad.random``.

* ``threefry2x32``: the Threefry-2x32 block cipher (20 rounds), elementwise over four
  ``uint32`` operands (key words ``k1, k2``, counter words ``x1, x2``), two results.
* ``shift_left``, ``shift_right_logical``: XLA's shifts (a shift by the bit width or
  more gives 0, as in ``jax.lax``).
* ``bitcast_convert_type`` (in ``bitcast.py``, re-exported): reinterpret the bits of an
  array as another dtype, of the same or another width.
* ``fma``: ``x * y + z`` rounded once. XLA on CPU contracts a multiply followed by an
  add into one fused instruction, so reproducing JAX's numbers bit for bit needs the
  same single rounding (``uniform``'s ``floats * (maxval - minval) + minval``).
* ``libm_log``, ``libm_tan``, ``libm_erf``: float64 ``log``, ``tan`` and ``erf`` (and
  float32 ``tanf``) from the C library, value by value. XLA calls the C library for these; NumPy's vectorised
  loops (and SciPy's erf) differ from it in the last bit for some values, so JAX's
  numbers need the C library's.

Integer-valued ones have a zero derivative; none is linear, so none has a transpose.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.bitcast import (  # noqa: F401 - re-exported
    bitcast_convert_type,
    bitcast_convert_type_p,
)
from mini_ad.primitives.elementwise import add, div, exp, mul, neg, square
from mini_ad.primitives.helpers import as_array, binary_shape, const, def_zero_jvp, defjvp

_NO_TRANSPOSE = "not linear: reverse mode transposes its jvp instead"
_NO_JET = "integer-valued (no Taylor series)"

# --- threefry2x32 ---------------------------------------------------------------------------

threefry2x32_p = Primitive("threefry2x32", multiple_results=True)

_ROTATIONS = ((13, 15, 26, 6), (17, 29, 16, 24))
_KEY_PARITY = 0x1BD11BDA  # Threefry's key-schedule constant


def threefry2x32(k1, k2, x1, x2) -> list:
    """Threefry-2x32 of counters ``(x1, x2)`` under key ``(k1, k2)``; all ``uint32``.

    Operands have one shape or are rank 0. Returns the two ``uint32`` output words.

    >>> import numpy as np
    >>> u = np.uint32
    >>> [int(v) for v in threefry2x32(u(0), u(0), u(0), u(0))]
    [1797259609, 2579123966]
    """
    return threefry2x32_p.bind(k1, k2, x1, x2)


def _rotate_left(v, r: int):
    return (v << np.uint32(r)) | (v >> np.uint32(32 - r))


def _threefry2x32_impl(k1, k2, x1, x2):
    operands = np.broadcast_arrays(*[np.asarray(v, np.uint32) for v in (k1, k2, x1, x2)])
    shape = operands[0].shape
    k1, k2, x1, x2 = (v.reshape(-1) for v in operands)  # 1-d: array ops wrap silently
    ks = (k1, k2, k1 ^ k2 ^ np.uint32(_KEY_PARITY))
    x1 = x1 + ks[0]
    x2 = x2 + ks[1]
    for i in range(5):  # five groups of four rounds, a key injection after each group
        for r in _ROTATIONS[i % 2]:
            x1 = x1 + x2
            x2 = _rotate_left(x2, r) ^ x1
        x1 = x1 + ks[(i + 1) % 3]
        x2 = x2 + ks[(i + 2) % 3] + np.uint32(i + 1)
    return [x1.reshape(shape), x2.reshape(shape)]


def _threefry2x32_abstract_eval(k1, k2, x1, x2):
    avals = (k1, k2, x1, x2)
    if any(a.dtype != np.uint32 for a in avals):
        raise TypeError(f"threefry2x32 needs uint32 operands, got {[a.dtype.name for a in avals]}.")
    shape = ()
    for a in avals:
        shape = binary_shape("threefry2x32", ShapedArray(shape, a.dtype), a)
    return [ShapedArray(shape, np.dtype(np.uint32))] * 2


def _threefry2x32_batch(axis_size, vals, dims):
    outs, out_dim = elementwise_batch(threefry2x32_p)(axis_size, vals, dims)
    return outs, [out_dim, out_dim]


def _threefry2x32_lowering(lx, k1, k2, x1, x2):
    lax, u32 = lx.lax, lx.jnp.uint32
    k1, k2, x1, x2 = lx.jnp.broadcast_arrays(k1, k2, x1, x2)
    ks = (k1, k2, k1 ^ k2 ^ u32(_KEY_PARITY))
    x1, x2 = x1 + ks[0], x2 + ks[1]
    for i in range(5):
        for r in _ROTATIONS[i % 2]:
            x1 = x1 + x2
            rotated = lax.shift_left(x2, u32(r)) | lax.shift_right_logical(x2, u32(32 - r))
            x2 = rotated ^ x1
        x1 = x1 + ks[(i + 1) % 3]
        x2 = x2 + ks[(i + 2) % 3] + u32(i + 1)
    return [x1, x2]


threefry2x32_p.impl = _threefry2x32_impl
threefry2x32_p.abstract_eval = _threefry2x32_abstract_eval
threefry2x32_p.jvp = lambda primals, tangents: (threefry2x32_p.bind(*primals), [None, None])
threefry2x32_p.batch = _threefry2x32_batch
threefry2x32_p.lowering = _threefry2x32_lowering
threefry2x32_p.opt_out("transpose", _NO_TRANSPOSE)
threefry2x32_p.opt_out("jet", _NO_JET)

# --- shifts ----------------------------------------------------------------------------------


def _unsigned(dtype: np.dtype) -> np.dtype:
    return np.dtype(f"u{dtype.itemsize}")


def _shift_impl(shift):
    """A shift of ``x`` by ``y`` bits (same integer dtype); by the width or more gives 0."""

    def impl(x, y):
        x, y = np.asarray(x), np.asarray(y)
        nbits = 8 * x.dtype.itemsize
        amount = y.astype(_unsigned(y.dtype))  # negative amounts become huge: give 0
        in_range = amount < nbits
        out = shift(x, np.where(in_range, amount, 0).astype(x.dtype))
        return np.where(in_range, out, np.zeros((), x.dtype)).astype(x.dtype)

    return impl


def _logical_right(x, y):
    unsigned = _unsigned(x.dtype)
    return np.right_shift(x.view(unsigned), y.astype(unsigned)).view(x.dtype)


def _integer_binop(name: str, impl) -> Primitive:
    p = Primitive(name)

    def abstract_eval(x: ShapedArray, y: ShapedArray):
        if x.dtype != y.dtype or x.dtype.kind not in "iu":
            raise TypeError(
                f"{name} needs two operands of one integer dtype, got "
                f"{x.dtype.name} and {y.dtype.name}."
            )
        return ShapedArray(binary_shape(name, x, y), x.dtype)

    p.impl = lambda x, y: as_array(impl(x, y))
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    def_zero_jvp(p)
    p.lowering = lambda lx, x, y: getattr(lx.lax, name)(x, y)
    p.opt_out("transpose", _NO_TRANSPOSE)
    p.opt_out("jet", _NO_JET)
    return p


shift_left_p = _integer_binop("shift_left", _shift_impl(np.left_shift))
shift_right_logical_p = _integer_binop("shift_right_logical", _shift_impl(_logical_right))


def shift_left(x, y):
    """``x << y`` on integers of one dtype; a shift by the bit width or more gives 0.

    >>> import numpy as np
    >>> int(shift_left(np.uint32(3), np.uint32(4)))
    48
    """
    return shift_left_p.bind(x, y)


def shift_right_logical(x, y):
    """``x >> y`` filling with zeros (also for signed ``x``); by the width or more gives 0.

    >>> import numpy as np
    >>> int(shift_right_logical(np.int32(-1), np.int32(28)))
    15
    """
    return shift_right_logical_p.bind(x, y)


# --- fma: x * y + z, rounded once -----------------------------------------------------------------

fma_p = Primitive("fma")


def fma(x, y, z):
    """``x * y + z`` with a single rounding, as XLA's contracted multiply-add on CPU.

    Operands are floating, of one dtype, of one shape or rank 0.

    >>> import numpy as np
    >>> float(fma(np.float64(0.1), np.float64(10.0), np.float64(-1.0)))
    5.551115123125783e-17
    """
    return fma_p.bind(x, y, z)


def _two_sum(a, b):
    """``s + err == a + b`` exactly, ``s = fl(a + b)`` (Knuth)."""
    s = a + b
    b_virtual = s - a
    err = (a - (s - b_virtual)) + (b - b_virtual)
    return s, err


def _add_round_to_odd(a, b):
    """``a + b`` rounded to odd: when inexact, the neighbour with an odd last bit."""
    s, err = _two_sum(a, b)
    bits = s.view(np.int64)
    fix = (err != 0) & ((bits & 1) == 0)
    return np.where(fix, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)


def _two_product(a, b):
    """``p + err == a * b`` exactly, ``p = fl(a * b)`` (Dekker, float64, no overflow)."""
    p = a * b
    split = 134217729.0  # 2**27 + 1
    a_big, b_big = split * a, split * b
    a_hi = a_big - (a_big - a)
    b_hi = b_big - (b_big - b)
    a_lo, b_lo = a - a_hi, b - b_hi
    err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, err


def _fma_impl(x, y, z):
    x, y, z = np.broadcast_arrays(*[np.asarray(v) for v in (x, y, z)])
    dtype = x.dtype
    with np.errstate(all="ignore"):
        plain = x * y + z
        if dtype.itemsize < 8:
            # The product of two floats of <= 24 bits is exact in float64; rounding the
            # sum to odd there, then to ``dtype``, rounds once (Boldo and Melquiond).
            wide = x.astype(np.float64) * y.astype(np.float64)
            out = _add_round_to_odd(wide, z.astype(np.float64)).astype(dtype)
        else:
            # Boldo and Melquiond's emulated FMA: exact product, exact sum with z, the
            # low parts added rounded to odd, then one round to nearest.
            p_hi, p_lo = _two_product(x, y)
            s_hi, s_lo = _two_sum(z, p_hi)
            out = s_hi + _add_round_to_odd(s_lo, p_lo)
        exact_path_ok = np.isfinite(out) & np.isfinite(x * y)
        return np.where(exact_path_ok, out, plain).astype(dtype)


def _fma_abstract_eval(x: ShapedArray, y: ShapedArray, z: ShapedArray):
    if not x.dtype == y.dtype == z.dtype or x.dtype.kind != "f":
        raise TypeError(
            f"fma needs three floating operands of one dtype, got "
            f"{x.dtype.name}, {y.dtype.name} and {z.dtype.name}."
        )
    shape = binary_shape("fma", ShapedArray(binary_shape("fma", x, y), x.dtype), z)
    return ShapedArray(shape, x.dtype, x.weak_type and y.weak_type and z.weak_type)


fma_p.impl = _fma_impl
fma_p.abstract_eval = _fma_abstract_eval
# d (x y + z) = dx y + x dy + dz
defjvp(
    fma_p,
    lambda t, ans, x, y, z: mul(t, y),
    lambda t, ans, x, y, z: mul(x, t),
    lambda t, ans, x, y, z: t,
)
fma_p.batch = elementwise_batch(fma_p)
fma_p.lowering = lambda lx, x, y, z: x * y + z  # XLA contracts this into one fma on CPU
fma_p.opt_out("transpose", "not linear (linear in x or y alone: use mul and add)")
fma_p.opt_out("jet", "not written: mini_ad.random only needs first derivatives")

# --- libm_log, libm_tan: the C library's float64 log and tan ------------------------------------


def _c_float_function(name: str):
    """The C library's float32 function ``name`` (``tanf``), or None where unavailable."""
    try:
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        function = getattr(libm, name)
    except (OSError, AttributeError, TypeError):
        return None
    function.restype = ctypes.c_float
    function.argtypes = [ctypes.c_float]
    return function


def _libm_unop(name: str, scalar_fn, numpy_fn, scalar_fn32=None) -> Primitive:
    """A primitive computed by the C library value by value (float64; float32 too when
    the C library's float32 function ``scalar_fn32`` is available)."""
    p = Primitive(name)
    vectorised = {np.dtype(np.float64): np.frompyfunc(scalar_fn, 1, 1)}
    if scalar_fn32 is not None:
        vectorised[np.dtype(np.float32)] = np.frompyfunc(scalar_fn32, 1, 1)

    def impl(x):
        x = np.asarray(x)
        with np.errstate(all="ignore"):
            fallback = numpy_fn(x)  # special values (0, inf, nan, negatives) agree
        ok = np.isfinite(x) & np.isfinite(fallback)
        if name == "libm_log":
            ok &= x > 0
        safe = np.where(ok, x, np.ones((), x.dtype))
        exact = np.asarray(vectorised[x.dtype](safe), dtype=x.dtype)
        return np.where(ok, exact, fallback)

    def abstract_eval(x: ShapedArray):
        if x.dtype not in vectorised:
            raise TypeError(
                f"{name} takes {sorted(d.name for d in vectorised)} (XLA's other versions are "
                f"its own polynomials), got {x.dtype.name}."
            )
        return x

    p.impl = impl
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    p.lowering = lambda lx, x: getattr(lx.lax, name.removeprefix("libm_"))(x)
    p.opt_out("transpose", _NO_TRANSPOSE)
    p.opt_out("jet", "not written: mini_ad.random only needs first derivatives")
    return p


libm_log_p = _libm_unop("libm_log", math.log, np.log)
libm_tan_p = _libm_unop("libm_tan", math.tan, np.tan, _c_float_function("tanf"))
libm_erf_p = _libm_unop("libm_erf", math.erf, np.tanh)  # tanh: erf's values at ±inf, nan
defjvp(libm_log_p, lambda t, ans, x: div(t, x))  # d log x = dx / x
# d tan x = dx (1 + tan² x)
defjvp(libm_tan_p, lambda t, ans, x: mul(t, add(const(ans, 1.0), square(ans))))
# d erf x = dx 2/sqrt(pi) exp(-x²)
defjvp(
    libm_erf_p, lambda t, ans, x: mul(t, mul(const(x, 2 / math.sqrt(math.pi)), exp(neg(square(x)))))
)


def libm_log(x):
    """The C library's ``log`` of each float64 value (what XLA computes on CPU).

    >>> import numpy as np
    >>> float(libm_log(np.float64(1.0)))
    0.0
    """
    return libm_log_p.bind(x)


def libm_tan(x):
    """The C library's ``tan`` (float64) or ``tanf`` (float32) of each value, as XLA on CPU.

    >>> import numpy as np
    >>> float(libm_tan(np.float64(0.0)))
    0.0
    """
    return libm_tan_p.bind(x)


def libm_erf(x):
    """The C library's ``erf`` of each float64 value (what XLA computes on CPU).

    >>> import numpy as np
    >>> float(libm_erf(np.float64(0.0)))
    0.0
    """
    return libm_erf_p.bind(x)
