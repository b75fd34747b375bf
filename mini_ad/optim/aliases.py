"""The optimizers: ready-made chains of transformations, with optax's names and defaults.

Each takes a ``learning_rate`` that is a number or a schedule ``count -> number`` (count
0 for the first update) and returns a :class:`~mini_ad.optim.base.GradientTransformation`
whose state is the tuple of its stages' states, as in optax.

>>> import numpy as np
>>> from mini_ad.optim.base import apply_updates
>>> opt = adamw(0.1, weight_decay=0.5)
>>> params = np.array([1.0, -1.0])
>>> updates, state = opt.update(np.array([0.2, 0.2]), opt.init(params), params)
>>> np.round(apply_updates(params, updates), 6)
array([ 0.85, -1.05])
"""

from __future__ import annotations

from typing import Any

from mini_ad.optim.base import GradientTransformation, ScalarOrSchedule, chain, identity
from mini_ad.optim.moments import (
    scale_by_adam,
    scale_by_lion,
    scale_by_rms,
    scale_by_rss,
    scale_by_stddev,
)
from mini_ad.optim.transforms import (
    add_decayed_weights,
    scale_by_learning_rate,
    scale_by_trust_ratio,
    trace,
)


def sgd(
    learning_rate: ScalarOrSchedule,
    momentum: float | None = None,
    nesterov: bool = False,
    accumulator_dtype: Any = None,
) -> GradientTransformation:
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    ``m = g + momentum * m_prev``; the update is ``-lr * m`` (``-lr * (g + momentum * m)``
    with Nesterov). Without momentum: ``-lr * g``. These are ``torch.optim.SGD``'s
    formulas (dampening 0) and ``optax.sgd``'s.

    Args:
      learning_rate: a number or a schedule.
      momentum: the momentum coefficient; None (or 0) for none.
      nesterov: use Nesterov momentum (needs a positive momentum).
      accumulator_dtype: optional dtype of the momentum buffer.

    Returns:
      ``chain(trace(momentum, nesterov), scale_by_learning_rate(learning_rate))``, the
      trace left out when momentum is None.

    >>> import numpy as np
    >>> opt = sgd(0.1, momentum=0.9)
    >>> state = opt.init(np.zeros(2))
    >>> g = np.array([1.0, -2.0])
    >>> u1, state = opt.update(g, state)
    >>> u2, state = opt.update(g, state)
    >>> u1, u2
    (array([-0.1,  0.2]), array([-0.19,  0.38]))
    """
    if momentum is not None and momentum < 0:
        raise ValueError(f"sgd: momentum must be >= 0, got {momentum}.")
    if nesterov and not momentum:
        raise ValueError("sgd: nesterov=True needs a positive momentum.")
    first = identity() if momentum is None else trace(momentum, nesterov, accumulator_dtype)
    return chain(first, scale_by_learning_rate(learning_rate))


def adam(
    learning_rate: ScalarOrSchedule,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    eps_root: float = 0.0,
    mu_dtype: Any = None,
    *,
    nesterov: bool = False,
) -> GradientTransformation:
    """Adam (Kingma & Ba, 2015): :func:`scale_by_adam` then the learning rate.

    The first update has magnitude about ``lr`` in every coordinate whatever the
    gradient's scale.

    Args:
      learning_rate: a number or a schedule.
      b1, b2, eps, eps_root, mu_dtype, nesterov: as in :func:`scale_by_adam`.

    Returns:
      ``chain(scale_by_adam(...), scale_by_learning_rate(learning_rate))``.

    >>> import numpy as np
    >>> opt = adam(0.1)
    >>> updates, state = opt.update({"w": np.array([3.0, -0.5])}, opt.init({"w": np.zeros(2)}))
    >>> np.round(updates["w"], 6), state[0].count
    (array([-0.1,  0.1]), array(1, dtype=int32))
    """
    return chain(
        scale_by_adam(b1, b2, eps, eps_root, mu_dtype, nesterov=nesterov),
        scale_by_learning_rate(learning_rate),
    )


def adamw(
    learning_rate: ScalarOrSchedule,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-8,
    eps_root: float = 0.0,
    mu_dtype: Any = None,
    weight_decay: ScalarOrSchedule = 1e-4,
    mask: Any = None,
    *,
    nesterov: bool = False,
) -> GradientTransformation:
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Args:
      learning_rate: a number or a schedule.
      b1, b2, eps, eps_root, mu_dtype, nesterov: as in :func:`scale_by_adam`.
      weight_decay: the decay coefficient (number or schedule), multiplied by the
        learning rate like the rest of the update.
      mask: where to decay, as in :func:`add_decayed_weights`.

    Returns:
      ``chain(scale_by_adam(...), add_decayed_weights(weight_decay, mask),
      scale_by_learning_rate(learning_rate))``.

    >>> import numpy as np
    >>> opt = adamw(0.1, weight_decay=1.0)
    >>> p = np.array([2.0])
    >>> np.round(opt.update(np.array([5.0]), opt.init(p), p)[0], 6)
    array([-0.3])
    """
    return chain(
        scale_by_adam(b1, b2, eps, eps_root, mu_dtype, nesterov=nesterov),
        add_decayed_weights(weight_decay, mask),
        scale_by_learning_rate(learning_rate),
    )


def rmsprop(
    learning_rate: ScalarOrSchedule,
    decay: float = 0.9,
    eps: float = 1e-8,
    initial_scale: float = 0.0,
    eps_in_sqrt: bool = True,
    centered: bool = False,
    momentum: float | None = None,
    nesterov: bool = False,
    bias_correction: bool = False,
) -> GradientTransformation:
    """RMSProp (Tieleman & Hinton, 2012): divide by the root of a moving average of ``g²``.

    Args:
      learning_rate: a number or a schedule.
      decay, eps, initial_scale, eps_in_sqrt, bias_correction: as in
        :func:`scale_by_rms`.
      centered: divide by the moving standard deviation instead
        (:func:`scale_by_stddev`).
      momentum: optional momentum applied after the learning rate.
      nesterov: use Nesterov momentum.

    Returns:
      The chained transformation.

    >>> import numpy as np
    >>> opt = rmsprop(0.1, decay=0.75, eps=0.0)
    >>> opt.update(np.array([4.0]), opt.init(np.zeros(1)))[0]
    array([-0.2])
    """
    rescale = scale_by_stddev if centered else scale_by_rms
    return chain(
        rescale(decay, eps, initial_scale, eps_in_sqrt, bias_correction),
        scale_by_learning_rate(learning_rate),
        identity() if momentum is None else trace(momentum, nesterov),
    )


def adagrad(
    learning_rate: ScalarOrSchedule,
    initial_accumulator_value: float = 0.1,
    eps: float = 1e-7,
) -> GradientTransformation:
    """Adagrad (Duchi et al., 2011): divide by the root of the sum of all past ``g²``.

    Args:
      learning_rate: a number or a schedule.
      initial_accumulator_value: the starting value of the sum.
      eps: added inside the square root.

    Returns:
      ``chain(scale_by_rss(...), scale_by_learning_rate(learning_rate))``.

    >>> import numpy as np
    >>> opt = adagrad(0.1, initial_accumulator_value=0.0, eps=0.0)
    >>> opt.update(np.array([3.0]), opt.init(np.zeros(1)))[0]
    array([-0.1])
    """
    return chain(
        scale_by_rss(initial_accumulator_value, eps),
        scale_by_learning_rate(learning_rate),
    )


def lamb(
    learning_rate: ScalarOrSchedule,
    b1: float = 0.9,
    b2: float = 0.999,
    eps: float = 1e-6,
    eps_root: float = 0.0,
    weight_decay: float = 0.0,
    mask: Any = None,
) -> GradientTransformation:
    """LAMB (You et al., 2020): Adam's direction plus weight decay, rescaled per leaf by
    the trust ratio ``|param| / |update|``.

    Args:
      learning_rate: a number or a schedule.
      b1, b2, eps, eps_root: as in :func:`scale_by_adam`.
      weight_decay: the decoupled weight decay coefficient.
      mask: where to decay, as in :func:`add_decayed_weights`.

    Returns:
      The chained transformation; its ``update`` needs ``params``.

    >>> import numpy as np
    >>> opt = lamb(0.1)
    >>> p = np.array([3.0, 4.0])
    >>> np.round(opt.update(np.array([1.0, 1.0]), opt.init(p), p)[0], 6)
    array([-0.353553, -0.353553])
    """
    return chain(
        scale_by_adam(b1, b2, eps, eps_root),
        add_decayed_weights(weight_decay, mask),
        scale_by_trust_ratio(),
        scale_by_learning_rate(learning_rate),
    )


def lion(
    learning_rate: ScalarOrSchedule,
    b1: float = 0.9,
    b2: float = 0.99,
    mu_dtype: Any = None,
    weight_decay: ScalarOrSchedule = 1e-3,
    mask: Any = None,
) -> GradientTransformation:
    """Lion (Chen et al., 2023): the sign of an interpolated momentum, plus weight decay.

    Args:
      learning_rate: a number or a schedule.
      b1, b2, mu_dtype: as in :func:`scale_by_lion`.
      weight_decay: the decoupled weight decay coefficient.
      mask: where to decay, as in :func:`add_decayed_weights`.

    Returns:
      The chained transformation; its ``update`` needs ``params``.

    >>> import numpy as np
    >>> opt = lion(0.1, weight_decay=0.0)
    >>> p = np.zeros(2)
    >>> opt.update(np.array([0.5, -3.0]), opt.init(p), p)[0]
    array([-0.1,  0.1])
    """
    return chain(
        scale_by_lion(b1, b2, mu_dtype),
        add_decayed_weights(weight_decay, mask),
        scale_by_learning_rate(learning_rate),
    )
