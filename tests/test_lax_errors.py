"""The new ``mini_ad.lax`` functions reject what JAX rejects, with JAX's exception type,
and their pooling derivatives compose with vmap, jit and second order as JAX's do."""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
from mini_ad import lax as ml

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jl = jax.lax

X = np.arange(12.0).reshape(3, 4)

# (id, call with a lax module) -> both libraries raise the same exception type
CASES = [
    ("top_k-k-too-big", lambda lx: lx.top_k(X, 5)),
    ("sort-num_keys", lambda lx: lx.sort((X, X), num_keys=3)),
    ("cumsum-bool", lambda lx: lx.cumprod(X > 1)),
    ("cummax-axis", lambda lx: lx.cummax(X, axis=2)),
    ("index_in_dim-out-of-bounds", lambda lx: lx.index_in_dim(X, 3, axis=0)),
    ("split-sizes", lambda lx: lx.split(X, (1, 1), axis=0)),
    ("tile-reps", lambda lx: lx.tile(X, (2,))),
    ("dot-rank-3", lambda lx: lx.dot(np.ones((2, 3, 4)), np.ones((4, 2)))),
    ("reciprocal-int", lambda lx: lx.reciprocal(np.arange(3))),
    ("dynamic_slice_in_dim-negative", lambda lx: lx.dynamic_slice_in_dim(
        X, -1, 2, allow_negative_indices=False)),
    ("associative_scan-lengths", lambda lx: lx.associative_scan(
        lx.add, (np.ones(3), np.ones(4)))),
    ("associative_scan-not-callable", lambda lx: lx.associative_scan(1, np.ones(3))),
    ("index_take-unsorted", lambda lx: lx.index_take(
        X, (np.array([0]), np.array([1])), (1, 0))),
]  # fmt: skip


@pytest.mark.parametrize("call", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_same_exception_type_as_jax(call):
    with pytest.raises(Exception) as jax_error:
        call(jl)
    with pytest.raises(jax_error.type):
        call(ml)


def test_negative_window_padding_is_refused_by_name():
    with pytest.raises(NotImplementedError, match="negative padding"):
        ml.reduce_window(X, 0.0, ml.add, (2, 2), (1, 1), [(-1, 0), (0, 0)])


def _max_pool(lx):
    return lambda x: lx.reduce_window(x, -np.inf, lx.max, (2, 2), (1, 1), "SAME")


def test_max_pool_ties_per_example_gradients_match_jax():
    # integer-valued images: many ties, each resolved as JAX resolves it
    x = np.random.default_rng(0).integers(0, 3, (2, 3, 4)).astype(np.float64)

    def loss(lx, np_):
        return lambda img: np_.sum(_max_pool(lx)(img) ** 2)

    mini = ad.jit(ad.vmap(ad.grad(loss(ml, ad.numpy))))(x)
    ref = jax.jit(jax.vmap(jax.grad(loss(jl, jax.numpy))))(x)
    np.testing.assert_allclose(mini, ref, rtol=1e-12)
    # second order away from ties (at ties JAX's forward and reverse rules may pick
    # different tied elements, so its Hessian is not J^T J there)
    smooth = np.random.default_rng(1).permutation(12).reshape(3, 4) * 0.5
    mini_h = ad.hessian(loss(ml, ad.numpy))(smooth)
    ref_h = jax.jit(jax.hessian(loss(jl, jax.numpy)))(smooth)
    np.testing.assert_allclose(mini_h, ref_h, rtol=1e-12)


def test_cummax_and_top_k_ties_match_jax():
    x = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [2.0, 2.0, 1.0, 2.0, 0.0]])

    def f(lx, reverse):
        return lambda v: lx.cummax(v, axis=1, reverse=reverse).sum() + lx.top_k(v, 3)[0].sum()

    for reverse in (False, True):
        expected = jax.jit(jax.grad(f(jl, reverse)))(x)
        np.testing.assert_allclose(ad.grad(f(ml, reverse))(x), expected)


@pytest.mark.parametrize("field", ["window_dimensions", "window_strides"])
def test_reduce_window_with_the_wrong_number_of_window_entries_is_a_type_error(field):
    import jax

    args = {"window_dimensions": (2, 2), "window_strides": (1, 1)}
    args[field] = (2,)
    with pytest.raises(TypeError, match=field):
        jax.lax.reduce_window(np.ones((4, 4)), 0.0, jax.lax.add, padding="VALID", **args)
    with pytest.raises(TypeError, match=field):
        ml.reduce_window(np.ones((4, 4)), 0.0, ml.add, padding="VALID", **args)
