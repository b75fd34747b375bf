"""Primitive table rows: the Bessel functions and exponential integrals of
``mini_ad/primitives/bessel.py`` and ``expint.py`` (their accuracy is tested in
``tests/test_scipy_special_bessel.py``).

Where JAX has no such function the reference is a JAX program with the same mathematics:
``I_v`` of half-integer order in closed form, and ``Y_n`` as SciPy's values behind a
``jax.custom_jvp`` whose rule is the textbook recurrence (as HIPS autograd's).
"""

from __future__ import annotations

import numpy as np
import scipy.special
from autodiff_rows import S, away0, jax, jnp, lax, pos, real, row

from mini_ad.primitives import bessel as bs
from mini_ad.primitives import expint as ei
from mini_ad.primitives import owens_t as ot

jss = jax.scipy.special


def _order(value):
    return np.full(S, value)


# --- Bessel functions -------------------------------------------------------------------------------

row("bessel_i0e", bs.bessel_i0e, lax.bessel_i0e, real(*S))
row("bessel_i1e", bs.bessel_i1e, lax.bessel_i1e, real(*S))
row("jn", lambda x: bs.jn(_order(2.0), x), lambda x: jss.bessel_jn(x, v=2)[2], pos(*S))
row("jn", lambda x: bs.jn(_order(0.0), x), lambda x: jss.bessel_jn(x, v=0)[0], pos(*S),
    variant="order0")  # fmt: skip


def _jax_i_half(x):
    """I_½(x) = √(2/(πx)) sinh x."""
    return jnp.sqrt(2 / (jnp.pi * x)) * jnp.sinh(x)


def _jax_i_three_halves(x):
    """I_{3/2}(x) = √(2/(πx)) (cosh x − sinh x / x)."""
    return jnp.sqrt(2 / (jnp.pi * x)) * (jnp.cosh(x) - jnp.sinh(x) / x)


row("iv", lambda x: bs.iv(_order(0.5), x), _jax_i_half, pos(*S))
row("iv", lambda x: bs.iv(_order(1.0), x), jss.i1, real(*S), variant="order1")
row("ive", lambda x: bs.ive(_order(1.5), x), lambda x: _jax_i_three_halves(x) * jnp.exp(-x),
    pos(*S))  # fmt: skip


def _jax_yn(n):
    """Y_n(x) from SciPy, with d Y_n = (Y_{n−1} − Y_{n+1}) / 2 as the custom jvp."""

    @jax.custom_jvp
    def y(x):
        spec = jax.ShapeDtypeStruct(x.shape, x.dtype)
        return jax.pure_callback(
            lambda v: scipy.special.yn(n, v), spec, x, vmap_method="broadcast_all"
        )

    @y.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return y(x), t * (_jax_yn(n - 1)(x) - _jax_yn(n + 1)(x)) / 2

    return y


row("yn", lambda x: bs.yn(_order(1.0), x), _jax_yn(1), pos(*S))

# --- exponential integrals --------------------------------------------------------------------------

# JAX has no second derivative of exp1 and expn (its hessian fails to trace): first order
# here, the second against finite differences in test_scipy_special_bessel.py
row("exp1", ei.exp1, jss.exp1, pos(*S), max_order=1)
row("expi", ei.expi, jss.expi, away0(*S))
row("expn", lambda x: ei.expn(_order(3.0), x), lambda x: jss.expn(3, x), pos(*S), max_order=1)
# JAX's derivative of spence is nan on (1, 2] (ours, log(x)/(1 - x), is checked there
# against finite differences in test_scipy_special_bessel.py): rows on either side
row("spence", ei.spence, jss.spence, lambda rng: rng.uniform(0.1, 0.95, size=S))
row("spence", ei.spence, jss.spence, lambda rng: rng.uniform(2.1, 4.0, size=S), variant="above2")
row("dawsn", ei.dawsn, jss.dawsn, real(*S))
row("si", ei.si, lambda x: jss.sici(x)[0], real(*S))
row("ci", ei.ci, lambda x: jss.sici(x)[1], pos(*S))
row("fresnel_s", ei.fresnel_s, lambda x: jss.fresnel(x)[0], real(*S))
row("fresnel_c", ei.fresnel_c, lambda x: jss.fresnel(x)[1], real(*S))
row("owens_t", ot.owens_t, jss.owens_t, real(*S), real(*S))
row("owens_t", ot.owens_t, jss.owens_t, real(*S), lambda rng: rng.uniform(1.5, 4.0, size=S),
    variant="a_above_1")  # fmt: skip
