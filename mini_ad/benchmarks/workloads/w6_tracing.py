"""W6, tracing cost: ``make_jaxpr`` and the first call of ``jit(grad(f))`` for a 1000-op f.

f is W1's chain on a 16-vector for 250 steps, then a sum: 1001 equations. Every timed call
builds a fresh function object, so no tracing or compilation cache is hit; the
``make_jaxpr`` results are checked by evaluating the jaxprs they return.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.backends import LABELS
from mini_ad.benchmarks.harness import Case, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, at_most, fmt_time, ratio


def fresh_f(lib, steps: int):
    """A new function object on every call (defeats caches keyed on the function)."""

    def f(x):
        for _ in range(steps):
            x = lib.sin(x) * 1.01 + 0.1 * x
        return lib.sum(x)

    return f


def hand_grad(x, steps: int):
    xs = []
    for _ in range(steps):
        xs.append(x)
        x = np.sin(x) * 1.01 + 0.1 * x
    g = np.ones_like(x)
    for xk in reversed(xs):
        g = g * (1.01 * np.cos(xk) + 0.1)
    return g


def cases(env, cfg) -> list[Case]:
    steps = cfg.w6_steps
    x = np.linspace(0.0, 1.0, cfg.w6_width)
    ad = env.ad
    trace, first = {}, {}
    trace["mini_ad"] = impl(
        lambda: ad.make_jaxpr(fresh_f(env.mnp, steps))(x),
        check=lambda c: ad.eval_jaxpr(c.jaxpr, c.consts, [x]),
    )
    if env.jit is not None:
        first["mini_ad_jit"] = impl(lambda: env.jit(ad.grad(fresh_f(env.mnp, steps)))(x))
    if env.jax is not None:
        jax = env.jax
        from jax.extend.core import jaxpr_as_fun

        trace["jax"] = impl(
            lambda: jax.make_jaxpr(fresh_f(env.jnp, steps))(x),
            check=lambda c: jaxpr_as_fun(c)(x),
        )
        first["jax_jit"] = impl(lambda: jax.jit(jax.grad(fresh_f(env.jnp, steps)))(x))
    forward = lambda: fresh_f(np, steps)(x)
    gradient = lambda: hand_grad(x, steps)
    note = f"{steps} steps on a {cfg.w6_width}-vector"
    return [
        Case("W6", "make_jaxpr(f)", trace, forward, 1e-10, 0.0, note, report_first=False),
        Case("W6", "jit(grad(f)) first call", first, gradient, 1e-9, 1e-12, note, report_first=False),
    ]  # fmt: skip


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult("W6", f"tracing cost of a {4 * cfg.w6_steps + 1}-op function")
    x = np.linspace(0.0, 1.0, cfg.w6_width)
    ops = {"mini_ad": len(env.ad.make_jaxpr(fresh_f(env.mnp, cfg.w6_steps))(x).eqns)}
    if env.jax is not None:
        ops["jax"] = len(env.jax.make_jaxpr(fresh_f(env.jnp, cfg.w6_steps))(x).eqns)
    trace_case, first_case = cases(env, cfg)
    trace, first = measure(trace_case, cfg, env.skipped), measure(first_case, cfg, env.skipped)
    res.rows += [trace, first]
    per_op = {b: trace.median(b) / ops[b] for b in trace.stats if b in ops}
    res.metrics["ops"] = ops
    res.metrics["make_jaxpr_per_op_s"] = per_op
    res.extra_md.append(
        "make_jaxpr per op: "
        + ", ".join(f"{LABELS[b]} {fmt_time(t)} ({ops[b]} eqns)" for b, t in per_op.items())
    )
    res.targets.append(
        at_most("W6", "W6 tracing, make_jaxpr", "make_jaxpr per op <= 0.5x JAX's",
                ratio(per_op.get("mini_ad"), per_op.get("jax")), 0.5)
    )  # fmt: skip
    res.targets.append(
        at_most("W6", "W6 tracing, jit", "jit(grad(f)) first call <= 0.25x jax.jit's",
                ratio(first.median("mini_ad_jit"), first.median("jax_jit")), 0.25,
                env.skipped.get("mini_ad_jit", ""))
    )  # fmt: skip
    return res
