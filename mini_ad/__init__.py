"""mini_ad: composable JAX-style transforms of pure Python functions, on NumPy.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> ad.grad(lambda x: mnp.sin(x) * x)(0.0)
array(0.)
"""

# `import mini_ad` makes the namespaces attributes, as `import jax` does (numpy also wires
# the tracer operators)
from mini_ad import errors, lax, nn, numpy, optim, scipy, tree, tree_util  # noqa: F401
from mini_ad._version import __version__
from mini_ad.api import (
    ShapeDtypeStruct,
    checkpoint,
    closure_convert,
    custom_gradient,
    custom_jvp,
    custom_vjp,
    derivatives,
    eval_shape,
    grad,
    hessian,
    jacfwd,
    jacobian,
    jacrev,
    jet,
    jit,
    jvp,
    linear_transpose,
    linearize,
    make_jaxpr,
    named_call,
    named_scope,
    pure_callback,
    remat,
    stop_gradient,
    taylor_coefficients,
    value_and_grad,
    vjp,
    vmap,
)
from mini_ad.control_flow.lowered import disable_jit
from mini_ad.core.array import Array
from mini_ad.core.avals import ShapedArray, float0
from mini_ad.core.config import config
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, eval_jaxpr
from mini_ad.core.typecheck import typecheck_jaxpr
from mini_ad.debug import debug_infs, debug_nans
from mini_ad.explain import explain

__all__ = [
    "Array", "__version__", "checkpoint", "config", "custom_jvp", "custom_vjp", "disable_jit",
    "jit", "remat", "debug_infs", "debug_nans", "explain",
    "ClosedJaxpr", "Jaxpr", "ShapeDtypeStruct", "ShapedArray", "eval_jaxpr", "float0", "grad",
    "hessian", "jacfwd", "jacrev", "jvp", "linear_transpose", "linearize", "make_jaxpr",
    "stop_gradient", "typecheck_jaxpr", "value_and_grad", "vjp", "vmap",
    "derivatives", "jet", "taylor_coefficients", "debug", "eval_shape", "jacobian",
    "pure_callback", "closure_convert", "custom_gradient", "ad_checkpoint",
    "checkpoint_policies", "named_call", "named_scope",
]  # fmt: skip

# attributes, as in jax
from mini_ad import ad_checkpoint, debug, random  # noqa: E402, F401
from mini_ad.api import checkpoint_policies  # noqa: E402, F401


def __getattr__(name: str):
    """``mini_ad.testing`` on first use (PEP 562): its ``check_against_jax`` reaches back to
    this package through ``mini_ad.interop``, so importing it here would make a cycle.

    Args:
      name: the attribute asked for.

    Returns:
      The ``mini_ad.testing`` module.

    >>> import mini_ad
    >>> mini_ad.testing.check_grads.__name__
    'check_grads'
    """
    if name == "testing":
        import importlib

        return importlib.import_module("mini_ad.testing")
    raise AttributeError(f"module 'mini_ad' has no attribute {name!r}")
