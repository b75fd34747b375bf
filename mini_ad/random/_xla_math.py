"""XLA's ``log``, ``log1p`` and ``erf_inv`` on CPU (float32, float64), rounding for rounding.

``jax.random``'s continuous samplers call these, and XLA does not compute them as
NumPy or the C library do, so mini_ad reproduces XLA's algorithms with its own
primitives (so they trace, batch and differentiate). XLA contracts each multiply
followed by an add into one fused multiply-add; the polynomials below use ``fma``
exactly where XLA's generated code does (checked against JAX on 10^5 points).

* ``log1p(x)``: for ``|x| < sqrt(2) - 1`` the Cephes rational approximation
  ``x - x²/2 + x³ P(x)/Q(x)``, else the C library's ``log(1 + x)``.
* ``erf_inv(x)``: Giles' approximation ("Approximating the erfinv function", GPU
  Computing Gems, 2011): with ``w = -log1p(-x²)``, a polynomial in ``w - 3.125``
  (``w < 6.25``), ``sqrt(w) - 3.25`` (``w < 16``) or ``sqrt(w) - 5``, times ``x``.

* ``log(x)``: float64 is the C library's; float32 is XLA's own vectorised Cephes
  ``logf``: split ``x = m 2^e`` with ``m`` in ``[sqrt(1/2), sqrt 2)``, a degree-8
  polynomial in ``m - 1``, plus ``e log 2`` in two parts. Subnormal inputs count as
  zero (XLA runs with denormals flushed).
* float32 ``erf_inv`` is Giles' single-precision approximation (two branches, ``w < 5``).
* ``erf(x)``: float64 is the C library's; float32 is XLA's rational approximation
  ``x P(x²) / Q(x²)`` (degrees 4 and 6), and ``±1`` for ``|x| >= 3.7439`` (erfinv of
  ``1 - 2^-23``). That cut-off is XLA's scalar code; its vectorised loops instead clamp
  ``x`` to ``±3.8325`` (so ``jax.lax.erf`` on a long array gives 0.99999976, not 1, for
  ``3.7439 <= |x|``). ``truncated_normal``'s ``erf`` of its bounds runs the scalar code,
  which this reproduces (checked bit for bit against JAX on 1.7·10^5 points).
Their derivatives are the exact ones, as in JAX (``d log1p = dx / (1 + x)``,
``d erf_inv = dx sqrt(pi)/2 exp(erf_inv(x)²)``, ``d erf = dx 2/sqrt(pi) exp(-x²)``), not
those of the approximations.
"""

from __future__ import annotations

import numpy as np

from mini_ad import lax
from mini_ad.api import custom_jvp
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import (
    bitcast_convert_type,
    fma,
    libm_erf,
    libm_log,
    shift_left,
    shift_right_logical,
)

F64 = np.dtype(np.float64)
F32 = np.dtype(np.float32)

# Cephes log1p: numerator and denominator, highest degree first
_LOG1P_P = (
    4.5270000862445199635215e-5, 4.9854102823193375972212e-1, 6.5787325942061044846969e0,
    2.9911919328553073277375e1, 6.0949667980987787057556e1, 5.7112963590585538103336e1,
    2.0039553499201281259648e1,
)  # fmt: skip
_LOG1P_Q = (
    1.0, 1.5062909083469192043167e1, 8.3047565967967209469434e1, 2.2176239823732856465394e2,
    3.0909872225312059774938e2, 2.1642788614495947685003e2, 6.0118660497603843919306e1,
)  # fmt: skip

# Giles' erfinv coefficients, highest degree first, for w < 6.25, w < 16 and beyond
_ERFINV_CENTRAL = (
    -3.6444120640178196996e-21, -1.685059138182016589e-19, 1.2858480715256400167e-18,
    1.115787767802518096e-17, -1.333171662854620906e-16, 2.0972767875968561637e-17,
    6.6376381343583238325e-15, -4.0545662729752068639e-14, -8.1519341976054721522e-14,
    2.6335093153082322977e-12, -1.2975133253453532498e-11, -5.4154120542946279317e-11,
    1.051212273321532285e-09, -4.1126339803469836976e-09, -2.9070369957882005086e-08,
    4.2347877827932403518e-07, -1.3654692000834678645e-06, -1.3882523362786468719e-05,
    0.0001867342080340571352, -0.00074070253416626697512, -0.0060336708714301490533,
    0.24015818242558961693, 1.6536545626831027356,
)  # fmt: skip
_ERFINV_MIDDLE = (
    2.2137376921775787049e-09, 9.0756561938885390979e-08, -2.7517406297064545428e-07,
    1.8239629214389227755e-08, 1.5027403968909827627e-06, -4.013867526981545969e-06,
    2.9234449089955446044e-06, 1.2475304481671778723e-05, -4.7318229009055733981e-05,
    6.8284851459573175448e-05, 2.4031110387097893999e-05, -0.0003550375203628474796,
    0.00095328937973738049703, -0.0016882755560235047313, 0.0024914420961078508066,
    -0.0037512085075692412107, 0.005370914553590063617, 1.0052589676941592334,
    3.0838856104922207635,
)  # fmt: skip
_ERFINV_TAIL = (
    -2.7109920616438573243e-11, -2.5556418169965252055e-10, 1.5076572693500548083e-09,
    -3.7894654401267369937e-09, 7.6157012080783393804e-09, -1.4960026627149240478e-08,
    2.9147953450901080826e-08, -6.7711997758452339498e-08, 2.2900482228026654717e-07,
    -9.9298272942317002539e-07, 4.5260625972231537039e-06, -1.9681778105531670567e-05,
    7.5995277030017761139e-05, -0.00021503011930044477347, -0.00013871931833623122026,
    1.0103004648645343977, 4.8499064014085844221,
)  # fmt: skip


# Giles' single-precision erfinv coefficients, for w < 5 and beyond
_ERFINV32_CENTRAL = (
    2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
    -0.00125372503, -0.00417768164, 0.246640727, 1.50140941,
)  # fmt: skip
_ERFINV32_TAIL = (
    -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
    -0.0076224613, 0.00943887047, 1.00167406, 2.83297682,
)  # fmt: skip

# XLA's float32 erf: numerator (odd part, over x) and denominator, in x², highest first
_ERF32_P = (
    0.00022905065861350646, 0.0034082910107109506, 0.050955695062380861,
    0.18520832239976145, 1.128379143519084,
)  # fmt: skip
_ERF32_Q = (
    -1.1791602954361697e-7, 0.000023547966471313185, 0.0010179625278914885,
    0.014070470171167667, 0.11098505178285362, 0.49746925110067538, 1.0,
)  # fmt: skip
_ERF32_CLAMP = 3.832506856900711  # vectorised code: clamp here (no overflow in x⁹)
_ERF32_ONE = 3.7439211627767994  # scalar code: ±1 from here on

# Cephes logf: the polynomial in m - 1, and log 2 split as q2 + q1 (q2 exact in 9 bits)
_LOGF_P = (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
)  # fmt: skip
_LOGF_Q1, _LOGF_Q2 = -2.12194440e-4, 0.693359375

# Cephes exp (float64): exp(g) = 1 + 2 g P(g²) / (Q(g²) - g P(g²)) on |g| <= ln(2)/2, ln 2
# split in two for the reduction, and the input range outside which the result is 0 or inf
_EXP_P = (1.26177193074810590878e-4, 3.02994407707441961300e-2, 9.99999999999999999910e-1)
_EXP_Q = (
    3.00198505138664455042e-6, 2.52448340349684104192e-3, 2.27265548208155028766e-1,
    2.00000000000000000009e0,
)  # fmt: skip
_EXP_LN2 = (0.693145751953125, 1.42860682030941723212e-6)
_EXP_RANGE = (-708.3964185322641, 709.782712893384)
# Cephes expf (float32): exp(r) = 1 + r + r² P(r), ln 2 split as for logf
_EXPF_P = (
    1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1,
    5.0000001201e-1,
)  # fmt: skip


def _dtype(x) -> np.dtype:
    return aval_of(x).dtype


def _c(value: float, dtype=F64) -> np.ndarray:
    return np.array(value, dtype)


def _horner(coefficients, x):
    """``c0 x^n + ... + cn`` as ``fma(p, x, c)`` steps (XLA's contracted Horner)."""
    dtype = _dtype(x)
    p = _c(coefficients[0], dtype)
    for c in coefficients[1:]:
        p = fma(p, x, _c(c, dtype))
    return p


def _fill(scalar, like):
    shape = aval_of(like).shape
    return lax.broadcast_in_dim(scalar, shape, ()) if shape else scalar


def _logf(x):
    """XLA's float32 ``log`` (see the module docstring)."""
    one, half = _c(1.0, F32), _c(0.5, F32)
    clamped = lax.max(x, _c(np.finfo(F32).tiny, F32))
    bits = bitcast_convert_type(clamped, np.int32)
    exponent = lax.sub(shift_right_logical(bits, np.array(23, np.int32)), np.array(127, np.int32))
    mantissa_bits = lax.bitwise_or(
        lax.bitwise_and(bits, np.array(~0x7F800000, np.int32)), np.array(0x3F000000, np.int32)
    )
    m = bitcast_convert_type(mantissa_bits, F32)  # in [0.5, 1)
    e = lax.add(one, lax.convert_element_type(exponent, F32))
    below = lax.lt(m, _c(0.707106781186547524, F32))  # then use 2m - 1 and e - 1
    zero = _fill(_c(0.0, F32), m)
    m = lax.add(lax.sub(m, one), lax.select_n(below, zero, m))
    e = lax.sub(e, lax.select_n(below, zero, _fill(one, m)))
    m2 = lax.mul(m, m)
    m3 = lax.mul(m2, m)
    p = [_c(c, F32) for c in _LOGF_P]
    y0 = fma(fma(m, p[0], p[1]), m, p[2])
    y1 = fma(fma(m, p[3], p[4]), m, p[5])
    y2 = fma(fma(m, p[6], p[7]), m, p[8])
    y = fma(fma(y0, m3, y1), m3, y2)
    y = fma(y, m3, lax.mul(_c(_LOGF_Q1, F32), e))
    out = lax.add(lax.add(lax.sub(m, lax.mul(m2, half)), y), lax.mul(_c(_LOGF_Q2, F32), e))
    # special values: NaN and negatives give NaN, zero and subnormals -inf, +inf stays
    out = lax.select_n(lax.lt(x, _c(np.finfo(F32).tiny, F32)), out, _fill(_c(-np.inf, F32), x))
    out = lax.select_n(lax.eq(x, _c(np.inf, F32)), out, x)
    invalid = lax.bitwise_or(lax.lt(x, _c(0.0, F32)), lax.ne(x, x))
    return lax.select_n(invalid, out, _fill(_c(np.nan, F32), x))


def log(x):
    """``log`` as XLA computes it on CPU: the C library's (float64) or XLA's (float32)."""
    dtype = _dtype(x)
    if dtype == F64:
        return libm_log(x)
    if dtype == F32:
        return _logf(x)
    raise NotImplementedError(f"XLA's log is reproduced for float32 and float64, not {dtype}.")


@custom_jvp
def log1p(x):
    """``log(1 + x)`` as XLA computes it on CPU (float32 or float64)."""
    dtype = _dtype(x)
    x2 = lax.mul(x, x)
    ratio = lax.div(_horner(_LOG1P_P, x), _horner(_LOG1P_Q, x))
    small = lax.add(x, fma(_c(-0.5, dtype), x2, lax.mul(lax.mul(x, x2), ratio)))
    large = log(lax.add(_c(1.0, dtype), x))
    is_small = lax.lt(lax.abs(x), _c(0.41421356237309504880, dtype))
    return lax.select_n(is_small, large, small)


@log1p.defjvp
def _log1p_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return log1p(x), lax.div(t, lax.add(_c(1.0, _dtype(x)), x))


@custom_jvp
def erf_inv(x):
    """The inverse error function as XLA computes it on CPU (float32 or float64)."""
    if _dtype(x) == F32:
        return _erf_inv32(x)
    w = lax.neg(log1p(lax.neg(lax.mul(x, x))))
    root = lax.sqrt(w)
    central = _horner(_ERFINV_CENTRAL, lax.sub(w, _c(3.125)))
    middle = _horner(_ERFINV_MIDDLE, lax.sub(root, _c(3.25)))
    tail = _horner(_ERFINV_TAIL, lax.sub(root, _c(5.0)))
    p = lax.select_n(lax.lt(w, _c(6.25)), lax.select_n(lax.lt(w, _c(16.0)), tail, middle), central)
    at_pole = lax.eq(lax.abs(x), _c(1.0))
    return lax.select_n(at_pole, lax.mul(p, x), lax.mul(x, _c(np.inf)))


def _erf_inv32(x):
    w = lax.neg(log1p(lax.neg(lax.mul(x, x))))
    central = _horner(_ERFINV32_CENTRAL, lax.sub(w, _c(2.5, F32)))
    tail = _horner(_ERFINV32_TAIL, lax.sub(lax.sqrt(w), _c(3.0, F32)))
    p = lax.select_n(lax.lt(w, _c(5.0, F32)), tail, central)
    at_pole = lax.eq(lax.abs(x), _c(1.0, F32))
    return lax.select_n(at_pole, lax.mul(p, x), lax.mul(x, _c(np.inf, F32)))


@erf_inv.defjvp
def _erf_inv_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    ans = erf_inv(x)
    scale = _c(np.sqrt(np.pi) / 2, _dtype(x))
    return ans, lax.mul(t, lax.mul(scale, lax.exp(lax.mul(ans, ans))))


def rsqrt(x):
    """``1/sqrt(x)`` as XLA's rewrite of ``a / sqrt(x)`` computes it on CPU.

    float64: two correctly rounded operations, which is XLA's code on every CPU without
    AVX-512 (or with ``XLA_FLAGS=--xla_cpu_max_isa=AVX2``). With AVX-512, XLA instead
    starts from the CPU's 14-bit estimate (``vrsqrt14pd``) and takes two Newton steps,
    which lands 1 or 2 ulp away for about 31% of inputs; that estimate is the hardware's
    and is not reproduced. float32: XLA starts from the CPU's ``rsqrtps`` estimate on
    every x86 CPU; mini_ad takes Newton steps from ``1/sqrt(x)``, which agrees on most
    inputs and is 1 ulp away otherwise.
    """
    dtype = _dtype(x)
    y = lax.div(_c(1.0, dtype), lax.sqrt(x))
    if dtype == F64:
        return y
    for _ in range(2):
        h = fma(lax.mul(x, y), y, _c(-1.0, dtype))
        y = fma(lax.mul(y, _c(-0.5, dtype)), h, y)
    return y


def _times_pow2(y, n):
    """``y * 2**n`` for an integral float ``n``: two exact power-of-two factors (as ldexp)."""
    dtype = _dtype(y)
    int_type, bias, bits = (np.int64, 1023, 52) if dtype == F64 else (np.int32, 127, 23)
    k = lax.convert_element_type(n, int_type)
    half = lax.div(k, np.array(2, int_type))
    for part in (half, lax.sub(k, half)):
        power = shift_left(lax.add(part, np.array(bias, int_type)), np.array(bits, int_type))
        y = lax.mul(y, bitcast_convert_type(power, dtype))
    return y


def _exp64(x):
    lo, hi = (_c(v) for v in _EXP_RANGE)
    clamped = lax.max(lo, lax.min(x, hi))
    n = lax.floor(fma(clamped, _c(1.4426950408889634073599), _c(0.5)))
    g = fma(lax.neg(n), _c(_EXP_LN2[0]), clamped)
    g = fma(lax.neg(n), _c(_EXP_LN2[1]), g)
    g2 = lax.mul(g, g)
    p = lax.mul(_horner(_EXP_P, g2), g)
    ratio = lax.div(p, lax.sub(_horner(_EXP_Q, g2), p))
    out = _times_pow2(fma(ratio, _c(2.0), _c(1.0)), n)
    out = lax.select_n(lax.lt(x, lo), out, _fill(_c(0.0), x))
    return lax.select_n(lax.gt(x, hi), out, _fill(_c(np.inf), x))


def _exp32(x):
    clamped = lax.max(_c(-104.0, F32), lax.min(x, _c(89.0, F32)))
    n = lax.floor(fma(clamped, _c(1.44269504088896341, F32), _c(0.5, F32)))
    n = lax.min(n, _c(127.0, F32))  # XLA keeps 2^n finite: exp(88.72...) is y 2^127
    r = fma(n, _c(-_LOGF_Q2, F32), clamped)
    r = fma(n, _c(-_LOGF_Q1, F32), r)
    y = lax.add(fma(_horner(_EXPF_P, r), lax.mul(r, r), r), _c(1.0, F32))
    out = _times_pow2(y, n)
    tiny = _c(np.finfo(F32).tiny, F32)  # XLA flushes subnormal results to zero
    return lax.select_n(lax.lt(out, tiny), out, _fill(_c(0.0, F32), x))


@custom_jvp
def exp(x):
    """``exp`` as XLA computes it on CPU: Cephes' rational approximation (float64) or
    polynomial (float32), with XLA's fused multiply-adds, range and flushing (checked bit
    for bit against JAX on 3.4·10^5 float64 and 1.7·10^8 float32 points, every float32 in
    ``[-89, -86]``, ``[88, 89]`` and ``[1e-9, 1e-3]`` among them)."""
    dtype = _dtype(x)
    if dtype not in (F32, F64):
        raise NotImplementedError(f"XLA's exp is reproduced for float32 and float64, not {dtype}.")
    out = _exp64(x) if dtype == F64 else _exp32(x)
    return lax.select_n(lax.ne(x, x), out, x)  # NaN stays NaN


@exp.defjvp
def _exp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    ans = exp(x)
    return ans, lax.mul(t, ans)


@custom_jvp
def erf(x):
    """The error function as XLA computes it on CPU: the C library's (float64) or XLA's
    rational approximation, as its scalar code runs it (float32)."""
    dtype = _dtype(x)
    if dtype == F64:
        return libm_erf(x)
    if dtype != F32:
        raise NotImplementedError(f"XLA's erf is reproduced for float32 and float64, not {dtype}.")
    clamp = _c(_ERF32_CLAMP, F32)
    clamped = lax.max(lax.neg(clamp), lax.min(x, clamp))
    x2 = lax.mul(clamped, clamped)
    ratio = lax.div(lax.mul(clamped, _horner(_ERF32_P, x2)), _horner(_ERF32_Q, x2))
    return lax.select(lax.ge(lax.abs(x), _c(_ERF32_ONE, F32)), lax.sign(x), ratio)


@erf.defjvp
def _erf_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    scale = _c(2 / np.sqrt(np.pi), _dtype(x))
    return erf(x), lax.mul(t, lax.mul(scale, lax.exp(lax.neg(lax.mul(x, x)))))
