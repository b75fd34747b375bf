"""Interoperability with real JAX: the bridge (``to_jax``) and the cross-checker
(``check_against_jax``).

Nothing here is imported by mini_ad itself, and JAX is imported only when one of these
names is first used, so mini_ad never needs JAX installed.
"""

from __future__ import annotations

_LAZY = {
    "to_jax": "mini_ad.interop.jax",
    "eval_jaxpr_jax": "mini_ad.interop.jax",
    "NoLoweringError": "mini_ad.interop.jax",
    "check_against_jax": "mini_ad.interop.compare",
    "compare_programs": "mini_ad.interop.compare",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mini_ad.interop' has no attribute '{name}'")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = sorted(_LAZY)
