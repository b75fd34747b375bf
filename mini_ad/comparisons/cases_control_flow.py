"""Control flow (``np.lax``), custom derivative rules, ``checkpoint``, ``jit`` and ``vmap``.

These run once mini_ad has the feature; until then they are reported *unsupported*.
JAX's ``while_loop`` has no reverse mode and a ``custom_vjp`` function no forward mode,
so those cases check only the transforms JAX defines.
"""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

FORWARD_ONLY = ("value", "jvp", "jacfwd")
REVERSE_ONLY = ("value", "grad", "vjp", "jacrev")


@case("control_flow", A(3))
def cond_on_sum(np, x):
    return np.lax.cond(np.sum(x) > 0, lambda a: np.sin(a) * a, lambda a: np.cos(a) * 2.0, x)


@case("control_flow", onp.array([0.3, -0.2]), onp.array([0.1, 0.5]))
def cond_pytree_operands(np, x, y):
    true_fun = lambda t: {"p": t[0] * t[1], "q": np.exp(t[0])}
    false_fun = lambda t: {"p": t[0] - t[1], "q": t[1] ** 2}
    out = np.lax.cond(x[0] > y[0], true_fun, false_fun, (x, y))
    return np.sum(out["p"]) + np.sum(out["q"])


@case("control_flow", A(4))
def switch_on_argmax(np, x):
    branches = [lambda a: np.sum(a**2), lambda a: np.sum(np.sin(a)), lambda a: np.prod(a)]
    return np.lax.switch(np.argmax(x) % 3, branches, x)


@case("control_flow", A(3, lo=-1, hi=1))
def fori_loop_static(np, x):
    return np.lax.fori_loop(0, 4, lambda i, c: np.sin(c) * c + 0.1 * i, x)


@case("control_flow", 0.5, A(5, lo=-1, hi=1))
def scan_carry_and_outputs(np, c0, xs):
    carry, ys = np.lax.scan(lambda c, x: (c * np.cos(x) + x, c**2 * x), c0, xs)
    return carry + np.sum(ys)


@case("control_flow", A(2), A(4, 2))
def scan_reverse_pytree(np, h0, xs):
    def step(carry, x):
        h, total = carry
        h = np.tanh(h * x + 0.5)
        return (h, total + np.sum(h)), h * 2.0

    (h, total), hs = np.lax.scan(step, (h0, 0.0), xs, reverse=True)
    return np.sum(h) + total + np.sum(hs**2)


@case("control_flow", A(2, lo=0.1, hi=1), transforms=FORWARD_ONLY)
def while_loop_forward(np, x):
    def body(state):
        v, i = state
        return v * 1.1 + np.sin(v), i + 1

    return np.lax.while_loop(lambda s: s[1] < 4, body, (x, 0))[0]


@case("control_flow", A(3))
def custom_jvp_softplus(np, x):
    @np.ad.custom_jvp
    def softplus(a):
        return np.log1p(np.exp(a))

    @softplus.defjvp
    def softplus_jvp(primals, tangents):
        (a,), (t,) = primals, tangents
        return softplus(a), t / (1.0 + np.exp(-a))

    return np.sum(softplus(x) * x)


@case("control_flow", A(3), fd=False, note="the custom rule is not the true derivative, by design")
def custom_jvp_scaled_rule(np, x):
    @np.ad.custom_jvp
    def f(a):
        return np.sin(a)

    f.defjvp(lambda primals, tangents: (f(primals[0]), 2.0 * tangents[0] * np.cos(primals[0])))
    return np.sum(f(x) ** 2)


@case("control_flow", A(3), transforms=REVERSE_ONLY)
def custom_vjp_sin(np, x):
    @np.ad.custom_vjp
    def f(a):
        return np.sin(a)

    f.defvjp(lambda a: (np.sin(a), np.cos(a)), lambda cos_a, g: (g * cos_a,))
    return np.sum(f(x) * x)


@case("control_flow", A(3, lo=-3, hi=3), transforms=REVERSE_ONLY, fd=False,
      note="gradient clipping: the custom rule is not the true derivative, by design")  # fmt: skip
def custom_vjp_clip_gradient(np, x):
    @np.ad.custom_vjp
    def clip_grad(a):
        return a

    clip_grad.defvjp(lambda a: (a, None), lambda _, g: (np.clip(g, -0.5, 0.5),))
    return np.sum(clip_grad(x**2) * 3.0)


@case("control_flow", A(3))
def checkpoint(np, x):
    f = np.ad.checkpoint(lambda a: np.sin(np.sin(a)) * a)
    return np.sum(f(x) ** 2)


@case("control_flow", A(2, 3), A(3))
def jit_inside(np, m, v):
    f = np.ad.jit(lambda a, b, k: np.tanh(a @ b) ** k, static_argnums=2)
    return f(m, v, 2) + f(m, v * 2.0, 3)


@case("control_flow", A(4, 3))
def vmap_rows(np, x):
    return np.ad.vmap(lambda row: np.sum(np.sin(row) ** 2))(x)


@case("control_flow", A(4, 3), A(3))
def vmap_in_axes_none(np, x, w):
    return np.ad.vmap(lambda row, v: np.dot(row, v) * row, in_axes=(0, None))(x, w)


@case("control_flow", A(3, 2))
def per_example_gradients(np, x):
    loss = lambda w, row: np.sum(np.tanh(row * w) ** 2)
    return np.ad.vmap(np.ad.grad(loss), in_axes=(None, 0))(np.array([0.5, -1.0]), x)
