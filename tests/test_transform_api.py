"""The everyday transform API around the core (issue 14): jit as a decorator factory,
the namespaces ``import mini_ad`` provides, and the smaller transforms JAX users reach for."""

import functools

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

# --- jit as a decorator factory ---------------------------------------------------------------


def test_jit_decorator_factory_static_argnames():
    @ad.jit(static_argnames=["n"])
    def repeat_double(x, n):
        for _ in range(n):
            x = x * 2.0
        return x

    assert repeat_double(1.0, n=3) == 8.0
    assert repeat_double(1.0, n=2) == 4.0


def test_jit_partial_static_argnums():
    @functools.partial(ad.jit, static_argnums=0)
    def scale(n, x):
        return x * n

    np.testing.assert_allclose(scale(3, mnp.ones(2)), [3.0, 3.0])
    assert scale._cache_size() == 1


# --- namespaces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["nn", "scipy", "testing", "random", "tree", "tree_util", "optim", "lax", "numpy"]
)
def test_import_mini_ad_makes_namespaces_attributes(name):
    assert hasattr(ad, name)


def test_scipy_special_is_an_attribute():
    np.testing.assert_allclose(ad.scipy.special.logsumexp(np.zeros(2)), np.log(2.0))


# --- jacobian, eval_shape --------------------------------------------------------------------


def test_jacobian_is_jacrev():
    jax = pytest.importorskip("jax")
    import mini_ad.interop.jax  # noqa: F401 - x64

    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(
        ad.jacobian(lambda x: mnp.sin(x) * x[0])(x),
        jax.jacobian(lambda x: jax.numpy.sin(x) * x[0])(x),
    )


def test_eval_shape_runs_nothing():
    calls = []

    def f(params, x):
        calls.append(1)
        return {"y": mnp.dot(x, params["w"]) + params["b"], "n": mnp.sum(x)}

    params = {"w": ad.ShapeDtypeStruct((3, 4), "float32"), "b": mnp.zeros(4)}
    out = ad.eval_shape(f, params, ad.ShapeDtypeStruct((5, 3), "float32"))
    assert out["y"] == ad.ShapeDtypeStruct((5, 4), "float64")
    assert out["n"] == ad.ShapeDtypeStruct((), "float32")
    assert calls == [1]  # traced once, abstractly


# --- debug.print / debug.callback ---------------------------------------------------------------


def _printing(x):
    ad.debug.print("x={} twice={t}", x, t=x * 2.0)
    return mnp.sin(x)


@pytest.mark.parametrize(
    "transform",
    [
        lambda f: f,
        ad.jit,
        ad.grad,
        lambda f: ad.jit(ad.grad(f)),
        lambda f: ad.grad(ad.jit(f)),
        lambda f: ad.checkpoint(f),
        lambda f: ad.grad(ad.checkpoint(f)),
    ],
    ids=["eager", "jit", "grad", "jit-grad", "grad-jit", "checkpoint", "grad-checkpoint"],
)
def test_debug_print_prints_primal_once(transform, capsys):
    transform(_printing)(1.0)
    assert capsys.readouterr().out == "x=1.0 twice=2.0\n"


@pytest.mark.parametrize("transform", [ad.vmap, lambda f: ad.jit(ad.vmap(f))])
def test_debug_print_under_vmap_prints_each_element(transform, capsys):
    transform(_printing)(mnp.arange(3.0))
    assert capsys.readouterr().out == "x=0.0 twice=0.0\nx=1.0 twice=2.0\nx=2.0 twice=4.0\n"


def test_jit_keeps_identical_unused_debug_prints(capsys):
    def f(x):
        ad.debug.print("tick")
        ad.debug.print("tick")
        ad.debug.print("{}", 3.0)  # constant inputs: not folded at compile time
        return x

    jitted = ad.jit(f)
    jitted(1.0)
    assert capsys.readouterr().out == "tick\ntick\n3.0\n"
    jitted(2.0)  # and again at every call (not at trace time only)
    assert capsys.readouterr().out == "tick\ntick\n3.0\n"


def test_debug_callback_receives_pytrees():
    seen = []
    ad.jit(lambda p: ad.debug.callback(lambda d: seen.append(sorted(d)), p) or p["a"])(
        {"a": 1.0, "b": mnp.ones(2)}
    )
    assert seen == [["a", "b"]]


# --- pure_callback -------------------------------------------------------------------------------

_SPEC = ad.ShapeDtypeStruct((), np.float64)


def _host_sinh(x):
    return ad.pure_callback(np.sinh, _SPEC, x, vmap_method="sequential")


def test_pure_callback_eager_jit():
    assert ad.jit(_host_sinh)(1.0) == np.sinh(1.0)
    assert _host_sinh(1.0) == np.sinh(1.0)


@pytest.mark.parametrize("method", ["sequential", "expand_dims", "broadcast_all"])
def test_pure_callback_vmap(method):
    def f(x, y):
        spec = ad.ShapeDtypeStruct(np.shape(x), np.float64)
        return ad.pure_callback(np.add, spec, x, y, vmap_method=method)

    xs = np.arange(3.0)
    np.testing.assert_allclose(ad.jit(ad.vmap(f, in_axes=(0, None)))(xs, 10.0), xs + 10.0)


def test_pure_callback_vmap_needs_a_method():
    with pytest.raises(NotImplementedError, match="vmap_method"):
        ad.vmap(lambda x: ad.pure_callback(np.sinh, _SPEC, x))(np.arange(2.0))


def test_pure_callback_is_not_differentiable():
    with pytest.raises(ValueError, match="Pure callbacks do not support JVP"):
        ad.grad(_host_sinh)(1.0)


# --- custom_gradient, closure_convert --------------------------------------------------------


def _with_custom_gradient(lib, np_):
    @lib.custom_gradient
    def clipped_square(x):
        return x**2, lambda g: (np_.clip(g * 2 * x, -1.0, 1.0),)

    @lib.custom_gradient
    def scaled_product(x, y):
        return x * y, lambda g: (g * y, 10.0 * g * x)

    def loss(x, y):
        return clipped_square(x) + scaled_product(x, y)

    return lib.jit(lib.grad(loss, argnums=(0, 1)))(3.0, 2.0), lib.vmap(lib.grad(clipped_square))(
        np_.array([0.1, 3.0])
    )


def test_custom_gradient_matches_jax():
    jax = pytest.importorskip("jax")
    import mini_ad.interop.jax  # noqa: F401 - x64

    ours = _with_custom_gradient(ad, mnp)
    theirs = _with_custom_gradient(jax, jax.numpy)
    for a, b in zip(
        jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs), strict=True
    ):
        np.testing.assert_allclose(a, b)


def _with_closure_convert(lib, np_):
    def outer(w):
        f = lambda x: np_.sin(w * x)  # noqa: E731
        converted, consts = lib.closure_convert(f, 1.0)
        return converted(2.0, *consts) + len(consts)

    return outer(0.5), lib.grad(outer)(0.5)


def test_closure_convert_matches_jax():
    jax = pytest.importorskip("jax")
    import mini_ad.interop.jax  # noqa: F401 - x64

    for a, b in zip(
        _with_closure_convert(ad, mnp), _with_closure_convert(jax, jax.numpy), strict=True
    ):
        np.testing.assert_allclose(a, b)


# --- named_call / named_scope --------------------------------------------------------------------


def test_named_call_is_a_named_call_equation():
    block = ad.named_call(lambda x: mnp.sin(x) * 2.0, name="block")
    closed = ad.make_jaxpr(block)(1.0)
    (eqn,) = closed.jaxpr.eqns
    assert eqn.params["name"] == "block" and "name=block" in str(closed)
    assert "name=block" in str(ad.make_jaxpr(ad.grad(block))(1.0))
    np.testing.assert_allclose(ad.grad(block)(1.0), 2 * np.cos(1.0))
    np.testing.assert_allclose(ad.vmap(block)(mnp.ones(2)), 2 * np.sin(np.ones(2)))
    assert block(1.0) == 2 * np.sin(1.0)


def test_named_scope_decorator_and_context_manager():
    @ad.named_scope("dense")
    def dense(x):
        return x * 2.0

    assert "name=dense" in str(ad.make_jaxpr(dense)(1.0))
    with ad.named_scope("outer"), ad.named_scope("inner"):
        assert ad.api.named.current_name_stack() == ("outer", "inner")
    assert ad.api.named.current_name_stack() == ()


# --- the vjp function is a pytree -------------------------------------------------------------


def _vjp_through_jit(lib, np_):
    _, vjp_fn = lib.vjp(lambda x, w: np_.sin(x * w), np_.arange(3.0), 2.0)
    leaves = lib.tree_util.tree_leaves(vjp_fn)
    return lib.jit(lambda f, ct: f(ct))(vjp_fn, np_.ones(3)), len(leaves) > 0


def test_vjp_function_passes_through_jit_like_jax():
    jax = pytest.importorskip("jax")
    import mini_ad.interop.jax  # noqa: F401 - x64

    (ours, has_leaves), (theirs, jax_has_leaves) = (
        _vjp_through_jit(ad, mnp),
        _vjp_through_jit(jax, jax.numpy),
    )
    assert has_leaves and jax_has_leaves
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b)


def test_jit_caches_per_underlying_function():
    calls = []

    def f(x):
        calls.append(1)
        return x * 2.0

    ad.jit(f)(1.0)
    ad.jit(f)(2.0)
    assert len(calls) == 1 and ad.jit(f)._cache_size() == 1
    ad.jit(f, static_argnums=0)(3.0)  # other static arguments: another cache
    assert len(calls) == 2


def test_callbacks_in_printed_jaxprs():
    def f(x):
        ad.debug.print("x={}", x)
        return ad.pure_callback(np.sinh, _SPEC, x)

    text = str(ad.make_jaxpr(f)(1.0))
    assert "    debug_callback[callback=print] a\n" in text
    assert "pure_callback[\n      callback=sinh\n" in text
