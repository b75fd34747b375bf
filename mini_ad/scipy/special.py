"""``mini_ad.scipy.special``: ``jax.scipy.special``'s names and semantics.

``erf``, ``erfc``, ``erfinv``, ``gammaln``, ``digamma`` and ``polygamma`` bind the
primitives of ``mini_ad/primitives/special.py`` (float64-accurate NumPy impls); the rest
are compositions of ``mini_ad.numpy``. Where JAX fixes a derivative with a custom JVP
(``logit``, ``xlogy``, ``xlog1py``, ``entr``, ``log_ndtr``) the same rule is declared
here with ``custom_jvp``, so values and derivatives agree with JAX at the edges too
(``xlogy(0, 0) = 0`` with gradient ``(-inf, nan)`` there, as in JAX).

Inputs are promoted with NumPy's rules (integers become float64, float32 stays
float32); like SciPy, these functions do not warn where they return inf or nan.

>>> import mini_ad as ad
>>> round(float(ad.grad(gammaln)(3.0)), 14)  # ψ(3) = 3/2 - γ
0.92278433509847
"""

from __future__ import annotations

import functools
import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import nn
from mini_ad.api import custom_jvp
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_and_broadcast, promote_dtypes_inexact
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import special as sp
from mini_ad.scipy import _special_b
from mini_ad.scipy._special_b import *  # noqa: F403 - Bessel functions and integrals
from mini_ad.scipy._special_gamma import (
    beta,
    betainc,
    betaln,
    gammainc,
    gammaincc,
    loggamma,
    multigammaln,
    poch,
    psi,
    zeta,
)  # fmt: skip
from mini_ad.scipy._special_misc import (
    bernoulli,
    boxcox,
    boxcox1p,
    comb,
    erfcinv,
    erfcx,
    factorial,
    ndtri,
)  # fmt: skip
from mini_ad.tree_util import tree_map

__all__ = [
    "digamma", "entr", "erf", "erfc", "erfinv", "expit", "gamma", "gammaln", "gammasgn",
    "kl_div", "log_ndtr", "log_softmax", "logit", "logsumexp", "ndtr", "polygamma",
    "rel_entr", "softmax", "xlog1py", "xlogy",
    # the gamma, beta and zeta family (_special_gamma.py, _special_misc.py)
    "bernoulli", "beta", "betainc", "betaln", "boxcox", "boxcox1p", "comb", "erfcinv", "erfcx",
    "factorial", "gammainc", "gammaincc", "loggamma", "multigammaln", "ndtri", "poch", "psi",
    "zeta", *_special_b.__all__,
]  # fmt: skip


def _special_function(fun):
    """Return Arrays outside a transform, and do not warn about inf or nan."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = fun(*args, **kwargs)
        return tree_map(mnp.asarray, out)  # tracers pass; values become Arrays

    return wrapped


def _float(x):
    (x,) = promote_dtypes_inexact(x)
    return x


# --- the primitives -------------------------------------------------------------------------------


@_special_function
def erf(x):
    """The error function ``2/√π ∫_0^x e^(-t²) dt`` (lax primitive ``erf``).

    >>> float(erf(0.5))
    0.5204998778130465
    """
    return sp.erf(_float(x))


@_special_function
def erfc(x):
    """``1 - erf(x)``, accurate where it is tiny (lax primitive ``erfc``).

    >>> print(f"{float(erfc(10.0)):.12e}")
    2.088487583763e-45
    """
    return sp.erfc(_float(x))


@_special_function
def erfinv(x):
    """The inverse error function, elementwise, as ``scipy.special.erfinv``.

    ``erf(erfinv(y)) == y`` on ``[-1, 1]`` (±inf at ±1), NaN outside. Binds the lax
    primitive ``erf_inv``; integers are converted to float.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.special import erf, erfinv
      >>> print(float(erfinv(erf(0.3))))
      0.3
      >>> print(erfinv(np.array([0.0, 0.5, 2.0])))
      [0.         0.47693628        nan]
    """
    return sp.erf_inv(_float(x))


@_special_function
def gammaln(x):
    """``log |Γ(x)|`` (lax primitive ``lgamma``); +inf at 0, -1, -2, ...

    >>> float(gammaln(4.0)) == math.log(6.0)
    True
    """
    return sp.lgamma(_float(x))


@_special_function
def digamma(x):
    """``ψ(x) = Γ'(x)/Γ(x)`` (lax primitive ``digamma``); nan at 0, -1, -2, ...

    >>> round(float(digamma(1.0)), 14)  # -γ
    -0.57721566490153
    """
    return sp.digamma(_float(x))


@_special_function
def polygamma(n, x):
    """``ψ^(n)(x)``, the n-th derivative of ``digamma``, for integers ``n >= 0`` (nan for
    negative ``n``). ``n`` must have an integer dtype, as in JAX.

    >>> float(polygamma(1, 1.0)) == math.pi**2 / 6
    True
    """
    n_dtype = get_aval(mnp.asarray(n)).dtype
    if n_dtype.kind not in "iu":
        raise ValueError(f"Argument `n` to polygamma must be of integer type. Got dtype {n_dtype}.")
    x = _float(x)
    n, x = promote_and_broadcast(mnp.astype(n, get_aval(x).dtype), x)
    return sp.polygamma(n, x)


@_special_function
def gammasgn(x):
    """The sign of Γ(x): -1 on (-2k-1, -2k) and at -0.0, nan at the poles and -inf, else 1.

    >>> gammasgn(mnp.array([-2.5, -1.5, 0.5]))
    array([-1.,  1.,  1.])
    """
    x = _float(x)
    floor_x = mnp.floor(x)
    pole = ((x < 0) & (x == floor_x)) | mnp.isnan(x)
    negative = ((x < 0) & (mnp.remainder(floor_x, 2) != 0)) | ((x == 0) & (1 / x < 0))
    sign = mnp.where(negative, mnp.full_like(x, -1.0), mnp.ones_like(x))
    return mnp.where(pole, mnp.full_like(x, np.nan), sign)


@_special_function
def gamma(x):
    """``Γ(x) = gammasgn(x) exp(gammaln(x))``, as in JAX (so its relative error is
    gammaln's absolute error, up to 7e-14 near the overflow at 171.6).

    >>> float(gamma(5.0))
    24.000000000000004
    """
    x = _float(x)
    return gammasgn(x) * mnp.exp(sp.lgamma(x))


# --- logistic and entropy ---------------------------------------------------------------------------


@_special_function
def expit(x):
    """The logistic sigmoid ``1 / (1 + e^(-x))`` (lax primitive ``logistic``).

    >>> float(expit(0.0))
    0.5
    """
    return ew.logistic(_float(x))


@custom_jvp
def _logit(x):
    return mnp.log(x / (1 - x))


_logit.defjvps(lambda t, ans, x: t / (x * (1 - x)))  # d logit = 1 / (x (1 - x))


@_special_function
def logit(x):
    """``log(x / (1 - x))``, the inverse of ``expit``: -inf at 0, inf at 1.

    >>> float(logit(0.5))
    0.0
    """
    return _logit(_float(x))


@custom_jvp
def _xlogy(x, y):
    return mnp.where((x != 0) | mnp.isnan(y), x * mnp.log(y), mnp.zeros_like(x))


# d (x log y) = log(y) dx + x/y dy, also at x = 0 (JAX's rule)
_xlogy.defjvps(lambda t, ans, x, y: t * mnp.log(y), lambda t, ans, x, y: t * x / y)


@_special_function
def xlogy(x, y):
    """``x * log(y)``, taken as 0 where ``x == 0`` (unless ``y`` is nan).

    >>> float(xlogy(0.0, 0.0))
    0.0
    """
    return _xlogy(*promote_and_broadcast(x, y, inexact=True))


@custom_jvp
def _xlog1py(x, y):
    return mnp.where((x != 0) | mnp.isnan(y), x * mnp.log1p(y), mnp.zeros_like(x))


# d (x log(1 + y)) = log(1 + y) dx + x/(1 + y) dy (JAX's rule)
_xlog1py.defjvps(lambda t, ans, x, y: t * mnp.log1p(y), lambda t, ans, x, y: t * x / (1 + y))


@_special_function
def xlog1py(x, y):
    """``x * log1p(y)``, taken as 0 where ``x == 0`` (unless ``y`` is nan).

    >>> float(xlog1py(0.0, -1.0))
    0.0
    """
    return _xlog1py(*promote_and_broadcast(x, y, inexact=True))


@custom_jvp
def _xlogx(x):
    return _xlogy(x, x)


_xlogx.defjvps(lambda t, ans, x: t * (mnp.log(x) + 1))  # d (x log x) = log x + 1


@_special_function
def entr(x):
    """The entropy term ``-x log x``: 0 at 0 and -inf for negative ``x``.

    >>> float(entr(1.0))
    -0.0
    """
    x = _float(x)
    return mnp.where(x < 0, mnp.full_like(x, -np.inf), -_xlogx(x))


@_special_function
def rel_entr(p, q):
    """``p log(p/q)`` for p, q > 0; 0 for p = 0 <= q; inf otherwise.

    >>> float(rel_entr(0.0, 0.0))
    0.0
    """
    p, q = promote_and_broadcast(p, q, inexact=True)
    positive = (p > 0) & (q > 0)
    safe_p = mnp.where(positive, p, mnp.ones_like(p))
    safe_q = mnp.where(positive, q, mnp.ones_like(q))
    inside = _xlogx(safe_p) - _xlogy(safe_p, safe_q)
    outside = mnp.where((p == 0) & (q >= 0), mnp.zeros_like(p), mnp.full_like(p, np.inf))
    return mnp.where(positive, inside, outside)


@_special_function
def kl_div(p, q):
    """``rel_entr(p, q) - p + q``: ``p log(p/q) - p + q``, q at p = 0, inf outside.

    >>> float(kl_div(1.0, 1.0))
    0.0
    """
    p, q = promote_and_broadcast(p, q, inexact=True)
    return rel_entr(p, q) - p + q


# --- the normal distribution ------------------------------------------------------------------------

_SQRT_HALF = math.sqrt(0.5)
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
# log Φ(x) for x < -20: Φ(x) = φ(x)/(-x) (1 + sum_n (-1)^n (2n-1)!! / x^2n + ...), the
# asymptotic series of the Mills ratio; 12 terms are exact to 1e-19 there.
_MILLS_SERIES = [float((-1) ** n * math.prod(range(1, 2 * n, 2))) for n in range(13)]
_ASYMPTOTIC_BELOW = -20.0


@_special_function
def ndtr(x):
    """The standard normal CDF ``Φ(x) = erfc(-x/√2) / 2``.

    As in JAX, rounding ``-x/√2`` costs a relative error of about ``x²`` ulps in the
    lower tail (1e-13 at x = -30); ``log_ndtr`` has no such loss.

    >>> float(ndtr(0.0))
    0.5
    """
    x = _float(x)
    return 0.5 * sp.erfc(-x * _SQRT_HALF)


def _log_ndtr_value(x):
    lower = x < _ASYMPTOTIC_BELOW
    upper = x > 0
    middle = mnp.where(lower | upper, mnp.zeros_like(x), x)
    # above 0, log(1 - Φ(-x)) keeps the precision of the tiny Φ(-x)
    upper_value = mnp.log1p(-0.5 * sp.erfc(mnp.where(upper, x, mnp.zeros_like(x)) * _SQRT_HALF))
    middle_value = mnp.log(0.5 * sp.erfc(-middle * _SQRT_HALF))
    tail = mnp.where(lower, x, mnp.full_like(x, _ASYMPTOTIC_BELOW))
    w = 1 / (tail * tail)
    series = mnp.zeros_like(x)
    for c in reversed(_MILLS_SERIES):
        series = series * w + c
    lower_value = -0.5 * tail * tail - mnp.log(-tail) - _HALF_LOG_2PI + mnp.log(series)
    return mnp.where(lower, lower_value, mnp.where(upper, upper_value, middle_value))


@custom_jvp
def _log_ndtr(x):
    return _log_ndtr_value(x)


# d log Φ = φ / Φ = exp(log φ(x) - log Φ(x)) (JAX's rule)
_log_ndtr.defjvps(lambda t, ans, x: t * mnp.exp(-0.5 * x * x - _HALF_LOG_2PI - ans))


@_special_function
def log_ndtr(x, series_order: int = 3):
    """``log Φ(x)``, accurate for very negative ``x`` (an asymptotic series below -20).

    ``series_order`` is checked as in JAX (an int in [0, 30]) but does not change the
    result: the tail series here always runs to full float64 precision.

    >>> round(float(log_ndtr(-40.0)), 6)
    -804.608442
    """
    if not isinstance(series_order, int):
        raise TypeError("series_order must be a Python integer.")
    if not 0 <= series_order <= 30:
        raise ValueError("series_order must be in [0, 30].")
    return _log_ndtr(_float(x))


# --- normalized exponentials (jax.scipy.special's signatures) -----------------------------------

logsumexp = nn.logsumexp


@_special_function
def softmax(x, /, *, axis=None):
    """``exp(x) / sum(exp(x), axis)``; ``axis=None`` normalizes over all axes (as
    ``jax.scipy.special.softmax``; ``mini_ad.nn.softmax`` defaults to the last axis).

    >>> softmax(mnp.zeros(2))
    array([0.5, 0.5])
    """
    return nn.softmax(x, axis=axis)


@_special_function
def log_softmax(x, /, *, axis=None):
    """``x - logsumexp(x, axis, keepdims=True)``; ``axis=None`` means all axes.

    >>> float(log_softmax(mnp.zeros(2))[0]) == -math.log(2.0)
    True
    """
    return nn.log_softmax(x, axis=axis)
