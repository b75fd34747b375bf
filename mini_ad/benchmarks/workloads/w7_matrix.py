"""W7, matrix jvp and vjp of ``f(A) = tanh(A @ A.T)``, A 200×200.

Both rows time the whole transform: ``jvp(f, (A,), (V,))`` returns f(A) and J·V;
``vjp`` is ``out, f_vjp = vjp(f, A)`` then ``f_vjp(U)``. The hand-written NumPy versions:

* jvp: B = A Aᵀ, Y = tanh B, Ẏ = (1 - Y²) ⊙ (V Aᵀ + A Vᵀ) — the product rule, 3 matmuls.
* vjp: G = (1 - Y²) ⊙ U, Ā = (G + Gᵀ) A — using the symmetry of A Aᵀ, 2 matmuls.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, at_most, ratio


def make_f(lib):
    return lambda a: lib.tanh(a @ a.T)


def hand_jvp(a, v):
    y = np.tanh(a @ a.T)
    return y, (1.0 - y * y) * (v @ a.T + a @ v.T)


def hand_vjp(a, u):
    y = np.tanh(a @ a.T)
    g = (1.0 - y * y) * u
    return y, (g + g.T) @ a


def cases(env, n: int) -> list[Case]:
    rng = np.random.default_rng(0)
    a, v, u = (rng.standard_normal((n, n)) / np.sqrt(n) for _ in range(3))
    ad, jvp, vjp = env.ad, {}, {}
    jvp["mini_ad"] = impl(lambda: ad.jvp(make_f(env.mnp), (a,), (v,)))
    vjp["mini_ad"] = impl(lambda: _run_vjp(ad.vjp, make_f(env.mnp), a, u))
    if env.jit is not None:
        jvp["mini_ad_jit"] = _jitted(
            lambda: env.jit(lambda a, v: ad.jvp(make_f(env.mnp), (a,), (v,))), a, v
        )
        vjp["mini_ad_jit"] = _jitted(
            lambda: env.jit(lambda a, u: _run_vjp(ad.vjp, make_f(env.mnp), a, u)), a, u
        )
    if env.ag is not None:
        ag = env.ag
        jvp["autograd"] = impl(lambda: ag.make_jvp(make_f(env.anp))(a)(v))
        vjp["autograd"] = impl(lambda: _autograd_vjp(ag, make_f(env.anp), a, u))
    if env.jax is not None:
        jax = env.jax
        jvp["jax"] = impl(lambda: jax.jvp(make_f(env.jnp), (a,), (v,)))
        vjp["jax"] = impl(lambda: _run_vjp(jax.vjp, make_f(env.jnp), a, u))
        jvp["jax_jit"] = _jitted(
            lambda: jax.jit(lambda a, v: jax.jvp(make_f(env.jnp), (a,), (v,))), a, v
        )
        vjp["jax_jit"] = _jitted(
            lambda: jax.jit(lambda a, u: _run_vjp(jax.vjp, make_f(env.jnp), a, u)), a, u
        )
    if env.torch is not None:
        jvp["torch"], vjp["torch"] = _torch_impls(env.torch, a, v, u)
    jvp["numpy"] = impl(lambda: hand_jvp(a, v))
    vjp["numpy"] = impl(lambda: hand_vjp(a, u))
    note = f"A {n}x{n}"
    return [
        Case("W7", "jvp", jvp, lambda: hand_jvp(a, v), 1e-10, 1e-12, note),
        Case("W7", "vjp", vjp, lambda: hand_vjp(a, u), 1e-10, 1e-12, note),
    ]


def _run_vjp(vjp, f, a, u):
    out, f_vjp = vjp(f, a)
    (ct_a,) = f_vjp(u)
    return out, ct_a


def _autograd_vjp(ag, f, a, u):
    f_vjp, out = ag.make_vjp(f)(a)
    return out, f_vjp(u)


def _jitted(make, *args):
    def prepare():
        fn = make()
        return lambda: fn(*args)

    return Impl(prepare)


def _torch_impls(torch, a, v, u):
    ta, tv, tu = torch.tensor(a), torch.tensor(v), torch.tensor(u)
    f = make_f(torch)
    return (
        impl(lambda: torch.func.jvp(f, (ta,), (tv,))),
        impl(lambda: _run_vjp(torch.func.vjp, f, ta, tu)),
    )


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult(
        "W7", f"jvp and vjp of tanh(A @ A.T), A {cfg.w7_n}x{cfg.w7_n}",
        note="Each call is the whole transform (forward included): jvp(f, (A,), (V,)); "
        "vjp(f, A) then f_vjp(U). Hand NumPy: jvp by the product rule (3 matmuls); vjp as "
        "(G + G.T) @ A with G = (1 - Y²) * U (2 matmuls).",
    )  # fmt: skip
    jvp_case, vjp_case = cases(env, cfg.w7_n)
    jvp, vjp = measure(jvp_case, cfg, env.skipped), measure(vjp_case, cfg, env.skipped)
    res.rows += [jvp, vjp]
    for name, backend in (("eager", "mini_ad"), ("jit", "mini_ad_jit")):
        why = env.skipped.get(backend, "")
        res.targets.append(
            at_most("W7", f"W7 matrix vjp, {name}", "vjp <= 1.5x hand NumPy",
                    ratio(vjp.median(backend), vjp.median("numpy")), 1.5, why)
        )  # fmt: skip
        res.targets.append(
            at_most("W7", f"W7 matrix jvp, {name}", "jvp <= 1.4x hand NumPy",
                    ratio(jvp.median(backend), jvp.median("numpy")), 1.4, why)
        )  # fmt: skip
    return res
