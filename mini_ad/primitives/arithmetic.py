"""Elementwise arithmetic: ``add sub neg mul div max min integer_pow``, one card each.

Binary primitives take operands of one dtype whose shapes agree or one of which is
rank 0; ``mini_ad.numpy`` promotes and broadcasts before binding. Linear ones declare a
transpose, and ``simplify`` rules drop exact identities under jit (``x * 1``, ``-(-x)``).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like
from mini_ad.core.jaxpr import Literal, Var
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import as_array, broadcast_in_dim
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.helpers import (
    binop,
    const,
    defjvp,
    lax_function,
    unbroadcast,
    unop,
)  # fmt: skip
from mini_ad.primitives.logic import convert_element_type, eq
from mini_ad.primitives.taylor import bilinear_jet, linear_jet

# --- linear arithmetic ------------------------------------------------------------------

add_p = binop("add", np.add, scalar="{0} + {1}", commutative=True)


add = lax_function(add_p, 2)


# d (x + y) = dx + dy
defjvp(add_p, lambda t, ans, x, y: t, lambda t, ans, x, y: t)
add_p.transpose = lambda ct, x, y: [
    unbroadcast(ct, x.aval) if _is_undefined(x) else None,
    unbroadcast(ct, y.aval) if _is_undefined(y) else None,
]

sub_p = binop("sub", np.subtract, scalar="{0} - {1}")


sub = lax_function(sub_p, 2)


# d (x - y) = dx - dy
defjvp(sub_p, lambda t, ans, x, y: t, lambda t, ans, x, y: neg(t))
sub_p.transpose = lambda ct, x, y: [
    unbroadcast(ct, x.aval) if _is_undefined(x) else None,
    unbroadcast(neg(ct), y.aval) if _is_undefined(y) else None,
]

neg_p = unop("neg", np.negative, inexact_only=False, scalar="-{0}")


neg = lax_function(neg_p, 1)


defjvp(neg_p, lambda t, ans, x: neg(t))  # d (-x) = -dx
neg_p.transpose = lambda ct, x: [neg(ct)]


def _neg_simplify(ins, out_aval, producer):  # -(-x) = x
    inner = producer(ins[0])
    if inner is not None and inner.primitive is neg_p and type(inner.inputs[0]) is Var:
        return inner.inputs[0] if inner.inputs[0].aval.shape == out_aval.shape else None
    return None


neg_p.simplify = _neg_simplify

mul_p = binop("mul", np.multiply, scalar="{0} * {1}", commutative=True)


mul = lax_function(mul_p, 2)


# d (x y) = dx y + x dy; linear in whichever operand is undefined
defjvp(mul_p, lambda t, ans, x, y: mul(t, y), lambda t, ans, x, y: mul(x, t))


def _mul_transpose(ct, x, y):
    if _is_undefined(x):
        return [unbroadcast(mul(ct, y), x.aval), None]
    return [None, unbroadcast(mul(x, ct), y.aval)]


mul_p.transpose = _mul_transpose


def _is_literal_one(x) -> bool:
    if type(x) is not Literal or x.aval.dtype.kind not in "fc":
        return False
    if not x.aval.shape:
        return x.val == 1
    if x.aval.dtype.kind != "f":
        return False
    # a folded broadcast of 1.0 (the seed of a sum's cotangent): x * ones = x, bit for bit
    val = np.asarray(x.val)
    if not any(val.strides):  # every element is the first one
        return val.size > 0 and val.ravel()[:1][0] == 1
    return bool(np.all(val == 1))


def _mul_simplify(ins, out_aval, producer):  # x * 1 = x, bit for bit
    x, y = ins
    one, other = (y, x) if type(x) is Var else (x, y)  # (1 * 1 has no Var: kept)
    if type(other) is Var and _is_literal_one(one):
        if other.aval.shape == out_aval.shape and other.aval.dtype == out_aval.dtype:
            return other
    return None


mul_p.simplify = _mul_simplify


def _div_impl(x, y):
    x_dtype = x.dtype if hasattr(x, "dtype") else np.result_type(x)
    if x_dtype.kind in "iu":  # lax.div rounds integers toward zero; x / 0 is -1 (all ones)
        x, y = np.asarray(x), np.asarray(y)
        zero = y == 0
        y = np.where(zero, np.ones((), y.dtype), y)
        with np.errstate(over="ignore"):  # INT_MIN / -1 wraps to INT_MIN, as in XLA
            q = np.floor_divide(x, y)
            q = np.where((np.remainder(x, y) != 0) & ((np.sign(x) * np.sign(y)) < 0), q + 1, q)
        return np.where(zero, np.array(-1).astype(q.dtype), q)
    return np.true_divide(x, y)


div_p = binop("div", _div_impl, scalar="{0} / {1}")


div = lax_function(div_p, 2)


# d (x / y) = dx / y - dy x / y²
defjvp(
    div_p,
    lambda t, ans, x, y: div(t, y),
    lambda t, ans, x, y: mul(mul(neg(t), x), integer_pow(y, -2)),
)


def _div_transpose(ct, x, y):
    if _is_undefined(y):
        raise TypeError("div is linear only in its numerator; cannot transpose the denominator")
    return [unbroadcast(div(ct, y), x.aval), None]


div_p.transpose = _div_transpose
# floats: exactly np.true_divide; integers round toward zero in the impl
div_p.codegen = lambda ins, params, out_avals: (
    f"np.true_divide({ins[0]}, {ins[1]})" if out_avals[0].dtype.kind in "fc" else None
)


# complex operands order lexicographically (real part, then imaginary), as NumPy and JAX do
max_p = binop("max", np.maximum, commutative=True)
min_p = binop("min", np.minimum, commutative=True)


max = lax_function(max_p, 2)  # noqa: A001 - lax's name


min = lax_function(min_p, 2)  # noqa: A001 - lax's name


def _balanced_weight(x, other, ans):
    """JAX's weight of ``x`` in ``ans = max(x, other)`` (or min): 1 where ``ans`` is
    ``x`` alone, 0.5 where both operands equal it (a tie), 0 elsewhere. Written with
    equality only, so it serves complex operands too."""
    dtype = aval_of(x).dtype
    picked = convert_element_type(eq(x, ans), dtype)
    tie = convert_element_type(eq(other, ans), dtype)
    return mul(picked, sub(const(x, 1), mul(tie, const(x, 0.5))))


# d max(x, y) = dx [x is the max] + dy [y is the max], ties split 0.5 / 0.5 (min alike)
for _p in (max_p, min_p):
    defjvp(
        _p,
        lambda t, ans, x, y: mul(t, _balanced_weight(x, y, ans)),
        lambda t, ans, x, y: mul(t, _balanced_weight(y, x, ans)),
    )


integer_pow_p = Primitive("integer_pow")


def integer_pow(x, y: int):
    """``x ** y`` for a static integer exponent ``y``, elementwise, as ``jax.lax.integer_pow``.

    The dtype is kept. Derivative: ``y x^(y−1)``, which is finite at ``x = 0`` for
    ``y >= 1`` (unlike ``pow``'s derivative in the exponent form).

    Args:
      x: an array or tracer.
      y: a Python int (may be negative for floating ``x``).

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.integer_pow(np.array([1.5, -2.0]), 3))
      [ 3.375 -8.   ]
    """
    return integer_pow_p.bind(x, y=y)


def _integer_pow_impl(x, *, y):
    return as_array(np.multiply(x, x) if y == 2 else np.power(x, y))


integer_pow_p.impl = _integer_pow_impl
integer_pow_p.fresh_output = True  # np.multiply / np.power: a new array, never a view
integer_pow_p.abstract_eval = lambda x, *, y: x
integer_pow_p.batch = elementwise_batch(integer_pow_p)


def _integer_pow_jvp(t, ans, x, *, y):  # d x^y = y x^(y-1)
    if y == 0:
        return zeros_like(t)
    if y == 1:
        return t
    x_to_y_minus_1 = x if y == 2 else integer_pow(x, y - 1)
    return mul(t, mul(const(x, y), x_to_y_minus_1))


defjvp(integer_pow_p, _integer_pow_jvp)
integer_pow_p.codegen = lambda ins, params, out_avals: (
    f"np.multiply({ins[0]}, {ins[0]})" if params["y"] == 2 else f"np.power({ins[0]}, {params['y']})"
)
integer_pow_p.scalar = lambda ins, params: f"{ins[0]} * {ins[0]}" if params["y"] == 2 else None
integer_pow_p.lowering = lambda lx, x, *, y: lx.lax.integer_pow(x, y)


# --- Taylor rules (normalized coefficients, see primitives/taylor.py) ---------------------------


def _add_terms(a, b, shape):
    """``a + b`` with ``None`` as zero, broadcast to the output ``shape``."""
    if a is None and b is None:
        return None
    if a is None or b is None:
        c = a if b is None else b
        return c if aval_of(c).shape == shape else broadcast_in_dim(c, shape, ())
    return add(a, b)


def _sum_jet(p, negate_y: bool):
    def rule(primals, series):
        out = p.bind(*primals)
        shape = aval_of(out).shape
        ys = [None if t is None else neg(t) for t in series[1]] if negate_y else series[1]
        return out, [_add_terms(a, b, shape) for a, b in zip(series[0], ys, strict=True)]

    return rule


def series_mul(a: list, b: list) -> list:
    """The Cauchy product of two full series ``[x0, x1, ..]`` (None: zero)."""
    out = []
    for k in range(len(a)):
        total = None
        for j in range(k + 1):
            if a[j] is not None and b[k - j] is not None:
                z = mul(a[j], b[k - j])
                total = z if total is None else add(total, z)
        out.append(total)
    return out


def series_div(x: list, z: list, y0=None) -> list:
    """``x / z`` of full series: ``y_k = (x_k - Σ_{j=1..k} z_j y_{k-j}) / z_0``."""
    y = [div(x[0], z[0]) if y0 is None else y0]
    for k in range(1, len(x)):
        total = x[k]
        for j in range(1, k + 1):
            if z[j] is not None and y[k - j] is not None:
                s = mul(z[j], y[k - j])
                total = neg(s) if total is None else sub(total, s)
        y.append(None if total is None else div(total, z[0]))
    return y


def _div_jet(primals, series):
    x, z = primals
    y = series_div([x, *series[0]], [z, *series[1]], div(x, z))
    return y[0], y[1:]


def _integer_pow_jet(primals, series, *, y):
    # binary powering by Cauchy products (exact at x0 = 0); negative powers divide 1 by it
    x = [primals[0], *series[0]]
    out = integer_pow(primals[0], y)
    if y == 0:
        return out, None
    result, base, n = None, x, abs(y)
    while n:
        if n & 1:
            result = base if result is None else series_mul(result, base)
        n >>= 1
        if n:
            base = series_mul(base, base)
    if y < 0:
        one = [const(primals[0], 1)] + [None] * (len(x) - 1)
        result = series_div(one, result, out)
    return out, result[1:]


add_p.jet = _sum_jet(add_p, negate_y=False)
sub_p.jet = _sum_jet(sub_p, negate_y=True)
neg_p.jet = linear_jet(neg_p)
mul_p.jet = bilinear_jet(mul_p, add)
div_p.jet = _div_jet
integer_pow_p.jet = _integer_pow_jet
