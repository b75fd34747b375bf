"""``permutation`` and ``choice``: sorting by random 32-bit keys, as JAX does.

A shuffle sorts the array (stably) by fresh random ``uint32`` keys, repeated
``ceil(3 ln(n) / ln(2**32 - 1))`` times so that ties between keys become unlikely,
each round with a new subkey split off the key.
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.sorting import sort
from mini_ad.random._keys import canonical_shape, check_key, random_bits, split
from mini_ad.random._samplers import _float32_or_64, _gumbel_low, _uniform, randint, top_k_indices
from mini_ad.random._xla_math import log as xla_log


def _shuffle(key, x, axis: int):
    shape = aval_of(x).shape
    size = math.prod(shape)
    rounds = int(np.ceil(3 * np.log(max(1, size)) / np.log(np.iinfo(np.uint32).max)))
    for _ in range(rounds):
        pair = split(key)
        key, subkey = pair[0], pair[1]
        sort_keys = random_bits(subkey, 32, shape)
        _, x = sort([sort_keys, x], dimension=axis, num_keys=1)
    return x


def permutation(key, x, axis: int = 0, independent: bool = False):
    """A random permutation of ``range(x)``, or of ``x`` along ``axis`` (JAX:
    ``jax.random.permutation``).

    Args:
        key: a single key.
        x: an int ``n`` (permute ``arange(n)``) or an array.
        axis: the axis to permute. Default 0.
        independent: shuffle each slice along ``axis`` independently (for arrays of
            more than one dimension); default False: one permutation of whole slices.

    Returns:
        The permuted array (int64 ``arange(n)`` permuted for an int ``x``).

    Raises:
        TypeError: if ``x`` is a non-integer scalar.

    >>> from mini_ad.random import key
    >>> permutation(key(0), 5)
    array([0, 1, 4, 3, 2])
    """
    key = check_key("permutation", key)
    if isinstance(x, (int, np.integer)) or (hasattr(x, "dtype") and not aval_of(x).shape):
        if isinstance(x, (float, np.floating)) or aval_of(mnp.asarray(x)).dtype.kind not in "iu":
            raise TypeError("x must be an integer or at least 1-dimensional")
        return _shuffle(key, mnp.arange(int(x)), 0)
    x = mnp.asarray(x)
    ndim = aval_of(x).ndim
    if not ndim:
        raise TypeError("x must be an integer or at least 1-dimensional")
    axis = axis % ndim
    if independent or ndim == 1:
        return _shuffle(key, x, axis)
    order = _shuffle(key, mnp.arange(aval_of(x).shape[axis]), 0)
    return mnp.take(x, order, axis=axis)


def choice(key, a, shape=(), replace: bool = True, p=None, axis: int = 0):
    """Random draws from ``a`` (JAX: ``jax.random.choice``).

    Args:
        key: a single key.
        a: an int ``n`` (draw from ``arange(n)``) or an array (draw along ``axis``).
        shape: the shape of the draws. Default ``()``.
        replace: draw with replacement (default True).
        p: optional probabilities of the entries.
        axis: the axis of ``a`` to draw along. Default 0.

    Returns:
        The draws: shape ``shape`` for an int ``a``, else ``a``'s shape with ``axis``
        replaced by ``shape``.

    Raises:
        ValueError: for more draws than entries without replacement, or a bad ``p``.
        NotImplementedError: float16 ``p`` with ``replace=False``.

    >>> from mini_ad.random import key
    >>> choice(key(0), 10, (4,))
    array([5, 1, 5, 7])
    """
    key = check_key("choice", key)
    shape = canonical_shape(shape)
    arr = mnp.asarray(a)
    scalar = aval_of(arr).ndim == 0
    if scalar:
        n_inputs = int(a)
    else:
        axis = axis % aval_of(arr).ndim
        n_inputs = aval_of(arr).shape[axis]
    n_draws = math.prod(shape)
    if n_draws == 0:
        return mnp.zeros(shape, dtype=aval_of(arr).dtype)
    if n_inputs <= 0:
        raise ValueError("a must be greater than 0 unless no samples are taken")
    if not replace and n_draws > n_inputs:
        raise ValueError(
            f"Cannot take a larger sample (size {n_draws}) than population (size "
            f"{n_inputs}) when 'replace=False'"
        )
    if p is None and replace:
        ind = randint(key, shape, 0, n_inputs)
        result = ind if scalar else mnp.take(arr, ind, axis=axis)
    elif p is None:
        permuted = permutation(key, n_inputs if scalar else arr, axis)
        start = (0,) * aval_of(permuted).ndim
        limit = list(aval_of(permuted).shape)
        limit[0 if scalar else axis] = n_draws
        result = lax.slice(permuted, start, tuple(limit))
    elif replace:
        p = mnp.asarray(p)
        if aval_of(p).dtype.kind != "f":
            p = p.astype(np.float64)
        if aval_of(p).shape != (n_inputs,):
            raise ValueError(
                "p must be None or a 1D vector with the same size as a.shape[axis]. "
                f"p has shape {aval_of(p).shape} and a.shape[axis] is {n_inputs}."
            )
        p_cuml = mnp.cumsum(p)
        dtype = aval_of(p_cuml).dtype
        u = _uniform(key, shape, dtype, 0.0, 1.0)
        r = p_cuml[-1] * (np.array(1.0, dtype) - u)
        # searchsorted(p_cuml, r, side="left") = how many cumulative sums are below r
        below = mnp.expand_dims(r, -1) > p_cuml
        ind = mnp.sum(below.astype(np.int64), axis=-1)
        result = ind if scalar else mnp.take(arr, ind, axis=axis)
    else:  # the Gumbel top-k trick
        p = mnp.asarray(p)
        if aval_of(p).dtype.kind != "f":
            p = p.astype(np.float64)
        dtype = aval_of(p).dtype
        _float32_or_64("choice", dtype)
        if aval_of(p).shape != (n_inputs,):
            raise ValueError(
                "p must be None or a 1D vector with the same size as a.shape[axis]. "
                f"p has shape {aval_of(p).shape} and a.shape[axis] is {n_inputs}."
            )
        g = lax.add(_gumbel_low(key, (n_inputs,), dtype), xla_log(p))
        ind = top_k_indices(g, n_draws)
        result = ind if scalar else mnp.take(arr, ind, axis=axis)
    if scalar:
        return mnp.reshape(result, shape)
    arr_shape = aval_of(arr).shape
    return mnp.reshape(result, arr_shape[:axis] + shape + arr_shape[axis + 1 :])
