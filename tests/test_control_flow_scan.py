"""``lax.scan``, ``lax.map`` and ``lax.fori_loop`` with static bounds (a scan).

Programs are written once against a lax-like and a numpy-like module and checked
through the shared checkers: all autodiff transforms against JAX (x64), the
vjp/jvp dot-product test, finite differences and vmap against a Python loop.
"""

import numpy as np
import pytest
from autodiff_checks import check_transforms_against_jax
from batching_checks import check_batched_like_loop
from control_flow_checks import check_derivatives, check_jacobians_against_jax

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RNG = np.random.default_rng(7)
XS = RNG.normal(size=(4, 2))
W = RNG.normal(size=(2, 2)) * 0.5


def _cumulative(lx, np_):
    def f(xs):
        carry, ys = lx.scan(lambda c, x: (c * np_.sin(x) + x, c * x), np_.ones(2), xs)
        return np_.sum(ys, axis=0) + carry

    return f


def _reverse_with_consts(lx, np_):
    def f(xs, w):
        body = lambda c, x: (np_.tanh(w @ c + x), np_.sum(c * x))
        carry, ys = lx.scan(body, np_.zeros(2), xs, reverse=True)
        return np_.concatenate([carry, ys])

    return f


def _pytree_carry(lx, np_):
    def f(xs, w):
        def body(carry, x):
            a, (b, n) = carry
            return (a + x * b, (b * np_.cos(a), n + 1)), {"y": a[0] * b[1]}

        (a, (b, _)), out = lx.scan(body, (xs[0], (w[0], 0)), xs)
        return a + b + np_.sum(out["y"])

    return f


def _fori_static(lx, np_):
    return lambda x, w: lx.fori_loop(0, 5, lambda i, c: np_.sin(c * w) + i * 0.1, x)


def _map(lx, np_):
    return lambda xs, w: lx.map(lambda x: np_.exp(x) @ w, xs)


def _no_xs(lx, np_):
    return lambda x: lx.scan(lambda c, _: (c * 1.1 + np_.sin(c), None), x, None, length=3)[0]


PROGRAMS = [
    ("cumulative", _cumulative, (XS,)),
    ("reverse-consts", _reverse_with_consts, (XS, W)),
    ("pytree-carry", _pytree_carry, (XS, W)),
    ("fori-static", _fori_static, (XS[0], W[0])),
    ("map", _map, (XS, W)),
    ("no-xs", _no_xs, (XS[0],)),
]


@pytest.mark.parametrize("name, factory, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_jacobians_match_jax(name, factory, args):
    check_jacobians_against_jax(factory(lax, mnp), factory(jax.lax, jnp), args)


@pytest.mark.parametrize("name, factory, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_dot_product_and_finite_differences(name, factory, args):
    check_derivatives(factory(lax, mnp), args)


def test_every_transform_matches_jax():
    _, factory, args = PROGRAMS[1]
    check_transforms_against_jax(factory(lax, mnp), factory(jax.lax, jnp), args)


def test_rnn_of_50_steps_grad_matches_jax():
    rng = np.random.default_rng(0)
    params = {
        "wh": rng.normal(size=(8, 8)) * 0.3,
        "wx": rng.normal(size=(3, 8)),
        "b": rng.normal(size=8),
    }
    xs = rng.normal(size=(50, 3))

    def rnn_loss(np_, lx, p, xs):
        def step(h, x):
            h = np_.tanh(h @ p["wh"] + x @ p["wx"] + p["b"])
            return h, np_.sum(h**2)

        h, losses = lx.scan(step, np_.zeros(8), xs)
        return np_.mean(losses) + np_.sum(h)

    ours = ad.grad(lambda p, x: rnn_loss(mnp, lax, p, x), (0, 1))(params, xs)
    theirs = jax.grad(lambda p, x: rnn_loss(jnp, jax.lax, p, x), (0, 1))(params, xs)
    for a, e in zip(
        jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs), strict=True
    ):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)
    jitted = ad.jit(ad.grad(lambda p, x: rnn_loss(mnp, lax, p, x)))(params, xs)
    for a, e in zip(
        jax.tree_util.tree_leaves(jitted), jax.tree_util.tree_leaves(theirs[0]), strict=True
    ):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def test_values_match_jax_for_pytrees_and_weak_carry():
    ours = lax.scan(lambda c, x: (c + x, {"a": c * x}), 0, np.arange(4.0))
    theirs = jax.lax.scan(lambda c, x: (c + x, {"a": c * x}), 0, jnp.arange(4.0))
    np.testing.assert_allclose(ours[0], theirs[0])
    np.testing.assert_allclose(ours[1]["a"], theirs[1]["a"])
    assert np.asarray(ours[0]).dtype == np.float64  # the int init took the carry's type


@pytest.mark.parametrize(
    "program",
    [
        lambda lx, np_: lambda xs: lx.scan(lambda c, x: (c + x, c * x), 0.0, xs),
        lambda lx, np_: lambda x: lx.fori_loop(0, 3, lambda i, c: c * i, x),
    ],
    ids=["scan", "fori_loop"],
)
def test_printed_like_jax(program):
    arg = np.arange(4.0) if "xs" in program(lax, mnp).__code__.co_varnames else 1.0
    ours = str(ad.make_jaxpr(program(lax, mnp))(arg))
    theirs = str(jax.make_jaxpr(program(jax.lax, jnp))(arg))
    assert ours == theirs
    assert "num_consts=0" in ours and "unroll=1" in ours


def test_grad_jaxpr_is_two_scans_with_stacked_residuals():
    f = lambda x: lax.scan(lambda c, y: (c * mnp.sin(y), c), x, mnp.arange(3.0))[0]
    jaxpr = ad.make_jaxpr(ad.grad(f))(1.0)
    scans = [e for e in jaxpr.eqns if e.primitive.name == "scan"]
    assert [e.params["reverse"] for e in scans] == [False, True]
    assert any(v.aval.shape == (3,) for v in scans[0].outputs[2:])  # a stacked residual
    ad.typecheck_jaxpr(jaxpr.jaxpr)


def test_loop_invariant_residuals_are_not_stacked():
    """A weight matrix used by every step is passed once to the linear scan."""
    w = RNG.normal(size=(5, 5))
    f = lambda h: lax.scan(lambda c, _: (mnp.sin(c @ w), None), h, None, length=10)[0]
    _, f_jvp = ad.linearize(f, np.ones(5))
    jaxpr = ad.make_jaxpr(f_jvp)(np.ones(5))
    (linear_scan,) = [e for e in jaxpr.eqns if e.primitive.name == "scan"]
    shapes = [x.aval.shape for x in linear_scan.inputs]
    assert (5, 5) in shapes and (10, 5, 5) not in shapes


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lax.scan(lambda c, x: (c, x), 0.0, None), "no values to scan over"),
        (lambda: lax.scan(lambda c, x: (c, x), 0.0, np.ones(3), length=4), "disagrees"),
        (lambda: lax.scan(lambda c, x: (c, x), 0.0, (np.ones(3), np.ones(2))), "different leading"),
        (lambda: lax.scan(lambda c, x: (c, x), 0.0, np.float64(1.0)), "no leading axis"),
        (lambda: lax.scan(lambda c, x: c, 0.0, np.ones(3)), "must be a pair"),
        (lambda: lax.scan(lambda c, x: ((c, c), x), 0.0, np.ones(3)), "same pytree"),
        (lambda: lax.scan(lambda c, x: (mnp.ones(2), x), 0.0, np.ones(3)), "equal types"),
    ],
)
def test_errors(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


# --- vmap -------------------------------------------------------------------------------------


def _vmap_program(xs, h0, w):
    return lax.scan(lambda c, x: (mnp.tanh(c * w + x), c * x), h0, xs)


def test_vmap_matches_loop():
    examples = [(RNG.normal(size=(3, 2)), RNG.normal(size=2), RNG.normal(size=2)) for _ in range(3)]
    for batched in [(0,), (1,), (2,), (0, 1, 2)]:
        check_batched_like_loop(_vmap_program, examples, batched, in_axes=(1, 0, 0))


def test_per_example_grads_of_scan_match_jax():
    xs, h0 = RNG.normal(size=(4, 3, 2)), RNG.normal(size=(4, 2))
    loss = lambda np_, lx: (
        lambda x, h, w: np_.sum(lx.scan(lambda c, y: (np_.tanh(c * w + y), c * y), h, x)[1])
    )
    ours = ad.vmap(ad.grad(loss(mnp, lax), (0, 1, 2)), (0, 0, None))(xs, h0, W[0])
    theirs = jax.vmap(jax.grad(loss(jnp, jax.lax), (0, 1, 2)), (0, 0, None))(xs, h0, W[0])
    for a, e in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)
