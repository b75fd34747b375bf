"""Shared checkers for the control-flow, jit and custom-rule tests.

* ``check_jacobians_against_jax(mini_fn, jax_fn, args)``: value, ``jacfwd`` and
  ``jacrev`` of a mini_ad program equal JAX's value and Jacobian (x64), computed by
  one jitted JAX call (JAX compiles control flow slowly; one call per row keeps the
  suite fast). Together with ``check_derivatives`` this covers grad/jvp/vjp.
* ``check_derivatives(fn, args)``: the vjp/jvp dot-product test and finite
  differences to second order in forward and reverse mode.
* ``assert_trees_allclose(actual, expected)``: leafwise values of two pytrees.

The full per-transform comparison (``autodiff_checks.check_transforms_against_jax``,
with hessians) runs on one representative row per concept.
"""

from __future__ import annotations

import numpy as np
from autodiff_checks import check_vjp_against_jvp, rtol_for

import mini_ad as ad
from mini_ad.testing import check_grads
from mini_ad.tree_util import tree_flatten

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)


def assert_trees_allclose(actual, expected, rtol=1e-10, atol=1e-12, what="") -> None:
    actual_leaves, actual_tree = tree_flatten(actual)
    expected_leaves = jax.tree_util.tree_leaves(expected)
    assert len(actual_leaves) == len(expected_leaves), f"{what}: structure {actual_tree}"
    for k, (a, e) in enumerate(zip(actual_leaves, expected_leaves, strict=True)):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"{what} leaf {k}: shape {a.shape} != {e.shape}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=f"{what} leaf {k}")


def check_jacobians_against_jax(mini_fn, jax_fn, args) -> None:
    rtol = rtol_for(args)
    argnums = tuple(range(len(args)))

    @jax.jit
    def reference(*a):
        return jax_fn(*a), jax.jacrev(jax_fn, argnums)(*a)

    value, jacobian = reference(*args)
    assert_trees_allclose(mini_fn(*args), value, rtol, what="value")
    assert_trees_allclose(ad.jacrev(mini_fn, argnums)(*args), jacobian, rtol, what="jacrev")
    assert_trees_allclose(ad.jacfwd(mini_fn, argnums)(*args), jacobian, rtol, what="jacfwd")


def check_derivatives(fn, args, order: int = 2) -> None:
    check_vjp_against_jvp(fn, args)
    check_grads(fn, args, order=order, modes=("fwd", "rev"))
