"""Pure, optax-shaped optimizers: state goes in, new state comes out; nothing is mutated.

An optimizer is a pair of pure functions (a :class:`GradientTransformation`)::

    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)

``params``, ``grads`` and ``updates`` are pytrees of the same structure (see
:mod:`mini_ad.tree_util`). Where PyTorch keeps ``.grad`` on each tensor and an optimizer
that ``zero_grad()`` clears and ``step()`` mutates, here the gradient is a value returned
by :func:`mini_ad.grad` and the optimizer's memory (momentum, moment estimates, the step
count) is the explicit ``state``. Updates are computed with :mod:`mini_ad.numpy`, so an
update step can itself be traced (``jit``) or differentiated.

Names, arguments, defaults, formulas and state types are optax's: small transformations
(``base``, ``transforms``, ``moments``) chained into optimizers (``aliases``), and
schedules ``count -> value`` (``schedules``) wherever a learning rate is taken.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> loss = lambda p: (p["w"] * 3.0 + p["b"] - 10.0) ** 2
>>> params = {"w": 5.0, "b": 1.0}
>>> opt = chain(clip_by_global_norm(100.0), sgd(learning_rate=0.01))
>>> state = opt.init(params)
>>> for _ in range(3):
...     updates, state = opt.update(ad.grad(loss)(params), state)
...     params = apply_updates(params, updates)
>>> round(float(loss(params)), 6)
9.437184
"""

from mini_ad.optim.aliases import adagrad, adam, adamw, lamb, lion, rmsprop, sgd
from mini_ad.optim.base import (
    EmptyState,
    GradientTransformation,
    ScalarOrSchedule,
    apply_updates,
    chain,
    global_norm,
    identity,
    init_empty_state,
)
from mini_ad.optim.moments import (
    ScaleByAdamState,
    ScaleByLionState,
    ScaleByRmsState,
    ScaleByRmsWithCountState,
    ScaleByRssState,
    ScaleByRStdDevState,
    ScaleByRStdDevWithCountState,
    scale_by_adam,
    scale_by_lion,
    scale_by_rms,
    scale_by_rss,
    scale_by_stddev,
)
from mini_ad.optim.schedules import (
    constant,
    constant_schedule,
    cosine_decay,
    cosine_decay_schedule,
    exponential_decay,
    join_schedules,
    linear_schedule,
    piecewise_constant,
    piecewise_constant_schedule,
    polynomial_schedule,
    warmup_cosine_decay,
    warmup_cosine_decay_schedule,
)
from mini_ad.optim.transforms import (
    ScaleByScheduleState,
    TraceState,
    WeightDecaySchedule,
    add_decayed_weights,
    clip,
    clip_by_global_norm,
    scale,
    scale_by_learning_rate,
    scale_by_schedule,
    scale_by_trust_ratio,
    trace,
)

__all__ = [
    "EmptyState", "GradientTransformation", "ScalarOrSchedule", "ScaleByAdamState",
    "ScaleByLionState", "ScaleByRStdDevState", "ScaleByRStdDevWithCountState",
    "ScaleByRmsState", "ScaleByRmsWithCountState", "ScaleByRssState", "ScaleByScheduleState",
    "TraceState", "WeightDecaySchedule", "adagrad", "adam", "adamw", "add_decayed_weights",
    "apply_updates", "chain", "clip", "clip_by_global_norm", "constant", "constant_schedule",
    "cosine_decay", "cosine_decay_schedule", "exponential_decay", "global_norm", "identity",
    "init_empty_state", "join_schedules", "lamb", "linear_schedule", "lion",
    "piecewise_constant", "piecewise_constant_schedule", "polynomial_schedule", "rmsprop",
    "scale", "scale_by_adam", "scale_by_learning_rate", "scale_by_lion", "scale_by_rms",
    "scale_by_rss", "scale_by_schedule", "scale_by_stddev", "scale_by_trust_ratio", "sgd",
    "trace", "warmup_cosine_decay", "warmup_cosine_decay_schedule",
]  # fmt: skip
