"""``bitcast_convert_type``: the bits of an array read as another dtype, as
``jax.lax.bitcast_convert_type`` (a narrower dtype adds a last axis, a wider one consumes
it). Bits carry no derivative."""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives.base import transpose
from mini_ad.primitives.helpers import def_zero_jvp

# --- bitcast_convert_type ------------------------------------------------------------------------

bitcast_convert_type_p = Primitive("bitcast_convert_type")


def bitcast_convert_type(x, new_dtype):
    """The bits of ``x`` read as ``new_dtype``, as ``jax.lax.bitcast_convert_type``: to a
    narrower dtype the result gains a last axis of ``width ratio`` elements; to a wider one
    the last axis (of that ratio's length) is consumed.

    >>> import numpy as np
    >>> int(bitcast_convert_type(np.float32(1.0), np.uint32))
    1065353216
    >>> bitcast_convert_type(np.int32(1), np.int8).shape
    (4,)
    """
    return bitcast_convert_type_p.bind(x, new_dtype=np.dtype(new_dtype))


def _bitcast_abstract_eval(x: ShapedArray, *, new_dtype):
    old, new = x.dtype.itemsize, new_dtype.itemsize
    if "c" in (x.dtype.kind, new_dtype.kind) or x.dtype.kind == "b" or new_dtype.kind == "b":
        if old == new and x.dtype.kind != "c" and new_dtype.kind != "c":
            return ShapedArray(x.shape, new_dtype)
        raise TypeError(
            f"bitcast_convert_type from {x.dtype.name} to {new_dtype.name}: mini_ad does not "
            "bitcast complex dtypes, nor bools to another width."
        )
    if old == new:
        return ShapedArray(x.shape, new_dtype)
    if old > new:
        return ShapedArray(x.shape + (old // new,), new_dtype)
    if not x.shape or x.shape[-1] != new // old:
        raise ValueError(
            f"bitcast_convert_type from {x.dtype.name} to {new_dtype.name} needs a last axis "
            f"of length {new // old}, got shape {x.shape}."
        )
    return ShapedArray(x.shape[:-1], new_dtype)


def _bitcast_impl(x, *, new_dtype):
    x = np.asarray(x)
    out_shape = _bitcast_abstract_eval(ShapedArray(x.shape, x.dtype), new_dtype=new_dtype).shape
    if x.dtype.itemsize > new_dtype.itemsize:  # a new last axis: view each element's bytes
        return np.ascontiguousarray(x[..., None]).view(new_dtype).reshape(out_shape)
    return np.ascontiguousarray(x).view(new_dtype).reshape(out_shape)


def _bitcast_batch(axis_size, vals, dims, *, new_dtype):
    (x,), (d,) = vals, dims
    if d != 0:
        perm = (d,) + tuple(i for i in range(np.ndim(x)) if i != d)
        x = transpose(x, perm)
    return bitcast_convert_type(x, new_dtype), 0


bitcast_convert_type_p.impl = _bitcast_impl
bitcast_convert_type_p.abstract_eval = _bitcast_abstract_eval
bitcast_convert_type_p.batch = _bitcast_batch
def_zero_jvp(bitcast_convert_type_p)  # bits carry no derivative (JAX: the same)
bitcast_convert_type_p.lowering = lambda lx, x, *, new_dtype: lx.lax.bitcast_convert_type(
    x, new_dtype
)
bitcast_convert_type_p.opt_out("transpose", "not linear: reverse mode transposes its jvp instead")
bitcast_convert_type_p.opt_out("jet", "a bit reinterpretation has no Taylor series")
