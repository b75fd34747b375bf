"""``where=``, ``initial=`` and ``out=`` of the reductions (``sum``, ``prod``, ``max``, ``min``,
``all``, ``any``, ``mean``, ``var``, ``std``, their ``nan*`` forms), as functions and as array
methods, against JAX (x64) and NumPy: values and dtypes, ``jit`` equal to eager, derivatives
against JAX's; and ``out=`` refused wherever JAX refuses it (it was silently ignored)."""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RNG = np.random.default_rng(3)
X = RNG.normal(size=(3, 4))
XN = X.copy()
XN[0, 1] = XN[1, 3] = XN[1, 0] = np.nan
C = X + 1j * RNG.normal(size=(3, 4))
I32 = RNG.integers(-5, 5, (3, 4)).astype(np.int32)
MASK = RNG.uniform(size=(3, 4)) > 0.4
MASK[2] = False  # a row with nothing selected: empty sums, NaN means
ROW = np.array([True, False, True, True])  # broadcasts against the last axis

CASES = [  # (id, f(lib, a), inputs)
    ("sum-where", lambda L, a: L.sum(a, where=MASK), (X, C, I32)),
    ("sum-where-row-axis", lambda L, a: L.sum(a, axis=1, where=ROW), (X, I32)),
    ("sum-initial-where-keepdims", lambda L, a: L.sum(a, 0, None, None, True, 1.5, MASK), (X,)),
    ("prod-where", lambda L, a: L.prod(a, axis=1, where=MASK), (X, I32)),
    ("prod-initial", lambda L, a: L.prod(a, initial=0.5), (X,)),
    ("max-where-initial", lambda L, a: L.max(a, axis=1, where=MASK, initial=-1.0), (X, I32)),
    ("max-initial-ties", lambda L, a: L.max(a * 0, axis=0, initial=0.0), (X,)),
    ("min-where-row-initial", lambda L, a: L.min(a, where=ROW, initial=10.0), (X,)),
    ("amax-initial", lambda L, a: L.amax(a, initial=0.5), (X,)),
    ("any-where", lambda L, a: L.any(a > 0, axis=1, where=MASK), (X,)),
    ("all-where", lambda L, a: L.all(a > -3, axis=0, where=MASK), (X,)),
    ("mean-where", lambda L, a: L.mean(a, axis=1, where=MASK), (X, C)),  # (ints: NumPy's dtype)
    ("mean-where-row-keepdims", lambda L, a: L.mean(a, axis=0, keepdims=True, where=ROW), (X,)),
    ("var-where", lambda L, a: L.var(a, where=MASK), (X, C)),
    ("var-where-ddof", lambda L, a: L.var(a, axis=0, ddof=1, where=MASK), (X, C)),
    ("std-where", lambda L, a: L.std(a, axis=1, where=ROW), (X,)),
    ("nansum-where-initial", lambda L, a: L.nansum(a, axis=1, where=MASK, initial=0.5), (XN,)),
    ("nanprod-where", lambda L, a: L.nanprod(a, axis=0, where=MASK), (XN,)),
    ("nanmax-where-initial", lambda L, a: L.nanmax(a, axis=1, where=MASK, initial=-2.0), (XN,)),
    ("nanmin-initial", lambda L, a: L.nanmin(a, axis=0, initial=0.0), (XN,)),
    ("nanmean-where", lambda L, a: L.nanmean(a, axis=1, where=MASK), (XN,)),
    ("nanvar-where-ddof", lambda L, a: L.nanvar(a, axis=0, ddof=1, where=ROW), (XN,)),
    ("nanstd-where", lambda L, a: L.nanstd(a, where=MASK), (XN,)),
    ("nanvar-mean", lambda L, a: L.nanvar(a, axis=1, mean=L.zeros((3, 1))), (XN,)),
    ("var-mean-correction", lambda L, a: L.var(a, axis=1, mean=L.ones((3, 1)), correction=1), (X,)),
    ("std-correction", lambda L, a: L.std(a, axis=0, correction=1), (X, C)),
    ("sum-no-promotion", lambda L, a: L.sum(a, axis=0, promote_integers=False), (I32,)),
    ("prod-no-promotion", lambda L, a: L.prod(a > 0, promote_integers=False), (X,)),
    ("method-sum", lambda L, a: L.asarray(a).sum(axis=0, where=MASK), (X,)),  # (JAX's method
    # drops initial=: jnp.asarray(x).sum(initial=2.0, where=m) != jnp.sum(x, initial=2.0, where=m))
    ("method-max", lambda L, a: L.asarray(a).max(1, None, False, 0.0, MASK), (X,)),
    ("method-mean", lambda L, a: L.asarray(a).mean(axis=1, where=ROW), (X,)),
    ("method-std", lambda L, a: L.asarray(a).std(where=MASK), (X,)),
]
PARAMS = [pytest.param(f, x, id=f"{name}-{x.dtype}") for name, f, inputs in CASES for x in inputs]


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("f, x", PARAMS)
def test_agrees_with_jax_and_jit_equals_eager(f, x):
    eager = f(mnp, x)
    _same(eager, f(jnp, jnp.asarray(x)))
    jitted = ad.jit(lambda a: f(mnp, a))(x)
    np.testing.assert_array_equal(np.asarray(jitted), np.asarray(eager))


@pytest.mark.parametrize("f, x", [p for p in PARAMS if p.values[1].dtype == np.float64])
def test_derivative_matches_jax(f, x):
    out = np.asarray(f(mnp, x))
    if out.dtype.kind != "f":
        return  # all/any, integer sums: not differentiable
    ours = ad.grad(lambda a: mnp.nansum(f(mnp, a)))(x)
    theirs = jax.grad(lambda a: jnp.nansum(f(jnp, a)))(x)
    _same(ours, theirs)


NUMPY_CASES = [  # NumPy has where=/initial= too (its integer means differ: float64 there too)
    lambda L: L.sum(X, axis=0, where=MASK, initial=1.0),
    lambda L: L.max(X, axis=1, where=MASK, initial=-2.0),
    lambda L: L.prod(I32, where=ROW),
    lambda L: L.any(X > 1, where=MASK),
]


@pytest.mark.parametrize("f", NUMPY_CASES)
def test_agrees_with_numpy(f):
    _same(f(mnp), f(np))


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda L: L.max(X, where=MASK), ValueError),  # max has no identity: initial needed
        (lambda L: L.min(X, axis=0, where=MASK), ValueError),
        (lambda L: L.sum(X, out=np.zeros(4)), NotImplementedError),
        (lambda L: L.mean(X, out=np.zeros(4)), NotImplementedError),
        (lambda L: L.any(X, out=np.zeros(4, bool)), NotImplementedError),
        (lambda L: L.round(X, out=np.zeros((3, 4))), NotImplementedError),
        (lambda L: L.take(X, np.array([0]), out=np.zeros(1)), NotImplementedError),
        (lambda L: L.var(X, ddof=1, correction=1), ValueError),
        (lambda L: L.nanmax(XN, where=MASK), ValueError),
    ]
    + [
        (lambda L, name=name: getattr(L, name)(XN, axis=0, out=np.zeros(4)), NotImplementedError)
        for name in (
            "nansum nanprod nanmax nanmin nanmean nanvar nanstd nanargmax nanargmin ptp"
        ).split()
    ]
    + [  # (JAX: ValueError for the median and quantiles, NotImplementedError elsewhere)
        (lambda L, name=name: getattr(L, name)(XN, axis=0, out=np.zeros(4)), ValueError)
        for name in ("median", "nanmedian")
    ]
    + [
        (lambda L, name=name: getattr(L, name)(XN, 0.5, axis=0, out=np.zeros(4)), ValueError)
        for name in ("quantile", "nanquantile", "percentile", "nanpercentile")
    ]
    + [
        (
            lambda L, name=name: getattr(L, name)(XN, axis=0, out=np.zeros((3, 4))),
            NotImplementedError,
        )
        for name in ("nancumsum", "nancumprod")
    ],
)
def test_errors_match_jax(call, error):
    with pytest.raises(error):
        call(jnp)
    with pytest.raises(error):
        call(mnp)


def test_empty_reduction_with_initial_is_initial():
    for lib in (mnp, jnp):
        _same(lib.max(np.zeros((0, 3)), axis=0, initial=1.5), np.full(3, 1.5))
        _same(lib.sum(np.zeros((0,)), initial=2.0), np.float64(2.0))
