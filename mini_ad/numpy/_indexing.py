"""NumPy indexing for traced arrays: ``x[i]``, ``x[a:b:c]``, ``x[None]``, ``x[...]``,
integer-array and concrete boolean-mask indexing, and ``x.at[i].set/add/get``.

Basic indexing lowers, as JAX does, to one ``slice``, ``rev`` (negative steps),
``squeeze`` (integer positions) and ``broadcast_in_dim`` (new axes); integer arrays (and
traced scalars) lower to ``gather``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import NonConcreteBooleanIndexError
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to, promote_dtypes
from mini_ad.numpy._math import multiply
from mini_ad.primitives import indexing as ix
from mini_ad.primitives import structural as st


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _is_array_index(x) -> bool:
    return isinstance(x, (Tracer, np.ndarray, list)) or (
        isinstance(x, np.generic) and not _is_int(x)
    )


def _expand_index(index, ndim):
    """Normalize to a tuple of ints, slices, None and index arrays, one per dim."""
    if not isinstance(index, tuple):
        index = (index,)
    expanded = []
    for entry in index:
        if isinstance(entry, list):
            entry = np.asarray(entry)
        if isinstance(entry, Tracer) and entry.aval.dtype == np.bool_:
            try:
                entry = np.asarray(entry.to_concrete("boolean indexing"))
            except TypeError:
                raise NonConcreteBooleanIndexError(
                    f"Array boolean indices must be concrete; got {entry.aval.str_short()}. "
                    "Use mnp.where(mask, x, 0) to select values inside jit, vmap or "
                    "make_jaxpr."
                ) from None
        if isinstance(entry, (np.ndarray, np.bool_)) and np.asarray(entry).dtype == np.bool_:
            expanded.extend(np.nonzero(entry))  # a concrete mask: its integer positions
        else:
            expanded.append(entry)
    n_ellipsis = sum(e is Ellipsis for e in expanded)
    if n_ellipsis > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = sum(e is not None and e is not Ellipsis for e in expanded)
    if consumed > ndim:
        raise IndexError(
            f"too many indices for array: array is {ndim}-dimensional, but {consumed} were indexed"
        )
    fill = [slice(None)] * (ndim - consumed)
    if n_ellipsis:
        at = next(i for i, e in enumerate(expanded) if e is Ellipsis)
        return expanded[:at] + fill + expanded[at + 1 :]
    return expanded + fill


def _basic_getitem(x, entries):
    """Ints, slices and None, lowered as JAX does: slice, rev, squeeze, broadcast_in_dim."""
    x = _slice_and_rev(x, [e for e in entries if e is not None], squeeze_ints=True)
    if any(e is None for e in entries):
        x = _insert_new_axes(x, [e for e in entries if not _is_int(e)])
    return x


def _insert_new_axes(x, entries):
    """A size-1 axis where ``entries`` has None; every other entry keeps one axis of x."""
    kept = tuple(i for i, e in enumerate(entries) if e is not None)
    out_shape = [1] * len(entries)
    for n, pos in zip(aval_of(x).shape, kept, strict=True):
        out_shape[pos] = n
    return st.broadcast_in_dim(x, tuple(out_shape), kept)


def _slice_bounds(n, e):
    """``(start, limit, stride, reversed)`` of one static slice of an axis of size n.

    A negative step takes the same elements in ascending order, then reverses them.
    """
    r = range(n)[e]
    if r.step > 0:
        return r.start, max(r.start, r.stop), r.step, False
    if not r:
        return 0, 0, 1, True
    return r[-1], r[0] + 1, -r.step, True


def _slice_and_rev(x, entries, squeeze_ints):
    """One ``slice`` over every dim, ``rev`` for negative steps, ``squeeze`` for ints."""
    shape = aval_of(x).shape
    starts, limits, strides, reversed_dims, squeezed = [], [], [], [], []
    for dim, (n, e) in enumerate(zip(shape, entries, strict=True)):
        if _is_int(e) and squeeze_ints:
            i = int(e)
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for axis {dim} with size {n}")
            e, squeezed = slice(i % n, i % n + 1), squeezed + [dim]
        if isinstance(e, slice):
            start, limit, stride, is_reversed = _slice_bounds(n, e)
            if is_reversed:
                reversed_dims.append(dim)
        else:
            start, limit, stride = 0, n, 1
        starts.append(start), limits.append(limit), strides.append(stride)
    is_full = tuple(starts) == (0,) * len(shape) and tuple(limits) == tuple(shape)
    if not (is_full and all(s == 1 for s in strides)):
        x = st.slice(x, starts, limits, strides)
    if reversed_dims:
        x = st.rev(x, reversed_dims)
    if squeezed:
        x = st.squeeze(x, squeezed)
    return x


def getitem(x, index):
    """``x[index]`` with NumPy semantics, as ``jax.numpy`` indexes traced arrays.

    Ints, slices (any step), ``None``, ``...``, integer arrays (static or traced) and
    concrete boolean masks. Basic indexing lowers to ``slice``, ``rev``, ``squeeze`` and
    ``broadcast_in_dim``; integer arrays lower to ``gather``. Unlike NumPy, out-of-bounds
    integer-array indices are clamped, as in JAX.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      index: anything NumPy accepts as an index (a single entry or a tuple).

    Returns:
      The indexed array.

    Raises:
      NonConcreteBooleanIndexError: a boolean mask is traced (its result shape would
        depend on values).
      IndexError: too many indices, or a static int out of bounds.

    Example:
      >>> import numpy as np
      >>> from mini_ad.numpy._indexing import getitem
      >>> x = np.arange(6).reshape(2, 3)
      >>> print(getitem(x, (slice(None), -1)))
      [2 5]
      >>> print(getitem(x, (np.array([1, 0]), np.array([0, 2]))))
      [3 2]
    """
    x = _operand(x)
    entries = _expand_index(index, aval_of(x).ndim)
    advanced = any(_is_array_index(e) for e in entries)
    if not advanced:
        return as_result(_basic_getitem(x, entries))
    # 1. new axes: insert them into x, then index them with a full slice (so the gather
    #    below places its dims by NumPy's rule for separated advanced indices)
    if any(e is None for e in entries):
        x = _insert_new_axes(x, entries)
        entries = [slice(None) if e is None else e for e in entries]
    # 2. slices: one slice, then rev
    x = _slice_and_rev(x, entries, squeeze_ints=False)
    # 3. integer arrays, traced scalars and ints: one gather over those dims
    axes, indices = [], []
    for dim, e in enumerate(entries):
        if _is_int(e) or _is_array_index(e):
            idx = _operand(np.asarray(e) if _is_int(e) or isinstance(e, np.generic) else e)
            if aval_of(idx).dtype.kind not in "iu":
                raise IndexError(
                    f"indices must be integers, slices, None, ellipsis or boolean masks; got an "
                    f"array of dtype {aval_of(idx).dtype.name}"
                )
            axes.append(dim)
            indices.append(idx)
    return ix.gather(x, indices, axes)


def _advanced_form(x, index):
    """``(axes, indices)`` of an index made only of ints, arrays and full slices."""
    entries = _expand_index(index, aval_of(x).ndim)
    axes, indices = [], []
    for dim, e in enumerate(entries):
        if isinstance(e, slice):
            if e != slice(None):
                raise NotImplementedError(
                    "x.at[...] supports ints, integer arrays and full slices ':' per dimension"
                )
            continue
        if e is None:
            raise NotImplementedError("x.at[...] does not support None (new axes)")
        axes.append(dim)
        indices.append(_operand(np.asarray(e) if not isinstance(e, Tracer) else e))
    return axes, indices


class _AtIndexer:
    def __init__(self, x, index):
        self.x = _operand(x)
        self.index = index

    def _static_index(self) -> bool:
        entries = self.index if isinstance(self.index, tuple) else (self.index,)
        return not any(isinstance(e, Tracer) for e in entries)

    def _flat_region(self, values):
        """A static index of any form: the flat positions it selects, read off an index
        grid with NumPy itself, so slices, None, ``...``, masks and arrays all keep NumPy's
        semantics; then one scatter into the flattened array."""
        shape = aval_of(self.x).shape
        positions = np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape)[self.index]
        x, values = promote_dtypes(self.x, values)
        dtype = aval_of(self.x).dtype
        values = astype(broadcast_to(values, np.shape(positions)), dtype)
        flat = st.reshape(astype(x, dtype), (int(np.prod(shape, dtype=np.int64)),))
        return flat, values, [np.asarray(positions)], [0]

    def _update(self, scatter_fn, values):
        shape = aval_of(self.x).shape
        if self._static_index() and shape:
            flat, values, indices, axes = self._flat_region(values)
            return st.reshape(scatter_fn(flat, values, indices, axes), shape)
        return scatter_fn(*self._region(values))

    def _region(self, values):
        axes, indices = _advanced_form(self.x, self.index)
        if not axes:
            axes, indices = [0], [np.arange(aval_of(self.x).shape[0])]
        region = ix.gathered_shape(aval_of(self.x).shape, [aval_of(i).shape for i in indices], axes)
        x, values = promote_dtypes(self.x, values)
        values = astype(broadcast_to(values, region), aval_of(self.x).dtype)
        x = astype(x, aval_of(self.x).dtype)
        return x, values, indices, axes

    def get(self):
        return getitem(self.x, self.index)

    def set(self, values):
        return self._update(ix.scatter, values)

    def add(self, values):
        return self._update(ix.scatter_add, values)

    def multiply(self, values):
        return self.set(multiply(self.get(), values))


class _At:
    def __init__(self, x):
        self.x = x

    def __getitem__(self, index):
        return _AtIndexer(self.x, index)


def at(x):
    """JAX's functional-update syntax: ``at(x)[index].set(v)`` (tracers have ``x.at``).

    ``at(x)[index]`` has ``get()``, ``set(values)``, ``add(values)`` and
    ``multiply(values)``; each returns a new array (``scatter``/``scatter_add``) and never
    changes ``x``, unlike NumPy's in-place assignment. ``values`` broadcast to the indexed
    region and are cast to ``x``'s dtype. Repeated indices accumulate under ``add``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An object indexed with ``[index]`` to pick the region to update.

    Example:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> x = np.zeros(4)
      >>> print(mnp.at(x)[1:3].set(5.0))
      [0. 5. 5. 0.]
      >>> print(mnp.at(x)[np.array([0, 0])].add(1.0))
      [2. 0. 0. 0.]
      >>> print(x)
      [0. 0. 0. 0.]
    """
    return _At(x)
