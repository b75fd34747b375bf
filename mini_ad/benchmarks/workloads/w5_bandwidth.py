"""W5, large elementwise: ``sum(tanh(x)**2 + x*exp(-x**2))`` for x of 10^6 float64.

Reports grad / forward and the peak memory of one grad call: ``tracemalloc``'s peak (NumPy
reports its buffers to it) over ``x.nbytes``. JAX's and PyTorch's buffers are invisible to
tracemalloc, so their memory column is left empty.
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.backends import LABELS
from mini_ad.benchmarks.harness import Case, Impl, impl, measure, peak_memory
from mini_ad.benchmarks.results import WorkloadResult, all_of, at_most, ratio


def make_f(lib):
    return lambda x: lib.sum(lib.tanh(x) ** 2 + x * lib.exp(-(x**2)))


def hand_grad(x):
    """d/dx [tanh² x + x e^{-x²}] = 2 tanh x (1 - tanh² x) + (1 - 2x²) e^{-x²}."""
    t = np.tanh(x)
    return 2.0 * t * (1.0 - t * t) + (1.0 - 2.0 * x * x) * np.exp(-x * x)


def cases(env, n: int) -> list[Case]:
    x = np.random.default_rng(0).standard_normal(n)
    ad, fwd, grad = env.ad, {}, {}
    fwd["mini_ad"] = impl(lambda: make_f(env.mnp)(x))
    grad["mini_ad"] = impl(lambda: ad.grad(make_f(env.mnp))(x))
    if env.jit is not None:
        fwd["mini_ad_jit"] = _jitted(lambda: env.jit(make_f(env.mnp)), x)
        grad["mini_ad_jit"] = _jitted(lambda: env.jit(ad.grad(make_f(env.mnp))), x)
    if env.ag is not None:
        fwd["autograd"] = impl(lambda: make_f(env.anp)(x))
        grad["autograd"] = impl(lambda: env.ag.grad(make_f(env.anp))(x))
    if env.jax is not None:
        jax = env.jax
        fwd["jax"] = impl(lambda: make_f(env.jnp)(x))
        grad["jax"] = impl(lambda: jax.grad(make_f(env.jnp))(x))
        fwd["jax_jit"] = _jitted(lambda: jax.jit(make_f(env.jnp)), x)
        grad["jax_jit"] = _jitted(lambda: jax.jit(jax.grad(make_f(env.jnp))), x)
    if env.torch is not None:
        fwd["torch"], grad["torch"] = _torch_impls(env.torch, x)
    fwd["numpy"] = impl(lambda: make_f(np)(x))
    grad["numpy"] = impl(lambda: hand_grad(x))
    note = f"n = {n}"
    return [
        Case("W5", "forward", fwd, lambda: make_f(np)(x), 1e-10, 0.0, note),
        Case("W5", "grad", grad, lambda: hand_grad(x), 1e-9, 1e-12, note),
    ]


def _jitted(make, *args):
    def prepare():
        fn = make()
        return lambda: fn(*args)

    return Impl(prepare)


def _torch_impls(torch, x):
    tx = torch.tensor(x, requires_grad=True)

    def grad():
        (g,) = torch.autograd.grad(make_f(torch)(tx), tx)
        return g

    return impl(lambda: make_f(torch)(tx).detach()), impl(grad)


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult("W5", f"large elementwise, n = {cfg.w5_n} float64")
    fwd_case, grad_case = cases(env, cfg.w5_n)
    fwd, grad = measure(fwd_case, cfg, env.skipped), measure(grad_case, cfg, env.skipped)
    res.rows += [fwd, grad]
    nbytes = cfg.w5_n * 8
    memory = {}
    for backend in ("mini_ad", "mini_ad_jit", "autograd", "numpy"):
        if grad.status.get(backend) == "ok":
            call = grad_case.impls[backend].prepare()
            call()  # a jit compiles outside the measured call
            memory[backend] = peak_memory(call) / nbytes
    res.metrics["peak_memory_over_input"] = memory
    np_fwd = fwd.median("numpy")
    over = {b: ratio(grad.median(b), np_fwd) for b in grad.stats}
    res.metrics["grad_over_numpy_forward"] = over
    res.extra_md.append(
        "| backend | grad / NumPy forward | grad / own forward | peak memory / input |"
    )
    res.extra_md.append("|---|---|---|---|")
    for b in grad.stats:
        own = ratio(grad.median(b), fwd.median(b))
        mem = memory.get(b)
        res.extra_md.append(
            f"| {LABELS[b]} | {_x(over[b])} | {_x(own)} | {'—' if mem is None else f'{mem:.2f}x'} |"
        )
    for name, backend in (("eager", "mini_ad"), ("jit", "mini_ad_jit")):
        why = env.skipped.get(backend, "")
        res.targets.append(
            all_of("W5", f"W5 bandwidth, {name}", [
                at_most("W5", "", "grad <= 2.5x the NumPy forward", over.get(backend), 2.5, why),
                at_most("W5", "", "peak memory <= 6x the input", memory.get(backend), 6.0, why),
            ])
        )  # fmt: skip
    return res


def _x(value) -> str:
    return "—" if value is None else f"{value:.3g}x"
