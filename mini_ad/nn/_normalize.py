"""Normalising functions of ``mini_ad.nn``: the softmax family, ``logmeanexp``,
``standardize``, and ``one_hot``.

Max-shifted exponentials (``softmax``, ``log_softmax``, ``logsumexp``) subtract a
``stop_gradient``-ed maximum: the shift cancels in the math, so every derivative is exact
and none flows through the max's ties.
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval
from mini_ad.nn._util import inexact as _inexact
from mini_ad.nn._util import returns_arrays as _returns_arrays


def _masked(x, where, fill):
    return x if where is None else mnp.where(where, x, fill)


def _shift(x, axis, where, finite=True):
    """``stop_gradient(max(x))`` over ``axis`` (kept dims; complex: of the real parts);
    ``finite``: 0 where the max is not finite (logsumexp's rule; JAX's softmax and
    log_softmax keep an infinite max, so that ``softmax([inf, 1])`` is all NaN)."""
    x = _masked(x, where, -np.inf)
    x_max = mnp.max(mnp.real(x) if mnp.iscomplexobj(x) else x, axis=axis, keepdims=True)
    if finite:
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
    unnormalized = mnp.exp(_masked(x, where, -np.inf) - _shift(x, axis, where, finite=False))
    result = unnormalized / mnp.sum(unnormalized, axis=axis, keepdims=True)
    return _masked(result, where, 0.0)


@_returns_arrays
def log_softmax(x, axis=-1, where=None):
    """``x - logsumexp(x, axis)``; entries outside ``where`` are ``-inf``.

    >>> import math
    >>> import mini_ad.numpy as mnp
    >>> float(log_softmax(mnp.array([1.0, 1.0]))[0]) == -math.log(2.0)
    True
    """
    x = _inexact(x)
    shifted = x - _shift(x, axis, where, finite=False)
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

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.logsumexp(np.array([[0.0, 0.0], [1.0, 2.0]]), axis=1))
      [0.69314718 2.31326169]
      >>> print(nn.logsumexp(np.array([0.0, 5.0, 0.0]), where=np.array([True, False, True])))
      0.6931471805599453
    """
    a = _inexact(a)
    if b is not None:  # zero weights drop their terms, infinite ones too (as in JAX)
        a = mnp.where(mnp.asarray(b) != 0, a, -np.inf)
    shift = _shift(a, axis, where)
    exp_a = mnp.exp(_masked(a, where, -np.inf) - shift)
    if b is not None:
        exp_a = exp_a * b
    total = mnp.sum(exp_a, axis=axis, keepdims=True)
    sign = mnp.sign(total)
    complex_log = mnp.iscomplexobj(total) and not return_sign  # log of the complex sum
    out = mnp.log(total if complex_log else mnp.abs(total)) + shift
    if not keepdims:
        out = mnp.squeeze(out, axis=_reduced_axes(get_aval(a).ndim, axis))
        sign = mnp.squeeze(sign, axis=_reduced_axes(get_aval(a).ndim, axis))
    if return_sign:
        return out, sign
    if b is None or complex_log:
        return out
    return mnp.where(sign < 0, mnp.full_like(out, np.nan), out)


def _reduced_axes(ndim: int, axis) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(int(a) % ndim for a in axes)


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

    Examples:
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


def _count(x, axis, where, keepdims: bool, dtype):
    """How many entries of ``x`` a reduction over ``axis`` (within ``where``) sees."""
    shape = get_aval(x).shape
    if where is None:
        count = np.prod([shape[a] for a in _reduced_axes(len(shape), axis)], dtype=np.int64)
        return mnp.asarray(count, dtype=dtype)
    mask = mnp.broadcast_to(where, shape)
    return mnp.sum(mnp.astype(mask, dtype), axis=axis, keepdims=keepdims)


@_returns_arrays
def logmeanexp(x, axis=None, where=None, keepdims: bool = False):
    """``log(mean(exp(x), axis))`` without overflow, as ``jax.nn.logmeanexp``:
    ``logsumexp(x) - log(n)``, ``n`` the number of entries reduced (within ``where``).

    Args:
      x: an array, a Python scalar or a (nested) list of them.
      axis: None (every axis), an int or a tuple of ints to reduce.
      where: a bool mask broadcasting against ``x``: only its ``True`` entries count
        (None: all of them).
      keepdims: keep the reduced axes with size one.

    Returns:
      An array of ``x``'s shape without the reduced axes.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.logmeanexp(np.array([[0.0, 0.0], [1.0, 3.0]]), axis=1))
      [0.         2.43378083]
      >>> print(nn.logmeanexp(np.array([0.0, 9.0]), where=np.array([True, False])))
      0.0
    """
    lse = logsumexp(x, axis=axis, where=where, keepdims=keepdims)
    count = _count(_inexact(mnp.asarray(x)), axis, where, keepdims, get_aval(lse).dtype)
    return lse - mnp.log(count)


def _mean(x, axis, where):
    if where is None:
        return mnp.mean(x, axis=axis, keepdims=True)
    total = mnp.sum(mnp.where(where, x, mnp.zeros_like(x)), axis=axis, keepdims=True)
    return total / _count(x, axis, where, True, get_aval(total).dtype)


@_returns_arrays
def standardize(x, axis=-1, mean=None, variance=None, epsilon=1e-5, where=None, *,
                algorithm: str = "fast"):  # fmt: skip
    """``(x - mean) / sqrt(variance + epsilon)`` over ``axis``, as ``jax.nn.standardize``.

    A ``mean`` or ``variance`` not given is computed over ``axis`` (within ``where``):
    ``algorithm="fast"`` takes the variance as ``mean(x²) - mean(x)²`` clipped at 0,
    ``"stable"`` as ``mean((x - mean)²)``.

    Args:
      x: an array of floats.
      axis: an int or a tuple of ints: the axes statistics are taken over.
      mean: the mean to subtract (broadcasting against ``x``), or None to compute it.
      variance: the variance to divide by, or None to compute it.
      epsilon: added to the variance before the square root.
      where: a bool mask broadcasting against ``x``: the entries the statistics see.
      algorithm: ``"fast"`` or ``"stable"`` (see above).

    Returns:
      An array of ``x``'s shape.

    Raises:
      ValueError: an unknown ``algorithm`` (when the variance is computed).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> print(nn.standardize(np.array([1.0, 2.0, 3.0]), epsilon=0.0))
      [-1.22474487  0.          1.22474487]
      >>> print(nn.standardize(np.array([1.0, 3.0]), mean=1.0, variance=4.0, epsilon=0.0))
      [0. 1.]
    """
    x = _inexact(mnp.asarray(x))
    if mean is None:
        mean = _mean(x, axis, where)
    if variance is None:
        if algorithm == "stable":
            variance = _mean(mnp.square(x - mean), axis, where)
        elif algorithm == "fast":
            variance = mnp.clip(_mean(mnp.square(x), axis, where) - mnp.square(mean), 0)
        else:
            raise ValueError(f"Unknown algorithm '{algorithm}'. Expected 'fast' or 'stable'.")
    return (x - mean) * lax.rsqrt(mnp.asarray(variance + epsilon))
