"""The array surface of a tracer: attributes, operators and methods.

``Tracer`` (``core/tracing.py``) inherits these, so a traced value behaves like an
array in user code. Each one delegates to the ``mini_ad.numpy`` function of the same
meaning through ``array_ops``, a namespace that ``mini_ad.numpy`` fills when it is
imported: the core must not import that higher layer itself.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

array_ops = SimpleNamespace()


class ArrayMethods:
    """Mixed into ``Tracer``; needs ``self.aval``."""

    __slots__ = ()

    # --- array attributes -----------------------------------------------------------
    @property
    def shape(self):
        return self.aval.shape

    @property
    def dtype(self):
        return self.aval.dtype

    @property
    def ndim(self):
        return self.aval.ndim

    @property
    def size(self):
        return self.aval.size

    @property
    def weak_type(self):
        return self.aval.weak_type

    def __len__(self):
        if not self.aval.shape:
            raise TypeError("len() of unsized object (a traced array of rank 0)")
        return self.aval.shape[0]

    def __iter__(self):
        if not self.aval.shape:
            raise TypeError("iteration over a 0-d traced array")
        return (self[i] for i in range(self.aval.shape[0]))

    # --- operators: delegate to mini_ad.numpy -------------------------------------------
    def __neg__(self):
        return array_ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return array_ops.abs(self)

    def __invert__(self):
        return array_ops.invert(self)

    def __add__(self, other):
        return array_ops.add(self, other)

    def __radd__(self, other):
        return array_ops.add(other, self)

    def __sub__(self, other):
        return array_ops.subtract(self, other)

    def __rsub__(self, other):
        return array_ops.subtract(other, self)

    def __mul__(self, other):
        return array_ops.multiply(self, other)

    def __rmul__(self, other):
        return array_ops.multiply(other, self)

    def __truediv__(self, other):
        return array_ops.true_divide(self, other)

    def __rtruediv__(self, other):
        return array_ops.true_divide(other, self)

    def __floordiv__(self, other):
        return array_ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return array_ops.floor_divide(other, self)

    def __mod__(self, other):
        return array_ops.remainder(self, other)

    def __rmod__(self, other):
        return array_ops.remainder(other, self)

    def __pow__(self, other):
        return array_ops.power(self, other)

    def __rpow__(self, other):
        return array_ops.power(other, self)

    def __matmul__(self, other):
        return array_ops.matmul(self, other)

    def __rmatmul__(self, other):
        return array_ops.matmul(other, self)

    def __and__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "and")

    def __rand__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "and")

    def __or__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "or")

    def __ror__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "or")

    def __xor__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "xor")

    def __rxor__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "xor")

    def __eq__(self, other):
        return array_ops.equal(self, other)

    def __ne__(self, other):
        return array_ops.not_equal(self, other)

    def __lt__(self, other):
        return array_ops.less(self, other)

    def __le__(self, other):
        return array_ops.less_equal(self, other)

    def __gt__(self, other):
        return array_ops.greater(self, other)

    def __ge__(self, other):
        return array_ops.greater_equal(self, other)

    def __getitem__(self, index):
        return array_ops.getitem(self, index)

    # --- array methods ------------------------------------------------------------------
    @property
    def at(self):
        return array_ops.at(self)

    @property
    def T(self):
        return array_ops.transpose(self)

    def sum(
        self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None,
        promote_integers=True,
    ):  # fmt: skip
        return array_ops.sum(self, axis, dtype, out, keepdims, initial, where, promote_integers)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
        return array_ops.mean(self, axis, dtype, out, keepdims, where=where)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return array_ops.max(self, axis, out, keepdims, initial, where)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return array_ops.min(self, axis, out, keepdims, initial, where)

    def prod(
        self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None,
        promote_integers=True,
    ):  # fmt: skip
        return array_ops.prod(self, axis, dtype, out, keepdims, initial, where, promote_integers)

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return array_ops.reshape(self, shape, order=order)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = axes[0]
        return array_ops.transpose(self, axes or None)

    def astype(self, dtype):
        return array_ops.astype(self, dtype)

    def dot(self, other):
        return array_ops.dot(self, other)

    def squeeze(self, axis=None):
        return array_ops.squeeze(self, axis)

    def ravel(self):
        return array_ops.ravel(self)

    def flatten(self):
        return array_ops.ravel(self)

    def argmax(self, axis=None, keepdims=False):
        return array_ops.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        return array_ops.argmin(self, axis=axis, keepdims=keepdims)

    def sort(self, axis=-1, *, descending=False):
        """A sorted copy (JAX's ``Array.sort``: arrays are immutable, unlike NumPy's in place)."""
        return array_ops.sort(self, axis=axis, descending=descending)

    def argsort(self, axis=-1, *, descending=False):
        return array_ops.argsort(self, axis=axis, descending=descending)

    def cumsum(self, axis=None, dtype=None):
        return array_ops.cumsum(self, axis=axis, dtype=dtype)

    def cumprod(self, axis=None, dtype=None):
        return array_ops.cumprod(self, axis=axis, dtype=dtype)

    def trace(self, offset=0, axis1=0, axis2=1):
        return array_ops.trace(self, offset=offset, axis1=axis1, axis2=axis2)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return array_ops.diagonal(self, offset=offset, axis1=axis1, axis2=axis2)

    def clip(self, min=None, max=None):  # noqa: A002 - NumPy's names
        return array_ops.clip(self, min, max)

    def round(self, decimals=0):
        return array_ops.round(self, decimals=decimals)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
        """``mini_ad.numpy.var`` (keywords ``where``, ``mean``, ``correction``)."""
        return array_ops.var(self, axis, dtype, out, ddof, keepdims, **kw)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
        """``mini_ad.numpy.std`` (keywords ``where``, ``mean``, ``correction``)."""
        return array_ops.std(self, axis, dtype, out, ddof, keepdims, **kw)

    def conj(self):
        return array_ops.conj(self)

    conjugate = conj

    def any(self, axis=None, out=None, keepdims=False, *, where=None):
        return array_ops.any(self, axis, out, keepdims, where=where)

    def all(self, axis=None, out=None, keepdims=False, *, where=None):
        return array_ops.all(self, axis, out, keepdims, where=where)

    def swapaxes(self, axis1, axis2):
        return array_ops.swapaxes(self, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return array_ops.repeat(self, repeats, axis=axis)

    def take(self, indices, axis=None):
        return array_ops.take(self, indices, axis=axis)
