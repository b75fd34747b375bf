"""Filled arrays and ranges in ``mini_ad.numpy`` (zeros, ones, arange), and ``result_dtype``,
the dtype NumPy would give a combination of operands."""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import (
    result_type,
)
from mini_ad.core.tracing import Tracer, current_trace, eval_trace
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, full
from mini_ad.primitives import structural as st


def zeros(shape, dtype=None):
    """An array of zeros, as ``numpy.zeros``.

    Args:
      shape: an int or a tuple of ints.
      dtype: the dtype of the result; None means float64.

    Returns:
      The array of zeros.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.zeros(2))
      [0. 0.]
    """
    return full(shape, 0, np.float64 if dtype is None else dtype)


def ones(shape, dtype=None):
    """An array of ones, as ``numpy.ones``.

    Args:
      shape: an int or a tuple of ints.
      dtype: the dtype of the result; None means float64.

    Returns:
      The array of ones.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.ones((1, 2), dtype="int32"))
      [[1 1]]
    """
    return full(shape, 1, np.float64 if dtype is None else dtype)


def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in ``[start, stop)``, as ``numpy.arange``.

    The arguments must be concrete (not traced). Inside a transform ``arange(n)`` is
    staged as ``iota``, as in JAX.

    Args:
      start: the first value; with ``stop`` None, the end (and the start is 0).
      stop: the end (excluded), or None.
      step: the spacing; None means 1.
      dtype: the dtype of the result; None infers it from the arguments.

    Returns:
      A 1-D array.

    Raises:
      ConcretizationTypeError: an argument is traced.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.arange(3))
      [0 1 2]
      >>> print(mnp.arange(1.0, 2.0, 0.25))
      [1.   1.25 1.5  1.75]
    """
    for value in (start, stop, step):
        if isinstance(value, Tracer):
            value.to_concrete("arange()")  # raises under staging, with a hint
    values = np.arange(start, stop, step, dtype=dtype)
    if current_trace() is eval_trace:
        return values
    if stop is None and step is None:
        return st.iota(values.dtype, values.shape, 0)
    return values


def result_dtype(*args):
    """The dtype that ``args`` promote to, as ``numpy.result_type``.

    Exported as ``mini_ad.numpy.result_type``. NumPy 2 promotion: Python scalars are
    weak (``int32`` array and ``2`` give ``int32``).

    Args:
      args: arrays, tracers or Python scalars (not dtypes, unlike NumPy).

    Returns:
      A NumPy dtype.

    Example:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> mnp.result_type(np.int32(1), 2)
      dtype('int32')
      >>> mnp.result_type(np.float32(1), [1.0])
      dtype('float64')
    """
    return result_type(*(aval_of(_operand(x)) for x in args))[0]
