"""``np.scipy.special``'s Bessel functions and exponential integrals against JAX's:
``sum(f(x))`` on each function's domain, so grad and hessian see the first and second
derivatives. (``exp1``, ``expi`` and ``expn`` are left out: JAX cannot take their second
derivative; ``spence`` stays below 1, where JAX's derivative is not nan.)"""

from __future__ import annotations

from mini_ad.comparisons.registry import A, Case, case, register

BESSEL_AND_INTEGRALS = [
    ("i0", -3, 3), ("i0e", -3, 3), ("i1", -3, 3), ("i1e", -3, 3), ("dawsn", -3, 3),
    ("spence", 0.1, 0.9),
]  # fmt: skip

for _name, _lo, _hi in BESSEL_AND_INTEGRALS:
    register(Case(
        _name, "special", lambda np, x, f=_name: np.sum(getattr(np.scipy.special, f)(x)),
        (A(2, 3, lo=_lo, hi=_hi),),
    ))  # fmt: skip


@case("special", A(2, 3, lo=0.2, hi=6))
def bessel_jn_orders(np, x):
    return np.sum(np.scipy.special.bessel_jn(x, v=3) ** 2)


@case("special", A(5, lo=-4, hi=4))
def sici_fresnel(np, x):
    si, ci = np.scipy.special.sici(x * x + 0.5)
    s, c = np.scipy.special.fresnel(x)
    return np.sum(si * ci + s - c)


@case("special", A(4, lo=-2, hi=2), A(4, lo=-3, hi=3))
def owens_t(np, h, a):
    return np.sum(np.scipy.special.owens_t(h, a))
