"""Bessel functions as primitives: lax's ``bessel_i0e`` and ``bessel_i1e``, and ``jn``,
``yn``, ``iv``, ``ive`` of a real order (an operand of the argument's dtype, as lax's
``polygamma`` takes its order). Each block: the primitive, its lax-level function and its
derivative (``# d f = ...``). The impls are in bessel_impls.py.

The order is not differentiable (as in HIPS autograd): a tangent for it raises a
ValueError. ``jn``, ``yn``, ``iv`` and ``ive`` have no JAX primitive: their lowering calls
the same NumPy impl through ``jax.pure_callback``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.primitives.bessel_impls import (
    _bessel_i0e_impl,
    _bessel_i1e_impl,
    _iv_impl,
    _ive_impl,
    _jn_impl,
    _yn_impl,
)
from mini_ad.primitives.elementwise import add, div, eq, mul, select_n, sign, sub
from mini_ad.primitives.helpers import binop, const, defjvp, unop
from mini_ad.primitives.logic import broadcast_like
from mini_ad.primitives.special import _in_float64, _real_only

bessel_i0e_p = _real_only(unop("bessel_i0e", _in_float64(_bessel_i0e_impl)))
bessel_i1e_p = _real_only(unop("bessel_i1e", _in_float64(_bessel_i1e_impl)))


def _full(like, value):
    """``value`` in ``like``'s dtype and shape (select_n needs equal types)."""
    return broadcast_like(const(like, value), like)


def bessel_i0e(x):
    """The exponentially scaled modified Bessel function ``I₀(x) e^(−|x|)``, elementwise.

    Derivative: ``i1e(x) − sign(x) i0e(x)``. Real floating operands only; evaluated in
    float64 and returned in ``x``'s dtype, as ``jax.lax.bessel_i0e``.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.bessel_i0e(np.array([0.0, 1.0, -1.0])))  # I₀(1)/e = 1.2660658777.../e
      [1.         0.46575961 0.46575961]
    """
    return bessel_i0e_p.bind(x)


def bessel_i1e(x):
    """The exponentially scaled modified Bessel function ``I₁(x) e^(−|x|)``, elementwise.

    Odd in ``x``. Derivative: ``i0e(x) − i1e(x)/x − sign(x) i1e(x)`` (``1/2`` at 0).
    Real floating operands only; evaluated in float64 and returned in ``x``'s dtype, as
    ``jax.lax.bessel_i1e``.

    Args:
      x: a real floating array or tracer.

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.bessel_i1e(np.array([0.0, 1.0, -1.0])))  # I₁(1)/e = 0.5651591039.../e
      [ 0.          0.20791042 -0.20791042]
    """
    return bessel_i1e_p.bind(x)


# d i0e = (I₀' − sign(x) I₀) e^(−|x|) = i1e − sign(x) i0e
defjvp(bessel_i0e_p, lambda t, ans, x: mul(t, sub(bessel_i1e(x), mul(sign(x), ans))))


def _i1e_derivative(t, ans, x):
    # d i1e = (I₁' − sign(x) I₁) e^(−|x|) with I₁' = I₀ − I₁/x; the limit at 0 is 1/2
    at_zero = eq(x, const(x, 0))
    safe_x = select_n(at_zero, x, _full(x, 1))
    general = sub(sub(bessel_i0e(x), div(ans, safe_x)), mul(sign(x), ans))
    return mul(t, select_n(at_zero, general, _full(x, 0.5)))


defjvp(bessel_i1e_p, _i1e_derivative)


def _callback_lowering(impl):
    """A JAX lowering that runs the NumPy impl on the host (JAX has no such primitive)."""

    def lowering(lx, order, x):
        shape = np.broadcast_shapes(order.shape, x.shape)
        out = lx.jax.ShapeDtypeStruct(shape, x.dtype)
        return lx.jax.pure_callback(impl, out, order, x, vmap_method="broadcast_all")

    return lowering


def _order_card(name, impl):
    p = _real_only(binop(name, _in_float64(impl)))
    p.lowering = _callback_lowering(_in_float64(impl))
    return p


jn_p = _order_card("jn", _jn_impl)
yn_p = _order_card("yn", _yn_impl)
iv_p = _order_card("iv", _iv_impl)
ive_p = _order_card("ive", _ive_impl)


def jn(n, x):
    """The Bessel function of the first kind ``J_n(x)`` of integer order, elementwise.

    ``n`` holds integer values in ``x``'s dtype (nan elsewhere); ``J_−n = (−1)^n J_n``.
    Derivative in ``x``: ``(J_{n−1} − J_{n+1}) / 2``; none in ``n``.

    Args:
      n: a real floating array or tracer of integer values.
      x: a real floating array or tracer of ``n``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Raises:
      ValueError: differentiating with respect to ``n``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.bessel import jn
      >>> print(jn(np.array([0.0, 1.0, 2.0]), np.array(1.0)))
      [0.76519769 0.44005059 0.11490348]
    """
    return jn_p.bind(n, x)


def yn(n, x):
    """The Bessel function of the second kind ``Y_n(x)`` of integer order, elementwise.

    ``n`` holds integer values in ``x``'s dtype (nan elsewhere); ``−inf`` at ``x = 0``
    and nan below. Derivative in ``x``: ``(Y_{n−1} − Y_{n+1}) / 2``; none in ``n``.

    Args:
      n: a real floating array or tracer of integer values.
      x: a real floating array or tracer of ``n``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Raises:
      ValueError: differentiating with respect to ``n``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.bessel import yn
      >>> print(yn(np.array([0.0, 1.0]), np.array(1.0)))
      [ 0.08825696 -0.78121282]
    """
    return yn_p.bind(n, x)


def iv(v, x):
    """The modified Bessel function of the first kind ``I_v(x)`` of real order.

    For ``x < 0`` only integer orders are defined (nan elsewhere). Derivative in ``x``:
    ``(I_{v−1} + I_{v+1}) / 2``; none in ``v``.

    Args:
      v: a real floating array or tracer, the order.
      x: a real floating array or tracer of ``v``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Raises:
      ValueError: differentiating with respect to ``v``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.bessel import iv
      >>> print(iv(np.array([0.0, 0.5]), np.array(1.0)))  # I_½(1) = √(2/π) sinh 1
      [1.26606588 0.93767489]
    """
    return iv_p.bind(v, x)


def ive(v, x):
    """The exponentially scaled ``I_v(x) e^(−|x|)`` of real order ``v``.

    Derivative in ``x``: ``(ive(v−1) + ive(v+1)) / 2 − sign(x) ive(v)``; none in ``v``.

    Args:
      v: a real floating array or tracer, the order.
      x: a real floating array or tracer of ``v``'s dtype and shape (or rank 0).

    Returns:
      An array of the operands' shape and dtype.

    Raises:
      ValueError: differentiating with respect to ``v``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.bessel import ive
      >>> print(ive(np.array([0.0, 1.0]), np.array(1.0)))
      [0.46575961 0.20791042]
    """
    return ive_p.bind(v, x)


def _no_order_derivative(name):
    def rule(t, ans, order, x):
        raise ValueError(f"{name} is not differentiable in its order (as in HIPS autograd).")

    return rule


def _shifted(f, order, x, sign_of_upper):
    """(f(order − 1, x) ± f(order + 1, x)) / 2, the recurrence for the derivative."""
    one = const(order, 1)
    lower, upper = f(sub(order, one), x), f(add(order, one), x)
    combined = add(lower, upper) if sign_of_upper > 0 else sub(lower, upper)
    return mul(combined, const(x, 0.5))


# d J_n = (J_{n−1} − J_{n+1}) / 2, d Y_n likewise; d I_v = (I_{v−1} + I_{v+1}) / 2
defjvp(jn_p, _no_order_derivative("jn"), lambda t, ans, n, x: mul(t, _shifted(jn, n, x, -1)))
defjvp(yn_p, _no_order_derivative("yn"), lambda t, ans, n, x: mul(t, _shifted(yn, n, x, -1)))
defjvp(iv_p, _no_order_derivative("iv"), lambda t, ans, v, x: mul(t, _shifted(iv, v, x, +1)))
# d ive = (ive(v−1) + ive(v+1)) / 2 − sign(x) ive(v)
defjvp(
    ive_p,
    _no_order_derivative("ive"),
    lambda t, ans, v, x: mul(t, sub(_shifted(ive, v, x, +1), mul(sign(x), ans))),
)
