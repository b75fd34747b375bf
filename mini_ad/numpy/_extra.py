"""Running products, differences, rolls, diagonals, triangles and cross products for
``mini_ad.numpy`` (sorting and gathering along an axis are in ``_take.py``, re-exported here;
padding is in ``_pad.py``).

All are compositions of primitives: slices, pads, concatenates, gathers and
``select_n`` are linear, so each function here is differentiable in both modes and
batchable with no rules of its own.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to, promote_dtypes
from mini_ad.numpy._indexing import getitem
from mini_ad.numpy._math import multiply, not_equal, subtract, where
from mini_ad.numpy._reductions import _sum_dtype, canonical_axes
from mini_ad.numpy._shape import concatenate, moveaxis, ravel, reshape
from mini_ad.numpy._stacking import stack
from mini_ad.numpy._take import (  # noqa: F401 - re-exported
    _flat_or_axis,
    argsort,
    sort,
    take,
    take_along_axis,
)
from mini_ad.primitives import structural as st
from mini_ad.primitives.indexing import gather

# --- cumprod / diff / roll ------------------------------------------------------------------


def _shift_along(x, s, axis, fill):
    """``x`` shifted by ``s`` along ``axis``, the first ``s`` entries set to ``fill``."""
    shape = aval_of(x).shape
    limits = list(shape)
    limits[axis] -= s
    config = [(0, 0, 0)] * len(shape)
    config[axis] = (s, 0, 0)
    kept = st.slice(x, (0,) * len(shape), limits)
    return st.pad(kept, np.asarray(fill, aval_of(x).dtype), config)


def cumprod(a, axis=None, dtype=None):
    """Running product along ``axis``, as ``numpy.cumprod``.

    Computed as a log-depth prefix scan of multiplications (after round ``r`` each entry
    holds the product of its last ``2^r`` inputs), so every derivative is the exact
    product rule, also where entries are zero. Bools and small integers accumulate in
    int64, as in NumPy.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int; None (the default) flattens ``a`` first.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.

    Returns:
      An array of ``a``'s shape (1-D for ``axis=None``).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.cumprod([1.0, 2.0, 0.0, 4.0]))
      [1. 2. 0. 0.]
    """
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    a, axis = _flat_or_axis(a, axis)
    n = aval_of(a).shape[axis] if aval_of(a).ndim else 1
    out, s = a, 1
    while s < n:
        out = multiply(out, _shift_along(out, s, axis, 1))
        s *= 2
    return as_result(out)


def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``n``-th forward difference along ``axis``, as ``numpy.diff``.

    ``a[1:] - a[:-1]`` along ``axis``, repeated ``n`` times (each a pair of ``slice``s).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      n: how many times to difference.
      axis: the axis (negative counts from the end).
      prepend: values joined before ``a`` along ``axis`` first (a scalar is broadcast to
        one slice), or None.
      append: values joined after ``a``, or None.

    Returns:
      An array whose ``axis`` is ``n`` shorter (after prepending and appending).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.diff([1.0, 4.0, 9.0]))
      [3. 5.]
      >>> print(mnp.diff([1, 4, 9], n=2, prepend=0))
      [2 2]
    """
    a = _operand(a)
    (axis,) = canonical_axes(axis, aval_of(a).ndim)
    if prepend is not None or append is not None:
        parts = []
        for extra in (prepend, a, append):
            if extra is None:
                continue
            extra = _operand(extra)
            if aval_of(extra).ndim == 0:
                shape = list(aval_of(a).shape)
                shape[axis] = 1
                extra = broadcast_to(extra, tuple(shape))
            parts.append(extra)
        a = concatenate(parts, axis)
    for _ in range(int(n)):
        shape = aval_of(a).shape
        starts, limits = [0] * len(shape), list(shape)
        limits[axis] -= 1
        front = st.slice(a, starts, limits)
        starts[axis], limits[axis] = 1, shape[axis]
        back = st.slice(a, starts, limits)  # bools differ by "!=", as in NumPy and JAX
        a = not_equal(back, front) if aval_of(a).dtype == np.bool_ else subtract(back, front)
    return as_result(a)


def roll(a, shift, axis=None):
    """Shift elements along ``axis``, wrapping round, as ``numpy.roll``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      shift: an int, or a sequence of ints paired with ``axis``.
      axis: an int or a sequence of ints; None (the default) rolls the flattened array
        and restores the shape.

    Returns:
      An array of ``a``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.roll([1.0, 2.0, 3.0], 1))
      [3. 1. 2.]
      >>> print(mnp.roll([[1, 2], [3, 4]], -1, axis=1))
      [[2 1]
       [4 3]]
    """
    a = _operand(a)
    if axis is None:
        shape = aval_of(a).shape
        return reshape(roll(ravel(a), shift, 0), shape)
    shifts = np.atleast_1d(np.asarray(shift, dtype=np.int64))
    axes = np.atleast_1d(np.asarray(axis, dtype=np.int64))
    shifts, axes = np.broadcast_arrays(shifts, axes)
    for s, ax in zip(shifts.tolist(), axes.tolist(), strict=True):
        (ax,) = canonical_axes(ax, aval_of(a).ndim)
        shape = aval_of(a).shape
        k = s % shape[ax] if shape[ax] else 0
        if k:
            starts, limits = [0] * len(shape), list(shape)
            starts[ax] = shape[ax] - k
            tail = st.slice(a, starts, limits)
            starts[ax], limits[ax] = 0, shape[ax] - k
            a = st.concatenate([tail, st.slice(a, starts, limits)], ax)
    return as_result(a)


# --- diagonals and triangles ----------------------------------------------------------------


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The ``offset`` diagonal of the (``axis1``, ``axis2``) planes, as ``numpy.diagonal``.

    The diagonal becomes the last axis of the result (a ``gather``).

    Args:
      a: an array of at least two dimensions, or a (nested) list.
      offset: the diagonal: 0 the main one, positive above it, negative below.
      axis1: the axis of the rows.
      axis2: the axis of the columns.

    Returns:
      An array of the remaining axes followed by the diagonal.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.diagonal([[0.0, 1.0], [2.0, 3.0]]))
      [0. 3.]
      >>> print(mnp.diagonal([[0.0, 1.0], [2.0, 3.0]], offset=-1))
      [2.]
    """
    a = _operand(a)
    ndim = aval_of(a).ndim
    axis1, axis2 = (int(x) % ndim for x in (axis1, axis2))
    rest = [i for i in range(ndim) if i not in (axis1, axis2)]
    a = st.transpose(a, rest + [axis1, axis2]) if rest + [axis1, axis2] != list(range(ndim)) else a
    rows, cols = aval_of(a).shape[-2:]
    offset = int(offset)
    length = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    row_index = np.arange(length) + max(-offset, 0)
    col_index = np.arange(length) + max(offset, 0)
    return gather(a, [row_index, col_index], (ndim - 2, ndim - 1))


def diag(v, k=0):
    """The ``k``-th diagonal of a matrix, or a matrix with vector ``v`` on it.

    >>> diag(np.array([1.0, 2.0]))
    array([[1., 0.],
           [0., 2.]])
    """
    v = _operand(v)
    ndim = aval_of(v).ndim
    if ndim == 2:
        return diagonal(v, k)
    if ndim != 1:
        raise ValueError("diag: input must be 1-d or 2-d")
    n, k = aval_of(v).shape[0], int(k)
    zero = np.zeros((), aval_of(v).dtype)
    # n - 1 zeros after each entry but the last leave entry i at i (n + 1) of an n²
    # vector: the diagonal of an n x n matrix. Then shift by k with zero rows/columns.
    square = st.reshape(st.pad(v, zero, ((0, 0, n),)), (n, n)) if n else st.reshape(v, (0, 0))
    lo, hi = (k, 0) if k >= 0 else (0, -k)
    return st.pad(square, zero, ((hi, lo, 0), (lo, hi, 0))) if k else square


def _triangle(m, k, keep_lower):
    m = _operand(m)
    if aval_of(m).ndim == 1:  # NumPy: a vector is the row of a square matrix
        n = aval_of(m).shape[0]
        m = broadcast_to(m, (n, n))
    rows, cols = aval_of(m).shape[-2:]
    lower = np.tri(rows, cols, int(k) if keep_lower else int(k) - 1, dtype=bool)
    mask = lower if keep_lower else ~lower
    return where(mask, m, np.zeros((), aval_of(m).dtype))


def tril(m, k=0):
    """``m`` with the entries above the ``k``-th diagonal set to zero.

    >>> tril(np.ones((2, 2)))
    array([[1., 0.],
           [1., 1.]])
    """
    return _triangle(m, k, keep_lower=True)


def triu(m, k=0):
    """``m`` with the entries below the ``k``-th diagonal set to zero.

    >>> triu(np.ones((2, 2)))
    array([[1., 1.],
           [0., 1.]])
    """
    return _triangle(m, k, keep_lower=False)


# --- cross ----------------------------------------------------------------------------------


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (or 2-vectors), as ``numpy.cross``.

    Two 2-vectors give the z component (a scalar per pair); otherwise a missing third
    component is zero. The other axes broadcast.

    Args:
      a: an array of vectors along ``axisa``.
      b: an array of vectors along ``axisb``.
      axisa: the axis of ``a`` holding the vectors.
      axisb: the axis of ``b`` holding the vectors.
      axisc: the axis of the result holding the vectors.
      axis: if not None, overrides ``axisa``, ``axisb`` and ``axisc``.

    Returns:
      The cross products.

    Raises:
      ValueError: a vector axis does not have length 2 or 3.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]))
      [0. 0. 1.]
      >>> print(mnp.cross([1, 2], [3, 4]))
      -2
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = promote_dtypes(a, b)
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    na, nb = aval_of(a).shape[-1], aval_of(b).shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")

    def component(x, n, i):
        return getitem(x, (Ellipsis, i)) if i < n else None

    a0, a1, a2 = (component(a, na, i) for i in range(3))
    b0, b1, b2 = (component(b, nb, i) for i in range(3))

    def minor(x, y, u, v):  # x v - u y, with a missing component meaning zero
        if x is None or v is None:
            return None if u is None or y is None else multiply(-1, multiply(u, y))
        first = multiply(x, v)
        return first if u is None or y is None else subtract(first, multiply(u, y))

    z = minor(a0, b0, a1, b1)
    if na == 2 and nb == 2:
        return z
    x, y = minor(a1, b1, a2, b2), minor(a2, b2, a0, b0)
    shape = np.broadcast_shapes(aval_of(a).shape[:-1], aval_of(b).shape[:-1])
    dtype = aval_of(a).dtype
    parts = [broadcast_to(np.zeros((), dtype) if c is None else c, shape) for c in (x, y, z)]
    out = stack(parts, -1)
    return moveaxis(out, -1, axisc)
