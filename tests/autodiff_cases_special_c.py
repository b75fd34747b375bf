"""Primitive table rows: ``wofz``, ``hyp1f1`` and its derivatives ``hyp1f1_grad_a`` and
``hyp1f1_grad_b`` of ``mini_ad/primitives/hypergeometric.py`` (accuracy:
``tests/test_scipy_special_hyp.py``), against ``jax.scipy.special``.

``wofz`` is holomorphic: its rows build ``z = complex(x, y)`` from real arguments and end
in ``real`` or ``imag``. ``hyp1f1`` has no second derivative in ``a`` or ``b`` here (JAX
differentiates its series loop once more): the row in all three operands is first order,
the row in ``x`` alone second order. ``hyp1f1_grad_a``/``_b`` are not differentiable:
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
