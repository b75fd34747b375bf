"""``checkpoint`` / ``remat``: the same gradients, with residuals recomputed.

Gradients equal those of the plain function and JAX's; the printed jaxpr of the
gradient equals JAX's, showing the forward values recomputed inside the backward
``remat2`` equation rather than saved.
"""

import numpy as np
import pytest
from control_flow_checks import assert_trees_allclose, check_derivatives

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.errors import TracerBoolConversionError

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X = np.array([0.4, -1.3, 2.2])


def _mlp(np_):
    def f(x, w):
        h = np_.tanh(x * w[0])
        h = np_.sin(h * w[1]) + h
        return np_.sum(np_.exp(-h * h))

    return f


W = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])

TRANSFORMS = [
    ("grad", lambda ad_, f: ad_.grad(f, (0, 1))),
    ("grad(grad)", lambda ad_, f: ad_.grad(lambda x, w: ad_.grad(f)(x, w).sum(), (0, 1))),
    ("jit(grad)", lambda ad_, f: ad_.jit(ad_.grad(f, (0, 1)))),
    ("vmap(grad)", lambda ad_, f: ad_.vmap(ad_.grad(f), (None, 0))),
    ("hessian", lambda ad_, f: ad_.hessian(f)),
]


@pytest.mark.parametrize("name, transform", TRANSFORMS, ids=[t[0] for t in TRANSFORMS])
def test_gradients_identical_to_plain_function_and_jax(name, transform):
    args = (X, np.stack([W, -W])) if name == "vmap(grad)" else (X, W)
    with_remat = transform(ad, ad.checkpoint(_mlp(mnp)))(*args)
    plain = transform(ad, _mlp(mnp))(*args)
    theirs = jax.jit(transform(jax, jax.checkpoint(_mlp(jnp))))(*args)
    assert_trees_allclose(with_remat, plain, rtol=1e-13, what="checkpoint vs plain")
    assert_trees_allclose(with_remat, theirs, what="checkpoint vs JAX")


def test_dot_product_and_finite_differences():
    check_derivatives(ad.checkpoint(_mlp(mnp)), (X, W))


def test_grad_jaxpr_shows_the_recomputation_like_jax():
    f = lambda np_: lambda x: np_.sin(np_.sin(x))
    ours = str(ad.make_jaxpr(ad.grad(ad.remat(f(mnp))))(1.0))
    theirs = str(jax.make_jaxpr(jax.grad(jax.checkpoint(f(jnp))))(1.0))
    assert ours == theirs
    # the primal is computed outside (residuals dropped) and again inside remat2
    outer, inner = ours.split("remat2[")
    assert outer.count("sin") == 2 and "cos" not in outer
    assert inner.count("sin") == 1 and inner.count("cos") == 2
    assert "differentiated=True" in inner and "prevent_cse=True" in inner


def test_staged_checkpoint_prints_like_jax():
    f = lambda np_: lambda x: np_.sin(np_.sin(x))
    ours = str(ad.make_jaxpr(ad.checkpoint(f(mnp)))(1.0))
    assert ours == str(jax.make_jaxpr(jax.checkpoint(f(jnp)))(1.0))
    assert "remat2[\n      differentiated=False" in ours


def test_linearized_checkpoint_saves_only_its_inputs():
    """The linear program's residuals are the checkpoint's inputs, not intermediates."""
    f = ad.checkpoint(lambda x: mnp.sin(mnp.cos(mnp.exp(x))))
    _, f_jvp = ad.linearize(f, X)
    jaxpr = ad.make_jaxpr(f_jvp)(X)
    (remat,) = [e for e in jaxpr.eqns if e.primitive.name == "remat2"]
    inner = [e.primitive.name for e in remat.params["jaxpr"].eqns]
    assert {"exp", "cos", "sin"} <= set(inner)  # recomputed in the linear program
    assert len(jaxpr.jaxpr.constvars) == 1  # the only residual is x itself
    np.testing.assert_allclose(jaxpr.consts[0], X)


def test_checkpointed_scan_body_matches_jax():
    def loss(ad_, lx, np_):
        body = ad_.checkpoint(lambda c, x: (np_.tanh(c * x + np_.sin(c)), c * x))
        return lambda c0, xs: np_.sum(lx.scan(body, c0, xs)[1])

    xs = np.linspace(-1.0, 1.0, 6)
    ours = ad.grad(loss(ad, lax, mnp), (0, 1))(0.3, xs)
    theirs = jax.grad(loss(jax, jax.lax, jnp), (0, 1))(0.3, xs)
    assert_trees_allclose(ours, theirs)


def test_static_argnums_and_python_control_flow():
    def f(x, n):
        for _ in range(n):
            x = mnp.sin(x)
        return x

    g = ad.checkpoint(f, static_argnums=(1,))
    np.testing.assert_allclose(ad.grad(g)(0.5, 3), ad.grad(f)(0.5, 3), rtol=1e-14)
    with pytest.raises(TracerBoolConversionError, match="for checkpoint"):
        ad.checkpoint(lambda x: x if x > 0 else -x)(1.0)
    saving = ad.checkpoint(f, policy=lambda *a, **k: True, static_argnums=(1,))
    np.testing.assert_allclose(ad.grad(saving)(0.5, 3), ad.grad(f)(0.5, 3), rtol=1e-14)
