"""Higher-order primitives: each carries sub-programs (``ClosedJaxpr``) as params.

* ``cond.py``       cond / switch (``cond``)
* ``scan.py``       scan / map (``scan``)
* ``while_loop.py`` while_loop / fori_loop (``while``; reverse mode beyond JAX)
* ``taylor_rules.py`` the Taylor-mode rules of ``while`` and ``jit``
* ``jit.py``        jit (``jit``)
* ``custom_jvp.py`` custom_jvp (``custom_jvp_call``)
* ``custom_vjp.py`` custom_vjp (``custom_vjp_call``, ``custom_lin``)
* ``checkpoint.py`` checkpoint / remat (``remat2``)
* ``common.py``     the Jaxpr-to-Jaxpr transforms their rules share
"""

from mini_ad.control_flow import taylor_rules  # noqa: F401, I001 - while's and jit's jet rules
from mini_ad.control_flow.checkpoint import checkpoint, remat, remat_p
from mini_ad.control_flow.cond import cond, cond_p, switch
from mini_ad.control_flow.custom_jvp import custom_jvp, custom_jvp_call_p
from mini_ad.control_flow.custom_vjp import custom_lin_p, custom_vjp, custom_vjp_call_p
from mini_ad.control_flow.jit import jit, jit_p
from mini_ad.control_flow.scan import map, scan, scan_p  # noqa: A004 - lax's name
from mini_ad.control_flow.while_loop import while_loop, while_p
from mini_ad.control_flow.fori_loop import fori_loop

__all__ = [
    "checkpoint", "cond", "cond_p", "custom_jvp", "custom_jvp_call_p", "custom_lin_p",
    "custom_vjp", "custom_vjp_call_p", "fori_loop", "jit", "jit_p", "map", "remat", "remat_p",
    "scan", "scan_p", "switch", "while_loop", "while_p",
]  # fmt: skip
