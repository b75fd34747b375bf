"""mini_ad: composable JAX-style transforms of pure Python functions, on NumPy.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> ad.grad(lambda x: mnp.sin(x) * x)(0.0)
array(0.)
"""

from mini_ad import errors, lax, numpy, optim, tree, tree_util  # noqa: F401 - numpy also wires tracer operators  # noqa: F401  # noqa: F401 - `import mini_ad` makes them attributes
from mini_ad._version import __version__
from mini_ad.api import (
    ShapeDtypeStruct,
    checkpoint,
    custom_jvp,
    custom_vjp,
    derivatives,
    grad,
    hessian,
    jacfwd,
    jacrev,
    jet,
    jit,
    jvp,
    linear_transpose,
    linearize,
    make_jaxpr,
    remat,
    stop_gradient,
    taylor_coefficients,
    value_and_grad,
    vjp,
    vmap,
)
from mini_ad.control_flow.lowered import disable_jit
from mini_ad.core.avals import ShapedArray, float0
from mini_ad.core.config import config
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, eval_jaxpr
from mini_ad.core.typecheck import typecheck_jaxpr
from mini_ad.debug import debug_infs, debug_nans
from mini_ad.explain import explain

__all__ = [
    "__version__", "checkpoint", "config", "custom_jvp", "custom_vjp", "disable_jit", "jit", "remat",
    "debug_infs", "debug_nans", "explain",
    "ClosedJaxpr", "Jaxpr", "ShapeDtypeStruct", "ShapedArray", "eval_jaxpr", "float0", "grad",
    "hessian", "jacfwd", "jacrev", "jvp", "linear_transpose", "linearize", "make_jaxpr",
    "stop_gradient", "typecheck_jaxpr", "value_and_grad", "vjp", "vmap",
    "derivatives", "jet", "taylor_coefficients",
]  # fmt: skip

from mini_ad import random  # noqa: E402, F401 - makes mini_ad.random an attribute, as jax.random
