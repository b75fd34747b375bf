"""Reductions of ``mini_ad.numpy``: ``axis`` may be None, an int or a tuple; negative
axes count from the end; ``keepdims`` re-inserts the reduced axes with size 1."""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import as_result, astype, promote_dtypes, promote_dtypes_inexact
from mini_ad.numpy._math import multiply, sqrt, square, subtract, true_divide
from mini_ad.primitives import reductions as red
from mini_ad.primitives import structural as st


def canonical_axes(axis, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(a % ndim if ndim else a)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(out))


def _keepdims(y, shape, axes):
    """Re-insert reduced axes as size 1 (``broadcast_in_dim``, as JAX's expand_dims)."""
    kept_shape = tuple(1 if i in axes else n for i, n in enumerate(shape))
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    return st.broadcast_in_dim(y, kept_shape, kept)


def _reduce(primitive_fn, x, axis, keepdims):
    shape = aval_of(x).shape
    axes = canonical_axes(axis, len(shape))
    if not axes:  # nothing to reduce; still an array outside transforms
        return as_result(x)
    y = primitive_fn(x, axes)
    return _keepdims(y, shape, axes) if keepdims else y


def _sum_dtype(dtype):
    if dtype == np.bool_ or (dtype.kind == "i" and dtype.itemsize < 8):
        return np.dtype(np.int64)
    if dtype.kind == "u" and dtype.itemsize < 8:
        return np.dtype(np.uint64)
    return dtype


def sum(a, axis=None, dtype=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Sum over ``axis`` (``reduce_sum``).

    >>> sum(np.ones((2, 3)), axis=0)
    array([2., 2., 2.])
    """
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    return _reduce(red.reduce_sum, a, axis, keepdims)


def prod(a, axis=None, dtype=None, keepdims=False):
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    return _reduce(red.reduce_prod, a, axis, keepdims)


def max(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Maximum over ``axis``; ties share the derivative evenly (as in JAX)."""
    (a,) = promote_dtypes(a)
    return _reduce(red.reduce_max, a, axis, keepdims)


def min(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    (a,) = promote_dtypes(a)
    return _reduce(red.reduce_min, a, axis, keepdims)


amax = max
amin = min


def all(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    return _reduce(red.reduce_min, astype(a, np.bool_), axis, keepdims)


def any(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    return _reduce(red.reduce_max, astype(a, np.bool_), axis, keepdims)


def _count(shape, axis) -> int:
    axes = canonical_axes(axis, len(shape))
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


def mean(a, axis=None, dtype=None, keepdims=False):
    """Arithmetic mean: ``sum / count`` in floating point."""
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    if dtype is not None:
        a = astype(a, dtype)
    count = _count(aval_of(a).shape, axis)
    out = true_divide(sum(a, axis=axis, keepdims=keepdims), float(count))
    return out if dtype is None else astype(out, dtype)  # NumPy truncates integer means


def var(a, axis=None, dtype=None, ddof=0, keepdims=False):
    (a,) = promote_dtypes_inexact(a, int_to=np.float64)
    centered = subtract(a, mean(a, axis=axis, dtype=dtype, keepdims=True))
    count = _count(aval_of(a).shape, axis)
    return true_divide(
        sum(square(centered), axis=axis, keepdims=keepdims), float(builtins.max(count - ddof, 0))
    )


def std(a, axis=None, dtype=None, ddof=0, keepdims=False):
    return sqrt(var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims))


def _arg_reduce(primitive_fn, a, axis, keepdims):
    (a,) = promote_dtypes(a)
    if axis is None:
        ndim = aval_of(a).ndim
        out = primitive_fn(a if ndim == 1 else st.reshape(a, (aval_of(a).size,)), 0)
        return st.reshape(out, (1,) * ndim) if keepdims and ndim else out
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    out = primitive_fn(a, axis)
    return _keepdims(out, shape, (axis,)) if keepdims else out


def argmax(a, axis=None, keepdims=False):
    return _arg_reduce(red.argmax, a, axis, keepdims)


def argmin(a, axis=None, keepdims=False):
    return _arg_reduce(red.argmin, a, axis, keepdims)


def cumsum(a, axis=None, dtype=None):
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    if axis is None:
        a = st.reshape(a, (aval_of(a).size,))
        axis = 0
    (axis,) = canonical_axes(axis, aval_of(a).ndim)
    return red.cumsum(a, axis)


def average(a, axis=None, weights=None):
    if weights is None:
        return mean(a, axis=axis)
    return true_divide(sum(multiply(a, weights), axis=axis), sum(weights, axis=axis))
