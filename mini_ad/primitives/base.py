"""The linear shape primitives that every rule builder is written with.

``broadcast_in_dim``, ``reshape``, ``transpose`` and ``reduce_sum``, with ``def_linear``
and the axis moves their batch rules need (``shift_axes``, ``move_axis``,
``reduce_batch``). Everything else in ``primitives/`` imports from here, so this
module imports no other primitive module: ``batch_rules``, ``helpers``, the families
and ``structural``/``reductions`` (which re-export these names) all sit above it.
``broadcast_in_dim``'s transpose is the one place that un-broadcasts.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.primitives.taylor import linear_jet


def as_array(out):
    return out if type(out) is np.ndarray else np.asarray(out)


def _ints(values) -> tuple:
    return tuple(int(v) for v in values)


def def_linear(p: Primitive, transpose) -> None:
    """A primitive linear in all its array arguments: its jvp applies it to tangents."""

    def jvp(primals, tangents, **params):
        out = p.bind(*primals, **params)
        if all(t is None for t in tangents):
            return out, None
        tangents = [
            zeros_like(x) if t is None else t for x, t in zip(primals, tangents, strict=True)
        ]
        return out, p.bind(*tangents, **params)

    p.jvp = jvp
    p.transpose = transpose
    p.jet = linear_jet(p)  # Taylor mode: p applied to each coefficient


def shift_axes(axes, bdim) -> tuple:
    """Per-example axis numbers -> axis numbers of the batched array (batch at ``bdim``)."""
    if bdim is None:
        return tuple(axes)
    return tuple(a + (a >= bdim) for a in axes)


def move_axis(x, src: int, dst: int):
    """``x`` with axis ``src`` moved to position ``dst`` (a ``transpose``; no-op if equal)."""
    if src == dst:
        return x
    perm = [i for i in range(aval_of(x).ndim) if i != src]
    perm.insert(dst, src)
    return transpose(x, perm)


def reduce_batch(p):
    """The batch rule of a reduction ``p`` over an ``axes`` param (the batch axis stays)."""

    def rule(axis_size, vals, dims, *, axes, **params):
        (x,), (bdim,) = vals, dims
        out_dim = bdim - sum(a < bdim for a in axes)
        return p.bind(x, axes=shift_axes(axes, bdim), **params), out_dim

    return rule


# --- reductions over axes ---------------------------------------------------------------------


def _axes(axes) -> tuple:
    return tuple(sorted(int(a) for a in axes))


def _reduced_aval(x: ShapedArray, axes, dtype=None) -> ShapedArray:
    if any(a < 0 or a >= x.ndim for a in axes) or len(set(axes)) != len(axes):
        raise TypeError(f"reduction axes {axes} are invalid for shape {x.shape}.")
    shape = tuple(n for i, n in enumerate(x.shape) if i not in axes)
    return ShapedArray(
        shape, x.dtype if dtype is None else dtype, x.weak_type if dtype is None else False
    )


def _kept_dims(ndim, axes) -> tuple:
    return tuple(i for i in range(ndim) if i not in axes)


def _expand_back(y, x_shape, axes):
    """Broadcast a reduced value back to the operand's shape."""
    return broadcast_in_dim(y, x_shape, _kept_dims(len(x_shape), axes))


# --- broadcast_in_dim -------------------------------------------------------------------------

broadcast_in_dim_p = Primitive("broadcast_in_dim")
broadcast_in_dim_p.lowering = lambda lx, x, *, shape, broadcast_dimensions, **_: (
    lx.lax.broadcast_in_dim(x, shape, broadcast_dimensions)
)


def broadcast_in_dim(x, shape, broadcast_dimensions):
    """Broadcast ``x`` into ``shape`` with explicit dims, as ``jax.lax.broadcast_in_dim``.

    Operand dim ``i`` becomes output dim ``broadcast_dimensions[i]`` (a size-1 dim may
    grow); the other output dims are new. Its transpose is the one rule that sums a
    cotangent back over broadcast dims.

    Args:
      x: an array or tracer.
      shape: the output shape, a tuple of ints.
      broadcast_dimensions: one output dim per operand dim, increasing.

    Returns:
      An array of shape ``shape``.

    Raises:
      TypeError: the dims do not match (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.broadcast_in_dim(np.array([1, 2]), (2, 3), (0,)))
      [[1 1 1]
       [2 2 2]]
    """
    return broadcast_in_dim_p.bind(
        x, shape=_ints(shape), broadcast_dimensions=_ints(broadcast_dimensions), sharding=None
    )


def _broadcast_in_dim_impl(x, *, shape, broadcast_dimensions, sharding):
    expanded = [1] * len(shape)
    for operand_dim, out_dim in enumerate(broadcast_dimensions):
        expanded[out_dim] = np.shape(x)[operand_dim]
    return np.broadcast_to(np.reshape(x, expanded), shape)


def _broadcast_in_dim_abstract_eval(x, *, shape, broadcast_dimensions, sharding):
    ok = len(broadcast_dimensions) == x.ndim and all(
        x.shape[i] in (1, shape[d]) for i, d in enumerate(broadcast_dimensions)
    )
    if not ok or list(broadcast_dimensions) != sorted(set(broadcast_dimensions)):
        raise ShapeError(
            f"broadcast_in_dim cannot broadcast shape {x.shape} to {shape} with "
            f"broadcast_dimensions={broadcast_dimensions}."
        )
    return ShapedArray(shape, x.dtype, x.weak_type)


def _broadcast_in_dim_transpose(ct, x, *, shape, broadcast_dimensions, sharding):
    # Sum over the new dims and the size-1 dims that grew, then restore x's shape.
    grown = [d for i, d in enumerate(broadcast_dimensions) if x.aval.shape[i] != shape[d]]
    new = [d for d in range(len(shape)) if d not in broadcast_dimensions]
    axes = tuple(sorted(new + grown))
    summed = reduce_sum(ct, axes) if axes else ct
    if aval_of(summed).shape != x.aval.shape:
        summed = reshape(summed, x.aval.shape)
    return [summed]


broadcast_in_dim_p.impl = _broadcast_in_dim_impl
broadcast_in_dim_p.abstract_eval = _broadcast_in_dim_abstract_eval
def_linear(broadcast_in_dim_p, _broadcast_in_dim_transpose)


def _broadcast_in_dim_batch(axis_size, vals, dims, *, shape, broadcast_dimensions, sharding):
    (x,), (bdim,) = vals, dims
    x = move_axis(x, bdim, 0)
    out_dims = (0,) + tuple(d + 1 for d in broadcast_dimensions)
    return broadcast_in_dim(x, (axis_size,) + shape, out_dims), 0


broadcast_in_dim_p.batch = _broadcast_in_dim_batch
broadcast_in_dim_p.print_params = lambda params: (
    {"broadcast_dimensions": params["broadcast_dimensions"]}
    if params["broadcast_dimensions"]
    else {}
)

# --- reshape ----------------------------------------------------------------------------------

reshape_p = Primitive("reshape")
reshape_p.lowering = lambda lx, x, *, new_sizes, dimensions, **_: lx.lax.reshape(
    x, new_sizes, dimensions
)


def reshape(x, new_sizes, dimensions=None):
    """Reshape ``x`` to ``new_sizes`` (C order), as ``jax.lax.reshape``.

    Unlike ``mini_ad.numpy.reshape`` there is no ``-1``. ``dimensions``, as in JAX, is a
    permutation applied to ``x`` first (a ``transpose``).

    Args:
      x: an array or tracer.
      new_sizes: the new shape, a tuple of ints with the same product as ``x.shape``.
      dimensions: None, or the order in which ``x``'s dims are read.

    Returns:
      An array of shape ``new_sizes``.

    Raises:
      TypeError: the sizes differ (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reshape(np.arange(4), (2, 2)))
      [[0 1]
       [2 3]]
      >>> print(lax.reshape(np.arange(4).reshape(2, 2), (4,), (1, 0)))
      [0 2 1 3]
    """
    if dimensions is not None and tuple(dimensions) != tuple(range(len(dimensions))):
        x = transpose(x, tuple(dimensions))
    return reshape_p.bind(x, new_sizes=_ints(new_sizes), dimensions=None, sharding=None)


def _reshape_abstract_eval(x, *, new_sizes, dimensions, sharding):
    if int(np.prod(new_sizes, dtype=np.int64)) != x.size:
        raise ShapeError(f"reshape cannot change the size: {x.shape} -> {new_sizes}.")
    return ShapedArray(new_sizes, x.dtype, x.weak_type)


reshape_p.impl = lambda x, *, new_sizes, dimensions, sharding: np.reshape(x, new_sizes)
reshape_p.abstract_eval = _reshape_abstract_eval
def_linear(reshape_p, lambda ct, x, **params: [reshape(ct, x.aval.shape)])


def _reshape_batch(axis_size, vals, dims, *, new_sizes, dimensions, sharding):
    (x,), (bdim,) = vals, dims
    return reshape(move_axis(x, bdim, 0), (axis_size,) + new_sizes), 0


reshape_p.batch = _reshape_batch

# --- transpose --------------------------------------------------------------------------------

transpose_p = Primitive("transpose")
transpose_p.lowering = lambda lx, x, *, permutation: lx.lax.transpose(x, permutation)


def transpose(x, permutation):
    """Permute the dims of ``x``, as ``jax.lax.transpose``.

    Output dim ``i`` is operand dim ``permutation[i]``.

    Args:
      x: an array or tracer.
      permutation: a permutation of ``range(x.ndim)`` (no negative entries).

    Returns:
      The transposed array.

    Raises:
      TypeError: ``permutation`` is not a permutation (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.transpose(np.zeros((2, 3, 4)), (2, 0, 1)).shape
      (4, 2, 3)
    """
    return transpose_p.bind(x, permutation=_ints(permutation))


def _transpose_abstract_eval(x, *, permutation):
    if sorted(permutation) != list(range(x.ndim)):
        raise TypeError(
            f"transpose permutation {permutation} is not a permutation of {x.ndim} axes."
        )
    return ShapedArray(tuple(x.shape[i] for i in permutation), x.dtype, x.weak_type)


transpose_p.impl = lambda x, *, permutation: np.transpose(x, permutation)
transpose_p.abstract_eval = _transpose_abstract_eval
def_linear(
    transpose_p,
    lambda ct, x, *, permutation: [transpose(ct, tuple(np.argsort(permutation).tolist()))],
)


def _transpose_batch(axis_size, vals, dims, *, permutation):
    (x,), (bdim,) = vals, dims
    return transpose(x, (bdim,) + shift_axes(permutation, bdim)), 0


transpose_p.batch = _transpose_batch

# --- reduce_sum -------------------------------------------------------------------------------

reduce_sum_p = Primitive("reduce_sum")
reduce_sum_p.lowering = lambda lx, x, *, axes, **_: lx.lax.reduce_sum(x, axes)


def reduce_sum(x, axes):
    """Sum ``x`` over ``axes``, as ``jax.lax.reduce_sum``.

    The reduced dims are removed (no keepdims); the dtype is kept (no promotion to int64,
    unlike ``mini_ad.numpy.sum``).

    Args:
      x: an array or tracer.
      axes: a tuple of non-negative dims to sum over.

    Returns:
      An array of ``x``'s shape without ``axes``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.reduce_sum(np.array([[1.0, 2.0], [3.0, 4.0]]), (0,)))
      [4. 6.]
    """
    return reduce_sum_p.bind(x, axes=_axes(axes), out_sharding=None)


reduce_sum_p.impl = lambda x, *, axes, out_sharding: as_array(np.sum(x, axis=axes, dtype=x.dtype))
reduce_sum_p.abstract_eval = lambda x, *, axes, out_sharding: _reduced_aval(x, axes)
# d Σx = Σ dx; transpose broadcasts the cotangent back over the summed axes
def_linear(
    reduce_sum_p,
    lambda ct, x, *, axes, out_sharding: [_expand_back(ct, x.aval.shape, axes)],
)
reduce_sum_p.batch = reduce_batch(reduce_sum_p)
