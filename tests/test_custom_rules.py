"""``custom_jvp`` and ``custom_vjp``: the user's rule replaces differentiation.

Each rule is checked against JAX's same ``jax.custom_jvp`` / ``jax.custom_vjp``
(x64), under grad, jit, vmap and nesting, and the printed equations against JAX's.
"""

import functools

import numpy as np
import pytest
from control_flow_checks import assert_trees_allclose

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy


def make_log1pexp(ad_, np_):
    """log(1 + e^x) with a numerically safe derivative 1 - 1/(1 + e^x)."""

    @ad_.custom_jvp
    def log1pexp(x):
        return np_.log(1.0 + np_.exp(x))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return log1pexp(x), t * (1.0 - 1.0 / (1.0 + np_.exp(x)))

    return log1pexp


def make_clip_gradient(ad_, np_):
    """The identity, whose cotangent is clipped to [lo, hi] in the backward pass."""

    @functools.partial(ad_.custom_vjp, nondiff_argnums=(0, 1))
    def clip_gradient(lo, hi, x):
        return x

    def fwd(lo, hi, x):
        return x, None

    def bwd(lo, hi, _, g):
        return (np_.clip(g, lo, hi),)

    clip_gradient.defvjp(fwd, bwd)
    return clip_gradient


log1pexp = make_log1pexp(ad, mnp)
jax_log1pexp = make_log1pexp(jax, jnp)
clip_gradient = make_clip_gradient(ad, mnp)
jax_clip_gradient = make_clip_gradient(jax, jnp)


# --- custom_jvp -------------------------------------------------------------------------------


def test_safe_log1pexp_has_finite_grads_where_the_naive_one_does_not():
    x = np.float32(100.0)  # e^100 overflows float32
    naive = ad.grad(lambda x: mnp.log(1.0 + mnp.exp(x)))(x)
    assert np.isnan(naive)
    safe = ad.grad(log1pexp)(x)
    assert safe == 1.0 and safe.dtype == np.float32
    assert np.asarray(jax.grad(jax_log1pexp)(x)) == 1.0


@pytest.mark.parametrize(
    "name, transform",
    [
        ("grad", lambda ad_, f: ad_.grad(f)),
        ("jit(grad)", lambda ad_, f: ad_.jit(ad_.grad(f))),
        ("grad(jit)", lambda ad_, f: ad_.grad(ad_.jit(f))),
        ("grad(grad)", lambda ad_, f: ad_.grad(ad_.grad(f))),
        ("vmap(grad)", lambda ad_, f: ad_.vmap(ad_.grad(f))),
        ("grad(vmap)", lambda ad_, f: ad_.grad(lambda x: ad_.vmap(f)(x).sum())),
        ("jacfwd", lambda ad_, f: ad_.jacfwd(f)),
        ("jvp", lambda ad_, f: lambda x: ad_.jvp(f, (x,), (x * 0.5 + 1.0,))),
    ],
)
def test_custom_jvp_composes_like_jax(name, transform):
    x = np.array([-3.0, 0.5, 40.0]) if "vmap" in name or name in ("jacfwd", "jvp") else 2.5
    ours = transform(ad, log1pexp)(x)
    theirs = jax.jit(transform(jax, jax_log1pexp))(x)
    assert_trees_allclose(ours, theirs, what=name)


def test_custom_jvp_rule_is_used_not_the_function():
    @ad.custom_jvp
    def f(x):
        return mnp.sin(x)

    f.defjvp(lambda p, t: (f(p[0]), 3.0 * t[0]))  # deliberately not cos
    assert float(ad.grad(f)(0.7)) == 3.0
    assert float(ad.grad(ad.jit(f))(0.7)) == 3.0
    np.testing.assert_allclose(ad.vmap(ad.grad(f))(np.ones(2)), [3.0, 3.0])


def test_defjvps_and_nondiff_argnums_match_jax():
    def build(ad_, np_):
        @ad_.custom_jvp
        def f(x, y):
            return np_.sin(x) * y

        f.defjvps(lambda t, ans, x, y: np_.cos(x) * t * y, lambda t, ans, x, y: np_.sin(x) * t)

        @functools.partial(ad_.custom_jvp, nondiff_argnums=(0,))
        def g(power, x):
            return x**power

        @g.defjvp
        def g_jvp(power, primals, tangents):
            return g(power, primals[0]), power * primals[0] ** (power - 1) * tangents[0]

        return lambda x, y: f(x, y) + g(3, x)

    ours = ad.grad(build(ad, mnp), (0, 1))(0.4, 1.7)
    theirs = jax.grad(build(jax, jnp), (0, 1))(0.4, 1.7)
    assert_trees_allclose(ours, theirs)


def test_custom_jvp_prints_like_jax():
    ours = str(ad.make_jaxpr(log1pexp)(1.0))
    theirs = str(jax.make_jaxpr(jax_log1pexp)(1.0))
    assert ours == theirs
    assert "custom_jvp_call[\n      name=log1pexp" in ours and "jvp=log1pexp_jvp" in ours


def test_custom_jvp_errors():
    @ad.custom_jvp
    def no_rule(x):
        return x

    with pytest.raises(AttributeError, match="No JVP defined"):
        no_rule(1.0)

    @ad.custom_jvp
    def bad_structure(x):
        return x

    bad_structure.defjvp(lambda p, t: (p[0], (t[0], t[0])))
    with pytest.raises(TypeError, match="equal container"):
        ad.jvp(bad_structure, (1.0,), (1.0,))

    @ad.custom_jvp
    def bad_type(x):
        return x

    bad_type.defjvp(lambda p, t: (p[0], mnp.ones(2)))
    with pytest.raises(TypeError, match="corresponding shapes and dtypes"):
        ad.grad(bad_type)(1.0)

    def closes_over(y):
        @ad.custom_jvp
        def f(x):
            return x * y

        f.defjvp(lambda p, t: (f(p[0]), t[0]))
        return f(2.0)

    with pytest.raises(TypeError, match="closed-over value"):
        ad.grad(closes_over)(3.0)


# --- custom_vjp -------------------------------------------------------------------------------


def _clipped_loss(ad_, np_, clip):
    return lambda x: np_.sum(clip(-1.0, 1.0, 3.0 * x) ** 2)


XS = np.array([0.1, 2.0, -0.05, -4.0])


@pytest.mark.parametrize(
    "name, transform",
    [
        ("grad", lambda ad_, f: ad_.grad(f)),
        ("jit(grad)", lambda ad_, f: ad_.jit(ad_.grad(f))),
        ("grad(jit)", lambda ad_, f: ad_.grad(ad_.jit(f))),
        (
            "vmap(grad)",
            lambda ad_, f: lambda x: ad_.vmap(ad_.grad(lambda v: f(v[None])))(x[:, None]),
        ),
        ("jit(vmap(grad))", lambda ad_, f: ad_.jit(ad_.vmap(ad_.grad(lambda v: f(v[None]))))),
        ("grad(vmap)", lambda ad_, f: ad_.grad(lambda x: ad_.vmap(lambda v: f(v[None]))(x).sum())),
        ("jacrev", lambda ad_, f: ad_.jacrev(f)),
    ],
)
def test_gradient_clipping_composes_like_jax(name, transform):
    x = XS[:, None] if name == "jit(vmap(grad))" else XS
    ours = transform(ad, _clipped_loss(ad, mnp, clip_gradient))(x)
    theirs = jax.jit(transform(jax, _clipped_loss(jax, jnp, jax_clip_gradient)))(x)
    assert_trees_allclose(ours, theirs, what=name)
    # the gradient of (3x)² with the cotangent of 3x clipped: 3 clip(6x, -1, 1), not 18x
    if name == "grad":
        np.testing.assert_allclose(ours, 3.0 * np.clip(6.0 * XS, -1.0, 1.0))


def test_custom_vjp_with_pytrees_and_residuals_matches_jax():
    def build(ad_, np_):
        @ad_.custom_vjp
        def f(params, x):
            return {"out": np_.tanh(params["w"] * x) + params["b"]}

        def fwd(params, x):
            y = np_.tanh(params["w"] * x)
            return {"out": y + params["b"]}, (y, params["w"], x)

        def bwd(res, g):
            y, w, x = res
            d = g["out"] * (1.0 - y**2)
            return {"w": d * x, "b": g["out"]}, None  # None: zero cotangent for x

        f.defvjp(fwd, bwd)
        return lambda p, x: np_.sum(f(p, x)["out"] ** 2)

    params = {"w": np.array([0.5, -1.0]), "b": np.array([0.1, 0.2])}
    ours = ad.grad(build(ad, mnp), (0, 1))(params, np.array([1.0, 2.0]))
    theirs = jax.grad(build(jax, jnp), (0, 1))(params, np.array([1.0, 2.0]))
    assert_trees_allclose(ours, theirs)
    assert np.all(np.asarray(ours[1]) == 0.0)


def test_custom_vjp_inside_scan_and_under_checkpoint():
    def loss(ad_, lx, np_, clip):
        body = lambda c, x: (np_.sin(clip(-0.5, 0.5, c * x)), c)
        return lambda x: np_.sum(lx.scan(ad_.checkpoint(body), x, np_.arange(1.0, 4.0))[1])

    ours = ad.grad(loss(ad, lax, mnp, clip_gradient))(0.8)
    theirs = jax.grad(loss(jax, jax.lax, jnp, jax_clip_gradient))(0.8)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_custom_vjp_prints_like_jax():
    ours = ad.make_jaxpr(lambda x: clip_gradient(-1.0, 1.0, x))(1.0)
    theirs = jax.make_jaxpr(lambda x: jax_clip_gradient(-1.0, 1.0, x))(1.0)
    assert str(ours) == str(theirs)
    assert "custom_vjp_call[\n      name=clip_gradient\n      bwd=bwd" in str(ours)


def test_custom_vjp_errors():
    with pytest.raises(
        TypeError, match=r"can't apply forward-mode autodiff \(jvp\) to a custom_vjp"
    ):
        ad.jvp(lambda x: clip_gradient(-1.0, 1.0, x), (1.0,), (1.0,))

    @ad.custom_vjp
    def f(x):
        return x

    f.defvjp(lambda x: (x, None), lambda res, g: g)  # not a tuple
    with pytest.raises(TypeError, match="must produce a tuple of length equal to the number"):
        ad.grad(f)(1.0)

    @ad.custom_vjp
    def undefined(x):
        return x

    with pytest.raises(AttributeError, match="No VJP defined"):
        undefined(1.0)

    @ad.custom_vjp
    def bad_fwd(x):
        return x

    bad_fwd.defvjp(lambda x: x, lambda res, g: (g,))
    with pytest.raises(TypeError, match="fwd rule must produce a pair"):
        ad.grad(bad_fwd)(1.0)
