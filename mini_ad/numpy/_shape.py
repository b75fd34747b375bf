"""Shape manipulation of ``mini_ad.numpy``: reshape, transpose, squeeze,
expand_dims, concatenate, stack, flip and friends."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.numpy._core import _operand, as_result, concrete_shape, promote_dtypes
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.primitives import structural as st


def reshape(a, newshape, order="C"):
    """Reshape (C order); one dimension may be -1.

    >>> reshape(np.arange(6), (2, -1)).shape
    (2, 3)
    """
    if order != "C":
        raise NotImplementedError("mini_ad.numpy.reshape supports only order='C'")
    a = _operand(a)
    aval = aval_of(a)
    newshape = concrete_shape(newshape, "reshape")
    if newshape.count(-1) > 1:
        raise ValueError("can only specify one unknown dimension (-1) in reshape")
    if -1 in newshape:
        known = int(np.prod([n for n in newshape if n != -1], dtype=np.int64))
        if known == 0 or aval.size % known:
            raise ShapeError(f"cannot reshape array of size {aval.size} into shape {newshape}")
        newshape = tuple(aval.size // known if n == -1 else n for n in newshape)
    if int(np.prod(newshape, dtype=np.int64)) != aval.size:
        raise ShapeError(f"cannot reshape array of size {aval.size} into shape {newshape}")
    if newshape == aval.shape:
        return as_result(a)
    return st.reshape(a, newshape)


def ravel(a):
    return reshape(a, (-1,))


def transpose(a, axes=None):
    a = _operand(a)
    ndim = aval_of(a).ndim
    if axes is None:
        axes = tuple(reversed(range(ndim)))
    axes = tuple(int(i) % ndim if ndim else int(i) for i in axes)
    if axes == tuple(range(ndim)):
        return as_result(a)
    return st.transpose(a, axes)


def swapaxes(a, axis1, axis2):
    ndim = aval_of(_operand(a)).ndim
    perm = list(range(ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(a, perm)


def moveaxis(a, source, destination):
    ndim = aval_of(_operand(a)).ndim
    source, destination = int(source) % ndim, int(destination) % ndim
    perm = [i for i in range(ndim) if i != source]
    perm.insert(destination, source)
    return transpose(a, perm)


def expand_dims(a, axis):
    """Insert size-1 axes (``broadcast_in_dim``, as JAX does)."""
    a = _operand(a)
    shape = aval_of(a).shape
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out_ndim = len(shape) + len(axes)
    axes = sorted(int(ax) % out_ndim for ax in axes)
    out_shape = list(shape)
    for ax in axes:
        out_shape.insert(ax, 1)
    kept = tuple(i for i in range(out_ndim) if i not in axes)
    return st.broadcast_in_dim(a, tuple(out_shape), kept)


def squeeze(a, axis=None):
    a = _operand(a)
    shape = aval_of(a).shape
    if axis is None:
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        axes = canonical_axes(axis, len(shape))
        for ax in axes:
            if shape[ax] != 1:
                raise ValueError(
                    f"cannot select an axis to squeeze out which has size not equal to one "
                    f"(axis {ax} of shape {shape})"
                )
    return st.squeeze(a, axes) if axes else as_result(a)


def concatenate(arrays, axis=0):
    """Join arrays along an existing axis (``concatenate``); axis=None flattens first."""
    arrays = [_operand(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(x) for x in arrays]
        axis = 0
    arrays = promote_dtypes(*arrays)
    ndim = aval_of(arrays[0]).ndim
    if ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    (axis,) = canonical_axes(axis, ndim)
    _check_concatenate_shapes([aval_of(x).shape for x in arrays], axis)
    if len(arrays) == 1:
        return as_result(arrays[0])
    return st.concatenate(arrays, axis)


def _check_concatenate_shapes(shapes, axis):
    """The shapes ``concatenate`` accepts, checked before NumPy sees them (so eager, jit
    and vmap raise the same ShapeError)."""
    if len({len(s) for s in shapes}) != 1:
        raise ShapeError(
            "concatenate needs arrays with the same number of dimensions, got shapes "
            f"{', '.join(map(str, shapes))}."
        )
    if len({s[:axis] + s[axis + 1 :] for s in shapes}) != 1:
        raise ShapeError(
            f"concatenate along axis {axis} needs arrays whose shapes agree in every other "
            f"axis, got shapes {', '.join(map(str, shapes))}."
        )


def stack(arrays, axis=0):
    """Join arrays along a new axis."""
    arrays = [_operand(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {aval_of(x).shape for x in arrays}
    if len(shapes) != 1:
        raise ShapeError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    ndim = aval_of(arrays[0]).ndim + 1
    axis = int(axis) % ndim
    return concatenate([expand_dims(x, axis) for x in arrays], axis)


def hstack(arrays):
    arrays = [atleast_1d(x) for x in arrays]
    return concatenate(arrays, 0 if aval_of(arrays[0]).ndim == 1 else 1)


def vstack(arrays):
    return concatenate([atleast_2d(x) for x in arrays], 0)


def atleast_1d(x):
    x = _operand(x)
    return reshape(x, (1,)) if aval_of(x).ndim == 0 else x


def atleast_2d(x):
    x = atleast_1d(x)
    return expand_dims(x, 0) if aval_of(x).ndim == 1 else x


def flip(a, axis=None):
    a = _operand(a)
    axes = canonical_axes(axis, aval_of(a).ndim)
    return st.rev(a, axes) if axes else as_result(a)


def split(a, indices_or_sections, axis=0):
    a = _operand(a)
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    n = shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        step = n // indices_or_sections
        bounds = list(range(0, n + 1, step))
    else:
        bounds = [0, *[int(i) for i in indices_or_sections], n]
    pieces = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        starts = [0] * len(shape)
        limits = list(shape)
        starts[axis], limits[axis] = lo, hi
        pieces.append(st.slice(a, starts, limits))
    return pieces


def tile(a, reps):
    a = _operand(a)
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    shape = aval_of(a).shape
    ndim = max(len(shape), len(reps))
    shape = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    a = reshape(a, shape)
    # broadcast into an interleaved (rep, size) layout, then merge the pairs
    expanded = tuple(x for pair in zip(reps, shape, strict=True) for x in pair)
    b = st.broadcast_in_dim(a, expanded, tuple(range(1, 2 * ndim, 2)))
    return reshape(b, tuple(r * n for r, n in zip(reps, shape, strict=True)))


def repeat(a, repeats, axis=None):
    a = _operand(a)
    if axis is None:
        a, axis = ravel(a), 0
    shape = aval_of(a).shape
    (axis,) = canonical_axes(axis, len(shape))
    expanded = shape[: axis + 1] + (int(repeats),) + shape[axis + 1 :]
    kept = tuple(i for i in range(len(expanded)) if i != axis + 1)
    b = st.broadcast_in_dim(a, expanded, kept)
    return reshape(b, shape[:axis] + (shape[axis] * int(repeats),) + shape[axis + 1 :])
