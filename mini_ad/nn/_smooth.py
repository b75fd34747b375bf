"""Smooth activations of ``mini_ad.nn``.

Compositions of ``mini_ad.numpy`` calls, so each differentiates to any order without a
rule of its own; ``log1mexp`` has JAX's custom JVP (``d/dx log(1 - e⁻ˣ) = 1 / expm1(x)``).
"""

from __future__ import annotations

import math

import mini_ad.numpy as mnp
from mini_ad.control_flow.custom_jvp import custom_jvp
from mini_ad.core.tracing import get_aval
from mini_ad.nn._util import inexact as _inexact
from mini_ad.nn._util import returns_arrays as _returns_arrays
from mini_ad.primitives.elementwise import logistic
from mini_ad.primitives.special import erf

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@_returns_arrays
def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))`` (lax primitive ``logistic``).

    >>> sigmoid(0.0)
    array(0.5)
    """
    (x,) = mnp._core.promote_dtypes_inexact(x)
    return logistic(x)


@_returns_arrays
def log_sigmoid(x):
    """``log(sigmoid(x)) = -softplus(-x)``, without overflow.

    >>> float(log_sigmoid(0.0)) == -math.log(2.0)
    True
    """
    return -softplus(-_inexact(x))


@_returns_arrays
def softplus(x):
    """``log(1 + exp(x))``, computed as ``logaddexp(x, 0)``.

    >>> float(softplus(0.0)) == math.log(2.0)
    True
    """
    return mnp.logaddexp(x, 0.0)


@_returns_arrays
def soft_sign(x):
    """``x / (|x| + 1)``.

    >>> soft_sign(3.0)
    array(0.75)
    """
    return x / (mnp.abs(x) + 1)


@_returns_arrays
def silu(x):
    """``x * sigmoid(x)`` (also called swish).

    >>> silu(0.0)
    array(0.)
    """
    x = _inexact(x)
    return x * sigmoid(x)


swish = silu


@_returns_arrays
def gelu(x, approximate: bool = True):
    """The Gaussian error linear unit ``x Φ(x)``.

    ``approximate=True`` (JAX's default) uses ``Φ(x) ≈ (1 + tanh(√(2/π) (x + 0.044715
    x³))) / 2``; ``approximate=False`` uses the exact ``Φ(x) = (1 + erf(x / √2)) / 2``.

    >>> gelu(0.0)
    array(0.)
    """
    x = _inexact(x)
    if approximate:
        inner = _SQRT_2_OVER_PI * (x + 0.044715 * x**3)
        return x * (0.5 * (1.0 + mnp.tanh(inner)))
    # the erf primitive, as mini_ad.scipy.special.erf binds it (that module imports this one)
    (scaled,) = mnp._core.promote_dtypes_inexact(x / math.sqrt(2.0))
    return x * (erf(scaled) + 1.0) / 2.0


@_returns_arrays
def elu(x, alpha: float = 1.0):
    """``x`` for ``x > 0``, else ``alpha (exp(x) - 1)``.

    The negative branch sees ``where(x > 0, 0, x)`` so that large positive ``x``
    cannot overflow ``exp`` and poison the gradient with ``0 * inf``.

    >>> elu(2.0)
    array(2.)
    """
    x = _inexact(x)
    positive = x > 0
    safe_x = mnp.where(positive, mnp.zeros_like(x), x)
    return mnp.where(positive, x, alpha * mnp.expm1(safe_x))


@_returns_arrays
def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU: ``max(x, 0) + alpha expm1(min(x, 0) / alpha)``.

    >>> celu(-0.0)
    array(0.)
    """
    x = _inexact(x)
    return mnp.maximum(x, 0.0) + alpha * mnp.expm1(mnp.minimum(x, 0.0) / alpha)


@_returns_arrays
def selu(x):
    """Scaled exponential linear unit, elementwise, as ``jax.nn.selu``.

    ``scale * elu(x, alpha)`` with the self-normalizing constants of Klambauer et al.
    (2017): ``alpha ≈ 1.6733``, ``scale ≈ 1.0507``.

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.selu(np.array([-1.0, 1.0])))
      [-1.11133074  1.05070099]
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


tanh = mnp.tanh  # jax.nn.tanh is jax.numpy.tanh


@_returns_arrays
def mish(x):
    """``x tanh(softplus(x))``, as ``jax.nn.mish``.

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.mish(np.array([-1.0, 0.0, 2.0])))
      [-0.30340146  0.          1.94395896]
    """
    x = _inexact(x)
    return x * mnp.tanh(softplus(x))


@_returns_arrays
def squareplus(x, b=4):
    """``(x + sqrt(x² + b)) / 2``, as ``jax.nn.squareplus``.

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).
      b: the smoothing constant (``b = 0`` gives relu), a scalar or an array broadcasting
        against ``x``.

    Returns:
      An array of ``x`` and ``b``'s broadcast shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.squareplus(np.array([-3.0, 0.0, 3.0])))
      [0.30277564 1.         3.30277564]
      >>> print(nn.squareplus(np.array([-3.0, 3.0]), b=0.0))
      [0. 3.]
    """
    x = _inexact(x)
    return (x + mnp.sqrt(mnp.square(x) + b)) / 2


@custom_jvp
def _log1mexp(x):
    # two formulas, each accurate on its side of log 2 (Mächler, 2012)
    return mnp.where(x < math.log(2.0), mnp.log(-mnp.expm1(-x)), mnp.log1p(-mnp.exp(-x)))


_log1mexp.defjvps(lambda x_dot, out, x: x_dot / mnp.expm1(x))


@_returns_arrays
def log1mexp(x):
    """``log(1 - exp(-x))`` for ``x >= 0``, accurately, as ``jax.nn.log1mexp``.

    ``log(-expm1(-x))`` below ``log 2`` and ``log1p(-exp(-x))`` above; the derivative is
    JAX's custom one, ``1 / expm1(x)``. Negative ``x`` gives nan.

    Args:
      x: an array, a Python scalar or a (nested) list of them (integers become float).

    Returns:
      An array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.log1mexp(np.array([1e-3, 1.0, 30.0])))
      [-6.90825524e+00 -4.58675145e-01 -9.35762297e-14]
    """
    return _log1mexp(_inexact(mnp.asarray(x)))


@_returns_arrays
def glu(x, axis: int = -1):
    """The gated linear unit, as ``jax.nn.glu``: ``x`` is split in two halves ``a, b``
    along ``axis`` and ``a * sigmoid(b)`` is returned.

    Args:
      x: an array whose ``axis`` has even length (integers become float).
      axis: the axis to split.

    Returns:
      An array of ``x``'s shape with ``axis`` halved.

    Raises:
      AssertionError: ``axis`` has odd length (JAX's exception type).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.glu(np.array([[1.0, 2.0, 0.0, 100.0]])))
      [[0.5 2. ]]
    """
    x = _inexact(mnp.asarray(x))
    if get_aval(x).shape[axis] % 2 != 0:
        raise AssertionError(f"glu: axis size must be divisible by 2, got {get_aval(x).shape}")
    first, second = mnp.split(x, 2, axis)
    return first * sigmoid(second)
