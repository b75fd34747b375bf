"""The backends a workload is timed on, loaded once, with a reason for each one missing.

Column order is the order of ``BACKENDS``. ``numpy`` is the hand-written NumPy gradient
(the floor); ``jax`` is JAX with x64 enabled but no jit; ``jax_jit`` reports its compile
time (the first call) separately from the steady state.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field

import numpy as np

BACKENDS = ("mini_ad", "mini_ad_jit", "mini_ad_xla", "autograd", "jax", "jax_jit", "torch", "numpy")
LABELS = {
    "mini_ad": "mini_ad eager",
    "mini_ad_jit": "mini_ad jit",
    "mini_ad_xla": "mini_ad jit(xla)",
    "autograd": "HIPS autograd",
    "jax": "JAX eager",
    "jax_jit": "jax.jit",
    "torch": "PyTorch eager",
    "numpy": "hand NumPy",
}
JIT_BACKENDS = ("mini_ad_jit", "mini_ad_xla", "jax_jit")


@dataclass
class Env:
    """Imported modules (``None`` when missing) and why each missing backend is skipped."""

    ad: object
    mnp: object
    jit: object = None  # mini_ad.jit, once it exists
    xla_jit: object = None  # mini_ad.jit(..., backend="xla"), when JAX is installed
    ag: object = None
    anp: object = None
    jax: object = None
    jnp: object = None
    torch: object = None
    skipped: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def has(self, backend: str) -> bool:
        return backend not in self.skipped


def load_env() -> Env:
    """Import every backend that is installed; record a message for each one that is not."""
    import mini_ad as ad
    import mini_ad.numpy as mnp

    env = Env(ad=ad, mnp=mnp)
    env.versions["numpy"] = np.__version__
    env.jit = getattr(ad, "jit", None)
    if env.jit is None:
        env.skipped["mini_ad_jit"] = "not built: mini_ad has no jit yet"
    try:
        import autograd
        import autograd.numpy as anp

        env.ag, env.anp = autograd, anp
        env.versions["autograd"] = _dist_version("autograd")
    except ImportError as e:
        env.skipped["autograd"] = f"autograd not installed ({e})"
    try:
        import jax
        import jax.numpy as jnp

        jax.config.update("jax_enable_x64", True)
        env.jax, env.jnp = jax, jnp
        env.versions["jax"] = jax.__version__
        env.versions["jaxlib"] = _dist_version("jaxlib")
        env.versions["jax devices"] = ", ".join(str(d) for d in jax.devices())
    except ImportError as e:
        env.skipped["jax"] = env.skipped["jax_jit"] = f"jax not installed ({e})"
    try:
        import functools

        import mini_ad.interop.xla  # noqa: F401 - the XLA backend of mini_ad.jit

        env.xla_jit = functools.partial(ad.jit, backend="xla")
    except ImportError as e:
        env.skipped["mini_ad_xla"] = f"mini_ad's XLA backend unavailable ({e})"
    if importlib.util.find_spec("torch") is None:
        env.skipped["torch"] = "torch not installed: the PyTorch column is skipped"
    else:
        torch = importlib.import_module("torch")
        torch.set_num_threads(1)
        env.torch = torch
        env.versions["torch"] = torch.__version__
    return env


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def to_numpy_leaves(value) -> list[np.ndarray]:
    """Flatten a backend's result (nested tuples, lists, dicts of arrays) to NumPy arrays.

    Dicts are visited in sorted key order, so the same pytree from two libraries lines up.
    """
    if isinstance(value, dict):
        return [leaf for k in sorted(value) for leaf in to_numpy_leaves(value[k])]
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in to_numpy_leaves(v)]
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return [np.asarray(value)]


def block(value):
    """Wait for JAX's asynchronous dispatch, so a timed call includes the work it started."""
    if hasattr(value, "block_until_ready"):
        return value.block_until_ready()
    if isinstance(value, dict):
        for v in value.values():
            block(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            block(v)
    return value
