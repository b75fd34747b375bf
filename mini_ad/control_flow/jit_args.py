"""Checking and normalizing the arguments of ``jit``: hashable static arguments, backends and
devices, and the XLA runner imported only when asked for."""

from __future__ import annotations

import inspect

from mini_ad.transforms.staging import aval_of


def _static_argnums_error(fun, nums) -> str | None:
    """JAX's check: a static position the function cannot take (no ``*args``)."""
    try:
        params = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = [p.kind for p in params]
    if inspect.Parameter.VAR_POSITIONAL in kinds:
        return None
    n = sum(
        k in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for k in kinds
    )
    if any(not -n <= i < n for i in nums):
        return (
            f"Jitted function {getattr(fun, '__name__', fun)!r} has static_argnums="
            f"{tuple(nums)}, but only accepts {n} positional arguments."
        )
    return None


def _aval(x):
    try:
        return aval_of(x)
    except TypeError:
        raise TypeError(
            f"Argument {x!r} of type {type(x)} is not a valid mini_ad type: pass arrays, "
            "Python scalars or pytrees of them, or mark the argument static (static_argnums)."
        ) from None


def _check_backend(backend):
    if backend not in ("numpy", "xla"):
        raise ValueError(f'jit: backend must be "numpy" or "xla", got {backend!r}')
    return backend


def _backend_params(backend, device) -> dict:
    """jit_p's params beyond ``jaxpr`` and ``name`` (none for NumPy: jaxprs print as before)."""
    params = {} if backend == "numpy" else {"backend": backend, "device": device}
    return {k: v for k, v in params.items() if v is not None}


def _import_xla():
    """``mini_ad.interop.xla``, or an ImportError that names the extra to install."""
    try:
        # JAX is optional: the XLA backend is imported on first use
        from mini_ad.interop import xla  # layering: lazy
    except ImportError as err:
        raise ImportError(
            'mini_ad.jit(..., backend="xla") needs JAX, which is not installed: '
            'pip install "mini_ad[jax]"'
        ) from err
    return xla


def _check_hashable(value):
    try:
        hash(value)
    except TypeError as e:
        raise ValueError(
            "Non-hashable static arguments are not supported. An error occurred while trying "
            f"to hash an object of type {type(value)}, {value!r}. The error was:\n"
            f"TypeError: {e}"
        ) from None
