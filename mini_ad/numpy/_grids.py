"""Index grids and index arithmetic in ``mini_ad.numpy``: ``meshgrid``, ``indices``,
``ix_``, ``ravel_multi_index``, ``unravel_index``, the triangle and diagonal index
helpers, ``tri``, ``diagflat``, ``fromfunction``, ``logspace``/``geomspace``, the index
tricks ``mgrid``, ``ogrid``, ``r_``, ``c_``, ``s_``, ``index_exp``, and
``packbits``/``unpackbits``.

Shapes are static; index outputs are integers (no derivative); ``meshgrid`` broadcasts
its (differentiable) inputs.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, astype, broadcast_to, promote_dtypes
from mini_ad.numpy._division import floor_divide, power, remainder
from mini_ad.numpy._extra import diag
from mini_ad.numpy._math import (
    add,
    bitwise_and,
    exp,
    greater_equal,
    less,
    log,
    multiply,
    sign,
    where,
)
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import concatenate, expand_dims, moveaxis, ravel, reshape, transpose
from mini_ad.primitives import structural as st
from mini_ad.primitives.bits import shift_left, shift_right_logical


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate arrays from 1-D coordinate vectors (``"xy"``: the first two axes
    swapped, as in plotting; ``"ij"``: matrix order). ``xi`` are the vectors, ``indexing`` is
    ``"xy"`` or ``"ij"``, ``sparse`` gives broadcastable arrays instead of full grids, and ``copy``
    is ignored.

    >>> [g.shape for g in meshgrid(np.arange(3.0), np.arange(2.0))]
    [(2, 3), (2, 3)]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    xi = [ravel(_operand(x)) for x in xi]
    n = len(xi)
    shape = [aval_of(x).shape[0] for x in xi]
    if indexing == "xy" and n > 1:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, x in enumerate(xi):
        axis = i
        if indexing == "xy" and n > 1 and i < 2:
            axis = 1 - i
        one = [1] * n
        one[axis] = -1
        x = reshape(x, tuple(one))
        out.append(x if sparse else broadcast_to(x, tuple(shape)))
    return out


def indices(dimensions, dtype=int, sparse=False):
    """The index of each position of a grid of shape ``dimensions`` along each axis. ``dtype`` is
    the indices' dtype; ``sparse`` gives one broadcastable array per axis.

    >>> indices((2, 2))[1]
    array([[0, 1],
           [0, 1]])
    """
    return np.indices(tuple(int(d) for d in dimensions), dtype=dtype, sparse=sparse)


def ix_(*args):
    """Open-mesh index arrays: the ``k``-th 1-D sequence reshaped along axis ``k``.

    >>> [a.shape for a in ix_([0, 1], [2, 3, 4])]
    [(2, 1), (1, 3)]
    """
    out = []
    n = len(args)
    for k, seq in enumerate(args):
        seq = _operand(seq)
        if aval_of(seq).ndim != 1:
            raise ValueError("Cross index must be 1 dimensional")
        if aval_of(seq).dtype == np.bool_:
            seq = np.nonzero(np.asarray(seq))[0]
        shape = [1] * n
        shape[k] = aval_of(seq).shape[0]
        out.append(reshape(seq, tuple(shape)))
    return tuple(out)


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """Flat indices of the per-axis ``multi_index`` in an array of shape ``dims``. ``mode``
    (``"raise"``, ``"wrap"`` or ``"clip"``) handles out-of-range indices; ``order`` is ``"C"``
    (row-major) or ``"F"``.

    >>> ravel_multi_index((np.array([0, 1]), np.array([2, 0])), (2, 3))
    array([2, 3])
    """
    dims = tuple(int(d) for d in dims)
    if len(multi_index) != len(dims):
        raise ValueError("ravel_multi_index: one index array per dimension is required")
    strides = (
        np.cumprod((1,) + dims[::-1][:-1])[::-1] if order == "C" else np.cumprod((1,) + dims[:-1])
    )
    total = None
    for index, n, stride in zip(multi_index, dims, strides, strict=True):
        index = astype(_operand(index), np.int64)
        if mode == "wrap":
            index = remainder(index, n)
        elif mode == "clip":
            index = where(less(index, 0), 0, where(greater_equal(index, n), n - 1, index))
        elif not isinstance(index, Tracer):
            if np.any((np.asarray(index) < 0) | (np.asarray(index) >= n)):
                raise ValueError("invalid entry in coordinates array")
        term = multiply(index, np.int64(stride))
        total = term if total is None else add(total, term)
    return total


def unravel_index(indices, shape):
    """Per-axis indices of flat ``indices`` in an array of ``shape`` (a tuple).

    >>> unravel_index(np.array([2, 3]), (2, 3))
    (array([0, 1]), array([2, 0]))
    """
    flat = astype(_operand(indices), np.int64)
    shape = tuple(int(n) for n in np.atleast_1d(shape))
    out = []
    for n in reversed(shape):
        out.append(remainder(flat, n))
        flat = floor_divide(flat, n)
    return tuple(reversed(out))


def tri(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's names
    """Ones at and below the ``k``-th diagonal of an ``N x M`` matrix. ``M`` defaults to ``N``;
    ``dtype`` defaults to float64.

    >>> tri(2)
    array([[1., 0.],
           [1., 1.]])
    """
    return np.tri(N, M, k, dtype=np.float64 if dtype is None else dtype)


def tril_indices(n, k=0, m=None):
    """Indices of the lower triangle of an ``n x m`` matrix. ``k`` offsets the diagonal; ``m``
    defaults to ``n``.

    >>> tril_indices(2)
    (array([0, 1, 1]), array([0, 0, 1]))
    """
    return np.tril_indices(n, k, m)


def triu_indices(n, k=0, m=None):
    """Indices of the upper triangle of an ``n x m`` matrix. ``k`` offsets the diagonal; ``m``
    defaults to ``n``.

    >>> triu_indices(2)
    (array([0, 0, 1]), array([0, 1, 1]))
    """
    return np.triu_indices(n, k, m)


def tril_indices_from(arr, k=0):
    """``tril_indices`` for ``arr``'s shape, with diagonal offset ``k``.

    >>> tril_indices_from(np.ones((2, 2)))[1]
    array([0, 0, 1])
    """
    shape = aval_of(_operand(arr)).shape
    return np.tril_indices(shape[-2], k, shape[-1])


def triu_indices_from(arr, k=0):
    """``triu_indices`` for ``arr``'s shape, with diagonal offset ``k``.

    >>> triu_indices_from(np.ones((2, 2)))[1]
    array([0, 1, 1])
    """
    shape = aval_of(_operand(arr)).shape
    return np.triu_indices(shape[-2], k, shape[-1])


def diag_indices(n, ndim=2):
    """Indices of the main diagonal of an ``n``-sided ``ndim``-dimensional array.

    >>> diag_indices(2)
    (array([0, 1]), array([0, 1]))
    """
    return np.diag_indices(n, ndim)


def diag_indices_from(arr):
    """``diag_indices`` for ``arr`` (all sides equal).

    >>> diag_indices_from(np.ones((2, 2)))[0]
    array([0, 1])
    """
    shape = aval_of(_operand(arr)).shape
    if len(set(shape)) != 1 or len(shape) < 2:
        raise ValueError("All dimensions of input must be of equal length")
    return np.diag_indices(shape[0], len(shape))


def mask_indices(n, mask_func, k=0, *, size=None):
    """Indices where ``mask_func(ones((n, n)), k)`` is nonzero. ``n`` is the mask's side; ``size``
    is ignored.

    >>> mask_indices(2, np.triu)
    (array([0, 0, 1]), array([0, 1, 1]))
    """
    mask = np.asarray(mask_func(np.ones((n, n), dtype=int), k))
    return np.nonzero(mask != 0)


def diagflat(v, k=0):
    """A matrix with ``ravel(v)`` on its ``k``-th diagonal.

    >>> diagflat(np.array([[1.0, 2.0]]))
    array([[1., 0.],
           [0., 2.]])
    """
    return diag(ravel(_operand(v)), k)


def fromfunction(function, shape, *, dtype=float, **kwargs):
    """``function(*indices(shape))`` with index arrays of ``dtype``; ``kwargs`` are passed on to
    ``function``.

    >>> fromfunction(lambda i, j: i + j, (2, 2))
    array([[0., 1.],
           [1., 2.]])
    """
    return function(*np.indices(tuple(int(n) for n in shape), dtype=dtype), **kwargs)


def _ramp(start, stop, num, endpoint, axis):
    """``linspace`` that also takes traced ends: ``start + t (stop - start)``."""
    start, stop = promote_dtypes(start, stop, np.zeros((), np.float64))[:2]
    div = (num - 1) if endpoint else num
    t = np.arange(num, dtype=np.float64) / div if div > 0 else np.zeros(num)
    shape = np.broadcast_shapes(aval_of(start).shape, aval_of(stop).shape)
    t = t.reshape((num,) + (1,) * len(shape))
    out = add(expand_dims(start, 0), multiply(t, expand_dims(add(stop, multiply(start, -1.0)), 0)))
    if endpoint and num > 1:
        last = expand_dims(broadcast_to(stop, shape), 0)
        out = concatenate([st.slice(out, (0,) * (len(shape) + 1), (num - 1,) + tuple(shape)), last])
    return moveaxis(out, 0, axis) if shape else out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``base ** linspace(start, stop, num)`` (``stop`` included if ``endpoint``), in ``dtype``, the
    new axis at ``axis``.

    >>> logspace(0.0, 2.0, 3)
    array([  1.,  10., 100.])
    """
    if not any(isinstance(v, Tracer) for v in (start, stop, base)):
        return np.logspace(start, stop, num, endpoint, base, dtype, axis)
    out = power(base, _ramp(start, stop, int(num), endpoint, axis))
    return out if dtype is None else astype(out, dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Numbers spaced evenly on a log scale from ``start`` to ``stop``. ``num`` of them (``stop``
    included if ``endpoint``), in ``dtype``, the new axis at ``axis``.

    >>> geomspace(1.0, 100.0, 3)
    array([  1.,  10., 100.])
    """
    if not any(isinstance(v, Tracer) for v in (start, stop)):
        return np.geomspace(start, stop, num, endpoint, dtype, axis)
    (start,) = promote_dtypes(start)
    ramp = _ramp(log(start * sign(start)), log(stop * sign(stop)), int(num), endpoint, axis)
    out = multiply(sign(start), exp(ramp))
    return out if dtype is None else astype(out, dtype)


class _Concatenator:
    """``r_``/``c_``: slices become ``arange``/``linspace``, arrays are joined along an
    axis (``"axis"`` or ``"axis,ndmin,trans1d"`` as a leading string)."""

    def __init__(self, axis, ndmin, trans1d):
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        if key and isinstance(key[0], str):
            settings = [int(s) for s in key[0].split(",")]
            axis = settings[0]
            ndmin = settings[1] if len(settings) > 1 else ndmin
            trans1d = settings[2] if len(settings) > 2 else trans1d
            key = key[1:]
        parts = []
        for item in key:
            if isinstance(item, slice):
                item = np.r_[item]
            item = _operand(item)
            if aval_of(item).ndim == 0:
                item = reshape(item, (1,))
            k = aval_of(item).ndim
            if k < ndmin:
                item = reshape(item, (1,) * (ndmin - k) + aval_of(item).shape)
                if trans1d != -1:  # NumPy's rule: the original axes start at trans1d
                    k1, k2 = trans1d, ndmin - k
                    k1 = k1 + k2 + 1 if k1 < 0 else k1
                    order = list(range(ndmin))
                    item = transpose(item, order[:k1] + order[k2:] + order[k1:k2])
            parts.append(item)
        return concatenate(promote_dtypes(*parts), axis)


r_ = _Concatenator(0, 1, -1)
c_ = _Concatenator(-1, 2, 0)
mgrid = np.mgrid
ogrid = np.ogrid
s_ = np.s_
index_exp = np.index_exp


def packbits(a, axis=None, bitorder="big"):
    """Bits (nonzero entries) packed eight to a uint8 along ``axis`` (flattened when None),
    zero-padded at the end. ``bitorder`` is ``"big"`` or ``"little"``.

    >>> packbits(np.array([1, 0, 1]))
    array([160], dtype=uint8)
    """
    a = _operand(a)
    if axis is None:
        a, axis = ravel(a), 0
    bits = astype(astype(a, np.bool_), np.uint8)
    bits = moveaxis(bits, axis, -1)
    n = aval_of(bits).shape[-1]
    pad = (-n) % 8
    if pad:
        config = [(0, 0, 0)] * (aval_of(bits).ndim - 1) + [(0, pad, 0)]
        bits = st.pad(bits, np.zeros((), np.uint8), config)
    bits = reshape(bits, aval_of(bits).shape[:-1] + (-1, 8))
    shifts = (
        np.arange(7, -1, -1, dtype=np.uint8) if bitorder == "big" else np.arange(8, dtype=np.uint8)
    )
    packed = sum_(
        shift_left(bits, broadcast_to(shifts, aval_of(bits).shape)), axis=-1, dtype=np.uint8
    )
    return moveaxis(packed, -1, axis)


def unpackbits(a, axis=None, count=None, bitorder="big"):
    """The bits of uint8 ``a`` along ``axis`` (flattened when None), ``count`` of them. ``bitorder``
    is ``"big"`` or ``"little"``.

    >>> unpackbits(np.array([160], dtype=np.uint8))
    array([1, 0, 1, 0, 0, 0, 0, 0], dtype=uint8)
    """
    a = _operand(a)
    if aval_of(a).dtype != np.uint8:
        raise TypeError("Expected an input array of unsigned byte data type")
    if axis is None:
        a, axis = ravel(a), 0
    a = moveaxis(a, axis, -1)
    shifts = (
        np.arange(7, -1, -1, dtype=np.uint8) if bitorder == "big" else np.arange(8, dtype=np.uint8)
    )
    shape = aval_of(a).shape + (8,)
    bits = shift_right_logical(broadcast_to(expand_dims(a, -1), shape), broadcast_to(shifts, shape))
    bits = bitwise_and(bits, np.ones((), np.uint8))
    bits = reshape(bits, aval_of(a).shape[:-1] + (-1,))
    if count is not None:
        n = aval_of(bits).shape[-1]
        count = int(count) if count >= 0 else n + int(count)
        lead = aval_of(bits).shape[:-1]
        if count <= n:
            bits = st.slice(bits, (0,) * len(lead) + (0,), lead + (count,))
        else:
            bits = st.pad(
                bits, np.zeros((), np.uint8), [(0, 0, 0)] * len(lead) + [(0, count - n, 0)]
            )
    return moveaxis(bits, -1, axis)
