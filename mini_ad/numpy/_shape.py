"""Shape manipulation of ``mini_ad.numpy``: reshape, transpose, squeeze,
expand_dims, concatenate, stack, flip and friends."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, promote_dtypes
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
    newshape = (newshape,) if isinstance(newshape, (int, np.integer)) else tuple(newshape)
    newshape = tuple(int(n) for n in newshape)
    if newshape.count(-1) > 1:
        raise ValueError("can only specify one unknown dimension (-1) in reshape")
    if -1 in newshape:
        known = int(np.prod([n for n in newshape if n != -1], dtype=np.int64))
        if known == 0 or aval.size % known:
            raise ValueError(f"cannot reshape array of size {aval.size} into shape {newshape}")
        newshape = tuple(aval.size // known if n == -1 else n for n in newshape)
    if int(np.prod(newshape, dtype=np.int64)) != aval.size:
        raise ValueError(f"cannot reshape array of size {aval.size} into shape {newshape}")
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
    """Move axes ``source`` to positions ``destination`` (ints or sequences of them),
    keeping the order of the others.

    >>> moveaxis(np.zeros((2, 3, 4)), [0, 1], [1, 0]).shape
    (3, 2, 4)
    """
    ndim = aval_of(_operand(a)).ndim
    source = canonical_axis_list(source, ndim)
    destination = canonical_axis_list(destination, ndim)
    if len(source) != len(destination):
        raise ValueError("moveaxis: source and destination must have the same number of elements")
    perm = [i for i in range(ndim) if i not in source]
    for dest, src in sorted(zip(destination, source, strict=True)):
        perm.insert(dest, src)
    return transpose(a, perm)


def canonical_axis_list(axes, ndim: int) -> list:
    """Axes (an int or a sequence), in the given order, made non-negative."""
    axes = [axes] if isinstance(axes, (int, np.integer)) else list(axes)
    out = []
    for ax in axes:
        ax = int(ax)
        if not -ndim <= ax < ndim:
            raise ValueError(f"axis {ax} is out of bounds for an array of dimension {ndim}")
        out.append(ax % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axes}")
    return out


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
    if len(arrays) == 1:
        return as_result(arrays[0])
    return st.concatenate(arrays, axis)


def stack(arrays, axis=0):
    """Join arrays along a new axis."""
    arrays = [_operand(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to stack")
    shapes = {aval_of(x).shape for x in arrays}
    if len(shapes) != 1:
        raise ValueError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    ndim = aval_of(arrays[0]).ndim + 1
    axis = int(axis) % ndim
    return concatenate([expand_dims(x, axis) for x in arrays], axis)


def hstack(arrays):
    arrays = [atleast_1d(x) for x in arrays]
    return concatenate(arrays, 0 if aval_of(arrays[0]).ndim == 1 else 1)


def vstack(arrays):
    return concatenate([atleast_2d(x) for x in arrays], 0)


def _each(fn, arys):
    out = [fn(_operand(x)) for x in arys]
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys):
    """Each array with at least one axis (a list if several are given).

    >>> atleast_1d(1.0).shape
    (1,)
    """
    return _each(lambda x: reshape(x, (1,)) if aval_of(x).ndim == 0 else as_result(x), arys)


def atleast_2d(*arys):
    """Each array with at least two axes (new leading axes).

    >>> atleast_2d(np.ones(3)).shape
    (1, 3)
    """

    def two(x):
        x = atleast_1d(x)
        return expand_dims(x, 0) if aval_of(x).ndim == 1 else x

    return _each(two, arys)


def atleast_3d(*arys):
    """Each array with at least three axes: ``(n,)`` becomes ``(1, n, 1)``, ``(m, n)``
    becomes ``(m, n, 1)``.

    >>> atleast_3d(np.ones(3)).shape
    (1, 3, 1)
    """

    def three(x):
        ndim = aval_of(x).ndim
        if ndim == 0:
            return reshape(x, (1, 1, 1))
        if ndim == 1:
            return reshape(x, (1, -1, 1))
        return expand_dims(x, -1) if ndim == 2 else as_result(x)

    return _each(three, arys)


def flip(a, axis=None):
    a = _operand(a)
    axes = canonical_axes(axis, aval_of(a).ndim)
    return st.rev(a, axes) if axes else as_result(a)


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
