"""``named_call`` and ``named_scope``: give part of a program a name that jaxprs show.

``named_call(f, name="block")`` runs ``f`` as it is when called eagerly; under a
transform it stages ``f`` as a call equation with ``name=block``: the ``jit`` primitive
(JAX prints its own calls ``jit[name=...]`` too), so every transform already knows it and
jit inlines it. ``named_scope("block")`` is the same as a decorator; as a context manager
it records the name on a stack (``current_name_stack``), as JAX's name stack, which the
printed jaxpr does not show.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable

from mini_ad.control_flow.jit import Jitted
from mini_ad.core.tracing import current_trace, eval_trace

_name_stack: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "mini_ad_name_stack", default=()
)


def named_call(fun: Callable, *, name: str | None = None) -> Callable:
    """``fun``, shown as a call named ``name`` in jaxprs (JAX: ``jax.named_call``).

    Args:
      fun: the function.
      name: the name shown (default: ``fun.__name__``).

    Returns:
      A function with ``fun``'s signature and results.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> block = ad.named_call(lambda x: mnp.sin(x) * 2.0, name="block")
      >>> print(ad.make_jaxpr(block)(1.0))
      { lambda ; a:f64[]. let
          b:f64[] = jit[
            name=block
            jaxpr={ lambda ; c:f64[]. let
                d:f64[] = sin c
                e:f64[] = mul d 2.0:f64[]
              in (e,) }
          ] a
        in (b,) }
    """
    name = name or getattr(fun, "__name__", "named_call")
    staged = Jitted(fun)
    staged.__name__ = name  # type: ignore[attr-defined]

    @functools.wraps(fun)
    def call(*args, **kwargs):
        if current_trace() is eval_trace:
            return fun(*args, **kwargs)
        return staged(*args, **kwargs)

    return call


class named_scope(contextlib.ContextDecorator):  # noqa: N801 - JAX's name
    """A name for a block of code (JAX: ``jax.named_scope``): as a decorator it is
    ``named_call``; as a context manager it pushes ``name`` on the name stack.

    Args:
      name: the scope's name.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> with ad.named_scope("layer1"):
      ...     ad.api.named.current_name_stack()
      ('layer1',)
      >>> @ad.named_scope("dense")
      ... def dense(x):
      ...     return x * 2.0
      >>> "name=dense" in str(ad.make_jaxpr(dense)(1.0))
      True
    """

    def __init__(self, name: str):
        if not isinstance(name, str):
            raise TypeError(f"named_scope name must be a string, got {name!r}.")
        self.name = name
        self._tokens = []

    def __call__(self, fun: Callable) -> Callable:  # type: ignore[override]
        return named_call(fun, name=self.name)

    def __enter__(self):
        self._tokens.append(_name_stack.set((*_name_stack.get(), self.name)))
        return self

    def __exit__(self, *exc):
        _name_stack.reset(self._tokens.pop())
        return False


def current_name_stack() -> tuple[str, ...]:
    """The names of the enclosing ``named_scope`` blocks, outermost first.

    Returns:
      A tuple of names.

    Examples:
      >>> current_name_stack()
      ()
    """
    return _name_stack.get()


__all__ = ["current_name_stack", "named_call", "named_scope"]
