"""Products and general reductions: ``batch_matmul``, ``dot``, ``reduce``,
``reduce_and``, ``reduce_or``, ``reduce_xor``, and ``optimization_barrier``.

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.reduce_or(np.array([1, 2, 4]), (0,)))
7
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import broadcast_in_dim, reshape, transpose
from mini_ad.primitives.elementwise import (
    add,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    max,  # noqa: A004 - lax's name
    min,  # noqa: A004 - lax's name
    mul,
)
from mini_ad.primitives.linalg import dot_general
from mini_ad.primitives.reductions import reduce_max, reduce_min, reduce_prod, reduce_sum
from mini_ad.primitives.structural import concatenate, slice, squeeze  # noqa: A004
from mini_ad.tree_util import tree_flatten, tree_map, tree_unflatten


def _at_least_one(n: int) -> int:
    return n if n > 0 else 1


def batch_matmul(lhs, rhs, precision=None):
    """Batched matrix product over all leading dims, as ``jax.lax.batch_matmul``.

    Args:
      lhs: an array ``(..., m, k)``.
      rhs: an array ``(..., k, n)`` with the same leading dims and dtype.
      precision: accepted for JAX's signature (ignored: NumPy computes exactly).

    Returns:
      An array ``(..., m, n)``.

    Raises:
      ValueError: the ranks differ or are below 2, or the batch dims differ.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.batch_matmul(np.ones((4, 2, 3)), np.ones((4, 3, 5)), precision=None).shape
      (4, 2, 5)
    """
    lshape, rshape = aval_of(lhs).shape, aval_of(rhs).shape
    if len(lshape) != len(rshape) or len(lshape) < 2 or lshape[:-2] != rshape[:-2]:
        raise ValueError(f"batch_matmul needs arrays of one rank >= 2 with equal batch dims, "
                         f"got {lshape} and {rshape}.")  # fmt: skip
    n = len(lshape)
    batch = tuple(range(n - 2))
    return dot_general(lhs, rhs, (((n - 1,), (n - 2,)), (batch, batch)))


def dot(lhs, rhs, *, dimension_numbers=None, precision=None, preferred_element_type=None,
        out_sharding=None):  # fmt: skip
    """Vector/matrix product, as ``jax.lax.dot``; with ``dimension_numbers``, ``dot_general``.

    Without ``dimension_numbers`` both operands must have rank 1 or 2: the last dim of
    ``lhs`` contracts with the first of ``rhs``.

    Args:
      lhs: an array.
      rhs: an array of ``lhs``'s dtype.
      dimension_numbers: None, or ``((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``.
      precision: accepted for JAX's signature (ignored).
      preferred_element_type: the result's dtype (None: the operands').
      out_sharding: accepted for JAX's signature; must be None.

    Returns:
      The product.

    Raises:
      ValueError: a rank above 2 without ``dimension_numbers``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.dot(np.eye(2), np.array([1.0, 2.0]), dimension_numbers=None,
      ...               precision=None, preferred_element_type=None, out_sharding=None))
      [1. 2.]
    """
    if out_sharding is not None:
        raise NotImplementedError("dot: out_sharding is not supported.")
    if dimension_numbers is None:
        lrank, rrank = aval_of(lhs).ndim, aval_of(rhs).ndim
        if not (1 <= lrank <= 2 and 1 <= rrank <= 2):
            raise ValueError("jax.lax.dot: dimension_numbers must be specified when not "
                             "performing simple un-batched matrix-matrix, matrix-vector, or "
                             f"vector-vector products; got lhs_shape={aval_of(lhs).shape} "
                             f"rhs_shape={aval_of(rhs).shape}")  # fmt: skip
        dimension_numbers = (((lrank - 1,), (0,)), ((), ()))
    (lc, rc), (lb, rb) = dimension_numbers
    numbers = ((tuple(lc), tuple(rc)), (tuple(lb), tuple(rb)))
    return dot_general(lhs, rhs, numbers, preferred_element_type=preferred_element_type)


def _fold(computation, flat, tree, axes):
    """Reduce the leaves ``flat`` over ``axes`` with ``computation`` (on pytrees of
    ``tree``), by halving rounds of pairwise combines: ``None`` when the axes are empty
    of elements."""
    shape = aval_of(flat[0]).shape
    kept = [d for d in range(len(shape)) if d not in axes]
    n = int(np.prod([shape[a] for a in axes], dtype=np.int64))
    rest = tuple(shape[d] for d in kept)
    perm = list(axes) + kept
    xs = [reshape(transpose(x, perm), (n, *rest)) for x in flat]
    if n == 0:
        return None

    def rows(x, start, stop, stride):
        return slice(x, (start,) + (0,) * len(rest), (stop,) + rest, (stride,) + (1,) * len(rest))

    while n > 1:
        half = n // 2
        a = [rows(x, 0, 2 * half, 2) for x in xs]
        b = [rows(x, 1, 2 * half, 2) for x in xs]
        combined = tree_flatten(computation(tree_unflatten(tree, a), tree_unflatten(tree, b)))[0]
        if n % 2:
            combined = [concatenate([c, rows(x, n - 1, n, 1)], 0)
                        for c, x in zip(combined, xs, strict=True)]  # fmt: skip
        xs, n = combined, half + n % 2
    return [squeeze(x, (0,)) for x in xs]


def _monoid(computation, init, dtype):
    """The reduction primitive's function for ``computation`` with its identity ``init``."""
    if not isinstance(init, (bool, int, float, np.ndarray, np.generic)) or np.ndim(init):
        return None
    value = np.asarray(init)
    big = np.inf if dtype.kind == "f" else (np.iinfo(dtype).max if dtype.kind in "iu" else 1)
    small = -np.inf if dtype.kind == "f" else (np.iinfo(dtype).min if dtype.kind in "iu" else 0)
    table = {add: (0, reduce_sum), mul: (1, reduce_prod), max: (small, reduce_max),
             min: (big, reduce_min)}  # fmt: skip
    if computation in table and bool(value == table[computation][0]):
        return table[computation][1]
    return None


def reduce(operands, init_values, computation, dimensions, out_sharding=None):
    """Reduce ``operands`` over ``dimensions`` with ``computation``, as ``jax.lax.reduce``.

    ``lax.add``/``mul``/``max``/``min`` with their identity as the init value are the
    primitives ``reduce_sum``/``_prod``/``_max``/``_min`` (JAX does the same, so the
    derivatives agree: tied maxima share it). Any other ``computation`` (and pytrees of
    operands) is applied to halves of the operands in log-depth rounds, then once with
    ``init_values``: exact for associative computations, and differentiable through them.

    Args:
      operands: an array or a pytree of arrays of one shape.
      init_values: a scalar or a matching pytree of scalars.
      computation: a binary function of two scalars-or-pytrees, such as ``lax.add``.
      dimensions: the dims to reduce.
      out_sharding: accepted for JAX's signature; must be None.

    Returns:
      An array (or pytree) without ``dimensions``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.array([[1.0, 2.0], [3.0, 4.0]])
      >>> print(lax.reduce(x, 0.0, lax.add, dimensions=(0,), out_sharding=None))
      [4. 6.]
      >>> total, product = lax.reduce((x, x), (0.0, 1.0),
      ...                             lambda a, b: (a[0] + b[0], a[1] * b[1]), (0, 1))
      >>> print(total, product)
      10.0 24.0
    """
    if out_sharding is not None:
        raise NotImplementedError("reduce: out_sharding is not supported.")
    flat, tree = tree_flatten(operands)
    inits, init_tree = tree_flatten(init_values)
    if len(flat) != len(inits):
        raise TypeError(f"reduce: {len(flat)} operands but {len(inits)} init values.")
    ndim = aval_of(flat[0]).ndim
    axes = tuple(sorted(int(d) % _at_least_one(ndim) for d in dimensions))
    if len(flat) == 1:
        primitive = _monoid(computation, inits[0], aval_of(flat[0]).dtype)
        if primitive is not None:
            return tree_unflatten(tree, [primitive(flat[0], axes)])
    inits = [np.asarray(i, aval_of(x).dtype) if not isinstance(i, Tracer) else i
             for x, i in zip(flat, inits, strict=True)]  # fmt: skip
    shape = aval_of(flat[0]).shape
    rest = tuple(n for d, n in enumerate(shape) if d not in axes)
    start = [broadcast_in_dim(i, rest, ()) for i in inits]
    folded = _fold(computation, flat, init_tree, axes)
    if folded is None:
        return tree_unflatten(tree, start)
    out = computation(tree_unflatten(init_tree, start), tree_unflatten(init_tree, folded))
    return tree_unflatten(tree, tree_flatten(out)[0])


def _bitwise_reduce(name, op, operand, axes, identity_bits):
    dtype = aval_of(operand).dtype
    if dtype.kind not in "biu":
        raise TypeError(f"{name} does not accept dtype {dtype.name}; it needs booleans or "
                        "integers.")  # fmt: skip
    ndim = aval_of(operand).ndim
    axes = tuple(sorted(int(a) % _at_least_one(ndim) for a in axes))
    init = np.asarray(bool(identity_bits)) if dtype.kind == "b" else np.asarray(identity_bits)
    init = init.astype(dtype)
    return reduce(operand, init, op, axes)


def reduce_and(operand, axes):
    """Bitwise (logical, for booleans) AND over ``axes``, as ``jax.lax.reduce_and``.

    Args:
      operand: a boolean or integer array.
      axes: the dims to reduce.

    Returns:
      An array of ``operand``'s dtype without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_and(np.array([[True, False], [True, True]]), axes=(1,)))
      [False  True]
    """
    return _bitwise_reduce("reduce_and", bitwise_and, operand, axes, -1)


def reduce_or(operand, axes):
    """Bitwise (logical, for booleans) OR over ``axes``, as ``jax.lax.reduce_or``.

    Args:
      operand: a boolean or integer array.
      axes: the dims to reduce.

    Returns:
      An array of ``operand``'s dtype without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_or(np.array([1, 2, 4]), axes=(0,)))
      7
    """
    return _bitwise_reduce("reduce_or", bitwise_or, operand, axes, 0)


def reduce_xor(operand, axes):
    """Bitwise (logical, for booleans) XOR over ``axes``, as ``jax.lax.reduce_xor``.

    Args:
      operand: a boolean or integer array.
      axes: the dims to reduce.

    Returns:
      An array of ``operand``'s dtype without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_xor(np.array([3, 5, 6]), axes=(0,)))
      0
    """
    return _bitwise_reduce("reduce_xor", bitwise_xor, operand, axes, 0)


def optimization_barrier(operand, /):
    """``operand`` unchanged, as ``jax.lax.optimization_barrier``.

    JAX uses it to stop XLA from moving computations across it. mini_ad's jit never
    reorders computations across values it returns, so here it is the identity (on a
    pytree; Python scalars become arrays), differentiable and batchable.

    Args:
      operand: a pytree of arrays.

    Returns:
      The same pytree.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.optimization_barrier((1.0, np.ones(2)))
      (array(1.), array([1., 1.]))
    """
    return tree_map(lambda x: x if isinstance(x, Tracer) else np.asarray(x), operand)


__all__ = [
    "batch_matmul", "dot", "optimization_barrier", "reduce", "reduce_and", "reduce_or", "reduce_xor",
]  # fmt: skip
