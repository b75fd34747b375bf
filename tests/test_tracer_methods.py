"""Tracers behave like NumPy arrays: operators, attributes and methods.

Each row is one expression ``f``. Run on ndarrays it is plain NumPy (the expected value);
staged with ``make_jaxpr`` it goes through the Tracer's operators and methods, and
``eval_jaxpr`` of that Jaxpr must give NumPy's value, shape and dtype.
"""

import operator

import numpy as np
import pytest
from core_checks import check_staged, random_array

import mini_ad as ad

X23 = random_array((2, 3), np.float64, seed=50)
Y23 = random_array((2, 3), np.float64, "pos", seed=51)
W34 = random_array((3, 4), np.float64, seed=52)
V3 = random_array((3,), np.float64, seed=53)
F32 = random_array((2, 3), np.float32, seed=54)
I23 = random_array((2, 3), np.int64, seed=55)
J23 = random_array((2, 3), np.int64, "pos", seed=56)
B23 = random_array((2, 3), np.bool_, seed=57)
C23 = random_array((2, 3), np.bool_, seed=58)

# (description, expression, arguments)
OPERATORS = [
    ("add", operator.add, (X23, Y23)), ("sub", operator.sub, (X23, Y23)),
    ("mul", operator.mul, (X23, Y23)), ("truediv", operator.truediv, (X23, Y23)),
    ("floordiv", operator.floordiv, (X23, Y23)), ("mod", operator.mod, (X23, Y23)),
    ("pow", operator.pow, (Y23, X23)), ("matmul", operator.matmul, (X23, W34)),
    ("matmul-vec", operator.matmul, (X23, V3)), ("add-bcast", operator.add, (X23, V3)),
    ("int-floordiv", operator.floordiv, (I23, J23)), ("int-mod", operator.mod, (I23, J23)),
    ("int-truediv", operator.truediv, (I23, J23)), ("int-pow", lambda x: x**3, (I23,)),
    ("neg", operator.neg, (X23,)), ("pos", operator.pos, (X23,)), ("abs", abs, (X23,)),
    ("radd", lambda x: 2.0 + x, (X23,)), ("rsub", lambda x: 2 - x, (X23,)),
    ("rmul", lambda x: 3 * x, (F32,)), ("rtruediv", lambda x: 1.0 / x, (Y23,)),
    ("rfloordiv", lambda x: 7.0 // x, (Y23,)), ("rmod", lambda x: 7 % x, (J23,)),
    ("rpow", lambda x: 2.0**x, (X23,)), ("rmatmul", lambda x: V3 @ x, (W34,)),
    ("square", lambda x: x**2, (X23,)), ("sqrt-pow", lambda x: x**0.5, (Y23,)),
    ("int-by-float", lambda x: x * 0.5, (I23,)), ("f32-by-int", lambda x: x * 3, (F32,)),
    ("eq", operator.eq, (I23, J23)), ("ne", operator.ne, (I23, J23)),
    ("lt", operator.lt, (X23, Y23)), ("le", operator.le, (X23, Y23)),
    ("gt", operator.gt, (X23, Y23)), ("ge", operator.ge, (X23, Y23)),
    ("gt-scalar", lambda x: x > 0, (X23,)), ("scalar-lt", lambda x: 0.5 < x, (X23,)),
    ("and", operator.and_, (B23, C23)), ("or", operator.or_, (B23, C23)),
    ("xor", operator.xor, (B23, C23)), ("invert", operator.invert, (B23,)),
    ("int-and", operator.and_, (I23, J23)), ("int-invert", operator.invert, (I23,)),
    ("cmp-and", lambda x: (x > 0) & (x < 1), (X23,)),
]  # fmt: skip

METHODS = [
    ("getitem", lambda x: x[1, ::-1], (X23,)), ("getitem-none", lambda x: x[None, :, 0], (X23,)),
    ("T", lambda x: x.T, (X23,)), ("sum", lambda x: x.sum(), (X23,)),
    ("sum-axis", lambda x: x.sum(axis=0), (X23,)), ("sum-keep", lambda x: x.sum(1, keepdims=True), (X23,)),
    ("mean", lambda x: x.mean(), (X23,)), ("mean-axis", lambda x: x.mean(axis=-1), (I23,)),
    ("max", lambda x: x.max(), (X23,)), ("max-axis", lambda x: x.max(axis=1), (X23,)),
    ("min", lambda x: x.min(), (X23,)), ("min-keep", lambda x: x.min(axis=0, keepdims=True), (X23,)),
    ("prod", lambda x: x.prod(axis=0), (X23,)), ("reshape-tuple", lambda x: x.reshape((3, 2)), (X23,)),
    ("reshape-args", lambda x: x.reshape(3, -1), (X23,)), ("reshape-int", lambda x: x.reshape(6), (X23,)),
    ("transpose", lambda x: x.transpose(), (X23,)), ("transpose-args", lambda x: x.transpose(1, 0), (X23,)),
    ("transpose-tuple", lambda x: x.transpose((1, 0)), (X23,)), ("astype-f32", lambda x: x.astype(np.float32), (X23,)),
    ("astype-int", lambda x: x.astype(np.int32), (X23,)), ("astype-float", lambda x: x.astype(float), (I23,)),
    ("dot", lambda x: x.dot(W34), (X23,)), ("dot-vec", lambda x: x.dot(V3), (X23,)),
    ("squeeze", lambda x: x[None].squeeze(), (X23,)), ("ravel", lambda x: x.ravel(), (X23,)),
    ("flatten", lambda x: x.flatten(), (X23,)), ("argmax", lambda x: x.argmax(axis=1), (X23,)),
    ("argmin", lambda x: x.argmin(), (X23,)), ("iter", lambda x: [row * 2.0 for row in x], (X23,)),
    ("len", lambda x: x * len(x), (X23,)), ("shape-arith", lambda x: x.reshape(x.shape[1], x.shape[0]), (X23,)),
    ("size-ndim", lambda x: x / (x.size * x.ndim), (X23,)),
    ("argsort", lambda x: x.argsort(axis=0), (X23,)), ("cumsum", lambda x: x.cumsum(axis=1), (X23,)),
    ("cumsum-flat", lambda x: x.cumsum(), (I23,)), ("cumprod", lambda x: x.cumprod(axis=0), (X23,)),
    ("trace", lambda x: x.trace(), (X23,)), ("trace-offset", lambda x: x.trace(offset=1), (W34,)),
    ("diagonal", lambda x: x.diagonal(1), (W34,)), ("clip", lambda x: x.clip(-0.5, 0.5), (X23,)),
    ("clip-min", lambda x: x.clip(0), (I23,)), ("round", lambda x: x.round(2), (X23,)),
    ("var", lambda x: x.var(axis=0), (X23,)), ("std", lambda x: x.std(ddof=1), (X23,)),
    ("any", lambda x: x.any(axis=1), (B23,)), ("all", lambda x: x.all(), (B23,)),
    ("swapaxes", lambda x: x.swapaxes(0, 1), (X23,)), ("repeat", lambda x: x.repeat(2, axis=1), (X23,)),
    ("take", lambda x: x.take(np.array([2, 0]), axis=1), (X23,)),
]  # fmt: skip


@pytest.mark.parametrize(
    "desc,fn,args", OPERATORS + METHODS, ids=[r[0] for r in OPERATORS + METHODS]
)
def test_tracer_operators_and_methods_match_numpy(desc, fn, args):
    check_staged(fn, fn(*args), *args)


def test_sort_method_returns_a_sorted_copy_like_jax():
    """``x.sort()`` is JAX's: a new array (NumPy's sorts in place and returns None)."""
    check_staged(lambda x: x.sort(axis=0), np.sort(X23, axis=0), X23)
    check_staged(lambda x: x.sort(descending=True), -np.sort(-X23, axis=-1), X23)


@pytest.mark.parametrize("x", [X23, F32, I23, B23, np.zeros((2, 0, 4)), np.float64(1.5)], ids=str)
def test_tracer_attributes_match_numpy(x):
    seen = {}

    def record(x):
        seen.update(shape=x.shape, ndim=x.ndim, dtype=x.dtype, size=x.size)
        return x

    ad.make_jaxpr(record)(x)
    assert seen == {"shape": x.shape, "ndim": x.ndim, "dtype": x.dtype, "size": x.size}
    assert isinstance(seen["dtype"], np.dtype)


def test_python_scalar_tracer_is_weak_and_0d():
    seen = {}

    def record(x):
        seen.update(shape=x.shape, dtype=x.dtype, weak=x.weak_type)
        return x * 2

    closed = ad.make_jaxpr(record)(1.5)
    assert seen == {"shape": (), "dtype": np.dtype(np.float64), "weak": True}
    assert closed.out_avals[0].weak_type


def test_len_of_a_0d_tracer_is_a_type_error_like_numpy():
    with pytest.raises(TypeError):
        len(np.float64(1.0).reshape(()))
    with pytest.raises(TypeError):
        ad.make_jaxpr(len)(1.0)
    with pytest.raises(TypeError):
        ad.make_jaxpr(lambda x: list(x))(np.array(1.0))


def test_tracers_are_unhashable_like_arrays():
    with pytest.raises(TypeError):
        ad.make_jaxpr(hash)(X23)
