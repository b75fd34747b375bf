"""Primitive table rows: control flow, jit, custom rules and checkpoint."""

from __future__ import annotations

import numpy as np
from autodiff_rows import (
    S,
    jax,
    jnp,
    lax,
    pos,
    real,
    row,
    unit,
)

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax as mlax

# --- control flow and custom rules (higher-order primitives) ----------------------------------


def _cond(m, c):
    return lambda x, y: c.cond(m.sum(x) > 0, lambda a, b: m.sin(a) * b, lambda a, b: a - b**2, x, y)


row("cond", _cond(mnp, mlax), _cond(jnp, lax), real(*S), real(*S))
row("cond", _cond(mnp, mlax), _cond(jnp, lax), lambda rng: -pos(*S)(rng), real(*S), variant="false")


def _scan(m, c):
    def step(carry, x):
        return carry * m.cos(x) + x, carry**2 * x

    def fn(c0, xs):
        carry, ys = c.scan(step, c0, xs)
        return ys * carry

    return fn


row("scan", _scan(mnp, mlax), _scan(jnp, lax), real(3), unit(4, 3))


def _while(m, c):
    def fn(x):
        _, y = c.while_loop(lambda s: s[0] < 3, lambda s: (s[0] + 1, m.sin(s[1]) * 1.5 + x), (0, x))
        return y

    return fn


# JAX differentiates while_loop in forward mode only; mini_ad also in reverse
# (by counting iterations at linearize time, so not under make_jaxpr(grad(...)))
row(
    "while", _while(mnp, mlax), _while(jnp, lax), real(*S), jax_modes=("fwd",), staged_reverse=False
)
row(
    "jit",
    ad.jit(lambda x, y: mnp.sin(x) * y),
    jax.jit(lambda x, y: jnp.sin(x) * y),
    real(*S),
    real(*S),
)


def _custom_jvp(ns, custom_jvp):
    @custom_jvp
    def f(x):
        return ns.sin(x) * x

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return f(x), (ns.cos(x) * x + ns.sin(x)) * t

    return f


row("custom_jvp_call", _custom_jvp(mnp, ad.custom_jvp), _custom_jvp(jnp, jax.custom_jvp), real(*S))


def _custom_vjp(ns, custom_vjp):
    @custom_vjp
    def f(x, y):
        return ns.exp(x) * y

    f.defvjp(
        lambda x, y: (f(x, y), (x, y)),
        lambda res, g: (ns.exp(res[0]) * res[1] * g, ns.exp(res[0]) * g),
    )
    return f


# JAX refuses forward mode on custom_vjp functions; custom_lin is the linear half of the rule
_cvjp = (_custom_vjp(mnp, ad.custom_vjp), _custom_vjp(jnp, jax.custom_vjp), real(*S), real(*S))
row("custom_vjp_call", *_cvjp, modes=("rev",), jax_modes=("rev",))
row("custom_lin", *_cvjp, modes=("rev",), jax_modes=("rev",), staged_in_linearize=True)
row(
    "remat2",
    ad.checkpoint(lambda x: mnp.sin(mnp.sin(x)) * x),
    jax.checkpoint(lambda x: jnp.sin(jnp.sin(x)) * x),
    real(*S),
)


def _linearized(ns, linearize):
    """The jvp function of ``linearize`` at a fixed point: at concrete inputs mini_ad
    stages one ``linear_call`` per primitive, which this function binds (it is linear)."""
    point = np.linspace(0.2, 1.4, 6).reshape(S)
    return linearize(lambda x: ns.sin(x) * x + ns.exp(x), point)[1]


row(
    "linear_call",
    _linearized(mnp, ad.linearize),
    _linearized(jnp, jax.linearize),
    real(*S),
    linear=True,
)
