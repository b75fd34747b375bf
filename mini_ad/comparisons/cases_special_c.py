"""``np.scipy.special``'s ``hyp1f1`` and ``wofz`` against JAX's, on JAX's accurate domain.
``hyp1f1`` in all three operands is first order (mini_ad has no second derivative in
``a`` or ``b``); in ``x`` alone, second order. ``wofz`` goes through ``real``/``imag``."""

from __future__ import annotations

from mini_ad.comparisons.registry import A, case


@case("special", A(4, lo=0.3, hi=3), A(4, lo=0.3, hi=3), A(4, lo=-2, hi=6), order=1)
def hyp1f1_all_operands(np, a, b, x):
    return np.sum(np.scipy.special.hyp1f1(a, b, x))


@case("special", A(2, 3, lo=-2, hi=6))
def hyp1f1_in_x(np, x):
    return np.sum(np.scipy.special.hyp1f1(1.3, 2.7, x) * x)


@case("special", A(2, 3, lo=-3, hi=3), A(2, 3, lo=-2, hi=3))
def wofz_parts(np, x, y):
    w = np.scipy.special.wofz(x + 1j * y)
    return np.sum(np.real(w) * np.imag(w))
