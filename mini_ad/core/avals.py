"""Abstract values: what a transform knows about an array without its data.

A ``ShapedArray`` is a shape, a dtype and a *weak type* flag. Python scalars are
weakly typed (NEP 50, as in JAX): ``float32_array * 2.0`` stays float32.
"""

from __future__ import annotations

import functools

import numpy as np

from mini_ad.core.array import Array

float0 = np.dtype([("float0", np.void, 0)])  # JAX: the dtype of int/bool tangents

_SHORT_NAMES = {
    "float64": "f64", "float32": "f32", "float16": "f16",
    "int64": "i64", "int32": "i32", "int16": "i16", "int8": "i8",
    "uint64": "u64", "uint32": "u32", "uint16": "u16", "uint8": "u8",
    "bool": "bool", "complex128": "c128", "complex64": "c64",
}  # fmt: skip

_PYTHON_SCALAR_DTYPES = {
    bool: np.dtype(bool),
    int: np.dtype(np.int64),
    float: np.dtype(np.float64),
    complex: np.dtype(np.complex128),
}


@functools.cache  # dtype.name is slow in NumPy, and printers call this once per variable
def dtype_short_name(dtype: np.dtype) -> str:
    """``float64 -> 'f64'``, as JAX prints types in jaxprs."""
    if dtype == float0:
        return "float0"
    return _SHORT_NAMES.get(dtype.name, dtype.name)


class ShapedArray:
    """The abstract value of an array: shape, dtype and weak type.

    >>> ShapedArray((2, 3), np.dtype("float64")).str_short()
    'f64[2,3]'
    """

    __slots__ = ("shape", "dtype", "weak_type")

    def __init__(self, shape, dtype, weak_type: bool = False):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self.weak_type = bool(weak_type)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def update(self, shape=None, dtype=None, weak_type=None) -> ShapedArray:
        return ShapedArray(
            self.shape if shape is None else shape,
            self.dtype if dtype is None else dtype,
            self.weak_type if weak_type is None else weak_type,
        )

    def strip_weak_type(self) -> ShapedArray:
        return self if not self.weak_type else ShapedArray(self.shape, self.dtype)

    def str_short(self) -> str:
        return f"{dtype_short_name(self.dtype)}[{','.join(map(str, self.shape))}]"

    def __eq__(self, other):
        return (
            type(other) is ShapedArray
            and self.shape == other.shape
            and self.dtype == other.dtype
            and self.weak_type == other.weak_type
        )

    def __hash__(self):
        return hash((self.shape, self.dtype, self.weak_type))

    def __repr__(self):
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapedArray({self.str_short()}{weak})"


def is_python_scalar(x) -> bool:
    return type(x) in _PYTHON_SCALAR_DTYPES


def python_scalar_dtype(x) -> np.dtype:
    return _PYTHON_SCALAR_DTYPES[type(x)]


# Avals are immutable values, so equal ones are shared: building a ShapedArray costs
# more than looking one up, and concrete_aval runs on every operand of every primitive.
_array_avals: dict = {}
_weak_scalar_avals = {
    t: ShapedArray((), d, weak_type=True) for t, d in _PYTHON_SCALAR_DTYPES.items()
}


def concrete_aval(x) -> ShapedArray:
    """The aval of a concrete (non-tracer) value; TypeError for non-array types."""
    t = type(x)
    if t is np.ndarray or t is Array or t is np.float64:
        key = (x.shape, x.dtype)
        aval = _array_avals.get(key)
        if aval is None:
            aval = _array_avals[key] = _checked_array_aval(x)
        return aval
    aval = _weak_scalar_avals.get(t)
    if aval is not None:
        return aval
    if isinstance(x, (np.ndarray, np.generic)):
        return _checked_array_aval(x)
    if isinstance(x, (bool, int, float, complex)):  # subclasses, e.g. IntEnum
        return ShapedArray((), _PYTHON_SCALAR_DTYPES[_scalar_base(x)], weak_type=True)
    raise TypeError(
        f"Argument {x!r} of type {type(x)} is not a valid mini_ad type: "
        "pass numpy arrays, Python scalars, or pytrees (tuples, lists, dicts) of them."
    )


def _checked_array_aval(x) -> ShapedArray:
    if x.dtype.kind in "OUSMm" or (x.dtype.kind == "V" and x.dtype != float0):
        raise TypeError(f"Argument {x!r} of dtype {x.dtype} is not a valid mini_ad type.")
    return ShapedArray(x.shape, x.dtype)


def _scalar_base(x):
    for base in (bool, int, float, complex):
        if isinstance(x, base):
            return base
    raise AssertionError(x)


def is_inexact(dtype) -> bool:
    """Floating or complex (``np.issubdtype(dtype, np.inexact)``, by the dtype's kind:
    ten times cheaper, and asked for every operand of every differentiated primitive)."""
    kind = dtype.kind if isinstance(dtype, np.dtype) else np.dtype(dtype).kind
    return kind == "f" or kind == "c"


def is_float(dtype) -> bool:
    kind = dtype.kind if isinstance(dtype, np.dtype) else np.dtype(dtype).kind
    return kind == "f"


def weak_placeholder(aval: ShapedArray):
    """A Python scalar standing in for a weak aval in ``np.result_type`` (NEP 50)."""
    kind = aval.dtype.kind
    if kind == "f":
        return 0.0
    if kind == "c":
        return 0j
    if kind in "iu":
        return 0
    return aval.dtype


def result_type(*avals: ShapedArray) -> tuple[np.dtype, bool]:
    """NumPy 2 promotion of avals, weak ones acting as Python scalars.

    Returns ``(dtype, weak_type)``; the result is weak only if every input is.
    """
    first = avals[0].dtype
    if all(a.dtype == first for a in avals):  # the common case, without np.result_type
        return first, all(a.weak_type for a in avals)
    if all(a.weak_type for a in avals):
        return np.result_type(*(a.dtype for a in avals)), True
    dtype = np.result_type(*(weak_placeholder(a) if a.weak_type else a.dtype for a in avals))
    return dtype, False
