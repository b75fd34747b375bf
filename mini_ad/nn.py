"""``mini_ad.nn``: activations and friends, with ``jax.nn``'s names and semantics.

Every function is a composition of ``mini_ad.numpy`` calls, so it differentiates (to
any order) without a custom rule. Where JAX fixes a derivative at a kink with a
custom JVP, the same value comes here from a ``where`` on the matching predicate:
``relu'(0) = 0``, ``leaky_relu'(0) = 1``, ``elu'(0) = alpha``, ``relu6'(0) =
relu6'(6) = 0``. Max-shifted exponentials (``softmax``, ``log_softmax``,
``logsumexp``) subtract a ``stop_gradient``-ed maximum: the shift cancels in the
math, so every derivative is exact and none flows through the max's ties.

>>> import mini_ad as ad, mini_ad.nn as nn
>>> ad.grad(nn.relu)(0.0)
array(0.)
"""

from __future__ import annotations

import functools
import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import Tracer, get_aval
from mini_ad.primitives.elementwise import logistic
from mini_ad.primitives.special import erf
from mini_ad.tree_util import tree_map

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _returns_arrays(fun):
    """Outside a transform, return ``numpy.ndarray``s (0-d NumPy arithmetic gives scalars)."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        out = fun(*args, **kwargs)
        return tree_map(lambda v: v if isinstance(v, Tracer) else np.asarray(v), out)

    return wrapped


def _inexact(x):
    """``x`` as an array of a floating dtype (ints become float64; Python floats stay weak)."""
    if np.issubdtype(get_aval(x).dtype, np.inexact):
        return x
    return mnp.astype(x, np.float64)


# --- piecewise-linear activations --------------------------------------------------------------


@_returns_arrays
def relu(x):
    """``max(x, 0)`` with ``relu'(0) = 0`` (JAX's convention, not maximum's 0.5).

    >>> import mini_ad.numpy as mnp
    >>> relu(mnp.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return mnp.where(x > 0, x, mnp.zeros_like(x))


@_returns_arrays
def relu6(x):
    """``min(max(x, 0), 6)``; the derivative is 0 at both kinks, as in JAX.

    >>> import mini_ad.numpy as mnp
    >>> relu6(mnp.array([-1.0, 3.0, 9.0]))
    array([0., 3., 6.])
    """
    return mnp.where(x > 0, mnp.where(x < 6, x, mnp.full_like(x, 6)), mnp.zeros_like(x))


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


# --- smooth activations -----------------------------------------------------------------------


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

    Example:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.selu(np.array([-1.0, 1.0])))
      [-1.11133074  1.05070099]
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


# --- normalized exponentials ------------------------------------------------------------------


def _masked(x, where, fill):
    return x if where is None else mnp.where(where, x, fill)


def _shift(x, axis, where):
    """``stop_gradient(max(x))`` over ``axis`` (kept dims), 0 where the max is not finite."""
    x_max = mnp.max(_masked(x, where, -np.inf), axis=axis, keepdims=True)
    x_max = mnp.where(mnp.isfinite(x_max), x_max, mnp.zeros_like(x_max))
    return mnp.stop_gradient(x_max)


@_returns_arrays
def softmax(x, axis=-1, where=None):
    """``exp(x) / sum(exp(x), axis)``; entries outside ``where`` are 0.

    >>> import mini_ad.numpy as mnp
    >>> softmax(mnp.array([0.0, 0.0]))
    array([0.5, 0.5])
    """
    x = _inexact(x)
    unnormalized = mnp.exp(_masked(x, where, -np.inf) - _shift(x, axis, where))
    result = unnormalized / mnp.sum(unnormalized, axis=axis, keepdims=True)
    return _masked(result, where, 0.0)


@_returns_arrays
def log_softmax(x, axis=-1, where=None):
    """``x - logsumexp(x, axis)``; entries outside ``where`` are ``-inf``.

    >>> import mini_ad.numpy as mnp
    >>> float(log_softmax(mnp.array([1.0, 1.0]))[0]) == -math.log(2.0)
    True
    """
    x = _inexact(x)
    shifted = x - _shift(x, axis, where)
    total = mnp.sum(mnp.exp(_masked(shifted, where, -np.inf)), axis=axis, keepdims=True)
    return _masked(shifted - mnp.log(total), where, -np.inf)


@_returns_arrays
def logsumexp(a, axis=None, b=None, keepdims: bool = False, return_sign: bool = False, where=None):
    """``log(sum(b * exp(a), axis))`` without overflow, as ``jax.nn.logsumexp``.

    The maximum is subtracted before exponentiating and added back. With
    ``return_sign=True`` returns ``(log|s|, sign(s))``; otherwise a negative sum gives
    ``nan``. Also exported as ``mini_ad.scipy.special.logsumexp``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      axis: None (every axis), an int or a tuple of ints to reduce.
      b: weights broadcasting against ``a``, or None for ones.
      keepdims: keep the reduced axes with size one.
      return_sign: return ``(log|s|, sign(s))`` instead of ``log(s)``.
      where: a bool mask broadcasting against ``a``: only the ``True`` entries are summed
        (None: all of them).

    Returns:
      The log-sum-exp, of ``a``'s shape without the reduced axes (a pair with
      ``return_sign``).

    Example:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.logsumexp(np.array([[0.0, 0.0], [1.0, 2.0]]), axis=1))
      [0.69314718 2.31326169]
      >>> print(nn.logsumexp(np.array([0.0, 5.0, 0.0]), where=np.array([True, False, True])))
      0.6931471805599453
    """
    a = _inexact(a)
    shift = _shift(a, axis, where)
    exp_a = mnp.exp(_masked(a, where, -np.inf) - shift)
    if b is not None:
        exp_a = exp_a * b
    total = mnp.sum(exp_a, axis=axis, keepdims=True)
    sign = mnp.sign(total)
    out = mnp.log(mnp.abs(total)) + shift
    if not keepdims:
        out = mnp.squeeze(out, axis=_reduced_axes(get_aval(a).ndim, axis))
        sign = mnp.squeeze(sign, axis=_reduced_axes(get_aval(a).ndim, axis))
    if return_sign:
        return out, sign
    return mnp.where(sign < 0, mnp.full_like(out, np.nan), out)


def _reduced_axes(ndim: int, axis) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(int(a) % ndim for a in axes)


# --- encodings ------------------------------------------------------------------------------


@_returns_arrays
def one_hot(x, num_classes: int, *, dtype=None, axis=-1):
    """One-hot encode integer ``x`` over ``num_classes`` classes, as ``jax.nn.one_hot``.

    ``x[..., None] == arange(num_classes)`` converted to ``dtype``; indices out of range
    give all-zero rows. Not differentiable in ``x`` (it is an index).

    Args:
      x: an integer array, a Python int or a (nested) list of them.
      num_classes: the number of classes (the length of the new axis).
      dtype: the dtype of the result; None means float64.
      axis: the position of the new class axis in the result (default last).

    Returns:
      An array of ``x``'s shape with a class axis of length ``num_classes`` added.

    Example:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.one_hot(np.array([0, 2]), 3))
      [[1. 0. 0.]
       [0. 0. 1.]]
      >>> print(nn.one_hot(np.array([0, 2]), 3, axis=0))
      [[1. 0.]
       [0. 0.]
       [0. 1.]]
    """
    num_classes = int(num_classes)
    x = mnp.asarray(x)
    ndim = get_aval(x).ndim
    out_axis = int(axis) % (ndim + 1)
    classes_shape = [1] * (ndim + 1)
    classes_shape[out_axis] = num_classes
    classes = mnp.reshape(mnp.arange(num_classes), classes_shape)
    return mnp.astype(mnp.expand_dims(x, out_axis) == classes, dtype or np.float64)


__all__ = [
    "celu", "elu", "gelu", "hard_tanh", "leaky_relu", "log_sigmoid", "log_softmax", "logsumexp",
    "one_hot", "relu", "relu6", "selu", "sigmoid", "silu", "soft_sign", "softmax", "softplus",
    "swish",
]  # fmt: skip
