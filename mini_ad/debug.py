"""``mini_ad.debug`` (JAX: ``jax.debug``): look at values from inside transforms.

``print`` and ``callback`` bind the ``debug_callback`` primitive, which jit keeps (it is
never folded, merged or dropped) and which runs on the primal values under ``grad`` and
once per element under ``vmap``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

from mini_ad.api.callbacks import debug_callback


def print(fmt: str, *args, **kwargs) -> None:  # noqa: A001 - JAX's name
    """Print ``fmt.format(*args, **kwargs)`` with the arguments' values, also from inside
    ``jit``, ``vmap`` and ``grad`` (JAX: ``jax.debug.print``).

    Args:
      fmt: a ``str.format`` string.
      args, kwargs: pytrees of arrays (tracers under a transform) to format.

    Returns:
      None.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> f = ad.jit(lambda x: ad.debug.print("x = {}", x) or mnp.sin(x))
      >>> y = f(0.0)
      x = 0.0
    """

    def show(*values, **named):
        builtins.print(fmt.format(*values, **named))

    show.__name__ = "print"
    debug_callback(show, *args, **kwargs)


def callback(fun: Callable, *args, **kwargs) -> None:
    """Call ``fun(*args, **kwargs)`` on the arguments' NumPy values, also from inside
    ``jit``, ``vmap`` and ``grad`` (JAX: ``jax.debug.callback``).

    Args:
      fun: a Python function called for its side effect.
      args, kwargs: pytrees of arrays (tracers under a transform).

    Returns:
      None.

    Example:
      >>> import mini_ad as ad
      >>> seen = []
      >>> ad.vmap(lambda x: ad.debug.callback(seen.append, x) or x)(ad.numpy.arange(2.0))
      array([0., 1.])
      >>> seen
      [array(0.), array(1.)]
    """
    debug_callback(fun, *args, **kwargs)


__all__ = ["callback", "print"]
