"""Primitive table rows: ``wofz``, ``hyp1f1`` and ``hyp2f1`` and their parameter
derivatives (``hyp1f1_grad_a``, ...) of ``mini_ad/primitives/hypergeometric.py`` (accuracy:
``tests/test_scipy_special_hyp.py``), against ``jax.scipy.special``.

``wofz`` is holomorphic: its rows build ``z = complex(x, y)`` from real arguments and end
in ``real`` or ``imag``. ``hyp1f1`` and ``hyp2f1`` have no second derivative in their
parameters here (JAX differentiates its series loop once more): the rows in all operands
are first order, the row of ``hyp1f1`` in ``x`` alone second order. The ``_grad_`` primitives are not
differentiable:
their rows stop the gradient of their operands.
"""

from __future__ import annotations

import numpy as np
from autodiff_rows import S, jax, jnp, lax, pos, real, row

from mini_ad.api.gradients import stop_gradient
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import hypergeometric as hg

jss = jax.scipy.special


def _z(x, y):
    return cp.complex(x, y)


def _jz(x, y):
    return lax.complex(x, y)


row("wofz", lambda x, y: cp.real(hg.wofz(_z(x, y))), lambda x, y: jnp.real(jss.wofz(_jz(x, y))),
    real(*S), pos(*S))  # fmt: skip
row("wofz", lambda x, y: cp.imag(hg.wofz(_z(x, y))), lambda x, y: jnp.imag(jss.wofz(_jz(x, y))),
    real(*S), real(*S), variant="imag")  # fmt: skip

row("hyp1f1", hg.hyp1f1, jss.hyp1f1, pos(*S), pos(*S), real(*S), max_order=1)
_A, _B = np.array(1.3), np.array(2.7)
row("hyp1f1", lambda x: hg.hyp1f1(_A, _B, x), lambda x: jss.hyp1f1(_A, _B, x), real(*S),
    variant="x")  # fmt: skip


def _stopped(mini, jax_fn):
    return (
        lambda a, b, x: mini(stop_gradient(a), stop_gradient(b), stop_gradient(x)),
        lambda a, b, x: jax_fn(*(lax.stop_gradient(v) for v in (a, b, x))),
    )


def _jax_grad(argnum):
    return jnp.vectorize(jax.grad(jss.hyp1f1, argnum))


for _name, _fun, _argnum in [("hyp1f1_grad_a", hg.hyp1f1_grad_a, 0),
                             ("hyp1f1_grad_b", hg.hyp1f1_grad_b, 1)]:  # fmt: skip
    row(_name, *_stopped(_fun, _jax_grad(_argnum)), pos(*S), pos(*S), real(*S),
        finite_differences=False)  # fmt: skip


def unit_x(*shape):
    return lambda rng: rng.uniform(-0.8, 0.8, size=shape)


row("hyp2f1", hg.hyp2f1, jss.hyp2f1, pos(*S), pos(*S), pos(*S), unit_x(*S), max_order=1)
# hyp2f1's second derivative in x: test_scipy_special_hyp.py (against the closed form) and
# the comparison case special/hyp2f1_in_x (against JAX); JAX compiles its loops slowly


def _stopped4(mini, jax_fn):
    return (
        lambda *args: mini(*(stop_gradient(v) for v in args)),
        lambda *args: jax_fn(*(lax.stop_gradient(v) for v in args)),
    )


def _jax_grad4(argnum):
    return jnp.vectorize(jax.grad(jss.hyp2f1, argnum))


for _name, _fun, _argnum in [("hyp2f1_grad_a", hg.hyp2f1_grad_a, 0),
                             ("hyp2f1_grad_b", hg.hyp2f1_grad_b, 1),
                             ("hyp2f1_grad_c", hg.hyp2f1_grad_c, 2)]:  # fmt: skip
    row(_name, *_stopped4(_fun, _jax_grad4(_argnum)), pos(*S), pos(*S), pos(*S), unit_x(*S),
        finite_differences=False)  # fmt: skip
