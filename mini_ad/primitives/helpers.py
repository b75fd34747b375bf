"""Shared rule builders for families of primitives.

``unop``/``binop``/``compare_op`` build an elementwise primitive's impl and shape
rule; ``defjvp`` builds a jvp rule from one derivative per argument;
``def_zero_jvp`` declares a piecewise-constant primitive; ``const`` makes a scalar
of an operand's dtype so rules never change dtypes. ``add_any`` (the sum of two
tangents or cotangents, which ``defjvp`` and the backward pass need) is defined here,
below every family that uses it.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined, zeros  # noqa: F401 - zeros re-exported
from mini_ad.core.avals import ShapedArray, is_inexact
from mini_ad.core.primitive import Primitive, lax_lowering
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.primitives.base import as_array, broadcast_in_dim, reduce_sum
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.taylor import jet_from_jvp, linear_jet, zero_jet


def const(like, value):
    """A 0-d array of ``like``'s dtype (a literal in jaxprs): rules keep dtypes."""
    return np.array(value, dtype=aval_of(like).dtype)


# The NumPy function each lax-level elementwise function agrees with (for its example).
_NUMPY_NAMES = {
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
    "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2", "pow": "power",
    "rem": "fmod", "max": "maximum", "min": "minimum", "add_any": "add", "sub": "subtract",
    "mul": "multiply", "div": "true_divide", "neg": "negative", "eq": "equal",
    "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
    "ge": "greater_equal", "is_finite": "isfinite", "abs": "absolute",
}  # fmt: skip
# References without a NumPy ufunc of their own: (formula, what the example says it is)
_FORMULAS = {
    "logistic": (lambda x: 1 / (1 + np.exp(-x)), "1 / (1 + exp(-x))"),
    "stop_gradient": (lambda x: x, "the identity"),
    "rsqrt": (lambda x: 1 / np.sqrt(x), "1 / sqrt(x)"),
}


def _lax_example(name: str, nargs: int) -> str:
    if name in _FORMULAS:
        reference, described = _FORMULAS[name]
    else:
        reference = getattr(np, _NUMPY_NAMES.get(name, name), None)
        if not isinstance(reference, np.ufunc):
            return ""
        described = f"``numpy.{reference.__name__}``'s"
    if name.startswith("bitwise_"):
        args = [np.array([12, 6]), np.array([5, 3])][:nargs]
    else:
        args = [np.array([1.5, 2.0] if name == "acosh" else [0.25, 0.5]), np.array([0.75, 2.0])]
        args = args[:nargs]
    with np.errstate(all="ignore"):
        expected = reference(*args)
    call = ", ".join(f"np.array({a.tolist()})" for a in args)
    return (
        f"\n\nExample (the expected output is {described}):\n\n"
        ">>> import numpy as np\n>>> from mini_ad import lax\n"
        f">>> print(lax.{name}({call}))\n{np.array2string(expected, separator=' ')}"
    )


def lax_function(p: Primitive, nargs: int = 1, name: str = ""):
    """The lax-level function ``name`` (default: the primitive's name) of an elementwise
    primitive without params, ``f(*operands) = p.bind(*operands)``, with its docstring."""
    name = name or p.name
    if nargs == 1:

        def fn(x):
            return p.bind(x)

    else:

        def fn(x, y):
            return p.bind(x, y)

    operands = "x" if nargs == 1 else "x, y"
    fn.primitive = p  # type: ignore[attr-defined] - mini_ad.numpy's eager fast path reads it
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (
        f"``{name}({operands})``, elementwise: the ``{p.name}`` primitive (JAX: "
        f"``jax.lax.{name}``).\n\nA lax-level function: operands must already "
        "have one dtype and equal shapes (or be rank 0); ``mini_ad.numpy`` promotes and "
        "broadcasts for you.\n\nArgs:\n"
        + "".join(f"    {v}: an array.\n" for v in operands.split(", "))
        + "\nReturns:\n    An array of the operands' shape."
        + _lax_example(name, nargs)
    )
    return fn


def _card_defaults(p: Primitive, impl, lax_name, scalar) -> None:
    """The slots a family fills from its impl: a NumPy ufunc impl is also jit's code,
    and the JAX lowering is ``jax.lax.<lax_name>`` (the primitive's own name by default)."""
    if isinstance(impl, np.ufunc):
        p.ufunc = impl
    p.lowering = lax_lowering(lax_name or p.name)
    p.scalar = scalar


def unop(
    name: str, impl, *, inexact_only: bool = True, lax_name: str | None = None, scalar=None
) -> Primitive:
    """An elementwise one-argument primitive whose output has its input's type.

    ``lax_name``: the ``jax.lax`` function it lowers to (default: ``name``); ``scalar``:
    an IEEE-exact Python template for jit's float64-scalar code (see ``Primitive``).
    """
    p = Primitive(name)
    _card_defaults(p, impl, lax_name, scalar)

    def abstract_eval(x: ShapedArray, **params):
        if inexact_only and not is_inexact(x.dtype):
            raise TypeError(
                f"{name} does not accept dtype {x.dtype.name}: it needs a floating or "
                "complex input (mini_ad.numpy converts integers for you)."
            )
        return x

    p.impl = lambda x, **params: as_array(impl(x, **params))
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    return p


def binary_shape(name: str, x: ShapedArray, y: ShapedArray) -> tuple:
    """Operands agree in shape, or one of them is rank 0 (a scalar operand)."""
    if x.shape == y.shape or not y.shape:
        return x.shape
    if not x.shape:
        return y.shape
    raise ShapeError(
        f"{name} got incompatible shapes {x.shape} and {y.shape}: primitives need equal "
        "shapes or a rank-0 operand (mini_ad.numpy broadcasts for you)."
    )


def binop(
    name: str, impl, *, out_dtype=None, lax_name=None, scalar=None, commutative=False
) -> Primitive:
    """An elementwise two-argument primitive on operands of one dtype (slots as ``unop``)."""
    p = Primitive(name)
    _card_defaults(p, impl, lax_name, scalar)
    p.commutative = commutative

    def abstract_eval(x: ShapedArray, y: ShapedArray, **params):
        if x.dtype != y.dtype:
            raise TypeError(
                f"{name} requires arguments to have the same dtypes, got "
                f"{x.dtype.name} and {y.dtype.name}."
            )
        shape = binary_shape(name, x, y)
        if out_dtype is not None:
            return ShapedArray(shape, out_dtype)
        weak_type = x.weak_type and y.weak_type
        # avals are immutable: an operand's equal aval is shared (one object fewer per
        # equation for the cyclic collector to scan in a long program)
        if shape == x.shape and weak_type == x.weak_type:
            return x
        if shape == y.shape and weak_type == y.weak_type:
            return y
        return ShapedArray(shape, x.dtype, weak_type)

    p.impl = lambda x, y, **params: as_array(impl(x, y))
    p.abstract_eval = abstract_eval
    p.batch = elementwise_batch(p)
    return p


def compare_op(name: str, impl, *, commutative: bool = False) -> Primitive:
    p = binop(name, impl, out_dtype=np.dtype(bool), commutative=commutative)
    def_zero_jvp(p)
    return p


def def_zero_jvp(p: Primitive) -> None:
    """A piecewise-constant primitive: its tangent is a symbolic zero."""

    def jvp(primals, tangents, **params):
        return p.bind(*primals, **params), None

    p.jvp = jvp
    p.jet = zero_jet(p)
    p.opt_out("transpose", "piecewise constant: its derivative is zero, never transposed")


def defjvp(p: Primitive, *rules) -> None:
    """Build ``p.jvp`` from one rule per argument, ``rule(t, ans, *primals, **params)``
    giving that argument's contribution to the output tangent (None: not differentiable).
    """

    def jvp(primals, tangents, **params):
        ans = p.bind(*primals, **params)
        out_shape = aval_of(ans).shape if len(primals) > 1 else None
        total = None
        for rule, t in zip(rules, tangents, strict=True):
            if t is None or rule is None:
                continue
            c = rule(t, ans, *primals, **params)
            if len(primals) > 1 and aval_of(c).shape != out_shape:  # a rank-0 operand's
                c = broadcast_in_dim(c, out_shape, ())
            total = c if total is None else add_any(total, c)
        return ans, total

    p.jvp = jvp
    if p.jet is None:  # Taylor mode from the jvp; cards with a recurrence assign theirs after
        p.jet = jet_from_jvp(p)
    if p.transpose is None:  # linear primitives assign theirs after this
        p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def unbroadcast(ct, aval: ShapedArray):
    """Sum a cotangent down to a rank-0 operand's shape (the only implicit broadcast)."""
    ct_shape = aval_of(ct).shape
    if ct_shape == aval.shape:
        return ct
    return reduce_sum(ct, tuple(range(len(ct_shape))))


# --- add_any ----------------------------------------------------------------------------------

# add_any sums cotangents (JAX: add_any); same as add but always between linear values.
add_any_p = binop("add_any", np.add, lax_name="add", scalar="{0} + {1}", commutative=True)


def add_any(x, y):
    return add_any_p.bind(x, y)


defjvp(add_any_p, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
add_any_p.transpose = lambda ct, x, y: [
    unbroadcast(ct, x.aval) if is_undefined(x) else None,
    unbroadcast(ct, y.aval) if is_undefined(y) else None,
]
add_any_p.jet = linear_jet(add_any_p)


# --- primitives whose math is real-only -------------------------------------------------------


def _is_complex_value(x) -> bool:
    dtype = getattr(x, "dtype", None)
    return type(x) is complex if dtype is None else dtype.kind == "c"


def complex_error(name: str, dtype) -> TypeError:
    return TypeError(
        f"{name} does not accept dtype {np.dtype(dtype).name}: it needs a real floating or "
        "integer input (its math is real-only here, and complex inputs are not accepted)."
    )


def real_only(p: Primitive) -> Primitive:
    """Make ``p`` reject complex operands with a TypeError naming it and the dtype, when
    traced (``abstract_eval``) and eagerly (``impl``, which NumPy might otherwise run on
    complex values and return a silently wrong answer)."""
    impl, abstract_eval = p.impl, p.abstract_eval

    def checked_impl(*args, **params):
        for x in args:
            if _is_complex_value(x):
                raise complex_error(p.name, getattr(x, "dtype", np.complex128))
        return impl(*args, **params)

    def checked_abstract_eval(*avals, **params):
        for a in avals:
            if a.dtype.kind == "c":
                raise complex_error(p.name, a.dtype)
        return abstract_eval(*avals, **params)

    p.impl, p.abstract_eval = checked_impl, checked_abstract_eval
    return p
