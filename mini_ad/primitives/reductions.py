"""Reductions over a tuple of axes: sum (linear), max/min (ties split evenly, as in
JAX), prod, argmax/argmin (integer, no derivative) and cumsum (linear)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import (  # noqa: F401 - reduce_sum re-exported
    _axes,
    _expand_back,
    _kept_dims,
    _reduced_aval,
    as_array,
    broadcast_in_dim,
    def_linear,
    reduce_batch,
    reduce_sum,
    reduce_sum_p,
    reshape,
    transpose,
)
from mini_ad.primitives.elementwise import (
    add_any,
    convert_element_type,
    div,
    eq,
    mul,
)
from mini_ad.primitives.helpers import def_zero_jvp, real_only
from mini_ad.primitives.structural import (
    concatenate,
    slice,  # noqa: A004 - lax's name
)
from mini_ad.primitives.taylor import jet_from_jvp

# --- reduce_max / reduce_min ------------------------------------------------------------------


def _extremum_jvp(p, primals, tangents, *, axes):
    # The tangent is the mean of dx over the positions attaining the extremum.
    (x,), (t,) = primals, tangents
    ans = p.bind(x, axes=axes)
    x_aval = aval_of(x)
    location = convert_element_type(eq(x, _expand_back(ans, x_aval.shape, axes)), x_aval.dtype)
    counts = reduce_sum(location, axes)
    return ans, div(reduce_sum(mul(t, location), axes), counts)


def _extremum(name, impl):
    p = Primitive(name)
    p.impl = lambda x, *, axes: as_array(impl(x, axis=axes, **_empty_identity(x, name)))
    p.abstract_eval = lambda x, *, axes: _reduced_aval(x, axes)
    p.jvp = lambda primals, tangents, *, axes: _extremum_jvp(p, primals, tangents, axes=axes)
    p.batch = reduce_batch(p)
    p.lowering = lambda lx, x, *, axes: getattr(lx.lax, name)(x, axes)
    p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")
    return p


def _empty_identity(x, name):
    """``initial=``: XLA's identity (-inf or the dtype's minimum for max) when empty."""
    x = np.asarray(x)
    if x.size or x.dtype.kind not in "biuf":
        return {}
    kind = x.dtype.kind
    low, high = (-np.inf, np.inf) if kind == "f" else (0, 1) if kind == "b" else (
        np.iinfo(x.dtype).min, np.iinfo(x.dtype).max)  # fmt: skip
    return {"initial": np.asarray(low if name == "reduce_max" else high).astype(x.dtype)}


reduce_max_p = _extremum("reduce_max", np.max)
reduce_min_p = _extremum("reduce_min", np.min)


def reduce_max(x, axes):
    """Maximum of ``x`` over ``axes``, as ``jax.lax.reduce_max``.

    The reduced dims are removed (no keepdims) and the dtype is kept.
    Tied maxima share the derivative evenly, as in JAX.

    Args:
      x: an array or tracer.
      axes: a tuple of non-negative dims to reduce.

    Returns:
      An array of ``x``'s shape without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_max(np.array([[1, 5], [3, 4]]), (1,)))
      [5 4]
    """
    return reduce_max_p.bind(x, axes=_axes(axes))


def reduce_min(x, axes):
    """Minimum of ``x`` over ``axes``, as ``jax.lax.reduce_min``.

    The reduced dims are removed (no keepdims) and the dtype is kept.
    Tied minima share the derivative evenly, as in JAX.

    Args:
      x: an array or tracer.
      axes: a tuple of non-negative dims to reduce.

    Returns:
      An array of ``x``'s shape without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_min(np.array([[1, 5], [3, 4]]), (1,)))
      [1 3]
    """
    return reduce_min_p.bind(x, axes=_axes(axes))


# --- reduce_prod ------------------------------------------------------------------------------

reduce_prod_p = Primitive("reduce_prod")
reduce_prod_p.lowering = lambda lx, x, *, axes: lx.lax.reduce_prod(x, axes)
reduce_prod_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def reduce_prod(x, axes):
    """Product of ``x`` over ``axes``, as ``jax.lax.reduce_prod``.

    The reduced dims are removed (no keepdims) and the dtype is kept.
    The derivative is exact where entries are zero.

    Args:
      x: an array or tracer.
      axes: a tuple of non-negative dims to reduce.

    Returns:
      An array of ``x``'s shape without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_prod(np.array([[1, 5], [3, 4]]), (1,)))
      [ 5 12]
    """
    return reduce_prod_p.bind(x, axes=_axes(axes))


def _reduce_prod_jvp(primals, tangents, *, axes):
    # Forward mode through a balanced tree of pairwise products (exact at zeros):
    # d(ab) = da b + a db, with the reduced axes moved last and flattened.
    (x,), (t,) = primals, tangents
    shape = aval_of(x).shape
    kept = _kept_dims(len(shape), axes)
    perm = kept + tuple(axes)
    out_shape = tuple(shape[i] for i in kept)
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    value = reshape(transpose(x, perm), out_shape + (n,))
    tangent = reshape(transpose(t, perm), out_shape + (n,))
    last = len(out_shape)
    while n > 1:
        if n % 2:
            one = np.ones(out_shape + (1,), aval_of(x).dtype)
            value = concatenate([value, one], last)
            tangent = concatenate([tangent, np.zeros_like(one)], last)
            n += 1

        def half(v, start):
            starts = (0,) * last + (start,)
            return slice(v, starts, out_shape + (n,), (1,) * last + (2,))

        a, b = half(value, 0), half(value, 1)
        ta, tb = half(tangent, 0), half(tangent, 1)
        value, tangent = mul(a, b), add_any(mul(ta, b), mul(a, tb))
        n //= 2
    return reduce_prod(x, axes), reshape(tangent, out_shape)


# dtype=: NumPy's prod and cumsum widen small integers to int64; lax keeps the dtype
reduce_prod_p.impl = lambda x, *, axes: as_array(np.prod(x, axis=axes, dtype=np.asarray(x).dtype))
reduce_prod_p.abstract_eval = lambda x, *, axes: _reduced_aval(x, axes)
reduce_prod_p.jvp = _reduce_prod_jvp
reduce_prod_p.batch = reduce_batch(reduce_prod_p)

# --- argmax / argmin --------------------------------------------------------------------------


def _arg_extremum(name, impl):
    p = Primitive(name)

    def abstract_eval(x, *, axes, index_dtype):
        if len(axes) != 1:
            raise TypeError(f"{name} reduces exactly one axis, got axes={axes}.")
        return _reduced_aval(x, axes, dtype=index_dtype)

    p.impl = lambda x, *, axes, index_dtype: as_array(impl(x, axis=axes[0]).astype(index_dtype))
    p.abstract_eval = abstract_eval
    p.batch = reduce_batch(p)
    def_zero_jvp(p)
    p.lowering = lambda lx, x, *, axes, index_dtype: getattr(lx.lax, name)(x, axes[0], index_dtype)
    return p


# complex numbers are not ordered: a TypeError, as in JAX
argmax_p = real_only(_arg_extremum("argmax", np.argmax))
argmin_p = real_only(_arg_extremum("argmin", np.argmin))


def argmax(x, axis: int, index_dtype=np.int64):
    """Index of the maximum of ``x`` along ``axis``, as ``jax.lax.argmax``.

    The first index wins on ties; NaN counts as the maximum, as in NumPy. Not
    differentiable (the result is an integer array).

    Args:
      x: an array or tracer.
      axis: the dim to reduce (non-negative).
      index_dtype: the integer dtype of the result.

    Returns:
      An ``index_dtype`` array of ``x``'s shape without ``axis``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.argmax(np.array([[1, 5], [7, 4]]), 1))
      [1 0]
    """
    return argmax_p.bind(x, axes=(int(axis),), index_dtype=np.dtype(index_dtype))


def argmin(x, axis: int, index_dtype=np.int64):
    """Index of the minimum of ``x`` along ``axis``, as ``jax.lax.argmin``.

    The first index wins on ties; NaN counts as the minimum, as in NumPy. Not
    differentiable (the result is an integer array).

    Args:
      x: an array or tracer.
      axis: the dim to reduce (non-negative).
      index_dtype: the integer dtype of the result.

    Returns:
      An ``index_dtype`` array of ``x``'s shape without ``axis``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.argmin(np.array([[1, 5], [7, 4]]), 1))
      [0 1]
    """
    return argmin_p.bind(x, axes=(int(axis),), index_dtype=np.dtype(index_dtype))


# --- cumsum -----------------------------------------------------------------------------------

cumsum_p = Primitive("cumsum")
cumsum_p.lowering = lambda lx, x, *, axis, reverse: lx.lax.cumsum(x, axis, reverse)


def cumsum(x, axis: int = 0, reverse: bool = False):
    """Running sum of ``x`` along ``axis``, as ``jax.lax.cumsum``.

    The dtype is kept. Its transpose is the running sum in the other direction.

    Args:
      x: an array or tracer.
      axis: the dim to accumulate along (non-negative).
      reverse: accumulate from the end (``out[i] = sum(x[i:])``).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.cumsum(np.array([1, 2, 3]), 0))
      [1 3 6]
      >>> print(lax.cumsum(np.array([1, 2, 3]), 0, reverse=True))
      [6 5 3]
    """
    if aval_of(x).dtype == np.bool_:
        raise TypeError("cumsum does not accept dtype bool (as in JAX): convert it first.")
    return cumsum_p.bind(x, axis=int(axis), reverse=bool(reverse))


def _cumsum_impl(x, *, axis, reverse):
    dtype = np.asarray(x).dtype
    if reverse:
        return np.flip(np.cumsum(np.flip(x, axis), axis=axis, dtype=dtype), axis)
    return np.cumsum(x, axis=axis, dtype=dtype)


cumsum_p.impl = _cumsum_impl
cumsum_p.abstract_eval = lambda x, *, axis, reverse: x
# the transpose of a running sum is the running sum in the other direction
def_linear(cumsum_p, lambda ct, x, *, axis, reverse: [cumsum(ct, axis, not reverse)])
cumsum_p.batch = lambda axis_size, vals, dims, *, axis, reverse: (
    cumsum(vals[0], axis + (axis >= dims[0]), reverse),
    dims[0],
)

# Taylor mode from the jvps: the extremum's location (piecewise constant) picks the
# coefficients; reduce_prod's pairwise-product tree gives Cauchy products
reduce_max_p.jet = jet_from_jvp(reduce_max_p)
reduce_min_p.jet = jet_from_jvp(reduce_min_p)
reduce_prod_p.jet = jet_from_jvp(reduce_prod_p)
