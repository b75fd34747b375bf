"""Integer-array indexing: ``gather``, ``scatter-add`` and ``scatter``.

Simpler than XLA's general forms (JAX prints them with many params): ``axes`` names
the operand dims indexed by the integer arrays, with NumPy's advanced-indexing
result layout. Indices are wrapped when negative and clamped into bounds, as in
JAX (which never raises on out-of-bounds traced indices).

``gather`` is linear in the operand, its transpose is ``scatter-add``, whose
transpose is ``gather``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.elementwise import zeros_like
from mini_ad.primitives.helpers import as_array


def _is_undefined(x) -> bool:
    return type(x).__name__ == "UndefinedPrimal"


def _index_tuple(shape, indices, axes):
    index = [np.s_[:]] * len(shape)
    for axis, idx in zip(axes, indices):
        idx = np.asarray(idx)
        n = shape[axis]
        index[axis] = np.clip(np.where(idx < 0, idx + n, idx), 0, max(n - 1, 0))
    return tuple(index)


def gathered_shape(shape, index_shapes, axes) -> tuple:
    """NumPy's advanced-indexing result shape for integer arrays at ``axes``."""
    batch = tuple(np.broadcast_shapes(*index_shapes)) if index_shapes else ()
    rest = [n for i, n in enumerate(shape) if i not in axes]
    if list(axes) == list(range(axes[0], axes[0] + len(axes))):  # adjacent: stays in place
        first = axes[0]
        return tuple(shape[:first]) + batch + tuple(shape[axes[-1] + 1 :])
    return batch + tuple(rest)


def _check_indices(x, indices, axes, name):
    if len(indices) != len(axes) or len(set(axes)) != len(axes) or any(a >= x.ndim for a in axes):
        raise TypeError(f"{name}: invalid axes {axes} for an operand of shape {x.shape}.")
    for idx in indices:
        if idx.dtype.kind not in "iu":
            raise TypeError(f"{name}: indices must be integers, got {idx.dtype.name}.")


# --- gather -----------------------------------------------------------------------------------

gather_p = Primitive("gather")


def gather(x, indices, axes):
    return gather_p.bind(x, *indices, axes=tuple(int(a) for a in axes))


def _gather_abstract_eval(x, *indices, axes):
    _check_indices(x, indices, axes, "gather")
    shape = gathered_shape(x.shape, [i.shape for i in indices], axes)
    return ShapedArray(shape, x.dtype, x.weak_type)


def _gather_jvp(primals, tangents, *, axes):
    x, *indices = primals
    out = gather(x, indices, axes)
    return out, None if tangents[0] is None else gather(tangents[0], indices, axes)


def _gather_transpose(ct, x, *indices, axes):
    zero = np.zeros(x.aval.shape, x.aval.dtype)
    return [scatter_add(zero, ct, indices, axes)] + [None] * len(indices)


gather_p.impl = lambda x, *indices, axes: as_array(np.asarray(x)[_index_tuple(np.shape(x), indices, axes)])
gather_p.abstract_eval = _gather_abstract_eval
gather_p.jvp = _gather_jvp
gather_p.transpose = _gather_transpose

# --- scatter-add ------------------------------------------------------------------------------

scatter_add_p = Primitive("scatter-add")


def scatter_add(x, updates, indices, axes):
    """``x`` with ``updates`` added at the gathered positions (repeats accumulate)."""
    return scatter_add_p.bind(x, updates, *indices, axes=tuple(int(a) for a in axes))


def _scatter_abstract_eval(name):
    def abstract_eval(x, updates, *indices, axes):
        _check_indices(x, indices, axes, name)
        expected = gathered_shape(x.shape, [i.shape for i in indices], axes)
        if updates.shape != expected or updates.dtype != x.dtype:
            raise TypeError(
                f"{name}: updates of type {updates.str_short()} do not match the indexed "
                f"region {ShapedArray(expected, x.dtype).str_short()}."
            )
        return ShapedArray(x.shape, x.dtype, x.weak_type)

    return abstract_eval


def _scatter_add_impl(x, updates, *indices, axes):
    out = np.array(x, copy=True)
    np.add.at(out, _index_tuple(out.shape, indices, axes), updates)
    return out


def _scatter_add_jvp(primals, tangents, *, axes):
    x, updates, *indices = primals
    out = scatter_add(x, updates, indices, axes)
    t_x, t_u = tangents[0], tangents[1]
    if t_x is None and t_u is None:
        return out, None
    t_x = zeros_like(x) if t_x is None else t_x
    t_u = zeros_like(updates) if t_u is None else t_u
    return out, scatter_add(t_x, t_u, indices, axes)


def _scatter_add_transpose(ct, x, updates, *indices, axes):
    ct_x = ct if _is_undefined(x) else None
    ct_updates = gather(ct, indices, axes) if _is_undefined(updates) else None
    return [ct_x, ct_updates] + [None] * len(indices)


scatter_add_p.impl = _scatter_add_impl
scatter_add_p.abstract_eval = _scatter_abstract_eval("scatter-add")
scatter_add_p.jvp = _scatter_add_jvp
scatter_add_p.transpose = _scatter_add_transpose

# --- scatter (set) ----------------------------------------------------------------------------

scatter_p = Primitive("scatter")


def scatter(x, updates, indices, axes):
    """``x`` with the gathered positions replaced by ``updates`` (``x.at[i].set(u)``)."""
    return scatter_p.bind(x, updates, *indices, axes=tuple(int(a) for a in axes))


def _scatter_impl(x, updates, *indices, axes):
    out = np.array(x, copy=True)
    out[_index_tuple(out.shape, indices, axes)] = updates
    return out


def _scatter_jvp(primals, tangents, *, axes):
    x, updates, *indices = primals
    out = scatter(x, updates, indices, axes)
    t_x, t_u = tangents[0], tangents[1]
    if t_x is None and t_u is None:
        return out, None
    t_x = zeros_like(x) if t_x is None else t_x
    t_u = zeros_like(updates) if t_u is None else t_u
    return out, scatter(t_x, t_u, indices, axes)


def _scatter_transpose(ct, x, updates, *indices, axes):
    # overwritten positions receive nothing from x; updates receive what was read there
    update_aval = updates.aval if _is_undefined(updates) else aval_of(updates)
    ct_x = None
    if _is_undefined(x):
        ct_x = scatter(ct, np.zeros(update_aval.shape, update_aval.dtype), indices, axes)
    ct_updates = gather(ct, indices, axes) if _is_undefined(updates) else None
    return [ct_x, ct_updates] + [None] * len(indices)


scatter_p.impl = _scatter_impl
scatter_p.abstract_eval = _scatter_abstract_eval("scatter")
scatter_p.jvp = _scatter_jvp
scatter_p.transpose = _scatter_transpose
