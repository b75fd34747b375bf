"""Configuration: one context-local object, like the current trace.

``config.update(name, value)`` changes an option for the current context (a thread or an
asyncio task starts with the values of the context that created it); ``with
config.override(name=value):`` changes it for a block and restores it in ``finally``.
Nothing here is process-wide: two threads may run with different options.

>>> from mini_ad.core.config import config
>>> config.disable_jit
False
>>> with config.override(disable_jit=True):
...     config.disable_jit
True
>>> config.disable_jit
False
"""

from __future__ import annotations

import contextlib
import contextvars
from types import MappingProxyType

# name -> (default, what it means)
OPTIONS = {
    "disable_jit": (False, "run jit-decorated functions eagerly, op by op"),
    "debug_nans": (False, "raise FloatingPointError where a NaN is produced"),
    "debug_infs": (False, "raise FloatingPointError where an inf is produced"),
    "jit_backend": ("numpy", 'what jit(f) compiles to when it names no backend: "numpy" or "xla"'),
}

_values: contextvars.ContextVar = contextvars.ContextVar(
    "mini_ad_config", default=MappingProxyType({k: v for k, (v, _) in OPTIONS.items()})
)


class Config:
    """The options in force in the current context, read as attributes."""

    __slots__ = ()

    def __getattr__(self, name: str):
        values = _values.get()
        if name not in values:
            raise AttributeError(f"mini_ad.config has no option '{name}'; options: {_names()}")
        return values[name]

    def update(self, name: str, value) -> None:
        """Set option ``name`` for the current context (JAX: ``jax.config.update``)."""
        _check(name)
        values = dict(_values.get())
        values[name] = value
        _values.set(MappingProxyType(values))
        _notify()

    @contextlib.contextmanager
    def override(self, **options):
        """Set options for the duration of a ``with`` block."""
        for name in options:
            _check(name)
        token = _values.set(MappingProxyType({**_values.get(), **options}))
        _notify()
        try:
            yield self
        finally:
            _values.reset(token)
            _notify()

    def values(self) -> dict:
        """A copy of every option's current value."""
        return dict(_values.get())


# Called after every change of options, in the context that changed them (mini_ad.debug
# swaps in its NaN-checking trace here, so that checks cost nothing while they are off).
watchers: list = []


def _notify() -> None:
    for watcher in watchers:
        watcher()


def _names() -> str:
    return ", ".join(sorted(OPTIONS))


def _check(name: str) -> None:
    if name not in OPTIONS:
        raise AttributeError(f"mini_ad.config has no option '{name}'; options: {_names()}")


config = Config()

__all__ = ["OPTIONS", "Config", "config"]
