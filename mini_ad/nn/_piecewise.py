"""Piecewise-linear (and piecewise-quadratic) activations of ``mini_ad.nn``.

Where JAX fixes a derivative at a kink with a custom JVP, the same value comes here from a
``where`` on the matching predicate: ``relu'(0) = 0``, ``leaky_relu'(0) = 1``,
``relu6'(0) = relu6'(6) = 0`` (so ``hard_sigmoid'(±3) = 0``). ``sparse_sigmoid`` is a
``clip``, whose derivative at its ends is 1/2 as in JAX.
"""

from __future__ import annotations

import mini_ad.numpy as mnp
from mini_ad.nn._util import inexact as _inexact
from mini_ad.nn._util import returns_arrays as _returns_arrays


@_returns_arrays
def relu(x):
    """``max(x, 0)`` with ``relu'(0) = 0`` (JAX's convention, not maximum's 0.5).

    >>> import mini_ad.numpy as mnp
    >>> relu(mnp.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return mnp.where(x > 0, x, _nan_or_zero(x))


def _nan_or_zero(x):
    """0, or NaN where ``x`` is NaN (JAX's ``maximum`` propagates it), derivative 0."""
    return mnp.where(mnp.isnan(x), mnp.stop_gradient(x), mnp.zeros_like(x))


@_returns_arrays
def relu6(x):
    """``min(max(x, 0), 6)``; the derivative is 0 at both kinks, as in JAX.

    >>> import mini_ad.numpy as mnp
    >>> relu6(mnp.array([-1.0, 3.0, 9.0]))
    array([0., 3., 6.])
    """
    x = _inexact(x)  # JAX: minimum(maximum(x, 0), 6.0), a float; NaN stays NaN
    return mnp.where(x > 0, mnp.where(x < 6, x, mnp.full_like(x, 6)), _nan_or_zero(x))


@_returns_arrays
def leaky_relu(x, negative_slope: float = 0.01):
    """``x`` for ``x >= 0``, else ``negative_slope * x`` (derivative 1 at 0).

    >>> import mini_ad.numpy as mnp
    >>> leaky_relu(mnp.array([-2.0, 3.0]), negative_slope=0.5)
    array([-1.,  3.])
    """
    return mnp.where(x >= 0, x, negative_slope * x)


@_returns_arrays
def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``; the derivative is 0 outside the open interval.

    >>> import mini_ad.numpy as mnp
    >>> hard_tanh(mnp.array([-3.0, 0.5, 2.0]))
    array([-1. ,  0.5,  1. ])
    """
    return mnp.where(x > 1, mnp.ones_like(x), mnp.where(x < -1, -mnp.ones_like(x), x))


@_returns_arrays
def hard_sigmoid(x):
    """``relu6(x + 3) / 6``, as ``jax.nn.hard_sigmoid``: 0 below -3, 1 above 3.

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.hard_sigmoid(np.array([-4.0, 0.0, 1.5, 4.0])))
      [0.   0.5  0.75 1.  ]
    """
    return relu6(_inexact(x) + 3.0) / 6.0


@_returns_arrays
def hard_silu(x):
    """``x * hard_sigmoid(x)``, as ``jax.nn.hard_silu`` (also ``hard_swish``).

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.hard_silu(np.array([-4.0, 1.5, 4.0])))
      [-0.     1.125  4.   ]
    """
    x = _inexact(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


@_returns_arrays
def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)² / 4`` between, ``x`` for ``x >= 1``, as
    ``jax.nn.sparse_plus`` (a smooth-at-±1 stand-in for softplus).

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.sparse_plus(np.array([-2.0, 0.0, 3.0])))
      [0.   0.25 3.  ]
    """
    x = _inexact(x)
    inner = mnp.where(x >= 1.0, x, (x + 1.0) ** 2 / 4)
    return mnp.where(x <= -1.0, mnp.zeros_like(x), inner)


@_returns_arrays
def sparse_sigmoid(x):
    """``clip(x + 1, 0, 2) / 2``, as ``jax.nn.sparse_sigmoid`` (sparse_plus's derivative).

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.sparse_sigmoid(np.array([-2.0, 0.0, 0.5, 3.0])))
      [0.   0.5  0.75 1.  ]
    """
    return 0.5 * mnp.clip(_inexact(x) + 1.0, 0.0, 2.0)


def identity(x):
    """``x`` itself as an array, as ``jax.nn.identity``.

    Args:
      x: an array, a Python scalar or a (nested) list of them.

    Returns:
      ``x`` as an array (its dtype kept).

    Examples:
      >>> from mini_ad import nn
      >>> print(nn.identity([1.0, -2.0]))
      [ 1. -2.]
    """
    return mnp.asarray(x)
