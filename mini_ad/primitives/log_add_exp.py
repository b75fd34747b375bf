"""The log-sum-exp of two, ``logaddexp`` and ``logaddexp2``, for real and complex operands.

Real operands run NumPy's ufuncs; complex ones JAX's formula (see ``_log_add_exp_impl``).
The derivatives are JAX's, finite at infinities (``logaddexp(inf, inf)``: ``1, 1``).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.arithmetic import mul, sub
from mini_ad.primitives.complex_parts import real
from mini_ad.primitives.helpers import const
from mini_ad.primitives.logic import eq, select_n
from mini_ad.primitives.transcendental import _binary, _real_ufunc_code, exp, exp2


def _finite_or_zero(x):
    """x, with +inf (in the real part) replaced by 0: JAX's rule for the derivatives of
    logaddexp at inf."""
    re_x = real(x) if aval_of(x).dtype.kind == "c" else x
    return select_n(eq(re_x, const(re_x, np.inf)), x, zeros_like(x))


def _log_add_exp_derivative(base_exp):
    # d/dx log_b(b^x + b^y) = b^(x - out), with +inf read as 0 (JAX: inf, inf -> 1, 1)
    def d_x(t, ans, x, y):
        return mul(t, base_exp(sub(_finite_or_zero(x), _finite_or_zero(ans))))

    def d_y(t, ans, x, y):
        return mul(t, base_exp(sub(_finite_or_zero(y), _finite_or_zero(ans))))

    return d_x, d_y


def _log_add_exp_impl(real_fn, base_exp, scale):
    """``real_fn`` for real operands; for complex ones JAX's formula: with ``m`` the
    lexicographic maximum, ``m + scale * log1p(base_exp(x + y - 2 m))``, its imaginary
    part wrapped into ``[-π/scale', π/scale']`` (``scale = 1/ln b``)."""
    half_period = np.pi * (1.0 if scale == 1.0 else 1 / np.log(2))

    def impl(x, y):
        if np.result_type(x, y).kind != "c":
            return real_fn(x, y)
        m = np.maximum(x, y)
        out = m + np.finfo(m.dtype).dtype.type(scale) * np.log1p(base_exp(x + y - 2 * m))
        im = np.fmod(out.imag + half_period, 2 * half_period)
        im = np.where(im < 0, im + 2 * half_period, im) - half_period
        return (out.real + 1j * im).astype(out.dtype)

    return impl


logaddexp_p, logaddexp = _binary(
    "logaddexp",
    _log_add_exp_impl(np.logaddexp, np.exp, 1.0),
    *_log_add_exp_derivative(exp),
    commutative=True,
)
logaddexp_p.codegen = _real_ufunc_code("logaddexp")
logaddexp_p.lowering = lambda lx, x, y: lx.jnp.logaddexp(x, y)
# log2(2^x + 2^y); d/dx = 2^(x - out)
logaddexp2_p, logaddexp2 = _binary(
    "logaddexp2",
    _log_add_exp_impl(np.logaddexp2, np.exp2, 1 / np.log(2)),
    *_log_add_exp_derivative(exp2),
    commutative=True,
)
logaddexp2_p.codegen = _real_ufunc_code("logaddexp2")
logaddexp2_p.lowering = lambda lx, x, y: lx.jnp.logaddexp2(x, y)
