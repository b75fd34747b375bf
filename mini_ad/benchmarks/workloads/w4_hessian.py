"""W4, Hessian of the Rosenbrock function on R^n (n = 100) by ``jacfwd(jacrev(f))`` and ``hessian``.

autograd has no forward-over-reverse Jacobian; its column is ``autograd.hessian`` in both
rows. The NumPy column is the analytic (tridiagonal) Hessian.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, at_most, ratio


def make_rosen(lib):
    return lambda x: lib.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def hand_hessian(x):
    """Sum of 100 (x[i+1] - x[i]²)² + (1 - x[i])²: its second derivatives, term by term."""
    n = x.size
    h = np.zeros((n, n))
    d = np.zeros(n)
    d[:-1] += 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
    d[1:] += 200.0
    off = -400.0 * x[:-1]
    h[np.arange(n), np.arange(n)] = d
    h[np.arange(n - 1), np.arange(1, n)] = off
    h[np.arange(1, n), np.arange(n - 1)] = off
    return h


def cases(env, n: int) -> list[Case]:
    x = np.linspace(-1.2, 1.2, n)
    ad, out = env.ad, []
    for name, mini, jx in (
        ("jacfwd(jacrev(f))", lambda f: ad.jacfwd(ad.jacrev(f)), "fwd_rev"),
        ("hessian(f)", ad.hessian, "hessian"),
    ):
        impls = {"mini_ad": impl(lambda mini=mini: mini(make_rosen(env.mnp))(x))}
        if env.jit is not None:
            impls["mini_ad_jit"] = _jitted(lambda mini=mini: env.jit(mini(make_rosen(env.mnp))), x)
        if env.ag is not None:
            impls["autograd"] = impl(lambda: env.ag.hessian(make_rosen(env.anp))(x))
        if env.jax is not None:
            jax = env.jax
            tx = jax.hessian if jx == "hessian" else lambda f: jax.jacfwd(jax.jacrev(f))
            impls["jax"] = impl(lambda tx=tx: tx(make_rosen(env.jnp))(x))
            impls["jax_jit"] = _jitted(lambda tx=tx: jax.jit(tx(make_rosen(env.jnp))), x)
        if env.torch is not None:
            torch = env.torch
            tx_ = torch.tensor(x)
            impls["torch"] = impl(lambda: torch.autograd.functional.hessian(make_rosen(torch), tx_))
        impls["numpy"] = impl(lambda: hand_hessian(x))
        out.append(
            Case("W4", name, impls, lambda: hand_hessian(x), 1e-10, 1e-9,
                 f"R^{n}; autograd column: autograd.hessian")
        )  # fmt: skip
    return out


def _jitted(make, *args):
    def prepare():
        fn = make()
        return lambda: fn(*args)

    return Impl(prepare)


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult(
        "W4", f"Hessian of Rosenbrock on R^{cfg.w4_n}",
        note="x = linspace(-1.2, 1.2, n). autograd has no forward-over-reverse Jacobian: its "
        "column is autograd.hessian in both rows. Hand NumPy: the analytic tridiagonal Hessian.",
    )  # fmt: skip
    for case in cases(env, cfg.w4_n):
        res.rows.append(measure(case, cfg, env.skipped))
    fr = res.rows[0]
    res.targets.append(
        at_most("W4", "W4 Hessian, eager", "jacfwd(jacrev) eager <= 0.2x autograd.hessian",
                ratio(fr.median("mini_ad"), fr.median("autograd")), 0.2)
    )  # fmt: skip
    res.targets.append(
        at_most("W4", "W4 Hessian, jit", "jacfwd(jacrev) jit <= 3x jax.jit's",
                ratio(fr.median("mini_ad_jit"), fr.median("jax_jit")), 3.0,
                env.skipped.get("mini_ad_jit", ""))
    )  # fmt: skip
    return res
