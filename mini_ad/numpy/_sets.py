"""Data-dependent selections of ``mini_ad.numpy``: ``nonzero``, ``argwhere``, ``flatnonzero``,
``extract``, ``compress``, ``unique`` (and the array API's ``unique_*``), and the set operations.

Their output shape depends on values. As in JAX, ``size=`` fixes it (entries past the data read
``fill_value``), which works under ``jit`` and ``vmap``; without ``size`` the values must be
concrete (they are under ``grad``/``jvp``; under ``jit`` this raises the concretization error).
Positions come from a stable ``argsort`` of the mask (the true entries first, in order); values
are gathered from the input, so the derivative reaches the selected elements (``unique``: the
first occurrence with ``size=``, else none, as JAX).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, astype, promote_dtypes
from mini_ad.numpy._division import floor_divide, remainder
from mini_ad.numpy._extra import argsort, take
from mini_ad.numpy._math import (
    equal,
    isnan,
    less,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
    stop_gradient,
    subtract,
)
from mini_ad.numpy._math import where as select_where
from mini_ad.numpy._reductions import any as any_
from mini_ad.numpy._reductions import argmax
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import concatenate, expand_dims, ravel, reshape
from mini_ad.numpy._stacking import stack
from mini_ad.numpy._statistics import cumsum
from mini_ad.primitives import structural as st


def _concrete_count(mask, name) -> int:
    """The number of true entries, which needs a concrete mask."""
    total = sum_(mask)
    if isinstance(total, Tracer):
        total = total.to_concrete(f"{name} without size=")
    return int(np.asarray(total))


def _positions(mask, size, name):
    """``(pos, valid)``: the flat positions of the first ``size`` true entries of 1-D
    ``mask`` in order (past the last one: ``n``), and which of them exist."""
    n = aval_of(mask).shape[0]
    if size is None:
        size = _concrete_count(mask, name)
    order = argsort(logical_not(mask), stable=True)
    if size <= n:
        pos = st.slice(order, (0,), (size,)) if size < n else order
    else:
        pos = st.pad(order, np.asarray(n, np.int64), ((0, size - n, 0),))
    rank = np.arange(size)
    valid = less(rank, sum_(astype(mask, np.int64)))
    return where(valid, pos, np.asarray(n, np.int64)), valid


def _select(values, mask, size, fill_value, name):
    """``values[mask]`` (1-D), padded to ``size`` with ``fill_value`` (default: the first
    selected value); also the positions and their validity."""
    pos, valid = _positions(mask, size, name)
    n = aval_of(values).shape[0]
    safe = where(valid, pos, np.zeros((), np.int64))
    out = take(values, safe, mode="clip") if n else _empty_like(values, aval_of(pos).shape)
    if fill_value is None:  # the first selected value, 0 when none is (as in JAX)
        k = np.zeros((1,), np.int64)
        fill_value = select_where(take(valid, k), take(out, k), 0) if aval_of(out).size else 0
    return where(valid, out, astype(fill_value, aval_of(out).dtype)), pos, valid


def _empty_like(values, shape):
    return np.zeros(shape, aval_of(values).dtype)


def nonzero(a, *, size=None, fill_value=None):
    """Indices of the nonzero entries of ``a``, one int64 array per axis.

    >>> nonzero(np.array([[0, 1], [2, 0]]))
    (array([0, 1]), array([1, 0]))
    >>> nonzero(np.array([0, 3]), size=3, fill_value=-1)
    (array([ 1, -1, -1]),)
    """
    a = _operand(a)
    shape = aval_of(a).shape
    if not shape:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use atleast_1d.")
    pos, valid = _positions(ravel(not_equal(a, 0)), size, "nonzero")
    fills = fill_value if isinstance(fill_value, (tuple, list)) else [fill_value] * len(shape)
    out, rest = [], pos
    for i in reversed(range(len(shape))):
        index = remainder(rest, shape[i]) if i else rest
        rest = floor_divide(rest, shape[i])
        fill = 0 if fills[i] is None else fills[i]
        out.append(where(valid, index, astype(fill, np.int64)))
    return tuple(reversed(out))


def where(condition, x=None, y=None, /, *, size=None, fill_value=None):
    """``x`` where ``condition`` holds, else ``y`` (elementwise, broadcasting); with
    only ``condition``, ``nonzero(condition, size=, fill_value=)``.

    >>> where(np.array([True, False]), 1.0, 2.0)
    array([1., 2.])
    >>> where(np.array([0, 3, 4]))
    (array([1, 2]),)
    """
    if x is None and y is None:
        return nonzero(condition, size=size, fill_value=fill_value)
    if x is None or y is None:
        raise ValueError("Either both or neither of x and y should be given")
    return select_where(condition, x, y)


def flatnonzero(a, *, size=None, fill_value=None):
    """Indices of the nonzero entries of ``ravel(a)`` (to ``size`` with ``fill_value``).

    >>> flatnonzero(np.array([[0, 1], [2, 0]]))
    array([1, 2])
    """
    return nonzero(ravel(a), size=size, fill_value=fill_value)[0]


def argwhere(a, *, size=None, fill_value=None):
    """Nonzero entries' indices as rows of an ``(n, a.ndim)`` array (``size``, ``fill_value``).

    >>> argwhere(np.array([[0, 1], [2, 0]]))
    array([[0, 1],
           [1, 0]])
    """
    a = _operand(a)
    if aval_of(a).ndim == 0:  # one empty row per nonzero entry of the 1-element view
        rows = aval_of(nonzero(reshape(a, (1,)), size=size)[0]).shape[0]
        return _operand(np.zeros((rows, 0), np.int64))
    return stack(nonzero(a, size=size, fill_value=fill_value), axis=1)


def extract(condition, arr, *, size=None, fill_value=0):
    """``ravel(arr)[ravel(condition) != 0]`` (cut or padded to ``size`` with ``fill_value``).

    >>> extract(np.array([True, False, True]), np.array([1.0, 2.0, 3.0]))
    array([1., 3.])
    """
    mask = not_equal(ravel(_operand(condition)), 0)
    return _select(ravel(arr), mask, size, fill_value, "extract")[0]


def compress(condition, a, axis=None, *, size=None, fill_value=0):
    """Slices of ``a`` along ``axis`` where 1-D ``condition`` holds (``size``, ``fill_value``).

    >>> compress([False, True], np.array([[1.0, 2.0], [3.0, 4.0]]), axis=0)
    array([[3., 4.]])
    """
    a = _operand(a)
    if axis is None:
        a, axis = ravel(a), 0
    condition = not_equal(ravel(_operand(condition)), 0)
    n = aval_of(a).shape[axis]
    m = aval_of(condition).shape[0]
    if m > n:
        raise ValueError(f"compress: condition of length {m} is longer than the axis ({n})")
    if m < n:
        condition = st.pad(condition, np.asarray(False), ((0, n - m, 0),))
    pos, valid = _positions(condition, size, "compress")
    out = take(a, where(valid, pos, np.zeros((), np.int64)), axis=axis, mode="clip")
    shape = [1] * aval_of(out).ndim
    shape[axis % aval_of(out).ndim] = aval_of(valid).shape[0]
    return where(reshape(valid, shape), out, astype(fill_value, aval_of(out).dtype))


# --- unique -------------------------------------------------------------------------------------


def _first_of_runs(sorted_values, equal_nan):
    """True where a sorted entry differs from its predecessor (equal NaNs: one run)."""
    n = aval_of(sorted_values).shape[0]
    if n == 0:
        return np.zeros((0,), bool)
    head = st.slice(sorted_values, (0,), (n - 1,))
    tail = st.slice(sorted_values, (1,), (n,))
    differs = not_equal(tail, head)
    if equal_nan and aval_of(sorted_values).dtype.kind in "fc":
        differs = logical_and(differs, logical_not(logical_and(isnan(tail), isnan(head))))
    return concatenate([np.ones((1,), bool), differs])


def _unique(ar, size, fill_value, equal_nan, name):
    """values, index, inverse, counts of the sorted distinct entries of ``ravel(ar)``."""
    flat = ravel(_operand(ar))
    (flat,) = promote_dtypes(flat)
    n = aval_of(flat).shape[0]
    perm = argsort(flat, stable=True)
    sorted_values = take(flat, perm) if n else flat
    first = _first_of_runs(sorted_values, equal_nan)
    starts, valid = _positions(first, size, name)
    safe = where(valid, starts, np.zeros((), np.int64))
    index = take(perm, safe, mode="clip") if n else starts
    values = take(flat, index, mode="clip") if n else _empty_like(flat, aval_of(starts).shape)
    # padding indices read the first one whatever fill_value is, as in JAX
    index_fill = take(index, np.zeros((1,), np.int64), mode="clip") if n else 0
    if fill_value is None:
        fill_value = take(values, np.zeros((1,), np.int64), mode="clip") if n else 0
    values = where(valid, values, astype(fill_value, aval_of(values).dtype))
    if size is None:  # JAX: without size= the distinct values have no derivative
        values = stop_gradient(values)
    index = where(valid, index, astype(index_fill, np.int64))
    run = subtract(cumsum(astype(first, np.int64)), 1)
    inverse = take(run, argsort(perm)) if n else run
    inverse = reshape(inverse, aval_of(_operand(ar)).shape)
    next_starts = concatenate([st.slice(starts, (1,), aval_of(starts).shape), np.array([n])])
    counts = where(valid, subtract(where(valid, next_starts, n), starts), 0)
    return values, index, inverse, astype(counts, np.int64)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None,
           *, equal_nan=True, size=None, fill_value=None, sorted=True):  # noqa: A002  # fmt: skip
    """The sorted distinct entries of ``ar`` (flattened), with optionally the index of each one's
    first occurrence, the inverse map and the counts. ``size``/``fill_value`` as in JAX (missing
    entries read the smallest value; counts read 0). ``return_index``, ``return_inverse`` and
    ``return_counts`` select the extras; ``axis`` gives distinct slices; ``equal_nan`` merges NaNs.

    >>> unique(np.array([3.0, 1.0, 3.0]), return_counts=True)
    (array([1., 3.]), array([1, 2]))
    """
    if axis is not None:
        return _unique_along_axis(ar, axis, return_index, return_inverse, return_counts)
    values, index, inverse, counts = _unique(ar, size, fill_value, equal_nan, "unique")
    extras = [x for flag, x in ((return_index, index), (return_inverse, inverse),
                                (return_counts, counts)) if flag]  # fmt: skip
    return (values, *extras) if extras else values


def _unique_along_axis(ar, axis, return_index, return_inverse, return_counts):
    """Distinct slices along ``axis`` (concrete values only); gathered from ``ar``."""
    ar = _operand(ar)
    concrete = ar.to_concrete("unique(axis=...)") if isinstance(ar, Tracer) else ar
    _, index, inverse, counts = np.unique(
        np.asarray(concrete), return_index=True, return_inverse=True, return_counts=True,
        axis=axis,
    )  # fmt: skip
    values = take(ar, index, axis=axis)
    extras = [x for flag, x in ((return_index, index), (return_inverse, inverse),
                                (return_counts, counts)) if flag]  # fmt: skip
    return (values, *[np.asarray(x) for x in extras]) if extras else values


class UniqueAllResult(NamedTuple):
    values: object
    indices: object
    inverse_indices: object
    counts: object


class UniqueCountsResult(NamedTuple):
    values: object
    counts: object


class UniqueInverseResult(NamedTuple):
    values: object
    inverse_indices: object


def unique_all(x, /, *, size=None, fill_value=None):
    """The array API's ``unique_all``: values, first indices, inverse and counts of ``x`` (cut or
    padded to ``size`` with ``fill_value``). Each NaN is a distinct value.

    >>> unique_all(np.array([2.0, 2.0])).counts
    array([2])
    """
    return UniqueAllResult(*_unique(x, size, fill_value, False, "unique_all"))


def unique_counts(x, /, *, size=None, fill_value=None):
    """The array API's ``unique_counts``: values and counts of ``x`` (cut or padded to ``size`` with
    ``fill_value``).

    >>> unique_counts(np.array([2.0, 1.0, 2.0]))
    UniqueCountsResult(values=array([1., 2.]), counts=array([1, 2]))
    """
    values, _, _, counts = _unique(x, size, fill_value, False, "unique_counts")
    return UniqueCountsResult(values, counts)


def unique_inverse(x, /, *, size=None, fill_value=None):
    """The array API's ``unique_inverse``: values and the inverse map (``x``'s shape) (cut or padded
    to ``size`` with ``fill_value``).

    >>> unique_inverse(np.array([2.0, 1.0, 2.0])).inverse_indices
    array([1, 0, 1])
    """
    values, _, inverse, _ = _unique(x, size, fill_value, False, "unique_inverse")
    return UniqueInverseResult(values, inverse)


def unique_values(x, /, *, size=None, fill_value=None):
    """The array API's ``unique_values`` of ``x`` (NaNs distinct; cut/padded to ``size``, ``fill_value``).

    >>> unique_values(np.array([2.0, 1.0, 2.0]))
    array([1., 2.])
    """
    return _unique(x, size, fill_value, False, "unique_values")[0]


# --- membership and set operations ------------------------------------------------------------


def isin(element, test_elements, assume_unique=False, invert=False, *, method="auto"):
    """Whether each entry of ``element`` occurs in ``test_elements`` (negated if ``invert``;
    ``assume_unique`` and ``method`` are ignored).

    >>> isin(np.array([1, 2, 3]), [2, 3])
    array([False,  True,  True])
    """
    element, test = promote_dtypes(element, test_elements)
    found = any_(equal(expand_dims(element, -1), ravel(test)), axis=-1)
    return logical_not(found) if invert else found


def _sorted_distinct_mask(values):
    """Sorted ``values`` and the mask of the first entry of each run."""
    sorted_values = take(values, argsort(values, stable=True))
    return sorted_values, _first_of_runs(sorted_values, True)


def union1d(ar1, ar2, *, size=None, fill_value=None):
    """The sorted distinct entries of both arrays ``ar1`` and ``ar2`` (cut or padded to ``size``
    with ``fill_value``).

    >>> union1d([3, 1], [2, 1])
    array([1, 2, 3])
    """
    ar1, ar2 = promote_dtypes(ravel(ar1), ravel(ar2))
    return unique(concatenate([ar1, ar2]), size=size, fill_value=fill_value)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False, *, size=None,
                fill_value=None):  # fmt: skip
    """The sorted distinct entries present in both ``ar1`` and ``ar2`` (cut or padded to ``size``
    with ``fill_value``); with ``return_indices``, also their indices in each (``assume_unique`` is
    ignored).

    >>> intersect1d([3, 1, 3], [3, 2])
    array([3])
    """
    ar1, ar2 = promote_dtypes(ravel(ar1), ravel(ar2))
    perm = argsort(ar1, stable=True)
    sorted_values, first = _sorted_distinct_mask(ar1)
    keep = logical_and(first, isin(sorted_values, ar2))
    out, pos, valid = _select(sorted_values, keep, size, fill_value, "intersect1d")
    if not return_indices:
        return out
    index1 = take(perm, where(valid, pos, 0), mode="clip")
    matches = equal(expand_dims(out, -1), ar2)
    index2 = argmax(astype(matches, np.int8), axis=-1)  # the first match in ar2
    return out, where(valid, index1, 0), where(valid, index2, 0)


def setdiff1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=0):
    """The sorted distinct entries of ``ar1`` not in ``ar2`` (cut or padded to ``size`` with
    ``fill_value``, 0 by default as in JAX); ``assume_unique`` is ignored.

    >>> setdiff1d([3, 1, 4], [3])
    array([1, 4])
    """
    ar1, ar2 = promote_dtypes(ravel(ar1), ravel(ar2))
    sorted_values, first = _sorted_distinct_mask(ar1)
    keep = logical_and(first, isin(sorted_values, ar2, invert=True))
    return _select(sorted_values, keep, size, fill_value, "setdiff1d")[0]


def setxor1d(ar1, ar2, assume_unique=False, *, size=None, fill_value=None):
    """The sorted distinct entries in exactly one of ``ar1`` and ``ar2``, and a NaN for each
    that has one (as JAX, NumPy); to ``size`` with ``fill_value``; ``assume_unique`` ignored.

    >>> setxor1d([3, 1, np.nan], [3, 2, np.nan])
    array([ 1.,  2., nan, nan])
    """
    ar1, ar2 = promote_dtypes(ravel(ar1), ravel(ar2))
    sorted_values, first = _sorted_distinct_mask(concatenate([ar1, ar2]))
    keep = logical_and(first, logical_xor(isin(sorted_values, ar1), isin(sorted_values, ar2)))
    nan = logical_and(first, isnan(sorted_values))  # the first NaN (NaNs sort last)
    both = reshape(logical_and(any_(isnan(ar1)), any_(isnan(ar2))), (1,))
    keep = concatenate([logical_or(keep, nan), both])  # a second NaN when both have one
    values = concatenate([sorted_values, sorted_values[-1:]])
    out, _, valid = _select(values, keep, size, fill_value, "setxor1d")
    if fill_value is None and aval_of(out).dtype.kind in "fc":  # JAX pads with a kept NaN
        no_nan = logical_not(any_(logical_and(keep, isnan(values))))
        out = where(logical_or(valid, no_nan), out, np.nan)
    return out
