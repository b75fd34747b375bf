"""The optimizer type, composition, and the pytree arithmetic every optimizer shares.

A :class:`GradientTransformation` is a pair of pure functions: ``init(params) -> state``
and ``update(updates, state, params=None) -> (updates, state)``. Optimizers are chains of
small transformations (optax's design): ``adam(lr)`` is ``chain(scale_by_adam(),
scale(-lr))``.

>>> import numpy as np
>>> opt = chain(identity(), identity())
>>> state = opt.init({"w": np.ones(2)})
>>> opt.update({"w": np.ones(2)}, state)
({'w': array([1., 1.])}, (EmptyState(), EmptyState()))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import mini_ad.numpy as mnp
from mini_ad.tree_util import tree_leaves, tree_map, tree_reduce

ScalarOrSchedule = float | Callable[[Any], Any]
_INT32_MAX = 2**31 - 1


class GradientTransformation(NamedTuple):
    """An optimizer or one stage of one (JAX/optax: ``optax.GradientTransformation``).

    ``init(params) -> state`` and ``update(updates, state, params=None) -> (updates,
    state)``; both pure, the state a pytree.

    >>> t = identity()
    >>> t.update([1.0], t.init([0.0]))
    ([1.0], EmptyState())
    """

    init: Callable[[Any], Any]
    update: Callable[..., tuple[Any, Any]]


class EmptyState(NamedTuple):
    """The state of a transformation that keeps none (a pytree with no leaves)."""


def init_empty_state(params: Any) -> EmptyState:
    """An ``init`` for stateless transformations: ignores ``params``.

    Args:
      params: the parameters (unused).

    Returns:
      ``EmptyState()``.

    >>> init_empty_state({"w": 1.0})
    EmptyState()
    """
    del params
    return EmptyState()


def identity() -> GradientTransformation:
    """The transformation that passes updates through unchanged.

    Returns:
      A :class:`GradientTransformation` with an empty state.

    >>> identity().update({"a": 2.0}, EmptyState())
    ({'a': 2.0}, EmptyState())
    """

    def update(updates, state, params=None):
        del params
        return updates, state

    return GradientTransformation(init_empty_state, update)


def chain(*args: GradientTransformation) -> GradientTransformation:
    """Apply transformations one after the other; the state is the tuple of their states.

    Args:
      *args: the transformations, first applied first.

    Returns:
      A :class:`GradientTransformation` whose state is ``tuple(t.init(params) for t in
      args)``.

    >>> from mini_ad.optim.transforms import clip, scale
    >>> import numpy as np
    >>> opt = chain(clip(1.0), scale(-0.5))
    >>> opt.update(np.array([3.0, -0.2]), opt.init(np.zeros(2)))
    (array([-0.5,  0.1]), (EmptyState(), EmptyState()))
    """
    transforms = tuple(args)

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(updates, state, params=None):
        if len(state) != len(transforms):
            raise ValueError(
                f"chain: expected a state for each of {len(transforms)} transformations, "
                f"got {len(state)}; make the state with this chain's init."
            )
        new_state = []
        for t, s in zip(transforms, state, strict=True):
            updates, s = t.update(updates, s, params)
            new_state.append(s)
        return updates, tuple(new_state)

    return GradientTransformation(init, update)


def apply_updates(params: Any, updates: Any) -> Any:
    """``params + updates`` leaf by leaf, keeping each parameter's dtype.

    Args:
      params: a pytree of parameters (None leaves stay None).
      updates: a pytree of the same structure.

    Returns:
      The new parameters.

    >>> import numpy as np
    >>> apply_updates({"w": np.float32(1.0), "b": np.ones(2)}, {"w": 0.5, "b": np.ones(2)})
    {'b': array([2., 2.]), 'w': array(1.5, dtype=float32)}
    """

    def add(p, u):
        if p is None:
            return None
        return mnp.astype(p + u, mnp.result_type(p))

    return tree_map(add, params, updates, is_leaf=lambda x: x is None)


def global_norm(updates: Any) -> Any:
    """The L2 norm of all leaves of ``updates`` taken together.

    Args:
      updates: a pytree of arrays.

    Returns:
      ``sqrt(sum of squares of every element)``, a scalar array.

    >>> import numpy as np
    >>> global_norm({"a": np.array([3.0]), "b": np.array([[4.0]])})
    array(5.)
    """
    squares = [mnp.sum(x * x) for x in tree_leaves(updates)]
    return mnp.sqrt(tree_reduce(lambda a, b: a + b, squares, 0))


# Helpers shared by the transformations (optax: ``optax.tree`` and ``numerics``).


def _zeros_count():
    return mnp.zeros([], mnp.int32)


def _increment(count):
    """``count + 1``, saturating at the int32 maximum instead of wrapping."""
    return mnp.where(count < _INT32_MAX, count + 1, _INT32_MAX)


def _zeros_like(params, dtype=None):
    return tree_map(lambda p: mnp.zeros_like(p, dtype=dtype), params)


def _full_like(params, value):
    return tree_map(lambda p: mnp.full_like(p, value), params)


def _cast(tree, dtype):
    if dtype is None:
        return tree
    return tree_map(lambda x: mnp.astype(x, dtype), tree)


def _update_moment(updates, moments, decay, order):
    """The exponential moving average ``(1 - decay) * g**order + decay * m``, leafwise."""
    return tree_map(lambda g, m: (1 - decay) * (g**order) + decay * m, updates, moments)


def _bias_correction(moments, decay, count):
    """``m / (1 - decay**count)``, leafwise: undoes the moving average's pull toward 0."""
    correction = 1 - decay**count
    return tree_map(lambda m: m / mnp.astype(correction, mnp.result_type(m)), moments)
