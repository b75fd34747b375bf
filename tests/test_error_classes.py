"""Errors raise JAX's classes with messages that name the problem (issue 13, item 3).

Shape mismatches raise ``mini_ad.errors.ShapeError``, both a TypeError (JAX's class) and
a ValueError (NumPy's), eagerly and under every transform; a static position a function
cannot take is a ValueError; a traced shape is a TypeError that says shapes must be
concrete; and a loop whose weakly typed carry comes back with a stronger dtype is
promoted exactly where JAX promotes it.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.errors import ConcretizationTypeError, ShapeError

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

ONES23, ONES3, ONES4 = np.ones((2, 3)), np.ones(3), np.ones(4)


def _transforms(np_, api):
    """Shape errors under each transform: (name, thunk). ``api`` is ``ad`` or ``jax``."""
    return [
        ("matmul", lambda: np_.matmul(ONES23, ONES23)),
        ("matmul-vector", lambda: np_.matmul(ONES23, ONES4)),
        ("matmul-batched", lambda: np_.matmul(np.ones((5, 2, 3)), np.ones((5, 2, 3)))),
        ("matmul-jit", lambda: api.jit(np_.matmul)(ONES23, ONES23)),
        ("dot-grad", lambda: api.grad(lambda x: np_.sum(np_.dot(x, ONES4)))(ONES3)),
        ("reshape-jit", lambda: api.jit(lambda x: np_.reshape(x, (4,)))(ONES3)),
        ("reshape-grad", lambda: api.grad(lambda x: np_.sum(np_.reshape(x, (2, 2))))(ONES3)),
        ("broadcast", lambda: np_.add(ONES3, ONES4)),
        ("broadcast-grad", lambda: api.grad(lambda x: np_.sum(x + ONES4))(ONES3)),
        ("broadcast-vmap", lambda: api.vmap(lambda x: x * ONES4)(ONES23)),
        ("concatenate", lambda: np_.concatenate([ONES3, np.ones((2, 2))])),
        ("concatenate-axis", lambda: np_.concatenate([np.ones((3, 3)), np.ones((2, 2))])),
        (
            "concatenate-vmap",
            lambda: api.vmap(lambda x: np_.concatenate([x, np.ones((2, 2))]))(ONES23),
        ),
        ("concatenate-jit", lambda: api.jit(lambda x: np_.concatenate([x, ONES23]))(ONES3)),
        ("stack", lambda: np_.stack([ONES3, ONES4])),
    ]


CASES = [name for name, _ in _transforms(mnp, ad)]


@pytest.mark.parametrize("name", CASES)
def test_shape_errors_are_type_errors_like_jax(name):
    ours = dict(_transforms(mnp, ad))[name]
    theirs = dict(_transforms(jnp, jax))[name]
    with pytest.raises(Exception) as jax_error:
        theirs()
    with pytest.raises(ShapeError) as our_error:
        ours()
    assert isinstance(jax_error.value, (TypeError, ValueError))  # JAX's class, caught by ours
    assert isinstance(our_error.value, TypeError) and isinstance(our_error.value, ValueError)
    message = str(our_error.value)
    assert "(" in message, f"the message should name the shapes: {message}"


def test_numpy_style_handlers_still_catch_shape_errors():
    try:
        mnp.add(ONES3, ONES4)
    except ValueError as e:  # NumPy raises ValueError here
        assert "(3,)" in str(e) and "(4,)" in str(e)


def test_shape_error_messages_name_the_problem():
    with pytest.raises(ShapeError, match=r"matmul: the contracted dimensions .* 3 .* 2"):
        mnp.matmul(ONES23, ONES23)
    with pytest.raises(ShapeError, match=r"cannot reshape array of size 3 into shape \(4,\)"):
        ad.jit(lambda x: mnp.reshape(x, (4,)))(ONES3)
    with pytest.raises(ShapeError, match=r"broadcasting: \(3,\), \(4,\)"):
        ad.grad(lambda x: mnp.sum(x + ONES4))(ONES3)
    with pytest.raises(ShapeError, match=r"same number of dimensions, got shapes \(3,\), \(2, 2\)"):
        ad.vmap(lambda x: mnp.concatenate([x, np.ones((2, 2))]))(ONES23)


# --- jit's static_argnums ----------------------------------------------------------------------


def test_static_argnums_beyond_the_signature_is_a_value_error_at_call_time():
    f = ad.jit(lambda x: x, static_argnums=(3,))  # accepted here, as in JAX
    with pytest.raises(ValueError, match=r"static_argnums=\(3,\), but only accepts 1 positional"):
        f(1.0)
    with pytest.raises(ValueError):
        jax.jit(lambda x: x, static_argnums=(3,))(1.0)


def test_static_argnums_within_the_signature_still_work():
    assert ad.jit(lambda x, n: x * n, static_argnums=1)(2.0, 3) == 6.0
    assert ad.jit(lambda x, n=2: x * n, static_argnums=1)(2.0) == 4.0
    assert ad.jit(lambda *a: a[0], static_argnums=(3,))(1.0, 2, 3, 4) == 1.0


# --- traced shapes -----------------------------------------------------------------------------

TRACED_SHAPES = {
    "ones": lambda np_: lambda n: np_.ones(n),
    "zeros": lambda np_: lambda n: np_.zeros((n, 2)),
    "full": lambda np_: lambda n: np_.full(n, 1.0),
    "arange": lambda np_: lambda n: np_.arange(n),
    "reshape": lambda np_: lambda n: np_.reshape(np_.ones(3), (n,)),
}


@pytest.mark.parametrize("name", sorted(TRACED_SHAPES))
def test_traced_shape_under_jit_is_a_type_error_naming_concreteness(name):
    with pytest.raises(TypeError):
        jax.jit(TRACED_SHAPES[name](jnp))(3)
    with pytest.raises(ConcretizationTypeError) as error:
        ad.jit(TRACED_SHAPES[name](mnp))(3)
    message = str(error.value)
    assert "iteration over" not in message
    assert "concrete" in message and "static_argnums" in message


def test_concrete_shapes_under_grad_and_jvp_still_work():
    assert ad.grad(lambda x, n: mnp.sum(mnp.ones(n) * x))(2.0, 3) == 3.0
    out = ad.jvp(lambda x: mnp.ones(x.shape[0]) * x, (np.ones(2),), (np.ones(2),))
    np.testing.assert_array_equal(out[1], [1.0, 1.0])
    assert mnp.reshape(np.arange(6), np.array([2, 3])).shape == (2, 3)


# --- the weak-type rule of loop carries --------------------------------------------------------

LOOPS = {
    "while weak f64 -> f32": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c + np.float32(1.0), 0.0
    ),
    "while weak int -> i32": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c + np.int32(1), 0
    ),
    "while weak int -> float": lambda lax: lax.while_loop(lambda c: c < 3, lambda c: c + 1.5, 0),
    "while weak int -> f32": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c + np.float32(1.5), 0
    ),
    "while strong f64 -> weak": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c * 0 + 5.0, np.float64(0.0)
    ),
    "while weak float -> int": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: (c + 1).astype(np.int64), 0.0
    ),
    "while strong f32 -> f64": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c.astype(np.float64) + 1, np.float32(0.0)
    ),
    "while weak, shape changes": lambda lax: lax.while_loop(
        lambda c: c < 3, lambda c: c + np.ones(2, np.float32), 0.0
    ),
    "scan weak f64 -> f32": lambda lax: lax.scan(
        lambda c, x: (c + np.float32(1.0), None), 0.0, None, length=3
    )[0],
    "scan weak float -> int": lambda lax: lax.scan(
        lambda c, x: ((c + 1).astype(np.int64), None), 0.0, None, length=3
    )[0],
    "fori weak f64 -> f32": lambda lax: lax.fori_loop(0, 3, lambda i, c: c + np.float32(1), 0.0),
}


@pytest.mark.parametrize("name", sorted(LOOPS))
def test_weakly_typed_loop_carry_follows_jax(name):
    try:
        theirs = LOOPS[name](jax.lax)
    except TypeError:
        theirs = None
    if theirs is None:
        with pytest.raises(TypeError, match="input"):
            LOOPS[name](ad.lax)
        return
    ours = LOOPS[name](ad.lax)
    assert np.asarray(ours).dtype == np.asarray(theirs).dtype
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))
    jitted = ad.jit(lambda: LOOPS[name](ad.lax))()
    assert np.asarray(jitted).dtype == np.asarray(theirs).dtype
