"""Shared checkers for the core tests: mini_ad.numpy against NumPy, eagerly and staged.

``check_like_numpy(mnp_fn, np_fn, *args)`` is the one checker every value table runs:

1. eagerly (outside any transform) ``mnp_fn(*args)`` is a plain ``numpy.ndarray`` (or a
   tuple of them) with NumPy's shape, dtype and values;
2. staged, ``make_jaxpr(mnp_fn)(*args)`` type-checks, its output avals have NumPy's shape
   and dtype, and ``eval_jaxpr`` of it on the same arguments reproduces NumPy's values.
"""

from __future__ import annotations

import sys

import numpy as np

import mini_ad as ad
from mini_ad.core import tracing

RNG_SEED = 0

SHAPES = [(), (3,), (2, 3), (2, 1, 4)]
FLOAT_DTYPES = [np.float64, np.float32]
INT_DTYPES = [np.int64, np.int32, np.int8]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES


def count_calls(fn, *args):
    """``(fn(*args), number of Python and builtin function calls it made)``: a measure of
    work that, unlike a clock, is the same on every run and machine (tests assert on it
    where they would otherwise time something)."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args)
    finally:
        sys.setprofile(previous)
    return result, count


def random_array(shape, dtype, domain="any", seed=RNG_SEED):
    """Random values of ``dtype`` in ``domain``: 'any', 'pos' (> 0) or 'unit' (|x| < 1)."""
    rng = np.random.default_rng(seed + 7919 * len(shape) + sum(shape))
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.kind in "iu":
        low, high = {"any": (-4, 5), "pos": (1, 6), "unit": (-1, 2)}[domain]
        if dtype.kind == "u":
            low = max(low, 0)
        return np.asarray(rng.integers(low, high, size=shape), dtype=dtype)
    if domain == "pos":
        values = rng.uniform(0.2, 3.0, size=shape)
    elif domain == "unit":
        values = rng.uniform(-0.9, 0.9, size=shape)
    else:
        values = rng.normal(size=shape) * 2.0
    return np.asarray(values, dtype=dtype)


def _tolerance(dtype) -> float:
    dtype = np.dtype(dtype)
    if dtype.kind not in "fc":
        return 0.0
    # a few ulps of the dtype (complex itemsizes count both parts)
    return {2: 2e-3, 4: 1e-5, 8: 1e-13, 16: 1e-13}[
        dtype.itemsize // (2 if dtype.kind == "c" else 1)
    ]


def assert_same_array(actual, expected, *, exact_type=True):
    """``actual`` is a mini_ad Array equal to ``expected`` in shape, dtype and value."""
    expected = np.asarray(expected)
    if exact_type:
        assert type(actual) is ad.Array, f"expected a mini_ad Array, got {type(actual)}"
    actual = np.asarray(actual)
    assert actual.shape == expected.shape, f"shape {actual.shape} != NumPy's {expected.shape}"
    assert actual.dtype == expected.dtype, f"dtype {actual.dtype} != NumPy's {expected.dtype}"
    tol = _tolerance(expected.dtype)
    if tol:
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(actual, expected)


def _as_list(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def check_eager(mnp_fn, np_fn, *args):
    """Outside transforms mini_ad.numpy computes what NumPy computes, as Arrays (given the
    Arrays mini_ad returns: ``x[i]`` on a plain ndarray is NumPy's own indexing)."""
    assert tracing.current_trace() is tracing.eval_trace
    expected = _as_list(np_fn(*args))
    actual = _as_list(
        mnp_fn(*[ad.numpy.asarray(a) if isinstance(a, np.ndarray) else a for a in args])
    )
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        assert_same_array(a, e)


def check_staged(mnp_fn, expected, *args):
    """Staging then evaluating ``mnp_fn`` reproduces ``expected`` (a value or list)."""
    closed = ad.make_jaxpr(mnp_fn)(*args)
    ad.typecheck_jaxpr(closed.jaxpr)
    expected = _as_list(expected)
    assert len(closed.out_avals) == len(expected)
    for aval, e in zip(closed.out_avals, expected, strict=True):
        e = np.asarray(e)
        assert aval.shape == e.shape and aval.dtype == e.dtype, (aval, e.dtype, e.shape)
    outs = ad.eval_jaxpr(closed.jaxpr, closed.consts, list(args))
    for a, e in zip(outs, expected, strict=True):
        assert_same_array(a, e, exact_type=False)
    assert tracing.current_trace() is tracing.eval_trace
    return closed


def check_like_numpy(mnp_fn, np_fn, *args):
    """Both checks of the module docstring."""
    check_eager(mnp_fn, np_fn, *args)
    check_staged(mnp_fn, np_fn(*args), *args)
