"""Rows of the primitive table for special_gamma.py's cards (accuracy: test_scipy_special_gamma.py).

``igamma_grad_a``, ``random_gamma_grad`` and lax's ``zeta`` have no derivative in JAX
either: their rows stop the gradient of their operands, so that the rows check binding,
values, vmap and jit against JAX while both libraries agree the derivative is zero.
``regularized_incomplete_beta`` is differentiated in ``x`` only (JAX refuses ``a``, ``b``).
"""

from __future__ import annotations

import jax.scipy.special as jsp
import numpy as np
from autodiff_rows import lax, pos, row

from mini_ad.api.gradients import stop_gradient
from mini_ad.primitives import special_gamma as sg

S = (2, 3)


def gt1(*shape):
    return lambda rng: rng.uniform(1.5, 4.0, size=shape)


def in01(*shape):
    return lambda rng: rng.uniform(0.05, 0.95, size=shape)


# order 1: the second derivative needs igamma_grad_a's, which JAX does not have either
row("igamma", sg.igamma, lax.igamma, pos(*S), pos(*S), max_order=1)
row("igammac", sg.igammac, lax.igammac, pos(*S), pos(*S), max_order=1)
row(
    "igamma_grad_a",
    lambda a, x: sg.igamma_grad_a(stop_gradient(a), stop_gradient(x)),
    lambda a, x: lax.igamma_grad_a(lax.stop_gradient(a), lax.stop_gradient(x)),
    pos(*S),
    pos(*S),
    finite_differences=False,
)
row(
    "random_gamma_grad",
    lambda a, x: sg.random_gamma_grad(stop_gradient(a), stop_gradient(x)),
    lambda a, x: lax.random_gamma_grad(lax.stop_gradient(a), lax.stop_gradient(x)),
    pos(*S),
    pos(*S),
    finite_differences=False,
)
row(
    "zeta",
    lambda s, q: sg.zeta(stop_gradient(s), stop_gradient(q)),
    lambda s, q: lax.zeta(lax.stop_gradient(s), lax.stop_gradient(q)),
    gt1(*S),
    pos(*S),
    finite_differences=False,
)
row(
    "regularized_incomplete_beta",
    lambda x: sg.betainc(np.full(S, 2.5), np.full(S, 0.7), x),
    lambda x: lax.betainc(np.full(S, 2.5), np.full(S, 0.7), x),
    in01(*S),
)
row("erfcx", sg.erfcx, jsp.erfcx, lambda rng: rng.normal(size=S))
row("erfc_inv", sg.erfc_inv, lambda y: jsp.erfinv(1 - y), lambda rng: rng.uniform(0.2, 1.8, S))
