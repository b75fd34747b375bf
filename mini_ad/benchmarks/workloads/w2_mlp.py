"""W2, MLP: grad of a softmax cross-entropy loss over a params pytree, float64.

Layers 784-512-512-10 with tanh, batch 128. Params are a list of ``{"w", "b"}`` dicts.
The log-softmax subtracts the row max under ``stop_gradient`` (autograd: its ``getval``),
which is what a hand-written backprop assumes.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.backends import LABELS
from mini_ad.benchmarks.harness import Case, Impl, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, at_most, fmt_ratio, ratio


def make_data(sizes, batch, seed=0):
    rng = np.random.default_rng(seed)
    params = [
        {"w": rng.standard_normal((m, n)) / np.sqrt(m), "b": 0.1 * rng.standard_normal(n)}
        for m, n in zip(sizes[:-1], sizes[1:], strict=True)
    ]
    x = rng.standard_normal((batch, sizes[0]))
    y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    return params, x, y


def make_loss(lib, stop_gradient):
    def loss(params, x, y):
        h = x
        for layer in params[:-1]:
            h = lib.tanh(h @ layer["w"] + layer["b"])
        z = h @ params[-1]["w"] + params[-1]["b"]
        z = z - stop_gradient(lib.max(z, axis=1, keepdims=True))
        log_p = z - lib.log(lib.sum(lib.exp(z), axis=1, keepdims=True))
        return -lib.sum(y * log_p) / x.shape[0]

    return loss


def hand_loss(params, x, y):
    return make_loss(np, lambda v: v)(params, x, y)


def hand_grad(params, x, y):
    """Backprop by hand: d loss/d z = (softmax(z) - y) / batch; d tanh = 1 - tanh²."""
    hs = [x]
    for layer in params[:-1]:
        hs.append(np.tanh(hs[-1] @ layer["w"] + layer["b"]))
    z = hs[-1] @ params[-1]["w"] + params[-1]["b"]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    delta = (p - y) / x.shape[0]
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        grads[i] = {"w": hs[i].T @ delta, "b": delta.sum(axis=0)}
        if i:
            delta = (delta @ params[i]["w"].T) * (1.0 - hs[i] ** 2)
    return grads


def cases(env, cfg) -> list[Case]:
    params, x, y = make_data(cfg.w2_sizes, cfg.w2_batch)
    ad, mnp = env.ad, env.mnp
    loss = {"mini_ad": make_loss(mnp, mnp.stop_gradient), "numpy": hand_loss}
    if env.ag is not None:
        from autograd.tracer import getval

        loss["autograd"] = make_loss(env.anp, getval)
    if env.jax is not None:
        loss["jax"] = make_loss(env.jnp, env.jax.lax.stop_gradient)
    fwd, grad = {}, {}
    fwd["mini_ad"] = impl(lambda: loss["mini_ad"](params, x, y))
    grad["mini_ad"] = impl(lambda: ad.grad(loss["mini_ad"])(params, x, y))
    if env.jit is not None:
        fwd["mini_ad_jit"] = _jitted(lambda: env.jit(loss["mini_ad"]), params, x, y)
        grad["mini_ad_jit"] = _jitted(lambda: env.jit(ad.grad(loss["mini_ad"])), params, x, y)
    if "autograd" in loss:
        fwd["autograd"] = impl(lambda: loss["autograd"](params, x, y))
        grad["autograd"] = impl(lambda: env.ag.grad(loss["autograd"])(params, x, y))
    if "jax" in loss:
        jax = env.jax
        fwd["jax"] = impl(lambda: loss["jax"](params, x, y))
        grad["jax"] = impl(lambda: jax.grad(loss["jax"])(params, x, y))
        fwd["jax_jit"] = _jitted(lambda: jax.jit(loss["jax"]), params, x, y)
        grad["jax_jit"] = _jitted(lambda: jax.jit(jax.grad(loss["jax"])), params, x, y)
    if env.torch is not None:
        fwd["torch"], grad["torch"] = _torch_impls(env.torch, params, x, y)
    fwd["numpy"] = impl(lambda: hand_loss(params, x, y))
    grad["numpy"] = impl(lambda: hand_grad(params, x, y))
    shape = "-".join(map(str, cfg.w2_sizes)) + f", batch {cfg.w2_batch}"
    return [
        Case("W2", "forward (loss)", fwd, lambda: hand_loss(params, x, y), 1e-10, 1e-12, shape),
        Case("W2", "grad", grad, lambda: hand_grad(params, x, y), 1e-8, 1e-12, shape),
    ]


def _jitted(make, *args):
    def prepare():
        fn = make()
        return lambda: fn(*args)

    return Impl(prepare)


def _torch_impls(torch, params, x, y):
    tp = [{k: torch.tensor(v, requires_grad=True) for k, v in layer.items()} for layer in params]
    tx, ty = torch.tensor(x), torch.tensor(y)
    leaves = [layer[k] for layer in tp for k in sorted(layer)]

    def loss():
        h = tx
        for layer in tp[:-1]:
            h = torch.tanh(h @ layer["w"] + layer["b"])
        z = h @ tp[-1]["w"] + tp[-1]["b"]
        return -(ty * torch.log_softmax(z, dim=1)).sum() / tx.shape[0]

    def grad():
        flat = torch.autograd.grad(loss(), leaves)
        it = iter(flat)
        return [{k: next(it) for k in sorted(layer)} for layer in tp]

    return impl(lambda: loss().detach()), impl(grad)


def run(env, cfg) -> WorkloadResult:
    sizes = "-".join(map(str, cfg.w2_sizes))
    res = WorkloadResult("W2", f"MLP {sizes}, batch {cfg.w2_batch}, tanh, softmax-CE, float64")
    fwd_case, grad_case = cases(env, cfg)
    fwd, grad = measure(fwd_case, cfg, env.skipped), measure(grad_case, cfg, env.skipped)
    res.rows += [fwd, grad]
    over_fwd = {b: ratio(grad.median(b), fwd.median(b)) for b in grad.stats}
    res.metrics["grad_over_forward"] = over_fwd
    res.extra_md.append(
        "Grad / forward, per backend: "
        + ", ".join(f"{LABELS[b]} {fmt_ratio(v)}" for b, v in over_fwd.items())
    )
    res.targets.append(
        at_most(
            "W2", "W2 MLP grad, eager", "mini_ad eager <= 1.10x hand backprop",
            ratio(grad.median("mini_ad"), grad.median("numpy")), 1.10,
        )
    )  # fmt: skip
    res.targets.append(
        at_most(
            "W2", "W2 MLP grad, jit", "mini_ad jit <= 1.05x hand backprop",
            ratio(grad.median("mini_ad_jit"), grad.median("numpy")), 1.05,
            env.skipped.get("mini_ad_jit", ""),
        )
    )  # fmt: skip
    return res
