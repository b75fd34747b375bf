"""Running reductions, the associative scan, sorting and ``top_k``.

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.cummax(np.array([1.0, 3.0, 2.0])))
[1. 3. 3.]
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import transpose
from mini_ad.primitives.cumulative import (
    associative_scan_flat,
    cumlogsumexp_p,
    cummax_p,
    cummin_p,
    cumprod_p,
    slice_along,
)
from mini_ad.primitives.elementwise import neg
from mini_ad.primitives.indexing import iota
from mini_ad.primitives.sorting import sort as sort_flat
from mini_ad.primitives.structural import rev
from mini_ad.tree_util import tree_flatten, tree_unflatten


def _axis(x, axis):
    ndim = aval_of(x).ndim
    if not -ndim <= int(axis) < ndim:
        raise ValueError(f"axis {axis} is out of bounds for an array of rank {ndim}.")
    return int(axis) % ndim


def cumprod(operand, axis: int = 0, reverse: bool = False):
    """Running product along ``axis``, as ``jax.lax.cumprod``.

    Differentiated through the parallel prefix scan of ``mul`` (as JAX), so the
    derivative is exact where entries are zero.

    Args:
      operand: a numeric array.
      axis: the dim to accumulate along.
      reverse: accumulate from the end.

    Returns:
      An array of ``operand``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.cumprod(np.array([1.0, 2.0, 3.0]), axis=0, reverse=True))
      [6. 6. 3.]
    """
    return cumprod_p.bind(operand, axis=_axis(operand, axis), reverse=bool(reverse))


def cummax(operand, axis: int = 0, reverse: bool = False):
    """Running maximum along ``axis``, as ``jax.lax.cummax``.

    Differentiated through the parallel prefix scan of ``max`` (as JAX): at each ``max``
    of the scan's tree a tie splits the derivative in halves.

    Args:
      operand: a real array.
      axis: the dim to accumulate along.
      reverse: accumulate from the end.

    Returns:
      An array of ``operand``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.cummax(np.array([1, 3, 2]), axis=0, reverse=True))
      [3 3 2]
    """
    return cummax_p.bind(operand, axis=_axis(operand, axis), reverse=bool(reverse))


def cummin(operand, axis: int = 0, reverse: bool = False):
    """Running minimum along ``axis``, as ``jax.lax.cummin``.

    Differentiated through the parallel prefix scan of ``min``, ties as ``cummax``.

    Args:
      operand: a real array.
      axis: the dim to accumulate along.
      reverse: accumulate from the end.

    Returns:
      An array of ``operand``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.cummin(np.array([3, 1, 2]), axis=0, reverse=False))
      [3 1 1]
    """
    return cummin_p.bind(operand, axis=_axis(operand, axis), reverse=bool(reverse))


def cumlogsumexp(operand, axis: int = 0, reverse: bool = False):
    """Running ``log(sum(exp(x)))`` along ``axis``, as ``jax.lax.cumlogsumexp``.

    Args:
      operand: a floating array.
      axis: the dim to accumulate along.
      reverse: accumulate from the end.

    Returns:
      An array of ``operand``'s shape and dtype.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.cumlogsumexp(np.log(np.array([1.0, 2.0, 3.0])), axis=0, reverse=False))
      [0.         1.09861229 1.79175947]
    """
    return cumlogsumexp_p.bind(operand, axis=_axis(operand, axis), reverse=bool(reverse))


def associative_scan(fn, elems, reverse: bool = False, axis: int = 0):
    """The inclusive scan of an associative ``fn`` over pytrees, as ``jax.lax.associative_scan``.

    ``out[i] = fn(... fn(fn(elems[0], elems[1]), elems[2]) ..., elems[i])`` along ``axis``,
    computed by Blelloch's parallel prefix scan in O(log n) rounds of ``fn`` applied to
    whole slices (``fn`` must accept arrays and be associative). The combine order is
    JAX's, so values and derivatives agree with JAX's.

    Args:
      fn: an associative function of two pytrees (elems-shaped slices) to one.
      elems: a pytree of arrays with one length along ``axis``.
      reverse: scan from the end.
      axis: the dim to scan along.

    Returns:
      A pytree of ``elems``' structure and shapes.

    Raises:
      TypeError: ``fn`` is not callable.
      ValueError: the leaves differ in length along ``axis``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.associative_scan(lax.add, np.arange(5), reverse=False, axis=0))
      [ 0  1  3  6 10]
      >>> print(lax.associative_scan(lax.add, np.arange(4), reverse=True))
      [6 6 5 3]
    """
    if not callable(fn):
        raise TypeError("lax.associative_scan: fn argument should be callable.")
    flat, tree = tree_flatten(elems)
    axis = _axis(flat[0], axis)
    lengths = [aval_of(x).shape[axis] if aval_of(x).ndim > axis else None for x in flat]
    if any(n != lengths[0] for n in lengths):
        raise ValueError("Array inputs to associative_scan must have the same length along "
                         f"axis {axis}, got shapes {[aval_of(x).shape for x in flat]}.")  # fmt: skip

    def combine(a, b):
        out = fn(tree_unflatten(tree, a), tree_unflatten(tree, b))
        return tree_flatten(out)[0]

    return tree_unflatten(tree, associative_scan_flat(combine, flat, axis, bool(reverse)))


def sort(operand, dimension: int = -1, is_stable: bool = True, num_keys: int = 1):
    """Sort along ``dimension``, as ``jax.lax.sort``.

    ``operand`` is an array, or a sequence of arrays of one shape sorted together
    (lexicographically by the first ``num_keys``). NaNs sort last; the sort is always
    stable.

    Args:
      operand: an array or a tuple/list of arrays of one shape.
      dimension: the dim to sort along.
      is_stable: accepted for JAX's signature (the sort is always stable).
      num_keys: how many leading operands are keys.

    Returns:
      The sorted array, or a tuple of the sorted operands.

    Raises:
      ValueError: ``num_keys`` is out of range.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.sort(np.array([3.0, 1.0, 2.0]), dimension=0, is_stable=True))
      [1. 2. 3.]
      >>> keys, values = lax.sort((np.array([2, 1, 2]), np.array([0.0, 1.0, 2.0])), num_keys=1)
      >>> print(keys, values)
      [1 2 2] [1. 0. 2.]
    """
    single = not isinstance(operand, (tuple, list))
    operands = [operand] if single else list(operand)
    if not 1 <= int(num_keys) <= len(operands):
        raise ValueError(f"{num_keys=} must be between 1 and the number of operands, "
                         f"{len(operands)}.")  # fmt: skip
    out = sort_flat(operands, _axis(operands[0], dimension), is_stable, num_keys)
    return out[0] if single else tuple(out)


def sort_key_val(keys, values, dimension: int = -1, is_stable: bool = True):
    """Sort ``keys`` and ``values`` along ``dimension`` by ``keys``, as ``jax.lax.sort_key_val``.

    Args:
      keys: the array to sort by.
      values: an array of ``keys``' shape, permuted the same way.
      dimension: the dim to sort along.
      is_stable: accepted for JAX's signature (the sort is always stable).

    Returns:
      ``(sorted_keys, permuted_values)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> k, v = lax.sort_key_val(np.array([3, 1, 2]), np.array([0.0, 1.0, 2.0]),
      ...                         dimension=-1, is_stable=True)
      >>> print(k, v)
      [1 2 3] [1. 2. 0.]
    """
    return sort((keys, values), dimension, is_stable, 1)


def top_k(operand, k: int, *, axis: int = -1):
    """The ``k`` largest entries along ``axis`` and their indices, as ``jax.lax.top_k``.

    Largest first; among equal values the lower index first; NaN counts as the largest.
    The values' derivative flows to the selected positions (one per tie).

    Args:
      operand: a real array.
      k: how many entries to keep (``0 <= k <=`` the length along ``axis``).
      axis: the dim to select along.

    Returns:
      ``(values, indices)``: ``operand``'s dtype and int32, ``axis`` of length ``k``.

    Raises:
      ValueError: ``k`` is out of range.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> values, indices = lax.top_k(np.array([1.0, 3.0, 2.0, 3.0]), 2, axis=-1)
      >>> print(values, indices)
      [3. 3.] [1 3]
    """
    shape = aval_of(operand).shape
    axis = _axis(operand, axis)
    k = int(k)
    if not 0 <= k <= shape[axis]:
        raise ValueError(f"top_k: k={k} must be between 0 and {shape[axis]} (the length of "
                         f"axis {axis}).")  # fmt: skip
    last = len(shape) - 1
    perm = [d for d in range(len(shape)) if d != axis] + [axis]
    x = transpose(operand, perm) if axis != last else operand
    moved = aval_of(x).shape
    # ascending by (x, -index), reversed: descending x, ties by ascending index
    values, negated = sort_flat([x, neg(iota(np.int32, moved, last))], last, True, 2)
    values = slice_along(rev(values, (last,)), 0, k, 1, last)
    indices = slice_along(rev(neg(negated), (last,)), 0, k, 1, last)
    if axis != last:
        back = list(np.argsort(perm))
        values, indices = transpose(values, back), transpose(indices, back)
    return values, indices


__all__ = [
    "associative_scan", "cumlogsumexp", "cummax", "cummin", "cumprod", "sort", "sort_key_val",
    "top_k",
]  # fmt: skip
