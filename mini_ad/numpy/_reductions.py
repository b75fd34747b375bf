"""Reductions of ``mini_ad.numpy``: ``axis`` may be None, an int or a tuple; negative
axes count from the end; ``keepdims`` re-inserts the reduced axes with size 1."""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import as_result, astype, promote_dtypes
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


def _check_nonempty(name, a, axis):
    shape = aval_of(a).shape
    if builtins.any(shape[i] == 0 for i in canonical_axes(axis, len(shape))):
        raise ValueError(f"zero-size array to reduction operation {name} which has no identity")


def _sum_dtype(dtype):
    if dtype == np.bool_ or (dtype.kind == "i" and dtype.itemsize < 8):
        return np.dtype(np.int64)
    if dtype.kind == "u" and dtype.itemsize < 8:
        return np.dtype(np.uint64)
    return dtype


def sum(a, axis=None, dtype=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Sum of the elements over ``axis``, as ``numpy.sum`` (``reduce_sum``).

    Bools and small integers accumulate in int64 (unsigned in uint64), as in NumPy.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The sums: ``a``'s shape without the reduced axes (or with them as size one).

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.sum([[1.0, 2.0], [3.0, 4.0]], axis=0))
      [4. 6.]
      >>> print(mnp.sum([[1, 2], [3, 4]], keepdims=True))
      [[10]]
    """
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    return _reduce(red.reduce_sum, a, axis, keepdims)


def prod(a, axis=None, dtype=None, keepdims=False):
    """Product of the elements over ``axis``, as ``numpy.prod`` (``reduce_prod``).

    Bools and small integers accumulate in int64 (unsigned in uint64), as in NumPy.
    The derivative is correct where some elements are zero.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The products, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.prod([[1.0, 2.0], [3.0, 4.0]], axis=1))
      [ 2. 12.]
    """
    (a,) = promote_dtypes(a)
    a = astype(a, dtype if dtype is not None else _sum_dtype(aval_of(a).dtype))
    return _reduce(red.reduce_prod, a, axis, keepdims)


def max(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Maximum over ``axis``, as ``numpy.max``/``numpy.amax`` (``reduce_max``).

    Where several elements tie for the maximum they share the derivative evenly, as in
    JAX. Unlike NumPy there is no ``initial`` or ``where``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The maxima, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated, or ``a`` is empty.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.max([[1, 5], [3, 4]], axis=1))
      [5 4]
    """
    (a,) = promote_dtypes(a)
    _check_nonempty("max", a, axis)
    return _reduce(red.reduce_max, a, axis, keepdims)


def min(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Minimum over ``axis``, as ``numpy.min``/``numpy.amin`` (``reduce_min``).

    Where several elements tie for the minimum they share the derivative evenly, as in
    JAX. Unlike NumPy there is no ``initial`` or ``where``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      The minima, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated, or ``a`` is empty.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.min([[1, 5], [3, 4]], axis=0))
      [1 4]
    """
    (a,) = promote_dtypes(a)
    _check_nonempty("min", a, axis)
    return _reduce(red.reduce_min, a, axis, keepdims)


amax = max
amin = min


def all(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether every element over ``axis`` is true (nonzero), as ``numpy.all``.

    Not differentiable (the result is bool).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      A bool array of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.all([[1, 0], [2, 3]], axis=1))
      [False  True]
    """
    return _reduce(red.reduce_min, astype(a, np.bool_), axis, keepdims)


def any(a, axis=None, keepdims=False):  # noqa: A001 - NumPy's name
    """Whether some element over ``axis`` is true (nonzero), as ``numpy.any``.

    Not differentiable (the result is bool).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      A bool array of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.any([[0, 0], [2, 0]], axis=1))
      [False  True]
    """
    return _reduce(red.reduce_max, astype(a, np.bool_), axis, keepdims)


def _count(shape, axis) -> int:
    axes = canonical_axes(axis, len(shape))
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


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
    """Index of the maximum along ``axis``, as ``numpy.argmax`` (first on ties).

    Not differentiable (the result is an integer array).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int (negative counts from the end); None (the default) flattens ``a``.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      An int array of ``a``'s shape without ``axis`` (a scalar for None).

    Raises:
      ValueError: the axis is out of bounds.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.argmax([[1, 5], [7, 4]]))
      2
      >>> print(mnp.argmax([[1, 5], [7, 4]], axis=1))
      [1 0]
    """
    return _arg_reduce(red.argmax, a, axis, keepdims)


def argmin(a, axis=None, keepdims=False):
    """Index of the minimum along ``axis``, as ``numpy.argmin`` (first on ties).

    Not differentiable (the result is an integer array).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int (negative counts from the end); None (the default) flattens ``a``.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.

    Returns:
      An int array of ``a``'s shape without ``axis`` (a scalar for None).

    Raises:
      ValueError: the axis is out of bounds.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.argmin([[1, 5], [7, 0]], axis=0))
      [0 1]
    """
    return _arg_reduce(red.argmin, a, axis, keepdims)
