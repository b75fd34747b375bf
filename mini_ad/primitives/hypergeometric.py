"""The Faddeeva function ``wofz`` and the hypergeometric functions ``hyp1f1`` and
``hyp2f1`` as elementwise primitives, with their derivatives in the parameters
(``hyp1f1_grad_a``, ``_b``; ``hyp2f1_grad_a``, ``_b``, ``_c``; themselves not
differentiable: a NotImplementedError, as ``igamma_grad_a``).
Impls in hypergeometric_impls.py (float64, or complex128 for ``wofz``). JAX has no lax
primitives for these: each lowers to ``jax.scipy.special``'s function (the ``a``/``b``
derivatives to its gradient).
"""

from __future__ import annotations

import functools
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
    hyp2f1_grad_a_impl,
    hyp2f1_grad_b_impl,
    hyp2f1_grad_c_impl,
    hyp2f1_impl,
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


def _elementwise(name, impl, lowering):
    """An elementwise primitive of three or four real floating operands of one dtype."""
    p = Primitive(name)

    def abstract_eval(*avals: ShapedArray) -> ShapedArray:
        if len({aval.dtype for aval in avals}) > 1:
            dtypes = ", ".join(aval.dtype.name for aval in avals)
            raise TypeError(f"{name} requires arguments to have the same dtypes, got {dtypes}.")
        out = avals[0]
        for aval in avals[1:]:
            out = ShapedArray(binary_shape(name, out, aval), out.dtype)
        return out

    p.impl = _in_float64(impl)
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    p.lowering = lowering
    return _real_only(p)


def _jax_scipy(name):
    def lowering(lx, *args):
        return getattr(lx.jax.scipy.special, name)(*args)

    lowering.__name__ = f"jax_scipy_special_{name}"
    return lowering


def _jax_grad(name, argnum):
    """JAX's derivative of its ``name`` in operand ``argnum``, elementwise."""

    def lowering(lx, *args):
        grad = lx.jax.grad(getattr(lx.jax.scipy.special, name), argnum)
        return lx.jnp.vectorize(grad)(*args)

    lowering.__name__ = f"jax_{name}_grad_{argnum}"
    return lowering


hyp1f1_p = _elementwise("hyp1f1", hyp1f1_impl, _jax_scipy("hyp1f1"))
hyp1f1_grad_a_p = _elementwise("hyp1f1_grad_a", hyp1f1_grad_a_impl, _jax_grad("hyp1f1", 0))
hyp1f1_grad_b_p = _elementwise("hyp1f1_grad_b", hyp1f1_grad_b_impl, _jax_grad("hyp1f1", 1))


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
    family = name.split("_grad")[0]

    def rule(t, ans, *primals):
        raise NotImplementedError(
            f"Differentiation rule for '{name}' not implemented: mini_ad has no second "
            f"derivative of {family} in its parameters."
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

# --- hyp2f1 and its derivatives in a, b and c: four operands ------------------------------------

hyp2f1_p = _elementwise("hyp2f1", hyp2f1_impl, _jax_scipy("hyp2f1"))
hyp2f1_grad_a_p = _elementwise("hyp2f1_grad_a", hyp2f1_grad_a_impl, _jax_grad("hyp2f1", 0))
hyp2f1_grad_b_p = _elementwise("hyp2f1_grad_b", hyp2f1_grad_b_impl, _jax_grad("hyp2f1", 1))
hyp2f1_grad_c_p = _elementwise("hyp2f1_grad_c", hyp2f1_grad_c_impl, _jax_grad("hyp2f1", 2))


def hyp2f1(a, b, c, x):
    """Gauss's hypergeometric function ``2F1(a, b; c; x)``, elementwise, for real x < 1.

    Args:
      a: a real floating array or tracer.
      b: a real floating array or tracer of ``a``'s dtype.
      c: a real floating array or tracer of ``a``'s dtype.
      x: a real floating array or tracer of ``a``'s dtype.

    Returns:
      An array of the operands' shape (equal, or rank 0) and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import hyp2f1
      >>> one = np.array(1.0)
      >>> print(hyp2f1(one, one, np.array(2.0), np.array([-1.0, 0.5])))  # −log(1 − x)/x
      [0.69314718 1.38629436]
    """
    return hyp2f1_p.bind(a, b, c, x)


def _hyp2f1_grad_doc(fun, name):
    fun.__doc__ = f"""``∂/∂{name} 2F1(a, b; c; x)``, elementwise (not differentiable itself).

    Args:
      a: a real floating array or tracer.
      b: a real floating array or tracer of ``a``'s dtype.
      c: a real floating array or tracer of ``a``'s dtype.
      x: a real floating array or tracer of ``a``'s dtype.

    Returns:
      An array of the operands' shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.primitives.hypergeometric import hyp2f1_grad_{name}
      >>> one = np.array(1.0)
      >>> print(np.round(hyp2f1_grad_{name}(one, one, np.array(2.0), np.array([0.5])), 8))
      [{_GRAD_EXAMPLES[name]}]
    """
    return fun


_GRAD_EXAMPLES = {"a": "0.48045301", "b": "0.48045301", "c": "-0.25863971"}


@functools.partial(_hyp2f1_grad_doc, name="a")
def hyp2f1_grad_a(a, b, c, x):
    return hyp2f1_grad_a_p.bind(a, b, c, x)


@functools.partial(_hyp2f1_grad_doc, name="b")
def hyp2f1_grad_b(a, b, c, x):
    return hyp2f1_grad_b_p.bind(a, b, c, x)


@functools.partial(_hyp2f1_grad_doc, name="c")
def hyp2f1_grad_c(a, b, c, x):
    return hyp2f1_grad_c_p.bind(a, b, c, x)


# d/dx 2F1(a, b; c; x) = ab/c 2F1(a+1, b+1; c+1; x); d/da, d/db, d/dc by their series
def _hyp2f1_dx(t, ans, a, b, c, x):
    one = const(a, 1)
    shifted = hyp2f1(add(a, one), add(b, one), add(c, one), x)
    return mul(t, mul(div(mul(a, b), c), shifted))


defjvp(
    hyp2f1_p,
    lambda t, ans, a, b, c, x: mul(t, hyp2f1_grad_a(a, b, c, x)),
    lambda t, ans, a, b, c, x: mul(t, hyp2f1_grad_b(a, b, c, x)),
    lambda t, ans, a, b, c, x: mul(t, hyp2f1_grad_c(a, b, c, x)),
    _hyp2f1_dx,
)
_GRADS = (hyp1f1_grad_a_p, hyp1f1_grad_b_p, hyp2f1_grad_a_p, hyp2f1_grad_b_p, hyp2f1_grad_c_p)
for _p in _GRADS:
    defjvp(_p, *[_not_differentiable(_p.name)] * (4 if _p.name.startswith("hyp2f1") else 3))
for _p in (hyp1f1_p, hyp2f1_p, *_GRADS):
    _p.jet = None
    _p.opt_out("jet", "orders above 1 need the derivatives of the _grad_ primitives, not written")
