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
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.elementwise import add, bitwise_and, neg, select_n
from mini_ad.primitives.indexing import iota
from mini_ad.primitives.indexing import scatter as scatter_fn
from mini_ad.primitives.indexing import scatter_add as scatter_add_fn
from mini_ad.primitives.structural import pad, slice  # noqa: A004 - lax's name


def _scatter(kind, operand, scatter_indices, updates, dn: ScatterDimensionNumbers, mode):
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


__all__ = ["scatter", "scatter_add", "scatter_sub"]
