"""Quantiles of ``mini_ad.numpy``: ``quantile``, ``percentile``, ``median`` and their ``nan*``
forms (JAX's methods, ``inverted_cdf`` with ``weights`` among them). The reduced axes are
merged into one last axis, sorted, and the wanted order statistics gathered, so the
derivative reaches the elements picked (split between two for the interpolating methods)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import (
    astype,
    broadcast_to,
    promote_dtypes_inexact,
)
from mini_ad.numpy._division import ceil, floor
from mini_ad.numpy._extra import argsort, sort, take_along_axis
from mini_ad.numpy._math import (
    add,
    clip,
    equal,
    greater,
    isnan,
    less,
    logical_not,
    logical_or,
    maximum,
    minimum,
    multiply,
    subtract,
    true_divide,
    where,
)
from mini_ad.numpy._reductions import (
    any as any_,
)
from mini_ad.numpy._reductions import canonical_axes, no_out
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import (
    expand_dims,
    reshape,
    squeeze,
    transpose,
)
from mini_ad.numpy._statistics import cumsum
from mini_ad.primitives import structural as st

_METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf")


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


def _weights_like(weights, a, axis):
    """``weights`` broadcast to ``a``: of ``a``'s shape, or of the reduced axes' shape."""
    shape = aval_of(a).shape
    w_shape = aval_of(weights).shape
    if w_shape == shape:
        return weights
    if axis is None:
        raise ValueError("Weights shape must match 'a' shape when axis is None.")
    axes = canonical_axes(axis, len(shape))
    if w_shape != tuple(shape[i] for i in axes):
        raise ValueError(
            f"Weights shape {w_shape} must match reduction axes {tuple(shape[i] for i in axes)}"
        )
    return st.broadcast_in_dim(weights, shape, axes)


def _inverted_cdf(a, weights, q, n, ignore_nan, full):
    """JAX's ``inverted_cdf``: the first sorted value whose cumulative weight reaches
    ``q`` times the total (negative, NaN and NaN-valued entries weigh nothing)."""
    order = argsort(a, axis=-1)
    sorted_a = take_along_axis(a, order, axis=-1)
    w = take_along_axis(weights, order, axis=-1)
    nan = isnan(sorted_a)
    zero = np.zeros((), aval_of(w).dtype)
    bad_weight = logical_or(less(w, zero), isnan(w))
    cumulative = cumsum(where(logical_or(bad_weight, nan), zero, w), axis=-1)
    target = multiply(q, cumulative[..., -1])  # q times each slice's total weight
    below = less(broadcast_to(cumulative, full + (n,)), expand_dims(target, -1))
    index = sum_(below, axis=-1)
    count = sum_(logical_not(nan), axis=-1) if ignore_nan else n
    index = maximum(0, minimum(index, subtract(count, 1)))
    index = expand_dims(broadcast_to(index, full), -1)
    out = squeeze(take_along_axis(broadcast_to(sorted_a, full + (n,)), index, axis=-1), -1)
    # NaN where a weight is negative or NaN, or the data are NaN (all of them, ignoring NaNs)
    no_data = equal(count, 0) if ignore_nan else any_(nan, axis=-1)
    force_nan = logical_or(any_(bad_weight, axis=-1), no_data)
    return where(force_nan, np.asarray(np.nan, aval_of(out).dtype), out)


def _quantile(a, q, axis, method, keepdims, ignore_nan, weights=None):
    if method not in _METHODS:
        raise ValueError(f"method={method!r} is not one of {_METHODS}")
    if weights is not None:
        if method != "inverted_cdf":
            raise NotImplementedError(
                f"{method} doesn't support weights. Only method 'inverted_cdf' supports weights."
            )
        (w_alone,) = promote_dtypes_inexact(weights, int_to=np.float64)
        if aval_of(w_alone).dtype.kind == "c":
            raise ValueError("Weights cannot be complex types.")
    (a_alone,) = promote_dtypes_inexact(a, int_to=np.float64)
    a, q = promote_dtypes_inexact(a, q, int_to=np.float64)  # NumPy: the result type of a, q
    dtype = aval_of(a).dtype
    ndim = aval_of(a).ndim
    if method == "inverted_cdf":
        if weights is None:
            weights = np.ones(aval_of(a).shape, dtype)
        weights = _weights_like(astype(weights, dtype), a, axis)
        weights = broadcast_to(weights, aval_of(a).shape)
        weights, _ = _axis_last(weights, axis)
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
    if method == "inverted_cdf":
        out = _inverted_cdf(a, weights, q, n, ignore_nan, full)
        return _restore_kept(out, len(q_shape), axes, ndim, keepdims)
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
             keepdims=False, *, weights=None):  # fmt: skip
    """The ``q``-th quantiles (``q`` in [0, 1]) along ``axis``; the result's shape is
    ``q``'s shape followed by the unreduced axes.

    Args:
      a, q: the array and the quantile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"``, ``"midpoint"`` or
        ``"inverted_cdf"`` (the first value whose cumulative weight reaches ``q``).
      weights: for ``"inverted_cdf"`` only: per-entry weights, of ``a``'s shape or the
        reduced axes' shape.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> quantile(np.array([1.0, 2.0, 3.0, 4.0]), 0.5)
    array(2.5)
    """
    no_out("quantile", out, ValueError)
    return _quantile(a, q, axis, method, keepdims, False, weights)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):  # fmt: skip
    """``quantile`` ignoring NaNs (NaN where a slice is all NaN).

    Args:
      a, q: the array and the quantile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"``, ``"midpoint"`` or
        ``"inverted_cdf"`` (the first value whose cumulative weight reaches ``q``).
      weights: for ``"inverted_cdf"`` only: per-entry weights, of ``a``'s shape or the
        reduced axes' shape.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> nanquantile(np.array([1.0, np.nan, 3.0]), 0.5)
    array(2.)
    """
    no_out("nanquantile", out, ValueError)
    return _quantile(a, q, axis, method, keepdims, True, weights)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None):  # fmt: skip
    """The ``q``-th percentiles (``q`` in [0, 100]).

    Args:
      a, q: the array and the percentile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"``, ``"midpoint"`` or
        ``"inverted_cdf"`` (the first value whose cumulative weight reaches ``q``).
      weights: for ``"inverted_cdf"`` only: per-entry weights, of ``a``'s shape or the
        reduced axes' shape.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> percentile(np.array([1.0, 2.0, 3.0]), 50)
    array(2.)
    """
    no_out("percentile", out, ValueError)
    return _quantile(a, _percent(q), axis, method, keepdims, False, weights)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None):  # fmt: skip
    """``percentile`` ignoring NaNs.

    Args:
      a, q: the array and the percentile(s); axis: the axis or axes (None: all).
      method: ``"linear"``, ``"lower"``, ``"higher"``, ``"nearest"``, ``"midpoint"`` or
        ``"inverted_cdf"`` (the first value whose cumulative weight reaches ``q``).
      weights: for ``"inverted_cdf"`` only: per-entry weights, of ``a``'s shape or the
        reduced axes' shape.
      keepdims: keep reduced axes as size 1; overwrite_input: ignored; out: refused.

    >>> nanpercentile(np.array([1.0, np.nan, 3.0]), 100)
    array(3.)
    """
    no_out("nanpercentile", out, ValueError)
    return _quantile(a, _percent(q), axis, method, keepdims, True, weights)


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
