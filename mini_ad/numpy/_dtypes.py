"""Dtypes of ``mini_ad.numpy``: the scalar types (``float32(...)`` converts, as in JAX),
NumPy's abstract type hierarchy, ``iinfo``/``finfo`` and the promotion queries
(``promote_types``, ``result_type``, ``can_cast``, ``issubdtype``, ``isdtype``).

None of these has a derivative; ``float32(x)`` is ``astype(x, float32)`` and so keeps
the derivative of ``x``.
"""

from __future__ import annotations

import builtins

import numpy as np

from mini_ad.core.avals import concrete_aval
from mini_ad.core.tracing import Tracer
from mini_ad.numpy._core import _operand, array, astype
from mini_ad.numpy._ranges import result_dtype


class _ScalarMeta(type):
    """A scalar type that is also a dtype (``np.dtype(float32)`` works through the
    ``dtype`` attribute) and a converter (``float32(x)`` is an array of that dtype)."""

    dtype: np.dtype

    def __call__(cls, x=0):
        x = _operand(x) if not isinstance(x, (list, tuple)) else array(x)
        return astype(x, cls.dtype)

    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, cls.dtype.type)

    def __eq__(cls, other) -> bool:
        try:
            return np.dtype(other) == cls.dtype
        except TypeError:
            return False

    def __hash__(cls) -> int:
        return hash(cls.dtype)

    def __repr__(cls) -> str:
        return f"<class 'mini_ad.numpy.{cls.__name__}'>"


def _scalar_type(name: str, dtype) -> type:
    doc = (
        f"The ``{np.dtype(dtype).name}`` scalar type: ``{name}(x)`` converts ``x`` "
        f"(``astype``), and ``{name}`` is accepted wherever a dtype is.\n\n"
        f">>> {name}(1).dtype == np.dtype({name})\nTrue\n"
    )
    return _ScalarMeta(name, (), {"dtype": np.dtype(dtype), "__doc__": doc})


bool_ = _scalar_type("bool_", np.bool_)
bool = bool_  # noqa: A001 - jax.numpy's name
int8 = _scalar_type("int8", np.int8)
int16 = _scalar_type("int16", np.int16)
int32 = _scalar_type("int32", np.int32)
int64 = _scalar_type("int64", np.int64)
uint8 = _scalar_type("uint8", np.uint8)
uint16 = _scalar_type("uint16", np.uint16)
uint32 = _scalar_type("uint32", np.uint32)
uint64 = _scalar_type("uint64", np.uint64)
float16 = _scalar_type("float16", np.float16)
float32 = _scalar_type("float32", np.float32)
float64 = _scalar_type("float64", np.float64)
complex64 = _scalar_type("complex64", np.complex64)
complex128 = _scalar_type("complex128", np.complex128)
int_ = _scalar_type("int_", np.int64)
uint = _scalar_type("uint", np.uint64)
float_ = _scalar_type("float_", np.float64)
double = _scalar_type("double", np.float64)
single = _scalar_type("single", np.float32)
complex_ = _scalar_type("complex_", np.complex128)
cdouble = _scalar_type("cdouble", np.complex128)
csingle = _scalar_type("csingle", np.complex64)

# NumPy's abstract scalar types, for issubdtype
generic = np.generic
number = np.number
integer = np.integer
signedinteger = np.signedinteger
unsignedinteger = np.unsignedinteger
inexact = np.inexact
floating = np.floating
complexfloating = np.complexfloating
character = np.character
flexible = np.flexible
object_ = np.object_


def _np_dtype(x):
    """A NumPy dtype or scalar type for ``x``: a dtype-like, or an array's dtype."""
    if isinstance(x, _ScalarMeta):
        return x.dtype
    if isinstance(x, Tracer):
        return x.aval.dtype
    if isinstance(x, np.ndarray):
        return x.dtype
    return x


def iinfo(int_type) -> np.iinfo:
    """Machine limits of an integer dtype (``np.iinfo``).

    Args:
      int_type: an integer dtype, or an array or scalar of one.

    Returns:
      An ``np.iinfo``.

    Examples:
      >>> int(iinfo(int8).max)
      127
    """
    return np.iinfo(np.dtype(_np_dtype(int_type)))


def finfo(dtype) -> np.finfo:
    """Machine limits of a float dtype (``np.finfo``).

    >>> float(finfo(float32).eps) == float(np.finfo(np.float32).eps)
    True
    """
    return np.finfo(np.dtype(_np_dtype(dtype)))


def promote_types(type1, type2) -> np.dtype:
    """The smallest dtype both convert to safely (``np.promote_types``).

    Args:
      type1, type2: anything ``numpy.dtype`` accepts.

    Returns:
      An ``np.dtype``.

    Examples:
      >>> promote_types(int8, float32)
      dtype('float32')
    """
    return np.promote_types(np.dtype(_np_dtype(type1)), np.dtype(_np_dtype(type2)))


def result_type(*arrays_and_dtypes) -> np.dtype:
    """The dtype NumPy 2 gives an operation on these arrays, scalars and dtypes
    (Python scalars are weak, NEP 50).

    >>> result_type(np.ones(2, np.float32), 2.0)
    dtype('float32')
    """
    values = []
    for x in arrays_and_dtypes:
        if isinstance(x, (_ScalarMeta, np.dtype, str)) or (
            isinstance(x, type) and issubclass(x, np.generic)
        ):
            values.append(np.zeros((), np.dtype(_np_dtype(x))))
        else:
            values.append(x)
    return np.dtype(result_dtype(*values))


def can_cast(from_, to, casting="safe") -> bool:
    """Whether ``from_`` (a dtype or an array) casts to ``to`` under ``casting``.

    >>> can_cast(int32, float64), can_cast(float64, int32)
    (True, False)
    """
    from_ = _np_dtype(from_)
    if not isinstance(from_, (np.dtype, type, str)):
        from_ = concrete_aval(from_).dtype
    return builtins.bool(np.can_cast(np.dtype(from_), np.dtype(_np_dtype(to)), casting))


def issubdtype(arg1, arg2) -> bool:
    """Whether ``arg1`` is lower in NumPy's type hierarchy than ``arg2``.

    >>> issubdtype(float32, floating), issubdtype(int32, floating)
    (True, False)
    """
    return builtins.bool(np.issubdtype(_np_dtype(arg1), _np_dtype(arg2)))


_KINDS = {
    "bool": "b", "signed integer": "i", "unsigned integer": "u", "integral": "iu",
    "real floating": "f", "complex floating": "c", "numeric": "iufc",
}  # fmt: skip


def isdtype(dtype, kind) -> bool:
    """The array API's ``isdtype``: ``kind`` is a dtype, a kind name or a tuple of them.

    >>> isdtype(float32, "real floating"), isdtype(int8, ("bool", "integral"))
    (True, True)
    """
    dtype = np.dtype(_np_dtype(dtype))
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, str):
        return dtype.kind in _KINDS[kind]
    return dtype == np.dtype(_np_dtype(kind))


def isscalar(element) -> bool:
    """Whether ``element`` is a scalar: a Python or NumPy number or a rank-0 traced array.

    >>> isscalar(1.0), isscalar(np.ones(2))
    (True, False)
    """
    if isinstance(element, Tracer):
        return element.aval.ndim == 0
    return builtins.bool(np.isscalar(element)) or (
        isinstance(element, np.ndarray) and element.ndim == 0
    )


def iscomplexobj(x) -> bool:
    """Whether ``x`` has a complex dtype.

    >>> iscomplexobj(np.ones(2) * 1j)
    True
    """
    dtype = _np_dtype(x) if isinstance(x, (Tracer, np.ndarray)) else np.asarray(x).dtype
    return np.dtype(dtype).kind == "c"


def isrealobj(x) -> bool:
    """Whether ``x`` does not have a complex dtype.

    >>> isrealobj(np.ones(2))
    True
    """
    return not iscomplexobj(x)


def iterable(y) -> bool:
    """Whether ``iter(y)`` works.

    >>> iterable([1, 2]), iterable(2)
    (True, False)
    """
    try:
        iter(y)
    except TypeError:
        return False
    return True
