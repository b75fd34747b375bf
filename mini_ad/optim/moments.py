"""Transformations that keep moving averages of the gradient: Adam, RMS, Adagrad, Lion.

Each divides (or signs) the update by statistics of past gradients; the learning rate
is applied after them in a chain. Formulas and state types are optax's.

>>> import numpy as np
>>> t = scale_by_adam()
>>> updates, state = t.update(np.array([3.0, -0.5]), t.init(np.zeros(2)))
>>> np.round(updates, 6), state.count
(array([ 1., -1.]), array(1, dtype=int32))
"""

from __future__ import annotations

from typing import Any, NamedTuple

import mini_ad.numpy as mnp
from mini_ad.optim.base import (
    GradientTransformation,
    _bias_correction,
    _cast,
    _full_like,
    _increment,
    _update_moment,
    _zeros_count,
    _zeros_like,
)
from mini_ad.tree_util import tree_map


class ScaleByAdamState(NamedTuple):
    """State of :func:`scale_by_adam`: step count, first and second moment estimates."""

    count: Any
    mu: Any
    nu: Any


class ScaleByRmsState(NamedTuple):
    """State of :func:`scale_by_rms`: the second moment estimate."""

    nu: Any


class ScaleByRmsWithCountState(NamedTuple):
    """State of :func:`scale_by_rms` with bias correction: step count and second moment."""

    count: Any
    nu: Any


class ScaleByRStdDevState(NamedTuple):
    """State of :func:`scale_by_stddev`: first and second moment estimates."""

    mu: Any
    nu: Any


class ScaleByRStdDevWithCountState(NamedTuple):
    """State of :func:`scale_by_stddev` with bias correction: count, mu and nu."""

    count: Any
    mu: Any
    nu: Any


class ScaleByRssState(NamedTuple):
    """State of :func:`scale_by_rss`: the running sum of squared gradients."""

    sum_of_squares: Any


class ScaleByLionState(NamedTuple):
    """State of :func:`scale_by_lion`: step count and the momentum."""

    count: Any
    mu: Any


def scale_by_adam(
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    eps_root: float = 0.0,
    mu_dtype: Any = None,
    *,
    nesterov: bool = False,
) -> GradientTransformation:
    """Adam's rescaling (Kingma & Ba, 2015), without the learning rate.

    At step ``t = 1, 2, ...``: ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g²``,
    ``update = m̂ / (sqrt(v̂ + eps_root) + eps)`` with ``m̂ = m / (1 - b1^t)`` and
    ``v̂ = v / (1 - b2^t)``. With ``nesterov=True`` (NAdam),
    ``m̂ = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t)``.

    Args:
      b1: decay of the first moment.
      b2: decay of the second moment.
      eps: added to the denominator outside the square root.
      eps_root: added inside the square root.
      mu_dtype: optional dtype of the stored first moment.
      nesterov: use Nesterov momentum (NAdam).

    Returns:
      A :class:`GradientTransformation` with a :class:`ScaleByAdamState`.

    >>> import numpy as np
    >>> t = scale_by_adam(nesterov=True)
    >>> np.round(t.update(np.array([2.0]), t.init(np.zeros(1)))[0], 6)  # (0.18/0.19 + 2) / 2
    array([1.473684])
    """

    def init(params):
        return ScaleByAdamState(
            count=_zeros_count(), mu=_zeros_like(params, mu_dtype), nu=_zeros_like(params)
        )

    def update(updates, state, params=None):
        del params
        mu = _update_moment(updates, state.mu, b1, 1)
        nu = _update_moment(updates, state.nu, b2, 2)
        count = _increment(state.count)
        if nesterov:
            mu_hat = tree_map(
                lambda m, g: b1 * m + (1 - b1) * g,
                _bias_correction(mu, b1, _increment(count)),
                _bias_correction(updates, b1, count),
            )
        else:
            mu_hat = _bias_correction(mu, b1, count)
        nu_hat = _bias_correction(nu, b2, count)
        updates = tree_map(lambda m, v: m / (mnp.sqrt(v + eps_root) + eps), mu_hat, nu_hat)
        return updates, ScaleByAdamState(count=count, mu=_cast(mu, mu_dtype), nu=nu)

    return GradientTransformation(init, update)


def _scale_by_root(nu_hat, updates, eps, eps_in_sqrt, mu_hat=None):
    """``g / sqrt(v + eps)`` (or ``g / (sqrt(v) + eps)``), with ``v = nu - mu²`` if mu given."""

    def scaling(n, m=None):
        if m is not None:
            n = n - m * m
        if eps_in_sqrt:
            return 1 / mnp.sqrt(n + eps)  # JAX: lax.rsqrt
        return 1 / (mnp.sqrt(n) + eps)

    if mu_hat is None:
        factors = tree_map(scaling, nu_hat)
    else:
        factors = tree_map(scaling, nu_hat, mu_hat)
    return tree_map(lambda s, g: s * g, factors, updates)


def scale_by_rms(
    decay: float = 0.9,
    eps: float = 1e-8,
    initial_scale: float = 0.0,
    eps_in_sqrt: bool = True,
    bias_correction: bool = False,
) -> GradientTransformation:
    """RMSProp's rescaling: divide by the root of a moving average of ``g²``.

    Args:
      decay: decay of the moving average ``v = decay v + (1 - decay) g²``.
      eps: added inside the square root (outside with ``eps_in_sqrt=False``).
      initial_scale: the starting value of ``v``.
      eps_in_sqrt: where ``eps`` goes.
      bias_correction: divide ``v`` by ``1 - decay^t`` (then the state counts steps).

    Returns:
      A :class:`GradientTransformation` with a :class:`ScaleByRmsState`.

    >>> import numpy as np
    >>> t = scale_by_rms(decay=0.75, eps=0.0)
    >>> t.update(np.array([1.0]), t.init(np.zeros(1)))[0]
    array([2.])
    """

    def init(params):
        nu = _full_like(params, initial_scale)
        if bias_correction:
            return ScaleByRmsWithCountState(count=_zeros_count(), nu=nu)
        return ScaleByRmsState(nu=nu)

    def update(updates, state, params=None):
        del params
        nu = _update_moment(updates, state.nu, decay, 2)
        if bias_correction:
            count = _increment(state.count)
            nu_hat = _bias_correction(nu, decay, count)
        else:
            nu_hat = nu
        updates = _scale_by_root(nu_hat, updates, eps, eps_in_sqrt)
        if bias_correction:
            return updates, ScaleByRmsWithCountState(count=count, nu=nu)
        return updates, ScaleByRmsState(nu=nu)

    return GradientTransformation(init, update)


def scale_by_stddev(
    decay: float = 0.9,
    eps: float = 1e-8,
    initial_scale: float = 0.0,
    eps_in_sqrt: bool = True,
    bias_correction: bool = False,
) -> GradientTransformation:
    """Centered RMSProp's rescaling: divide by the root of the moving variance
    ``v - m²`` of the gradient.

    Args:
      decay: decay of both moving averages.
      eps: added inside the square root (outside with ``eps_in_sqrt=False``).
      initial_scale: the starting value of ``v``.
      eps_in_sqrt: where ``eps`` goes.
      bias_correction: divide both averages by ``1 - decay^t``.

    Returns:
      A :class:`GradientTransformation` with a :class:`ScaleByRStdDevState`.

    >>> import numpy as np
    >>> t = scale_by_stddev(decay=0.5, eps=0.0)
    >>> t.update(np.array([1.0]), t.init(np.zeros(1)))[0]
    array([2.])
    """

    def init(params):
        mu, nu = _zeros_like(params), _full_like(params, initial_scale)
        if bias_correction:
            return ScaleByRStdDevWithCountState(count=_zeros_count(), mu=mu, nu=nu)
        return ScaleByRStdDevState(mu=mu, nu=nu)

    def update(updates, state, params=None):
        del params
        mu = _update_moment(updates, state.mu, decay, 1)
        nu = _update_moment(updates, state.nu, decay, 2)
        if bias_correction:
            count = _increment(state.count)
            mu_hat = _bias_correction(mu, decay, count)
            nu_hat = _bias_correction(nu, decay, count)
        else:
            mu_hat, nu_hat = mu, nu
        updates = _scale_by_root(nu_hat, updates, eps, eps_in_sqrt, mu_hat)
        if bias_correction:
            return updates, ScaleByRStdDevWithCountState(count=count, mu=mu, nu=nu)
        return updates, ScaleByRStdDevState(mu=mu, nu=nu)

    return GradientTransformation(init, update)


def scale_by_rss(
    initial_accumulator_value: float = 0.1, eps: float = 1e-7
) -> GradientTransformation:
    """Adagrad's rescaling: divide by the root of the sum of all past ``g²``.

    Args:
      initial_accumulator_value: the starting value of the sum.
      eps: added inside the square root.

    Returns:
      A :class:`GradientTransformation` with a :class:`ScaleByRssState`.

    >>> import numpy as np
    >>> t = scale_by_rss(initial_accumulator_value=0.0, eps=0.0)
    >>> t.update(np.array([2.0, 0.0]), t.init(np.zeros(2)))[0]
    array([1., 0.])
    """

    def init(params):
        return ScaleByRssState(sum_of_squares=_full_like(params, initial_accumulator_value))

    def update(updates, state, params=None):
        del params
        sums = tree_map(lambda g, s: g * g + s, updates, state.sum_of_squares)

        def inverse_root(s):
            safe = mnp.where(s > 0, s, mnp.ones_like(s))  # no 1/sqrt(0) even where unused
            return mnp.where(s > 0, 1 / mnp.sqrt(safe + eps), 0.0)

        updates = tree_map(lambda s, g: inverse_root(s) * g, sums, updates)
        return updates, ScaleByRssState(sum_of_squares=sums)

    return GradientTransformation(init, update)


def scale_by_lion(
    b1: float = 0.9, b2: float = 0.99, mu_dtype: Any = None
) -> GradientTransformation:
    """Lion's update direction (Chen et al., 2023): ``sign((1 - b1) g + b1 m)``, then
    ``m = (1 - b2) g + b2 m``.

    Args:
      b1: interpolation weight of the momentum in the update.
      b2: decay of the momentum.
      mu_dtype: optional dtype of the stored momentum.

    Returns:
      A :class:`GradientTransformation` with a :class:`ScaleByLionState`.

    >>> import numpy as np
    >>> t = scale_by_lion()
    >>> t.update(np.array([0.3, -2.0, 0.0]), t.init(np.zeros(3)))[0]
    array([ 1., -1.,  0.])
    """

    def init(params):
        return ScaleByLionState(count=_zeros_count(), mu=_zeros_like(params, mu_dtype))

    def update(updates, state, params=None):
        del params
        direction = tree_map(lambda g, m: mnp.sign((1.0 - b1) * g + b1 * m), updates, state.mu)
        mu = _cast(_update_moment(updates, state.mu, b2, 1), mu_dtype)
        return direction, ScaleByLionState(count=_increment(state.count), mu=mu)

    return GradientTransformation(init, update)
