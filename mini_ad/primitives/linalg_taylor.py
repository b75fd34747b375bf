"""Taylor-mode (``jet``) rules of the linear-algebra cards in ``linalg_ops`` (kept apart
only because that module is at the line limit).

``solve`` and ``triangular_solve`` have a direct recurrence: from ``A(t) X(t) = B(t)``,
``X_k = A_0⁻¹ (B_k − Σ_{j=1..k} A_j X_{k-j})``, one solve with ``A_0`` per coefficient
(their jvps call solve twice, so deriving from the jvp would double the work per order).
(The factorizations' and determinants' cards, in ``decompositions``, ``determinants``,
``orthogonal``, ``lu`` and ``matrix_functions``, take theirs from their jvps.)
"""

from __future__ import annotations

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.elementwise import mul, neg, sub
from mini_ad.primitives.linalg_ops import (
    _triangle,
    conj_if_complex,
    constant_matrix,
    matmul,
    solve,
    solve_p,
    swap,
    triangular_solve,
    triangular_solve_p,
)


def _solve_series(solve_0, product, a, b):
    x = [solve_0(b[0])]
    for k in range(1, len(b)):
        rhs = b[k]
        for j in range(1, k + 1):
            if a[j] is not None and x[k - j] is not None:
                p = product(a[j], x[k - j])
                rhs = neg(p) if rhs is None else sub(rhs, p)
        x.append(None if rhs is None else solve_0(rhs))
    return x[0], x[1:]


def _solve_jet(primals, series):
    (a, b), (a_s, b_s) = primals, series
    return _solve_series(lambda r: solve(a, r), matmul, [a, *a_s], [b, *b_s])


def _triangular_solve_jet(primals, series, **params):
    (a, b), (a_s, b_s) = primals, series
    n = aval_of(a).shape[-1]
    mask = constant_matrix(_triangle(n, params["lower"], params["unit_diagonal"]), a)

    def op(a_j):  # the part of A_j the solve reads, conjugated and transposed as asked
        a_j = mul(a_j, mask)
        if params["conjugate_a"]:
            a_j = conj_if_complex(a_j)
        return swap(a_j) if params["transpose_a"] else a_j

    def product(a_j, x):
        return matmul(op(a_j), x) if params["left_side"] else matmul(x, op(a_j))

    return _solve_series(lambda r: triangular_solve(a, r, **params), product, [a, *a_s], [b, *b_s])


solve_p.jet = _solve_jet
triangular_solve_p.jet = _triangular_solve_jet
