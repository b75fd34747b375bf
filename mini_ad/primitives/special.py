"""Special functions as primitives, with lax's names: ``erf``, ``erfc``, ``erf_inv``,
``lgamma``, ``digamma`` and ``polygamma``. Each block: the primitive, its lax-level
function and its derivative (``# d f = ...``).

The impls are NumPy evaluations in float64 (a float32 input is rounded at the end),
each from a classical formula cited beside it; their constants (Bernoulli numbers,
ζ(k) - 1) are computed exactly with ``fractions`` when this module is imported. Edge
values follow JAX: lgamma is +inf at the poles (0, -1, -2, ...) and at ±inf; digamma
is nan at the poles; polygamma(m, ·) is +inf at the poles for odd m and nan for even
m, and nan at +inf.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.primitives.elementwise import add, exp, mul, neg, square
from mini_ad.primitives.helpers import binop, const, defjvp, real_only, unop
from mini_ad.primitives.special_impls import (
    _TWO_OVER_SQRT_PI,
    _digamma_impl,
    _erf_impl,
    _erf_inv_impl,
    _erfc_impl,
    _lgamma_impl,
    _polygamma_impl,
)

# --- exact constants ----------------------------------------------------------------------------


# --- erf and erfc ---------------------------------------------------------------------------------


# --- lgamma -----------------------------------------------------------------------------------


# --- digamma and polygamma ------------------------------------------------------------------------


# --- the primitives ---------------------------------------------------------------------------


def _in_float64(impl):
    """Evaluate in float64 (warnings off: the formulas reach inf and nan at edges on
    purpose) and return the operands' dtype."""

    def wrapped(*args):
        dtype = np.result_type(*args)
        if dtype.kind != "f":  # eager calls reach the impl without abstract_eval
            raise TypeError(f"special functions need real floating inputs, got {dtype.name}.")
        with np.errstate(all="ignore"):
            out = impl(*(np.asarray(a, dtype=np.float64) for a in args))
        return np.asarray(out, dtype=dtype)

    return wrapped


def _real_only(p):
    """Narrow ``p``'s abstract_eval to real floating dtypes (as lax does)."""
    check = p.abstract_eval

    def abstract_eval(*avals: ShapedArray, **params):
        for aval in avals:
            if aval.dtype.kind != "f":
                raise TypeError(
                    f"{p.name} does not accept dtype {aval.dtype.name}: it needs a real "
                    "floating input (mini_ad.scipy.special converts integers for you)."
                )
        return check(*avals, **params)

    p.abstract_eval = abstract_eval
    return real_only(p)  # eager calls too: the TypeError names the primitive


erf_p = _real_only(unop("erf", _in_float64(_erf_impl)))
erfc_p = _real_only(unop("erfc", _in_float64(_erfc_impl)))
erf_inv_p = _real_only(unop("erf_inv", _in_float64(_erf_inv_impl)))
lgamma_p = _real_only(unop("lgamma", _in_float64(_lgamma_impl)))
digamma_p = _real_only(unop("digamma", _in_float64(_digamma_impl)))
polygamma_p = _real_only(binop("polygamma", _in_float64(_polygamma_impl)))


def erf(x):
    """The error function ``erf(x) = 2/√π ∫₀ˣ e^(−t²) dt``, elementwise.

    Derivative: ``2/√π e^(−x²)``.
    Real floating operands only; evaluated in float64, as ``jax.lax.erf``. The
    example's expected values are those of Python's ``math`` module.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not real floating (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.erf(np.array([0.0, 0.5, 1.0])))
      [0.         0.52049988 0.84270079]
    """
    return erf_p.bind(x)


def erfc(x):
    """The complementary error function ``erfc(x) = 1 − erf(x)``, elementwise.

    Accurate in the tail (no cancellation for large x). Derivative: ``−2/√π e^(−x²)``.
    Real floating operands only; evaluated in float64, as ``jax.lax.erfc``. The
    example's expected values are those of Python's ``math`` module.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not real floating (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.erfc(np.array([0.0, 0.5, 1.0])))
      [1.         0.47950012 0.15729921]
    """
    return erfc_p.bind(x)


def erf_inv(x):
    """The inverse error function, elementwise: ``erf(erf_inv(y)) = y``.

    Defined on ``(−1, 1)`` (±inf at ±1, NaN outside). Derivative: ``√π/2 e^(erf_inv(y)²)``.
    Real floating operands only; evaluated in float64, as ``jax.lax.erf_inv``. The
    example's expected values are those of Python's ``math`` module.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not real floating (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.erf_inv(np.array([0.0, 0.5])))
      [0.         0.47693628]
    """
    return erf_inv_p.bind(x)


def lgamma(x):
    """The log of the absolute value of the gamma function, elementwise.

    Derivative: ``digamma(x)``.
    Real floating operands only; evaluated in float64, as ``jax.lax.lgamma``. The
    example's expected values are those of Python's ``math`` module.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not real floating (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.lgamma(np.array([0.5, 1.0, 5.0])))
      [0.57236494 0.         3.17805383]
    """
    return lgamma_p.bind(x)


def digamma(x):
    """The digamma function ``ψ(x) = d/dx lgamma(x)``, elementwise.

    NaN at the poles (0, −1, −2, ...). Derivative: ``polygamma(1, x)``.
    Real floating operands only; evaluated in float64, as ``jax.lax.digamma``. The
    example's expected values are those of Python's ``math`` module.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: ``x`` is not real floating (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.digamma(np.array([1.0, 2.0])))
      [-0.57721566  0.42278434]
    """
    return digamma_p.bind(x)


def polygamma(m, x):
    """The polygamma function ``ψ^(m)(x)``, the m-th derivative of ``digamma``, elementwise.

    As ``jax.lax.polygamma``: ``m`` is an integer-valued float of ``x``'s dtype (NaN for
    other values); ``m = 0`` is ``digamma``. Differentiable in ``x`` (giving
    ``polygamma(m + 1, x)``), not in ``m``.

    Args:
      m: a real floating array or tracer holding non-negative integers.
      x: a real floating array or tracer of ``m``'s shape and dtype.

    Returns:
      An array of ``x``'s shape and dtype.

    Raises:
      TypeError: the operands are not real floating (when traced).
      ValueError: differentiating with respect to ``m``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.polygamma(np.array([1.0, 1.0]), np.array([1.0, 2.0])))  # π²/6, π²/6 - 1
      [1.64493407 0.64493407]
    """
    return polygamma_p.bind(m, x)


def _gaussian(x, scale):
    return mul(const(x, scale), exp(neg(square(x))))


def _polygamma_jvp_m(t, ans, m, x):
    raise ValueError("polygamma gradient with respect to m is not supported (as in JAX).")


defjvp(erf_p, lambda t, ans, x: mul(t, _gaussian(x, _TWO_OVER_SQRT_PI)))  # 2/√π e^(-x²)
defjvp(erfc_p, lambda t, ans, x: mul(t, _gaussian(x, -_TWO_OVER_SQRT_PI)))  # -2/√π e^(-x²)
# d erfinv(y) = 1 / erf'(erfinv y) = √π/2 e^(erfinv(y)²)
defjvp(
    erf_inv_p,
    lambda t, ans, x: mul(t, mul(const(x, math.sqrt(math.pi) / 2), exp(square(ans)))),
)
defjvp(lgamma_p, lambda t, ans, x: mul(t, digamma(x)))  # d lgamma = ψ
defjvp(digamma_p, lambda t, ans, x: mul(t, polygamma(const(x, 1), x)))  # d ψ = ψ^(1)
# d ψ^(m) = ψ^(m+1) in x; m is an order, not a variable
defjvp(
    polygamma_p,
    _polygamma_jvp_m,
    lambda t, ans, m, x: mul(t, polygamma(add(m, const(m, 1)), x)),
)
