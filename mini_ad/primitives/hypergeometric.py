"""The Faddeeva function ``wofz`` and the confluent hypergeometric function ``hyp1f1`` as
elementwise primitives, with ``hyp1f1_grad_a`` and ``hyp1f1_grad_b`` (its derivatives in
``a`` and ``b``, themselves not differentiable: a NotImplementedError, as ``igamma_grad_a``).
Impls in hypergeometric_impls.py (float64, or complex128 for ``wofz``). JAX has no lax
primitives for these: each lowers to ``jax.scipy.special``'s function (the ``a``/``b``
derivatives to its gradient).
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.elementwise import add, div, mul
from mini_ad.primitives.helpers import binary_shape, const, defjvp, unop
from mini_ad.primitives.hypergeometric_impls import (
    hyp1f1_grad_a_impl,
    hyp1f1_grad_b_impl,
    hyp1f1_impl,
    wofz_impl,
)
from mini_ad.primitives.special import _in_float64, _real_only

# --- wofz: complex in, complex out ----------------------------------------------------------


def _wofz_in_complex128(z):
    """Evaluate in complex128 (inf and nan where e^(−z²) overflows, as JAX) and return
    ``z``'s dtype."""
    dtype = np.asarray(z).dtype
    if dtype.kind != "c":  # eager calls reach the impl without abstract_eval
        raise TypeError(f"wofz needs a complex input, got {dtype.name}.")
    with np.errstate(all="ignore"):
        return np.asarray(wofz_impl(z), dtype=dtype)


wofz_p = unop("wofz", _wofz_in_complex128)
_wofz_shape = wofz_p.abstract_eval


def _wofz_abstract_eval(z: ShapedArray, **params) -> ShapedArray:
    if z.dtype.kind != "c":
        raise TypeError(
            f"wofz does not accept dtype {z.dtype.name}: it needs a complex input "
            "(mini_ad.scipy.special.wofz converts real inputs for you)."
        )
    return _wofz_shape(z, **params)


wofz_p.abstract_eval = _wofz_abstract_eval
wofz_p.lowering = lambda lx, z: lx.jax.scipy.special.wofz(z)


def wofz(z):
    """The Faddeeva function ``w(z) = e^(−z²) erfc(−iz)``, elementwise.

    Args:
      z: a complex array or tracer.

    Returns:
      An array of ``z``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import wofz
      >>> print(np.round(wofz(np.array([0j, 1j])), 8))  # 1 and erfcx(1)
      [1.        +0.j 0.42758358+0.j]
    """
    return wofz_p.bind(z)


# d w = −2z w + 2i/√π (holomorphic: the tangent is multiplied, not conjugated)
defjvp(
    wofz_p,
    lambda t, ans, z: mul(
        t, add(mul(const(z, -2), mul(z, ans)), const(z, 2j / math.sqrt(math.pi)))
    ),
)

# --- hyp1f1 and its derivatives in a and b: three operands ----------------------------------


def _ternary(name, impl, lowering):
    """An elementwise three-operand primitive on real floating operands of one dtype."""
    p = Primitive(name)

    def abstract_eval(a: ShapedArray, b: ShapedArray, x: ShapedArray) -> ShapedArray:
        if not a.dtype == b.dtype == x.dtype:
            raise TypeError(
                f"{name} requires arguments to have the same dtypes, got "
                f"{a.dtype.name}, {b.dtype.name} and {x.dtype.name}."
            )
        shape = binary_shape(name, a, b)
        return ShapedArray(binary_shape(name, ShapedArray(shape, a.dtype), x), a.dtype)

    p.impl = _in_float64(impl)
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    p.lowering = lowering
    return _real_only(p)


def _jax_hyp1f1_grad(argnum):
    """JAX's derivative of its hyp1f1 in operand ``argnum``, elementwise."""

    def lowering(lx, a, b, x):
        grad = lx.jax.grad(lx.jax.scipy.special.hyp1f1, argnum)
        return lx.jnp.vectorize(grad)(a, b, x)

    lowering.__name__ = f"jax_hyp1f1_grad_{argnum}"
    return lowering


hyp1f1_p = _ternary("hyp1f1", hyp1f1_impl, lambda lx, a, b, x: lx.jax.scipy.special.hyp1f1(a, b, x))
hyp1f1_grad_a_p = _ternary("hyp1f1_grad_a", hyp1f1_grad_a_impl, _jax_hyp1f1_grad(0))
hyp1f1_grad_b_p = _ternary("hyp1f1_grad_b", hyp1f1_grad_b_impl, _jax_hyp1f1_grad(1))


def hyp1f1(a, b, x):
    """Kummer's confluent hypergeometric function ``1F1(a; b; x)``, elementwise.

    Args:
      a: a real floating array or tracer.
      b: a real floating array or tracer of ``a``'s dtype.
      x: a real floating array or tracer of ``a``'s dtype.

    Returns:
      An array of the operands' shape (equal, or rank 0) and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import hyp1f1
      >>> print(hyp1f1(np.array(1.0), np.array(2.0), np.array([0.0, 1.0])))  # (e^x − 1)/x
      [1.         1.71828183]
    """
    return hyp1f1_p.bind(a, b, x)


def hyp1f1_grad_a(a, b, x):
    """``∂/∂a 1F1(a; b; x)``, elementwise (not differentiable itself).

    Args:
      a: a real floating array or tracer.
      b: a real floating array or tracer of ``a``'s dtype.
      x: a real floating array or tracer of ``a``'s dtype.

    Returns:
      An array of the operands' shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import hyp1f1_grad_a
      >>> print(hyp1f1_grad_a(np.array(0.0), np.array(1.0), np.array([1.0])))
      [1.31790215]
    """
    return hyp1f1_grad_a_p.bind(a, b, x)


def hyp1f1_grad_b(a, b, x):
    """``∂/∂b 1F1(a; b; x)``, elementwise (not differentiable itself).

    Args:
      a: a real floating array or tracer.
      b: a real floating array or tracer of ``a``'s dtype.
      x: a real floating array or tracer of ``a``'s dtype.

    Returns:
      An array of the operands' shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import hyp1f1_grad_b
      >>> print(hyp1f1_grad_b(np.array(1.0), np.array(1.0), np.array([1.0])))
      [-2.16538222]
    """
    return hyp1f1_grad_b_p.bind(a, b, x)


def _not_differentiable(name):
    def rule(t, ans, *primals):
        raise NotImplementedError(
            f"Differentiation rule for '{name}' not implemented: mini_ad has no second "
            "derivative of hyp1f1 in a or b."
        )

    return rule


# d/dx 1F1(a; b; x) = a/b 1F1(a+1; b+1; x); d/da, d/db by their own series
def _hyp1f1_dx(t, ans, a, b, x):
    one = const(a, 1)
    return mul(t, mul(div(a, b), hyp1f1(add(a, one), add(b, one), x)))


defjvp(
    hyp1f1_p,
    lambda t, ans, a, b, x: mul(t, hyp1f1_grad_a(a, b, x)),
    lambda t, ans, a, b, x: mul(t, hyp1f1_grad_b(a, b, x)),
    _hyp1f1_dx,
)
for _p in (hyp1f1_grad_a_p, hyp1f1_grad_b_p):
    defjvp(_p, *[_not_differentiable(_p.name)] * 3)
for _p in (hyp1f1_p, hyp1f1_grad_a_p, hyp1f1_grad_b_p):
    _p.jet = None
    _p.opt_out("jet", "orders above 1 need the derivatives of hyp1f1_grad_a/_b, not written")
