"""Binning in ``mini_ad.numpy``: ``searchsorted``, ``digitize``, ``bincount`` and the
histograms.

Everything is written as comparisons against the (sorted) edges followed by sums, so
it traces under ``jit``/``vmap`` with static output shapes. Counts and indices have no
derivative; weighted counts are linear in the weights, and ``histogram``'s edges follow
``min``/``max`` of the data, as in JAX.
"""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, astype, promote_dtypes
from mini_ad.numpy._extra import diff, take
from mini_ad.numpy._math import (
    add,
    equal,
    greater_equal,
    isnan,
    less,
    logical_and,
    logical_not,
    logical_or,
    multiply,
    subtract,
    true_divide,
    where,
)
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import concatenate, expand_dims, flip, ravel, reshape
from mini_ad.numpy._stacking import stack
from mini_ad.primitives import structural as st


def _sort_less(x, y):
    """``x < y`` in NumPy's sort order, where NaN is the largest value."""
    if aval_of(x).dtype.kind not in "fc":
        return less(x, y)
    return logical_or(less(x, y), logical_and(isnan(y), logical_not(isnan(x))))


def searchsorted(a, v, side="left", sorter=None, *, method="scan"):
    """Where to insert ``v`` into sorted 1-D ``a`` to keep it sorted (int64 indices).

    Args:
      a: the sorted 1-D array.
      v: the values to insert.
      side: ``"left"`` (first suitable index) or ``"right"`` (last).
      sorter: indices that sort ``a`` (None: ``a`` is sorted).
      method: accepted for NumPy compatibility (ignored).

    Returns:
      int64 indices of ``v``'s shape.

    Examples:
      >>> searchsorted(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.5]))
      array([1, 2])
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    a, v = promote_dtypes(a, v)
    if aval_of(a).ndim != 1:
        raise ValueError("searchsorted: a must be 1-D")
    if sorter is not None:
        a = take(a, _operand(sorter))
    column = expand_dims(v, -1)
    if side == "left":
        before = _sort_less(a, column)
    else:
        before = logical_not(_sort_less(column, a))
    return sum_(before, axis=-1, dtype=np.int64)


def digitize(x, bins, right=False):
    """The index of the bin holding each ``x`` (bins increasing or decreasing).

    Args:
      x: the values.
      bins: the monotonic bin edges.
      right: whether the bins include their right edge instead of the left.

    Returns:
      int64 bin indices of ``x``'s shape.

    Examples:
      >>> digitize(np.array([0.5, 1.5, 3.0]), np.array([1.0, 2.0]))
      array([0, 1, 2])
    """
    x, bins = promote_dtypes(x, bins)
    if aval_of(bins).ndim != 1:
        raise ValueError("digitize: bins must be 1-D")
    n = aval_of(bins).shape[0]
    if n == 0:
        return _operand(np.zeros(aval_of(x).shape, np.int64))  # every x in bin 0, NaN too
    side = "left" if right else "right"
    up = searchsorted(bins, x, side=side)
    down = subtract(np.int64(n), searchsorted(flip(bins), x, side=side))
    first, last = st.slice(bins, (0,), (1,)), st.slice(bins, (n - 1,), (n,))
    increasing = reshape(greater_equal(last, first), ())
    return where(increasing, up, down)


def _weighted_sum(one_hot, weights):
    if weights is None:
        return sum_(one_hot, axis=0, dtype=np.int64)
    return sum_(multiply(astype(one_hot, aval_of(weights).dtype), expand_dims(weights, -1)), 0)


def bincount(x, weights=None, minlength=0, *, length=None):
    """Occurrences of each value in non-negative integer ``x`` (weighted: the sums of
    ``weights``). ``length`` fixes the output size (needed under ``jit``); values at or
    beyond it are dropped.

    Args:
      x: non-negative integers.
      weights: per-entry weights (None: counts).
      minlength: the least output length.
      length: the exact output length.

    Returns:
      The counts (or sums of weights), one per value.

    Examples:
      >>> bincount(np.array([0, 1, 1, 3]))
      array([1, 2, 0, 1])
    """
    x = ravel(_operand(x))
    if aval_of(x).dtype.kind not in "biu":
        raise TypeError("bincount: x must be an integer array")
    if length is None:
        top = max_(x) if aval_of(x).size else np.int64(-1)
        if isinstance(top, Tracer):
            top = top.to_concrete("bincount without length=")
        length = max(int(np.asarray(top)) + 1, int(minlength))
    if weights is not None:
        weights = ravel(_operand(weights))  # NumPy sums in float64; JAX keeps complex
        weights = astype(
            weights, np.complex128 if aval_of(weights).dtype.kind == "c" else np.float64
        )
    one_hot = equal(expand_dims(astype(x, np.int64), -1), np.arange(length))
    return _weighted_sum(one_hot, weights)


def _edges(a, bins, range_, dtype):
    """Bin edges: ``bins + 1`` evenly spaced over ``range_`` (default: the data's
    extent, widened by 0.5 on each side when it is a point), or the given edges."""
    if not isinstance(bins, (int, np.integer)):
        return astype(_operand(bins), np.result_type(dtype, aval_of(_operand(bins)).dtype))
    if range_ is not None:
        lo, hi = (np.asarray(v, dtype) for v in range_)
    elif aval_of(a).size:
        lo, hi = min_(a), max_(a)
    else:
        lo, hi = np.asarray(0.0, dtype), np.asarray(1.0, dtype)
    point = equal(lo, hi)
    lo, hi = where(point, subtract(lo, 0.5), lo), where(point, add(hi, 0.5), hi)
    step = true_divide(subtract(hi, lo), float(bins))
    inner = add(lo, multiply(np.arange(bins, dtype=dtype), step))
    return concatenate([inner, reshape(hi, (1,))])


def _bin_index(a, edges):
    """The bin of each value (the last bin includes its right edge) and validity."""
    n_bins = aval_of(edges).shape[0] - 1
    index = subtract(searchsorted(edges, a, side="right"), 1)
    last_edge = reshape(st.slice(edges, (n_bins,), (n_bins + 1,)), ())
    index = where(equal(a, last_edge), np.int64(n_bins - 1), index)
    inside = logical_and(greater_equal(index, 0), less(index, n_bins))
    return index, inside


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002 - NumPy's name
    """The edges ``histogram`` would use.

    Args:
      a: the data (flattened).
      bins: a bin count or the edges.
      range: ``(low, high)`` (None: the data's extremes).
      weights: accepted for NumPy compatibility (ignored).

    Returns:
      The bin edges.

    Examples:
      >>> histogram_bin_edges(np.array([0.0, 1.0]), bins=2)
      array([0. , 0.5, 1. ])
    """
    a = ravel(_operand(a))
    (a,) = promote_dtypes(a)
    dtype = aval_of(a).dtype if aval_of(a).dtype.kind == "f" else np.dtype(np.float64)
    return _edges(astype(a, dtype), bins, range, dtype)


def histogram(a, bins=10, range=None, weights=None, density=None):  # noqa: A002
    """Counts (int64; weighted sums if ``weights``; a density if ``density``) of ``a``
    in the bins, and the edges.

    Args:
      a: the data (flattened).
      bins: a bin count or the edges.
      range: ``(low, high)`` for a bin count (None: the data's extremes).
      weights: per-entry weights.
      density: normalize to a density.

    Returns:
      The counts and the bin edges.

    Examples:
      >>> histogram(np.array([1.0, 2.0, 2.5]), bins=3)
      (array([1, 0, 2]), array([1. , 1.5, 2. , 2.5]))
    """
    a = ravel(_operand(a))
    edges = histogram_bin_edges(a, bins, range)
    index, inside = _bin_index(astype(a, aval_of(edges).dtype), edges)
    n_bins = aval_of(edges).shape[0] - 1
    one_hot = logical_and(equal(expand_dims(index, -1), np.arange(n_bins)), expand_dims(inside, -1))
    if weights is not None:
        weights = ravel(promote_dtypes(weights, np.zeros((), aval_of(edges).dtype))[0])
    counts = _weighted_sum(one_hot, weights)
    if density:
        counts = astype(counts, aval_of(edges).dtype) if weights is None else counts
        counts = true_divide(true_divide(counts, sum_(counts)), diff(edges))
    return counts, edges


def histogramdd(sample, bins=10, range=None, weights=None, density=None):  # noqa: A002
    """A multidimensional histogram of ``sample`` (``(N, D)``): float64 counts of shape
    ``bins`` and the list of edges per dimension.

    Args:
      sample: the points, ``(N, D)``.
      bins: bin counts or edges, per dimension.
      range: ``(low, high)`` per dimension (None: the data's extremes).
      weights: per-point weights.
      density: normalize to a density.

    Returns:
      The counts and the list of edges.

    Examples:
      >>> histogramdd(np.array([[0.0, 0.0], [1.0, 1.0]]), bins=2)[0]
      array([[1., 0.],
             [0., 1.]])
    """
    sample = _operand(sample)
    if aval_of(sample).ndim == 1:
        sample = reshape(sample, (-1, 1))
    n, d = aval_of(sample).shape
    per_dim = list(bins) if isinstance(bins, (list, tuple)) else [bins] * d
    ranges = list(range) if range is not None else [None] * d
    flat, inside, edges_list, shape = np.zeros((), np.int64), np.asarray(True), [], []
    for k in builtins.range(d):
        column = reshape(st.slice(sample, (0, k), (n, k + 1)), (n,))
        edges = histogram_bin_edges(column, per_dim[k], ranges[k])
        index, ok = _bin_index(astype(column, aval_of(edges).dtype), edges)
        n_bins = aval_of(edges).shape[0] - 1
        flat = add(multiply(flat, np.int64(n_bins)), where(ok, index, 0))
        inside = logical_and(inside, ok)
        edges_list.append(edges)
        shape.append(n_bins)
    cells = int(np.prod(shape))
    one_hot = logical_and(equal(expand_dims(flat, -1), np.arange(cells)), expand_dims(inside, -1))
    w = None if weights is None else astype(ravel(_operand(weights)), np.float64)
    counts = astype(_weighted_sum(one_hot, w), np.float64)
    counts = reshape(counts, tuple(shape))
    if density:
        counts = true_divide(counts, sum_(counts))
        for k, edges in enumerate(edges_list):
            widths_shape = [1] * d
            widths_shape[k] = shape[k]
            counts = true_divide(counts, reshape(diff(edges), tuple(widths_shape)))
    return counts, edges_list


def histogram2d(x, y, bins=10, range=None, weights=None, density=None):  # noqa: A002
    """A 2-D histogram: counts and the x and y edges.

    Args:
      x, y: the coordinates of the points.
      bins: bin counts or edges, per axis.
      range: ``[[xlow, xhigh], [ylow, yhigh]]`` (None: the data's extremes).
      weights: per-point weights.
      density: normalize to a density.

    Returns:
      The counts, the x edges and the y edges.

    Examples:
      >>> histogram2d(np.array([0.0, 1.0]), np.array([0.0, 1.0]), bins=2)[0]
      array([[1., 0.],
             [0., 1.]])
    """
    counts, (x_edges, y_edges) = histogramdd(stack([x, y], axis=-1), bins, range, weights, density)
    return counts, x_edges, y_edges
