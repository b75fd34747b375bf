"""JAX's functional updates: ``x.at[idx].set(y)``, ``.add``, ``.multiply``, ``.divide``,
``.power``, ``.min``, ``.max``, ``.apply`` and ``.get``, with JAX's index modes.

Any index NumPy accepts (ints, slices, ``None``, ``...``, integer arrays, concrete boolean
masks, traced integers) is reduced to the *flat positions* it selects in ``x``: per axis,
a broadcast coordinate view of ``x``'s shape is indexed by the same index (NumPy's own
rules decide the layout; mini_ad's ``getitem`` when an entry is traced) and the
coordinates are combined row-major. Then one ``gather`` or ``scatter`` on the flattened
``x``, reshaped back.

Out-of-bounds entries (JAX's ``mode=``; negative indices count from the end once, so
``-1`` is the last element and ``-n - 1`` is out of bounds):

* updates: ``"drop"`` (the default, also ``"fill"``) skips them: the flattened ``x`` gets
  one spare slot at the end that they write into, then it is cut off. ``"clip"`` clamps
  them into range; ``"promise_in_bounds"`` does the same here (JAX leaves it undefined).
* ``get``: the default, ``"clip"`` and ``"promise_in_bounds"`` clamp, like indexing a
  traced array (``x[i]`` with a traced ``i``); ``"fill"`` (and ``"drop"``) return
  ``fill_value``: NaN for inexact dtypes, the smallest integer for signed ones, the
  largest for unsigned ones, True for bool.

Repeated positions: ``set`` keeps the last update (NumPy's and JAX's CPU order); every
other update applies once per occurrence, in order (``x.at[[0, 0]].multiply(3.0)``
multiplies ``x[0]`` by 9, as in JAX). With static indices the occurrences are split into
layers of distinct positions (one gather and scatter per layer, usually one); with
traced indices, whose repeats are unknown while tracing, each update is applied in turn
(one gather and scatter per updated element).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to
from mini_ad.numpy._division import power
from mini_ad.numpy._indexing import _expand_index, _is_int, getitem
from mini_ad.numpy._math import maximum, minimum, multiply, true_divide, where
from mini_ad.primitives import indexing as ix
from mini_ad.primitives import structural as st

_MODES = (None, "drop", "fill", "clip", "promise_in_bounds")


def _check_mode(mode):
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES[1:]}, got {mode!r}")


def _drops(mode) -> bool:
    """Whether an update in ``mode`` skips out-of-bounds entries (else it clamps them)."""
    _check_mode(mode)
    return mode in (None, "drop", "fill")


def _where(condition, x, y):
    if isinstance(condition, Tracer) or isinstance(x, Tracer) or isinstance(y, Tracer):
        return where(condition, x, y)
    return np.where(condition, x, y)


def _normalize(entry, n: int, drop: bool):
    """One integer index entry: negatives counted from the end, then out-of-bounds
    entries sent to the spare slot ``n`` (``drop``) or clamped into ``[0, n)``."""
    if _is_int(entry):
        i = int(entry) + n if int(entry) < 0 else int(entry)
        return (i if 0 <= i < n else n) if drop else min(max(i, 0), n - 1)
    if not isinstance(entry, Tracer):
        entry = np.asarray(entry)
        if entry.dtype.kind not in "iu":
            raise IndexError(
                f"indices must be integers, slices, None, ellipsis or boolean masks; got an "
                f"array of dtype {entry.dtype.name}"
            )
    entry = _where(entry < 0, entry + n, entry)
    if drop:
        return _where((entry >= 0) & (entry < n), entry, n)
    return _where(entry < 0, 0, _where(entry > n - 1, n - 1, entry))


def _flat_positions(shape, index, drop: bool):
    """``(positions, in_bounds)``: the flat position in ``x`` of each element ``index``
    selects (of the indexed region's shape), and a mask of those in bounds (``None``
    without ``drop``). Spare-slot positions are ``-1`` before ``in_bounds`` is applied."""
    entries = _expand_index(index, len(shape))
    normalized, padded, dim = [], set(), 0
    for e in entries:
        if e is None or isinstance(e, slice):
            normalized.append(e)
            dim += isinstance(e, slice)
            continue
        normalized.append(_normalize(e, shape[dim], drop))
        if drop:
            padded.add(dim)
        dim += 1
    traced = any(isinstance(e, Tracer) for e in normalized)
    full_shape = tuple(n + (d in padded) for d, n in enumerate(shape))
    positions, in_bounds, stride = 0, None, 1
    if not shape:  # a rank-0 x: the region is what the index makes of a scalar
        return np.zeros(np.empty(())[index].shape, np.int64), None
    for d in reversed(range(len(shape))):
        axis = np.arange(full_shape[d]).reshape([-1 if k == d else 1 for k in range(len(shape))])
        coords = np.broadcast_to(axis, full_shape)  # a view: no grid is materialized
        picked = getitem(coords, tuple(normalized)) if traced else coords[tuple(normalized)]
        positions = positions + picked * stride
        stride *= shape[d]
        if d in padded:
            ok = picked < shape[d]
            in_bounds = ok if in_bounds is None else in_bounds & ok
    return positions, in_bounds


def _fill_default(dtype):
    if dtype.kind in "fc":
        return np.nan
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).max if dtype.kind == "u" else np.iinfo(dtype).min


class _Indexed:
    """``x.at[index]``: its methods return the updated array (``x`` is unchanged)."""

    def __init__(self, x, index):
        self.x = _operand(x)
        self.index = index

    def __repr__(self):
        return f"_Indexed(index={self.index!r})"

    # --- the flat form ------------------------------------------------------------------------
    def _flat(self, drop, spare_value=0):
        """``(flat x, positions, n)``: ``x`` flattened (plus, with ``drop``, one spare
        slot holding ``spare_value``) and the positions to read or write."""
        aval = aval_of(self.x)
        n = int(np.prod(aval.shape, dtype=np.int64))
        positions, in_bounds = _flat_positions(aval.shape, self.index, drop)
        flat = st.reshape(self.x, (n,))
        if in_bounds is not None:
            positions = _where(in_bounds, positions, n)
            spare = np.full((1,), spare_value, aval.dtype)
            flat = st.concatenate([flat, spare], 0)
        if not isinstance(positions, Tracer):
            positions = np.asarray(positions, dtype=np.int64)
        return flat, positions, n

    def _unflat(self, flat, n):
        aval = aval_of(self.x)
        if aval_of(flat).shape != (n,):
            flat = st.slice(flat, (0,), (n,), (1,))
        return as_result(st.reshape(flat, aval.shape))

    def _values(self, values, positions):
        dtype = aval_of(self.x).dtype
        return broadcast_to(astype(_operand(values), dtype), aval_of(positions).shape)

    # --- reads ----------------------------------------------------------------------------------
    def get(self, *, mode=None, fill_value=None, indices_are_sorted=False, unique_indices=False):
        """``x[index]``; out-of-bounds entries clamped, or ``fill_value`` with ``mode="fill"``."""
        _check_mode(mode)
        if mode in ("fill", "drop"):
            fill = _fill_default(aval_of(self.x).dtype) if fill_value is None else fill_value
            flat, positions, _ = self._flat(True, fill)
        else:
            flat, positions, _ = self._flat(False)
        return as_result(ix.gather(flat, [positions], (0,)))

    # --- updates ------------------------------------------------------------------------------
    def _scatter(self, scatter_fn, values, mode):
        flat, positions, n = self._flat(_drops(mode))
        values = self._values(values, positions)
        if scatter_fn is ix.scatter and not isinstance(positions, Tracer):
            positions, values = _last_of_repeats(positions, values)
        return self._unflat(scatter_fn(flat, values, [positions], (0,)), n)

    def set(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        """``x`` with ``x[index]`` replaced by ``values`` (the last of repeated positions wins)."""
        return self._scatter(ix.scatter, values, mode)

    def add(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        """``x`` with ``values`` added at ``index`` (repeated positions accumulate)."""
        return self._scatter(ix.scatter_add, values, mode)

    def multiply(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return self._combine(multiply, values, mode)

    def divide(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return self._combine(true_divide, values, mode)

    def power(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):
        return self._combine(power, values, mode)

    def min(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):  # noqa: A003
        return self._combine(minimum, values, mode)

    def max(self, values, *, mode=None, indices_are_sorted=False, unique_indices=False):  # noqa: A003
        return self._combine(maximum, values, mode)

    def apply(self, func, *, mode=None, indices_are_sorted=False, unique_indices=False):
        """``x`` with ``func`` (a unary function) applied at ``index``, once per occurrence."""
        return self._combine(lambda current, _: func(current), 0, mode)

    def _combine(self, op, values, mode):
        """``x[p] = op(x[p], v)`` for each (position, update), repeats in order."""
        flat, positions, n = self._flat(_drops(mode))
        dtype = aval_of(self.x).dtype
        values = self._values(values, positions)
        m = int(np.prod(aval_of(positions).shape, dtype=np.int64))
        positions = st.reshape(positions, (m,)) if isinstance(positions, Tracer) else positions
        values = st.reshape(values, (m,))
        for picked, pos in _layers(positions, m):
            update = values if picked is None else ix.gather(values, [picked], (0,))
            current = ix.gather(flat, [pos], (0,))
            flat = ix.scatter(flat, astype(op(current, update), dtype), [pos], (0,))
        return self._unflat(flat, n)


def _last_of_repeats(positions, values):
    """Static positions without repeats, keeping each one's last update: that update alone
    is written, so it alone receives the cotangent (as in JAX)."""
    flat = positions.reshape(-1)
    _, first_from_end = np.unique(flat[::-1], return_index=True)
    if len(first_from_end) == flat.size:
        return positions, values
    kept = np.sort(flat.size - 1 - first_from_end)
    values = ix.gather(st.reshape(values, (flat.size,)), [kept], (0,))
    return flat[kept], values


def _layers(positions, m):
    """``(which updates, their positions)`` per layer of distinct positions."""
    if isinstance(positions, Tracer):  # repeats unknown while tracing: one update at a time
        if m == 1:
            return [(None, positions)]
        return [(np.array([j]), getitem(positions, np.array([j]))) for j in range(m)]
    positions = positions.reshape(m)
    order = np.argsort(positions, kind="stable")
    ordered = positions[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if m else np.zeros(0, int)
    counts = np.diff(np.r_[starts, m])
    occurrence = np.empty(m, np.int64)
    occurrence[order] = np.arange(m) - np.repeat(starts, counts)
    if m == 0 or occurrence.max() == 0:
        return [(None, positions)]
    layers = []
    for k in range(int(occurrence.max()) + 1):
        picked = np.flatnonzero(occurrence == k)
        layers.append((picked, positions[picked]))
    return layers


class _At:
    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __getitem__(self, index):
        return _Indexed(self.x, index)


def at(x):
    """JAX's functional-update syntax: ``at(x)[index].set(v)`` is ``x.at[index].set(v)``.

    ``at(x)[index]`` has ``get``, ``set``, ``add``, ``multiply``, ``divide``, ``power``,
    ``min``, ``max`` and ``apply``; each returns a new array and never changes ``x``.
    ``values`` broadcast to the indexed region and are cast to ``x``'s dtype; repeated
    indices accumulate; ``mode=`` chooses what out-of-bounds indices do (module docstring).

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
      >>> print(mnp.at(x)[np.array([0, 0, 7])].add(1.0))  # repeats add up; 7 is dropped
      [2. 0. 0. 0.]
      >>> print(mnp.zeros(3).at[1].get(mode="fill"), x)
      0.0 [0. 0. 0. 0.]
    """
    return _At(x)
