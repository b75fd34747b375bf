"""``mini_ad.nn.initializers``: JAX's parameter initializers, drawing from
``mini_ad.random`` (which reproduces ``jax.random`` bit for bit), so an initializer gives
JAX's numbers for the same key.

An *initializer* is a function ``init(key, shape, dtype=None, out_sharding=None)``;
``zeros`` and ``ones`` are initializers, the others build one from their settings. The
default dtype is float64 (JAX's with x64 on). ``orthogonal`` and ``delta_orthogonal`` are
not provided (yet: ``mini_ad.random.orthogonal`` now exists), nor complex dtypes.

>>> from mini_ad import random
>>> from mini_ad.nn import initializers
>>> initializers.glorot_uniform()(random.key(0), (2, 3)).shape
(2, 3)
"""

from __future__ import annotations

import math
from typing import Any, Protocol, runtime_checkable

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import random

# the truncated standard normal on [-2, 2] has this standard deviation
_TRUNCATED_STDDEV = 0.87962566103423978


@runtime_checkable
class Initializer(Protocol):
    """The type of an initializer: ``init(key, shape, dtype=None, out_sharding=None)``
    returns an array of ``shape`` and ``dtype`` (as ``jax.nn.initializers.Initializer``)."""

    def __call__(self, key, shape, dtype=None, out_sharding=None) -> Any: ...


def _dtype(dtype) -> np.dtype:
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if not np.issubdtype(dtype, np.floating):
        raise NotImplementedError(f"mini_ad's initializers draw floats only, not {dtype}")
    return dtype


def _no_sharding(out_sharding):
    if out_sharding is not None:
        raise NotImplementedError("mini_ad's initializers take out_sharding=None only")


def zeros(key, shape, dtype=None, out_sharding=None):
    """An array of zeros (the key is unused), as ``jax.nn.initializers.zeros``.

    Args:
      key: a random key (unused).
      shape: the result's shape.
      dtype: the result's dtype (default float64).
      out_sharding: must be None.

    Returns:
      ``zeros(shape, dtype)``.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> print(initializers.zeros(random.key(0), (2,)))
      [0. 0.]
    """
    _no_sharding(out_sharding)
    return mnp.zeros(shape, np.dtype(np.float64 if dtype is None else dtype))


def ones(key, shape, dtype=None, out_sharding=None):
    """An array of ones (the key is unused), as ``jax.nn.initializers.ones``.

    Args:
      key: a random key (unused).
      shape: the result's shape.
      dtype: the result's dtype (default float64).
      out_sharding: must be None.

    Returns:
      ``ones(shape, dtype)``.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> print(initializers.ones(random.key(0), (2,)))
      [1. 1.]
    """
    _no_sharding(out_sharding)
    return mnp.ones(shape, np.dtype(np.float64 if dtype is None else dtype))


def constant(value, dtype=None) -> Initializer:
    """An initializer filling its arrays with ``value``, as ``jax.nn.initializers.constant``.

    Args:
      value: the fill value.
      dtype: the default dtype of the arrays (float64 if None).

    Returns:
      An initializer.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> print(initializers.constant(-2.5)(random.key(0), (3,)))
      [-2.5 -2.5 -2.5]
    """

    def init(key, shape, dtype=dtype, out_sharding=None):
        _no_sharding(out_sharding)
        return mnp.full(shape, value, dtype=np.dtype(np.float64 if dtype is None else dtype))

    return init


def uniform(scale=1e-2, dtype=None) -> Initializer:
    """An initializer drawing uniformly from ``[0, scale)``, as
    ``jax.nn.initializers.uniform``.

    Args:
      scale: the upper end of the interval.
      dtype: the default dtype of the arrays (float64 if None).

    Returns:
      An initializer.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> print(initializers.uniform(10.0)(random.key(0), (3,)))
      [4.18457112 2.16295455 9.65321461]
    """

    def init(key, shape, dtype=dtype, out_sharding=None):
        _no_sharding(out_sharding)
        dtype = _dtype(dtype)
        return random.uniform(key, shape, dtype) * mnp.asarray(scale, dtype)

    return init


def normal(stddev=1e-2, dtype=None) -> Initializer:
    """An initializer drawing from the normal distribution of mean 0 and standard deviation
    ``stddev``, as ``jax.nn.initializers.normal``.

    Args:
      stddev: the standard deviation.
      dtype: the default dtype of the arrays (float64 if None).

    Returns:
      An initializer.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> initializers.normal(1.0)(random.key(0), (2, 2)).shape
      (2, 2)
    """

    def init(key, shape, dtype=dtype, out_sharding=None):
        _no_sharding(out_sharding)
        dtype = _dtype(dtype)
        return random.normal(key, shape, dtype) * mnp.asarray(stddev, dtype)

    return init


def truncated_normal(stddev=1e-2, dtype=None, lower=-2.0, upper=2.0) -> Initializer:
    """An initializer drawing ``stddev`` times a standard normal truncated to
    ``[lower, upper]``, as ``jax.nn.initializers.truncated_normal``.

    Args:
      stddev: the factor applied to the truncated standard normal draws (not the standard
        deviation of the result).
      dtype: the default dtype of the arrays (float64 if None).
      lower: the lower truncation bound, in standard deviations.
      upper: the upper truncation bound, in standard deviations.

    Returns:
      An initializer.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> w = initializers.truncated_normal(1.0, lower=-1.0, upper=1.0)(random.key(0), (50,))
      >>> bool(abs(w).max() <= 1.0)
      True
    """

    def init(key, shape, dtype=dtype, out_sharding=None):
        _no_sharding(out_sharding)
        dtype = _dtype(dtype)
        draws = random.truncated_normal(key, lower, upper, shape, dtype)
        return draws * mnp.asarray(stddev, dtype)

    return init


def _axes_size(shape, axes) -> int:
    return shape[axes] if isinstance(axes, int) else math.prod(shape[i] for i in axes)


def _fans(shape, in_axis, out_axis, batch_axis) -> tuple[float, float]:
    """``(fan_in, fan_out)``: the in and out sizes times the receptive field's size (the
    product of the axes that are neither in, out nor batch)."""
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(f"Can't compute input and output sizes of a {len(shape)}-dimensional "
                         "weights tensor with default in_axis. Must be at least 2D or specify "
                         "in_axis explicitly.")  # fmt: skip
    in_size, out_size = _axes_size(shape, in_axis), _axes_size(shape, out_axis)
    receptive_field = math.prod(shape) / in_size / out_size / _axes_size(shape, batch_axis)
    return in_size * receptive_field, out_size * receptive_field


def variance_scaling(scale, mode: str, distribution: str, in_axis=-2, out_axis=-1,
                     batch_axis=(), dtype=None) -> Initializer:  # fmt: skip
    """An initializer of variance ``scale / n``, as
    ``jax.nn.initializers.variance_scaling``.

    ``n`` is ``fan_in``, ``fan_out``, their mean (``"fan_avg"``) or geometric mean
    (``"fan_geo_avg"``), where ``fan_in`` (``fan_out``) is the size of the ``in_axis``
    (``out_axis``) times the size of the axes that are neither in, out nor batch.

    Args:
      scale: the variance's numerator.
      mode: ``"fan_in"``, ``"fan_out"``, ``"fan_avg"`` or ``"fan_geo_avg"``.
      distribution: ``"truncated_normal"`` (on ±2 standard deviations, rescaled to the
        variance), ``"normal"`` or ``"uniform"``.
      in_axis: the input axis or axes (default -2).
      out_axis: the output axis or axes (default -1).
      batch_axis: axes left out of both fans (default none).
      dtype: the default dtype of the arrays (float64 if None).

    Returns:
      An initializer.

    Raises:
      ValueError: an unknown ``mode`` or ``distribution`` (when called), or a shape of
        fewer than 2 axes with the default ``in_axis``.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> init = initializers.variance_scaling(2.0, "fan_in", "uniform")
      >>> w = init(random.key(0), (200, 100))
      >>> bool(abs(w).max() <= (3 * 2.0 / 200) ** 0.5)
      True
    """

    def init(key, shape, dtype=dtype, out_sharding=None):
        _no_sharding(out_sharding)
        shape = tuple(int(d) for d in shape)
        dtype = _dtype(dtype)
        fan_in, fan_out = _fans(shape, in_axis, out_axis, batch_axis)
        denominators = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2,
                        "fan_geo_avg": (fan_in * fan_out) ** 0.5}  # fmt: skip
        if mode not in denominators:
            raise ValueError(f"invalid mode for variance scaling initializer: {mode}")
        variance = mnp.asarray(scale / denominators[mode], dtype=dtype)
        if distribution == "truncated_normal":
            stddev = mnp.sqrt(variance) / mnp.asarray(_TRUNCATED_STDDEV, dtype)
            return random.truncated_normal(key, -2, 2, shape, dtype) * stddev
        if distribution == "normal":
            return random.normal(key, shape, dtype) * mnp.sqrt(variance)
        if distribution == "uniform":
            return random.uniform(key, shape, dtype, -1) * mnp.sqrt(3 * variance)
        raise ValueError(f"invalid distribution for variance scaling initializer: {distribution}")

    return init


def _fan_family(scale, mode, distribution, name, what):
    def build(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None) -> Initializer:
        return variance_scaling(scale, mode, distribution, in_axis=in_axis,
                                out_axis=out_axis, batch_axis=batch_axis, dtype=dtype)  # fmt: skip

    build.__name__ = build.__qualname__ = name
    build.__doc__ = f"""{what}, as ``jax.nn.initializers.{name}``:
    ``variance_scaling({scale}, "{mode}", "{distribution}")``.

    Args:
      in_axis: the input axis or axes (default -2).
      out_axis: the output axis or axes (default -1).
      batch_axis: axes left out of both fans (default none).
      dtype: the default dtype of the arrays (float64 if None).

    Returns:
      An initializer.

    Examples:
      >>> from mini_ad import random
      >>> from mini_ad.nn import initializers
      >>> initializers.{name}()(random.key(0), (4, 3)).shape
      (4, 3)
    """
    return build


glorot_uniform = _fan_family(1.0, "fan_avg", "uniform", "glorot_uniform",
                             "Glorot (Xavier) uniform initialization")  # fmt: skip
glorot_normal = _fan_family(1.0, "fan_avg", "truncated_normal", "glorot_normal",
                            "Glorot (Xavier) normal initialization")  # fmt: skip
lecun_uniform = _fan_family(1.0, "fan_in", "uniform", "lecun_uniform",
                            "LeCun uniform initialization")  # fmt: skip
lecun_normal = _fan_family(1.0, "fan_in", "truncated_normal", "lecun_normal",
                           "LeCun normal initialization")  # fmt: skip
he_uniform = _fan_family(2.0, "fan_in", "uniform", "he_uniform",
                         "He (Kaiming) uniform initialization")  # fmt: skip
he_normal = _fan_family(2.0, "fan_in", "truncated_normal", "he_normal",
                        "He (Kaiming) normal initialization")  # fmt: skip
xavier_uniform, xavier_normal = glorot_uniform, glorot_normal
kaiming_uniform, kaiming_normal = he_uniform, he_normal

__all__ = [
    "Initializer", "constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
    "kaiming_normal", "kaiming_uniform", "lecun_normal", "lecun_uniform", "normal", "ones",
    "truncated_normal", "uniform", "variance_scaling", "xavier_normal", "xavier_uniform",
    "zeros",
]  # fmt: skip
