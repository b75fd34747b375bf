"""Reductions of ``mini_ad.numpy``: ``axis`` may be None, an int or a tuple; negative
axes count from the end; ``keepdims`` re-inserts the reduced axes with size 1."""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import as_result, astype, promote_dtypes
from mini_ad.numpy._math import add, maximum, minimum, multiply
from mini_ad.numpy._math import where as select
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


def no_out(name, out, error=NotImplementedError):
    """JAX's refusal of NumPy's ``out=`` (arrays are immutable), with JAX's class: a
    ``ValueError`` for the quantiles and medians."""
    if out is not None:
        raise error(f"The 'out' argument to mnp.{name} is not supported.")


def masked(a, where, fill):
    """``a`` with the entries outside ``where`` (which broadcasts to ``a``) set to ``fill``:
    what JAX reduces when given ``where=``. Their derivative is zero."""
    if where is None:
        return a
    return select(astype(where, np.bool_), a, astype(fill, aval_of(a).dtype))


def _identity(name, dtype):
    """The identity of max (``-inf`` or the least value) or min (the greatest)."""
    big = np.inf if dtype.kind in "fc" else (True if dtype == np.bool_ else np.iinfo(dtype).max)
    small = -np.inf if dtype.kind in "fc" else (False if dtype == np.bool_ else np.iinfo(dtype).min)
    return small if name == "max" else big


def _extremum(name, reduce_fn, combine, a, axis, keepdims, initial, where):
    (a,) = promote_dtypes(a)
    if where is not None and initial is None:
        raise ValueError(
            f"reduction operation {name} does not have an identity, so to use a where mask one "
            "has to specify 'initial'"
        )
    if initial is None:
        _check_nonempty(name, a, axis)
    out = _reduce(reduce_fn, masked(a, where, _identity(name, aval_of(a).dtype)), axis, keepdims)
    return out if initial is None else combine(out, astype(initial, aval_of(out).dtype))


def _accumulator(in_dtype, dtype, promote_integers):
    """The dtype ``sum``/``prod`` accumulate in: ``dtype``; else NumPy's widening of bools
    and small integers; with ``promote_integers=False`` the input's (bools: int32, as JAX)."""
    if dtype is not None:
        return dtype
    if not promote_integers:
        return np.dtype(np.int32) if in_dtype == np.bool_ else in_dtype
    return _sum_dtype(in_dtype)


def _sum_dtype(dtype):
    if dtype == np.bool_ or (dtype.kind == "i" and dtype.itemsize < 8):
        return np.dtype(np.int64)
    if dtype.kind == "u" and dtype.itemsize < 8:
        return np.dtype(np.uint64)
    return dtype


def sum(  # noqa: A001 - NumPy's name
    a,
    axis=None,
    dtype=None,
    out=None,
    keepdims=False,
    initial=None,
    where=None,
    promote_integers=True,
):
    """Sum of the elements over ``axis``, as ``numpy.sum`` (``reduce_sum``).

    Bools and small integers accumulate in int64 (unsigned in uint64), as in NumPy.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      initial: a value added to each sum (an empty sum is ``initial``).
      where: a bool mask broadcasting to ``a``: only its true entries are summed.
      promote_integers: False keeps small integer dtypes (bools sum as int32, as JAX).

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
    no_out("sum", out)
    (a,) = promote_dtypes(a)
    a = astype(a, _accumulator(aval_of(a).dtype, dtype, promote_integers))
    total = _reduce(red.reduce_sum, masked(a, where, 0), axis, keepdims)
    return total if initial is None else add(total, astype(initial, aval_of(total).dtype))


def prod(
    a,
    axis=None,
    dtype=None,
    out=None,
    keepdims=False,
    initial=None,
    where=None,
    promote_integers=True,
):
    """Product of the elements over ``axis``, as ``numpy.prod`` (``reduce_prod``).

    Bools and small integers accumulate in int64 (unsigned in uint64), as in NumPy.
    The derivative is correct where some elements are zero.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      dtype: the dtype to accumulate and return in; None picks NumPy's default.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      initial: a factor of each product (an empty product is ``initial``).
      where: a bool mask broadcasting to ``a``: only its true entries are multiplied.
      promote_integers: False keeps small integer dtypes (bools multiply as int32, as JAX).

    Returns:
      The products, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.prod([[1.0, 2.0], [3.0, 4.0]], axis=1))
      [ 2. 12.]
    """
    no_out("prod", out)
    (a,) = promote_dtypes(a)
    a = astype(a, _accumulator(aval_of(a).dtype, dtype, promote_integers))
    total = _reduce(red.reduce_prod, masked(a, where, 1), axis, keepdims)
    return total if initial is None else multiply(total, astype(initial, aval_of(total).dtype))


def max(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    """Maximum over ``axis``, as ``numpy.max``/``numpy.amax`` (``reduce_max``).

    Where several elements tie for the maximum they share the derivative evenly, as in
    JAX (and with ``initial``, as ``lax.max`` does).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      initial: a value each maximum also covers; required with ``where``, and the
        result of an empty reduction.
      where: a bool mask broadcasting to ``a``: only its true entries count.

    Returns:
      The maxima, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated, or ``a`` is empty.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.max([[1, 5], [3, 4]], axis=1))
      [5 4]
    """
    no_out("max", out)
    return _extremum("max", red.reduce_max, maximum, a, axis, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    """Minimum over ``axis``, as ``numpy.min``/``numpy.amin`` (``reduce_min``).

    Where several elements tie for the minimum they share the derivative evenly, as in
    JAX (and with ``initial``, as ``lax.min`` does).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      initial: a value each minimum also covers; required with ``where``, and the
        result of an empty reduction.
      where: a bool mask broadcasting to ``a``: only its true entries count.

    Returns:
      The minima, of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated, or ``a`` is empty.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.min([[1, 5], [3, 4]], axis=0))
      [1 4]
    """
    no_out("min", out)
    return _extremum("min", red.reduce_min, minimum, a, axis, keepdims, initial, where)


amax = max
amin = min


def all(a, axis=None, out=None, keepdims=False, *, where=None):  # noqa: A001
    """Whether every element over ``axis`` is true (nonzero), as ``numpy.all``.

    Not differentiable (the result is bool).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      where: a bool mask broadcasting to ``a``: only its true entries count.

    Returns:
      A bool array of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.all([[1, 0], [2, 3]], axis=1))
      [False  True]
    """
    no_out("all", out)
    return _reduce(red.reduce_min, masked(astype(a, np.bool_), where, True), axis, keepdims)


def any(a, axis=None, out=None, keepdims=False, *, where=None):  # noqa: A001
    """Whether some element over ``axis`` is true (nonzero), as ``numpy.any``.

    Not differentiable (the result is bool).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (the default: every axis), an int or a tuple of ints; negative axes
        count from the end.
      out: not supported (JAX's ``NotImplementedError``): arrays are immutable.
      keepdims: keep the reduced axes with size one, so the result broadcasts
        against ``a``.
      where: a bool mask broadcasting to ``a``: only its true entries count.

    Returns:
      A bool array of ``a``'s shape without the reduced axes.

    Raises:
      ValueError: an axis is out of bounds or repeated.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.any([[0, 0], [2, 0]], axis=1))
      [False  True]
    """
    no_out("any", out)
    return _reduce(red.reduce_max, masked(astype(a, np.bool_), where, False), axis, keepdims)


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
