"""``np.lax`` window reductions (pooling), running reductions, scans and selections."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case


@case("nn", A(2, 6, 6))
def max_pool_2x2(np, x):
    return np.lax.reduce_window(x, -onp.inf, np.lax.max, (1, 2, 2), (1, 2, 2), "VALID") ** 2


@case("nn", A(1, 5, 7))
def avg_pool_same_padding(np, x):
    window, strides = (1, 3, 3), (1, 2, 2)
    total = np.lax.reduce_window(x, 0.0, np.lax.add, window, strides, "SAME")
    count = np.lax.reduce_window(np.ones_like(x), 0.0, np.lax.add, window, strides, "SAME")
    return np.sin(total / count)


@case("nn", A(2, 5, lo=0.5, hi=2.0))
def min_pool_dilated_base(np, x):
    out = np.lax.reduce_window(x, onp.inf, np.lax.min, (2, 2), (1, 1), [(1, 0), (0, 1)], (1, 2))
    return np.log(out)


@case("reductions", A(3, 5, lo=0.5, hi=1.5))
def cumulative_reductions(np, x):
    a = np.lax.cumprod(x, axis=1) + np.lax.cumlogsumexp(x, axis=0, reverse=True)
    return a * np.lax.cummax(x, axis=1) - np.lax.cummin(x, axis=0)


@case("reductions", A(2, 7), A(2, 7))
def associative_scan_linear_recurrence(np, a, b):
    # h_t = a_t h_{t-1} + b_t, as pairs composed associatively
    def combine(left, right):
        return left[0] * right[0], left[1] * right[0] + right[1]

    return np.lax.associative_scan(combine, (a, b), axis=1)[1]


@case("shape", A(3, 6))
def top_k_and_sort(np, x):
    values, indices = np.lax.top_k(x, 2)
    keys, vals = np.lax.sort_key_val(x[0], x[1])
    return np.sum(values * indices) + keys * vals


@case("shape", A(4, 5))
def in_dim_slicing(np, x):
    start = onp.int64(-3)
    a = np.lax.dynamic_slice_in_dim(x, start, 2, axis=1)
    b = np.lax.slice_in_dim(x, 1, None, 2, axis=0)
    return np.lax.dynamic_update_index_in_dim(a, b[0, :2], 1, 0) * np.lax.tile(b[:, :2], (2, 1))


@case("shape", A(5))
def pad_negative_and_interior(np, x):
    # negative low/high crop after the interior padding
    return np.sum(np.lax.pad(x, 0.5, [(-1, 2, 1)]) ** 2) + np.lax.pad(x, -1.0, [(2, -3, 2)])


@case("nn", A(4, 6))
def reduce_window_same_with_base_dilation(np, x):
    # string padding is computed for the undilated operand
    return np.lax.reduce_window(x, 0.0, np.lax.add, (2, 3), (2, 3), "SAME", (1, 2), (1, 2))


@case("kinks", A(6, lo=-1.0, hi=1.0))
def clamp_inside_and_at_the_bounds(np, x):
    return np.lax.clamp(-0.5, x, 0.5) * x


@case("nn", A(2, 3))
def logsumexp_of_complex(np, x):
    z = x + 1j * np.cos(x)
    out = np.scipy.special.logsumexp(z, axis=1)
    return np.real(out) + np.imag(out)


@case("linalg", A(3, 4))
def lstsq_residuals_wide(np, a):
    # m <= n: JAX's residuals are computed (NumPy's would be empty)
    x, resid, rank, s = np.linalg.lstsq(a, np.arange(3.0))
    return np.sum(x**2) + np.sum(resid) + np.sum(s)
