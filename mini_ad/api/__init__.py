"""The public transforms: pytree shells around the flat cores of ``mini_ad.transforms``.

One module per transform family, over the shared shell ``_shell`` (argument checks,
flattening, ``argnums``, ``has_aux``):

* ``autodiff``: ``jvp``, ``linearize``, ``vjp``, ``linear_transpose``
* ``gradients``: ``grad``, ``value_and_grad``, ``stop_gradient``
* ``jacobians``: ``jacfwd``, ``jacrev``, ``hessian``
* ``vectorize``: ``vmap``
* ``staging``: ``make_jaxpr``, ``ShapeDtypeStruct``
* ``taylor``: ``jet``, ``derivatives``, ``taylor_coefficients`` (Taylor mode)

``jit``, ``custom_jvp``, ``custom_vjp``, ``checkpoint`` and ``remat`` live in
``mini_ad.control_flow`` and are re-exported here. Return structures and error types
follow JAX (see ``shared/JAX_FACTS.md``).
"""

from mini_ad.api.autodiff import jvp, linear_transpose, linearize, vjp
from mini_ad.api.gradients import grad, stop_gradient, value_and_grad
from mini_ad.api.jacobians import hessian, jacfwd, jacrev
from mini_ad.api.staging import ShapeDtypeStruct, make_jaxpr
from mini_ad.api.taylor import derivatives, jet, taylor_coefficients
from mini_ad.api.vectorize import vmap
from mini_ad.control_flow import checkpoint, custom_jvp, custom_vjp, jit, remat

__all__ = [
    "checkpoint", "custom_jvp", "custom_vjp", "jit", "remat",
    "ShapeDtypeStruct", "grad", "hessian", "jacfwd", "jacrev", "jvp", "linear_transpose",
    "linearize", "make_jaxpr", "stop_gradient", "value_and_grad", "vjp", "vmap",
    "derivatives", "jet", "taylor_coefficients",
]  # fmt: skip
