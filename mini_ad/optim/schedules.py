"""Schedules: functions ``count -> value`` for learning rates and other hyperparameters.

``count`` is the number of updates done so far (0 for the first), a Python int or an
integer array (the optimizers pass their int32 step count, possibly a tracer under
``jit``), so every schedule is written with :mod:`mini_ad.numpy`. Formulas are optax's.

>>> schedule = warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=2, decay_steps=4)
>>> [round(float(schedule(t)), 4) for t in range(6)]
[0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mini_ad.numpy as mnp

Schedule = Callable[[Any], Any]


def constant_schedule(value: float) -> Schedule:
    """The schedule that is always ``value``.

    Args:
      value: the value.

    Returns:
      A schedule.

    >>> constant_schedule(0.1)(100)
    0.1
    """
    return lambda count: value


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    """Go from ``init_value`` to ``end_value`` along ``(1 - fraction)**power`` over
    ``transition_steps`` steps starting at ``transition_begin``; constant outside.

    Args:
      init_value: the value before the transition.
      end_value: the value after it.
      power: the exponent (1 is linear).
      transition_steps: the transition's length; if not positive, always ``init_value``.
      transition_begin: the step where the transition starts (negative counts as 0).

    Returns:
      A schedule.

    >>> [float(polynomial_schedule(1.0, 0.0, 2, 4)(t)) for t in (0, 2, 4, 9)]
    [1.0, 0.25, 0.0, 0.0]
    """
    if transition_steps <= 0:
        return lambda count: init_value
    transition_begin = max(transition_begin, 0)

    def schedule(count):
        count = mnp.clip(count - transition_begin, 0, transition_steps)
        fraction = 1 - count / transition_steps
        return (init_value - end_value) * (fraction**power) + end_value

    return schedule


def linear_schedule(
    init_value: float, end_value: float, transition_steps: int, transition_begin: int = 0
) -> Schedule:
    """Go linearly from ``init_value`` to ``end_value`` over ``transition_steps`` steps.

    Args:
      init_value: the value before the transition.
      end_value: the value after it.
      transition_steps: the transition's length.
      transition_begin: the step where it starts.

    Returns:
      A schedule.

    >>> [float(linear_schedule(0.0, 1.0, 4)(t)) for t in (0, 1, 4, 5)]
    [0.0, 0.25, 1.0, 1.0]
    """
    return polynomial_schedule(init_value, end_value, 1, transition_steps, transition_begin)


def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: dict[int, float] | None = None
) -> Schedule:
    """Start at ``init_value``; from each boundary step on, multiply by its scale.

    Args:
      init_value: the value before the first boundary.
      boundaries_and_scales: ``{step: scale}``; scales must be non-negative.

    Returns:
      A schedule.

    >>> schedule = piecewise_constant_schedule(1.0, {2: 0.5, 4: 0.1})
    >>> [float(schedule(t)) for t in range(6)]
    [1.0, 1.0, 0.5, 0.5, 0.05, 0.05]
    """
    items = sorted((boundaries_and_scales or {}).items())
    if any(s < 0 for _, s in items):
        raise ValueError("piecewise_constant_schedule: scales must be non-negative.")

    def schedule(count):
        value = init_value
        for boundary, s in items:
            before = mnp.maximum(0.0, mnp.sign(boundary - count))  # 1 before the boundary
            value = value * before + (1 - before) * s * value
        return value

    return schedule


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    """``init_value * decay_rate ** ((count - transition_begin) / transition_steps)``.

    Args:
      init_value: the value up to ``transition_begin``.
      transition_steps: steps per factor of ``decay_rate``; if not positive, constant.
      decay_rate: the factor per ``transition_steps``; 0 gives a constant schedule.
      transition_begin: the step where the decay starts (negative counts as 0).
      staircase: decay in whole steps of ``transition_steps``.
      end_value: optional bound the value does not pass.

    Returns:
      A schedule.

    >>> [float(exponential_decay(1.0, 2, 0.5)(t)) for t in (0, 2, 4)]
    [1.0, 0.5, 0.25]
    """
    if transition_steps <= 0 or decay_rate == 0:
        return lambda count: init_value
    transition_begin = max(transition_begin, 0)
    bound = mnp.maximum if decay_rate < 1.0 else mnp.minimum

    def schedule(count):
        since = count - transition_begin
        exponent = since / transition_steps
        if staircase:
            exponent = mnp.floor(exponent)
        value = mnp.where(since <= 0, init_value, init_value * mnp.power(decay_rate, exponent))
        return value if end_value is None else bound(value, end_value)

    return schedule


def cosine_decay_schedule(
    init_value: float, decay_steps: int, alpha: float = 0.0, exponent: float = 1.0
) -> Schedule:
    """Half a cosine from ``init_value`` down to ``alpha * init_value`` over
    ``decay_steps`` steps, then constant (Loshchilov & Hutter, 2017).

    Args:
      init_value: the starting value.
      decay_steps: the length of the decay; must be positive.
      alpha: the final value as a fraction of ``init_value``.
      exponent: the power applied to the cosine factor.

    Returns:
      A schedule.

    >>> [float(cosine_decay_schedule(1.0, 4)(t)) for t in (0, 2, 4, 8)]
    [1.0, 0.5, 0.0, 0.0]
    """
    if not decay_steps > 0:
        raise ValueError(f"cosine_decay_schedule: decay_steps must be positive, got {decay_steps}.")
    steps = float(decay_steps)

    def schedule(count):
        count = float(count) if isinstance(count, int) else count
        count = mnp.minimum(count, steps)
        cosine = 0.5 * (1 + mnp.cos(mnp.pi * count / steps))
        return init_value * ((1 - alpha) * cosine**exponent + alpha)

    return schedule


def join_schedules(schedules: Sequence[Schedule], boundaries: Sequence[int]) -> Schedule:
    """Run ``schedules[0]`` until ``boundaries[0]``, then ``schedules[1]`` with its count
    restarted at 0, and so on.

    Args:
      schedules: the schedules, one more than the boundaries.
      boundaries: the steps where the next schedule takes over.

    Returns:
      A schedule.

    >>> schedule = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 2)], [3])
    >>> [float(schedule(t)) for t in range(6)]
    [1.0, 1.0, 1.0, 1.0, 0.5, 0.0]
    """

    def schedule(count):
        value = schedules[0](count)
        for boundary, later in zip(boundaries, schedules[1:], strict=False):
            value = mnp.where(count < boundary, value, later(count - boundary))
        return value

    return schedule


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    """Linear warmup from ``init_value`` to ``peak_value`` over ``warmup_steps``, then
    cosine decay to ``end_value``, reached at step ``decay_steps`` (warmup included).

    Args:
      init_value: the value at step 0.
      peak_value: the value at the end of the warmup.
      warmup_steps: the warmup's length.
      decay_steps: the total length of warmup and decay.
      end_value: the final value.
      exponent: the power applied to the cosine factor.

    Returns:
      A schedule.

    >>> schedule = warmup_cosine_decay_schedule(0.0, 1.0, 1, 3, end_value=0.1)
    >>> [round(float(schedule(t)), 3) for t in range(4)]
    [0.0, 1.0, 0.55, 0.1]
    """
    alpha = 0.0 if peak_value == 0.0 else end_value / peak_value
    warmup = linear_schedule(init_value, peak_value, warmup_steps)
    decay = cosine_decay_schedule(peak_value, decay_steps - warmup_steps, alpha, exponent)
    return join_schedules([warmup, decay], [warmup_steps])


# Short aliases (the names issue 14 uses); optax itself has only the *_schedule names.
constant = constant_schedule
cosine_decay = cosine_decay_schedule
warmup_cosine_decay = warmup_cosine_decay_schedule
piecewise_constant = piecewise_constant_schedule
