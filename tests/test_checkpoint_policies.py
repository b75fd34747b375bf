"""``checkpoint(policy=...)`` saves what the policy names and recomputes the rest: counted
in the backward ``remat2`` equation of ``grad``'s Jaxpr; gradients equal JAX's."""

import contextlib
import io

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.ad_checkpoint import checkpoint_name

policies = ad.checkpoint_policies


def layer(lib_np, checkpoint_name):
    def f(w, x):
        h = checkpoint_name(lib_np.sin(lib_np.dot(w, x)), "h")
        return lib_np.sum(lib_np.cos(lib_np.dot(w, h)))

    return f


W = np.linspace(-0.5, 0.5, 9).reshape(3, 3)
X = np.arange(3.0)


def recomputed(closed) -> list:
    """The primitives the backward ``remat2`` runs before it reads the cotangent."""
    (eqn,) = [e for e in closed.jaxpr.eqns if e.primitive.name == "remat2"]
    body = eqn.params["jaxpr"].jaxpr
    tainted = {id(body.invars[-1])}  # the cotangent
    names = []
    for e in body.eqns:
        if any(id(x) in tainted for x in e.inputs):
            tainted.update(id(v) for v in e.outputs)
        else:
            names.append(e.primitive.name)
    return sorted(names)


ALL = ["cos", "dot_general", "dot_general", "name", "neg", "sin", "sin"]
CASES = [
    ("none", None, ALL),
    ("nothing_saveable", policies.nothing_saveable, ALL),
    ("everything_saveable", policies.everything_saveable, []),
    ("dots_saveable", policies.dots_saveable, ["cos", "name", "neg", "sin", "sin"]),
    (
        "dots_with_no_batch_dims_saveable",
        policies.dots_with_no_batch_dims_saveable,
        ["cos", "name", "neg", "sin", "sin"],
    ),
    (
        "save_only_these_names",
        policies.save_only_these_names("h"),
        ["cos", "dot_general", "dot_general", "neg", "sin"],
    ),
]


@pytest.mark.parametrize("policy, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_policy_decides_what_is_recomputed(policy, expected):
    grad = ad.grad(ad.checkpoint(layer(mnp, checkpoint_name), policy=policy))
    assert recomputed(ad.make_jaxpr(grad)(W, X)) == expected
    want = ad.grad(layer(mnp, checkpoint_name))(W, X)
    np.testing.assert_allclose(grad(W, X), want, rtol=1e-14)
    np.testing.assert_allclose(ad.jit(grad)(W, X), want, rtol=1e-14)


@pytest.mark.parametrize("name", [c[0] for c in CASES[1:]])
def test_policy_gradients_equal_jax(name):
    pytest.importorskip("jax")
    import jax
    import jax.ad_checkpoint

    import mini_ad.interop.jax  # noqa: F401 - x64

    make = {"save_only_these_names": lambda p: p.save_only_these_names("h")}.get(
        name, lambda p: getattr(p, name)
    )
    ours = ad.grad(ad.checkpoint(layer(mnp, checkpoint_name), policy=make(policies)))(W, X)
    f = layer(jax.numpy, jax.ad_checkpoint.checkpoint_name)
    theirs = jax.grad(jax.checkpoint(f, policy=make(jax.checkpoint_policies)))(W, X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13)


def test_checkpoint_name_is_visible_in_the_jaxpr():
    text = str(ad.make_jaxpr(lambda x: checkpoint_name(mnp.sin(x), "h"))(1.0))
    assert text == "{ lambda ; a:f64[]. let b:f64[] = sin a; c:f64[] = name[name=h] b in (c,) }"


def test_checkpoint_name_under_vmap_and_jvp():
    xs = np.arange(3.0)
    np.testing.assert_allclose(ad.vmap(lambda x: checkpoint_name(x * 2.0, "h"))(xs), 2 * xs)
    assert ad.jvp(lambda x: checkpoint_name(x * 2.0, "h"), (1.0,), (1.0,))[1] == 2.0


JAX_POLICIES = {
    "none": None, "nothing_saveable": "nothing_saveable",
    "everything_saveable": "everything_saveable", "dots_saveable": "dots_saveable",
    "dots_with_no_batch_dims_saveable": "dots_with_no_batch_dims_saveable",
    "save_only_these_names": ("save_only_these_names", "h"),
}  # fmt: skip


@pytest.mark.parametrize("policy", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_the_xla_backend_saves_what_jax_saves(policy):
    """Lowered to JAX (``jit(backend="xla")``'s path), a policy reaches ``jax.checkpoint``:
    the residuals JAX saves are those it saves for the same program written in JAX."""
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    from jax.ad_checkpoint import checkpoint_name as jax_name
    from jax.ad_checkpoint import print_saved_residuals

    from mini_ad.interop.jax import to_jax

    name = next(c[0] for c in CASES if c[1] is policy)
    spec = JAX_POLICIES[name]
    if spec is None:
        jax_policy = None
    elif isinstance(spec, tuple):
        jax_policy = getattr(jax.checkpoint_policies, spec[0])(*spec[1:])
    else:
        jax_policy = getattr(jax.checkpoint_policies, spec)
    lowered = to_jax(ad.checkpoint(layer(mnp, checkpoint_name), policy=policy))
    native = jax.checkpoint(layer(jax.numpy, jax_name), policy=jax_policy)

    def kinds(f):  # e.g. "f64[3] output of dot_general", "f64[3] named 'h'"
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            print_saved_residuals(f, W, X)
        return sorted(line.split(" from ")[0] for line in out.getvalue().splitlines())

    assert kinds(lowered) == kinds(native)
    staged = ad.jit(ad.grad(ad.checkpoint(layer(mnp, checkpoint_name), policy=policy)),
                    backend="xla")  # fmt: skip
    np.testing.assert_allclose(staged(W, X), jax.grad(native)(W, X), rtol=1e-12)
