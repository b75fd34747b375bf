"""NaN-aware reductions of ``mini_ad.numpy``: ``nansum`` ... ``nanargmax``, ``nanmean`` and
the NaN-aware variance (the quantiles are in ``_quantile.py``)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    astype,
    promote_dtypes,
    promote_dtypes_inexact,
)
from mini_ad.numpy._math import (
    greater,
    isnan,
    logical_not,
    sqrt,
    subtract,
    true_divide,
    where,
)
from mini_ad.numpy._math import where as where_
from mini_ad.numpy._reductions import all as all_
from mini_ad.numpy._reductions import argmax, argmin, no_out, prod
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._statistics import _var_dtype, abs_squared

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
