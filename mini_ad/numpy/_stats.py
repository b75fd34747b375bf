"""Order statistics and NaN-aware reductions of ``mini_ad.numpy``: ``quantile``,
``percentile``, ``median`` (and their ``nan`` forms), ``nansum`` ... ``nanargmax``,
and the NaN-aware variance.

Quantiles sort along the axis and gather the two neighbouring order statistics, so the
derivative flows to the elements the result interpolates (as in JAX).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    astype,
    broadcast_to,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._division import ceil, floor
from mini_ad.numpy._extra import sort, take_along_axis
from mini_ad.numpy._math import (
    add,
    clip,
    equal,
    greater,
    isnan,
    logical_not,
    multiply,
    sqrt,
    subtract,
    true_divide,
    where,
)
from mini_ad.numpy._math import where as where_
from mini_ad.numpy._reductions import all as all_
from mini_ad.numpy._reductions import (
    any as any_,
)
from mini_ad.numpy._reductions import argmax, argmin, canonical_axes, no_out, prod
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import (
    expand_dims,
    reshape,
    squeeze,
    transpose,
)
from mini_ad.numpy._statistics import _var_dtype, abs_squared

_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _axis_last(a, axis):
    """``a`` with the reduced axes merged into one last axis, and the reduced axes."""
    ndim = aval_of(a).ndim
    axes = canonical_axes(axis, ndim)
    rest = [i for i in range(ndim) if i not in axes]
    a = transpose(a, rest + list(axes))
    shape = aval_of(a).shape
    return reshape(a, shape[: len(rest)] + (-1,)), axes


def _restore_kept(out, q_ndim, axes, ndim, keepdims):
    if not keepdims:
        return out
    for ax in axes:
        out = expand_dims(out, q_ndim + ax)
    return out


def _quantile(a, q, axis, method, keepdims, ignore_nan):
    if method not in _METHODS:
        raise ValueError(f"method={method!r} is not one of {_METHODS}")
    (a_alone,) = promote_dtypes_inexact(a, int_to=np.float64)
    a, q = promote_dtypes_inexact(a, q, int_to=np.float64)  # NumPy: the result type of a, q
    dtype = aval_of(a).dtype
    ndim = aval_of(a).ndim
    a, axes = _axis_last(a, axis)
    batch = aval_of(a).shape[:-1]
    n = aval_of(a).shape[-1]
    if ignore_nan:
        count = sum_(logical_not(isnan(a)), axis=-1)  # NaNs sort last
        last = astype(subtract(count, 1), dtype)
    else:
        last = np.asarray(n - 1, dtype)
    q_shape = aval_of(q).shape
    q = reshape(q, q_shape + (1,) * len(batch))
    position = multiply(q, last)
    low, high = floor(position), ceil(position)
    if method == "lower":
        high = low
    elif method == "higher":
        low = high
    elif method == "nearest":
        # JAX rounds a tie down (NumPy rounds it to even): the upper only past halfway
        low = high = where(greater(subtract(position, low), 0.5), high, low)
    full = q_shape + tuple(batch)
    sorted_a = broadcast_to(sort(a, axis=-1), full + (n,))

    def at(index):
        index = astype(clip(index, 0, n - 1), np.int64)
        index = expand_dims(broadcast_to(index, full), -1)
        return squeeze(take_along_axis(sorted_a, index, axis=-1), -1)

    lo_value, hi_value = at(low), at(high)
    if method == "midpoint":
        out = multiply(add(lo_value, hi_value), 0.5)
    elif method == "linear":
        frac = subtract(position, low)
        out = add(lo_value, multiply(frac, subtract(hi_value, lo_value)))
    else:
        out = lo_value
    if ignore_nan:
        out = where(equal(count, 0), np.asarray(np.nan, dtype), out)
    else:
        out = where(any_(isnan(a), axis=-1), np.asarray(np.nan, dtype), out)
    if method in ("lower", "higher", "nearest"):  # NumPy: an element of a, in a's dtype
        out = astype(out, aval_of(a_alone).dtype)
    return _restore_kept(out, len(q_shape), axes, ndim, keepdims)


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False):  # fmt: skip
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``; the result's shape is
    ``q``'s shape followed by the unreduced axes.

    Args:
      a, q: the array and the quantile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"`` or ``"midpoint"``.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5)
    array(2.5)
    """
    no_out("quantile", out, ValueError)
    return _quantile(a, q, axis, method, keepdims, ignore_nan=False)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False):  # fmt: skip
    """``quantile`` ignoring NaNs (NaN where a slice is all NaN).

    Args:
      a, q: the array and the quantile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"`` or ``"midpoint"``.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> nanquantile(np.array([1.0, np.nan, 3.0]), 0.5)
    array(2.)
    """
    no_out("nanquantile", out, ValueError)
    return _quantile(a, q, axis, method, keepdims, ignore_nan=True)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False):  # fmt: skip
    """The ``q``-th percentiles (``q`` in [0, 100]).

    Args:
      a, q: the array and the percentile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"`` or ``"midpoint"``.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> percentile(np.array([1.0, 2.0, 3.0]), 50)
    array(2.)
    """
    no_out("percentile", out, ValueError)
    return _quantile(a, _percent(q), axis, method, keepdims, ignore_nan=False)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False):  # fmt: skip
    """``percentile`` ignoring NaNs.

    Args:
      a, q: the array and the percentile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"`` or ``"midpoint"``.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> nanpercentile(np.array([1.0, np.nan, 3.0]), 100)
    array(3.)
    """
    no_out("nanpercentile", out, ValueError)
    return _quantile(a, _percent(q), axis, method, keepdims, ignore_nan=True)


def _percent(q):
    """``q / 100``; a Python number stays one (weak, as NumPy treats it)."""
    return q / 100.0 if isinstance(q, (int, float)) else true_divide(q, 100.0)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median along ``axis``; the derivative is split between the middle elements.

    Args:
      a: an array. axis: the axis or axes (None: all).
      overwrite_input: ignored; out: refused. keepdims: keep reduced axes as size 1.

    >>> median(np.array([3.0, 1.0, 2.0, 5.0]))
    array(2.5)
    """
    no_out("median", out, ValueError)
    return _quantile(a, 0.5, axis, "linear", keepdims, ignore_nan=False)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median ignoring NaNs.

    Args:
      a: an array. axis: the axis or axes (None: all).
      overwrite_input: ignored; out: refused. keepdims: keep reduced axes as size 1.

    >>> nanmedian(np.array([3.0, np.nan, 1.0]))
    array(2.)
    """
    no_out("nanmedian", out, ValueError)
    return _quantile(a, 0.5, axis, "linear", keepdims, ignore_nan=True)


# --- NaN-aware reductions -----------------------------------------------------------------------


def _nan_replaced(a, value):
    (a,) = promote_dtypes(a)
    if aval_of(a).dtype.kind not in "fc":
        return a
    return where(isnan(a), np.asarray(value, aval_of(a).dtype), a)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Sum of the non-NaN entries.

    Args:
      a: an array. axis: the axis or axes (None: all). dtype: the result's dtype.
      out: refused (JAX's ``NotImplementedError``). keepdims: keep reduced axes as size 1.
      initial, where: as for ``sum``.

    >>> nansum(np.array([1.0, np.nan, 2.0]))
    array(3.)
    """
    no_out("nansum", out)
    a = _nan_replaced(a, 0)
    return sum_(a, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial, where=where)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product of the non-NaN entries.

    Args:
      a: an array. axis: the axis or axes (None: all). dtype: the result's dtype.
      out: refused (JAX's ``NotImplementedError``). keepdims: keep reduced axes as size 1.
      initial, where: as for ``prod``.

    >>> nanprod(np.array([2.0, np.nan, 3.0]))
    array(6.)
    """
    no_out("nanprod", out)
    a = _nan_replaced(a, 1)
    return prod(a, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial, where=where)


def _nan_extremum(reduce, a, axis, keepdims, fill, initial, where):
    (a,) = promote_dtypes(a)
    kw = {"axis": axis, "keepdims": keepdims, "initial": initial, "where": where}
    if aval_of(a).dtype.kind not in "fc":
        return reduce(a, **kw)
    out = reduce(_nan_replaced(a, fill), **kw)
    if initial is not None:  # (then JAX gives initial where every entry is NaN)
        return out
    all_nan = all_(isnan(a), axis=axis, keepdims=keepdims, where=where)
    return where_(all_nan, np.asarray(np.nan, aval_of(a).dtype), out)


def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Maximum of the non-NaN entries (NaN where all are NaN).

    Args:
      a: an array. axis: the axis or axes (None: all). keepdims: keep reduced axes.
      out: refused (JAX's ``NotImplementedError``). initial, where: as for ``max``.

    >>> nanmax(np.array([1.0, np.nan, 3.0]))
    array(3.)
    """
    no_out("nanmax", out)
    return _nan_extremum(max_, a, axis, keepdims, -np.inf, initial, where)


def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """Minimum of the non-NaN entries (NaN where all are NaN).

    Args:
      a: an array. axis: the axis or axes (None: all). keepdims: keep reduced axes.
      out: refused (JAX's ``NotImplementedError``). initial, where: as for ``min``.

    >>> nanmin(np.array([1.0, np.nan, 3.0]))
    array(1.)
    """
    no_out("nanmin", out)
    return _nan_extremum(min_, a, axis, keepdims, np.inf, initial, where)


def nanargmax(a, axis=None, out=None, keepdims=False):
    """Index of the maximum ignoring NaNs.

    Args:
      a: an array. axis: the axis (None: all).
      out: refused. keepdims: keep the reduced axes as size 1.

    >>> nanargmax(np.array([1.0, np.nan, 3.0]))
    array(2)
    """
    no_out("nanargmax", out)
    return argmax(_nan_replaced(a, -np.inf), axis=axis, keepdims=keepdims)


def nanargmin(a, axis=None, out=None, keepdims=False):
    """Index of the minimum ignoring NaNs.

    Args:
      a: an array. axis: the axis (None: all).
      out: refused. keepdims: keep the reduced axes as size 1.

    >>> nanargmin(np.array([1.0, np.nan, 3.0]))
    array(0)
    """
    no_out("nanargmin", out)
    return argmin(_nan_replaced(a, np.inf), axis=axis, keepdims=keepdims)


def _valid_count(a, axis, keepdims, where=None):
    return sum_(logical_not(isnan(a)), axis=axis, keepdims=keepdims, where=where)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, where=None):
    """Mean of the non-NaN entries (of those ``where`` selects).

    Args:
      a: an array. axis: the axis or axes (None: all). dtype: the result's dtype.
      out: refused. keepdims: keep the reduced axes as size 1. where: as for ``mean``.

    >>> nanmean(np.array([1.0, np.nan, 3.0]))
    array(2.)
    """
    no_out("nanmean", out)
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    total = nansum(a, axis=axis, dtype=dtype, keepdims=keepdims, where=where)
    count = astype(_valid_count(a, axis, keepdims, where), aval_of(total).dtype)
    out = true_divide(total, count)
    return out if dtype is None else astype(out, dtype)  # integer dtypes truncate, as in JAX


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, mean=None):
    """Variance of the non-NaN entries (NaN entries get a zero derivative).

    Real for complex ``a``; NaN where fewer than ``ddof + 1`` entries are not NaN.

    Args:
      a: an array. axis: the axis or axes (None: all). dtype: the dtype to compute in.
      out: refused. ddof: delta degrees of freedom. keepdims: keep reduced axes.
      where: as for ``var``. mean: the mean to centre on (``nanmean`` with keepdims by
        default).

    >>> nanvar(np.array([1.0, np.nan, 3.0]))
    array(1.)
    """
    no_out("nanvar", out)
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    a = astype(a, _var_dtype(aval_of(a).dtype, dtype))
    valid = logical_not(isnan(a))
    zero = np.zeros((), aval_of(a).dtype)
    if mean is None:
        mean = nanmean(a, axis=axis, keepdims=True, where=where)
    centered = subtract(where_(valid, a, zero), astype(mean, aval_of(a).dtype))
    squares = abs_squared(where_(valid, centered, zero))
    total = sum_(squares, axis=axis, keepdims=keepdims, where=where)
    count = subtract(astype(_valid_count(a, axis, keepdims, where), aval_of(total).dtype), ddof)
    enough = greater(count, 0)
    var = where_(enough, true_divide(total, where_(enough, count, 1)), np.nan)
    return var if dtype is None else astype(var, dtype)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None, mean=None):
    """Standard deviation of the non-NaN entries.

    Args:
      a: an array. axis: the axis or axes (None: all). dtype: the dtype to compute in.
      out: refused. ddof: delta degrees of freedom. keepdims: keep reduced axes.
      where, mean: as for ``nanvar``.

    >>> nanstd(np.array([1.0, np.nan, 3.0]))
    array(1.)
    """
    no_out("nanstd", out)
    kw = {"axis": axis, "dtype": dtype, "ddof": ddof, "keepdims": keepdims, "where": where}
    return sqrt(nanvar(a, mean=mean, **kw))
