"""Array creation in ``mini_ad.numpy``: zeros_like, ones_like, full_like, linspace, eye,
identity."""

from __future__ import annotations

import numpy as np

from mini_ad.core.array import wrap
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, full


def zeros_like(a, dtype=None, shape=None):
    """An array of zeros with ``a``'s shape and dtype, as ``numpy.zeros_like``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None keeps ``a``'s.
      shape: the shape of the result (an int or a tuple); None keeps ``a``'s.

    Returns:
      The array of zeros.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.zeros_like([[1, 2]]))
      [[0 0]]
    """
    aval = aval_of(_operand(a))
    return full(aval.shape if shape is None else shape, 0, aval.dtype if dtype is None else dtype)


def ones_like(a, dtype=None, shape=None):
    """An array of ones with ``a``'s shape and dtype, as ``numpy.ones_like``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None keeps ``a``'s.
      shape: the shape of the result (an int or a tuple); None keeps ``a``'s.

    Returns:
      The array of ones.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.ones_like([1.5, 2.5]))
      [1. 1.]
    """
    aval = aval_of(_operand(a))
    return full(aval.shape if shape is None else shape, 1, aval.dtype if dtype is None else dtype)


def full_like(a, fill_value, dtype=None, shape=None):
    """An array of ``a``'s shape filled with ``fill_value``, as ``numpy.full_like``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      fill_value: a scalar.
      dtype: the dtype of the result; None keeps ``a``'s (so the value is converted
        to it, as in NumPy).
      shape: the shape of the result (an int or a tuple); None keeps ``a``'s.

    Returns:
      The filled array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.full_like([1, 2, 3], 2.7))
      [2 2 2]
      >>> print(mnp.full_like([1, 2, 3], 2.7, shape=2, dtype=float))
      [2.7 2.7]
    """
    aval = aval_of(_operand(a))
    shape = aval.shape if shape is None else shape
    return full(shape, fill_value, aval.dtype if dtype is None else dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop``, as ``numpy.linspace``.

    The arguments must be concrete (not traced); the result is a constant.

    Args:
      start: the first value (or an array of them).
      stop: the last value (included when ``endpoint``), broadcast against ``start``.
      num: the number of values.
      endpoint: whether ``stop`` is the last value.
      retstep: also return the spacing between the values.
      dtype: the dtype of the result; None means float64.
      axis: where the new axis goes when ``start``/``stop`` are arrays.

    Returns:
      An array of ``num`` values along ``axis``; with ``retstep``, ``(values, step)``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linspace(0.0, 1.0, 5))
      [0.   0.25 0.5  0.75 1.  ]
      >>> print(mnp.linspace(0.0, 1.0, 4, endpoint=False, retstep=True)[1])
      0.25
      >>> print(mnp.linspace([0.0, 1.0], 2.0, 3, axis=1))
      [[0.  1.  2. ]
       [1.  1.5 2. ]]
    """
    values, step = np.linspace(start, stop, num, endpoint, retstep=True, dtype=dtype, axis=axis)
    return (wrap(values), wrap(np.asarray(step))) if retstep else wrap(values)


def eye(N, M=None, k=0, dtype=None):  # noqa: N803 - NumPy's and JAX's names
    """A 2-D array with ones on a diagonal and zeros elsewhere, as ``numpy.eye``.

    Args:
      N: the number of rows.
      M: the number of columns; None means ``N``.
      k: the diagonal: 0 the main one, positive above it, negative below.
      dtype: the dtype of the result; None means float64.

    Returns:
      An (N, M) array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.eye(2, 3, k=1))
      [[0. 1. 0.]
       [0. 0. 1.]]
    """
    return wrap(np.eye(N, M, k, dtype=np.float64 if dtype is None else dtype))


def identity(n, dtype=None):
    """The (n, n) identity matrix, as ``numpy.identity``.

    Args:
      n: the number of rows and columns.
      dtype: the dtype of the result; None means float64.

    Returns:
      An (n, n) array.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.identity(2))
      [[1. 0.]
       [0. 1.]]
    """
    return eye(n, dtype=dtype)
