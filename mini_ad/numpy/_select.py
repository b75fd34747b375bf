"""Choosing, ordering and functional updates in ``mini_ad.numpy``: ``select``,
``piecewise``, ``choose``, ``lexsort``, ``partition``/``argpartition``,
``sort_complex``, ``apply_along_axis``, ``apply_over_axes``, ``vectorize`` and the
out-of-place ``put``, ``place``, ``put_along_axis`` and ``fill_diagonal``.

As in JAX, arrays are values: the updating functions need ``inplace=False`` and return
the updated array. ``vectorize`` and ``apply_along_axis`` are ``vmap``s.
"""

from __future__ import annotations

import numpy as np

from mini_ad import api
from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._at import at
from mini_ad.numpy._core import (
    _operand,
    as_result,
    astype,
    broadcast_arrays,
    broadcast_to,
    promote_dtypes,
)
from mini_ad.numpy._division import remainder
from mini_ad.numpy._extra import argsort, sort, take, take_along_axis
from mini_ad.numpy._math import where
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.numpy._shape import expand_dims, ravel, reshape
from mini_ad.numpy._splitting import resize
from mini_ad.numpy._stacking import stack
from mini_ad.numpy._vectorize import vectorized


def select(condlist, choicelist, default=0):
    """Per entry, the choice of the first true condition (``default`` if none).

    Args:
      condlist: a sequence of bool arrays.
      choicelist: the matching arrays.
      default: the value where no condition holds.

    Examples:
      >>> x = np.array([-1.0, 0.5, 2.0])
      >>> select([x < 0, x > 1], [-x, x * 10], default=0.0)
      array([ 1.,  0., 20.])
    """
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible")
    out = _operand(default)
    for condition, choice in reversed(list(zip(condlist, choicelist, strict=True))):
        out = where(astype(condition, np.bool_), choice, out)
    return as_result(out)


def piecewise(x, condlist, funclist, *args, **kw):
    """``funclist[i](x)`` where ``condlist[i]`` holds (constants allowed; one extra
    function is the default), evaluated everywhere and selected.

    >>> piecewise(np.array([-1.0, 2.0]), [np.array([True, False])], [lambda v: -v, lambda v: v * v])
    array([1., 4.])
    """
    x = _operand(x)
    if not isinstance(condlist, (list, tuple)) or (
        condlist and isinstance(condlist[0], (bool, np.bool_))
    ):  # one condition, as NumPy reads it
        if aval_of(_operand(condlist)).ndim <= aval_of(x).ndim:
            condlist = [condlist]
    condlist = [astype(_operand(c), np.bool_) for c in condlist]
    n = len(condlist)
    if len(funclist) not in (n, n + 1):
        raise ValueError(f"with {n} condition(s), either {n} or {n + 1} functions are expected")

    def value(f):
        out = f(x, *args, **kw) if callable(f) else f
        return astype(broadcast_to(_operand(out), aval_of(x).shape), aval_of(x).dtype)

    out = (
        value(funclist[n])
        if len(funclist) == n + 1
        else np.zeros(aval_of(x).shape, aval_of(x).dtype)
    )
    for condition, f in zip(condlist, funclist[:n], strict=True):
        out = where(condition, value(f), out)
    return as_result(out)


def choose(a, choices, out=None, mode="raise"):
    """``choices[a[i]][i]`` for each position ``i`` (the arrays broadcast); ``mode``
    ``"raise"`` (concrete indices only), ``"wrap"`` or ``"clip"``.

    Args:
      a: integer indices into ``choices``.
      choices: a sequence of arrays.
      out: unsupported (must be None).
      mode: how out-of-range indices are handled.

    Examples:
      >>> choose(np.array([0, 1, 0]), [np.array([1.0, 2.0, 3.0]), np.array([-1.0, -2.0, -3.0])])
      array([ 1., -2.,  3.])
    """
    if out is not None:
        raise NotImplementedError("mini_ad.numpy.choose does not support out=")
    a = astype(_operand(a), np.int64)
    choices = promote_dtypes(*choices)
    n = len(choices)
    if mode == "wrap":
        a = remainder(a, n)
    elif mode == "clip":
        a = where(a < 0, 0, where(a >= n, n - 1, a))
    elif not isinstance(a, Tracer) and np.any((np.asarray(a) < 0) | (np.asarray(a) >= n)):
        raise ValueError("invalid entry in choice array")
    arrays = broadcast_arrays(a, *choices)
    shape = np.broadcast_shapes(*[aval_of(x).shape for x in arrays])
    a, *choices = [broadcast_to(x, shape) for x in arrays]
    stacked = stack(choices, axis=0)
    return reshape(take_along_axis(stacked, expand_dims(a, 0), axis=0, mode="clip"), shape)


def lexsort(keys, axis=-1):
    """Indices sorting by several keys: the last key is the primary one; ties broken
    by the keys before it (stable).

    Args:
      keys: a sequence of arrays (or a 2-D array, one key per row).
      axis: the axis to sort along.

    Examples:
      >>> lexsort([np.array([1, 0, 2]), np.array([1, 1, 0])])
      array([2, 1, 0])
    """
    keys = (
        list(keys)
        if not isinstance(keys, (np.ndarray, Tracer))
        else [take(keys, np.int64(i), axis=0) for i in range(aval_of(keys).shape[0])]
    )
    if not keys:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    keys = [_operand(k) for k in keys]
    shape = np.broadcast_shapes(*[aval_of(k).shape for k in keys])
    keys = [broadcast_to(k, shape) for k in keys]
    (axis,) = canonical_axes(axis, len(shape))
    perm = argsort(keys[0], axis=axis, stable=True)
    for key in keys[1:]:
        reordered = take_along_axis(key, perm, axis=axis)
        perm = take_along_axis(perm, argsort(reordered, axis=axis, stable=True), axis=axis)
    return perm


def partition(a, kth, axis=-1):
    """``a`` rearranged so that the ``kth`` entry is in its sorted place, smaller ones
    before and larger after (this implementation sorts fully, a valid arrangement).

    Args:
      a: an array.
      kth: ignored (a full sort is a valid answer).
      axis: the axis to partition along.

    Examples:
      >>> partition(np.array([3.0, 1.0, 2.0]), 1)[1]
      np.float64(2.0)
    """
    return sort(a, axis=axis)


def argpartition(a, kth, axis=-1):
    """Indices that ``partition`` ``a`` (here: a stable ``argsort``).

    Args:
      a: an array.
      kth: ignored (a full sort is a valid answer).
      axis: the axis to partition along.

    Examples:
      >>> argpartition(np.array([3.0, 1.0, 2.0]), 1)
      array([1, 2, 0])
    """
    return argsort(a, axis=axis, stable=True)


def sort_complex(a):
    """``a`` sorted (real part first, then imaginary) as a complex array.

    >>> sort_complex(np.array([3.0, 1.0]))
    array([1.+0.j, 3.+0.j])
    """
    a = _operand(a)
    dtype = np.complex64 if aval_of(a).dtype.char in "bhBH?" else np.complex128  # NumPy's rule
    if aval_of(a).dtype.kind == "c":
        if isinstance(a, Tracer):
            a = a.to_concrete("sort_complex of a complex array")
        return np.sort_complex(np.asarray(a))
    return astype(sort(a, axis=-1), dtype)


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``func1d`` applied to each 1-D slice along ``axis`` (a ``vmap`` over the others);
    its output axes replace ``axis``.

    Args:
      func1d: a function of a 1-D array.
      axis: the axis of the slices.
      arr: the array.
      args, kwargs: passed on to ``func1d``.

    Examples:
      >>> apply_along_axis(lambda v: v[0] + v[-1], 1, np.arange(6.0).reshape(2, 3))
      array([2., 8.])
    """
    arr = _operand(arr)
    ndim = aval_of(arr).ndim
    (axis,) = canonical_axes(axis, ndim)

    def fn(v):
        return func1d(v, *args, **kwargs)

    for _ in range(1, ndim - axis):
        fn = api.vmap(fn, in_axes=-1, out_axes=-1)
    for _ in range(axis):
        fn = api.vmap(fn, in_axes=0, out_axes=0)
    return as_result(fn(arr))


def apply_over_axes(func, a, axes):
    """``a = func(a, axis)`` for each of ``axes``, keeping a reduced axis as size 1.

    >>> apply_over_axes(np.sum, np.ones((2, 3)), [0, 1])
    array([[6.]])
    """
    a = _operand(a)
    for axis in [axes] if np.ndim(axes) == 0 else axes:
        ndim = aval_of(a).ndim
        (axis,) = canonical_axes(axis, ndim)
        out = _operand(func(a, axis))
        if aval_of(out).ndim == ndim - 1:
            out = expand_dims(out, axis)
        elif aval_of(out).ndim != ndim:
            raise ValueError("function is not returning an array of the correct shape")
        a = out
    return as_result(a)


def vectorize(pyfunc, *, excluded=frozenset(), signature=None):
    """``pyfunc`` applied elementwise over broadcast arguments (``vmap``s over each
    axis); ``signature`` (``"(n),(n)->()"``) gives core dimensions, as ``np.vectorize``.

    Args:
      pyfunc: the function to vectorize.
      excluded: positions or names of arguments passed unvectorized.
      signature: core dimensions, e.g. ``"(n),(n)->()"``.

    Examples:
      >>> vectorize(lambda x, y: x * y + 1)(np.arange(3.0), 2.0)
      array([1., 3., 5.])
    """
    return vectorized(pyfunc, excluded, signature)


def _require_out_of_place(name, inplace):
    if inplace:
        raise ValueError(
            f"mini_ad.numpy.{name} cannot update in place: arrays are values, as in JAX. "
            f"Pass inplace=False and use the returned array."
        )


def put(a, ind, v, mode=None, *, inplace=True):
    """``a`` with the flat positions ``ind`` set to ``v`` (cycled); ``inplace=False``.

    Args:
      a: an array.
      ind: flat indices.
      v: the values.
      mode: ``"wrap"`` or ``"clip"`` out-of-range indices (None: as ``at[].set``).
      inplace: must be False.

    Examples:
      >>> put(np.zeros(3), [0, 2], [1.0, 2.0], inplace=False)
      array([1., 0., 2.])
    """
    _require_out_of_place("put", inplace)
    a = _operand(a)
    ind = ravel(astype(_operand(ind), np.int64))
    n = aval_of(a).size
    if mode == "wrap":
        ind = remainder(ind, n)
    elif mode == "clip":
        ind = where(ind < 0, 0, where(ind >= n, n - 1, ind))
    values = astype(resize(v, aval_of(ind).shape), aval_of(a).dtype)
    return reshape(at(ravel(a))[ind].set(values), aval_of(a).shape)


def place(arr, mask, vals, *, inplace=True):
    """``arr`` with the entries where ``mask`` holds set to ``vals`` (cycled, in order;
    the mask must be concrete); ``inplace=False``.

    >>> place(np.zeros(3), np.array([True, False, True]), [5.0], inplace=False)
    array([5., 0., 5.])
    """
    _require_out_of_place("place", inplace)
    arr = _operand(arr)
    mask = _operand(mask)
    if isinstance(mask, Tracer):
        mask = mask.to_concrete("place")
    positions = np.flatnonzero(np.asarray(mask))
    return put(arr, positions, vals, inplace=False)


def put_along_axis(arr, indices, values, axis, inplace=True, *, mode=None):
    """``arr`` with ``arr[..., indices, ...] = values`` along ``axis``
    (``take_along_axis``'s inverse); ``inplace=False``.

    Args:
      arr: an array.
      indices: indices along ``axis``.
      values: the values.
      axis: the axis (None: flattened).
      inplace: must be False.
      mode: accepted for NumPy compatibility (ignored).

    Examples:
      >>> put_along_axis(np.zeros((2, 2)), np.array([[1], [0]]), 5.0, 1, inplace=False)
      array([[0., 5.],
             [5., 0.]])
    """
    _require_out_of_place("put_along_axis", inplace)
    arr = _operand(arr)
    indices = astype(_operand(indices), np.int64)
    shape = aval_of(arr).shape
    if axis is None:
        return reshape(put_along_axis(ravel(arr), ravel(indices), values, 0, False), shape)
    (axis,) = canonical_axes(axis, len(shape))
    index_shape = aval_of(indices).shape
    full = []
    for d in range(len(shape)):
        if d == axis:
            full.append(indices)
        else:
            grid = np.arange(shape[d]).reshape([-1 if k == d else 1 for k in range(len(shape))])
            full.append(np.broadcast_to(grid, np.broadcast_shapes(grid.shape, index_shape)))
    out_shape = np.broadcast_shapes(*[aval_of(_operand(i)).shape for i in full])
    values = broadcast_to(astype(_operand(values), aval_of(arr).dtype), out_shape)
    return at(arr)[tuple(full)].set(values)


def fill_diagonal(a, val, wrap=False, *, inplace=True):
    """``a`` with its main diagonal set to ``val`` (cycled; all sides equal beyond 2-D;
    ``wrap`` continues past square blocks of tall matrices); ``inplace=False``.

    >>> fill_diagonal(np.zeros((2, 2)), 3.0, inplace=False)
    array([[3., 0.],
           [0., 3.]])
    """
    _require_out_of_place("fill_diagonal", inplace)
    a = _operand(a)
    shape = aval_of(a).shape
    if len(shape) < 2:
        raise ValueError("array must be at least 2-d")
    end = None
    if len(shape) == 2:
        step = shape[1] + 1
        if not wrap:
            end = shape[1] * shape[1]
    else:
        if len(set(shape)) != 1:
            raise ValueError("All dimensions of input must be of equal length")
        step = 1 + int(np.cumprod(shape[:-1]).sum())
    positions = np.arange(aval_of(a).size)[:end:step]
    return put(a, positions, ravel(_operand(val)), inplace=False)
