"""Shared checkers for the autodiff tests; every table row runs through the same ones.

* ``check_transforms_against_jax``: value, grad, jvp, vjp, jacfwd, jacrev and hessian
  of a mini_ad function equal JAX's (x64) for the same function in ``jax.lax``.
* ``check_vjp_against_jvp``: the dot-product test ``<u, J v> == <J^T u, v>`` with both
  sides from mini_ad (exact up to rounding, unlike finite differences).
* ``check_linear_transpose``: the same test for ``linear_transpose`` of a linear function.
* ``assert_like_jax``: equal tree structure, shapes, dtypes and values.
"""

from __future__ import annotations

import numpy as np

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core.avals import float0
from mini_ad.tree_util import tree_flatten, tree_map

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RTOL = 1e-10
ATOL = 1e-12


def rtol_for(tree) -> float:
    """A few ulps of the least precise float leaf: 1e-10 for float64, 1e-5 for float32."""
    leaves = [np.asarray(x) for x in tree_flatten(tree)[0]]
    return 1e-5 if any(x.dtype == np.float32 for x in leaves) else RTOL


def assert_like_jax(actual, expected, what: str, rtol=RTOL, atol=ATOL) -> None:
    """``actual`` (mini_ad) has ``expected``'s (JAX's) tree, shapes, dtypes and values."""
    actual_tree = jax.tree_util.tree_structure(actual)
    expected_tree = jax.tree_util.tree_structure(expected)
    assert actual_tree == expected_tree, f"{what}: tree {actual_tree} != JAX's {expected_tree}"
    for a, e in zip(
        jax.tree_util.tree_leaves(actual), jax.tree_util.tree_leaves(expected), strict=True
    ):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"{what}: shape {a.shape} != JAX's {e.shape}"
        assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != JAX's {e.dtype}"
        if a.dtype != float0:
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def random_like(rng, tree):
    """Standard-normal values shaped like each leaf (float0 zeros for int/bool leaves)."""

    def leaf(x):
        x = np.asarray(x)
        if not np.issubdtype(x.dtype, np.inexact):
            return np.zeros(x.shape, float0)
        return rng.normal(size=x.shape).astype(x.dtype)

    return tree_map(leaf, tree)


def inner(xs, ys) -> float:
    """``sum <x, y>`` over the float leaves of two trees of one structure."""
    x_leaves, x_tree = tree_flatten(xs)
    y_leaves, y_tree = tree_flatten(ys)
    assert x_tree == y_tree, f"{x_tree} != {y_tree}"
    return float(
        sum(
            np.sum(np.asarray(x) * np.asarray(y))
            for x, y in zip(x_leaves, y_leaves, strict=True)
            if np.asarray(x).dtype != float0
        )
    )


def _to_jax(tree):
    return tree_map(lambda x: x if np.asarray(x).dtype == float0 else jnp.asarray(x), tree)


def _contract(a, b, ndim: int, dtype):
    return np.tensordot(np.asarray(a), np.asarray(b), axes=ndim).astype(dtype)


def check_transforms_against_jax(
    mini_fn, jax_fn, args, modes=("fwd", "rev"), jax_modes=("fwd", "rev"), atol=ATOL, hessian=True
) -> None:
    """Every autodiff transform of ``mini_fn`` at ``args`` equals JAX's of ``jax_fn``.

    JAX computes the value, the Jacobian and the Hessian of a random scalarization
    ``sum(w * f)`` in one jitted call (compiling once per row keeps the suite fast);
    the expected grad, jvp and vjp are contractions of JAX's Jacobian with ``w``, the
    tangents and the cotangent. ``modes`` are the modes mini_ad supports for this
    function and ``jax_modes`` those JAX does (it has no forward mode for custom_vjp
    and no reverse mode for while_loop); Hessians use the supported mode twice.
    """
    rtol = rtol_for(args)
    rng = np.random.default_rng(0)
    argnums = tuple(range(len(args)))
    out = mini_fn(*args)
    out_ndim = np.ndim(out)
    weights = rng.normal(size=np.shape(out))

    def mini_scalar(*a):
        return mnp.sum(mini_fn(*a) * weights)

    def jax_scalar(*a):
        return jnp.sum(jax_fn(*a) * weights)

    j_jacobian = jax.jacrev if "rev" in jax_modes else jax.jacfwd
    j_hessian = {
        ("fwd", "rev"): jax.hessian,
        ("rev",): lambda f, n: jax.jacrev(jax.jacrev(f, n), n),
        ("fwd",): lambda f, n: jax.jacfwd(jax.jacfwd(f, n), n),
    }[tuple(jax_modes)]

    @jax.jit
    def jax_reference(*a):
        j_hess = j_hessian(jax_scalar, argnums)(*a) if hessian else None
        return jax_fn(*a), j_jacobian(jax_fn, argnums)(*a), j_hess

    j_out, j_jac, j_hess = jax_reference(*_to_jax(args))
    tangents = random_like(rng, args)
    cotangent = random_like(rng, out)
    out_dtype = np.asarray(out).dtype
    assert_like_jax(out, j_out, "value", rtol, atol)
    if "rev" in modes:
        expected_grad = tuple(
            _contract(weights, j, out_ndim, x.dtype) for j, x in zip(j_jac, args, strict=True)
        )
        expected_vjp = tuple(
            _contract(cotangent, j, out_ndim, x.dtype) for j, x in zip(j_jac, args, strict=True)
        )
        assert_like_jax(ad.grad(mini_scalar, argnums)(*args), expected_grad, "grad", rtol, atol)
        assert_like_jax(ad.vjp(mini_fn, *args)[1](cotangent), expected_vjp, "vjp", rtol, atol)
        assert_like_jax(ad.jacrev(mini_fn, argnums)(*args), j_jac, "jacrev", rtol, atol)
    if "fwd" in modes:
        expected_jvp = sum(
            _contract(j, t, np.ndim(t), out_dtype) for j, t in zip(j_jac, tangents, strict=True)
        )
        _, t_out = ad.jvp(mini_fn, args, tangents)
        assert_like_jax(t_out, expected_jvp, "jvp", rtol, atol)
        assert_like_jax(ad.jacfwd(mini_fn, argnums)(*args), j_jac, "jacfwd", rtol, atol)
    if not hessian:
        return
    mini_hessian = {
        ("fwd", "rev"): ad.hessian,
        ("rev",): lambda f, n: ad.jacrev(ad.jacrev(f, n), n),
        ("fwd",): lambda f, n: ad.jacfwd(ad.jacfwd(f, n), n),
    }[tuple(modes)]
    assert_like_jax(mini_hessian(mini_scalar, argnums)(*args), j_hess, "hessian", rtol, atol)


def check_vjp_against_jvp(fn, args) -> None:
    """``<u, jvp(v)> == <vjp(u), v>`` for random ``u`` and ``v``."""
    rtol = rtol_for(args)
    rng = np.random.default_rng(1)
    v = random_like(rng, args)
    out, jv = ad.jvp(fn, args, v)
    u = random_like(rng, out)
    _, vjp_fn = ad.vjp(fn, *args)
    ju = vjp_fn(u)
    assert isinstance(ju, tuple) and len(ju) == len(args)
    np.testing.assert_allclose(inner(u, jv), inner(ju, v), rtol=rtol, atol=1e-12)


def check_linear_transpose(fn, args) -> None:
    """For linear ``fn``: ``<ct, fn(v)> == <fn^T(ct), v>``, and ``fn^T`` equals ``vjp``'s."""
    rtol = rtol_for(args)
    rng = np.random.default_rng(2)
    v = random_like(rng, args)
    out = fn(*v)
    ct = random_like(rng, out)
    transposed = ad.linear_transpose(fn, *args)(ct)
    assert isinstance(transposed, tuple) and len(transposed) == len(args)
    np.testing.assert_allclose(inner(ct, out), inner(transposed, v), rtol=rtol, atol=1e-12)
    via_vjp = ad.vjp(fn, *args)[1](ct)
    for a, b in zip(tree_flatten(transposed)[0], tree_flatten(via_vjp)[0], strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12)
