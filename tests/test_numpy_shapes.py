"""Array creation, products and shape functions of mini_ad.numpy equal NumPy's.

Rows run through ``check_like_numpy``: eager results are plain ndarrays with NumPy's
shape, dtype and values, and ``eval_jaxpr(make_jaxpr(f))`` reproduces them.
"""

import numpy as np
import pytest
from core_checks import FLOAT_DTYPES, assert_same_array, check_eager, check_like_numpy, random_array

import mini_ad as ad
import mini_ad.numpy as mnp

# --- creation -------------------------------------------------------------------------------

# (name, positional args, keyword args); mnp.<name> is compared with np.<name>
CREATION = [
    ("zeros", (3,), {}), ("zeros", ((2, 3),), {}), ("zeros", ((),), {}),
    ("zeros", (2,), {"dtype": np.int32}), ("ones", ((2, 1),), {}),
    ("ones", (4,), {"dtype": np.float32}), ("ones", ((2,),), {"dtype": bool}),
    ("full", ((2, 3), 1.5), {}), ("full", (3, 7), {}), ("full", ((2,), True), {}),
    ("full", ((2, 2), 2), {"dtype": np.float32}), ("arange", (5,), {}), ("arange", (5.0,), {}),
    ("arange", (1, 7, 2), {}), ("arange", (0.5, 2.0, 0.25), {}), ("arange", (6, 0, -2), {}),
    ("arange", (4,), {"dtype": np.float32}), ("linspace", (0.0, 1.0, 5), {}),
    ("linspace", (-1, 1), {"num": 4, "endpoint": False}),
    ("linspace", (0, 2, 3), {"dtype": np.float32}), ("eye", (3,), {}), ("eye", (2, 3), {}),
    ("eye", (3,), {"k": 1, "dtype": np.int32}), ("identity", (2,), {}),
    ("array", ([1.0, 2.0],), {}), ("array", ([[1, 2], [3, 4]],), {}),
    ("array", (3.5,), {}), ("array", ([1, 2],), {"dtype": np.float32}),
    ("asarray", ([True, False],), {}), ("asarray", (np.arange(3, dtype=np.int8),), {}),
    ("asarray", ((1, 2.5),), {}),
]  # fmt: skip


@pytest.mark.parametrize("name,args,kwargs", CREATION, ids=lambda v: str(v)[:20])
def test_creation_matches_numpy(name, args, kwargs):
    check_eager(
        lambda: getattr(mnp, name)(*args, **kwargs), lambda: getattr(np, name)(*args, **kwargs)
    )
    # staged: no inputs at all, and added to a traced zero of the result's shape
    expected = getattr(np, name)(*args, **kwargs)
    closed = ad.make_jaxpr(lambda: getattr(mnp, name)(*args, **kwargs))()
    ad.typecheck_jaxpr(closed.jaxpr)
    (out,) = ad.eval_jaxpr(closed.jaxpr, closed.consts, [])
    assert_same_array(out, expected, exact_type=False)


@pytest.mark.parametrize("name", ["zeros_like", "ones_like"])
@pytest.mark.parametrize(
    "dtype", FLOAT_DTYPES + [np.int32, np.bool_], ids=lambda d: np.dtype(d).name
)
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
def test_zeros_like_ones_like_match_numpy(name, dtype, shape):
    x = random_array(shape, dtype)
    check_like_numpy(getattr(mnp, name), getattr(np, name), x)
    check_like_numpy(
        lambda x: getattr(mnp, name)(x, dtype=np.float32),
        lambda x: getattr(np, name)(x, dtype=np.float32),
        x,
    )


def test_full_like_and_traced_fill_values():
    x = random_array((2, 3), np.float32)
    check_like_numpy(lambda x: mnp.full_like(x, 2.5), lambda x: np.full_like(x, 2.5), x)
    check_like_numpy(lambda x: mnp.full((2, 2), x[0, 0]), lambda x: np.full((2, 2), x[0, 0]), x)
    check_like_numpy(
        lambda x: mnp.array([x[0, 0], x[1, 2]]), lambda x: np.array([x[0, 0], x[1, 2]]), x
    )
    check_like_numpy(
        lambda x: mnp.asarray([[x[0, 0]], [1.0]]), lambda x: np.asarray([[x[0, 0]], [1.0]]), x
    )


# --- products ------------------------------------------------------------------------------

PRODUCT_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((), (3,)), ((2, 3), ()),
    ((5, 2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)), ((2, 3), (4, 3, 2)), ((1, 2, 3), (5, 3, 2)),
    ((3,), (5, 3, 2)), ((5, 2, 3), (3,)),
]  # fmt: skip


@pytest.mark.parametrize("shapes", PRODUCT_SHAPES, ids=str)
@pytest.mark.parametrize(
    "dtypes",
    [(np.float64,) * 2, (np.float32,) * 2, (np.float32, np.int32), (np.int64,) * 2],
    ids=str,
)
@pytest.mark.parametrize("name", ["dot", "matmul"])
def test_dot_and_matmul_match_numpy(name, dtypes, shapes):
    a = random_array(shapes[0], dtypes[0], seed=30)
    b = random_array(shapes[1], dtypes[1], seed=31)
    try:
        getattr(np, name)(a, b)
    except ValueError:
        with pytest.raises(ValueError):  # e.g. matmul of a scalar, mismatched dot
            getattr(mnp, name)(a, b)
        return
    check_like_numpy(getattr(mnp, name), getattr(np, name), a, b)


@pytest.mark.parametrize(
    "name,shapes",
    [
        ("inner", ((2, 3), (4, 3))),
        ("outer", ((3,), (2, 2))),
        ("vdot", ((2, 3), (3, 2))),
        ("tensordot", ((2, 3, 4), (3, 4, 5))),
    ],
    ids=str,
)
def test_other_products_match_numpy(name, shapes):
    a, b = (
        random_array(shapes[0], np.float64, seed=32),
        random_array(shapes[1], np.float64, seed=33),
    )
    check_like_numpy(getattr(mnp, name), getattr(np, name), a, b)


# --- shape functions -----------------------------------------------------------------------------

# (description, mnp function, numpy function, input shape)
SHAPE_FUNCTIONS = [
    ("transpose", mnp.transpose, np.transpose, (2, 3, 4)),
    ("transpose-axes", lambda x: mnp.transpose(x, (1, 0, 2)), lambda x: np.transpose(x, (1, 0, 2)), (2, 3, 4)),
    ("transpose-neg", lambda x: mnp.transpose(x, (-1, 0, 1)), lambda x: np.transpose(x, (-1, 0, 1)), (2, 3, 4)),
    ("transpose-0d", mnp.transpose, np.transpose, ()),
    ("reshape", lambda x: mnp.reshape(x, (3, 2)), lambda x: np.reshape(x, (3, 2)), (2, 3)),
    ("reshape-neg", lambda x: mnp.reshape(x, (-1, 4)), lambda x: np.reshape(x, (-1, 4)), (2, 3, 4)),
    ("reshape-int", lambda x: mnp.reshape(x, 6), lambda x: np.reshape(x, 6), (2, 3)),
    ("reshape-same", lambda x: mnp.reshape(x, (2, 3)), lambda x: np.reshape(x, (2, 3)), (2, 3)),
    ("reshape-0d", lambda x: mnp.reshape(x, (1, 1)), lambda x: np.reshape(x, (1, 1)), ()),
    ("ravel", mnp.ravel, np.ravel, (2, 3)),
    ("broadcast_to", lambda x: mnp.broadcast_to(x, (4, 2, 3)), lambda x: np.broadcast_to(x, (4, 2, 3)), (2, 3)),
    ("broadcast_to-1", lambda x: mnp.broadcast_to(x, (2, 3)), lambda x: np.broadcast_to(x, (2, 3)), (2, 1)),
    ("broadcast_to-0d", lambda x: mnp.broadcast_to(x, (3,)), lambda x: np.broadcast_to(x, (3,)), ()),
    ("broadcast_to-same", lambda x: mnp.broadcast_to(x, (3,)), lambda x: np.broadcast_to(x, (3,)), (3,)),
    ("expand_dims-0", lambda x: mnp.expand_dims(x, 0), lambda x: np.expand_dims(x, 0), (2, 3)),
    ("expand_dims-neg", lambda x: mnp.expand_dims(x, -1), lambda x: np.expand_dims(x, -1), (2, 3)),
    ("expand_dims-many", lambda x: mnp.expand_dims(x, (0, 3)), lambda x: np.expand_dims(x, (0, 3)), (2, 3)),
    ("expand_dims-0d", lambda x: mnp.expand_dims(x, 0), lambda x: np.expand_dims(x, 0), ()),
    ("squeeze", mnp.squeeze, np.squeeze, (1, 3, 1)),
    ("squeeze-axis", lambda x: mnp.squeeze(x, 2), lambda x: np.squeeze(x, 2), (1, 3, 1)),
    ("squeeze-neg", lambda x: mnp.squeeze(x, (-1, 0)), lambda x: np.squeeze(x, (-1, 0)), (1, 3, 1)),
    ("squeeze-none", mnp.squeeze, np.squeeze, (2, 3)),
    ("swapaxes", lambda x: mnp.swapaxes(x, 0, 2), lambda x: np.swapaxes(x, 0, 2), (2, 3, 4)),
    ("moveaxis", lambda x: mnp.moveaxis(x, 0, -1), lambda x: np.moveaxis(x, 0, -1), (2, 3, 4)),
    ("flip", mnp.flip, np.flip, (2, 3)),
    ("flip-axis", lambda x: mnp.flip(x, 1), lambda x: np.flip(x, 1), (2, 3)),
    ("tile", lambda x: mnp.tile(x, (2, 1)), lambda x: np.tile(x, (2, 1)), (2, 3)),
    ("repeat", lambda x: mnp.repeat(x, 2, axis=1), lambda x: np.repeat(x, 2, axis=1), (2, 3)),
    ("atleast_2d", mnp.atleast_2d, np.atleast_2d, (3,)),
    ("split", lambda x: mnp.split(x, 3, axis=1), lambda x: np.split(x, 3, axis=1), (2, 3)),
    ("split-at", lambda x: mnp.split(x, [1, 2]), lambda x: np.split(x, [1, 2]), (4, 3)),
]  # fmt: skip


@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.int32], ids=lambda d: np.dtype(d).name
)
@pytest.mark.parametrize(
    "desc,mnp_fn,np_fn,shape", SHAPE_FUNCTIONS, ids=[row[0] for row in SHAPE_FUNCTIONS]
)
def test_shape_functions_match_numpy(desc, mnp_fn, np_fn, shape, dtype):
    check_like_numpy(mnp_fn, np_fn, random_array(shape, dtype, seed=34))


SCALAR_ROWS = [
    row for row in SHAPE_FUNCTIONS if row[3] == () or row[0] in ("squeeze-none", "ravel")
]


@pytest.mark.parametrize(
    "desc,mnp_fn,np_fn,shape", SCALAR_ROWS, ids=[row[0] for row in SCALAR_ROWS]
)
def test_shape_functions_of_python_scalars_give_arrays(desc, mnp_fn, np_fn, shape):
    check_eager(mnp_fn, np_fn, 2.5)
    check_eager(mnp_fn, np_fn, 3)


JOIN_CASES = [
    ("concatenate", lambda a, b: mnp.concatenate([a, b]), lambda a, b: np.concatenate([a, b]), (2, 3), (1, 3)),
    ("concatenate-1", lambda a, b: mnp.concatenate([a, b], axis=1), lambda a, b: np.concatenate([a, b], axis=1), (2, 3), (2, 2)),
    ("concatenate-neg", lambda a, b: mnp.concatenate((a, b, a), -1), lambda a, b: np.concatenate((a, b, a), -1), (2, 3), (2, 1)),
    ("concatenate-None", lambda a, b: mnp.concatenate([a, b], axis=None), lambda a, b: np.concatenate([a, b], axis=None), (2, 3), (4,)),
    ("concatenate-one", lambda a, b: mnp.concatenate([a]), lambda a, b: np.concatenate([a]), (2, 3), (2,)),
    ("stack", lambda a, b: mnp.stack([a, b]), lambda a, b: np.stack([a, b]), (2, 3), (2, 3)),
    ("stack-1", lambda a, b: mnp.stack([a, b, a], axis=1), lambda a, b: np.stack([a, b, a], axis=1), (2, 3), (2, 3)),
    ("stack-neg", lambda a, b: mnp.stack([a, b], axis=-1), lambda a, b: np.stack([a, b], axis=-1), (3,), (3,)),
    ("stack-0d", lambda a, b: mnp.stack([a, b]), lambda a, b: np.stack([a, b]), (), ()),
    ("hstack", lambda a, b: mnp.hstack([a, b]), lambda a, b: np.hstack([a, b]), (2, 3), (2, 1)),
    ("vstack", lambda a, b: mnp.vstack([a, b]), lambda a, b: np.vstack([a, b]), (3,), (2, 3)),
]  # fmt: skip


@pytest.mark.parametrize(
    "dtypes",
    [(np.float64,) * 2, (np.float32, np.float32), (np.float32, np.int32), (np.int8, np.int64)],
    ids=str,
)
@pytest.mark.parametrize(
    "desc,mnp_fn,np_fn,shape_a,shape_b", JOIN_CASES, ids=[row[0] for row in JOIN_CASES]
)
def test_concatenate_and_stack_match_numpy(desc, mnp_fn, np_fn, shape_a, shape_b, dtypes):
    a = random_array(shape_a, dtypes[0], seed=35)
    b = random_array(shape_b, dtypes[1], seed=36)
    check_like_numpy(mnp_fn, np_fn, a, b)


def test_shape_queries():
    x = random_array((2, 3), np.float32)
    for fn in ["shape", "ndim", "size"]:
        assert getattr(mnp, fn)(x) == getattr(np, fn)(x)
        assert getattr(mnp, fn)(2.0) == getattr(np, fn)(2.0)
    assert mnp.result_type(x, 2.0) == np.result_type(x, 2.0)


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: mnp.reshape(x, (4, 2)),
        lambda x: mnp.broadcast_to(x, (3, 2)),
        lambda x: mnp.squeeze(x, 0),
    ],
)
def test_shape_errors_are_value_errors_like_numpy(fn):
    with pytest.raises(ValueError):
        fn(np.ones((2, 3)))


# (name, arguments): Python lists and NumPy scalars are accepted wherever NumPy takes them
ARRAY_LIKES = [
    ("sum", ([1, 2, 3],)), ("mean", ([1.0, 2.0],)), ("max", ([1, 5, 2],)),
    ("prod", ([[1, 2], [3, 4]],)), ("reshape", ([1, 2, 3, 4], (2, 2))), ("transpose", ([[1, 2]],)),
    ("concatenate", ([[1, 2], [3]],)), ("dot", ([1, 2], [3, 4])), ("matmul", ([[1, 2]], [[3], [4]])),
    ("expand_dims", ([1, 2], 0)), ("squeeze", ([[1, 2]],)), ("broadcast_to", ([1, 2], (2, 2))),
    ("stack", ([[1, 2], [3, 4]],)), ("sin", ([0.0, 1.0],)), ("where", ([True, False], [1, 2], [3, 4])),
    ("clip", ([1, 5, 9], 2, 6)), ("abs", ([-1, 2],)), ("argmax", ([1, 3, 2],)), ("cumsum", ([1, 2, 3],)),
    ("zeros_like", ([1, 2],)), ("maximum", ([1, 5], 3)), ("power", ([1, 2], 2)), ("sum", (np.float32(2.5),)),
    ("sin", (np.float32(1.0),)), ("add", (np.int8(3), np.int8(4))), ("add", (np.float32(1), 1.0)),
]  # fmt: skip


@pytest.mark.parametrize("name,args", ARRAY_LIKES, ids=lambda v: str(v)[:30])
def test_array_likes_are_accepted_like_numpy(name, args):
    check_eager(getattr(mnp, name), getattr(np, name), *args)
