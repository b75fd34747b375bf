"""W3, nested grad: ``grad`` applied k times to ``sin(x)*exp(x)/(1+x**2)``, k = 1..6.

Per order: the time of each backend and the program size, ``len(make_jaxpr(...).eqns)``
for mini_ad (before and, if its jit exposes one, after simplification) and for JAX
(``jax.make_jaxpr``, top-level equations). The NumPy column is not a gradient program but
the floor: truncated Taylor-series arithmetic that yields every derivative at once.

Taylor mode (issue 19), orders 1..12: ``mini_ad.derivatives(f, x, k)`` (every derivative up
to k from one ``jet``), eager and jitted, beside ``jax.experimental.jet`` (eager and jitted)
and the nested-grad rows above: time and program size per order, and the growth per order.
"""

from __future__ import annotations

import importlib
import math

import numpy as np

from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, all_of, at_most, ratio

X0 = 0.7


def make_f(lib):
    return lambda x: lib.sin(x) * lib.exp(x) / (1 + x**2)


def nest(grad, f, order: int):
    for _ in range(order):
        f = grad(f)
    return f


def taylor_derivative(order: int, x: float = X0) -> float:
    """f^(k)(x) = k! c_k, with c the Taylor coefficients of sin·exp / (1 + x²) about x."""
    n = order + 1
    k = np.arange(n)
    fact = np.array([math.factorial(i) for i in range(n)], dtype=np.float64)
    sin_c = np.array([np.sin(x), np.cos(x), -np.sin(x), -np.cos(x)])[k % 4] / fact
    exp_c = np.exp(x) / fact
    num = np.convolve(sin_c, exp_c)[:n]
    den = np.zeros(n)
    den[: min(n, 3)] = [1 + x * x, 2 * x, 1.0][: min(n, 3)]
    q = np.zeros(n)
    for i in range(n):  # series division: num = den * q
        q[i] = (num[i] - den[1 : i + 1] @ q[i - 1 :: -1][:i]) / den[0]
    return q[order] * fact[order]


def cases(env, order: int) -> Case:
    ad, impls = env.ad, {}
    impls["mini_ad"] = impl(lambda: nest(ad.grad, make_f(env.mnp), order)(X0))
    if env.jit is not None:
        impls["mini_ad_jit"] = _jitted(lambda: env.jit(nest(ad.grad, make_f(env.mnp), order)))
    if env.ag is not None:
        impls["autograd"] = impl(lambda: nest(env.ag.grad, make_f(env.anp), order)(X0))
    if env.jax is not None:
        jax = env.jax
        impls["jax"] = impl(lambda: nest(jax.grad, make_f(env.jnp), order)(X0))
        impls["jax_jit"] = _jitted(lambda: jax.jit(nest(jax.grad, make_f(env.jnp), order)))
    if env.torch is not None:
        impls["torch"] = impl(lambda: _torch_nested(env.torch, order))
    impls["numpy"] = impl(lambda: taylor_derivative(order))
    return Case(
        "W3", f"order {order}", impls, lambda: taylor_derivative(order), rtol=1e-9, atol=1e-12,
        note="NumPy: Taylor series",
    )  # fmt: skip


def jet_max_order(cfg) -> int:
    return 4 if cfg.mode == "smoke" else 12


def all_derivatives(order: int) -> np.ndarray:
    return np.array([taylor_derivative(k) for k in range(order + 1)])


def _jax_jet_derivatives(env, order: int):
    """f, f', ..., f^(k) at X0 from ``jax.experimental.jet`` (input series 1, 0, 0, ...)."""
    from jax.experimental.jet import jet

    jnp = env.jnp
    series = ((1.0,) + (0.0,) * (order - 1),)

    def fn(x):
        y0, ys = jet(make_f(jnp), (x,), series)
        return jnp.stack([y0, *ys])

    return fn


def jet_cases(env, order: int) -> Case:
    ad, impls = env.ad, {}
    f = make_f(env.mnp)
    impls["mini_ad"] = impl(lambda: ad.derivatives(f, X0, order))
    if env.jit is not None:
        impls["mini_ad_jit"] = _jitted(lambda: env.jit(lambda x: ad.derivatives(f, x, order)))
    if env.jax is not None:
        impls["jax"] = impl(lambda: _jax_jet_derivatives(env, order)(X0))
        impls["jax_jit"] = _jitted(lambda: env.jax.jit(_jax_jet_derivatives(env, order)))
    impls["numpy"] = impl(lambda: all_derivatives(order))
    return Case(
        "W3", f"derivatives to order {order}", impls, lambda: all_derivatives(order),
        rtol=1e-9, atol=1e-12, note="Taylor mode; jax: jax.experimental.jet",
    )  # fmt: skip


def _jitted(make):
    def prepare():
        fn = make()
        return lambda: fn(X0)

    return Impl(prepare)


def _torch_nested(torch, order: int):
    x = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    y = make_f(torch)(x)
    for _ in range(order):
        (y,) = torch.autograd.grad(y, x, create_graph=True)
    return y


_SIMPLIFIERS = (
    ("mini_ad.transforms.simplify", "simplify_jaxpr"),
    ("mini_ad.transforms.simplify", "simplify"),
    ("mini_ad.transforms.compile", "simplify_jaxpr"),
    ("mini_ad.transforms.compile", "simplify"),
)


def find_simplifier():
    """jit's simplification pass, if mini_ad exposes one under a name we know, else None."""
    for module, name in _SIMPLIFIERS:
        try:
            fn = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(fn):
            return f"{module}.{name}", fn
    return None, None


def simplified_eqn_count(simplify, closed) -> int:
    """Equations after ``simplify``, which may take a ClosedJaxpr or a Jaxpr."""
    try:
        out = simplify(closed)
    except TypeError:
        out = simplify(closed.jaxpr)
    if isinstance(out, tuple):  # (jaxpr, consts)
        out = out[0]
    return len(out.eqns)


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult("W3", "nested grad of sin(x)*exp(x)/(1+x**2) at x=0.7")
    simplify_name, simplify = find_simplifier()
    counts = {"mini_ad": {}, "mini_ad_simplified": {}, "jax": {}}
    for order in range(1, cfg.w3_max_order + 1):
        res.rows.append(measure(cases(env, order), cfg, env.skipped))
        g = nest(env.ad.grad, make_f(env.mnp), order)
        closed = env.ad.make_jaxpr(g)(X0)
        counts["mini_ad"][order] = len(closed.eqns)
        if simplify is not None:
            counts["mini_ad_simplified"][order] = simplified_eqn_count(simplify, closed)
        if env.jax is not None:
            jg = nest(env.jax.grad, make_f(env.jnp), order)
            counts["jax"][order] = len(env.jax.make_jaxpr(jg)(X0).eqns)
    res.metrics["eqn_counts"] = counts
    res.metrics["simplifier"] = simplify_name
    if simplify_name:
        res.note = f"Simplified counts: {simplify_name} applied to mini_ad's make_jaxpr."
    orders = list(range(1, cfg.w3_max_order + 1))
    eager = {o: row.median("mini_ad") for o, row in zip(orders, res.rows, strict=True)}
    res.extra_md.append("Equation counts and order-to-order growth (eqns[k] / eqns[k-1]):\n")
    res.extra_md.append(
        "| order | mini_ad eqns | growth | after jit simplification | growth | JAX eqns | growth "
        "| mini_ad eager time growth |"
    )
    res.extra_md.append("|---" * 8 + "|")
    growth = {key: {} for key in counts}
    for o in orders:
        cells = []
        for key in counts:
            n = counts[key].get(o)
            growth[key][o] = ratio(n, counts[key].get(o - 1))
            cells += ["—" if n is None else str(n), _g(growth[key][o])]
        cells.append(_g(ratio(eager[o], eager.get(o - 1))))
        res.extra_md.append(f"| {o} | " + " | ".join(cells) + " |")
    if simplify is None:
        res.extra_md.append(
            "\nNo simplified count: mini_ad exposes no jit simplification pass under "
            + ", ".join(f"{m}.{n}" for m, n in _SIMPLIFIERS) + "."
        )  # fmt: skip
    res.metrics["eqn_growth"] = growth
    jet_targets = _taylor_mode(env, cfg, res, eager)
    top = cfg.w3_max_order
    simplified = counts["mini_ad_simplified"]
    which = "simplified" if simplified else "unsimplified: no simplifier found"
    worst = max((g for g in growth["mini_ad_simplified" if simplified else "mini_ad"].values()
                 if g is not None), default=None)  # fmt: skip
    last = res.rows[-1]
    res.targets.append(
        all_of("W3", "W3 nested grad", [
            at_most("W3", "", f"order-{top} eqns after jit simplification <= 0.5x JAX's",
                    ratio(simplified.get(top), counts["jax"].get(top)), 0.5,
                    "" if simplify else "not built: no jit simplification pass found"),
            at_most("W3", "", f"worst order-to-order eqn growth <= 2.0 ({which})", worst, 2.0),
            at_most("W3", "", f"eager order-{top} time <= 0.5x autograd's",
                    ratio(last.median("mini_ad"), last.median("autograd")), 0.5),
        ])
    )  # fmt: skip
    res.targets.append(jet_targets)
    return res


def _geometric_growth(values: dict):
    """The mean growth per order, (v[last] / v[first]) ** (1 / (last - first))."""
    known = {k: v for k, v in values.items() if v}
    if len(known) < 2:
        return None
    lo, hi = min(known), max(known)
    return (known[hi] / known[lo]) ** (1 / (hi - lo))


def _taylor_mode(env, cfg, res, nested_eager):
    """Rows, counts and targets for ``derivatives`` (Taylor mode) at orders 1..12."""
    top = jet_max_order(cfg)
    orders = list(range(1, top + 1))
    f = make_f(env.mnp)
    times, counts, jax_times, jax_counts = {}, {}, {}, {}
    for order in orders:
        row = measure(jet_cases(env, order), cfg, env.skipped)
        res.rows.append(row)
        times[order] = row.median("mini_ad")
        jax_times[order] = row.median("jax")
        closed = env.ad.make_jaxpr(lambda x, o=order: env.ad.derivatives(f, x, o))(X0)
        counts[order] = len(closed.eqns)
        if env.jax is not None:
            jax_counts[order] = len(env.jax.make_jaxpr(_jax_jet_derivatives(env, order))(X0).eqns)
    res.metrics["taylor_mode"] = {
        "mini_ad_time": times, "mini_ad_eqns": counts, "jax_jet_time": jax_times,
        "jax_jet_eqns": jax_counts,
    }  # fmt: skip
    res.extra_md.append(
        "\nTaylor mode: `mini_ad.derivatives(f, 0.7, k)` (all derivatives up to k, one `jet`) "
        "beside `jax.experimental.jet` and nested `grad` (mini_ad eager); growth = value[k] / "
        "value[k-1]:\n"
    )
    res.extra_md.append(
        "| order | derivatives time | growth | eqns | growth | jax jet time | growth | "
        "jax jet eqns | nested grad time | derivatives / nested grad |"
    )
    res.extra_md.append("|---" * 10 + "|")
    for o in orders:
        cells = [
            _t(times[o]), _g(ratio(times[o], times.get(o - 1))), str(counts[o]),
            _g(ratio(counts[o], counts.get(o - 1))), _t(jax_times[o]),
            _g(ratio(jax_times[o], jax_times.get(o - 1))), str(jax_counts.get(o, "—")),
            _t(nested_eager.get(o)), _g(ratio(times[o], nested_eager.get(o))),
        ]  # fmt: skip
        res.extra_md.append(f"| {o} | " + " | ".join(cells) + " |")
    time_growth, eqn_growth = _geometric_growth(times), _geometric_growth(counts)
    nested_growth = _geometric_growth(nested_eager)
    res.metrics["taylor_mode"]["growth"] = {
        "derivatives_time": time_growth, "derivatives_eqns": eqn_growth,
        "nested_grad_time": nested_growth,
    }  # fmt: skip
    res.extra_md.append(
        f"\nMean growth per order (value[{top}] / value[1]) ** (1/{top - 1}): derivatives time "
        f"{_g(time_growth)}, eqns {_g(eqn_growth)}; nested grad time (orders 1..{max(nested_eager)})"
        f" {_g(nested_growth)}."
    )
    k = min(6, top, max(nested_eager))
    return all_of("W3", "W3 Taylor mode", [
        at_most("W3", "", f"order-{k} derivatives time <= 0.1x nested grad's (mini_ad eager)",
                ratio(times.get(k), nested_eager.get(k)), 0.1),
        at_most("W3", "", f"mean time growth per order over 1..{top} <= 1.3", time_growth, 1.3),
    ])  # fmt: skip


def _t(seconds) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1e3:.3g} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.3g} µs"


def _g(value) -> str:
    return "—" if value is None else f"{value:.2f}"
