"""The JAX bridge: every primitive has a lowering, and ``to_jax(f)`` is f as a JAX program
(values, pytrees, caching, and JAX's transforms of it against mini_ad's)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad import lax  # noqa: E402
from mini_ad.core.primitive import registry  # noqa: E402
from mini_ad.interop.jax import NoLoweringError, to_jax  # noqa: E402

# Every module that can define primitives, imported in a fresh interpreter (doctests and
# tests register throwaway primitives in this one).
_LIST_PRIMITIVES = """
import importlib, pkgutil
import mini_ad
from mini_ad.core.primitive import registry
skip = {"mini_ad.demo", "mini_ad.viz"}
for info in pkgutil.walk_packages(mini_ad.__path__, "mini_ad."):
    if info.name not in skip and not info.name.startswith("mini_ad.interop"):
        importlib.import_module(info.name)
print(" ".join(sorted(registry)))
"""


def test_every_primitive_has_a_lowering():
    out = subprocess.run([sys.executable, "-c", _LIST_PRIMITIVES], capture_output=True, text=True)
    assert out.returncode == 0, f"importing mini_ad's modules failed:\n{out.stderr}"
    names = out.stdout.split()
    assert len(names) > 70
    missing = [name for name in names if registry[name].lowering is None]
    assert not missing, f"mini_ad primitives without a JAX lowering: {missing}"


def test_a_missing_lowering_names_the_primitive(monkeypatch):
    monkeypatch.setattr(registry["sin"], "lowering", None)
    with pytest.raises(NoLoweringError, match="'sin'"):
        to_jax(lambda x: mnp.sin(x) * 2.0)(np.ones(3))


def test_a_lowering_with_the_wrong_type_is_caught(monkeypatch):
    monkeypatch.setattr(registry["reduce_sum"], "lowering", lambda lx, x, *, axes, **_: x)
    with pytest.raises(TypeError, match="lowering of 'reduce_sum'.*f64\\[\\]"):
        to_jax(mnp.sum)(np.ones(3))


def _program(params, x):
    h = mnp.tanh(x @ params["w"] + params["b"])
    return {"loss": mnp.mean((h - 0.5) ** 2), "h": h, "index": mnp.argmax(h[0])}


def _params():
    rng = np.random.default_rng(0)
    return {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}, rng.normal(size=(4, 3))


def test_values_and_pytrees_match_mini_ad():
    params, x = _params()
    ours = _program(params, x)
    theirs = to_jax(_program)(params, x)
    assert sorted(theirs) == sorted(ours)
    np.testing.assert_allclose(theirs["loss"], ours["loss"], rtol=1e-14)
    np.testing.assert_allclose(theirs["h"], ours["h"], rtol=1e-14)
    assert int(theirs["index"]) == int(ours["index"]) and theirs["index"].dtype == np.int64


def test_jit_grad_and_vmap_of_the_bridge_match_mini_ad():
    params, x = _params()
    loss = lambda p, x: _program(p, x)["loss"]
    jax_loss = to_jax(loss)
    np.testing.assert_allclose(jax.jit(jax_loss)(params, x), loss(params, x), rtol=1e-14)
    ours, theirs = ad.grad(loss)(params, x), jax.grad(jax_loss)(params, x)
    for k in ("w", "b"):
        np.testing.assert_allclose(theirs[k], ours[k], rtol=1e-12)
    per_row = jax.vmap(jax_loss, in_axes=(None, 0))(params, x[:, None, :])
    np.testing.assert_allclose(per_row, [loss(params, row[None]) for row in x], rtol=1e-13)


def test_traced_once_per_signature_and_weak_scalars():
    calls = []

    def f(x, s):
        calls.append(1)
        return mnp.sin(x) * s

    g = to_jax(f)
    for _ in range(3):
        g(np.ones(3), 2.0)
    assert len(calls) == 1
    g(np.ones(4), 2.0)
    assert len(calls) == 2
    out = g(np.ones(3, np.float32), 2.0)  # a weak Python scalar keeps float32
    assert out.dtype == np.float32 and len(calls) == 3


def test_python_ints_are_static():
    f = lambda x, k, flag: mnp.sum(x[:k] ** k) if flag else -x[0]
    g = to_jax(f)
    x = np.arange(1.0, 5.0)
    np.testing.assert_allclose(g(x, 3, True), f(x, 3, True))
    np.testing.assert_allclose(jax.grad(g)(x, 2, True), ad.grad(f)(x, 2, True))
    np.testing.assert_allclose(jax.jit(g, static_argnums=(1, 2))(x, 2, False), -1.0)


def test_closed_over_arrays_become_constants():
    table = np.arange(6.0).reshape(2, 3)
    f = lambda x: mnp.sum(table * x) + table[1, 2]
    np.testing.assert_allclose(jax.grad(to_jax(f))(np.ones(3)), ad.grad(f)(np.ones(3)))


def test_indexing_lowerings_match_mini_ad():
    x = np.arange(12.0).reshape(3, 4)
    rows = np.array([0, -1, 2, 2])
    f = lambda x: (
        x[rows, 1:3].sum() + mnp.at(x)[rows, 0].add(1.0).sum() + mnp.at(x)[1].set(0.0)[1:].sum()
    )
    np.testing.assert_allclose(to_jax(f)(x), f(x))
    np.testing.assert_allclose(jax.grad(to_jax(f))(x), ad.grad(f)(x))


# --- higher-order primitives: sub-Jaxprs and custom rules are lowered recursively -------------


def _compare_grads(f, *args, argnums=0):
    ours = ad.grad(f, argnums)(*args)
    theirs = jax.grad(to_jax(f), argnums)(*args)
    for a, b in zip(
        jax.tree_util.tree_leaves(theirs), jax.tree_util.tree_leaves(ours), strict=True
    ):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    np.testing.assert_allclose(to_jax(f)(*args), f(*args), rtol=1e-13)


def test_cond_scan_and_fori_loop():
    x = np.array([0.3, -0.2, 0.5])
    _compare_grads(lambda x: mnp.sum(lax.cond(mnp.sum(x) > 0, mnp.sin, mnp.cos, x)), x)
    _compare_grads(lambda x: mnp.sum(lax.cond(mnp.sum(x) < 0, mnp.sin, mnp.cos, x)), x)
    _compare_grads(lambda x: mnp.sum(lax.fori_loop(0, 3, lambda i, c: mnp.sin(c) * c + i, x)), x)

    def scanned(c0, xs):
        c, ys = lax.scan(lambda c, x: (c * mnp.cos(x) + x, c**2 * x), c0, xs, reverse=True)
        return c + mnp.sum(ys)

    _compare_grads(scanned, 0.5, x, argnums=(0, 1))


def test_while_loop_forward_mode():
    def f(x):
        return lax.while_loop(
            lambda s: s[1] < 4, lambda s: (s[0] * 1.1 + mnp.sin(s[0]), s[1] + 1), (x, 0)
        )[0]

    x = np.array([0.2, 0.7])
    np.testing.assert_allclose(jax.jacfwd(to_jax(f))(x), ad.jacfwd(f)(x), rtol=1e-12)


def test_custom_jvp_rule_is_honoured():
    @ad.custom_jvp
    def f(x):
        return mnp.sin(x)

    f.defjvp(lambda p, t: (f(p[0]), 3.0 * t[0] * mnp.cos(p[0])))  # deliberately 3x
    g = lambda x: mnp.sum(f(x) * x)
    x = np.array([0.4, 1.1])
    _compare_grads(g, x)
    np.testing.assert_allclose(jax.hessian(to_jax(g))(x), ad.hessian(g)(x), rtol=1e-12)


def test_custom_vjp_rule_is_honoured():
    @ad.custom_vjp
    def f(x):
        return mnp.sin(x)

    f.defvjp(lambda x: (mnp.sin(x), mnp.cos(x)), lambda cos_x, g: (-2.0 * cos_x * g,))
    _compare_grads(lambda x: mnp.sum(f(x) ** 2), np.array([0.4, 1.1]))


def test_jit_and_checkpoint():
    f = ad.jit(lambda x, k: mnp.tanh(x) ** k, static_argnums=1)
    g = ad.checkpoint(lambda x: mnp.sin(mnp.sin(x)))
    _compare_grads(lambda x: mnp.sum(f(x, 3) + g(x)), np.array([0.4, 1.1]))


def test_jax_jit_of_a_grad_staged_by_mini_ad():
    f = lambda x: mnp.sum(mnp.exp(mnp.sin(x)) * x)
    x = np.linspace(-1.0, 1.0, 5)
    staged_grad = jax.jit(to_jax(ad.grad(f)))  # mini_ad's backward pass, compiled by XLA
    np.testing.assert_allclose(staged_grad(x), ad.grad(f)(x), rtol=1e-13)
    np.testing.assert_allclose(
        staged_grad(x), jax.grad(lambda x: jnp.sum(jnp.exp(jnp.sin(x)) * x))(x), rtol=1e-13
    )
