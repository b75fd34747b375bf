"""Array creation in ``mini_ad.numpy``: zeros_like, ones_like, full_like, linspace, eye,
identity."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, full


def zeros_like(x, dtype=None):
    """An array of zeros with ``x``'s shape and dtype, as ``numpy.zeros_like``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None keeps ``x``'s.

    Returns:
      The array of zeros.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.zeros_like([[1, 2]]))
      [[0 0]]
    """
    aval = aval_of(_operand(x))
    return full(aval.shape, 0, aval.dtype if dtype is None else dtype)


def ones_like(x, dtype=None):
    """An array of ones with ``x``'s shape and dtype, as ``numpy.ones_like``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      dtype: the dtype of the result; None keeps ``x``'s.

    Returns:
      The array of ones.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.ones_like([1.5, 2.5]))
      [1. 1.]
    """
    aval = aval_of(_operand(x))
    return full(aval.shape, 1, aval.dtype if dtype is None else dtype)


def full_like(x, fill_value, dtype=None):
    """An array of ``x``'s shape filled with ``fill_value``, as ``numpy.full_like``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      fill_value: a scalar.
      dtype: the dtype of the result; None keeps ``x``'s (so the value is converted
        to it, as in NumPy).

    Returns:
      The filled array.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.full_like([1, 2, 3], 2.7))
      [2 2 2]
    """
    aval = aval_of(_operand(x))
    return full(aval.shape, fill_value, aval.dtype if dtype is None else dtype)


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    """``num`` evenly spaced values from ``start`` to ``stop``, as ``numpy.linspace``.

    The arguments must be concrete (not traced); the result is a constant.

    Args:
      start: the first value.
      stop: the last value (included when ``endpoint``).
      num: the number of values.
      endpoint: whether ``stop`` is the last value.
      dtype: the dtype of the result; None means float64.

    Returns:
      A 1-D array of ``num`` values.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.linspace(0.0, 1.0, 5))
      [0.   0.25 0.5  0.75 1.  ]
    """
    return np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)


def eye(n, m=None, k=0, dtype=None):
    """A 2-D array with ones on a diagonal and zeros elsewhere, as ``numpy.eye``.

    Args:
      n: the number of rows.
      m: the number of columns; None means ``n``.
      k: the diagonal: 0 the main one, positive above it, negative below.
      dtype: the dtype of the result; None means float64.

    Returns:
      An (n, m) array.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.eye(2, 3, k=1))
      [[0. 1. 0.]
       [0. 0. 1.]]
    """
    return np.eye(n, m, k, dtype=np.float64 if dtype is None else dtype)


def identity(n, dtype=None):
    """The (n, n) identity matrix, as ``numpy.identity``.

    Args:
      n: the number of rows and columns.
      dtype: the dtype of the result; None means float64.

    Returns:
      An (n, n) array.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.identity(2))
      [[1. 0.]
       [0. 1.]]
    """
    return eye(n, dtype=dtype)
