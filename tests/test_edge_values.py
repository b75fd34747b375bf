"""Regression tests for values that were silently wrong (issue 13, item 2), each against
JAX (x64): ``grad`` of a batched ``cond`` whose untaken branch has a NaN derivative,
duplicated ``argnums``, and ``hypot``/``logaddexp``/``logaddexp2`` at zeros, infinities
and NaN.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402

INF, NAN = np.inf, np.nan


def assert_same(ours, theirs):
    ours, theirs = jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-13, atol=0)


# --- batched cond under grad ---------------------------------------------------------------


def _batched_cond(np_, lax):
    def f(x):
        per_example = lambda v: lax.cond(v > 0, np_.sqrt, lambda v: -v, v)  # noqa: E731
        vmap = ad.vmap if np_ is mnp else jax.vmap
        return np_.sum(vmap(per_example)(x))

    return f


@pytest.mark.parametrize("x", [[4.0, -1.0, 9.0], [-2.0, -3.0], [0.0, 1.0], [-0.0, 2.0]])
def test_grad_of_batched_cond_ignores_untaken_branch(x):
    x = np.array(x)
    ours, theirs = _batched_cond(mnp, ad.lax), _batched_cond(jnp, jax.lax)
    assert_same(ad.grad(ours)(x), jax.grad(theirs)(x))
    assert_same(ad.jit(ad.grad(ours))(x), jax.grad(theirs)(x))
    t = np.ones_like(x)
    assert_same(ad.jvp(ours, (x,), (t,)), jax.jvp(theirs, (x,), (t,)))


def test_grad_of_batched_switch_with_unbatched_operand():
    """An unbatched operand (here ``w``) is guarded per branch too."""

    def make(np_, lax, vmap):
        def f(x, w):
            branches = [
                lambda v, w: np_.log(v) * w,
                lambda v, w: np_.sqrt(-v) + w,
                lambda v, w: v * w,
            ]
            per = lambda v: lax.switch(np_.where(v > 0, 0, 1) + (v == 0), branches, v, w)  # noqa: E731
            return np_.sum(vmap(per)(x))

        return f

    x, w = np.array([2.0, -3.0, 0.0, 5.0]), 1.5
    ours, theirs = make(mnp, ad.lax, ad.vmap), make(jnp, jax.lax, jax.vmap)
    assert_same(ad.grad(ours, argnums=(0, 1))(x, w), jax.grad(theirs, argnums=(0, 1))(x, w))


# --- duplicated argnums ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "transform", [ad.grad, ad.value_and_grad, ad.jacfwd, ad.jacrev, ad.hessian]
)
@pytest.mark.parametrize("argnums", [(0, 0), (1, -1), [0, 1, 0]])
def test_duplicated_argnums_is_a_clear_value_error(transform, argnums):
    with pytest.raises(ValueError, match=r"argnums=.* names positional argument \d more than once"):
        transform(lambda x, y: x * y, argnums=argnums)(2.0, 3.0)


def test_distinct_argnums_still_work():
    assert_same(ad.grad(lambda x, y: x * y, argnums=(1, 0))(2.0, 3.0), (2.0, 3.0))


# --- hypot, logaddexp, logaddexp2 at edge points ---------------------------------------------

EDGE_POINTS = [
    (0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (0.0, 2.0), (-2.0, 0.0), (3.0, 4.0), (-3.0, 4.0),
    (1.0, 1.0), (INF, INF), (-INF, -INF), (INF, -INF), (INF, 1.0), (-1.0, -INF),
    (NAN, 1.0), (2.0, NAN), (NAN, INF), (1e200, 1e200), (1e-200, 3e-200),
]  # fmt: skip
# Points where XLA on CPU flushes subnormals to zero (1e-310, or a tangent 1/1e308) are left
# out: there NumPy's IEEE result is the right one and JAX's is an artefact of its backend.


@pytest.mark.parametrize("name", ["hypot", "logaddexp", "logaddexp2"])
@pytest.mark.parametrize("x, y", EDGE_POINTS)
def test_binary_edge_values_and_derivatives_match_jax(name, x, y):
    ours, theirs = getattr(mnp, name), getattr(jnp, name)
    with np.errstate(all="ignore"):
        assert_same(ours(x, y), theirs(x, y))
        assert_same(ad.grad(ours, argnums=(0, 1))(x, y), jax.grad(theirs, argnums=(0, 1))(x, y))
        for t in [(1.0, 0.0), (0.0, 1.0), (1.0, -2.0)]:
            assert_same(ad.jvp(ours, (x, y), t), jax.jvp(theirs, (x, y), t))


def test_hypot_at_the_origin_is_half_half():
    assert_same(ad.grad(mnp.hypot, argnums=(0, 1))(0.0, 0.0), (0.5, 0.5))


@pytest.mark.parametrize("name", ["hypot", "logaddexp", "logaddexp2"])
def test_binary_edge_values_batched_and_jitted(name):
    """The same points as arrays, under ``vmap(grad)``, ``jit(grad)`` and ``grad(grad)``."""
    x = np.array([p[0] for p in EDGE_POINTS])
    y = np.array([p[1] for p in EDGE_POINTS])
    ours, theirs = getattr(mnp, name), getattr(jnp, name)
    with np.errstate(all="ignore"):
        assert_same(ours(x, y), theirs(x, y))
        g_ours = ad.vmap(ad.grad(ours, argnums=(0, 1)))(x, y)
        assert_same(g_ours, jax.vmap(jax.grad(theirs, argnums=(0, 1)))(x, y))
        assert_same(ad.jit(ad.vmap(ad.grad(ours, argnums=(0, 1))))(x, y), g_ours)
        finite = np.isfinite(x) & np.isfinite(y) & (np.abs(x) < 1e100)
        xf, yf = x[finite], y[finite]
        h_ours = ad.vmap(ad.grad(ad.grad(ours)))(xf + 0.5, yf)
        assert_same(h_ours, jax.vmap(jax.grad(jax.grad(theirs)))(xf + 0.5, yf))


def test_hypot_keeps_float32():
    x = np.float32([0.0, 3.0])
    assert mnp.hypot(x, 4.0).dtype == np.float32
    assert ad.grad(lambda v: mnp.sum(mnp.hypot(v, v)))(x).dtype == np.float32
