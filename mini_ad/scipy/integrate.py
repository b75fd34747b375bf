"""``mini_ad.scipy.integrate``: ``trapezoid``, as ``jax.scipy.integrate``.

>>> import numpy as np
>>> from mini_ad.scipy.integrate import trapezoid
>>> print(trapezoid(np.array([0.0, 1.0, 4.0]), dx=0.5))
1.5
"""

from __future__ import annotations

from mini_ad.numpy import _signal


def trapezoid(y, x=None, dx=1.0, axis: int = -1):
    """The integral of the samples ``y`` along ``axis`` by the trapezoidal rule, as
    ``jax.scipy.integrate.trapezoid`` (and ``mini_ad.numpy.trapezoid``).

    ``sum((x[i+1] - x[i]) (y[i] + y[i+1]) / 2)``; differentiable in ``y`` and ``x``.

    Args:
      y: the samples, an array (integers become float64).
      x: the sample points: None (evenly spaced by ``dx``), a 1-D array as long as
        ``y``'s ``axis``, or an array of ``y``'s shape.
      dx: the spacing when ``x`` is None.
      axis: the axis to integrate along.

    Returns:
      An array of ``y``'s shape without ``axis``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad.scipy.integrate import trapezoid
      >>> y = np.array([1.0, 2.0, 3.0, 2.0])
      >>> print(trapezoid(y), trapezoid(y, dx=2.0))
      6.5 13.0
      >>> print(trapezoid(y, x=np.array([0.0, 1.0, 3.0, 6.0])))
      14.0
      >>> print(trapezoid(np.ones((2, 3)), axis=0))
      [1. 1. 1.]
    """
    return _signal.trapezoid(y, x=x, dx=dx, axis=axis)


__all__ = ["trapezoid"]
