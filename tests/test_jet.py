"""Taylor mode (``mini_ad.jet``): every primitive row against ``jax.experimental.jet`` to
order 5 on random inputs and series; where JAX's jet has no rule, against JAX's nested
``jvp`` of the same function; special functions against mpmath's Taylor coefficients."""

from __future__ import annotations

import math
import subprocess
import sys
import zlib

import numpy as np
import pytest

jax = pytest.importorskip("jax")
mpmath = pytest.importorskip("mpmath")
from autodiff_cases import ROWS  # noqa: E402
from jax.experimental import jet as jax_jet  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad import lax as mlax  # noqa: E402
from mini_ad.core.primitive import registry  # noqa: E402

jax.config.update("jax_enable_x64", True)
ORDER = 5
# rows with a dedicated test below: jvp cannot see through custom_vjp in either library
# expm and sqrtm have their own test (test_matrix_function_jets_against_series_arithmetic):
# JAX's jet has no rule for expm's scan, and nested jvp of them grows as n² per order
DEDICATED = {"custom_vjp_call", "expm", "sqrtm"}
JET_ROWS = [
    r for r in ROWS
    if not r.staged_in_linearize and r.primitive not in DEDICATED
    and "jet" not in registry[r.primitive].opt_outs  # cards without a Taylor rule, by reason
]  # fmt: skip
# where JAX's jet disagrees with lax itself, the reference is the nested jvp
JAX_JET_DIFFERS = {
    "rem": "JAX's jet composes rem as x - y floor(x/y) (Python's %), lax.rem truncates",
}
# rows checked against JAX's own nested jvp (jitted) instead: JAX's jet has no rule for them
# (the other rows without a JAX rule are checked against mini_ad's nested jvp)
JAX_NESTED_ROWS = ["scan", "while", "cond", "remat2", "solve", "sort"]


def _series(row, args):
    rng = np.random.default_rng(zlib.crc32(("jet" + row.id).encode()))
    return tuple(tuple(0.5 * rng.standard_normal(np.shape(a)) for _ in range(ORDER)) for a in args)


def _nested_jvp(fun, args, series, jvp, jit=lambda f: f):
    """``d^k/dt^k fun(x(t))`` at 0 for k = 0..ORDER, x(t) = x0 + Σ x_k t^k / k!, by
    nested forward mode (``jvp`` of mini_ad or of JAX); leaves of each output."""

    def along(t):
        xs = [
            a + sum(s[k] * t ** (k + 1) / math.factorial(k + 1) for k in range(ORDER))
            for a, s in zip(args, series, strict=True)
        ]
        return fun(*xs)

    levels = [along]
    for _ in range(ORDER):
        levels.append((lambda d: lambda t: jvp(d, (t,), (1.0,))[1])(levels[-1]))
    outs = jit(lambda t: [d(t) for d in levels])(0.0)
    per_order = [jax.tree_util.tree_leaves(o) for o in outs]
    return per_order[0], [list(t) for t in zip(*per_order[1:], strict=True)]


def _reference(row, args, series):
    if row.primitive not in JAX_JET_DIFFERS:
        try:
            p, s = jax_jet.jet(row.jax, args, series)
            return "jax.experimental.jet", jax.tree_util.tree_leaves(p), _per_leaf(s, p)
        except (NotImplementedError, KeyError, TypeError, jax.errors.UnexpectedTracerError):
            pass  # no Taylor rule in JAX for this primitive (its jet leaks custom_jvp tracers)
    return ("mini_ad nested jvp", *_nested_jvp(row.mini, args, series, ad.jvp))


def _per_leaf(series_out, primals_out):
    """JAX arranges the terms as [terms of leaf] in the output's tree: one list per leaf."""
    if not isinstance(primals_out, (tuple, list)):
        return [list(series_out)]
    return [list(s) for s in series_out]


def _assert_close(row_id, source, got_p, got_s, ref_p, ref_s):
    assert len(got_p) == len(ref_p)
    for a, b in zip(got_p, ref_p, strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-9, atol=1e-12)
    for leaf, (mine, theirs) in enumerate(zip(got_s, ref_s, strict=True)):
        assert len(mine) == ORDER
        for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            scale = max(1.0, float(np.max(np.abs(b), initial=0)))
            np.testing.assert_allclose(
                np.asarray(a), np.asarray(b), rtol=1e-7, atol=1e-9 * scale,
                err_msg=f"{row_id}: leaf {leaf} term {k + 1} against {source}",
            )  # fmt: skip


@pytest.mark.parametrize(
    "row", [r for r in JET_ROWS if r.id not in JAX_NESTED_ROWS], ids=lambda r: r.id
)
def test_jet_matches_jax(row):
    args = row.args()
    series = _series(row, args)
    p, s = ad.jet(row.mini, args, series)
    source, ref_p, ref_s = _reference(row, args, series)
    _assert_close(row.id, source, jax.tree_util.tree_leaves(p), _per_leaf(s, p), ref_p, ref_s)


@pytest.mark.parametrize(
    "row", [r for r in JET_ROWS if r.id in JAX_NESTED_ROWS], ids=lambda r: r.id
)
def test_jet_matches_jax_nested_jvp_where_jax_jet_has_no_rule(row):
    args = row.args()
    series = _series(row, args)
    p, s = ad.jet(row.mini, args, series)
    ref_p, ref_s = _nested_jvp(row.jax, args, series, jax.jvp, jax.jit)
    _assert_close(
        row.id, "jax nested jvp", jax.tree_util.tree_leaves(p), _per_leaf(s, p), ref_p, ref_s
    )


def test_custom_vjp_goes_through_its_primal_body():
    @ad.custom_vjp
    def f(x, y):
        return mnp.exp(x) * mnp.sin(y)

    f.defvjp(lambda x, y: (f(x, y), (x, y)), lambda res, g: (g, g))  # deliberately wrong
    args, series = (0.3, 1.1), ((1.0, 0.5, -0.2), (0.2, 0.0, 0.7))
    mine = ad.jet(f, args, series)
    theirs = jax_jet.jet(lambda x, y: jax.numpy.exp(x) * jax.numpy.sin(y), args, series)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)


# --- special functions and scalar compositions against mpmath -----------------------------


def _mp_derivatives(f, x, n):
    with mpmath.workdps(40):
        return [float(d) for d in mpmath.diffs(f, x, n)]


@pytest.mark.parametrize(
    "name, mini_f, mp_f, x",
    [
        ("erf", lambda x: mlax.erf(x), mpmath.erf, 0.3),
        ("erfc", lambda x: mlax.erfc(x), mpmath.erfc, -0.4),
        ("erf_inv", lambda x: mlax.erf_inv(x), mpmath.erfinv, 0.35),
        ("lgamma", lambda x: mlax.lgamma(x), mpmath.loggamma, 2.3),
        ("digamma", lambda x: mlax.digamma(x), mpmath.digamma, 1.7),
        ("atan", lambda x: mlax.atan(x), mpmath.atan, 0.8),
        ("acosh", lambda x: mlax.acosh(x), mpmath.acosh, 1.9),
        ("pow", lambda x: x**x, lambda x: x**x, 1.3),
        ("sin_exp_ratio", lambda x: mnp.sin(x) * mnp.exp(x) / (1 + x**2),
         lambda x: mpmath.sin(x) * mpmath.exp(x) / (1 + x**2), 0.7),
    ],
)  # fmt: skip
def test_derivatives_match_mpmath(name, mini_f, mp_f, x):
    got = ad.derivatives(mini_f, x, ORDER)
    want = _mp_derivatives(mp_f, x, ORDER)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-11)


def test_derivatives_to_order_10_match_mpmath():
    """The issue's must-show: all 10 derivatives of sin(x) e^x / (1 + x²) to 1e-10."""
    got = ad.derivatives(lambda x: mnp.sin(x) * mnp.exp(x) / (1 + x**2), 0.7, 10)
    want = _mp_derivatives(lambda x: mpmath.sin(x) * mpmath.exp(x) / (1 + x**2), 0.7, 10)
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_taylor_coefficients_and_direction():
    np.testing.assert_allclose(
        ad.taylor_coefficients(mnp.exp, 0.5, 6),
        [math.exp(0.5) / math.factorial(k) for k in range(7)],
    )
    x, v = np.array([0.3, -0.2, 0.9]), np.array([1.0, 0.5, -2.0])

    def f(x):
        return mnp.sum(mnp.sin(x) * x[::-1])

    def along(t):
        return f(x + t * v)

    want, d = [along(0.0)], along
    for _ in range(4):
        d = ad.grad(d)
        want.append(d(0.0))
    np.testing.assert_allclose(ad.derivatives(f, x, 4, direction=v), want, rtol=1e-10)
    with pytest.raises(ValueError, match="direction"):
        ad.derivatives(f, x, 2)


# --- convention, pytrees, nesting --------------------------------------------------------------


def test_factorial_scaled_false_and_pytrees():
    args = (0.4,)
    series = ((1.0, 0.5, -0.3),)
    mine = ad.jet(mnp.tanh, args, series, factorial_scaled=False)
    theirs = jax_jet.jet(jax.numpy.tanh, args, series, factorial_scaled=False)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-12)

    def f(p):
        return {"a": p["x"] * p["y"], "b": (mnp.exp(p["x"]),)}

    p = {"x": np.array([0.1, 0.2]), "y": np.array(1.5)}
    terms = [
        {"x": np.array([1.0, 2.0]), "y": np.array(0.5)},
        {"x": np.zeros(2), "y": np.array(1.0)},
    ]
    out, out_series = ad.jet(f, (p,), (terms,))
    assert set(out) == {"a", "b"} and len(out_series["a"]) == 2 and len(out_series["b"][0]) == 2
    jax_a = jax_jet.jet(
        lambda x, y: x * y, (p["x"], p["y"]), ([t["x"] for t in terms], [t["y"] for t in terms])
    )
    np.testing.assert_allclose(out_series["a"], jax_a[1], rtol=1e-12)
    with pytest.raises(ValueError, match="inconsistent"):
        ad.jet(mnp.sin, (1.0, 2.0), ((1.0,), (1.0, 2.0)))


def test_jet_of_jet():
    # the inner jet's first term, differentiated again by the outer jet: d/dy [f'(x) y]
    def inner(x):
        return ad.jet(mnp.sin, (x,), ((1.0, 0.0),))[1][1]  # -sin(x)

    out, (d1, d2) = ad.jet(inner, (0.3,), ((1.0, 0.0),))
    np.testing.assert_allclose([out, d1, d2], [-np.sin(0.3), -np.cos(0.3), np.sin(0.3)], rtol=1e-12)


def test_jet_composes_with_jit_vmap_grad_and_make_jaxpr():
    def d3(x):
        return ad.derivatives(lambda y: mnp.exp(mnp.sin(y)), x, 3)[3]

    x = 0.4
    want = ad.grad(ad.grad(ad.grad(lambda y: mnp.exp(mnp.sin(y)))))(x)
    np.testing.assert_allclose(d3(x), want, rtol=1e-10)
    np.testing.assert_allclose(ad.jit(d3)(x), want, rtol=1e-10)
    xs = np.array([0.1, 0.4, 0.9])
    np.testing.assert_allclose(ad.vmap(d3)(xs), [d3(v) for v in xs], rtol=1e-12)
    d4 = ad.grad(ad.grad(ad.grad(ad.grad(lambda y: mnp.exp(mnp.sin(y))))))(x)
    np.testing.assert_allclose(ad.grad(d3)(x), d4, rtol=1e-10)
    text = str(ad.make_jaxpr(d3)(x))
    assert "exp" in text and "sin" in text and "cos" in text


def test_taylor_ode_through_fori_loop():
    # y' = y², y(0) = 1: y = 1/(1 - t); its series through a loop is all ones
    def step(i, y):
        return y + 0.0 * i

    def solution(y0):
        return mlax.fori_loop(0, 3, step, y0) ** 2

    out, terms = ad.jet(solution, (1.0,), ((1.0, 0.0, 0.0),))
    np.testing.assert_allclose([out, *terms], [1.0, 2.0, 2.0, 0.0], atol=1e-12)


# --- every card has a Taylor rule ------------------------------------------------------------

_LIST_PRIMITIVES = """
import importlib, pkgutil
import mini_ad
from mini_ad.core.primitive import registry
for info in pkgutil.walk_packages(mini_ad.__path__, "mini_ad."):
    if info.name not in {"mini_ad.demo", "mini_ad.viz"} and not info.name.startswith(
        "mini_ad.interop"
    ):
        importlib.import_module(info.name)
gaps = [n for n, p in sorted(registry.items()) if p.jet is None and "jet" not in p.opt_outs]
print(" ".join(gaps))
"""


def test_every_card_has_a_jet_rule_or_opts_out():
    out = subprocess.run([sys.executable, "-c", _LIST_PRIMITIVES], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert not out.stdout.split(), f"cards with neither a jet rule nor an opt-out: {out.stdout}"


def test_a_primitive_without_a_rule_names_itself():
    from mini_ad.core.primitive import Primitive

    p = Primitive("no_taylor_rule_example")
    p.impl = lambda x: x
    with pytest.raises(NotImplementedError, match="no_taylor_rule_example"):
        ad.jet(lambda x: p.bind(x), (1.0,), ((1.0,),))


# --- matrix functions: against truncated matrix power-series arithmetic -----------------------


def _series_product(p, q):
    """The product of two matrix power series (normalized coefficients), truncated."""
    out = [np.zeros(np.broadcast_shapes(p[0].shape, q[0].shape), complex) for _ in p]
    for i in range(len(p)):
        for j in range(len(p) - i):
            out[i + j] = out[i + j] + p[i] @ q[j]
    return out


def _normalized(primal, terms):
    """JAX's convention (k-th derivatives) to x(t) = x0 + x1 t + ... (normalized)."""
    return [np.asarray(primal)] + [
        np.asarray(t) / math.factorial(k + 1) for k, t in enumerate(terms)
    ]


@pytest.mark.parametrize("case", ["real", "batched", "complex"])
def test_matrix_function_jets_against_series_arithmetic(case):
    """expm: the exponential series summed over matrix power series (an independent
    reference); sqrtm: its series S(t) squares to A(t), order by order."""
    from mini_ad.primitives import matrix_functions as mf

    rng = np.random.default_rng(zlib.crc32(case.encode()))
    shape = {"real": (3, 3), "batched": (2, 3, 3), "complex": (3, 3)}[case]
    draw = lambda: (
        rng.normal(size=shape) + (1j * rng.normal(size=shape) if case == "complex" else 0)
    )  # noqa: E731
    a, series = draw(), [0.4 * draw() for _ in range(ORDER)]
    got = _normalized(*ad.jet(mf.expm, (a,), (series,)))
    coeffs = _normalized(a, series)
    term = [np.broadcast_to(np.eye(shape[-1]), shape).astype(complex)] + [0 * coeffs[0]] * ORDER
    want = list(term)
    for m in range(1, 60):
        term = [t / m for t in _series_product(term, coeffs)]
        want = [w + t for w, t in zip(want, term, strict=True)]
    for k, (g, w) in enumerate(zip(got, want, strict=True)):
        np.testing.assert_allclose(
            g, w, rtol=1e-12, atol=1e-13 * np.abs(w).max(), err_msg=f"expm term {k}"
        )

    spd = a @ np.swapaxes(a, -1, -2).conj() + 3 * np.eye(shape[-1])
    roots = _normalized(*ad.jet(mf.sqrtm, (spd,), (series,)))
    square = _series_product(roots, roots)
    target = _normalized(spd, series)
    for k, (g, w) in enumerate(zip(square, target, strict=True)):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-13, err_msg=f"sqrtm term {k}")
