"""mini_ad.numpy's reductions equal NumPy's for every axis form and ``keepdims``.

Rows run through ``check_like_numpy`` (eager ndarray results with NumPy's dtype, and
``eval_jaxpr(make_jaxpr(f))`` reproducing them). NumPy's accumulator dtypes apply:
``sum``/``prod`` of small integers and bools give int64, ``mean`` of integers float64.
"""

import numpy as np
import pytest
from core_checks import ALL_DTYPES, check_like_numpy, random_array

import mini_ad.numpy as mnp

REDUCTIONS = ["sum", "mean", "prod", "max", "min", "amax", "amin"]

# (shape, axis): None, ints, negative ints, tuples, the empty tuple
AXES = [
    ((), None), ((4,), None), ((4,), 0), ((4,), -1), ((2, 3), None), ((2, 3), 0),
    ((2, 3), 1), ((2, 3), -1), ((2, 3), (0, 1)), ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0)),
    ((2, 3, 4), 1), ((2, 3, 4), ()), ((2, 1, 4), 1),
]  # fmt: skip


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape,axis", AXES, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_match_numpy(name, shape, axis, keepdims):
    x = random_array(shape, np.float64, seed=20)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, axis=axis, keepdims=keepdims),
        lambda x: getattr(np, name)(x, axis=axis, keepdims=keepdims),
        x,
    )


@pytest.mark.parametrize(
    "dtype", ALL_DTYPES + [np.uint8, np.int16, np.bool_], ids=lambda d: np.dtype(d).name
)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_dtypes_match_numpy(name, dtype):
    x = random_array((2, 3), dtype, "pos", seed=21)
    for axis in [None, 0]:
        check_like_numpy(
            lambda x: getattr(mnp, name)(x, axis=axis), lambda x: getattr(np, name)(x, axis=axis), x
        )


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions_of_python_scalars(name):
    check_like_numpy(getattr(mnp, name), getattr(np, name), 2.5)
    check_like_numpy(getattr(mnp, name), getattr(np, name), 3)


@pytest.mark.parametrize("name", ["sum", "prod", "mean"])
@pytest.mark.parametrize(
    "dtype", [np.float32, np.float64, np.int64], ids=lambda d: np.dtype(d).name
)
def test_explicit_accumulation_dtype(name, dtype):
    x = random_array((2, 3), np.int32, "pos", seed=22)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, dtype=dtype), lambda x: getattr(np, name)(x, dtype=dtype), x
    )


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("dtype", [np.bool_, np.float64, np.int32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape,axis", AXES[::2], ids=str)
def test_all_any_match_numpy(name, dtype, shape, axis):
    x = random_array(shape, dtype, "unit", seed=23)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, axis=axis), lambda x: getattr(np, name)(x, axis=axis), x
    )


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize(
    "shape,axis", [((4,), None), ((2, 3), None), ((2, 3), 0), ((2, 3, 4), -1)], ids=str
)
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_argmin_match_numpy(name, shape, axis, keepdims):
    x = random_array(shape, np.float64, seed=24)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, axis=axis, keepdims=keepdims),
        lambda x: getattr(np, name)(x, axis=axis, keepdims=keepdims),
        x,
    )


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("axis,ddof", [(None, 0), (0, 1), ((0, 2), 0)], ids=str)
@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.int32], ids=lambda d: np.dtype(d).name
)
def test_var_std_match_numpy(name, axis, ddof, dtype):
    x = random_array((2, 3, 4), dtype, seed=25)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, axis=axis, ddof=ddof),
        lambda x: getattr(np, name)(x, axis=axis, ddof=ddof),
        x,
    )


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("dtype", [np.float64, np.int8], ids=lambda d: np.dtype(d).name)
def test_cumsum_matches_numpy(axis, dtype):
    x = random_array((2, 3), dtype, seed=26)
    check_like_numpy(lambda x: mnp.cumsum(x, axis=axis), lambda x: np.cumsum(x, axis=axis), x)


def test_reductions_reject_bad_axes_like_numpy():
    x = np.ones((2, 3))
    for axis in [2, -3, (0, 0)]:
        with pytest.raises(ValueError):
            mnp.sum(x, axis=axis)
        with pytest.raises((ValueError, np.exceptions.AxisError)):
            np.sum(x, axis=axis)
