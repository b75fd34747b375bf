"""vmap composed with the other transforms, and the Jacobians built on it, against JAX.

Each row builds the same program from a library namespace ``L`` (mini_ad or JAX:
``L.np`` is ``mini_ad.numpy`` or ``jax.numpy``) and both results must agree in tree
structure, shapes, dtypes and values (``assert_like_jax``, x64).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from autodiff_checks import assert_like_jax

import mini_ad as ad
import mini_ad.lax as mlax
import mini_ad.numpy as mnp
from mini_ad.core.typecheck import typecheck_jaxpr  # noqa: E402

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

TRANSFORMS = ("vmap", "grad", "value_and_grad", "jvp", "vjp", "linearize", "jacfwd", "jacrev", "hessian")  # fmt: skip
TRANSFORMS += ("custom_jvp", "custom_vjp")
MINI = SimpleNamespace(np=mnp, lax=mlax, **{name: getattr(ad, name) for name in TRANSFORMS})
JAX = SimpleNamespace(
    np=jax.numpy, lax=jax.lax, **{name: getattr(jax, name) for name in TRANSFORMS}
)

rng = np.random.default_rng(1)
N_EXAMPLES = 4
PARAMS = {
    "w1": rng.normal(size=(3, 5)),
    "b1": rng.normal(size=5),
    "w2": rng.normal(size=(5, 2)),
    "b2": rng.normal(size=2),
}
XS = rng.normal(size=(N_EXAMPLES, 3))
YS = rng.normal(size=(N_EXAMPLES, 2))
X = rng.normal(size=(N_EXAMPLES, 3))
T = rng.normal(size=(N_EXAMPLES, 3))
CT = rng.normal(size=(N_EXAMPLES, 2))


def mlp_loss(L):
    def loss(params, x, y):
        hidden = L.np.tanh(x @ params["w1"] + params["b1"])
        return L.np.mean((hidden @ params["w2"] + params["b2"] - y) ** 2)

    return loss


def vec_fun(L):
    """R^3 -> R^2, nonlinear in every input."""
    return lambda x: L.np.stack([L.np.sin(x[0]) * x[1], L.np.exp(x[2]) + x[0] ** 2])


def scalar_fun(L):
    return lambda x: L.np.sum(L.np.tanh(x) * x[::-1]) + L.np.prod(x)


def branchy(L):
    """Python control flow on a concrete primal: fine under jacfwd/jacrev/hessian. (The
    JAX reference uses lax.cond, so it can be jitted like the other rows.)"""
    positive = lambda x: L.np.sin(x) * x[1] ** 3
    negative = lambda x: L.np.cos(x) * x[2]

    def f(x):
        if L is JAX:
            return jax.lax.cond(x[0] > 0, positive, negative, x)
        return positive(x) if x[0] > 0 else negative(x)

    return f


def tree_fun(L):
    return lambda p: {"u": p["a"] * L.np.sum(p["b"]), "v": (L.np.tanh(p["b"]) * p["a"][0],)}


def control_flow_fun(L):
    """cond, fori_loop, custom_vjp and custom_jvp: their batch rules under vmap."""

    @L.custom_vjp
    def twice_sin_grad(x):
        return L.np.sin(x)

    twice_sin_grad.defvjp(lambda x: (L.np.sin(x), L.np.cos(x)), lambda c, g: (2.0 * c * g,))

    @L.custom_jvp
    def exp_slope3(x):
        return L.np.exp(x)

    exp_slope3.defjvp(lambda p, t: (exp_slope3(p[0]), 3.0 * t[0]))

    def f(x):
        y = L.lax.cond(x > 0, lambda v: v * 2.0, lambda v: -v, x)
        power = L.lax.fori_loop(0, 3, lambda i, c: c * x, 1.0)
        return twice_sin_grad(y) + exp_slope3(x) + power

    return f


TREE_ARG = {"a": rng.normal(size=2), "b": rng.normal(size=(2, 2))}

CASES = [
    # per-example gradients and friends
    ("per-example-grads", lambda L: L.vmap(L.grad(mlp_loss(L)), in_axes=(None, 0, 0)), (PARAMS, XS, YS)),
    ("ensemble-grads", lambda L: L.vmap(L.grad(mlp_loss(L)), in_axes=({"w1": 0, "b1": None, "w2": None, "b2": None}, None, None)), ({**PARAMS, "w1": np.stack([PARAMS["w1"]] * 2) * [[[1.0]], [[2.0]]]}, XS[0], YS[0])),
    ("per-example-value-and-grad", lambda L: L.vmap(L.value_and_grad(mlp_loss(L), argnums=(1, 2)), in_axes=(None, 0, 0)), (PARAMS, XS, YS)),
    ("grad-of-vmap", lambda L: L.grad(lambda p, xs, ys: L.np.sum(L.vmap(mlp_loss(L), in_axes=(None, 0, 0))(p, xs, ys))), (PARAMS, XS, YS)),
    ("vmap-grad-grad", lambda L: L.vmap(L.grad(L.grad(lambda x: L.np.sin(x) * x ** 3))), (X[:, 0],)),
    ("vmap-grad-control-flow", lambda L: L.vmap(L.grad(control_flow_fun(L))), (X[:, 0],)),
    ("jacrev-vmap-control-flow", lambda L: L.jacrev(L.vmap(control_flow_fun(L))), (X[:, 1],)),
    # forward and reverse mode under vmap
    ("vmap-jvp", lambda L: L.vmap(lambda x, t: L.jvp(vec_fun(L), (x,), (t,))), (X, T)),
    ("vmap-jvp-shared-tangent", lambda L: L.vmap(lambda x, t: L.jvp(vec_fun(L), (x,), (t,)), in_axes=(0, None)), (X, T[0])),
    ("vmap-vjp", lambda L: L.vmap(lambda x, ct: L.vjp(vec_fun(L), x)[1](ct)), (X, CT)),
    ("vmap-vjp-fn", lambda L: (lambda x, cts: L.vmap(L.vjp(vec_fun(L), x)[1])(cts)), (X[0], CT)),
    ("vmap-linearized", lambda L: (lambda x, ts: L.vmap(L.linearize(vec_fun(L), x)[1])(ts)), (X[0], T)),
    ("jvp-of-vmap", lambda L: lambda x, t: L.jvp(L.vmap(vec_fun(L)), (x,), (t,)), (X, T)),
    # Jacobians: under vmap, of vmap, and on their own
    ("vmap-jacfwd", lambda L: L.vmap(L.jacfwd(vec_fun(L))), (X,)),
    ("vmap-jacrev", lambda L: L.vmap(L.jacrev(vec_fun(L))), (X,)),
    ("vmap-hessian", lambda L: L.vmap(L.hessian(scalar_fun(L))), (X,)),
    ("jacfwd-of-vmap", lambda L: L.jacfwd(L.vmap(vec_fun(L))), (X,)),
    ("jacrev-of-vmap", lambda L: L.jacrev(L.vmap(vec_fun(L))), (X,)),
    ("jacfwd", lambda L: L.jacfwd(vec_fun(L)), (X[0],)),
    ("jacrev", lambda L: L.jacrev(vec_fun(L)), (X[0],)),
    ("hessian", lambda L: L.hessian(scalar_fun(L)), (X[0],)),
    ("hessian-vector-valued", lambda L: L.hessian(vec_fun(L)), (X[0],)),
    ("jacfwd-tree", lambda L: L.jacfwd(tree_fun(L)), (TREE_ARG,)),
    ("jacrev-tree", lambda L: L.jacrev(tree_fun(L)), (TREE_ARG,)),
    ("hessian-tree", lambda L: L.hessian(lambda p: L.np.sum(tree_fun(L)(p)["u"] ** 2)), (TREE_ARG,)),
    ("hessian-mlp-params", lambda L: L.hessian(mlp_loss(L)), ({"w1": PARAMS["w1"], "b1": PARAMS["b1"], "w2": PARAMS["w2"], "b2": PARAMS["b2"]}, XS[0], YS[0])),
    ("jacfwd-argnums", lambda L: L.jacfwd(lambda a, b: a * L.np.sum(b ** 2), argnums=(0, 1)), (X[0], T[0])),
    ("jacrev-argnums", lambda L: L.jacrev(lambda a, b: a * L.np.sum(b ** 2), argnums=(0, 1)), (X[0], T[0])),
    ("jacfwd-has-aux", lambda L: L.jacfwd(lambda x: (L.np.sin(x), x[0]), has_aux=True), (X[0],)),
    ("jacrev-has-aux", lambda L: L.jacrev(lambda x: (L.np.sin(x), {"s": x[0]}), has_aux=True), (X[0],)),
    ("jacrev-scalar-in-out", lambda L: L.jacrev(lambda x: x ** 3), (2.0,)),
    ("jacfwd-matrix", lambda L: L.jacfwd(lambda m: m @ m.T), (X[:2],)),
    ("jacfwd-constant-output", lambda L: L.jacfwd(lambda x: (L.np.sin(x), L.np.ones(2))), (X[0],)),
    ("jacfwd-branchy", lambda L: L.jacfwd(branchy(L)), (X[0],)),
    ("jacrev-branchy", lambda L: L.jacrev(branchy(L)), (-X[0],)),
    ("hessian-branchy", lambda L: L.hessian(lambda x: L.np.sum(branchy(L)(x))), (X[1],)),
]  # fmt: skip


@pytest.mark.parametrize("build, args", [pytest.param(b, a, id=i) for i, b, a in CASES])
def test_like_jax(build, args):
    expected = jax.jit(build(JAX))(*args)  # one compilation, not one per eager operation
    actual = build(MINI)(*args)
    assert_like_jax(actual, expected, "result")


def test_per_example_grads_equal_a_python_loop():
    per_example = ad.vmap(ad.grad(mlp_loss(MINI)), in_axes=(None, 0, 0))(PARAMS, XS, YS)
    for b in range(N_EXAMPLES):
        one = ad.grad(mlp_loss(MINI))(PARAMS, XS[b], YS[b])
        for key in PARAMS:
            np.testing.assert_allclose(per_example[key][b], one[key], rtol=1e-12)


def test_staged_vmap_prints_like_jax_and_typechecks():
    f = lambda L: L.vmap(lambda x, y: L.np.sin(x) * y, in_axes=(1, None))
    args = (np.ones((2, 3)), 2.0)
    closed = ad.make_jaxpr(f(MINI))(*args)
    typecheck_jaxpr(closed.jaxpr)
    assert str(closed) == str(jax.make_jaxpr(f(JAX))(*args))
    np.testing.assert_allclose(closed(*args)[0], np.sin(args[0].T) * 2.0)


def test_staged_per_example_grads_typecheck_and_evaluate():
    loss = mlp_loss(MINI)
    fn = ad.vmap(ad.grad(loss), in_axes=(None, 0, 0))
    closed = ad.make_jaxpr(fn)(PARAMS, XS, YS)
    typecheck_jaxpr(closed.jaxpr)
    flat = [PARAMS[k] for k in sorted(PARAMS)] + [XS, YS]
    staged = closed(*flat)
    direct = fn(PARAMS, XS, YS)
    for value, key in zip(staged, sorted(PARAMS), strict=True):
        np.testing.assert_allclose(value, direct[key], rtol=1e-12)


def test_jacfwd_of_custom_vjp_is_a_type_error_as_in_jax():
    f = control_flow_fun(MINI)
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        ad.jacfwd(ad.vmap(f))(X[:, 0])
