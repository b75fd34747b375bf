"""Building and reshaping: ``full``, ``full_like``, ``broadcast``, ``broadcasted_iota``,
``broadcast_to_rank``, ``expand_dims``, ``collapse`` and ``tile``, written with the
structural primitives.

>>> import numpy as np
>>> from mini_ad import lax
>>> lax.expand_dims(np.ones(3), (0,)).shape
(1, 3)
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import broadcast_in_dim, reshape
from mini_ad.primitives.elementwise import convert_element_type
from mini_ad.primitives.indexing import iota


def _axis(ndim: int, axis) -> int:
    if not -ndim <= int(axis) < max_int(ndim, 1):
        raise ValueError(f"axis {axis} is out of bounds for an array of rank {ndim}.")
    return int(axis) % max_int(ndim, 1)


def max_int(a: int, b: int) -> int:
    return a if a > b else b


def full(shape, fill_value, dtype=None, *, sharding=None):
    """An array of ``shape`` filled with ``fill_value``, as ``jax.lax.full``.

    Args:
      shape: a tuple of ints.
      fill_value: a scalar (may be traced; it gets the derivative of every entry).
      dtype: the dtype; None keeps ``fill_value``'s (a Python float is float64).
      sharding: accepted for JAX's signature; must be None.

    Returns:
      An array of ``shape``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.full((2, 2), 1.5, dtype=np.float32, sharding=None))
      [[1.5 1.5]
       [1.5 1.5]]
    """
    if sharding is not None:
        raise NotImplementedError("full: sharding is not supported.")
    shape = tuple(int(n) for n in shape)
    if isinstance(fill_value, (bool, int, float, complex, np.generic, np.ndarray, list)):
        value = np.asarray(fill_value)
        if value.ndim:
            raise TypeError(f"full must be called with scalar fill_value, got {value.shape}.")
        return broadcast_in_dim(value.astype(dtype) if dtype is not None else value, shape, ())
    if aval_of(fill_value).ndim:
        raise TypeError("full must be called with scalar fill_value, got shape "
                        f"{aval_of(fill_value).shape}.")  # fmt: skip
    if dtype is not None and np.dtype(dtype) != aval_of(fill_value).dtype:
        fill_value = convert_element_type(fill_value, np.dtype(dtype))
    return broadcast_in_dim(fill_value, shape, ())


def full_like(x, fill_value, dtype=None, shape=None, sharding=None):
    """An array like ``x`` (its shape and dtype) filled with ``fill_value``, as
    ``jax.lax.full_like``.

    Args:
      x: an array (only its shape and dtype are used).
      fill_value: a scalar.
      dtype: the dtype; None takes ``x``'s.
      shape: the shape; None takes ``x``'s.
      sharding: accepted for JAX's signature; must be None.

    Returns:
      An array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.full_like(np.zeros(3, np.int32), 7, dtype=None, shape=None, sharding=None))
      [7 7 7]
    """
    aval = aval_of(x)
    return full(aval.shape if shape is None else shape, fill_value,
                aval.dtype if dtype is None else dtype, sharding=sharding)  # fmt: skip


def broadcast(operand, sizes, *, out_sharding=None):
    """``operand`` with new leading dims ``sizes``, as ``jax.lax.broadcast``.

    Args:
      operand: an array.
      sizes: the sizes of the new leading dims.
      out_sharding: accepted for JAX's signature; must be None.

    Returns:
      An array of shape ``(*sizes, *operand.shape)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.broadcast(np.arange(3), (2,), out_sharding=None).shape
      (2, 3)
    """
    if out_sharding is not None:
        raise NotImplementedError("broadcast: out_sharding is not supported.")
    shape = aval_of(operand).shape
    sizes = tuple(int(n) for n in sizes)
    return broadcast_in_dim(
        operand, sizes + shape, tuple(range(len(sizes), len(sizes) + len(shape)))
    )


def broadcasted_iota(dtype, shape, dimension: int, *, out_sharding=None):
    """An array of ``shape`` counting up along ``dimension``, as ``jax.lax.broadcasted_iota``.

    Args:
      dtype: the dtype.
      shape: a tuple of ints.
      dimension: the dim that counts up.
      out_sharding: accepted for JAX's signature; must be None.

    Returns:
      An array of ``shape``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.broadcasted_iota(np.int32, (2, 3), 0, out_sharding=None))
      [[0 0 0]
       [1 1 1]]
    """
    if out_sharding is not None:
        raise NotImplementedError("broadcasted_iota: out_sharding is not supported.")
    return iota(dtype, shape, _axis(len(shape), dimension))


def broadcast_to_rank(x, rank: int):
    """``x`` with leading dims of length 1 added up to ``rank``, as
    ``jax.lax.broadcast_to_rank`` (unchanged if it already has that rank or more).

    Args:
      x: an array.
      rank: the rank wanted.

    Returns:
      An array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.broadcast_to_rank(np.ones(3), rank=3).shape
      (1, 1, 3)
    """
    shape = aval_of(x).shape
    if len(shape) >= rank:
        return x
    return broadcast(x, (1,) * (int(rank) - len(shape)))


def expand_dims(array, dimensions):
    """``array`` with dims of length 1 inserted at ``dimensions``, as ``jax.lax.expand_dims``.

    Args:
      array: an array.
      dimensions: the positions of the new dims in the result (negative counts from the end).

    Returns:
      An array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.expand_dims(np.ones((2, 3)), dimensions=(0, -1)).shape
      (1, 2, 3, 1)
    """
    shape = list(aval_of(array).shape)
    ndim = len(shape) + len(dimensions)
    dims = sorted(_axis(ndim, d) for d in dimensions)
    if len(set(dims)) != len(dims):
        raise ValueError(f"repeated axis in expand_dims: {tuple(dimensions)}")
    for d in dims:
        shape.insert(d, 1)
    return reshape(array, tuple(shape))


def collapse(operand, start_dimension: int, stop_dimension: int | None = None):
    """``operand`` with dims ``start_dimension:stop_dimension`` merged into one, as
    ``jax.lax.collapse``.

    Args:
      operand: an array.
      start_dimension: the first dim merged.
      stop_dimension: one past the last (None: to the end).

    Returns:
      An array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> lax.collapse(np.ones((2, 3, 4)), start_dimension=1, stop_dimension=None).shape
      (2, 12)
    """
    shape = aval_of(operand).shape
    ndim = len(shape)
    start = int(start_dimension) % max_int(ndim, 1) if ndim else 0
    stop = ndim if stop_dimension is None else int(stop_dimension)
    stop = stop + ndim if stop < 0 else stop
    size = int(np.prod(shape[start:stop], dtype=np.int64))
    return reshape(operand, shape[:start] + (size,) + shape[stop:])


def tile(operand, reps):
    """``operand`` repeated ``reps[i]`` times along each dim ``i``, as ``jax.lax.tile``.

    Args:
      operand: an array.
      reps: one repeat count per dim of ``operand``.

    Returns:
      An array of shape ``reps[i] * operand.shape[i]``.

    Raises:
      TypeError: ``reps`` does not have one entry per dim.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.tile(np.array([1, 2]), reps=(3,)))
      [1 2 1 2 1 2]
    """
    shape = aval_of(operand).shape
    reps = tuple(int(r) for r in reps)
    if len(reps) != len(shape):
        raise TypeError(f"reps length must be equal to the ndim of x, got len(reps)={len(reps)} "
                        f"and x.ndim={len(shape)}.")  # fmt: skip
    interleaved = tuple(v for r, n in zip(reps, shape, strict=True) for v in (r, n))
    spread = broadcast_in_dim(operand, interleaved, tuple(range(1, 2 * len(shape), 2)))
    return reshape(spread, tuple(r * n for r, n in zip(reps, shape, strict=True)))


__all__ = [
    "broadcast", "broadcast_to_rank", "broadcasted_iota", "collapse", "expand_dims", "full", "full_like", "tile",
]  # fmt: skip
