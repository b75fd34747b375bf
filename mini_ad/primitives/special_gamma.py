"""Incomplete gamma and beta functions, the Hurwitz zeta function, ``erfcx`` and erfc's
inverse as primitives, with lax's names where lax has them (``igamma``, ``igammac``,
``igamma_grad_a``, ``random_gamma_grad``, ``regularized_incomplete_beta`` (bound by
``betainc``), ``zeta``). The impls (special_gamma_impls.py, special_beta_impls.py)
evaluate in float64 and round a float32 input's result at the end.

Derivatives follow JAX: ``igamma``/``igammac`` in both operands (``∂/∂a`` is
``igamma_grad_a``), ``betainc`` in ``x`` only (a ValueError for ``a`` and ``b``), and
none for ``igamma_grad_a``, ``random_gamma_grad`` and lax's ``zeta`` (NotImplementedError;
``mini_ad.scipy.special.zeta`` adds JAX's rule).
"""

from __future__ import annotations

import math

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.elementwise import add, exp, log, log1p, mul, neg, square, sub
from mini_ad.primitives.helpers import binary_shape, binop, const, defjvp, unop
from mini_ad.primitives.special import _in_float64, _real_only, lgamma
from mini_ad.primitives.special_beta_impls import (
    betainc_impl,
    erfc_inv_impl,
    erfcx_impl,
    zeta_impl,
)
from mini_ad.primitives.special_gamma_impls import (
    igamma_grad_a_impl,
    igamma_impl,
    igammac_impl,
    random_gamma_grad_impl,
)

igamma_p = _real_only(binop("igamma", _in_float64(igamma_impl)))
igammac_p = _real_only(binop("igammac", _in_float64(igammac_impl)))
igamma_grad_a_p = _real_only(binop("igamma_grad_a", _in_float64(igamma_grad_a_impl)))
random_gamma_grad_p = _real_only(binop("random_gamma_grad", _in_float64(random_gamma_grad_impl)))
zeta_p = _real_only(binop("zeta", _in_float64(zeta_impl)))
erfcx_p = _real_only(unop("erfcx", _in_float64(erfcx_impl)))
erfc_inv_p = _real_only(unop("erfc_inv", _in_float64(erfc_inv_impl)))


def _jax_scipy_special(lx):
    import jax.scipy.special  # noqa: F401 - the lowering runs only where JAX is installed

    return lx.jax.scipy.special


erfcx_p.lowering = lambda lx, x: _jax_scipy_special(lx).erfcx(x)
# JAX has no erfc_inv: erfcinv(y) = erfinv(1 - y) (JAX's precision near y = 0)
erfc_inv_p.lowering = lambda lx, y: lx.lax.erf_inv(1 - y)

# --- regularized_incomplete_beta: three operands ------------------------------------------


def _betainc_abstract_eval(a: ShapedArray, b: ShapedArray, x: ShapedArray) -> ShapedArray:
    if not a.dtype == b.dtype == x.dtype:
        raise TypeError(
            "regularized_incomplete_beta requires arguments to have the same dtypes, got "
            f"{a.dtype.name}, {b.dtype.name} and {x.dtype.name}."
        )
    shape = binary_shape("regularized_incomplete_beta", a, b)
    shape = binary_shape("regularized_incomplete_beta", ShapedArray(shape, a.dtype), x)
    return ShapedArray(shape, a.dtype)


regularized_incomplete_beta_p = Primitive("regularized_incomplete_beta")
regularized_incomplete_beta_p.impl = _in_float64(betainc_impl)
regularized_incomplete_beta_p.abstract_eval = _betainc_abstract_eval
regularized_incomplete_beta_p.batch = elementwise_batch(regularized_incomplete_beta_p)
regularized_incomplete_beta_p.lowering = lambda lx, a, b, x: lx.lax.betainc(a, b, x)
_real_only(regularized_incomplete_beta_p)


def _lax_doc(p_name: str, math_text: str, args: str, example: str) -> str:
    return (
        f"{math_text}\n\nThe ``{p_name}`` primitive, elementwise; real floating operands of one "
        "dtype and equal shapes (or rank 0), evaluated in float64.\n\nArgs:\n"
        + "".join(f"  {a}: a real floating array or tracer.\n" for a in args.split(", "))
        + "\nReturns:\n  An array of the operands' shape and dtype.\n\nExamples:\n"
        "  >>> import numpy as np\n  >>> from mini_ad import lax\n" + example
    )


def igamma(a, x):
    return igamma_p.bind(a, x)


def igammac(a, x):
    return igammac_p.bind(a, x)


def igamma_grad_a(a, x):
    return igamma_grad_a_p.bind(a, x)


def random_gamma_grad(a, x):
    return random_gamma_grad_p.bind(a, x)


def betainc(a, b, x):
    return regularized_incomplete_beta_p.bind(a, b, x)


def zeta(x, q):
    return zeta_p.bind(x, q)


def erfcx(x):
    return erfcx_p.bind(x)


def erfc_inv(x):
    return erfc_inv_p.bind(x)


igamma.__doc__ = _lax_doc(
    "igamma",
    "The regularized lower incomplete gamma function ``P(a, x) = γ(a, x)/Γ(a)`` (JAX: "
    "``jax.lax.igamma``); differentiable in both operands.",
    "a, x",
    "  >>> print(lax.igamma(np.array([1.0, 2.0]), np.array([1.0, 1.0])))  # 1 - 1/e, 1 - 2/e\n"
    "  [0.63212056 0.26424112]\n",
)
igammac.__doc__ = _lax_doc(
    "igammac",
    "The regularized upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``, accurate "
    "where it is tiny (JAX: ``jax.lax.igammac``).",
    "a, x",
    "  >>> print(lax.igammac(np.array([1.0, 2.0]), np.array([1.0, 1.0])))  # 1/e, 2/e\n"
    "  [0.36787944 0.73575888]\n",
)
igamma_grad_a.__doc__ = _lax_doc(
    "igamma_grad_a",
    "``∂P(a, x)/∂a`` (JAX: ``jax.lax.igamma_grad_a``); not differentiable itself, as in JAX.",
    "a, x",
    "  >>> print(lax.igamma_grad_a(np.array([1.0]), np.array([1.0])))\n  [-0.43172971]\n",
)
random_gamma_grad.__doc__ = _lax_doc(
    "random_gamma_grad",
    "The derivative ``dx/da`` of a Gamma(a, 1) sample ``x`` at a fixed quantile,\n"
    "``-(∂P/∂a)/(∂P/∂x)`` (JAX: ``jax.lax.random_gamma_grad``); not differentiable itself.",
    "a, x",
    "  >>> print(lax.random_gamma_grad(np.array([1.0]), np.array([1.0])))\n  [1.17356303]\n",
)
betainc.__doc__ = _lax_doc(
    "regularized_incomplete_beta",
    "The regularized incomplete beta function ``I_x(a, b)`` (JAX: ``jax.lax.betainc``);\n"
    "differentiable in ``x`` only, as in JAX (a ValueError for ``a`` and ``b``).",
    "a, b, x",
    "  >>> print(lax.betainc(np.array([2.0]), np.array([3.0]), np.array([0.5])))  # 11/16\n"
    "  [0.6875]\n",
)
zeta.__doc__ = _lax_doc(
    "zeta",
    "The Hurwitz zeta function ``ζ(x, q) = sum_k (q + k)^-x`` for ``x > 1`` (JAX: "
    "``jax.lax.zeta``);\nnot differentiable at this level, as in JAX "
    "(``mini_ad.scipy.special.zeta`` is).",
    "x, q",
    "  >>> print(lax.zeta(np.array([2.0]), np.array([1.0])))  # π²/6\n  [1.64493407]\n",
)
erfcx.__doc__ = _lax_doc(
    "erfcx",
    "The scaled complementary error function ``e^(x²) erfc(x)`` (no lax counterpart: "
    "JAX's is ``jax.scipy.special.erfcx``).",
    "x",
    "  >>> from mini_ad.primitives.special_gamma import erfcx\n"
    "  >>> print(erfcx(np.array([0.0, 30.0])))\n  [1.         0.01879589]\n",
)
erfc_inv.__doc__ = _lax_doc(
    "erfc_inv",
    "The inverse of ``erfc`` on ``[0, 2]``, accurate for tiny arguments (no lax counterpart).",
    "x",
    "  >>> from mini_ad.primitives.special_gamma import erfc_inv\n"
    "  >>> print(erfc_inv(np.array([1.0, 1e-300])))\n  [ 0.         26.20946996]\n",
)


def _not_differentiable(name):
    def rule(t, ans, *primals):
        raise NotImplementedError(f"Differentiation rule for '{name}' not implemented")

    return rule


def _igamma_dx(a, x):
    """∂P/∂x = x^(a-1) e^-x / Γ(a)."""
    return exp(sub(sub(mul(sub(a, const(a, 1)), log(x)), x), lgamma(a)))


def _betainc_a_or_b(t, ans, a, b, x):
    raise ValueError("Betainc gradient with respect to a and b not supported.")


def _betainc_dx(t, ans, a, b, x):
    """∂I/∂x = x^(a-1) (1-x)^(b-1) / B(a, b)."""
    one = const(x, 1)
    log_beta = sub(add(lgamma(a), lgamma(b)), lgamma(add(a, b)))
    exponent = add(mul(sub(a, one), log(x)), mul(sub(b, one), log1p(neg(x))))
    return mul(t, exp(sub(exponent, log_beta)))


defjvp(
    igamma_p,
    lambda t, ans, a, x: mul(t, igamma_grad_a(a, x)),
    lambda t, ans, a, x: mul(t, _igamma_dx(a, x)),
)
defjvp(
    igammac_p,
    lambda t, ans, a, x: neg(mul(t, igamma_grad_a(a, x))),
    lambda t, ans, a, x: neg(mul(t, _igamma_dx(a, x))),
)
defjvp(igamma_grad_a_p, _not_differentiable("igamma_grad_a"), _not_differentiable("igamma_grad_a"))
defjvp(
    random_gamma_grad_p,
    _not_differentiable("random_gamma_grad"),
    _not_differentiable("random_gamma_grad"),
)
defjvp(zeta_p, _not_differentiable("zeta"), _not_differentiable("zeta"))
defjvp(regularized_incomplete_beta_p, _betainc_a_or_b, _betainc_a_or_b, _betainc_dx)
# d erfcx = 2x erfcx(x) - 2/√π
defjvp(
    erfcx_p,
    lambda t, ans, x: mul(t, sub(mul(const(x, 2), mul(x, ans)), const(x, 2 / math.sqrt(math.pi)))),
)
# d erfcinv(y) = -√π/2 e^(erfcinv(y)²)
defjvp(
    erfc_inv_p,
    lambda t, ans, y: mul(t, mul(const(y, -math.sqrt(math.pi) / 2), exp(square(ans)))),
)
for _p in (igamma_p, igammac_p):
    _p.jet = None
    _p.opt_out("jet", "orders above 1 need igamma_grad_a's derivative, which JAX lacks too")
