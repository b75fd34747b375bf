"""Return structures of the autodiff transforms, as JAX returns them (JAX_FACTS.md),
plus the staged backward program, Hessians and Jacobians of pytree functions.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core.avals import float0
from mini_ad.core.typecheck import typecheck_jaxpr  # noqa: E402

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

from autodiff_checks import assert_like_jax  # noqa: E402

Point = namedtuple("Point", ["x", "y"])


def test_vjp_fn_returns_a_tuple_with_one_entry_per_primal():
    _, vjp_fn = ad.vjp(mnp.sin, 0.5)
    ct = vjp_fn(1.0)
    assert type(ct) is tuple and len(ct) == 1
    np.testing.assert_allclose(ct[0], math.cos(0.5), rtol=1e-15)
    _, vjp_fn = ad.vjp(lambda a, b: a * b, 2.0, 3.0)
    assert vjp_fn(1.0) == (3.0, 2.0)


def test_has_aux_structures():
    f = lambda x: (x**2, {"note": "kept", "double": 2 * x})
    (value, aux), g = ad.value_and_grad(f, has_aux=True)(3.0)
    assert value == 9.0 and g == 6.0 and aux["note"] == "kept" and aux["double"] == 6.0
    g, aux = ad.grad(f, has_aux=True)(3.0)
    assert g == 6.0 and aux["note"] == "kept"
    out, t_out, aux = ad.jvp(f, (3.0,), (1.0,), has_aux=True)
    assert (out, t_out, aux["double"]) == (9.0, 6.0, 6.0)
    out, vjp_fn, aux = ad.vjp(f, 3.0, has_aux=True)
    assert out == 9.0 and vjp_fn(1.0) == (6.0,) and aux["note"] == "kept"
    out, f_jvp, aux = ad.linearize(f, 3.0, has_aux=True)
    assert out == 9.0 and f_jvp(1.0) == 6.0 and aux["double"] == 6.0


@pytest.mark.parametrize(
    "argnums, expected",
    [(0, 2.0), (1, 1.0), (-1, 1.0), ((0, 1), (2.0, 1.0)), ([1, 0], (1.0, 2.0)), ((0,), (2.0,))],
)
def test_argnums_forms(argnums, expected):
    f = lambda x, y: x**2 + y
    g = ad.grad(f, argnums)(1.0, 5.0)
    j = jax.grad(f, argnums)(1.0, 5.0)
    if isinstance(argnums, (tuple, list)):
        assert type(g) is type(j) is tuple  # a tuple even when argnums is a list
    else:
        assert type(g) is np.ndarray
    assert g == expected
    assert_like_jax(g, j, f"grad argnums={argnums}")


def test_allow_int_gives_float0_zeros():
    g_x, g_n = ad.grad(lambda x, n: x * n, (0, 1), allow_int=True)(2.0, np.int64(3))
    assert g_x == 3.0
    assert g_n.dtype == float0 and g_n.shape == ()
    j_x, j_n = jax.grad(lambda x, n: x * n, (0, 1), allow_int=True)(2.0, np.int64(3))
    assert np.asarray(j_n).dtype == g_n.dtype


def test_pytree_gradients_keep_their_structure():
    assert ad.grad(lambda p: p.x * p.y)(Point(2.0, 3.0)) == Point(3.0, 2.0)
    g = ad.grad(lambda d: d["z"] * d["a"] ** 2)({"z": 2.0, "a": 3.0})
    assert list(g) == ["a", "z"] and g == {"a": 12.0, "z": 9.0}
    g = ad.grad(lambda t: t[0] ** 2)((3.0, None))
    assert g == (6.0, None)


def test_identity_jvp_passes_python_floats_through():
    out, t = ad.jvp(lambda x: x, (1.0,), (1.0,))
    assert type(out) is float and type(t) is float and (out, t) == (1.0, 1.0)


def test_constant_function_has_zero_gradient():
    assert ad.grad(lambda x: 1.0)(3.0) == 0.0


def test_linearize_returns_a_bare_value_for_one_output():
    out, f_jvp = ad.linearize(lambda x: mnp.sin(x) * 2, 1.0)
    t = f_jvp(1.0)
    assert type(t) is np.ndarray and t.shape == ()
    np.testing.assert_allclose(t, 2 * math.cos(1.0), rtol=1e-15)
    _, f_jvp = ad.linearize(lambda x: (x, 2 * x), 1.0)
    assert f_jvp(1.0) == (1.0, 2.0)


def test_linear_transpose_returns_a_tuple():
    transposed = ad.linear_transpose(lambda x: 3.0 * x, 1.0)(1.0)
    assert type(transposed) is tuple and transposed == (3.0,)
    transposed = ad.linear_transpose(lambda x, y: x + 2.0 * y, 1.0, 1.0)(1.0)
    assert transposed == (1.0, 2.0)


def test_make_jaxpr_of_second_derivative_of_sin():
    closed = ad.make_jaxpr(ad.grad(ad.grad(mnp.sin)))(1.0)
    text = str(closed)
    print(text)
    assert text.startswith("{ lambda ; a:f64[]. let") and "cos a" in text and "sin a" in text
    typecheck_jaxpr(closed.jaxpr)
    (value,) = closed(1.0)
    np.testing.assert_allclose(value, -math.sin(1.0), rtol=1e-15)
    np.testing.assert_allclose(closed(0.3)[0], -math.sin(0.3), rtol=1e-15)


def test_hessian_of_R5_to_R_matches_jax():
    def f(m, x):
        return m.sum(m.sin(x) * x[::-1]) + m.prod(x) * m.sum(x**2) + m.tanh(x @ x)

    x = np.array([0.3, -1.2, 0.7, 2.0, -0.4])
    h = ad.hessian(lambda x: f(mnp, x))(x)
    assert h.shape == (5, 5)
    np.testing.assert_allclose(h, h.T, rtol=1e-14)
    assert_like_jax(h, jax.jit(jax.hessian(lambda x: f(jnp, x)))(x), "hessian")


def test_hessian_of_R2_to_R2_has_shape_2_2_2():
    f = lambda x: x**3
    h = ad.hessian(f)(np.array([1.0, 2.0]))
    assert_like_jax(h, jax.jit(jax.hessian(f))(jnp.array([1.0, 2.0])), "hessian R2->R2")


def jacobian_cases():
    def vector(m, x):  # R^3 -> R^2
        return m.stack([m.sin(x[0]) * x[1], x[2] ** 2 - x[0]])

    def tree(m, p):  # {'a': (2,), 'b': (3,)} -> {'o': (2,), 'q': ()}
        return {"o": p["a"] * m.sum(p["b"] ** 2), "q": m.sum(m.exp(p["b"])) * p["a"][0]}

    def two_args(m, x, y):  # (2,), (2, 3) -> (3,)
        return m.tanh(x @ y)

    rng = np.random.default_rng(3)
    return [
        ("vector", vector, (rng.normal(size=3),), 0),
        ("pytree_in_and_out", tree, ({"a": rng.normal(size=2), "b": rng.normal(size=3)},), 0),
        ("argnums_tuple", two_args, (rng.normal(size=2), rng.normal(size=(2, 3))), (0, 1)),
    ]


@pytest.mark.parametrize(
    "fn, args, argnums", [c[1:] for c in jacobian_cases()], ids=[c[0] for c in jacobian_cases()]
)
def test_jacfwd_equals_jacrev_and_jax(fn, args, argnums):
    mini = lambda *a: fn(mnp, *a)
    j = lambda *a: fn(jnp, *a)
    forward = ad.jacfwd(mini, argnums)(*args)
    reverse = ad.jacrev(mini, argnums)(*args)
    expected = jax.jit(jax.jacrev(j, argnums))(*args)
    assert_like_jax(forward, expected, "jacfwd")  # output tree outside, input tree inside
    assert_like_jax(reverse, expected, "jacrev")
