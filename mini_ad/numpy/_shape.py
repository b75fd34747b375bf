"""Shape manipulation of ``mini_ad.numpy``: reshape, transpose, squeeze,
expand_dims, concatenate, stack, flip and friends."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.numpy._core import _operand, as_result, astype, concrete_shape, promote_dtypes
from mini_ad.numpy._reductions import canonical_axes
from mini_ad.primitives import structural as st


def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    """Give ``a`` a new shape with the same elements, as ``numpy.reshape``/``jax.numpy.reshape``.

    The elements are read and written in row-major (C) order, or column-major with
    ``order="F"``; one dimension of ``shape`` may be -1 and is inferred from the size.
    Binds ``reshape`` (nothing when the shape is unchanged).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      shape: an int or a tuple of ints; at most one of them -1.
      order: ``"C"`` (row-major) or ``"F"`` (column-major: ``a`` transposed, reshaped
        to the reversed shape, transposed back).
      newshape: NumPy's former name of ``shape`` (JAX removed it), accepted.
      copy: accepted and ignored: mini_ad's arrays are immutable.

    Returns:
      An array of shape ``shape`` holding ``a``'s elements.

    Raises:
      ValueError: the sizes do not match, more than one dimension is -1, or ``order``
        is not one of ``"C"``, ``"F"``, ``"A"``.
      NotImplementedError: ``order="A"`` (as JAX's arrays).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.reshape(mnp.arange(6), (2, -1)))
      [[0 1 2]
       [3 4 5]]
      >>> print(mnp.reshape(mnp.arange(6), (2, 3), order="F"))
      [[0 2 4]
       [1 3 5]]
    """
    if shape is None:
        if newshape is None:
            raise TypeError("reshape() missing required argument 'shape'")
        shape = newshape
    if order == "A":
        raise NotImplementedError("np.reshape order=A is not implemented.")
    if order not in ("C", "F"):
        raise ValueError(f"order {order!r} is not permitted for reshaping")
    a = _operand(a)
    aval = aval_of(a)
    newshape = _resolved_shape(concrete_shape(shape, "reshape"), aval.size)
    if order == "F":
        return transpose(reshape(transpose(a), newshape[::-1]))
    if newshape == aval.shape:
        return as_result(a)
    return st.reshape(a, newshape)


def _resolved_shape(shape, size):
    """``shape`` with its -1 (at most one) inferred from ``size``; checked against it."""
    if shape.count(-1) > 1:
        raise ValueError("can only specify one unknown dimension (-1) in reshape")
    if -1 in shape:
        known = int(np.prod([n for n in shape if n != -1], dtype=np.int64))
        if known == 0 or size % known:
            raise ShapeError(f"cannot reshape array of size {size} into shape {shape}")
        shape = tuple(size // known if n == -1 else n for n in shape)
    if int(np.prod(shape, dtype=np.int64)) != size:
        raise ShapeError(f"cannot reshape array of size {size} into shape {shape}")
    return shape


def ravel(a, order="C"):
    """Flatten ``a`` to one dimension, as ``numpy.ravel``.

    Unlike NumPy it never returns a view: arrays of mini_ad are immutable anyway.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      order: ``"C"`` (row-major) or ``"F"`` (column-major).

    Returns:
      A 1-D array of ``a.size`` elements.

    Raises:
      NotImplementedError: for ``order="K"`` or ``"A"`` (as JAX).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.ravel([[1, 2], [3, 4]]))
      [1 2 3 4]
      >>> print(mnp.ravel([[1, 2], [3, 4]], order="F"))
      [1 3 2 4]
    """
    if order == "K":
        raise NotImplementedError("Ravel not implemented for order='K'.")
    return reshape(a, (-1,), order=order)


def transpose(a, axes=None):
    """Permute the axes of ``a``, as ``numpy.transpose``.

    Binds the ``transpose`` primitive (nothing for the identity permutation).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axes: a permutation of ``range(a.ndim)`` (negative entries count from the end);
        None (the default) reverses the axes.

    Returns:
      An array whose axis ``i`` is ``a``'s axis ``axes[i]``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.transpose([[1, 2, 3], [4, 5, 6]]))
      [[1 4]
       [2 5]
       [3 6]]
    """
    a = _operand(a)
    ndim = aval_of(a).ndim
    if axes is None:
        axes = tuple(reversed(range(ndim)))
    axes = tuple(int(i) % ndim if ndim else int(i) for i in axes)
    if axes == tuple(range(ndim)):
        return as_result(a)
    return st.transpose(a, axes)


def swapaxes(a, axis1, axis2):
    """Exchange two axes of ``a``, as ``numpy.swapaxes`` (a ``transpose``).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis1: the first axis (negative counts from the end).
      axis2: the second axis.

    Returns:
      ``a`` with ``axis1`` and ``axis2`` exchanged.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.swapaxes(mnp.zeros((2, 3, 4)), 0, 2).shape
      (4, 3, 2)
    """
    ndim = aval_of(_operand(a)).ndim
    perm = list(range(ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return transpose(a, perm)


def moveaxis(a, source, destination):
    """Move axes of ``a`` to new positions, as ``numpy.moveaxis``; the others keep
    their order.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      source: the axis or axes to move (negative counts from the end).
      destination: where they end up (as many as ``source``).

    Returns:
      The transposed array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.moveaxis(mnp.zeros((2, 3, 4)), [0, 1], [1, 0]).shape
      (3, 2, 4)
    """
    ndim = aval_of(_operand(a)).ndim
    src = [int(i) % ndim for i in np.atleast_1d(source)]
    dst = [int(i) % ndim for i in np.atleast_1d(destination)]
    if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError("moveaxis: source and destination must be as many distinct axes")
    perm = [i for i in range(ndim) if i not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        perm.insert(d, s)
    return transpose(a, perm)


def expand_dims(a, axis):
    """Insert size-1 axes into ``a``, as ``numpy.expand_dims``.

    Binds ``broadcast_in_dim``, as JAX does.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int or a tuple of ints: the positions of the new axes in the result
        (negative counts from the end of the result).

    Returns:
      ``a`` with ``a.ndim + len(axis)`` dimensions.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.expand_dims([1, 2], 0))
      [[1 2]]
      >>> mnp.expand_dims(mnp.zeros((2, 3)), (0, -1)).shape
      (1, 2, 3, 1)
    """
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
    """Remove size-1 axes of ``a``, as ``numpy.squeeze``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int or a tuple of ints naming the axes to remove; None (the default)
        removes every axis of size one.

    Returns:
      ``a`` without those axes.

    Raises:
      ValueError: a named axis does not have size one.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.squeeze(mnp.zeros((1, 3, 1))).shape
      (3,)
      >>> mnp.squeeze(mnp.zeros((1, 3, 1)), axis=0).shape
      (3, 1)
    """
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


def concatenate(arrays, axis=0, dtype=None):
    """Join arrays along an existing axis, as ``numpy.concatenate``.

    Dtypes promote as in NumPy; binds the ``concatenate`` primitive.

    Args:
      arrays: a sequence of arrays with equal shapes except along ``axis``.
      axis: the axis to join along (negative counts from the end); None flattens the
        arrays first.
      dtype: the result's dtype (each array is cast to it, as in JAX); None promotes.

    Returns:
      The joined array.

    Raises:
      ValueError: ``arrays`` is empty, or the arrays are zero-dimensional.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.concatenate([mnp.array([1, 2]), mnp.array([3])]))
      [1 2 3]
      >>> print(mnp.concatenate([[[1], [2]], [[3], [4]]], axis=1))
      [[1 3]
       [2 4]]
    """
    arrays = [_operand(x) for x in arrays]
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [ravel(x) for x in arrays]
        axis = 0
    arrays = promote_dtypes(*arrays) if dtype is None else [astype(x, dtype) for x in arrays]
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


def atleast_1d(x):
    """``x`` as an array of at least one dimension, as ``numpy.atleast_1d``.

    Unlike NumPy it takes one array (not several).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      ``x`` reshaped to (1,) when it is a scalar, otherwise ``x`` unchanged.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.atleast_1d(3.0))
      [3.]
    """
    x = _operand(x)
    return reshape(x, (1,)) if aval_of(x).ndim == 0 else x


def atleast_2d(x):
    """``x`` as an array of at least two dimensions, as ``numpy.atleast_2d``.

    Unlike NumPy it takes one array (not several).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A scalar as shape (1, 1), a 1-D array of length n as (1, n), others unchanged.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.atleast_2d([1, 2]))
      [[1 2]]
    """
    x = atleast_1d(x)
    return expand_dims(x, 0) if aval_of(x).ndim == 1 else x


def flip(a, axis=None):
    """Reverse the order of elements along axes, as ``numpy.flip`` (``rev``).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: an int or a tuple of ints; None (the default) flips every axis.

    Returns:
      ``a`` with the elements along ``axis`` reversed.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.flip([[1, 2], [3, 4]]))
      [[4 3]
       [2 1]]
      >>> print(mnp.flip([[1, 2], [3, 4]], axis=1))
      [[2 1]
       [4 3]]
    """
    a = _operand(a)
    axes = canonical_axes(axis, aval_of(a).ndim)
    return st.rev(a, axes) if axes else as_result(a)
