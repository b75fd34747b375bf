"""``mini_ad.numpy`` at non-default arguments and edge inputs, against NumPy and JAX.

Regression rows from a differential sweep of keyword arguments (``dtype``, ``ddof``,
``keepdims``, ``side``, ...), dtypes and edge inputs. Each row runs ``fn(module, *args)``
with ``mnp``, ``jnp`` (x64) and ``np``: the values equal JAX's (the spec), the dtype
equals NumPy's where NumPy's value agrees with JAX's (mini_ad follows NumPy's dtype
rules, README "Where mini_ad differs from JAX"), else JAX's.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402

jnp = jax.numpy
RNG = np.random.default_rng(7)
F = RNG.normal(size=(2, 3, 4))
I32 = RNG.integers(-3, 4, size=(2, 3, 4)).astype(np.int32)
C = F + 1j * RNG.normal(size=F.shape)
FN = F.copy()
FN[0, 1, 2] = FN[1, 0, 0] = FN[1, 0, 1] = np.nan
EMPTY = np.zeros((0, 3))
NANINF = np.array([1.0, np.nan, np.inf, -np.inf, 2.0]) + 1j * np.array(
    [np.nan, -np.inf, np.inf, 0.0, 1.0]
)
OUT = np.array([[0, -1], [5, -7]])  # in bounds, negative, past the end, before the start
NANS = np.array([2.0, np.nan, 1.0, np.nan, 2.0, -0.0, 0.0])


def _leaves(x):
    return [y for v in x for y in _leaves(v)] if isinstance(x, (tuple, list)) else [x]


def _jax_args(args):
    return [jnp.asarray(a) if isinstance(a, np.ndarray) else a for a in args]


def agree(fn, *args, numpy_dtype=True):
    got, want = fn(mnp, *args), fn(jnp, *_jax_args(args))
    reference = fn(np, *args) if numpy_dtype else want
    got, want, reference = _leaves(got), _leaves(want), _leaves(reference)
    assert len(got) == len(want) == len(reference)
    for g, w, r in zip(got, want, reference, strict=True):
        g, w = np.asarray(g), np.asarray(w)
        assert g.shape == w.shape, (g.shape, w.shape)
        np.testing.assert_allclose(g, w, rtol=1e-6 if g.dtype.itemsize <= 4 else 1e-12)
        assert g.dtype == np.asarray(r).dtype, (g.dtype, np.asarray(r).dtype)


def row(name, fn, *args, numpy_dtype=True):
    return pytest.param(fn, args, numpy_dtype, id=name)


ROWS = [
    # the lax reductions kept small-int dtypes only in their shape rule: prod/cumsum of
    # int8/int16/int32/bool came back int64 (NumPy's accumulator) from impl
    row("prod-dtype-int32", lambda m, x: m.prod(x, dtype=np.int32), I32),
    row("prod-int32-axis", lambda m, x: m.prod(x, axis=1, dtype=np.int8), I32),
    row("nanprod-dtype-int8", lambda m, x: m.nanprod(x, dtype=np.int8), I32),
    row("cumsum-dtype-int32", lambda m, x: m.cumsum(x, dtype=np.int32), I32),
    row("cumsum-dtype-int16-axis", lambda m, x: m.cumsum(x, axis=2, dtype=np.int16), I32),
    row("nancumsum-dtype-int32", lambda m, x: m.nancumsum(x, axis=0, dtype=np.int32), I32),
    row(
        "cumulative_sum-dtype-int8",
        lambda m, x: m.cumulative_sum(x, axis=1, dtype=np.int8, include_initial=True),
        I32,
    ),
    row("lax-reduce_prod-int32", lambda m, x: m.prod(x, axis=(0, 2), dtype=np.int32), I32),
    # var/std of complex input squared (x - mean) instead of |x - mean|: complex garbage
    row("var-complex", lambda m, x: m.var(x), C),
    row("var-complex-axis-ddof", lambda m, x: m.var(x, axis=(2, 0), ddof=1), C),
    row("std-complex-keepdims", lambda m, x: m.std(x, axis=-1, keepdims=True), C),
    row("var-complex64", lambda m, x: m.var(x.astype(np.complex64), axis=1), C),
    row("nanvar-complex", lambda m, x: m.nanvar(x, axis=0), C),
    row("nanstd-complex-ddof", lambda m, x: m.nanstd(x, axis=-1, ddof=1), C),
    # ddof >= count: NumPy gives inf, JAX NaN (mini_ad gave inf)
    row("var-ddof-eq-count", lambda m, x: m.var(x, axis=0, ddof=2), F, numpy_dtype=False),
    row("std-ddof-past-count", lambda m, x: m.std(x, axis=-1, ddof=5), F, numpy_dtype=False),
    row("nanvar-ddof-past-count", lambda m, x: m.nanvar(x, axis=0, ddof=2), FN),
    row("nanstd-ddof-partial", lambda m, x: m.nanstd(x, axis=2, ddof=3), FN),
    # dtype= was ignored with axis=None (var) or altogether (nanvar/nanstd): float64 results
    row("var-dtype-float32", lambda m, x: m.var(x, dtype=np.float32), F),
    row("std-dtype-float32-axis", lambda m, x: m.std(x, axis=(0, 1), dtype=np.float32), F),
    row("nanvar-dtype-float32", lambda m, x: m.nanvar(x, dtype=np.float32), FN),
    row("nanstd-dtype-float32", lambda m, x: m.nanstd(x, axis=1, dtype=np.float32), FN),
    # nanmean(dtype=int) returned non-integer float64 means
    row("nanmean-dtype-int32", lambda m, x: m.nanmean(x, axis=0, dtype=np.int32), I32),
    row(
        "nanmean-float-dtype-int32",
        lambda m, x: m.nanmean(x * 3, axis=-1, dtype=np.int32),
        FN,
        numpy_dtype=False,
    ),
    # all/any over an empty axis raised (reduce_min/max had no identity)
    row("all-empty", lambda m, x: m.all(x), EMPTY),
    row("any-empty-axis0", lambda m, x: m.any(x, axis=0), EMPTY),
    row("all-empty-keepdims", lambda m, x: m.all(x, axis=0, keepdims=True), EMPTY),
    # the array API's unique_* merged NaNs (one NaN value, count 2); each NaN is distinct
    row("unique_values-nan", lambda m, x: m.unique_values(x), NANS),
    row("unique_counts-nan", lambda m, x: tuple(m.unique_counts(x)), NANS),
    row("unique_inverse-nan", lambda m, x: tuple(m.unique_inverse(x)), NANS),
    row("unique_all-nan", lambda m, x: tuple(m.unique_all(x)), NANS),
    row(
        "unique_all-nan-size",
        lambda m, x: tuple(m.unique_all(x, size=7, fill_value=9)),
        NANS,
        numpy_dtype=False,
    ),  # fmt: skip
    # with fill_value given, the padding indices read 0 (JAX: the first distinct's index)
    row(
        "unique-index-fill",
        lambda m, x: m.unique(x, return_index=True, size=6, fill_value=9),
        np.array([3.0, 1.0, 2.0, 3.0]),
        numpy_dtype=False,
    ),  # fmt: skip
    row("unique-equal_nan", lambda m, x: m.unique(x, return_counts=True), NANS),
    # take(mode="clip") read a[-1] for index -1 (JAX and NumPy clamp it to 0)
    row("take-clip-negative", lambda m, x, i: m.take(x, i, mode="clip"), F, OUT),
    row("take-clip-axis", lambda m, x, i: m.take(x, i, axis=-1, mode="clip"), I32, OUT),
    row(
        "take_along_axis-clip",
        lambda m, x, i: m.take_along_axis(x, i, 0, mode="clip"),
        F[0, 0],
        OUT[1],
        numpy_dtype=False,
    ),  # fmt: skip
    # mode="fill" on integer/bool arrays clamped and ignored fill_value (JAX fills)
    row(
        "take-fill-int",
        lambda m, x, i: m.take(x, i, axis=1, mode="fill"),
        I32,
        OUT,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "take-fill-int-value",
        lambda m, x, i: m.take(x, i, fill_value=-9),
        I32,
        OUT,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "take-fill-uint8",
        lambda m, x, i: m.take(x.astype(np.uint8), i),
        I32,
        OUT,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "take-fill-bool",
        lambda m, x, i: m.take(x > 0, i, axis=0),
        I32,
        OUT[:, :1],
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "take-fill-float-value",
        lambda m, x, i: m.take(x, i, axis=2, fill_value=-9),
        F,
        OUT,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "take_along_axis-fill-int",
        lambda m, x, i: m.take_along_axis(x, i, axis=-1, mode="fill", fill_value=-1),
        I32[0],
        np.array([[5], [-4], [-1]]),
        numpy_dtype=False,
    ),  # fmt: skip
    # repeat took only an int (TypeError for counts) and had no total_repeat_length
    row("repeat-counts", lambda m, x: m.repeat(x, np.array([1, 2, 0, 3]), axis=-1), F),
    row("repeat-counts-flat", lambda m, x: m.repeat(x[0], np.array([2])), F),
    row(
        "repeat-total-cut",
        lambda m, x: m.repeat(x, 2, axis=0, total_repeat_length=3),
        F,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "repeat-total-pad",
        lambda m, x: m.repeat(x, np.array([1, 2, 0]), axis=1, total_repeat_length=5),
        I32,
        numpy_dtype=False,
    ),  # fmt: skip
    # vdot/vecdot/vecmat did not conjugate their first operand
    row("vdot-complex", lambda m, x, y: m.vdot(x, y), C[0], C[1]),
    row("vdot-complex-real", lambda m, x, y: m.vdot(x, y), C[0], F[1]),
    row("vecdot-complex", lambda m, x, y: m.vecdot(x, y), C, C[1]),
    row("vecdot-complex-axis", lambda m, x, y: m.vecdot(x, y, axis=0), C[0], C[1, :, 0]),
    row("vecmat-complex", lambda m, x, y: m.vecmat(x, y), C[0, :, 0], C[1]),
    # polyder past the degree gave [0.] (NumPy and JAX: []); poly([]) gave [1.] (1.0)
    row("polyder-past-degree", lambda m, p: m.polyder(p, 4), F[0, 0]),
    row("polyder-constant", lambda m, p: m.polyder(p, 1), F[0, 0, :1]),
    row("polyder-int", lambda m, p: m.polyder(p, 3), I32[0, 0]),
    row("poly-empty", lambda m, r: m.poly(r), np.zeros(0)),
    # diff of bools raised NumPy's "boolean subtract is not supported" (both use !=)
    row("diff-bool", lambda m, x: m.diff(x > 0, axis=1), F),
    row("diff-bool-n2", lambda m, x: m.diff(x > 0, n=2), F),
    # cov did not conjugate (complex input gave a non-Hermitian matrix); corrcoef raised
    row("cov-complex", lambda m, x: m.cov(x[0]), C),
    row("cov-complex-aweights", lambda m, x, w: m.cov(x[0], aweights=w), C, np.arange(1.0, 5.0)),
    row("cov-complex-one", lambda m, x: m.cov(x[0, 0]), C),
    row("corrcoef-complex", lambda m, x: m.corrcoef(x[0]), C),
    # bincount dropped the imaginary part of complex weights
    row(
        "bincount-complex-weights",
        lambda m, x, w: m.bincount(x, w),
        np.array([0, 2, 2, 5]),
        C[0, 0],
        numpy_dtype=False,
    ),  # fmt: skip
    # digitize into no bins gave iinfo.min for NaN (a cast of NaN * 0)
    row("digitize-no-bins", lambda m, x, b: m.digitize(x, b), FN[1, 0], np.zeros(0)),
    # method="nearest" rounded ties to even as NumPy does; JAX rounds them down
    row(
        "quantile-nearest-ties",
        lambda m, x, q: m.quantile(x, q, method="nearest"),
        np.arange(5.0),
        np.array([0.125, 0.375, 0.625, 0.875, 0.9]),
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "nanpercentile-nearest-tie",
        lambda m, x: m.nanpercentile(x, 50, method="nearest"),
        np.array([1.0, np.nan, 2.0, 3.0, 4.0]),
        numpy_dtype=False,
    ),  # fmt: skip
    # nan_to_num of complex replaced a whole entry when either part was NaN or inf
    row("nan_to_num-complex", lambda m, x: m.nan_to_num(x), NANINF),
    row("nan_to_num-complex-values", lambda m, x: m.nan_to_num(x, nan=5.0, posinf=9.0), NANINF),
    row(
        "nan_to_num-complex64", lambda m, x: m.nan_to_num(x.astype(np.complex64), neginf=-1), NANINF
    ),  # fmt: skip
    # keywords JAX has that raised TypeError (unexpected keyword argument)
    row(
        "linspace-retstep",
        lambda m, a, b: m.linspace(a, b, 4, endpoint=False, retstep=True),
        F[0, 0],
        F[1, 0],
    ),  # fmt: skip
    row("linspace-axis", lambda m, a, b: m.linspace(a, b, 3, axis=-1), F[0, 0], F[1, 0]),
    row("zeros_like-shape", lambda m, x: m.zeros_like(x, shape=(2, 0)), I32),
    row("ones_like-shape", lambda m, x: m.ones_like(x, shape=5, dtype=np.float32), I32),
    row("full_like-shape", lambda m, x: m.full_like(x, 2.5, shape=(3,)), F),
    row(
        "concatenate-dtype",
        lambda m, x, y: m.concatenate([x, y], axis=-1, dtype=np.float32),
        F,
        I32,
    ),  # fmt: skip
    row(
        "stack-dtype",
        lambda m, x, y: m.stack([x, y], axis=-2, dtype=np.int8),
        I32,
        I32,
        numpy_dtype=False,
    ),  # fmt: skip
    row("hstack-dtype", lambda m, x: m.hstack([x, x], dtype=np.complex64), F),
    row("vstack-dtype", lambda m, x: m.vstack([x[0], x[1]], dtype=np.float32), I32),
    row(
        "dstack-dtype", lambda m, x: m.dstack([x[0], x[1]], dtype=np.float32), F, numpy_dtype=False
    ),  # fmt: skip
    row("trace-dtype", lambda m, x: m.trace(x, 1, 2, 0, dtype=np.float32), I32),
    # set operations with an empty result raised IndexError; with size= the padding read
    # the first candidate even when none was selected (JAX: 0), and setdiff1d pads with 0
    # reshape/ravel in column-major order, JAX's keyword names; the products' precision= and
    # preferred_element_type= (the operands cast to it: int8 products accumulate in int32)
    row("reshape-order-F", lambda m, x: m.reshape(x, (4, 6), order="F"), F),
    row("reshape-shape-keyword", lambda m, x: m.reshape(x, shape=(6, -1)), F, numpy_dtype=False),
    row("ravel-order-F", lambda m, x: m.ravel(x, order="F"), F),
    row(
        "dot-preferred-float64",
        lambda m, x: m.dot(x[0], x[1].T, precision="highest", preferred_element_type=np.float64),
        F.astype(np.float32),
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "matmul-int8-preferred-int32",
        lambda m, x: m.matmul(x[0], x[1].T, preferred_element_type=np.int32),
        (I32 * 40).astype(np.int8),
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "tensordot-inner-vdot-precision",
        lambda m, x: [
            m.tensordot(x, x, 2, precision="highest"),
            m.inner(x, x, precision=None),
            m.vdot(x, x, preferred_element_type=np.float64),
        ],
        F[0],
        numpy_dtype=False,
    ),  # fmt: skip
    # pad's statistic modes and linear_ramp raised NotImplementedError
    row("pad-maximum", lambda m, x: m.pad(x, ((1, 2), (0, 1), (2, 0)), mode="maximum"), F),
    row("pad-minimum-stat-length", lambda m, x: m.pad(x, 2, mode="minimum", stat_length=2), F),
    row("pad-mean-int", lambda m, x: m.pad(x, (1, 3), mode="mean", stat_length=(1, 3)), I32),
    row("pad-mean", lambda m, x: m.pad(x, 1, mode="mean"), F),
    row("pad-median", lambda m, x: m.pad(x, ((0, 1), (2, 2), (1, 1)), mode="median"), F),
    row(
        "pad-linear-ramp", lambda m, x: m.pad(x, (2, 1), mode="linear_ramp", end_values=(3, -1)), F
    ),
    row("pad-linear-ramp-int", lambda m, x: m.pad(x, 2, mode="linear_ramp", end_values=7), I32),
    row("pad-reflect-odd", lambda m, x: m.pad(x, (1, 2), mode="reflect", reflect_type="odd"), F),
    row(
        "pad-symmetric-odd-wide",  # wider than the axis: reflects the padded array again
        lambda m, x: m.pad(x, ((4, 0), (0, 7), (2, 2)), mode="symmetric", reflect_type="odd"),
        I32,
    ),  # fmt: skip
    # JAX's parameter names and positions: eye's M=, take's out= before mode=, round's a=
    row("eye-M-keyword", lambda m, x: m.eye(x.shape[0], M=4, k=1), I32),
    row(
        "take-positional-mode", lambda m, x: m.take(x, np.array([70, 1, -9]), None, None, "clip"), F
    ),
    row("round-a-keyword", lambda m, x: m.round(a=x, decimals=1), F),
    row("zeros-like-a-keyword", lambda m, x: m.zeros_like(a=x), I32),
    # quantile's method="inverted_cdf" and weights= (JAX's; NaN for negative weights)
    row(
        "quantile-inverted-cdf",
        lambda m, x: m.quantile(x, np.array([0.0, 0.3, 1.0]), axis=1, method="inverted_cdf"),
        F,
    ),
    row(
        "quantile-weights",
        lambda m, x: m.quantile(x, 0.6, axis=2, method="inverted_cdf", weights=np.abs(x) + 0.5),
        F,
    ),  # fmt: skip
    row(
        "nanpercentile-weights-axis",
        lambda m, x: m.nanpercentile(
            x, 40, axis=0, method="inverted_cdf", weights=np.array([1.0, 3.0])
        ),
        FN,
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "quantile-negative-weight",
        lambda m, x: m.quantile(
            x, 0.5, axis=-1, method="inverted_cdf", weights=np.array([1.0, -1.0, 2.0, 1.0])
        ),
        F,
        numpy_dtype=False,
    ),  # fmt: skip
    row("setxor1d-empty", lambda m, x: m.setxor1d(x, x), F[0, 0]),
    # setxor1d dropped NaNs: NaN is unequal to NaN, so each input with one keeps one
    row("setxor1d-nan-one-side", lambda m, x: m.setxor1d(x, x[:3] + 10), NANS),
    row("setxor1d-nan-both", lambda m, x: m.setxor1d(x, x + 1), NANS),
    row(
        "setxor1d-nan-size", lambda m, x: m.setxor1d(x, x + 1, size=9), NANS, numpy_dtype=False
    ),  # fmt: skip
    row("setdiff1d-empty", lambda m, x: m.setdiff1d(x, x), I32[0, 0]),
    row("intersect1d-empty", lambda m, x: m.intersect1d(x, x + 10), F[0, 0]),
    row(
        "setxor1d-empty-size", lambda m, x: m.setxor1d(x, x, size=3), F[0, 0], numpy_dtype=False
    ),  # fmt: skip
    row(
        "intersect1d-empty-size",
        lambda m, x: m.intersect1d(x, x + 10, size=2),
        F[0, 0],
        numpy_dtype=False,
    ),  # fmt: skip
    row(
        "setdiff1d-size",
        lambda m, x, y: m.setdiff1d(x, y, size=4),
        np.array([5.0, 2.0]),
        np.array([2.0, 3.0]),
        numpy_dtype=False,
    ),  # fmt: skip
    # argwhere of a 0-d array raised a reshape error
    row("argwhere-0d", lambda m, x: m.argwhere(x), np.array(3.0)),
    row("argwhere-0d-zero", lambda m, x: m.argwhere(x), np.array(0)),
    row(
        "argwhere-0d-size",
        lambda m, x: m.argwhere(x, size=2, fill_value=9),
        np.array(1),
        numpy_dtype=False,
    ),  # fmt: skip
]


@pytest.mark.parametrize("fn,args,numpy_dtype", ROWS)
def test_agrees_with_jax_and_numpy(fn, args, numpy_dtype):
    agree(fn, *args, numpy_dtype=numpy_dtype)


@pytest.mark.parametrize("axis", [3, -4])
def test_stack_axis_out_of_bounds_raises(axis):
    # stack took axis modulo ndim + 1: axis=3 for 1-D arrays silently stacked along 1
    for module in (mnp, jnp):
        with pytest.raises(ValueError):
            module.stack([F[0, 0], F[0, 1]], axis=axis)


@pytest.mark.parametrize("name", ["max", "min", "amax", "nanmax", "nanmin"])
def test_empty_extremum_raises_like_jax(name):
    for module in (mnp, jnp):
        with pytest.raises(ValueError, match="zero-size array"):
            getattr(module, name)(EMPTY, axis=0)


def test_lax_extremum_of_empty_is_identity():
    for dtype in (np.float64, np.int32, np.uint8, np.bool_):
        x = EMPTY.astype(dtype)
        for name in ("reduce_max", "reduce_min"):
            got, want = getattr(ad.lax, name)(x, (0,)), getattr(jax.lax, name)(x, (0,))
            np.testing.assert_array_equal(got, want)
            assert got.dtype == want.dtype


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.var(x, axis=1, ddof=1),
        lambda m, x: m.std(x[..., :1] * 0 + x, axis=(0, 2)),
        lambda m, x: m.nanvar(x, axis=0),
    ],
)
def test_complex_variance_gradient_matches_jax(fn):
    """var/std of complex input: the gradient of the real |x - mean|² statistic."""
    ct = RNG.normal(size=fn(np, F).shape)
    got = ad.vjp(lambda z: fn(mnp, z), C)[1](ct)[0]
    want = jax.vjp(lambda z: fn(jnp, z), jnp.asarray(C))[1](jnp.asarray(ct))[0]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_repeat_counts_gradient_matches_jax():
    def f(m, x):
        return m.sum(m.repeat(x, np.array([1, 2, 0]), axis=1, total_repeat_length=5) ** 2)

    x = F[0, :, :3]
    got = ad.grad(lambda x: f(mnp, x))(x)
    np.testing.assert_allclose(got, jax.grad(lambda x: f(jnp, x))(jnp.asarray(x)))


@pytest.mark.parametrize("ddof", [2, 3])
def test_variance_gradient_at_ddof_past_count_matches_jax(ddof):
    """count - ddof == 0 gives JAX's NaN gradient (0 / 0), count - ddof < 0 a zero one."""

    def f(m, x):
        return m.sum(m.var(x, axis=0, ddof=ddof))

    got = ad.grad(lambda x: f(mnp, x))(F[0, :2])
    np.testing.assert_array_equal(got, jax.grad(lambda x: f(jnp, x))(jnp.asarray(F[0, :2])))


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64])
def test_astype_float_to_int_saturates_as_jax_and_as_jit(dtype):
    """Regression: eager mnp.astype used NumPy's cast (NaN and inf gave INT_MIN, 1e20 -> int8
    gave 0) while jit used the saturating convert_element_type: eager and jit differed."""
    x = np.array([np.nan, np.inf, -np.inf, 1e20, -1e20, -3.7, 2.5])
    with np.errstate(invalid="ignore"):
        got = mnp.astype(x, dtype)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, jnp.astype(x, dtype))
    np.testing.assert_array_equal(got, ad.jit(lambda v: mnp.astype(v, dtype))(x))
