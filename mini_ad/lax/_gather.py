"""XLA-style ``gather`` and ``scatter`` / ``scatter_add`` / ``scatter_sub`` with JAX's
dimension numbers and out-of-bounds modes.

Each is rewritten into mini_ad's NumPy-style ``gather`` / ``scatter`` / ``scatter-add``
primitives: one integer index array per operand dim, all broadcast to the shape of the
gathered block (or of ``updates``), so derivatives, vmap and jit come from those
primitives. Out-of-bounds windows are clamped (``"clip"``, ``"promise_in_bounds"``) or
filled with ``fill_value`` / dropped (``"fill"``): a dropped update is sent to an
extra row that is cut off afterwards. The default (``None``, ``"promise_in_bounds"``)
clamps for a gather and drops for a scatter, as JAX does on CPU.

>>> import numpy as np
>>> from mini_ad import lax
>>> dnums = lax.GatherDimensionNumbers(offset_dims=(), collapsed_slice_dims=(0,),
...                                    start_index_map=(0,))
>>> print(lax.gather(np.arange(5.0), np.array([[3], [1]]), dnums, (1,)))
[3. 1.]
"""

from __future__ import annotations

import enum
from typing import NamedTuple

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.lax._core import clamp
from mini_ad.primitives.base import broadcast_in_dim, reshape, transpose
from mini_ad.primitives.elementwise import add, bitwise_and, ge, le, select_n
from mini_ad.primitives.indexing import gather as gather_p_fn
from mini_ad.primitives.indexing import iota
from mini_ad.primitives.structural import slice, squeeze  # noqa: A004 - lax's name


class GatherDimensionNumbers(NamedTuple):
    """The dimension numbers of ``gather``, as ``jax.lax.GatherDimensionNumbers``.

    ``offset_dims``: the output dims holding the slice's (non-collapsed) dims;
    ``collapsed_slice_dims``: operand dims whose slice size 1 is dropped;
    ``start_index_map``: the operand dim each entry of an index vector starts;
    ``operand_batching_dims`` / ``start_indices_batching_dims``: paired batch dims.
    """

    offset_dims: tuple
    collapsed_slice_dims: tuple
    start_index_map: tuple
    operand_batching_dims: tuple = ()
    start_indices_batching_dims: tuple = ()


class ScatterDimensionNumbers(NamedTuple):
    """The dimension numbers of the scatters, as ``jax.lax.ScatterDimensionNumbers``.

    ``update_window_dims``: the dims of ``updates`` that are window dims;
    ``inserted_window_dims``: operand dims with an implicit window of size 1;
    ``scatter_dims_to_operand_dims``: the operand dim each entry of an index vector starts;
    ``operand_batching_dims`` / ``scatter_indices_batching_dims``: paired batch dims.
    """

    update_window_dims: tuple
    inserted_window_dims: tuple
    scatter_dims_to_operand_dims: tuple
    operand_batching_dims: tuple = ()
    scatter_indices_batching_dims: tuple = ()


class GatherScatterMode(enum.Enum):
    """What out-of-bounds windows do, as ``jax.lax.GatherScatterMode``."""

    CLIP = "clip"
    FILL_OR_DROP = "fill"
    PROMISE_IN_BOUNDS = "promise_in_bounds"


def _mode(mode, scatter: bool) -> str:
    """ "clip" or "fill" (drop, for scatters). None and "promise_in_bounds" behave as on
    JAX's CPU backend: a gather clamps, a scatter drops out-of-bounds windows."""
    if mode is None:
        return "fill" if scatter else "clip"
    name = str(getattr(mode, "name", mode)).lower()
    table = {"clip": "clip", "fill": "fill", "drop": "fill", "fill_or_drop": "fill",
             "promise_in_bounds": "fill" if scatter else "clip"}  # fmt: skip
    if name not in table:
        raise ValueError(f"Unknown gather mode {mode!r}")
    return table[name]


def _fill_value(dtype, fill_value):
    if fill_value is not None:
        return np.asarray(fill_value, dtype)
    if dtype.kind in "fc":
        return np.asarray(np.nan, dtype)
    if dtype.kind == "b":
        return np.asarray(True)
    info = np.iinfo(dtype)
    return np.asarray(info.min if dtype.kind == "i" else info.max, dtype)


def _starts(indices):
    """The index vectors' entries, each of the batch shape (the last dim is the vector)."""
    shape = aval_of(indices).shape
    last = len(shape) - 1
    out = []
    for k in range(shape[-1]):
        starts = [0] * len(shape)
        limits = list(shape)
        starts[last], limits[last] = k, k + 1
        out.append(squeeze(slice(indices, starts, limits), (last,)))
    return out


def _bounded(start, limit, placed_dims, shape):
    """``start`` clamped into ``[0, limit]``, placed on ``placed_dims`` of ``shape``, and
    whether it was in bounds."""
    dtype = aval_of(start).dtype
    zero, top = np.zeros((), dtype), np.asarray(limit, dtype)
    ok = bitwise_and(ge(start, zero), le(start, top))
    clamped = clamp(zero, start, top)
    return broadcast_in_dim(clamped, shape, placed_dims), ok


def gather(operand, start_indices, dimension_numbers, slice_sizes, *, unique_indices=False,
           indices_are_sorted=False, mode=None, fill_value=None):  # fmt: skip
    """Slices of ``operand`` at the index vectors in ``start_indices``, as ``jax.lax.gather``.

    The last dim of ``start_indices`` holds the index vectors; its other dims are the
    batch dims of the output, which holds them where ``offset_dims`` does not point.

    Args:
      operand: an array.
      start_indices: an integer array ``(*batch, len(start_index_map))``.
      dimension_numbers: a ``GatherDimensionNumbers``.
      slice_sizes: the slice's size per operand dim.
      unique_indices: accepted for JAX's signature (a hint).
      indices_are_sorted: accepted for JAX's signature (a hint).
      mode: "clip" (starts are clamped), "fill" (out-of-bounds slices read
        ``fill_value``) or "promise_in_bounds" (the default; clamped, as JAX on CPU).
      fill_value: the value of out-of-bounds slices (default NaN, the integer minimum
        for signed, the maximum for unsigned, True for bool).

    Returns:
      The gathered array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.arange(12.0).reshape(3, 4)
      >>> dnums = lax.GatherDimensionNumbers(offset_dims=(1,), collapsed_slice_dims=(0,),
      ...                                    start_index_map=(0, 1))
      >>> print(lax.gather(x, np.array([[0, 1], [2, 3]]), dnums, slice_sizes=(1, 2),
      ...                  unique_indices=False, indices_are_sorted=False, mode="fill",
      ...                  fill_value=None))
      [[ 1.  2.]
       [nan nan]]
    """
    dn = dimension_numbers
    op_shape = aval_of(operand).shape
    dtype = aval_of(operand).dtype
    index_shape = aval_of(start_indices).shape
    batch = index_shape[:-1]
    nb = len(batch)
    sizes = tuple(int(s) for s in slice_sizes)
    if len(sizes) != len(op_shape) or any(s > n for s, n in zip(sizes, op_shape, strict=True)):
        raise TypeError(f"gather: slice_sizes {sizes} must have one entry per operand dim, "
                        f"each at most the dim's size {op_shape}.")  # fmt: skip
    full = batch + sizes
    index_dtype = aval_of(start_indices).dtype
    starts = _starts(start_indices)
    in_bounds = None
    index_arrays = []
    for d, n in enumerate(op_shape):
        ramp = iota(index_dtype, full, nb + d)
        if d in tuple(dn.start_index_map):
            k = tuple(dn.start_index_map).index(d)
            placed, ok = _bounded(starts[k], n - sizes[d], tuple(range(nb)), full)
            in_bounds = ok if in_bounds is None else bitwise_and(in_bounds, ok)
            index_arrays.append(ramp if sizes[d] == 0 else add(placed, ramp))
        elif d in tuple(dn.operand_batching_dims):
            j = tuple(dn.operand_batching_dims).index(d)
            index_arrays.append(iota(index_dtype, full, tuple(dn.start_indices_batching_dims)[j]))
        else:
            index_arrays.append(ramp)
    out = gather_p_fn(operand, index_arrays, tuple(range(len(op_shape))))
    if _mode(mode, scatter=False) == "fill" and in_bounds is not None:
        mask = broadcast_in_dim(in_bounds, full, tuple(range(nb)))
        fill = broadcast_in_dim(_fill_value(dtype, fill_value), full, ())
        out = select_n(mask, fill, out)
    dropped = set(dn.collapsed_slice_dims) | set(dn.operand_batching_dims)
    window = [d for d in range(len(op_shape)) if d not in dropped]
    out = reshape(out, batch + tuple(sizes[d] for d in window))
    offset_dims = sorted(dn.offset_dims)
    perm, next_batch = [], 0
    for p in range(nb + len(window)):
        if p in offset_dims:
            perm.append(nb + offset_dims.index(p))
        else:
            perm.append(next_batch)
            next_batch += 1
    return transpose(out, tuple(perm)) if perm != list(range(len(perm))) else out


__all__ = ["GatherDimensionNumbers", "GatherScatterMode", "ScatterDimensionNumbers", "gather"]
