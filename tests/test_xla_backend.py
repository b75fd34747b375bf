"""``jit(f, backend="xla")``: mini_ad's Jaxpr compiled by XLA through the JAX bridge.

The same jit as the NumPy backend (static arguments, one trace per signature, every
transform composing in both orders), but the program that runs is XLA's. XLA compiles
only what mini_ad traced: the lowered program has one JAX equation per equation of
mini_ad's simplified Jaxpr. Results are NumPy arrays that never alias an argument or a
cache. Without JAX, asking for the backend is an ImportError naming the extra.
"""

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from control_flow_checks import assert_trees_allclose

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X = np.array([0.3, -1.2, 2.0])
W = np.array([[0.5, -0.2], [0.1, 0.4], [-0.3, 0.8]])
XS = np.linspace(-1.0, 1.0, 12).reshape(4, 3)


def xla_jit(fun, **kwargs):
    return ad.jit(fun, backend="xla", **kwargs)


def layer_loss(w, x):
    h = mnp.tanh(x @ w + 1.0)
    return mnp.sum(mnp.sin(h) * h**2)


# --- the program XLA compiles is mini_ad's ------------------------------------------------


@pytest.mark.parametrize("program", [layer_loss, ad.grad(layer_loss)], ids=["f", "grad(f)"])
def test_the_lowered_program_has_one_jax_equation_per_mini_ad_equation(program):
    xla_program = xla_jit(program).lower(W, XS).xla_program
    ours = [e.primitive.name for e in xla_program.jaxpr.jaxpr.eqns]
    theirs = jax.make_jaxpr(xla_program.jax_function)(*xla_program.in_specs())
    # JAX has no add_any: mini_ad's cotangent accumulation lowers to add
    assert [{"add_any": "add"}.get(n, n) for n in ours] == [e.primitive.name for e in theirs.eqns]
    assert "dot_general" in ours and "tanh" in ours


def test_the_program_is_mini_ads_simplified_jaxpr():
    def f(x):
        unused = mnp.exp(x)  # noqa: F841 - dead code: XLA never sees it
        return mnp.sin(x) * mnp.sin(x)  # one sin after CSE

    names = [e.primitive.name for e in xla_jit(f).lower(X).xla_program.jaxpr.jaxpr.eqns]
    assert names == ["sin", "mul"]
    assert "sine" in xla_jit(f).lower(X).compile().as_text()  # XLA's HLO


def test_values_match_the_numpy_backend_and_jax():
    expected = jax.jit(
        lambda w, x: jnp.sum(jnp.sin(jnp.tanh(x @ w + 1.0)) * jnp.tanh(x @ w + 1.0) ** 2)
    )(W, XS)
    np.testing.assert_allclose(xla_jit(layer_loss)(W, XS), expected, rtol=1e-13)
    np.testing.assert_allclose(xla_jit(layer_loss)(W, XS), ad.jit(layer_loss)(W, XS), rtol=1e-13)


# --- the same jit: caching, static arguments, dtypes --------------------------------------


def test_one_trace_per_signature_and_static_arguments():
    calls = []

    def f(x, n, mode="sin"):
        calls.append(1)
        return (mnp.sin(x) if mode == "sin" else mnp.cos(x)) * n

    jf = xla_jit(f, static_argnums=1, static_argnames="mode")
    np.testing.assert_allclose(jf(X, 3), np.sin(X) * 3)
    np.testing.assert_allclose(jf(X + 1.0, 3), np.sin(X + 1.0) * 3)
    np.testing.assert_allclose(jf(X, 4, mode="cos"), np.cos(X) * 4)
    assert len(calls) == 2 and jf._cache_size() == 2


def test_dtypes_and_python_scalars_keep_mini_ads_types():
    f = xla_jit(lambda x, s: x * s + 1)
    assert f(np.ones(2, np.float32), 2.0).dtype == np.float32  # weak scalar
    assert f(np.ones(2), 2.0).dtype == np.float64
    assert f(np.arange(3), 2).dtype == np.int64
    out = f(1.5, 2.0)
    assert type(out) is np.ndarray and out.shape == () and float(out) == 4.0


def test_outputs_are_numpy_arrays_that_alias_nothing():
    const = np.arange(3.0)

    def f(x):
        return x, const, mnp.sin(x), mnp.sin(x)  # forwarded input, constant, duplicate

    x = X.copy()
    outs = xla_jit(f)(x)
    assert all(type(y) is np.ndarray for y in outs)
    assert not np.shares_memory(outs[0], x) and not np.shares_memory(outs[1], const)
    assert not np.shares_memory(outs[2], outs[3])
    again = xla_jit(f)(x)
    assert not any(np.shares_memory(a, b) for a, b in zip(outs, again, strict=True))


def test_config_option_picks_the_backend():
    f = ad.jit(lambda x: mnp.sin(x))
    assert ad.config.jit_backend == "numpy" and f.lower(X).xla_program is None
    with ad.config.override(jit_backend="xla"):
        assert f.lower(X).xla_program is not None
        np.testing.assert_allclose(f(X), np.sin(X), rtol=1e-15)
    with pytest.raises(ValueError, match='backend must be "numpy" or "xla"'):
        ad.jit(mnp.sin, backend="gpu")


def test_device_and_donation_pass_through():
    device = jax.devices()[0]
    f = xla_jit(lambda x, y: x * 2.0 + y, device=device, donate_argnums=0)
    x = X.copy()
    np.testing.assert_allclose(f(x, 1.0), X * 2.0 + 1.0)
    np.testing.assert_array_equal(x, X)  # a NumPy argument is never overwritten
    assert "HloModule" in f.lower(x, 1.0).compile().as_text()


# --- composition: mini_ad's rules, XLA's evaluation ---------------------------------------


def test_under_a_transform_the_derived_programs_stay_on_xla():
    g = ad.grad(xla_jit(layer_loss))
    jaxpr = ad.make_jaxpr(g)(W, XS)
    assert [e.primitive.name for e in jaxpr.eqns] == ["jit", "jit"]
    assert all(e.params["backend"] == "xla" for e in jaxpr.eqns)
    np.testing.assert_allclose(g(W, XS), ad.grad(layer_loss)(W, XS), rtol=1e-13)


def _cond_fn(x):
    return lax.cond(mnp.sum(x) > 0, lambda v: mnp.sin(v) * v, lambda v: mnp.cos(v), x)


def _scan_fn(x):
    def step(carry, xi):
        carry = mnp.tanh(carry * 0.9 + xi)
        return carry, carry * 2.0

    carry, ys = lax.scan(step, x[0], x)
    return mnp.sum(ys) + carry


def _while_fn(x):
    return lax.fori_loop(0, 3, lambda i, v: mnp.sin(v) + 0.5 * v, x)


@ad.custom_jvp
def _softplus(x):
    return mnp.log1p(mnp.exp(x))


_softplus.defjvp(
    lambda primals, tangents: (_softplus(primals[0]), tangents[0] / (1.0 + mnp.exp(-primals[0])))
)


@ad.custom_vjp
def _clip_gradient(x):
    return x


_clip_gradient.defvjp(lambda x: (x, None), lambda _, g: (mnp.clip(g, -0.5, 0.5),))


PROGRAMS = {
    "cond": _cond_fn,
    "scan": _scan_fn,
    "fori_loop": _while_fn,
    "custom_jvp": lambda x: _softplus(x) * x,
    "custom_vjp": lambda x: _clip_gradient(x) * 3.0,
    "checkpoint": ad.checkpoint(lambda x: mnp.sin(mnp.sin(x)) * x),
}
TRANSFORMS = {
    "grad": lambda f: ad.grad(lambda x: mnp.sum(f(x))),
    "jacrev": ad.jacrev,
    "hessian": lambda f: ad.hessian(lambda x: mnp.sum(f(x))),
    "vmap": lambda f: ad.vmap(f),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_control_flow_and_custom_rules_compose_in_both_orders(program, transform):
    f, t = PROGRAMS[program], TRANSFORMS[transform]
    x = XS if transform == "vmap" else X
    expected = t(f)(x)  # eager mini_ad
    assert_trees_allclose(xla_jit(t(f))(x), expected, what=f"jit({transform}({program}))")
    assert_trees_allclose(t(xla_jit(f))(x), expected, what=f"{transform}(jit({program}))")


# --- JAX stays optional ---------------------------------------------------------------------


def test_without_jax_the_numpy_path_works_and_xla_names_the_extra():
    script = textwrap.dedent(
        """
        import sys
        sys.modules["jax"] = None  # as if JAX were not installed
        import numpy as np, mini_ad as ad, mini_ad.numpy as mnp
        assert float(ad.jit(ad.grad(lambda x: mnp.sin(x) * x))(0.0)) == 0.0
        for make in (lambda: ad.jit(mnp.sin, backend="xla"),
                     lambda: ad.config.update("jit_backend", "xla") or ad.jit(mnp.sin)(1.0)):
            try:
                make()
            except ImportError as err:
                assert 'pip install "mini_ad[jax]"' in str(err), err
            else:
                raise AssertionError("no ImportError")
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# --- the large-array benchmark (W8) runs, checked against its references ---------------------


def test_the_large_array_benchmark_runs_at_smoke_size(monkeypatch):
    import io
    import os

    pinned = (
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "XLA_FLAGS",
        "JAX_PLATFORMS",
    )
    for name in pinned:
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    from mini_ad.benchmarks.harness import Config
    from mini_ad.benchmarks.runner import run_benchmarks

    report, markdown = run_benchmarks(Config.preset("smoke"), only="W8", log=io.StringIO())
    rows = report["workloads"]["W8"]["rows"]
    assert [r["case"] for r in rows] == ["W5 grad", "W2 grad", "MLP train step"]
    for backend in ("mini_ad", "mini_ad_jit", "mini_ad_xla", "jax_jit", "numpy"):
        assert all(r["status"][backend] == "ok" for r in rows), backend
    assert "mini_ad jit(xla) compile" in markdown and "steady state <= 1.10x" in markdown
