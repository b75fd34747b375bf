"""Misuse of the autodiff transforms raises JAX's exception types with messages that
carry the facts (shape, dtype, argnums, tree), and leaves no trace installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core import tracing

ONES3 = np.ones(3)


def _vjp_fn(x=ONES3):
    return ad.vjp(mnp.sin, x)[1]


ERROR_CASES = [
    # (id, call, exception type, words the message must contain)
    (
        "grad_vector_output",
        lambda: ad.grad(lambda x: x * ONES3)(1.0),
        TypeError,
        ["scalar-output", "shape: (3,)"],
    ),
    (
        "grad_list_output",
        lambda: ad.grad(lambda x: [x, x])(1.0),
        TypeError,
        ["scalar-output", "Output was [1.0, 1.0]"],
    ),
    ("grad_none_output", lambda: ad.grad(lambda x: None)(1.0), TypeError, ["Output was None"]),
    ("grad_int_input", lambda: ad.grad(lambda x: x)(1), TypeError, ["int64", "allow_int"]),
    (
        "grad_int32_input",
        lambda: ad.grad(lambda x: x)(np.int32(1)),
        TypeError,
        ["int32", "allow_int"],
    ),
    ("grad_bool_input", lambda: ad.grad(lambda x: x)(True), TypeError, ["bool", "allow_int"]),
    (
        "grad_int_output",
        lambda: ad.grad(lambda x: (x > 0).astype(int), allow_int=True)(1.0),
        TypeError,
        ["real-valued outputs", "int64"],
    ),
    (
        "grad_complex_output",
        lambda: ad.grad(lambda x: x * 1j)(1.0),
        TypeError,
        ["complex128", "holomorphic=True"],
    ),
    (
        "holomorphic_real_input",
        lambda: ad.grad(lambda x: x, holomorphic=True)(1.0),
        TypeError,
        ["holomorphic=True", "float64"],
    ),
    (
        "jacfwd_int_input",
        lambda: ad.jacfwd(lambda x: x)(np.int32(1)),
        TypeError,
        ["jacfwd", "int32"],
    ),
    (
        "jacrev_int_input",
        lambda: ad.jacrev(lambda x: x)(np.int32(1)),
        TypeError,
        ["jacrev", "int32", "allow_int"],
    ),
    (
        "string_argument",
        lambda: ad.grad(lambda x: x)("a"),
        TypeError,
        ["Argument 'a'", "<class 'str'>"],
    ),
    (
        "argnums_out_of_range",
        lambda: ad.grad(lambda x: x, argnums=1)(1.0),
        TypeError,
        ["argnums=1", "2 positional arguments", "only 1"],
    ),
    (
        "argnums_negative_out_of_range",
        lambda: ad.grad(lambda x: x, argnums=-2)(1.0),
        TypeError,
        ["argnums=-2", "only 1"],
    ),
    (
        "jvp_primals_not_tuple",
        lambda: ad.jvp(mnp.sin, 1.0, 1.0),
        TypeError,
        ["tuples or lists", "float and float"],
    ),
    (
        "jvp_tangents_not_tuple",
        lambda: ad.jvp(mnp.sin, (1.0,), 1.0),
        TypeError,
        ["tuples or lists", "tuple and float"],
    ),
    (
        "jvp_tangent_dtype",
        lambda: ad.jvp(mnp.sin, (np.float32(1.0),), (np.float16(1.0),)),
        TypeError,
        ["float32", "float16", "float0"],
    ),
    (
        "jvp_int_primal_float_tangent",
        lambda: ad.jvp(lambda n: n, (np.int32(1),), (np.float32(1.0),)),
        TypeError,
        ["int32", "float0"],
    ),
    (
        "jvp_tangent_shape",
        lambda: ad.jvp(mnp.sin, (ONES3,), (np.ones(2),)),
        ValueError,
        ["shape", "(3,)", "(2,)"],
    ),
    (
        "jvp_tangent_tree",
        lambda: ad.jvp(lambda a, b: a, (1.0, 2.0), (1.0,)),
        TypeError,
        ["tree structure", "PyTreeDef((*, *))", "PyTreeDef((*,))"],
    ),
    ("vjp_cotangent_shape", lambda: _vjp_fn()(np.ones(2)), ValueError, ["VJP", "f64[2]", "f64[3]"]),
    (
        "vjp_cotangent_int_dtype",
        lambda: _vjp_fn()(np.ones(3, np.int32)),
        ValueError,
        ["VJP", "i32[3]", "f64[3]"],
    ),
    (
        "vjp_cotangent_float64_for_float32",
        lambda: _vjp_fn(np.ones(3, np.float32))(ONES3),
        ValueError,
        ["f64[3]", "f32[3]"],
    ),
    (
        "vjp_cotangent_tree",
        lambda: _vjp_fn()((ONES3,)),
        ValueError,
        ["tree structure", "PyTreeDef((*,))"],
    ),
    (
        "has_aux_not_a_pair",
        lambda: ad.grad(lambda x: x, has_aux=True)(1.0),
        TypeError,
        ["two-element tuple", "Tracer"],
    ),
    (
        "has_aux_triple",
        lambda: ad.value_and_grad(lambda x: (x, 1, 2), has_aux=True)(1.0),
        TypeError,
        ["two-element tuple", "tuple"],
    ),
    (
        "jvp_has_aux_not_a_pair",
        lambda: ad.jvp(lambda x: x, (1.0,), (1.0,), has_aux=True),
        TypeError,
        ["two-element tuple"],
    ),
    (
        "vjp_has_aux_not_a_pair",
        lambda: ad.vjp(lambda x: [x], 1.0, has_aux=True),
        TypeError,
        ["two-element tuple"],
    ),
    ("not_callable", lambda: ad.grad(3.0), TypeError, ["callable"]),
]


@pytest.mark.parametrize(
    "call, exc_type, words", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_error(call, exc_type, words):
    with pytest.raises(exc_type) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert tracing.current_trace() is tracing.eval_trace


def test_errors_inside_nested_transforms_restore_the_eval_trace():
    def inner_fails(x):
        return ad.grad(lambda y: y * ONES3)(x)  # non-scalar output, two levels down

    with pytest.raises(TypeError, match=r"shape: \(3,\)"):
        ad.grad(ad.grad(inner_fails))(1.0)
    assert tracing.current_trace() is tracing.eval_trace
    assert ad.grad(mnp.sin)(0.0) == 1.0  # and the library still works


def test_error_in_user_code_restores_the_eval_trace():
    def boom(x):
        raise RuntimeError("user bug")

    for transform in (ad.grad, ad.jacfwd, ad.jacrev, ad.hessian):
        with pytest.raises(RuntimeError, match="user bug"):
            transform(boom)(1.0)
        assert tracing.current_trace() is tracing.eval_trace
