"""Exponential, sine/cosine and Fresnel integrals, Dawson's integral and Spence's function
as elementwise primitives: ``exp1``, ``expi``, ``expn``, ``si``, ``ci``, ``fresnel_s``,
``fresnel_c``, ``dawsn`` and ``spence``. Each block: the primitive and its derivative
(``# d f = ...``); the impls are in expint_impls.py. JAX has no lax primitives for these:
each lowers to its ``jax.scipy.special`` function (``sici`` and ``fresnel`` return pairs;
the lowering takes one half).
"""

from __future__ import annotations

import math

from mini_ad.primitives.elementwise import (
    add,
    cos,
    div,
    eq,
    exp,
    log,
    mul,
    neg,
    select_n,
    sin,
    square,
    sub,
)
from mini_ad.primitives.expint_impls import (
    _ci_impl,
    _dawsn_impl,
    _exp1_impl,
    _expi_impl,
    _expn_impl,
    _fresnel_c_impl,
    _fresnel_s_impl,
    _si_impl,
    _spence_impl,
)
from mini_ad.primitives.helpers import binop, const, defjvp, unop
from mini_ad.primitives.logic import broadcast_like
from mini_ad.primitives.special import _in_float64, _real_only


def _full(like, value):
    """``value`` in ``like``'s dtype and shape (select_n needs equal types)."""
    return broadcast_like(const(like, value), like)


def _scipy_lowering(name, index=None):
    def lowering(lx, *args):
        out = getattr(lx.jax.scipy.special, name)(*args)
        return out if index is None else out[index]

    lowering.__name__ = f"jax_scipy_special_{name}"
    return lowering


def _card(name, impl, lowering):
    p = _real_only(unop(name, _in_float64(impl)))
    p.lowering = lowering
    return p


exp1_p = _card("exp1", _exp1_impl, _scipy_lowering("exp1"))
expi_p = _card("expi", _expi_impl, _scipy_lowering("expi"))
spence_p = _card("spence", _spence_impl, _scipy_lowering("spence"))
dawsn_p = _card("dawsn", _dawsn_impl, _scipy_lowering("dawsn"))
si_p = _card("si", _si_impl, _scipy_lowering("sici", 0))
ci_p = _card("ci", _ci_impl, _scipy_lowering("sici", 1))
fresnel_s_p = _card("fresnel_s", _fresnel_s_impl, _scipy_lowering("fresnel", 0))
fresnel_c_p = _card("fresnel_c", _fresnel_c_impl, _scipy_lowering("fresnel", 1))
expn_p = _real_only(binop("expn", _in_float64(_expn_impl)))
expn_p.lowering = _scipy_lowering("expn")


def exp1(x):
    """``E₁(x) = ∫₁^∞ e^(−xt)/t dt`` for ``x ≥ 0`` (nan below), elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import exp1
      >>> print(exp1(np.array([0.5, 1.0])))
      [0.55977359 0.21938393]
    """
    return exp1_p.bind(x)


def expi(x):
    """``Ei(x) = −∫_{−x}^∞ e^(−t)/t dt`` (principal value), elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import expi
      >>> print(expi(np.array([-1.0, 1.0])))
      [-0.21938393  1.89511782]
    """
    return expi_p.bind(x)


def expn(n, x):
    """``E_n(x) = ∫₁^∞ e^(−xt)/t^n dt`` for integer-valued ``n ≥ 0`` (in ``x``'s dtype).

    Args:
      n: a real floating array or tracer of non-negative integer values.
      x: a real floating array or tracer of ``n``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import expn
      >>> print(expn(np.array([1.0, 2.0]), np.array(1.0)))
      [0.21938393 0.14849551]
    """
    return expn_p.bind(n, x)


def spence(x):
    """Spence's function ``∫₁^x log t / (1 − t) dt = Li₂(1 − x)`` for ``x ≥ 0``.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype (nan for ``x < 0``).

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import spence
      >>> print(spence(np.array([0.0, 1.0])))  # π²/6, 0
      [1.64493407 0.        ]
    """
    return spence_p.bind(x)


def dawsn(x):
    """Dawson's integral ``D(x) = e^(−x²) ∫₀^x e^(t²) dt``, elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import dawsn
      >>> print(dawsn(np.array([0.0, 1.0])))
      [0.         0.53807951]
    """
    return dawsn_p.bind(x)


def si(x):
    """The sine integral ``Si(x) = ∫₀^x sin t / t dt``, elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import si
      >>> print(si(np.array([0.0, 1.0])))
      [0.         0.94608307]
    """
    return si_p.bind(x)


def ci(x):
    """The cosine integral ``Ci(x) = γ + log x + ∫₀^x (cos t − 1)/t dt`` (``Ci(|x|)``
    for ``x < 0``, as ``scipy.special.sici``), elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import ci
      >>> print(ci(np.array([1.0, 2.0])))
      [0.33740392 0.42298083]
    """
    return ci_p.bind(x)


def fresnel_s(x):
    """The Fresnel integral ``S(x) = ∫₀^x sin(πt²/2) dt``, elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import fresnel_s
      >>> print(fresnel_s(np.array([0.0, 1.0])))
      [0.         0.43825915]
    """
    return fresnel_s_p.bind(x)


def fresnel_c(x):
    """The Fresnel integral ``C(x) = ∫₀^x cos(πt²/2) dt``, elementwise.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.expint import fresnel_c
      >>> print(fresnel_c(np.array([0.0, 1.0])))
      [0.        0.7798934]
    """
    return fresnel_c_p.bind(x)


def _at_zero(x, general, limit):
    """``general(x)`` with x = 0 replaced by 1 inside it, and ``limit`` at 0."""
    zero = eq(x, const(x, 0))
    return select_n(zero, general(select_n(zero, x, _full(x, 1))), _full(x, limit))


defjvp(exp1_p, lambda t, ans, x: mul(t, neg(div(exp(neg(x)), x))))  # d E₁ = −e^(−x)/x
defjvp(expi_p, lambda t, ans, x: mul(t, div(exp(x), x)))  # d Ei = e^x / x


def _expn_x_derivative(t, ans, n, x):
    # d E_n = −E_{n−1} for n ≥ 1; d E₀ = d (e^(−x)/x) = −E₀ (1 + 1/x)
    one = const(n, 1)
    lower = neg(expn(sub(n, one), x))
    e0 = neg(mul(ans, add(const(x, 1), div(const(x, 1), x))))
    return mul(t, select_n(eq(n, const(n, 0)), lower, e0))


# E_n is taken as constant in n, as JAX's gradient (0) says
defjvp(expn_p, None, _expn_x_derivative)
# d spence = log(x) / (1 − x), −1 at x = 1
defjvp(
    spence_p,
    lambda t, ans, x: mul(
        t,
        select_n(
            eq(x, const(x, 1)),
            div(log(x), sub(_full(x, 1), select_n(eq(x, const(x, 1)), x, _full(x, 0)))),
            _full(x, -1),
        ),
    ),
)
# d D = 1 − 2x D
defjvp(dawsn_p, lambda t, ans, x: mul(t, sub(const(x, 1), mul(const(x, 2), mul(x, ans)))))
# d Si = sin x / x (1 at 0), d Ci = cos x / x
defjvp(si_p, lambda t, ans, x: mul(t, _at_zero(x, lambda y: div(sin(y), y), 1.0)))
defjvp(ci_p, lambda t, ans, x: mul(t, div(cos(x), x)))
# d S = sin(πx²/2), d C = cos(πx²/2)
defjvp(fresnel_s_p, lambda t, ans, x: mul(t, sin(mul(const(x, math.pi / 2), square(x)))))
defjvp(fresnel_c_p, lambda t, ans, x: mul(t, cos(mul(const(x, math.pi / 2), square(x)))))
