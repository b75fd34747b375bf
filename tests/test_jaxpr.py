"""The IR: ``eval_jaxpr(make_jaxpr(f))`` reproduces ``f``, every staged Jaxpr type-checks,
and for primal programs the printed text is exactly ``str(jax.make_jaxpr(f)(*args))``.
"""

import numpy as np
import pytest
from core_checks import check_staged, random_array

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core.jaxpr import Eqn, Jaxpr, Literal, Var
from mini_ad.core.typecheck import JaxprTypeError
from mini_ad.primitives import elementwise as ew

X3 = random_array((3,), np.float64, seed=60)
P3 = random_array((3,), np.float64, "pos", seed=61)
M23 = random_array((2, 3), np.float64, seed=62)
M34 = random_array((3, 4), np.float64, seed=63)
F32 = random_array((2, 3), np.float32, seed=64)
I3 = random_array((3,), np.int32, seed=65)
B3 = random_array((3,), np.bool_, seed=66)
CONST = random_array((3,), np.float64, seed=67)


def _branchless_relu(x):
    return mnp.where(x > 0, x, 0.0)


def _mlp(w, x):
    return mnp.mean(mnp.tanh(x @ w) ** 2, axis=0)


def _long_chain(x):
    for i in range(40):
        x = mnp.sin(x) * 1.01 + i
    return x


# (description, function, arguments): staged, type-checked and evaluated against f itself
EVAL_TABLE = [
    ("sin", mnp.sin, (X3,)), ("poly", lambda x: 3.0 * x**3 - 2 * x + 1, (X3,)),
    ("exp-log", lambda x: mnp.log(mnp.exp(x) + 1.0), (X3,)), ("sqrt", mnp.sqrt, (P3,)),
    ("sum-mean", lambda x: mnp.sum(x) / mnp.mean(x, axis=0), (M23,)),
    ("max-min", lambda x: mnp.max(x, axis=1) - mnp.min(x, axis=1), (M23,)),
    ("prod", lambda x: mnp.prod(x, axis=-1, keepdims=True), (M23,)),
    ("matmul", lambda a, b: a @ b, (M23, M34)), ("dot-vec", mnp.dot, (M23, X3)),
    ("mlp", _mlp, (M34, M23)), ("transpose", lambda x: x.T @ x, (M23,)),
    ("reshape", lambda x: mnp.reshape(x, (3, 2))[::-1], (M23,)),
    ("broadcast", lambda x, y: x + y, (M23, X3)), ("concat", lambda x, y: mnp.concatenate([x, y]), (X3, P3)),
    ("stack", lambda x, y: mnp.stack([x, y], axis=1), (X3, P3)),
    ("index", lambda x: x[1, ::2] + x[0, -1], (M23,)), ("none-ellipsis", lambda x: x[None, ..., 0], (M23,)),
    ("where", _branchless_relu, (X3,)), ("clip", lambda x: mnp.clip(x, -0.5, 0.5), (X3,)),
    ("compare", lambda x, y: (x < y) | (x == 0), (X3, P3)), ("logic", mnp.logical_not, (B3,)),
    ("int-math", lambda i: i * 2 + i // 3 - i % 2, (I3,)), ("int-to-float", lambda i: mnp.sin(i), (I3,)),
    ("float32", lambda x: mnp.tanh(x) * 2.0 + 1, (F32,)), ("f32-sum", lambda x: mnp.sum(x, axis=0), (F32,)),
    ("python-scalar", lambda x: x * 2.0 + 1, (1.5,)), ("python-int", lambda n: n * 3, (4,)),
    ("const", lambda x: x * CONST + mnp.ones(3), (X3,)), ("arange", lambda x: x * mnp.arange(3), (X3,)),
    ("zeros-like", lambda x: mnp.zeros_like(x) + mnp.full((3,), 2.0), (X3,)),
    ("two-outputs", lambda x, y: (x + y, x * y), (X3, P3)), ("identity", lambda x: x, (X3,)),
    ("literal-output", lambda x: (x, 2.0), (X3,)), ("no-output", lambda x: (), (X3,)),
    ("long-chain", _long_chain, (X3,)), ("astype", lambda x: x.astype(np.float32) * 2, (X3,)),
    ("trig", lambda x: mnp.arctan(mnp.sinh(x)) + mnp.cosh(mnp.arcsin(x / 3)), (X3,)),
    ("gather", lambda x: x[np.array([2, 0, 2])] * x[[1]], (X3,)), ("at-set", lambda x: mnp.at(x)[1].set(0.0), (X3,)),
]  # fmt: skip


@pytest.mark.parametrize("desc,fn,args", EVAL_TABLE, ids=[row[0] for row in EVAL_TABLE])
def test_eval_jaxpr_of_make_jaxpr_reproduces_f(desc, fn, args):
    check_staged(fn, fn(*args), *args)  # also type-checks the staged Jaxpr


def test_eval_table_is_large_enough():
    assert len(EVAL_TABLE) >= 30


def test_closed_jaxpr_is_callable_and_keeps_its_consts():
    closed = ad.make_jaxpr(lambda x: x * CONST)(X3)
    assert len(closed.consts) == 1 and closed.consts[0] is CONST
    np.testing.assert_array_equal(closed(X3)[0], X3 * CONST)


# --- typecheck rejects broken Jaxprs ----------------------------------------------------------


def _aval(shape, dtype=np.float64):
    return ad.ShapedArray(shape, np.dtype(dtype))


def test_typecheck_rejects_a_wrong_binder_type():
    x, y = Var(_aval((3,))), Var(_aval((2,)))
    jaxpr = Jaxpr([], [x], [Eqn(ew.sin_p, [x], {}, [y])], [y])
    with pytest.raises(JaxprTypeError, match="sin"):
        ad.typecheck_jaxpr(jaxpr)


def test_typecheck_rejects_use_before_definition_and_double_definition():
    x, y, z = Var(_aval(())), Var(_aval(())), Var(_aval(()))
    use_first = Jaxpr([], [x], [Eqn(ew.mul_p, [x, z], {}, [y]), Eqn(ew.sin_p, [x], {}, [z])], [y])
    with pytest.raises(JaxprTypeError):
        ad.typecheck_jaxpr(use_first)
    twice = Jaxpr([], [x], [Eqn(ew.sin_p, [x], {}, [x])], [x])
    with pytest.raises(JaxprTypeError):
        ad.typecheck_jaxpr(twice)


def test_typecheck_rejects_mismatched_operand_dtypes():
    x, y = Var(_aval((3,))), Var(_aval((3,)))
    jaxpr = Jaxpr([], [x], [Eqn(ew.add_p, [x, Literal(np.float32(1.0))], {}, [y])], [y])
    with pytest.raises(TypeError):
        ad.typecheck_jaxpr(jaxpr)


def test_eval_jaxpr_checks_the_number_of_arguments():
    closed = ad.make_jaxpr(mnp.sin)(1.0)
    with pytest.raises(TypeError):
        ad.eval_jaxpr(closed.jaxpr, closed.consts, [1.0, 2.0])
