"""Reductions, shape functions and NumPy indexing (basic, advanced and ``.at`` updates)."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

# --- reductions -------------------------------------------------------------------------------


@case("reductions", A(2, 3, 4))
def sum_all_and_axes(np, x):
    return np.sum(x) + np.sum(x, axis=0) @ np.ones(4) + np.sum(x, axis=(0, 2))


@case("reductions", A(2, 3, 4))
def sum_keepdims_normalize(np, x):
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


@case("reductions", A(3, 4))
def mean_axis(np, x):
    return np.mean(x**2, axis=1) + np.mean(x)


@case("reductions", A(3, 4))
def var_std(np, x):
    return np.var(x, axis=0) + np.std(x, axis=1).sum() + np.var(x, ddof=1)


@case("reductions", A(3, 4, lo=0.5, hi=1.5))
def prod(np, x):
    return np.prod(x, axis=1) + np.prod(x)


@case("reductions", onp.array([[1.5, 0.0, 2.0], [0.5, -1.0, 3.0]]))
def prod_with_zero(np, x):
    return np.prod(x, axis=1)  # exact derivative through a zero factor


@case("reductions", A(3, 5))
def max_min_axis(np, x):
    return np.max(x, axis=1) - np.min(x, axis=0).sum() + np.amax(x, axis=0, keepdims=True).sum()


@case("reductions", A(6))
def argmax_indexing(np, x):
    return x[np.argmax(x)] * x[np.argmin(x)] + np.argmax(x)


@case("reductions", A(2, 5))
def cumsum(np, x):
    return np.cumsum(x, axis=1) * np.cumsum(x[::-1], axis=0)


@case("reductions", A(4), A(4, lo=0.5, hi=2))
def weighted_average(np, x, w):
    return np.average(x**2, weights=w)


@case("reductions", A(3, 4))
def any_all_counts(np, x):
    return np.where(np.any(x > 0.5, axis=1), np.sum(x, axis=1), 0.0) + np.all(x > -2.0)


@case("reductions", A(3, 4))
def logsumexp_by_hand(np, x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(m[:, 0] + np.log(np.sum(np.exp(x - m), axis=1)))


# --- shape functions --------------------------------------------------------------------------


@case("shape", A(2, 3, 4))
def reshape_transpose(np, x):
    return np.sin(x.reshape(4, 6).T) @ np.ones(4) + np.transpose(x, (2, 0, 1)).reshape(-1)[:6]


@case("shape", A(2, 3, 4))
def swapaxes_moveaxis(np, x):
    return np.swapaxes(x, 0, 1) * np.moveaxis(x, 0, 1) + np.moveaxis(x, -1, 0).sum()


@case("shape", A(2, 3), A(2, 2))
def concatenate_stack(np, x, y):
    c = np.concatenate([x, y, x[:, :1]], axis=1)
    return np.stack([c, c**2], axis=-1) + np.hstack([y, x]).sum()


@case("shape", A(2, 3), A(1, 3))
def vstack_split(np, x, y):
    v = np.vstack([x, y, np.zeros((1, 3))])
    a, b = np.split(v, [1], axis=0)
    return a * 2.0 + b.sum(axis=0)


@case("shape", A(1, 3, 1))
def squeeze_expand(np, x):
    return np.expand_dims(np.squeeze(x), 0) * np.squeeze(x, axis=2) + np.atleast_2d(x[0, 0, 0])


@case("shape", A(3, 4))
def flip_ravel(np, x):
    return np.flip(x, axis=0) * x + np.flip(x).ravel().reshape(3, 4)


@case("shape", A(2, 3))
def tile_repeat(np, x):
    return np.tile(x, (2, 1)).sum(axis=0) + np.repeat(x, 2, axis=1)[:, ::2].sum(axis=0)


@case("shape", A(3))
def atleast_broadcast_arrays(np, x):
    a, b = np.broadcast_arrays(np.atleast_1d(x), x[:, None])
    return a * b


@case("shape", A(4, 4))
def trace_and_eye(np, x):
    return np.trace(x) + np.sum(x * np.eye(4)) + np.sum(np.trace(x, offset=1))


@case("shape", A(2, 3), fd=False, note="float32 rounding inside: finite differences see its steps")
def astype_roundtrip(np, x):
    return np.sum(x.astype(np.float32).astype(np.float64) * x)


@case("shape", A(5))
def arange_linspace_constants(np, x):
    return x * np.arange(5.0) + np.linspace(0.0, 1.0, 5) * np.full((5,), 2.0) + np.ones_like(x)


# --- indexing ---------------------------------------------------------------------------------


@case("indexing", A(5, 4))
def basic_slices(np, x):
    return x[1:4, ::2] * x[-3:, 1:3] + x[::-2, -2:][:3]


@case("indexing", A(3, 4, 2))
def ellipsis_none_int(np, x):
    return x[..., 0] * x[1, None, :, 1] + x[-1][None, :, 0]


@case("indexing", A(5))
def integer_array_repeats(np, x):
    return x[onp.array([0, 2, 2, -1])] ** 2  # repeated index: gradients accumulate


@case("indexing", A(4, 5))
def advanced_two_arrays(np, x):
    rows, cols = onp.array([0, 1, 3]), onp.array([4, 0, 2])
    return x[rows, cols] * x[rows][:, cols].sum(axis=1)


@case("indexing", A(3, 4, 5))
def advanced_nonadjacent(np, x):
    return x[onp.array([0, 2]), :, onp.array([1, 3])]


@case("indexing", A(6))
def boolean_mask_concrete(np, x):
    mask = onp.array([True, False, True, True, False, True])
    return x[mask] * 2.0


@case("indexing", A(5), A(2))
def at_set(np, x, v):
    return np.at(x)[onp.array([1, 3])].set(v * 3.0) * x


@case("indexing", A(5), A(3))
def at_add_repeats(np, x, v):
    return np.at(x)[onp.array([0, 2, 0])].add(v**2)


@case("indexing", A(3, 4), A(4))
def at_row_update(np, x, v):
    return np.sin(np.at(np.at(x)[1].set(v))[2, 1:3].add(1.0))


@case("indexing", A(5), A(2))
def at_multiply(np, x, v):
    return np.at(x)[1:3].multiply(v)


@case("indexing", A(4, 3))
def take_rows_by_argmax(np, x):
    return np.sum(x[np.argmax(x[:, 0])]) * x[:, np.argmin(x[0])]


# --- NumPy functions mini_ad may not have yet (unsupported until they land) -----------------


@case("shape", A(2, 5))
def sort_and_cumprod(np, x):
    return np.sort(x, axis=1) * np.arange(5.0) + np.cumprod(1.0 + 0.5 * x, axis=1)


@case("shape", A(3, 4))
def diff_roll(np, x):
    return np.diff(x, axis=0).sum(axis=0) * np.roll(x, 2, axis=1)[0]


@case("shape", A(3, 3))
def diag_triu_tril(np, x):
    return np.triu(x) * 2.0 + np.tril(x, -1) + np.diag(np.diag(x) ** 2)


@case("indexing", A(3, 4), onp.array([[0, 3], [1, 1], [2, 0]]))
def take_along_axis(np, x, idx):
    return np.take_along_axis(x, idx, axis=1) ** 2 + np.take(x, onp.array([5, 0, 11]))[:, None]


@case("shape", A(2, 3))
def pad_constant(np, x):
    return np.pad(x, ((1, 0), (1, 1))) * np.pad(x, 1, mode="edge")[:3]
