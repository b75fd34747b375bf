"""``sort``: sort several operands of one shape along a dimension by their first
``num_keys`` operands (lexicographically), as JAX's ``sort`` primitive.

``argsort`` is ``sort`` of ``(x, iota)`` keyed on ``x``, taking the permuted iota.
The sort is a permutation of each operand, so its derivative moves the tangents the
same way: ``d sort(x)_i = dx_{perm(i)}``, with ``perm`` the (stable) argsort of the
keys. Ties are broken by position, so exactly one element of a tie wins each slot
(as in JAX, and unlike ``reduce_max``'s even split).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.indexing import gather, iota

sort_p = Primitive("sort", multiple_results=True)
sort_p.lowering = lambda lx, *xs, dimension, is_stable, num_keys: lx.lax.sort(
    xs, dimension=dimension, is_stable=is_stable, num_keys=num_keys
)
sort_p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")


def sort(operands, dimension: int = -1, is_stable: bool = True, num_keys: int = 1) -> list:
    """Sort ``operands`` (a list, one shape) along ``dimension`` by the first ``num_keys``.

    >>> import numpy as np
    >>> [v.tolist() for v in sort([np.array([3.0, 1.0, 2.0]), np.arange(3)])]
    [[1.0, 2.0, 3.0], [1, 2, 0]]
    """
    ndim = aval_of(operands[0]).ndim
    dimension = int(dimension) % max(ndim, 1)
    return sort_p.bind(
        *operands, dimension=dimension, is_stable=bool(is_stable), num_keys=int(num_keys)
    )


def _permutation(keys, dimension):
    """The stable argsort of ``keys`` (lexicographic, first key most significant)."""
    if len(keys) == 1:
        return np.argsort(keys[0], axis=dimension, kind="stable")
    # np.lexsort sorts by its last key first
    return np.lexsort([np.asarray(k) for k in reversed(keys)], axis=dimension)


def _sort_impl(*operands, dimension, is_stable, num_keys):
    operands = [np.asarray(x) for x in operands]
    if operands[0].ndim == 0:
        return [x.copy() for x in operands]
    perm = _permutation(operands[:num_keys], dimension)
    return [np.take_along_axis(x, perm, axis=dimension) for x in operands]


def _sort_abstract_eval(*operands, dimension, is_stable, num_keys):
    shape = operands[0].shape
    if any(x.shape != shape for x in operands) or not 1 <= num_keys <= len(operands):
        raise TypeError(
            f"sort needs operands of one shape and 1 <= num_keys <= {len(operands)}, got "
            f"{[x.str_short() for x in operands]} with num_keys={num_keys}."
        )
    if shape and not 0 <= dimension < len(shape):
        raise TypeError(f"sort dimension {dimension} is out of range for shape {shape}.")
    return [ShapedArray(x.shape, x.dtype, x.weak_type) for x in operands]


def take_along(x, perm, dimension):
    """``np.take_along_axis(x, perm, dimension)`` for integer indices ``perm`` whose shape
    equals ``x``'s except along ``dimension``: one ``gather`` with iotas for the other dims."""
    shape = aval_of(perm).shape
    dtype = aval_of(perm).dtype
    indices = [perm if d == dimension else iota(dtype, shape, d) for d in range(len(shape))]
    return gather(x, indices, tuple(range(len(shape))))


def _sort_jvp(primals, tangents, *, dimension, is_stable, num_keys):
    # d sort(x)_i = dx_{perm(i)}: sort an iota along with the operands to get perm.
    shape = aval_of(primals[0]).shape
    if not shape:
        return sort_p.bind(
            *primals, dimension=dimension, is_stable=is_stable, num_keys=num_keys
        ), list(tangents)
    index = iota(np.int64, shape, dimension)
    *outs, perm = sort_p.bind(
        *primals, index, dimension=dimension, is_stable=is_stable, num_keys=num_keys
    )
    return outs, [None if t is None else take_along(t, perm, dimension) for t in tangents]


def _sort_batch(axis_size, vals, dims, *, dimension, is_stable, num_keys):
    operands = [bdim_at_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)]
    outs = sort_p.bind(*operands, dimension=dimension + 1, is_stable=is_stable, num_keys=num_keys)
    return outs, [0] * len(outs)


sort_p.impl = _sort_impl
sort_p.abstract_eval = _sort_abstract_eval
sort_p.jvp = _sort_jvp
sort_p.batch = _sort_batch


def _sort_jet(primals, series, *, dimension, is_stable, num_keys):
    # each coefficient follows its primal: permuted by the primal keys' sorting permutation
    params = {"dimension": dimension, "is_stable": is_stable, "num_keys": num_keys}
    shape = aval_of(primals[0]).shape
    if not shape:
        return sort_p.bind(*primals, **params), series
    *outs, perm = sort_p.bind(*primals, iota(np.int64, shape, dimension), **params)
    return outs, [
        [None if t is None else take_along(t, perm, dimension) for t in s] for s in series
    ]


sort_p.jet = _sort_jet
