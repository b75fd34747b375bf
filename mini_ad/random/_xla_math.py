"""XLA's float64 ``log1p`` and ``erf_inv`` on CPU, rounding for rounding.

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

Both are float64 only: XLA's float32 versions start from its own float32 ``log``.
Their derivatives are the exact ones, as in JAX (``d log1p = dx / (1 + x)``,
``d erf_inv = dx sqrt(pi)/2 exp(erf_inv(x)²)``), not those of the approximations.
"""

from __future__ import annotations

import numpy as np

from mini_ad import lax
from mini_ad.api import custom_jvp
from mini_ad.primitives.bits import fma, libm_log

F64 = np.dtype(np.float64)

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


def _c(value: float) -> np.ndarray:
    return np.array(value, F64)


def _horner(coefficients, x):
    """``c0 x^n + ... + cn`` as ``fma(p, x, c)`` steps (XLA's contracted Horner)."""
    p = _c(coefficients[0])
    for c in coefficients[1:]:
        p = fma(p, x, _c(c))
    return p


@custom_jvp
def log1p(x):
    """``log(1 + x)`` as XLA computes it for float64 on CPU."""
    x2 = lax.mul(x, x)
    ratio = lax.div(_horner(_LOG1P_P, x), _horner(_LOG1P_Q, x))
    small = lax.add(x, fma(_c(-0.5), x2, lax.mul(lax.mul(x, x2), ratio)))
    large = libm_log(lax.add(_c(1.0), x))
    is_small = lax.lt(lax.abs(x), _c(0.41421356237309504880))
    return lax.select_n(is_small, large, small)


@log1p.defjvp
def _log1p_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return log1p(x), lax.div(t, lax.add(_c(1.0), x))


@custom_jvp
def erf_inv(x):
    """The inverse error function as XLA computes it for float64 on CPU."""
    w = lax.neg(log1p(lax.neg(lax.mul(x, x))))
    root = lax.sqrt(w)
    central = _horner(_ERFINV_CENTRAL, lax.sub(w, _c(3.125)))
    middle = _horner(_ERFINV_MIDDLE, lax.sub(root, _c(3.25)))
    tail = _horner(_ERFINV_TAIL, lax.sub(root, _c(5.0)))
    p = lax.select_n(lax.lt(w, _c(6.25)), lax.select_n(lax.lt(w, _c(16.0)), tail, middle), central)
    at_pole = lax.eq(lax.abs(x), _c(1.0))
    return lax.select_n(at_pole, lax.mul(p, x), lax.mul(x, _c(np.inf)))


@erf_inv.defjvp
def _erf_inv_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    ans = erf_inv(x)
    return ans, lax.mul(t, lax.mul(_c(np.sqrt(np.pi) / 2), lax.exp(lax.mul(ans, ans))))
