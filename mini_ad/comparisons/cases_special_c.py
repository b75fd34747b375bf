"""``np.scipy.special``'s ``hyp1f1``, ``hyp2f1``, ``wofz`` and ``sph_harm_y`` against
JAX's, on JAX's accurate domains. ``hyp1f1`` and ``hyp2f1`` in all operands are first
order (no second derivative in their parameters); in ``x`` alone, second order. ``wofz``
and ``sph_harm_y`` go through ``real``/``imag``."""

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


@case("special", A(3, lo=0.3, hi=2), A(3, lo=0.3, hi=2), A(3, lo=0.5, hi=3), A(3, lo=-0.8, hi=0.8),
      order=1)  # fmt: skip
def hyp2f1_all_operands(np, a, b, c, x):
    return np.sum(np.scipy.special.hyp2f1(a, b, c, x))


@case("special", A(2, 3, lo=-0.8, hi=0.8))
def hyp2f1_in_x(np, x):
    return np.sum(np.scipy.special.hyp2f1(0.7, 1.4, 2.2, x) * x)


@case("special", A(5, lo=0.2, hi=2.9), A(5, lo=0.0, hi=6.0))
def sph_harm_y_degrees_0_to_4(np, theta, phi):
    y = np.scipy.special.sph_harm_y(
        np.array([0, 1, 2, 3, 4]), np.array([0, -1, 2, 1, -3]), theta, phi
    )
    return np.sum(np.real(y) - np.imag(y) ** 2)
