"""Angle conversions and ``sinc`` in ``mini_ad.numpy``: deg2rad, rad2deg, sinc."""

from __future__ import annotations

import numpy as np

from mini_ad.numpy._core import (
    promote_dtypes_inexact,
)
from mini_ad.numpy._logic import (  # noqa: F401 - re-exported
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    invert,
    isfinite,
    isinf,
    isnan,
    logical_and,
    logical_and_or_bitwise,
    logical_not,
    logical_or,
    logical_xor,
)
from mini_ad.numpy._math import equal, multiply, sin, true_divide, where


def sinc(x):
    """The normalized sinc function ``sin(pi x) / (pi x)``, as ``numpy.sinc``.

    ``sinc(0)`` is 1, and its derivatives at 0 of every order (through a Maclaurin
    series there) match JAX's. Integers are promoted to float64.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.round(mnp.sinc([0.0, 0.5, 1.0]), 6))
      [1.      0.63662 0.     ]
    """
    (x,) = promote_dtypes_inexact(x, int_to=np.float64)
    pi_x = multiply(np.pi, x)
    is_zero = equal(x, 0)
    safe = where(is_zero, 1.0, pi_x)
    # At 0 take the Maclaurin series in t = πx: value 1 and JAX's derivatives there
    # (sinc''(0) = -π²/3), exact through order 9.
    t2 = multiply(pi_x, pi_x)
    series = 1.0 + t2 * (-1 / 6 + t2 * (1 / 120 + t2 * (-1 / 5040 + t2 / 362880)))
    return where(is_zero, series, true_divide(sin(safe), safe))


def deg2rad(x):
    """Convert angles from degrees to radians, as ``numpy.deg2rad``: ``x * pi / 180``.

    Integers and bools are promoted to float64 (float32 stays float32).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.deg2rad([180.0, 90.0]))
      [3.14159265 1.57079633]
    """
    (x,) = promote_dtypes_inexact(x)
    return multiply(x, np.pi / 180)


def rad2deg(x):
    """Convert angles from radians to degrees, as ``numpy.rad2deg``: ``x * 180 / pi``.

    Integers and bools are promoted to float64 (float32 stays float32).

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.rad2deg([3.141592653589793, 1.0]))
      [180.          57.29577951]
    """
    (x,) = promote_dtypes_inexact(x)
    return multiply(x, 180 / np.pi)
