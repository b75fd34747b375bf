"""Elementwise primitives with zero derivatives or none, and select and conversion: the
piecewise-constant functions, comparisons, logic, ``select_n`` and
``convert_element_type``. One card each. These sit below the arithmetic and the math,
whose rules use them.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.jaxpr import Var
from mini_ad.core.primitive import Primitive, lax_lowering
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import as_array, broadcast_in_dim
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.helpers import (
    binop,
    compare_op,
    def_zero_jvp,
    lax_function,
    real_only,
    unop,
)  # fmt: skip
from mini_ad.primitives.taylor import linear_jet, zero_jet

# --- piecewise constant ---------------------------------------------------------------------

sign_p = unop("sign", np.sign, inexact_only=False)
floor_p = unop("floor", np.floor)
ceil_p = unop("ceil", np.ceil)


def _round_impl(x, rounding_method=0):
    if rounding_method == 1:  # half to even
        return np.round(x)
    truncated = np.trunc(x)  # half away from zero; x - trunc(x) is exact
    return np.where(np.abs(x - truncated) >= 0.5, truncated + np.sign(x), truncated)


round_p = unop("round", _round_impl)
round_p.lowering = lambda lx, x, *, rounding_method=0: lx.lax.round(x, rounding_method)
is_finite_p = Primitive("is_finite")
is_finite_p.impl = lambda x: as_array(np.isfinite(x))
is_finite_p.abstract_eval = lambda x: ShapedArray(x.shape, np.dtype(bool))
is_finite_p.batch = elementwise_batch(is_finite_p)
is_finite_p.ufunc = np.isfinite
is_finite_p.lowering = lax_lowering("is_finite")
stop_gradient_p = unop("stop_gradient", lambda x: x, inexact_only=False)
for _p in (sign_p, floor_p, ceil_p, round_p, is_finite_p, stop_gradient_p):
    def_zero_jvp(_p)
for _p in (floor_p, ceil_p, round_p, is_finite_p):  # complex: a TypeError, as in JAX
    real_only(_p)


sign = lax_function(sign_p, 1)


floor = lax_function(floor_p, 1)


ceil = lax_function(ceil_p, 1)


def round(x, rounding_method: int = 0):  # noqa: A001 - lax's name
    """Round ``x`` to the nearest integer, elementwise, as ``jax.lax.round``.

    ``rounding_method`` 0 rounds halves away from zero (JAX's default; NumPy's ``round``
    rounds to even), 1 rounds halves to even. The derivative is zero.

    Args:
      x: a floating array or tracer.
      rounding_method: 0 (away from zero) or 1 (to even).

    Returns:
      An array of ``x``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.round(np.array([0.5, 1.5, 2.5, -0.5])))
      [ 1.  2.  3. -1.]
      >>> print(lax.round(np.array([0.5, 1.5, 2.5, -0.5]), 1))
      [ 0.  2.  2. -0.]
    """
    return round_p.bind(x, rounding_method=rounding_method)


is_finite = lax_function(is_finite_p, 1)


stop_gradient = lax_function(stop_gradient_p, 1)


# --- comparisons and logic ------------------------------------------------------------------

eq_p = compare_op("eq", np.equal, commutative=True)
ne_p = compare_op("ne", np.not_equal, commutative=True)
lt_p = compare_op("lt", np.less)
le_p = compare_op("le", np.less_equal)
gt_p = compare_op("gt", np.greater)
ge_p = compare_op("ge", np.greater_equal)
for _p in (lt_p, le_p, gt_p, ge_p):  # complex numbers are not ordered (JAX: a TypeError)
    real_only(_p)


def _logical_or_bitwise(logical, bitwise):
    def impl(x, y):
        dtype = x.dtype if hasattr(x, "dtype") else np.result_type(x)
        return (logical if dtype == np.bool_ else bitwise)(x, y)

    return impl


and_p = binop(
    "and", _logical_or_bitwise(np.logical_and, np.bitwise_and), lax_name="bitwise_and",
    commutative=True,
)  # fmt: skip
or_p = binop(
    "or", _logical_or_bitwise(np.logical_or, np.bitwise_or), lax_name="bitwise_or",
    commutative=True,
)  # fmt: skip
xor_p = binop(
    "xor", _logical_or_bitwise(np.logical_xor, np.bitwise_xor), lax_name="bitwise_xor",
    commutative=True,
)  # fmt: skip
not_p = unop(
    "not",
    lambda x: np.logical_not(x) if np.result_type(x) == np.bool_ else np.invert(x),
    inexact_only=False,
    lax_name="bitwise_not",
)
for _p in (and_p, or_p, xor_p, not_p):
    def_zero_jvp(_p)


eq = lax_function(eq_p, 2)


ne = lax_function(ne_p, 2)


lt = lax_function(lt_p, 2)


le = lax_function(le_p, 2)


gt = lax_function(gt_p, 2)


ge = lax_function(ge_p, 2)


bitwise_and = lax_function(and_p, 2, "bitwise_and")


bitwise_or = lax_function(or_p, 2, "bitwise_or")


bitwise_xor = lax_function(xor_p, 2, "bitwise_xor")


bitwise_not = lax_function(not_p, 1, "bitwise_not")


# --- select and dtype conversion ------------------------------------------------------------

select_n_p = Primitive("select_n")


def select_n(which, *cases):
    """``cases[which]``, elementwise, as ``jax.lax.select_n``.

    With a bool ``which`` there are two cases: ``False`` picks ``cases[0]`` (note the
    order: the reverse of ``where``); an int ``which`` picks among any number. The
    derivative flows only to the selected case.

    Args:
      which: a bool or int array (or scalar) of the cases' shape.
      cases: arrays of one shape and dtype.

    Returns:
      An array of the cases' shape and dtype.

    Raises:
      TypeError: the cases differ in shape or dtype (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.select_n(np.array([True, False]), np.array([1, 2]), np.array([10, 20])))
      [10  2]
    """
    return select_n_p.bind(which, *cases)


def _select_n_impl(which, *cases):
    if len(cases) == 2:
        return as_array(np.where(which, cases[1], cases[0]))
    return as_array(np.choose(which, np.broadcast_arrays(*cases)))


def _select_n_abstract_eval(which, *cases):
    first = cases[0]
    for c in cases[1:]:
        if c.shape != first.shape or c.dtype != first.dtype:
            raise TypeError(
                f"select_n cases must have the same type, got {first.str_short()} and "
                f"{c.str_short()}."
            )
    if which.shape and which.shape != first.shape:
        raise TypeError(
            f"select_n predicate shape {which.shape} must be () or match the cases' "
            f"shape {first.shape}."
        )
    if which.dtype != np.bool_ and which.dtype.kind not in "iu":
        raise TypeError(f"select_n predicate must be bool or int, got {which.dtype.name}.")
    return ShapedArray(first.shape, first.dtype, all(c.weak_type for c in cases))


def _select_n_jvp(primals, tangents, **params):
    which, *cases = primals
    out = select_n(which, *cases)
    if all(t is None for t in tangents[1:]):
        return out, None
    case_tangents = [
        zeros_like(c) if t is None else t for c, t in zip(cases, tangents[1:], strict=True)
    ]
    return out, select_n(which, *case_tangents)


def _select_n_transpose(ct, which, *cases):
    zero = zeros_like(ct)
    cts = [None]
    for i, case in enumerate(cases):
        if _is_undefined(case):
            branches = [zero] * len(cases)
            branches[i] = ct
            cts.append(select_n(which, *branches))
        else:
            cts.append(None)
    return cts


select_n_p.impl = _select_n_impl
select_n_p.abstract_eval = _select_n_abstract_eval
select_n_p.jvp = _select_n_jvp
select_n_p.transpose = _select_n_transpose
# cases must share one shape; only the predicate may stay rank 0 when unbatched
select_n_p.batch = elementwise_batch(select_n_p, keep_rank0=lambda i: i == 0)
select_n_p.codegen = lambda ins, params, out_avals: (
    f"np.where({ins[0]}, {ins[2]}, {ins[1]})" if len(ins) == 3 else None
)
select_n_p.lowering = lambda lx, which, *cases: lx.lax.select_n(which, *cases)

convert_element_type_p = Primitive("convert_element_type")


def convert_element_type(x, new_dtype, weak_type: bool = False):
    """Convert ``x`` to ``new_dtype``, elementwise, as ``jax.lax.convert_element_type``.

    Floats convert to integers by truncation toward zero, saturating as XLA does (NaN gives
    0, values beyond the integer range its ends; NumPy's cast is undefined there). The derivative
    is converted back for floating dtypes and zero for integer ones.

    Args:
      x: an array or tracer.
      new_dtype: anything ``numpy.dtype`` accepts.
      weak_type: whether the result is weakly typed (a Python scalar's promotion rules).

    Returns:
      An array of ``x``'s shape and dtype ``new_dtype``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.convert_element_type(np.array([1.7, -1.7]), np.int32))
      [ 1 -1]
    """
    return convert_element_type_p.bind(
        x, new_dtype=np.dtype(new_dtype), weak_type=weak_type, sharding=None
    )


def _convert_impl(x, *, new_dtype, weak_type, sharding):
    if new_dtype.kind != "c" and np.iscomplexobj(x):  # the real part, as lax does
        x = np.real(x)
    x = np.asarray(x)
    if x.dtype.kind == "f" and new_dtype.kind in "iu":
        return _float_to_int(x, new_dtype)
    return np.asarray(x, dtype=new_dtype)


def _float_to_int(x, new_dtype):
    """XLA's saturating cast (NumPy's is undefined out of range): NaN -> 0, values past the
    integer range -> its ends, the rest truncated toward zero."""
    info = np.iinfo(new_dtype)
    wide = x.astype(np.float64)
    high, low = wide >= float(info.max), wide <= float(info.min)  # float(max) rounds up
    inside = np.where(high | low | np.isnan(wide), 0.0, wide)
    out = inside.astype(new_dtype)
    out[high] = info.max
    out[low] = info.min
    return out


def _convert_jvp(primals, tangents, *, new_dtype, weak_type, sharding):
    (x,), (t,) = primals, tangents
    out = convert_element_type(x, new_dtype, weak_type)
    if t is None or new_dtype.kind not in "fc":
        return out, None
    return out, convert_element_type(t, new_dtype, weak_type)


def _convert_transpose(ct, x, *, new_dtype, weak_type, sharding):
    return [convert_element_type(ct, x.aval.dtype, x.aval.weak_type)]


convert_element_type_p.impl = _convert_impl
convert_element_type_p.abstract_eval = lambda x, *, new_dtype, weak_type, sharding: ShapedArray(
    x.shape, new_dtype, weak_type
)
convert_element_type_p.jvp = _convert_jvp
convert_element_type_p.transpose = _convert_transpose
convert_element_type_p.batch = elementwise_batch(convert_element_type_p)
convert_element_type_p.print_params = lambda params: {
    k: v for k, v in params.items() if k != "sharding"
}
convert_element_type_p.lowering = lambda lx, x, *, new_dtype, **_: lx.lax.convert_element_type(
    x, new_dtype
)


def _convert_simplify(ins, out_aval, producer):  # a conversion to x's own type is x
    x = ins[0]
    if type(x) is Var and (x.aval.shape, x.aval.dtype) == (out_aval.shape, out_aval.dtype):
        return x
    return None


convert_element_type_p.simplify = _convert_simplify


# --- helpers used by rules --------------------------------------------------------------------


def broadcast_like(scalar, x):
    shape = aval_of(x).shape
    return broadcast_in_dim(scalar, shape, ()) if shape else scalar


# Taylor mode: select_n picks coefficients by the primal predicate; a conversion to a float
# type converts each coefficient, one to an integer type has none
select_n_p.jet = linear_jet(select_n_p, slice(1, None))


def _convert_jet(primals, series, *, new_dtype, **params):
    rule = (
        linear_jet(convert_element_type_p)
        if new_dtype.kind in "fc"
        else zero_jet(convert_element_type_p)
    )
    return rule(primals, series, new_dtype=new_dtype, **params)


convert_element_type_p.jet = _convert_jet
