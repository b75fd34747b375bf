"""Pure, optax-style optimizers: state goes in, new state comes out; nothing is mutated.

An optimizer is a pair of pure functions (a :class:`GradientTransformation`)::

    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)

``params``, ``grads`` and ``updates`` are pytrees of the same structure (see
:mod:`mini_ad.tree_util`). Where PyTorch keeps ``.grad`` on each tensor and an optimizer
that ``zero_grad()`` clears and ``step()`` mutates, here the gradient is a value returned
by :func:`mini_ad.grad` and the optimizer's memory (momentum, moment estimates, the step
count) is the explicit ``state``. Updates are computed with :mod:`mini_ad.numpy`, so an
update step can itself be traced or differentiated.

A ``learning_rate`` is a number or a schedule ``step -> number``; the step count starts
at 0, so the first update uses ``learning_rate(0)``.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> loss = lambda p: (p["w"] * 3.0 + p["b"] - 10.0) ** 2
>>> params = {"w": 5.0, "b": 1.0}
>>> opt = sgd(learning_rate=0.01)
>>> state = opt.init(params)
>>> for _ in range(3):
...     updates, state = opt.update(ad.grad(loss)(params), state)
...     params = apply_updates(params, updates)
>>> round(float(loss(params)), 6)
9.437184
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import mini_ad.numpy as mnp
from mini_ad.tree_util import tree_map

ScalarOrSchedule = float | Callable[[int], Any]


class GradientTransformation(NamedTuple):
    """An optimizer: ``init(params) -> state`` and ``update(grads, state, params=None)
    -> (updates, state)`` (JAX/optax: ``optax.GradientTransformation``)."""

    init: Callable[[Any], Any]
    update: Callable[..., tuple[Any, Any]]


class SgdState(NamedTuple):
    """State of :func:`sgd`: the step count and the momentum buffer (None without momentum)."""

    count: int
    momentum: Any


class AdamState(NamedTuple):
    """State of :func:`adam`: the step count and the first and second moment estimates."""

    count: int
    mu: Any
    nu: Any


def _learning_rate_at(learning_rate: ScalarOrSchedule, count: int):
    return learning_rate(count) if callable(learning_rate) else learning_rate


def _zeros_like_tree(params):
    return tree_map(mnp.zeros_like, params)


def sgd(
    learning_rate: ScalarOrSchedule, momentum: float = 0.0, nesterov: bool = False
) -> GradientTransformation:
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    With gradient ``g``, momentum ``mu`` and learning rate ``lr`` at step ``t``::

        m = g + mu * m_prev                  (m_prev starts at 0)
        update = -lr * m                     (nesterov=False)
        update = -lr * (g + mu * m)          (nesterov=True)

    With ``momentum=0`` and ``nesterov=False`` this is plain ``update = -lr * g`` and the
    state keeps no buffer. These are the formulas of ``torch.optim.SGD`` (dampening 0) and
    ``optax.sgd``.

    >>> import numpy as np
    >>> opt = sgd(0.1, momentum=0.9)
    >>> state = opt.init(np.zeros(2))
    >>> g = np.array([1.0, -2.0])
    >>> u1, state = opt.update(g, state)
    >>> u2, state = opt.update(g, state)
    >>> u1, u2
    (array([-0.1,  0.2]), array([-0.19,  0.38]))
    """
    if momentum < 0:
        raise ValueError(f"sgd: momentum must be >= 0, got {momentum}.")
    if nesterov and momentum == 0:
        raise ValueError("sgd: nesterov=True needs a positive momentum.")
    use_buffer = momentum != 0

    def init(params):
        return SgdState(count=0, momentum=_zeros_like_tree(params) if use_buffer else None)

    def update(grads, state, params=None):
        del params  # plain SGD does not look at the parameters
        lr = _learning_rate_at(learning_rate, state.count)
        if not use_buffer:
            updates = tree_map(lambda g: -lr * g, grads)
            return updates, SgdState(state.count + 1, None)
        buffer = tree_map(lambda g, m: g + momentum * m, grads, state.momentum)
        if nesterov:
            updates = tree_map(lambda g, m: -lr * (g + momentum * m), grads, buffer)
        else:
            updates = tree_map(lambda m: -lr * m, buffer)
        return updates, SgdState(state.count + 1, buffer)

    return GradientTransformation(init, update)


def adam(
    learning_rate: ScalarOrSchedule, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8
) -> GradientTransformation:
    """Adam (Kingma & Ba, 2015), with bias-corrected moment estimates.

    With gradient ``g`` at step ``t = 1, 2, ...``::

        m = b1 * m_prev + (1 - b1) * g
        v = b2 * v_prev + (1 - b2) * g**2
        m_hat = m / (1 - b1**t),   v_hat = v / (1 - b2**t)
        update = -lr * m_hat / (sqrt(v_hat) + eps)

    The first update has magnitude about ``lr`` in every coordinate whatever the
    gradient's scale:

    >>> import numpy as np
    >>> opt = adam(0.1)
    >>> state = opt.init({"w": np.zeros(2)})
    >>> updates, state = opt.update({"w": np.array([3.0, -0.5])}, state)
    >>> np.round(updates["w"], 6), state.count
    (array([-0.1,  0.1]), 1)
    """

    def init(params):
        return AdamState(count=0, mu=_zeros_like_tree(params), nu=_zeros_like_tree(params))

    def update(grads, state, params=None):
        del params
        lr = _learning_rate_at(learning_rate, state.count)
        t = state.count + 1
        mu = tree_map(lambda g, m: b1 * m + (1 - b1) * g, grads, state.mu)
        nu = tree_map(lambda g, v: b2 * v + (1 - b2) * (g * g), grads, state.nu)
        correction1, correction2 = 1 - b1**t, 1 - b2**t

        def step(m, v):
            m_hat, v_hat = m / correction1, v / correction2
            return -lr * m_hat / (mnp.sqrt(v_hat) + eps)

        return tree_map(step, mu, nu), AdamState(t, mu, nu)

    return GradientTransformation(init, update)


def apply_updates(params, updates):
    """``params + updates`` leaf by leaf, keeping each parameter's dtype.

    >>> import numpy as np
    >>> apply_updates({"w": np.float32(1.0), "b": np.ones(2)}, {"w": 0.5, "b": np.ones(2)})
    {'b': array([2., 2.]), 'w': array(1.5, dtype=float32)}
    """

    def add(p, u):
        return mnp.astype(p + u, mnp.result_type(p))

    return tree_map(add, params, updates)
