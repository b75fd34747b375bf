"""Cutting and splicing arrays in ``mini_ad.numpy``: ``split`` and its variants,
``unstack``, ``append``, ``insert``, ``delete`` and ``resize``.

Positions are static (concrete Python or NumPy values, as in JAX); every result is a
``slice``, ``concatenate`` or ``gather`` of the inputs, so linear in them.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to
from mini_ad.numpy._extra import take
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._shape import concatenate, moveaxis, ravel, reshape, squeeze
from mini_ad.primitives import structural as st


def _static(value, name):
    """A concrete NumPy value for a position argument."""
    if isinstance(value, Tracer):
        value = value.to_concrete(name)
    return value


def _pieces(a, bounds, axis):
    shape = aval_of(a).shape
    n = shape[axis]
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        start, stop, _ = slice(lo, hi).indices(n)
        stop = max(stop, start)
        starts, limits = [0] * len(shape), list(shape)
        starts[axis], limits[axis] = start, stop
        out.append(st.slice(a, starts, limits))
    return out


def array_split(ary, indices_or_sections, axis=0):
    """Split into pieces along ``axis``: ``k`` nearly equal ones (the first ``n % k`` one
    longer) or at the given indices.

    Args:
      ary: an array.
      indices_or_sections: a number of pieces or the split indices.
      axis: the axis to split.

    Returns:
      A list of arrays.

    Examples:
      >>> [p.shape for p in array_split(np.arange(5.0), 2)]
      [(3,), (2,)]
    """
    ary = _operand(ary)
    (axis,) = canonical_axes(axis, aval_of(ary).ndim)
    n = aval_of(ary).shape[axis]
    sections = _static(indices_or_sections, "array_split")
    if np.ndim(sections) == 0:
        k = int(sections)
        if k <= 0:
            raise ValueError("number sections must be larger than 0.")
        sizes = [n // k + 1] * (n % k) + [n // k] * (k - n % k)
        bounds = [0, *np.cumsum(sizes).tolist()]
    else:
        bounds = [0, *[int(i) for i in np.asarray(sections).ravel()], n]
    return _pieces(ary, bounds, axis)


def split(ary, indices_or_sections, axis=0):
    """Split into ``k`` equal pieces along ``axis``, or at the given indices.

    Args:
      ary: an array.
      indices_or_sections: a number of equal pieces or the split indices.
      axis: the axis to split.

    Returns:
      A list of arrays.

    Examples:
      >>> [p.tolist() for p in split(np.arange(4.0), [1])]
      [[0.0], [1.0, 2.0, 3.0]]
    """
    ary = _operand(ary)
    sections = _static(indices_or_sections, "split")
    if np.ndim(sections) == 0:
        (ax,) = canonical_axes(axis, aval_of(ary).ndim)
        if aval_of(ary).shape[ax] % int(sections):
            raise ValueError("array split does not result in an equal division")
    return array_split(ary, sections, axis)


def hsplit(ary, indices_or_sections):
    """``split`` along the second axis (the first for 1-D arrays).

    Args:
      ary: an array.
      indices_or_sections: a number of equal pieces or the split indices.

    Returns:
      A list of arrays.

    Examples:
      >>> [p.shape for p in hsplit(np.ones((2, 4)), 2)]
      [(2, 2), (2, 2)]
    """
    ary = _operand(ary)
    return split(ary, indices_or_sections, axis=1 if aval_of(ary).ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    """``split`` along the first axis (arrays of rank ≥ 2).

    Args:
      ary: an array.
      indices_or_sections: a number of equal pieces or the split indices.

    Returns:
      A list of arrays.

    Examples:
      >>> [p.shape for p in vsplit(np.ones((4, 2)), 2)]
      [(2, 2), (2, 2)]
    """
    ary = _operand(ary)
    if aval_of(ary).ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, axis=0)


def dsplit(ary, indices_or_sections):
    """``split`` along the third axis (arrays of rank ≥ 3).

    Args:
      ary: an array.
      indices_or_sections: a number of equal pieces or the split indices.

    Returns:
      A list of arrays.

    Examples:
      >>> [p.shape for p in dsplit(np.ones((1, 1, 4)), 2)]
      [(1, 1, 2), (1, 1, 2)]
    """
    ary = _operand(ary)
    if aval_of(ary).ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, axis=2)


def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple.

    >>> [p.tolist() for p in unstack(np.array([[1.0, 2.0], [3.0, 4.0]]))]
    [[1.0, 2.0], [3.0, 4.0]]
    """
    x = _operand(x)
    (axis,) = canonical_axes(axis, aval_of(x).ndim)
    return tuple(squeeze(p, axis) for p in array_split(x, aval_of(x).shape[axis], axis))


def append(arr, values, axis=None):
    """``values`` joined to the end of ``arr`` (both flattened when ``axis`` is None).

    >>> append(np.array([1.0, 2.0]), [[3.0]])
    array([1., 2., 3.])
    """
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


def _axis_and_array(arr, axis):
    arr = _operand(arr)
    if axis is None:
        return ravel(arr), 0
    (axis,) = canonical_axes(axis, aval_of(arr).ndim)
    return arr, axis


def insert(arr, obj, values, axis=None):
    """``values`` inserted before the positions ``obj`` (an int, a slice or a sequence)
    along ``axis`` (flattened when None), cast to ``arr``'s dtype, as ``np.insert``.

    >>> insert(np.array([1.0, 2.0, 3.0]), 1, [9.0, 8.0])
    array([1., 9., 8., 2., 3.])
    """
    arr, axis = _axis_and_array(arr, axis)
    shape = aval_of(arr).shape
    n = shape[axis]
    obj = _static(obj, "insert")
    if isinstance(obj, slice):
        obj = np.arange(*obj.indices(n))
    obj = np.asarray(obj)
    values = astype(_operand(values), aval_of(arr).dtype)
    if obj.ndim == 0:
        while aval_of(values).ndim < len(shape):
            values = reshape(values, (1,) + aval_of(values).shape)
        values = moveaxis(values, 0, axis)
        count = aval_of(values).shape[axis]
    else:
        count = obj.size
    slot = list(shape)
    slot[axis] = count
    values = broadcast_to(values, tuple(slot))
    index = np.insert(np.arange(n), obj, np.arange(n, n + count))
    return take(concatenate([arr, values], axis), index, axis=axis)


def delete(arr, obj, axis=None, *, assume_unique_indices=False):
    """``arr`` without the entries at ``obj`` (an int, a slice, a sequence or a bool
    mask) along ``axis`` (flattened when None).

    Args:
      arr: an array.
      obj: the entries to remove (concrete).
      axis: the axis (None: flattened).
      assume_unique_indices: accepted for NumPy compatibility (ignored).

    Returns:
      The remaining array.

    Examples:
      >>> delete(np.array([1.0, 2.0, 3.0]), [0, 2])
      array([2.])
    """
    arr, axis = _axis_and_array(arr, axis)
    n = aval_of(arr).shape[axis]
    obj = _static(obj, "delete")
    kept = np.delete(np.arange(n), obj if isinstance(obj, slice) else np.asarray(obj))
    return take(arr, kept, axis=axis)


def resize(a, new_shape):
    """An array of ``new_shape`` filled with ``a``'s entries (flattened), repeated.

    >>> resize(np.array([1.0, 2.0, 3.0]), (2, 2))
    array([[1., 2.],
           [3., 1.]])
    """
    a = ravel(_operand(a))
    new_shape = (int(new_shape),) if np.ndim(new_shape) == 0 else tuple(int(k) for k in new_shape)
    total = int(np.prod(new_shape, dtype=np.int64))
    size = aval_of(a).shape[0]
    if total == 0 or size == 0:
        return np.zeros(new_shape, aval_of(a).dtype)
    return as_result(reshape(take(a, np.arange(total) % size), new_shape))


def trim_zeros(filt, trim="fb"):
    """``filt`` (1-D) without its leading (``"f"``) and trailing (``"b"``) zeros; the
    values must be concrete.

    Args:
      filt: a 1-D array.
      trim: ``"f"``, ``"b"`` or ``"fb"`` (the ends to trim).

    Returns:
      The trimmed array.

    Examples:
      >>> trim_zeros(np.array([0.0, 1.0, 2.0, 0.0]))
      array([1., 2.])
    """
    filt = _operand(filt)
    concrete = filt.to_concrete("trim_zeros") if isinstance(filt, Tracer) else filt
    nonzero_at = np.flatnonzero(np.asarray(concrete))
    n = aval_of(filt).shape[0]
    if nonzero_at.size == 0:
        return st.slice(filt, (0,), (0,))
    start = int(nonzero_at[0]) if "f" in trim.lower() else 0
    stop = int(nonzero_at[-1]) + 1 if "b" in trim.lower() else n
    return as_result(st.slice(filt, (start,), (stop,)) if (start, stop) != (0, n) else filt)
