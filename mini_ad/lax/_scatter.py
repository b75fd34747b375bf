"""``scatter``, ``scatter_add`` and ``scatter_sub`` with JAX's dimension numbers and
out-of-bounds modes, rewritten into mini_ad's NumPy-style ``scatter`` / ``scatter-add``
primitives (see ``_gather``).

>>> import numpy as np
>>> from mini_ad import lax
>>> dnums = lax.ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,),
...                                     scatter_dims_to_operand_dims=(0,))
>>> print(lax.scatter_add(np.zeros(3), np.array([[1], [1], [5]]), np.ones(3), dnums))
[0. 2. 0.]
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.lax._gather import ScatterDimensionNumbers, _bounded, _mode, _starts
from mini_ad.numpy._at import _layers
from mini_ad.primitives.arithmetic import max as max_
from mini_ad.primitives.arithmetic import min as min_
from mini_ad.primitives.arithmetic import mul
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.elementwise import add, bitwise_and, neg, select_n
from mini_ad.primitives.indexing import gather, iota
from mini_ad.primitives.indexing import scatter as scatter_fn
from mini_ad.primitives.indexing import scatter_add as scatter_add_fn
from mini_ad.primitives.logic import convert_element_type
from mini_ad.primitives.structural import pad, reshape, slice  # noqa: A004 - lax's name


def _targets(kind, operand, scatter_indices, updates, dn: ScatterDimensionNumbers):
    """Where each element of ``updates`` goes: one index array per operand dim (of the
    updates' shape), whether each window was in bounds (None: no index vector), and the
    updates' scatter dims."""
    op_shape = aval_of(operand).shape
    dtype = aval_of(operand).dtype
    u_shape = aval_of(updates).shape
    if aval_of(updates).dtype != dtype:
        raise TypeError(f"{kind}: updates of dtype {aval_of(updates).dtype.name} do not match "
                        f"the operand's {dtype.name}.")  # fmt: skip
    window_dims = tuple(dn.update_window_dims)
    scatter_dims = tuple(i for i in range(len(u_shape)) if i not in window_dims)
    implicit = set(dn.inserted_window_dims) | set(dn.operand_batching_dims)
    windowed = [d for d in range(len(op_shape)) if d not in implicit]
    if len(windowed) != len(window_dims):
        raise TypeError(f"{kind}: update_window_dims {window_dims} do not match the operand's "
                        f"{len(windowed)} window dims.")  # fmt: skip
    sizes = [1] * len(op_shape)
    for d, u in zip(windowed, window_dims, strict=True):
        sizes[d] = u_shape[u]
    index_dtype = aval_of(scatter_indices).dtype
    starts = _starts(scatter_indices)
    in_bounds = None
    index_arrays = []
    to_operand = tuple(dn.scatter_dims_to_operand_dims)
    for d, n in enumerate(op_shape):
        ramp = iota(index_dtype, u_shape, window_dims[windowed.index(d)]) if d in windowed else None
        if d in to_operand:
            placed, ok = _bounded(starts[to_operand.index(d)], n - sizes[d], scatter_dims, u_shape)
            in_bounds = ok if in_bounds is None else bitwise_and(in_bounds, ok)
            index_arrays.append(placed if ramp is None else add(placed, ramp))
        elif d in tuple(dn.operand_batching_dims):
            j = tuple(dn.operand_batching_dims).index(d)
            batch_dim = scatter_dims[tuple(dn.scatter_indices_batching_dims)[j]]
            index_arrays.append(iota(index_dtype, u_shape, batch_dim))
        elif ramp is not None:
            index_arrays.append(ramp)
        else:
            index_arrays.append(broadcast_in_dim(np.zeros((), index_dtype), u_shape, ()))
    return index_arrays, in_bounds, scatter_dims


def _scatter(kind, operand, scatter_indices, updates, dn: ScatterDimensionNumbers, mode):
    op_shape, dtype = aval_of(operand).shape, aval_of(operand).dtype
    u_shape = aval_of(updates).shape
    index_arrays, in_bounds, scatter_dims = _targets(kind, operand, scatter_indices, updates, dn)
    index_dtype = aval_of(scatter_indices).dtype
    axes = tuple(range(len(op_shape)))
    drop = _mode(mode, scatter=True) == "fill" and in_bounds is not None and op_shape
    if drop:
        # a dropped update goes to an extra row along dim 0, cut off afterwards
        config = [(0, 1, 0)] + [(0, 0, 0)] * (len(op_shape) - 1)
        target = pad(operand, np.zeros((), dtype), config)
        keep = broadcast_in_dim(in_bounds, u_shape, scatter_dims)
        trash = broadcast_in_dim(np.asarray(op_shape[0], index_dtype), u_shape, ())
        index_arrays[0] = select_n(keep, trash, index_arrays[0])
    else:
        target = operand
    scattered = (scatter_fn if kind == "scatter" else scatter_add_fn)(
        target, updates if kind != "scatter_sub" else neg(updates), index_arrays, axes
    )
    if drop:
        scattered = slice(scattered, (0,) * len(op_shape), op_shape)
    return scattered


def scatter_add(operand, scatter_indices, updates, dimension_numbers, *,
                indices_are_sorted=False, unique_indices=False, mode=None):  # fmt: skip
    """``operand`` with ``updates`` added at windows starting at ``scatter_indices``, as
    ``jax.lax.scatter_add`` (repeated indices accumulate).

    Args:
      operand: an array.
      scatter_indices: an integer array whose last dim holds the index vectors.
      updates: an array of ``operand``'s dtype: scatter dims, then window dims.
      dimension_numbers: a ``ScatterDimensionNumbers``.
      indices_are_sorted: accepted for JAX's signature (a hint).
      unique_indices: accepted for JAX's signature (a hint).
      mode: "fill"/"drop" (default: out-of-bounds windows are skipped), "clip" (starts
        are clamped) or "promise_in_bounds" (skipped, as JAX on CPU).

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> dnums = lax.ScatterDimensionNumbers(update_window_dims=(1,),
      ...                                     inserted_window_dims=(0,),
      ...                                     scatter_dims_to_operand_dims=(0,))
      >>> print(lax.scatter_add(np.zeros((3, 2)), np.array([[2], [0]]), np.ones((2, 2)), dnums,
      ...                       indices_are_sorted=False, unique_indices=False, mode="clip"))
      [[1. 1.]
       [0. 0.]
       [1. 1.]]
    """
    return _scatter("scatter_add", operand, scatter_indices, updates, dimension_numbers, mode)


def scatter_sub(operand, scatter_indices, updates, dimension_numbers, *,
                indices_are_sorted=False, unique_indices=False, mode=None):  # fmt: skip
    """``operand`` with ``updates`` subtracted at windows starting at ``scatter_indices``,
    as ``jax.lax.scatter_sub``.

    Args:
      operand: an array.
      scatter_indices: an integer array whose last dim holds the index vectors.
      updates: an array of ``operand``'s dtype: scatter dims, then window dims.
      dimension_numbers: a ``ScatterDimensionNumbers``.
      indices_are_sorted: accepted for JAX's signature (a hint).
      unique_indices: accepted for JAX's signature (a hint).
      mode: "fill"/"drop" (default), "clip" or "promise_in_bounds", as ``scatter_add``.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> dnums = lax.ScatterDimensionNumbers((), (0,), (0,))
      >>> print(lax.scatter_sub(np.zeros(3), np.array([[0], [0]]), np.ones(2), dnums,
      ...                       indices_are_sorted=False, unique_indices=False, mode=None))
      [-2.  0.  0.]
    """
    return _scatter("scatter_sub", operand, scatter_indices, updates, dimension_numbers, mode)


def scatter(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
            unique_indices=False, mode=None):  # fmt: skip
    """``operand`` with windows starting at ``scatter_indices`` replaced by ``updates``, as
    ``jax.lax.scatter``. Where indices repeat, the last update wins (JAX leaves the order
    unspecified).

    Args:
      operand: an array.
      scatter_indices: an integer array whose last dim holds the index vectors.
      updates: an array of ``operand``'s dtype: scatter dims, then window dims.
      dimension_numbers: a ``ScatterDimensionNumbers``.
      indices_are_sorted: accepted for JAX's signature (a hint).
      unique_indices: accepted for JAX's signature (a hint).
      mode: "fill"/"drop" (default), "clip" or "promise_in_bounds", as ``scatter_add``.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> dnums = lax.ScatterDimensionNumbers((), (0,), (0,))
      >>> print(lax.scatter(np.zeros(3), np.array([[2], [7]]), np.ones(2), dnums,
      ...                   indices_are_sorted=True, unique_indices=True, mode="fill"))
      [0. 0. 1.]
    """
    return _scatter("scatter", operand, scatter_indices, updates, dimension_numbers, mode)


def _scatter_combine(kind, op, operand, scatter_indices, updates, dn, mode):
    """``operand[t] = op(operand[t], u)`` for every update ``u`` and its target ``t``, repeated
    targets in turn (so repeats compound, as in XLA): layers of distinct flat positions, each
    a gather, ``op`` and a scatter; out-of-bounds windows go to a trash element past the end."""
    op_shape = aval_of(operand).shape
    u_shape = aval_of(updates).shape
    index_arrays, in_bounds, scatter_dims = _targets(kind, operand, scatter_indices, updates, dn)
    size = int(np.prod(op_shape, dtype=np.int64))
    strides = np.cumprod((1,) + op_shape[:0:-1], dtype=np.int64)[::-1]
    flat_pos = broadcast_in_dim(np.zeros((), np.int64), u_shape, ())
    for index, stride in zip(index_arrays, strides, strict=True):
        flat_pos = add(flat_pos, mul(convert_element_type(index, np.int64), np.int64(stride)))
    flat = reshape(operand, (size,))
    drop = _mode(mode, scatter=True) == "fill" and in_bounds is not None
    if drop:
        flat = pad(flat, np.zeros((), aval_of(operand).dtype), [(0, 1, 0)])
        keep = broadcast_in_dim(in_bounds, u_shape, scatter_dims)
        flat_pos = select_n(keep, broadcast_in_dim(np.int64(size), u_shape, ()), flat_pos)
    m = int(np.prod(u_shape, dtype=np.int64))
    positions, values = reshape(flat_pos, (m,)), reshape(updates, (m,))
    for picked, pos in _layers(positions, m):
        update = values if picked is None else gather(values, [picked], (0,))
        flat = scatter_fn(flat, op(gather(flat, [pos], (0,)), update), [pos], (0,))
    if drop:
        flat = slice(flat, (0,), (size,))
    return reshape(flat, op_shape)


_EXAMPLE = {"scatter_mul": "[3., 2., 8.]", "scatter_min": "[0.5, 2. , 2. ]",
            "scatter_max": "[3., 2., 4.]"}  # fmt: skip


def _combining(kind, op, verb):
    def fn(operand, scatter_indices, updates, dimension_numbers, *, indices_are_sorted=False,
           unique_indices=False, mode=None):  # fmt: skip
        return _scatter_combine(
            kind, op, operand, scatter_indices, updates, dimension_numbers, mode
        )

    fn.__name__ = fn.__qualname__ = kind
    fn.__doc__ = f"""``operand`` with each window starting at ``scatter_indices`` {verb} the
    matching ``updates``, as ``jax.lax.{kind}`` (repeated indices compound).

    Differentiable by the composition it is built from (a gather, ``{op.__name__}`` and a
    scatter per layer of distinct positions), also where indices repeat.

    Args:
      operand: an array.
      scatter_indices: an integer array whose last dim holds the index vectors.
      updates: an array of ``operand``'s dtype: scatter dims, then window dims.
      dimension_numbers: a ``ScatterDimensionNumbers``.
      indices_are_sorted: accepted for JAX's signature (a hint).
      unique_indices: accepted for JAX's signature (a hint).
      mode: "fill"/"drop" (default), "clip" or "promise_in_bounds", as ``scatter_add``.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> dnums = lax.ScatterDimensionNumbers((), (0,), (0,))
      >>> lax.{kind}(np.full(3, 2.0), np.array([[0], [0], [2]]), np.array([3.0, 0.5, 4.0]), dnums)
      array({_EXAMPLE[kind]})
    """
    return fn


scatter_mul = _combining("scatter_mul", mul, "multiplied by")
scatter_min = _combining("scatter_min", min_, "replaced by its minimum with")
scatter_max = _combining("scatter_max", max_, "replaced by its maximum with")


def scatter_apply(operand, scatter_indices, func, dimension_numbers, *, update_shape=(),
                  indices_are_sorted=False, unique_indices=False, mode=None):  # fmt: skip
    """``operand`` with ``func`` applied at the windows starting at ``scatter_indices``, once
    per occurrence of each index, as ``jax.lax.scatter_apply``.

    Args:
      operand: an array.
      scatter_indices: an integer array whose last dim holds the index vectors.
      func: a unary function of the selected elements, applied elementwise.
      dimension_numbers: a ``ScatterDimensionNumbers``.
      update_shape: the shape the updates would have (scatter dims, then window dims).
      indices_are_sorted: accepted for JAX's signature (a hint).
      unique_indices: accepted for JAX's signature (a hint).
      mode: "fill"/"drop" (default), "clip" or "promise_in_bounds", as ``scatter_add``.

    Returns:
      An array of ``operand``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> dnums = lax.ScatterDimensionNumbers((), (0,), (0,))
      >>> lax.scatter_apply(np.ones(3), np.array([[1], [1]]), lambda v: v * 3, dnums,
      ...                   update_shape=(2,))
      array([1., 9., 1.])
    """
    dummy = broadcast_in_dim(np.zeros((), aval_of(operand).dtype), tuple(update_shape), ())
    return _scatter_combine(
        "scatter_apply", lambda current, _: func(current), operand, scatter_indices, dummy,
        dimension_numbers, mode,
    )  # fmt: skip


__all__ = [
    "scatter", "scatter_add", "scatter_apply", "scatter_max", "scatter_min", "scatter_mul",
    "scatter_sub",
]  # fmt: skip
