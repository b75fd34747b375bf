"""W1, per-op overhead: grad of the scalar chain ``x = sin(x)*1.01 + 0.1*x`` repeated N times.

The op count is read from mini_ad's jaxpr of the forward function (4 equations a step:
sin, two muls, add); each backend's grad time is divided by it.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.backends import LABELS
from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, all_of, at_most, fmt_time, ratio

X0 = 0.5
FLAT_LIMIT = 1.25  # "flat": per-op time at the largest N <= 1.25x that at the smallest


def chain(lib, steps: int):
    def f(x):
        for _ in range(steps):
            x = lib.sin(x) * 1.01 + 0.1 * x
        return x

    return f


def hand_grad(steps: int, x: float = X0) -> float:
    """Backprop by hand: d/dx [1.01 sin x + 0.1 x] = 1.01 cos x + 0.1, chained."""
    xs = np.empty(steps)
    x = np.float64(x)
    for k in range(steps):
        xs[k] = x
        x = np.sin(x) * 1.01 + 0.1 * x
    g = np.float64(1.0)
    for k in range(steps - 1, -1, -1):
        g = g * (1.01 * np.cos(xs[k]) + 0.1)
    return g


def cases(env, steps: int) -> list[Case]:
    ad, impls = env.ad, {}
    impls["mini_ad"] = impl(lambda: ad.grad(chain(env.mnp, steps))(X0))
    if env.jit is not None:
        impls["mini_ad_jit"] = _jitted(lambda: env.jit(ad.grad(chain(env.mnp, steps))))
    if env.ag is not None:
        impls["autograd"] = impl(lambda: env.ag.grad(chain(env.anp, steps))(X0))
    if env.jax is not None:
        jax = env.jax
        impls["jax"] = impl(lambda: jax.grad(chain(env.jnp, steps))(X0))
        impls["jax_jit"] = _jitted(lambda: jax.jit(jax.grad(chain(env.jnp, steps))))
    if env.torch is not None:
        impls["torch"] = impl(lambda: _torch_grad(env.torch, steps))
    impls["numpy"] = impl(lambda: hand_grad(steps))
    return [
        Case(
            "W1", f"grad, N={steps}", impls, lambda: hand_grad(steps), rtol=1e-9,
            note=f"{4 * steps} forward ops",
        )
    ]  # fmt: skip


def _jitted(make):
    def prepare():
        fn = make()
        return lambda: fn(X0)

    return Impl(prepare)


def _torch_grad(torch, steps: int):
    x = torch.tensor(X0, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(chain(torch, steps)(x), x)
    return g


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult(
        "W1", "per-op overhead: grad of a scalar chain", note="x = sin(x)*1.01 + 0.1*x, x0=0.5"
    )
    per_op, per_op_min = {}, {}
    for steps in cfg.w1_steps:
        ops = len(env.ad.make_jaxpr(chain(env.mnp, steps))(X0).eqns)
        if ops != 4 * steps:
            raise AssertionError(f"W1 expected {4 * steps} ops in the jaxpr, found {ops}")
        (case,) = cases(env, steps)
        row = measure(case, cfg, env.skipped)
        res.rows.append(row)
        per_op[steps] = {b: s.median / ops for b, s in row.stats.items()}
        per_op_min[steps] = {b: s.min / ops for b, s in row.stats.items()}
    res.metrics["per_op_s"] = {str(n): v for n, v in per_op.items()}
    backends = ("mini_ad", "mini_ad_jit", "autograd", "jax", "jax_jit", "numpy")
    res.extra_md.append("Grad time per forward op:\n")
    res.extra_md.append("| N | " + " | ".join(LABELS[b] for b in backends) + " |")
    res.extra_md.append("|---" * (len(backends) + 1) + "|")
    for n, times in per_op.items():
        cells = [fmt_time(times.get(b)) for b in backends]
        res.extra_md.append(f"| {n} | " + " | ".join(cells) + " |")
    lo, hi = min(per_op), max(per_op)
    flat = ratio(per_op[hi].get("mini_ad"), per_op[lo].get("mini_ad"))
    flat_min = ratio(per_op_min[hi].get("mini_ad"), per_op_min[lo].get("mini_ad"))
    res.metrics["mini_ad_flatness"] = flat
    res.metrics["mini_ad_flatness_from_min"] = flat_min
    eager_parts = [
        at_most(
            "W1", "", f"per-op <= 0.5x autograd's (N={n})", ratio(t.get("mini_ad"), t.get("autograd")), 0.5
        )
        for n, t in per_op.items()
    ]  # fmt: skip
    flat_part = at_most("W1", "", f"flat: per-op N={hi} / N={lo} <= {FLAT_LIMIT}", flat, FLAT_LIMIT)
    if flat_min is not None:  # the two N run minutes apart: the min is less load-sensitive
        flat_part.measured += f" (from the min times: {flat_min:.3g}x)"
    eager_parts.append(flat_part)
    res.targets.append(all_of("W1", "W1 grad, eager", eager_parts))
    jit_parts = [
        at_most(
            "W1", "", f"per-op <= 3x hand NumPy's (N={n})",
            ratio(t.get("mini_ad_jit"), t.get("numpy")), 3.0,
            env.skipped.get("mini_ad_jit", ""),
        )
        for n, t in per_op.items()
    ]  # fmt: skip
    res.targets.append(all_of("W1", "W1 grad, jit", jit_parts))
    return res
