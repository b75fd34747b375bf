"""Promotion, broadcasting and array creation for ``mini_ad.numpy``: NumPy 2's rules (Python
scalars are weak, NEP 50: ``float32_array * 2.0`` stays float32), then ``broadcast_in_dim``,
so primitives see operands of one dtype whose shapes agree (or are rank 0)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.array import wrap
from mini_ad.core.avals import (
    ShapedArray,
    is_inexact,
    is_python_scalar,
    python_scalar_dtype,
    result_type,
)
from mini_ad.core.tracing import Tracer, current_trace, eval_trace
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ConcretizationTypeError, ShapeError
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import structural as st

float_ = np.float64
_PYTHON_TYPES = {np.dtype(t): t for t in (bool, int, float, complex)}


def _is_array_like(x) -> bool:
    return isinstance(x, (Tracer, np.ndarray, np.generic)) or is_python_scalar(x)


def asarray(x, dtype=None):
    """Convert ``x`` to an array, as ``numpy.asarray``; tracers pass through.

    Outside transforms the result is an immutable ``mini_ad.Array`` (no copy). A traced ``x`` is returned as it is
    (converted with ``convert_element_type`` when ``dtype`` differs); a list holding
    tracers is stacked into one traced array.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None keeps (or infers) ``x``'s.

    Returns:
      An array (or a tracer inside a transform).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.asarray([1.0, 2.0]))
      [1. 2.]
      >>> print(mnp.asarray([1, 2], dtype="float32").dtype)
      float32
    """
    if isinstance(x, Tracer):
        return x if dtype is None else astype(x, dtype)
    if isinstance(x, (list, tuple)) and any(_contains_tracer(v) for v in x):
        return _stack_leading([asarray(v, dtype) for v in x])
    return wrap(np.asarray(x, dtype=dtype))


def _stack_leading(values) -> Tracer:
    """A list holding tracers joined along a new leading axis, as ``stack(values)`` does:
    each one expanded (``broadcast_in_dim``), then promoted and concatenated."""
    values = [_operand(v) for v in values]
    shapes = {aval_of(v).shape for v in values}
    if len(shapes) != 1:
        raise ShapeError(f"all input arrays must have the same shape, got {sorted(shapes)}")
    (shape,) = shapes
    kept = tuple(range(1, len(shape) + 1))
    expanded = promote_dtypes(*[st.broadcast_in_dim(v, (1,) + shape, kept) for v in values])
    return expanded[0] if len(expanded) == 1 else st.concatenate(expanded, 0)


def array(x, dtype=None, copy=True):
    """Create an array from ``x``, as ``numpy.array``; tracers pass through.

    Like ``asarray``, but outside transforms it copies unless ``copy=False``. A list
    holding tracers is stacked into one traced array (so ``array([x, y])`` works under
    ``grad`` and ``jit``).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None infers it from ``x``.
      copy: whether a NumPy input is copied (ignored for tracers, which are immutable).

    Returns:
      An array (or a tracer inside a transform).

    Examples:
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.array([[1, 2], [3, 4]]))
      [[1 2]
       [3 4]]
      >>> print(ad.grad(lambda x: mnp.sum(mnp.array([x, 2 * x])))(1.0))
      3.0
    """
    if isinstance(x, Tracer) or (
        isinstance(x, (list, tuple)) and any(_contains_tracer(v) for v in x)
    ):
        return asarray(x, dtype)
    return wrap(np.array(x, dtype=dtype, copy=copy))


def as_result(x):
    """``x`` as a function result: tracers stay, anything else becomes an ndarray (so that
    outside transforms mini_ad.numpy returns Arrays even where it computes nothing)."""
    return x if isinstance(x, Tracer) else wrap(np.asarray(x))


def _contains_tracer(x) -> bool:
    if isinstance(x, Tracer):
        return True
    return isinstance(x, (list, tuple)) and any(_contains_tracer(v) for v in x)


def _operand(x):
    """A value primitives accept: tracers, ndarrays and Python scalars stay as they are."""
    if isinstance(x, (Tracer, np.ndarray)) or is_python_scalar(x):
        return x
    if isinstance(x, np.generic):
        return np.asarray(x)
    if isinstance(x, (list, tuple)):
        return asarray(x)
    if isinstance(x, (bool, int, float, complex)):  # subclasses such as IntEnum
        return python_scalar_dtype_cast(x)
    raise TypeError(
        f"mini_ad.numpy got an argument of type {type(x).__name__}; expected an array, a "
        "Python scalar, or a list of them."
    )


def python_scalar_dtype_cast(x):
    for base in (bool, int, float, complex):
        if isinstance(x, base):
            return base(x)
    raise TypeError(type(x))


def astype(x, dtype):
    """Convert ``x`` to ``dtype``, as ``ndarray.astype`` (``convert_element_type``).

    Floats convert to integers by truncation toward zero, as in NumPy; NaN gives 0 and
    values out of the integer range its ends, as in JAX (NumPy's cast is undefined there).
    Nothing is bound when ``x`` already has the dtype.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      dtype: anything ``numpy.dtype`` accepts.

    Returns:
      ``x`` with dtype ``dtype``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.astype([1.7, -1.7], "int32"))
      [ 1 -1]
    """
    x = _operand(x)
    dtype = np.dtype(dtype)
    aval = aval_of(x)
    if aval.dtype == dtype and not aval.weak_type:
        return x
    if not isinstance(x, Tracer) and not (aval.dtype.kind in "fc" and dtype.kind in "iu"):
        return wrap(np.asarray(x, dtype=dtype))
    return ew.convert_element_type(x, dtype, False)  # float to int saturates, as under jit


def _convert(x, dtype, weak):
    """Convert one promoted operand; Python scalars become typed literals."""
    if isinstance(x, Tracer):
        aval = x.aval
        if aval.dtype != dtype or (aval.weak_type and not weak):
            return ew.convert_element_type(x, dtype, weak)
        return x
    if is_python_scalar(x):
        if python_scalar_dtype(x) == dtype:
            return x
        python_type = _PYTHON_TYPES.get(dtype)
        if weak and python_type is not None:  # all operands are Python scalars: 2 -> 2.0
            return python_type(x)
        return np.asarray(x, dtype=dtype)
    return x if x.dtype == dtype else x.astype(dtype)


def promote_dtypes(*args) -> list:
    """NumPy-2 promotion of the operands to one dtype."""
    args = [_operand(x) for x in args]
    dtype, weak = result_type(*(aval_of(x) for x in args))
    return [_convert(x, dtype, weak) for x in args]


def promote_dtypes_inexact(*args, int_to=None) -> list:
    """Promote, then turn an integer or bool result into a float the way NumPy's ufunc
    loops do: the smallest float holding it (int8 -> float16, int16 -> float32, int32 ->
    float64). ``int_to=float64`` gives true division's and ``mean``'s rule instead."""
    args = [_operand(x) for x in args]
    dtype, weak = result_type(*(aval_of(x) for x in args))
    if not is_inexact(dtype):
        dtype = np.dtype(int_to) if int_to is not None else np.promote_types(dtype, np.float16)
    return [_convert(x, dtype, weak) for x in args]


def broadcast_shapes(*shapes) -> tuple:
    """The shape that ``shapes`` broadcast to, as ``numpy.broadcast_shapes``.

    Args:
      shapes: tuples of ints.

    Returns:
      A tuple of ints.

    Raises:
      ValueError: the shapes are not compatible.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.broadcast_shapes((2, 1), (3,))
      (2, 3)
    """
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        raise ShapeError(
            f"Incompatible shapes for broadcasting: {', '.join(map(str, shapes))}."
        ) from None


def broadcast_to(x, shape):
    """Broadcast ``x`` to ``shape``, as ``numpy.broadcast_to``.

    Binds one ``broadcast_in_dim`` (NumPy's rules: new axes on the left, size-1 axes
    stretched); its transpose sums the cotangent back to ``x``'s shape.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      shape: an int or a tuple of ints.

    Returns:
      An array of shape ``shape`` (a new array, not a read-only view as in NumPy).

    Raises:
      ValueError: ``x``'s shape does not broadcast to ``shape``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.broadcast_to([1, 2], (2, 2)))
      [[1 2]
       [1 2]]
    """
    x = _operand(x)
    shape = tuple(int(n) for n in (shape if isinstance(shape, (tuple, list)) else (shape,)))
    x_shape = aval_of(x).shape
    if x_shape == shape:
        return as_result(x)
    if broadcast_shapes(x_shape, shape) != shape:
        raise ShapeError(f"Cannot broadcast an array of shape {x_shape} to shape {shape}.")
    offset = len(shape) - len(x_shape)
    return st.broadcast_in_dim(x, shape, tuple(range(offset, len(shape))))


def broadcast_arrays(*args) -> list:
    """Broadcast operands to a common shape, as ``numpy.broadcast_arrays``.

    Unlike NumPy, rank-0 operands are left as they are (primitives accept scalars
    next to arrays), and operands are not converted to arrays.

    Args:
      args: arrays, tracers or Python scalars.

    Returns:
      A list of the operands, broadcast to one shape.

    Raises:
      ValueError: the shapes are not compatible.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> a, b = mnp.broadcast_arrays(np.array([1, 2]), np.array([[1], [2]]))
      >>> print(a)
      [[1 2]
       [1 2]]
    """
    shapes = [aval_of(x).shape for x in args]
    if all(s == shapes[0] for s in shapes):
        return list(args)
    shape = broadcast_shapes(*shapes)
    return [
        x if s == shape or not s else broadcast_to(x, shape)
        for x, s in zip(args, shapes, strict=True)
    ]


def promote_and_broadcast(*args, inexact=False, int_to=None) -> list:
    promoted = promote_dtypes_inexact(*args, int_to=int_to) if inexact else promote_dtypes(*args)
    return broadcast_arrays(*promoted)


# --- creation ---------------------------------------------------------------------------------


def concrete_shape(shape, api: str) -> tuple:
    """``shape`` (an int or a sequence of ints) as a tuple of Python ints; a traced entry
    (``ones(n)`` under ``jit``) is a ConcretizationTypeError (a TypeError, as in JAX)
    naming the shape requirement and the remedies."""
    if isinstance(shape, np.ndarray) and shape.ndim == 1:
        shape = shape.tolist()
    dims = shape if isinstance(shape, (tuple, list)) else (shape,)
    try:
        return tuple(int(n) for n in dims)
    except ConcretizationTypeError as e:
        raise ConcretizationTypeError(
            f"{api}: shapes must be sequences of concrete integers, got {shape!r}: a shape "
            "cannot depend on a traced value. Under jit, mark the argument static "
            "(static_argnums) or apply jit to a smaller function.\n" + str(e)
        ) from None


def full(shape, fill_value, dtype=None):
    """An array of ``shape`` filled with ``fill_value``, as ``numpy.full``.

    Inside a transform it is a ``broadcast_in_dim`` of a scalar (so a traced
    ``fill_value`` is differentiable).

    Args:
      shape: an int or a tuple of ints.
      fill_value: a scalar (or a scalar tracer).
      dtype: the dtype of the result; None takes ``fill_value``'s.

    Returns:
      The filled array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.full((2, 2), 7))
      [[7 7]
       [7 7]]
    """
    shape = concrete_shape(shape, "full")
    if isinstance(fill_value, Tracer):
        value = fill_value if dtype is None else astype(fill_value, dtype)
        return broadcast_to(value, shape)
    dtype = np.dtype(dtype) if dtype is not None else np.asarray(fill_value).dtype
    if current_trace() is eval_trace:
        return wrap(np.full(shape, fill_value, dtype=dtype))
    return st.broadcast_in_dim(np.asarray(fill_value, dtype=dtype), shape, ())


def shape(x):
    """The shape of ``x``, as ``numpy.shape`` (static, also for tracers).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      A tuple of ints.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.shape([[1, 2, 3]])
      (1, 3)
    """
    return aval_of(_operand(x)).shape


def ndim(x):
    """The number of dimensions of ``x``, as ``numpy.ndim`` (static, also for tracers).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An int.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.ndim([[1, 2, 3]])
      2
    """
    return aval_of(_operand(x)).ndim


def size(x):
    """The number of elements of ``x``, as ``numpy.size`` (static, also for tracers).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An int.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> mnp.size([[1, 2, 3]])
      3
    """
    return aval_of(_operand(x)).size


def as_shaped_array(x) -> ShapedArray:
    return aval_of(_operand(x))
