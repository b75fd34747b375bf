"""The two namespaces a case runs against: ``np`` is ``mini_ad.numpy`` or ``jax.numpy``,
with ``np.nn``, ``np.lax``, ``np.scipy`` and ``np.ad`` (the transforms: ``mini_ad`` or
``jax``) attached.

On the mini_ad side a missing module or attribute raises ``MissingFeature`` (an
``Unsupported``), so a case using a feature that is not built yet is reported as
*unsupported* rather than passed or failed. On the JAX side a missing name is a bug in
the case and raises a plain AttributeError.
"""

from __future__ import annotations

import importlib
import types

from mini_ad.interop.compare_libs import Unsupported


class MissingFeature(Unsupported, AttributeError):
    pass


_SUBMODULES = {"linalg", "special", "nn", "lax", "scipy", "tree_util"}


class Namespace:
    def __init__(self, label, target, extras=None, missing_is_unsupported=False):
        self._label = label
        self._target = target  # a module or object, or a module path imported on first use
        self._extras = extras or {}
        self._unsupported = missing_is_unsupported

    def _resolve(self):
        if isinstance(self._target, str):
            try:
                self._target = importlib.import_module(self._target)
            except ModuleNotFoundError as e:
                if self._unsupported and e.name and self._target.startswith(e.name):
                    raise MissingFeature(f"{self._label} does not exist yet") from None
                raise
        return self._target

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._extras:
            value = self._extras[name]
        else:
            target = self._resolve()
            if not hasattr(target, name) and isinstance(target, types.ModuleType):
                try:  # a submodule not imported yet, e.g. scipy.special
                    importlib.import_module(f"{target.__name__}.{name}")
                except ModuleNotFoundError:
                    pass
            if not hasattr(target, name):
                if self._unsupported:
                    raise MissingFeature(f"{self._label}.{name} does not exist yet")
                raise AttributeError(f"{self._label} has no attribute {name!r}")
            value = getattr(target, name)
        if isinstance(value, (str, types.ModuleType)) or name in _SUBMODULES:
            value = Namespace(f"{self._label}.{name}", value, None, self._unsupported)
            setattr(self, name, value)
        return value

    def __repr__(self):
        return f"<namespace {self._label}>"


def mini_namespace() -> Namespace:
    import mini_ad

    extras = {"nn": "mini_ad.nn", "lax": "mini_ad.lax", "scipy": "mini_ad.scipy", "ad": mini_ad}
    return Namespace("mini_ad.numpy", "mini_ad.numpy", extras, missing_is_unsupported=True)


def jax_namespace() -> Namespace:
    import jax

    import mini_ad.interop.jax  # noqa: F401 - turns on x64

    importlib.import_module("jax.scipy.special")
    # ``np.at(x)[i].set(v)``: mini_ad's spelling of ``x.at``, which NumPy arrays lack
    extras = {
        "nn": jax.nn,
        "lax": jax.lax,
        "scipy": jax.scipy,
        "ad": jax,
        "at": lambda x: jax.numpy.asarray(x).at,
    }
    return Namespace("jax.numpy", "jax.numpy", extras)
