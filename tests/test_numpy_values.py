"""mini_ad.numpy's elementwise functions equal NumPy's: values, shapes and dtypes.

Every row runs through ``check_like_numpy``: eagerly the result is a plain ndarray with
NumPy's dtype and values, and ``eval_jaxpr(make_jaxpr(f))`` reproduces it. Dtypes follow
NumPy 2 (NEP 50): float32 stays float32, Python scalars are weak, integers promote to
floats the way NumPy's ufuncs do.
"""

import itertools

import numpy as np
import pytest
from core_checks import (
    ALL_DTYPES,
    FLOAT_DTYPES,
    SHAPES,
    check_eager,
    check_like_numpy,
    random_array,
)

import mini_ad.numpy as mnp

# (name, input domain); mnp.<name> is compared with np.<name>
UNARY = [
    ("negative", "any"), ("square", "any"), ("sqrt", "pos"), ("exp", "unit"), ("log", "pos"),
    ("log1p", "pos"), ("expm1", "unit"), ("sin", "any"), ("cos", "any"), ("tan", "unit"),
    ("tanh", "any"), ("arcsin", "unit"), ("arccos", "unit"), ("arctan", "any"),
    ("sinh", "unit"), ("cosh", "unit"), ("abs", "any"), ("sign", "any"), ("absolute", "any"),
    ("positive", "any"), ("floor", "any"), ("ceil", "any"), ("cbrt", "any"), ("exp2", "unit"),
    ("log2", "pos"), ("log10", "pos"), ("arcsinh", "any"), ("arctanh", "unit"),
    ("reciprocal", "pos"), ("rint", "any"), ("trunc", "any"), ("deg2rad", "any"),
    ("rad2deg", "any"), ("isfinite", "any"), ("isnan", "any"), ("isinf", "any"),
]  # fmt: skip


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name,domain", UNARY, ids=[row[0] for row in UNARY])
def test_unary_matches_numpy(name, domain, dtype, shape):
    x = random_array(shape, dtype, domain)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x)


SMALL_INT_UNARY = ["sin", "exp", "sqrt", "abs", "square", "floor", "trunc", "rint", "log2"]


@pytest.mark.parametrize("name", SMALL_INT_UNARY + ["negative"])
@pytest.mark.parametrize(
    "dtype", [np.int8, np.uint8, np.int16, np.bool_], ids=lambda d: np.dtype(d).name
)
def test_unary_of_small_int_and_bool_inputs_follows_numpy(name, dtype):
    # NumPy's ufunc loops: int8/uint8/bool -> float16, int16 -> float32
    x = random_array((3,), dtype, "pos")
    if name == "negative" and dtype == np.bool_:
        with pytest.raises(TypeError):  # NumPy refuses boolean negation too
            np.negative(x)
        return
    check_like_numpy(getattr(mnp, name), getattr(np, name), x)


SCALAR_UNARY = [
    (name, v)
    for name in ["sin", "exp", "negative", "abs", "sqrt", "square"]
    for v in [0.5, 2, True]
]


@pytest.mark.parametrize(
    "name,value", [row for row in SCALAR_UNARY if row != ("negative", True)], ids=str
)
def test_unary_of_python_scalar_is_a_0d_ndarray(name, value):
    check_like_numpy(getattr(mnp, name), getattr(np, name), value)


BINARY = [
    ("add", "any"), ("subtract", "any"), ("multiply", "any"), ("divide", "pos"),
    ("true_divide", "pos"), ("power", "pos"), ("maximum", "any"), ("minimum", "any"),
    ("arctan2", "any"), ("floor_divide", "pos"), ("remainder", "pos"), ("mod", "pos"),
    ("fmod", "pos"), ("hypot", "any"), ("logaddexp", "any"), ("float_power", "pos"),
]  # fmt: skip

BROADCAST_PAIRS = [((3,), (3,)), ((2, 3), (3,)), ((2, 1, 4), (3, 1)), ((), (2, 3)), ((2, 3), ())]


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name,domain", BINARY, ids=[row[0] for row in BINARY])
def test_binary_matches_numpy(name, domain, dtype, shapes):
    x = random_array(shapes[0], dtype, domain, seed=1)
    y = random_array(shapes[1], dtype, domain, seed=2)
    if name in ("power", "float_power") and np.dtype(dtype).kind == "i":
        y = np.abs(y) % 3  # NumPy rejects negative integer powers
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)


@pytest.mark.parametrize("name", ["floor_divide", "remainder"])
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float64], ids=lambda d: np.dtype(d).name)
def test_floor_divide_and_remainder_signs_follow_python(name, dtype):
    x = np.array([7, -7, 7, -7, 0, 6, -6], dtype=dtype)
    y = np.array([2, 2, -2, -2, 3, -4, 4], dtype=dtype)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)


# (left, right): mixed dtypes and Python scalars (weak, NEP 50)
PROMOTIONS = [
    (np.float32, 2.0), (2.0, np.float32), (np.float32, 3), (np.int8, 2), (np.int8, 2.0),
    (np.int32, 2.5), (np.int64, True), (np.bool_, 1), (np.bool_, 1.5), (np.float32, np.int32),
    (np.float32, np.float64), (np.int8, np.int32), (np.int32, np.float16),
    (np.uint8, np.int8), (np.float16, 1.0), (np.float32, np.int8), (2, 3), (2, 1.5),
    (1.5, 2.5), (np.float64, True),
]  # fmt: skip


def _operand(spec, shape, seed):
    if isinstance(spec, (bool, int, float)):
        return spec
    return random_array(shape, spec, "pos", seed=seed)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "maximum", "power"])
@pytest.mark.parametrize("left,right", PROMOTIONS, ids=str)
def test_promotion_follows_numpy_2(name, left, right):
    x = _operand(left, (2, 3), seed=3)
    y = _operand(right, (3,), seed=4)
    if name == "power" and isinstance(right, (bool, int)) and not isinstance(left, float):
        y = abs(y)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)


def test_float32_stays_float32_through_a_composite_expression():
    x = random_array((2, 3), np.float32)
    f_mnp = lambda x: mnp.tanh(x * 2.0 + 1) / 3 - mnp.exp(-(x**2))
    f_np = lambda x: np.tanh(x * 2.0 + 1) / 3 - np.exp(-(x**2))
    check_like_numpy(f_mnp, f_np, x)
    assert f_mnp(x).dtype == np.float32


COMPARISONS = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
LOGICAL = ["logical_and", "logical_or", "logical_xor"]


@pytest.mark.parametrize("shapes", BROADCAST_PAIRS[:4], ids=str)
@pytest.mark.parametrize("dtype", ALL_DTYPES + [np.bool_], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", COMPARISONS + LOGICAL)
def test_comparisons_and_logic_match_numpy(name, dtype, shapes):
    x = random_array(shapes[0], dtype, "unit", seed=5)
    y = random_array(shapes[1], dtype, "unit", seed=6)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)


@pytest.mark.parametrize("name", COMPARISONS + LOGICAL)
@pytest.mark.parametrize("scalar", [0, 0.5, True], ids=["int", "float", "bool"])
def test_comparisons_with_python_scalars(name, scalar):
    x = random_array((2, 3), np.float32, "unit", seed=7)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, scalar)
    check_like_numpy(getattr(mnp, name), getattr(np, name), scalar, x)


@pytest.mark.parametrize("dtype", ALL_DTYPES + [np.bool_], ids=lambda d: np.dtype(d).name)
def test_logical_not_matches_numpy(dtype):
    check_like_numpy(mnp.logical_not, np.logical_not, random_array((2, 3), dtype, "unit"))


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor"])
@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.bool_], ids=lambda d: np.dtype(d).name)
def test_bitwise_ops_match_numpy(name, dtype):
    x = random_array((2, 3), dtype, seed=8)
    y = random_array((3,), dtype, seed=9)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)
    check_like_numpy(mnp.invert, np.invert, x)


WHERE_CASES = [
    ((3,), (3,), (3,)), ((2, 3), (3,), ()), ((2, 1), (1, 3), (2, 3)), ((), (2, 3), (2, 3)),
]  # fmt: skip


@pytest.mark.parametrize("shapes", WHERE_CASES, ids=str)
@pytest.mark.parametrize(
    "dtypes", [(np.float64,) * 2, (np.float32, np.int32), (np.int8,) * 2], ids=str
)
def test_where_matches_numpy(shapes, dtypes):
    c = random_array(shapes[0], np.bool_, seed=10)
    x = random_array(shapes[1], dtypes[0], seed=11)
    y = random_array(shapes[2], dtypes[1], seed=12)
    check_like_numpy(mnp.where, np.where, c, x, y)


@pytest.mark.parametrize("scalars", [(1.0, 0.0), (1, 0), (2.5, 0)], ids=str)
def test_where_with_python_scalar_branches(scalars):
    x = random_array((2, 3), np.float32, seed=13)
    check_like_numpy(
        lambda x: mnp.where(x > 0, scalars[0], x), lambda x: np.where(x > 0, scalars[0], x), x
    )
    check_like_numpy(lambda x: mnp.where(x > 0, *scalars), lambda x: np.where(x > 0, *scalars), x)


@pytest.mark.parametrize(
    "dtype", FLOAT_DTYPES + [np.int64, np.int32], ids=lambda d: np.dtype(d).name
)
@pytest.mark.parametrize(
    "bounds", [(-1.0, 1.0), (-1, 1), (None, 0.5), (0, None)], ids=["float", "int", "max", "min"]
)
def test_clip_matches_numpy(dtype, bounds):
    x = random_array((2, 3), dtype, seed=14)
    check_like_numpy(lambda x: mnp.clip(x, *bounds), lambda x: np.clip(x, *bounds), x)


def test_clip_with_array_bounds_broadcasts():
    x = random_array((2, 3), np.float64, seed=15)
    lo, hi = (
        random_array((3,), np.float64, seed=16) - 1.0,
        random_array((2, 1), np.float64, seed=17) + 1.0,
    )
    check_like_numpy(mnp.clip, np.clip, x, lo, hi)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "less", "logical_and"])
def test_binary_on_lists_and_numpy_scalars(name):
    check_eager(getattr(mnp, name), getattr(np, name), [1.0, 2.0, 3.0], np.float32(2.0))
    check_eager(getattr(mnp, name), getattr(np, name), np.int8(3), [1, 2, 3])


def test_every_dtype_pair_of_add_promotes_like_numpy():
    dtypes = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.float16, np.float32, np.float64]
    for a, b in itertools.product(dtypes, repeat=2):
        x, y = random_array((2,), a, seed=18), random_array((2,), b, seed=19)
        check_like_numpy(mnp.add, np.add, x, y)


BOOL_BINARY = [
    "add", "multiply", "maximum", "minimum", "power", "floor_divide", "remainder", "fmod",
    "true_divide", "arctan2", "equal", "less", "logical_xor",
]  # fmt: skip
BOOL_UNARY = ["reciprocal", "sqrt", "square", "abs", "exp", "floor", "logical_not", "invert"]


@pytest.mark.parametrize("name", BOOL_BINARY)
def test_bool_arithmetic_follows_numpy(name):
    x = np.array([[True, False, True], [False, False, True]])
    y = np.array([True, True, True])  # no zero divisors
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, y)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x, True)


@pytest.mark.parametrize("name", BOOL_UNARY)
def test_bool_unary_follows_numpy(name):
    check_like_numpy(getattr(mnp, name), getattr(np, name), np.array([True, True]))


@pytest.mark.parametrize("name", ["subtract", "negative", "sign"])
def test_bool_operations_numpy_refuses_are_refused(name):
    args = (np.array([True, False]),) * (2 if name == "subtract" else 1)
    with pytest.raises(TypeError):
        getattr(np, name)(*args)
    with pytest.raises(TypeError):
        getattr(mnp, name)(*args)


@pytest.mark.parametrize("exponent", [2, np.int64(2), np.int8(3), 0, 1], ids=repr)
@pytest.mark.parametrize("dtype", [np.int8, np.bool_, np.float32], ids=lambda d: np.dtype(d).name)
def test_integer_exponents_promote_by_dtype_like_numpy(dtype, exponent):
    check_like_numpy(
        lambda x: mnp.power(x, exponent),
        lambda x: np.power(x, exponent),
        random_array((3,), dtype, "pos"),
    )
