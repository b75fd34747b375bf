"""Stateless and step-counting transformations: scaling, clipping, momentum, weight decay.

Each returns a :class:`~mini_ad.optim.base.GradientTransformation`; chain them with
:func:`~mini_ad.optim.base.chain`. Their formulas and state types are optax's.

>>> import numpy as np
>>> from mini_ad.optim.base import chain
>>> opt = chain(clip_by_global_norm(1.0), scale(-0.1))
>>> updates, _ = opt.update(np.array([3.0, 4.0]), opt.init(np.zeros(2)))
>>> updates
array([-0.06, -0.08])
"""

from __future__ import annotations

from typing import Any, NamedTuple

import mini_ad.numpy as mnp
from mini_ad.optim.base import (
    EmptyState,
    GradientTransformation,
    ScalarOrSchedule,
    _cast,
    _increment,
    _zeros_count,
    _zeros_like,
    global_norm,
    init_empty_state,
)
from mini_ad.tree_util import tree_map

_NO_PARAMS = "this transformation needs the parameters: call update(updates, state, params)."


class ScaleByScheduleState(NamedTuple):
    """State of :func:`scale_by_schedule`: the step count (int32)."""

    count: Any


class TraceState(NamedTuple):
    """State of :func:`trace`: the momentum buffer."""

    trace: Any


class WeightDecaySchedule(NamedTuple):
    """State of :func:`add_decayed_weights` with a scheduled weight decay: the step count."""

    count: Any


def scale(step_size: float) -> GradientTransformation:
    """Multiply updates by a constant.

    Args:
      step_size: the factor.

    Returns:
      A stateless :class:`GradientTransformation`.

    >>> scale(-2.0).update([1.0, 3.0], EmptyState())
    ([-2.0, -6.0], EmptyState())
    """

    def update(updates, state, params=None):
        del params
        return tree_map(lambda g: step_size * g, updates), state

    return GradientTransformation(init_empty_state, update)


def scale_by_schedule(step_size_fn) -> GradientTransformation:
    """Multiply updates by ``step_size_fn(count)``, count being 0, 1, 2, ... per update.

    Args:
      step_size_fn: a schedule ``count -> factor`` (see :mod:`mini_ad.optim.schedules`).

    Returns:
      A :class:`GradientTransformation` whose state counts the updates.

    >>> import numpy as np
    >>> t = scale_by_schedule(lambda count: 1.0 / (1 + count))
    >>> state = t.init(np.zeros(1))
    >>> _, state = t.update(np.ones(1), state)
    >>> t.update(np.ones(1), state)[0]
    array([0.5])
    """

    def init(params):
        del params
        return ScaleByScheduleState(count=_zeros_count())

    def update(updates, state, params=None):
        del params
        step_size = step_size_fn(state.count)
        updates = tree_map(lambda g: mnp.astype(step_size, mnp.result_type(g)) * g, updates)
        return updates, ScaleByScheduleState(count=_increment(state.count))

    return GradientTransformation(init, update)


def scale_by_learning_rate(
    learning_rate: ScalarOrSchedule, *, flip_sign: bool = True
) -> GradientTransformation:
    """Multiply updates by ``-learning_rate`` (by ``learning_rate`` with flip_sign=False).

    Args:
      learning_rate: a number, or a schedule ``count -> number``.
      flip_sign: negate, so that adding the updates descends the gradient.

    Returns:
      :func:`scale` or :func:`scale_by_schedule`.

    >>> scale_by_learning_rate(0.1).update([2.0], EmptyState())[0]
    [-0.2]
    """
    sign = -1 if flip_sign else 1
    if callable(learning_rate):
        return scale_by_schedule(lambda count: sign * learning_rate(count))
    return scale(sign * learning_rate)


def trace(
    decay: float, nesterov: bool = False, accumulator_dtype: Any = None
) -> GradientTransformation:
    """Momentum: ``m = g + decay * m_prev``; the update is ``m`` (or ``g + decay * m``
    with Nesterov momentum).

    Args:
      decay: the momentum coefficient.
      nesterov: use Nesterov's look-ahead form.
      accumulator_dtype: optional dtype of the stored buffer.

    Returns:
      A :class:`GradientTransformation` with a :class:`TraceState`.

    >>> import numpy as np
    >>> t = trace(0.5)
    >>> _, state = t.update(np.ones(1), t.init(np.zeros(1)))
    >>> t.update(np.ones(1), state)[0]
    array([1.5])
    """

    def init(params):
        return TraceState(trace=_zeros_like(params, accumulator_dtype))

    def update(updates, state, params=None):
        del params
        new_trace = tree_map(lambda g, t: g + decay * t, updates, state.trace)
        if nesterov:
            updates = tree_map(lambda g, t: g + decay * t, updates, new_trace)
        else:
            updates = new_trace
        return updates, TraceState(trace=_cast(new_trace, accumulator_dtype))

    return GradientTransformation(init, update)


def clip(max_delta: float) -> GradientTransformation:
    """Clip every element of the updates to ``[-max_delta, max_delta]``.

    Args:
      max_delta: the largest magnitude kept.

    Returns:
      A stateless :class:`GradientTransformation`.

    >>> import numpy as np
    >>> clip(1.0).update(np.array([-3.0, 0.5, 2.0]), EmptyState())[0]
    array([-1. ,  0.5,  1. ])
    """

    def update(updates, state, params=None):
        del params
        return tree_map(lambda g: mnp.clip(g, -max_delta, max_delta), updates), state

    return GradientTransformation(init_empty_state, update)


def clip_by_global_norm(max_norm: float) -> GradientTransformation:
    """Rescale the updates so that their :func:`global_norm` is at most ``max_norm``.

    Args:
      max_norm: the largest global norm kept; larger updates are scaled down to it.

    Returns:
      A stateless :class:`GradientTransformation`.

    >>> import numpy as np
    >>> clip_by_global_norm(1.0).update({"a": np.array([3.0]), "b": np.array([4.0])},
    ...                                 EmptyState())[0]
    {'a': array([0.6]), 'b': array([0.8])}
    """

    def update(updates, state, params=None):
        del params
        norm = global_norm(updates)
        keep = norm < max_norm

        def clip_leaf(g):
            return mnp.where(keep, g, (g / mnp.astype(norm, mnp.result_type(g))) * max_norm)

        return tree_map(clip_leaf, updates), state

    return GradientTransformation(init_empty_state, update)


def add_decayed_weights(
    weight_decay: ScalarOrSchedule = 0.0, mask: Any = None
) -> GradientTransformation:
    """Add ``weight_decay * params`` to the updates (decoupled weight decay, as AdamW).

    Args:
      weight_decay: the coefficient, or a schedule ``count -> coefficient``.
      mask: optional pytree of bools with the parameters' structure (or a prefix of
        it), or a function ``params -> such a pytree``: decay only where True.
        (optax wraps the state in a ``MaskedState``; here the state is unchanged.)

    Returns:
      A :class:`GradientTransformation`; its ``update`` needs ``params``.

    >>> import numpy as np
    >>> t = add_decayed_weights(0.1, mask={"w": True, "b": False})
    >>> params = {"w": np.array([2.0]), "b": np.array([2.0])}
    >>> t.update({"w": np.zeros(1), "b": np.zeros(1)}, t.init(params), params)[0]
    {'b': array([0.]), 'w': array([0.2])}
    """

    def init(params):
        del params
        if callable(weight_decay):
            return WeightDecaySchedule(count=_zeros_count())
        return EmptyState()

    def update(updates, state, params=None):
        if params is None:
            raise ValueError(f"add_decayed_weights: {_NO_PARAMS}")
        if callable(weight_decay):
            coefficient = weight_decay(state.count)
            state = WeightDecaySchedule(count=_increment(state.count))
        elif isinstance(weight_decay, (int, float)) and weight_decay == 0.0:
            return updates, state
        else:
            coefficient = weight_decay

        def decay(g, p):
            return g + coefficient * p

        if mask is None:
            return tree_map(decay, updates, params), state
        mask_tree = mask(params) if callable(mask) else mask

        def decay_where(m, g, p):
            return tree_map(decay, g, p) if m else g

        return tree_map(decay_where, mask_tree, updates, params), state

    return GradientTransformation(init, update)


def _safe_norm(x, min_norm):
    """``max(norm(x), min_norm)`` in a form whose gradient is finite at ``x = 0``."""
    norm = mnp.sqrt(mnp.sum(x * x))
    small = norm <= min_norm
    x = mnp.where(small, mnp.ones_like(x), x)
    return mnp.where(small, min_norm, mnp.sqrt(mnp.sum(x * x)))


def scale_by_trust_ratio(
    min_norm: float = 0.0, trust_coefficient: float = 1.0, eps: float = 0.0
) -> GradientTransformation:
    """Scale each leaf's update by ``trust_coefficient * |param| / (|update| + eps)``
    (LARS/LAMB's layer-wise trust ratio); 1 where either norm is 0.

    Args:
      min_norm: norms are taken as at least this.
      trust_coefficient: a constant factor.
      eps: added to the update norm.

    Returns:
      A stateless :class:`GradientTransformation`; its ``update`` needs ``params``.

    >>> import numpy as np
    >>> t = scale_by_trust_ratio()
    >>> t.update([np.array([0.0, 2.0])], EmptyState(), [np.array([3.0, 4.0])])[0]
    [array([0., 5.])]
    """

    def update(updates, state, params=None):
        if params is None:
            raise ValueError(f"scale_by_trust_ratio: {_NO_PARAMS}")

        def scale_leaf(u, p):
            param_norm = _safe_norm(p, min_norm)
            update_norm = _safe_norm(u, min_norm)
            ratio = trust_coefficient * param_norm / (update_norm + eps)
            zero = mnp.logical_or(param_norm == 0.0, update_norm == 0.0)
            return u * mnp.where(zero, mnp.ones_like(ratio), ratio)

        return tree_map(scale_leaf, updates, params), state

    return GradientTransformation(init_empty_state, update)
