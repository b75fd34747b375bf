"""Tracing errors: each misuse raises JAX's exception type with a message that names the
shape, the function and the argument, and afterwards the current trace is the base one.
"""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import errors
from mini_ad.core import tracing


def assert_back_at_base():
    assert tracing.current_trace() is tracing.eval_trace


def branch_on_value(x):
    return 1.0 if x > 0 else 0.0


def two_args(scale, x):
    return x * scale if mnp.sum(x) > 0 else x


# (description, staged function, arguments, exception, fragments the message must hold)
MISUSES = [
    ("if-lambda", lambda x: 1.0 if x > 0 else 0.0, (1.0,), errors.TracerBoolConversionError,
     ["bool[]", "<lambda>", "argument x", "make_jaxpr", "TracerBoolConversionError"]),
    ("if-named", branch_on_value, (np.ones(3),), errors.TracerBoolConversionError,
     ["bool[3]", "branch_on_value", "argument x"]),
    ("if-second-arg", two_args, (2.0, np.ones(2)), errors.TracerBoolConversionError,
     ["bool[]", "two_args", "argument x"]),
    ("while", lambda x: [x := x - 1 for _ in iter(lambda: bool(x > 0), False)], (3.0,),
     errors.TracerBoolConversionError, ["bool[]"]),
    ("int", lambda x: int(x), (1.5,), errors.ConcretizationTypeError, ["int()", "f64[]", "argument x"]),
    ("float", lambda x: float(x), (np.float32(1.5),), errors.ConcretizationTypeError, ["float()", "f32[]"]),
    ("range", lambda n: range(n), (3,), errors.TracerIntegerConversionError, ["__index__", "i64[]", "argument n", "errors.html#jax.errors.TracerIntegerConversionError"]),
    ("list-index", lambda i: [1.0, 2.0][i], (np.int32(1),), errors.TracerIntegerConversionError, ["i32[]"]),
    ("np.sin", lambda x: np.sin(x), (1.0,), errors.TracerArrayConversionError, ["__array__", "f64[]", "mini_ad.numpy"]),
    ("np.asarray", lambda x: np.asarray(x), (np.ones(2),), errors.TracerArrayConversionError, ["f64[2]"]),
    ("mask", lambda x: x[x > 0], (np.arange(3.0),), errors.NonConcreteBooleanIndexError, ["bool[3]", "concrete"]),
    ("mask-at", lambda x: mnp.sum(x[mnp.isnan(x)]), (np.ones(2),), errors.NonConcreteBooleanIndexError, ["bool[2]"]),
    ("arange", lambda n: mnp.arange(n), (3,), errors.ConcretizationTypeError, ["arange", "argument n"]),
]  # fmt: skip


@pytest.mark.parametrize("desc,fn,args,exc,fragments", MISUSES, ids=[row[0] for row in MISUSES])
def test_misuse_under_make_jaxpr_raises_jax_error(desc, fn, args, exc, fragments):
    with pytest.raises(exc) as info:
        ad.make_jaxpr(fn)(*args)
    for fragment in fragments:
        assert fragment in str(info.value)
    assert_back_at_base()


def test_error_classes_mirror_jax_hierarchy():
    assert issubclass(errors.TracerBoolConversionError, errors.ConcretizationTypeError)
    assert issubclass(errors.ConcretizationTypeError, TypeError)
    assert issubclass(errors.TracerIntegerConversionError, TypeError)
    assert issubclass(errors.TracerArrayConversionError, TypeError)
    assert issubclass(errors.NonConcreteBooleanIndexError, IndexError)


def test_python_control_flow_on_values_works_under_autodiff():
    f = lambda x: x * 3.0 if x > 0 else -x  # noqa: E731
    assert ad.grad(f)(2.0) == 3.0 and ad.grad(f)(-2.0) == -1.0
    assert ad.jvp(f, (2.0,), (1.0,))[1] == 3.0
    assert ad.vjp(f, -2.0)[1](1.0)[0] == -1.0
    assert ad.grad(lambda x: x[x > 0].sum())(np.array([1.0, -1.0])).tolist() == [1.0, 0.0]
    assert_back_at_base()


def test_index_of_a_concrete_float_tracer_is_a_type_error_like_python():
    with pytest.raises(TypeError):
        range(2.0)
    with pytest.raises(TypeError):
        ad.grad(lambda x: x * len(range(x)))(2.0)
    assert_back_at_base()


# --- leaked tracers -------------------------------------------------------------------------

# transform -> (run it on f, the trace the message names: linearize traces its function
# with jvp, and so do grad and vjp)
LEAKS = {
    "make_jaxpr": (lambda f: ad.make_jaxpr(f)(1.0), "make_jaxpr"),
    "grad": (lambda f: ad.grad(f)(1.0), "jvp"),
    "jvp": (lambda f: ad.jvp(f, (1.0,), (1.0,)), "jvp"),
    "vjp": (lambda f: ad.vjp(f, 1.0), "jvp"),
    "linearize": (lambda f: ad.linearize(f, 1.0), "jvp"),
}
USES = {
    "operator": lambda t: t + 1.0,
    "mnp": lambda t: mnp.sin(t),
    "in-make_jaxpr": lambda t: ad.make_jaxpr(lambda y: y * t)(1.0),
    "in-grad": lambda t: ad.grad(lambda y: y * t)(1.0),
    "float()": float,
    "bool()": bool,
    "int()": int,
}


@pytest.mark.parametrize("use", USES, ids=str)
@pytest.mark.parametrize("transform", LEAKS, ids=str)
def test_leaked_tracer_raises_unexpected_tracer_error(transform, use):
    stored = []  # a global-like side channel

    def leaky(x):
        y = x * 2.0
        stored.append(y)
        return y

    run, trace_name = LEAKS[transform]
    run(leaky)
    assert_back_at_base()
    with pytest.raises(errors.UnexpectedTracerError) as info:
        USES[use](stored[0])
    assert "f64[]" in str(info.value) and f"{trace_name} transformation" in str(info.value)
    assert_back_at_base()


GLOBAL_STORE = []


def _store_in_global(x):
    GLOBAL_STORE.append(x)
    return mnp.sin(x)


def test_tracer_stored_in_a_module_global():
    GLOBAL_STORE.clear()
    ad.make_jaxpr(_store_in_global)(np.ones(2))
    with pytest.raises(errors.UnexpectedTracerError, match=r"f64\[2\]"):
        mnp.cos(GLOBAL_STORE[0])
    assert_back_at_base()


# --- the current trace is restored after any exception inside a transform ------------------


class Boom(Exception):
    pass


def _raise_boom(x):
    raise Boom("user error")


FAILURES = {
    "user-exception": (_raise_boom, Boom),
    "np-on-tracer": (lambda x: np.exp(x * 2.0), TypeError),
    "shape-error": (lambda x: mnp.reshape(x * 1.0, (7,)), ValueError),
    "bad-index": (lambda x: (x * 1.0)[5], IndexError),
    "non-array-output": (lambda x: "text", TypeError),
}
TRANSFORMS = {
    "make_jaxpr": lambda f, x: ad.make_jaxpr(f)(x),
    "grad": lambda f, x: ad.grad(lambda x: mnp.sum(f(x)))(x),
    "value_and_grad": lambda f, x: ad.value_and_grad(lambda x: mnp.sum(f(x)))(x),
    "jvp": lambda f, x: ad.jvp(f, (x,), (np.ones_like(x),)),
    "vjp": lambda f, x: ad.vjp(f, x),
    "linearize": lambda f, x: ad.linearize(f, x),
    "grad-of-make_jaxpr": lambda f, x: ad.grad(lambda y: ad.make_jaxpr(f)(y) and 0.0)(x),
    "make_jaxpr-of-grad": lambda f, x: ad.make_jaxpr(ad.grad(lambda x: mnp.sum(f(x))))(x),
    "jvp-of-grad": lambda f, x: ad.jvp(ad.grad(lambda x: mnp.sum(f(x))), (x,), (np.ones_like(x),)),
}


@pytest.mark.parametrize("failure", FAILURES, ids=str)
@pytest.mark.parametrize("transform", TRANSFORMS, ids=str)
def test_trace_is_base_after_an_exception_inside_a_transform(transform, failure):
    fn, exc = FAILURES[failure]
    with pytest.raises(exc):
        TRANSFORMS[transform](fn, np.array([1.0, 2.0, 3.0]))
    assert_back_at_base()
    # and the library still works afterwards
    np.testing.assert_allclose(ad.grad(lambda x: mnp.sum(mnp.sin(x)))(np.zeros(2)), np.ones(2))


@pytest.mark.parametrize(
    "desc,fn,args,exc,fragments", MISUSES[:4], ids=[row[0] for row in MISUSES[:4]]
)
def test_trace_is_base_after_a_concretization_error_in_a_nested_transform(
    desc, fn, args, exc, fragments
):
    with pytest.raises(exc):
        ad.grad(lambda x: ad.make_jaxpr(fn)(*args) and 0.0)(1.0)
    assert_back_at_base()
