"""W8, large arrays (issue 20): where XLA's fusion pays, behind ``--large``.

Three cases, each on mini_ad eager, mini_ad ``jit`` (NumPy), mini_ad
``jit(backend="xla")``, ``jax.jit`` of the same JAX program and hand NumPy:

* W5 at 10^7 elements: ``grad`` of ``sum(tanh(x)**2 + x*exp(-x**2))``;
* W2 at batch 4096: ``grad`` of the 784-512-512-10 softmax cross-entropy MLP;
* a training step (``params - lr * grad``) of a 10-layer tanh MLP, width 256, batch 1024.

Both XLA columns get the same NumPy inputs and return when the result is ready. Targets:
mini_ad→XLA within 1.10x of ``jax.jit`` in the steady state, and its first call (trace +
lower + XLA compile + run) within 1.5x of ``jax.jit``'s.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, all_of, at_most, ratio
from mini_ad.benchmarks.workloads import w2_mlp, w5_bandwidth

LR = 0.01


def _jitted(make, *args):
    def prepare():
        fn = make()
        return lambda: fn(*args)

    return Impl(prepare)


def _sgd(tree_map, grad_fn):
    """``params - LR * grad(loss)(params, x, y)``, with ``tree_map`` from the library."""
    return lambda params, x, y: tree_map(lambda p, g: p - LR * g, params, grad_fn(params, x, y))


def _impls(env, ours, theirs, hand, *args) -> dict:
    """Every backend of one case: ``ours(lib)`` is mini_ad's function, ``theirs`` JAX's."""
    impls = {"mini_ad": impl(lambda: ours(*args))}
    if env.jit is not None:
        impls["mini_ad_jit"] = _jitted(lambda: env.jit(ours), *args)
    if env.xla_jit is not None:
        impls["mini_ad_xla"] = _jitted(lambda: env.xla_jit(ours), *args)
    if env.jax is not None:
        impls["jax_jit"] = _jitted(lambda: env.jax.jit(theirs), *args)
    impls["numpy"] = impl(lambda: hand(*args))
    return impls


def cases(env, cfg) -> list[Case]:
    """The three W8 cases at ``cfg``'s sizes, with an ``Impl`` per available backend."""
    ad, mnp = env.ad, env.mnp
    jax_tree_map = env.jax.tree_util.tree_map if env.jax is not None else None
    out = []
    # W5 at 10^7 elements
    x = np.random.default_rng(0).standard_normal(cfg.w8_w5_n)
    jax_grad = env.jax.grad(w5_bandwidth.make_f(env.jnp)) if env.jax is not None else None
    impls = _impls(env, ad.grad(w5_bandwidth.make_f(mnp)), jax_grad, w5_bandwidth.hand_grad, x)
    out.append(
        Case("W8", "W5 grad", impls, lambda: w5_bandwidth.hand_grad(x), 1e-9, 1e-12,
             f"n = {cfg.w8_w5_n}")
    )  # fmt: skip
    # W2 at batch 4096
    params, xb, yb = w2_mlp.make_data(cfg.w2_sizes, cfg.w8_w2_batch)
    ours = ad.grad(w2_mlp.make_loss(mnp, mnp.stop_gradient))
    theirs = None
    if env.jax is not None:
        theirs = env.jax.grad(w2_mlp.make_loss(env.jnp, env.jax.lax.stop_gradient))
    impls = _impls(env, ours, theirs, w2_mlp.hand_grad, params, xb, yb)
    sizes = "-".join(map(str, cfg.w2_sizes))
    out.append(
        Case("W8", "W2 grad", impls, lambda: w2_mlp.hand_grad(params, xb, yb), 1e-8, 1e-12,
             f"{sizes}, batch {cfg.w8_w2_batch}")
    )  # fmt: skip
    # a training step of a 10-layer MLP
    width, depth = cfg.w8_mlp_width, cfg.w8_mlp_layers
    mlp_sizes = (width,) * depth + (10,)
    pm, xm, ym = w2_mlp.make_data(mlp_sizes, cfg.w8_mlp_batch, seed=1)
    ours = _sgd(ad.tree_util.tree_map, ad.grad(w2_mlp.make_loss(mnp, mnp.stop_gradient)))
    if env.jax is not None:
        loss = w2_mlp.make_loss(env.jnp, env.jax.lax.stop_gradient)
        theirs = _sgd(jax_tree_map, env.jax.grad(loss))
    hand = _sgd(ad.tree_util.tree_map, w2_mlp.hand_grad)
    impls = _impls(env, ours, theirs, hand, pm, xm, ym)
    out.append(
        Case("W8", "MLP train step", impls, lambda: hand(pm, xm, ym), 1e-9, 1e-12,
             f"{depth} layers of {width}, batch {cfg.w8_mlp_batch}")
    )  # fmt: skip
    return out


def run(env, cfg) -> WorkloadResult:
    """Check and time the W8 cases; one target (steady state and compile) per case."""
    res = WorkloadResult(
        "W8", "large arrays: mini_ad compiled by XLA (issue 20)",
        "Both XLA columns take NumPy inputs; *compile* is the first call (trace + compile + run).",
    )  # fmt: skip
    for case in cases(env, cfg):
        row = measure(case, cfg, env.skipped)
        res.rows.append(row)
        why = env.skipped.get("mini_ad_xla", "") or env.skipped.get("jax_jit", "")
        first = row.first_s if all(row.stats.get(b) for b in ("mini_ad_xla", "jax_jit")) else {}
        res.targets.append(
            all_of("W8", f"W8 {case.name}, mini_ad→XLA", [
                at_most("W8", "", "steady state <= 1.10x jax.jit",
                        ratio(row.median("mini_ad_xla"), row.median("jax_jit")), 1.10, why),
                at_most("W8", "", "compile <= 1.5x jax.jit's",
                        ratio(first.get("mini_ad_xla"), first.get("jax_jit")), 1.5, why),
            ])
        )  # fmt: skip
    return res
