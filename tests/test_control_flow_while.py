"""``lax.while_loop`` and ``lax.fori_loop`` with traced bounds.

Forward mode matches JAX. Reverse mode goes beyond JAX (which refuses it): the trip
count is found at linearize time from the concrete primal values and the linear part
becomes a scan, so gradients are checked against finite differences and against the
same loop written with a static trip count (a scan, which JAX can differentiate).
"""

import numpy as np
import pytest
from batching_checks import check_batched_like_loop
from control_flow_checks import assert_trees_allclose, check_derivatives

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy


def newton_sqrt(lx, np_):
    """Newton's iteration for sqrt(a): the trip count depends on the value of a."""

    def f(a):
        x = lx.while_loop(
            lambda x: np_.max(np_.abs(x * x - a) / a) > 1e-12, lambda x: 0.5 * (x + a / x), a
        )
        return x

    return f


def _doubling(lx, np_):
    def f(x, w):
        n, y = lx.while_loop(
            lambda c: c[0] < 5, lambda c: (c[0] + 1, np_.sin(c[1] * w) + c[1]), (0, x)
        )
        return y

    return f


def _fori_traced(lx, np_):
    # bounds are values of an argument: traced under jit, so fori_loop is a while loop
    def f(x, n):
        return lx.fori_loop(0, n, lambda i, c: c * np_.cos(c) + i, x)

    return f


JVP_PROGRAMS = [
    ("newton", newton_sqrt, (2.0,)),
    ("newton-vector", newton_sqrt, (np.array([0.5, 3.0, 10.0]),)),
    ("doubling", _doubling, (np.array([0.3, -0.4]), np.array([1.1, 0.7]))),
]


@pytest.mark.parametrize("name, factory, args", JVP_PROGRAMS, ids=[p[0] for p in JVP_PROGRAMS])
def test_jvp_matches_jax(name, factory, args):
    rng = np.random.default_rng(3)
    tangents = tuple(rng.normal(size=np.shape(a)) for a in args)
    ours = ad.jvp(factory(lax, mnp), args, tangents)
    theirs = jax.jit(lambda a, t: jax.jvp(factory(jax.lax, jnp), a, t))(args, tangents)
    assert_trees_allclose(ours, theirs, rtol=1e-9)


@pytest.mark.parametrize("name, factory, args", JVP_PROGRAMS, ids=[p[0] for p in JVP_PROGRAMS])
def test_reverse_mode_dot_product_and_finite_differences(name, factory, args):
    check_derivatives(factory(lax, mnp), args, order=1)


def test_grad_of_newton_sqrt_is_the_derivative_of_sqrt():
    grad = ad.grad(newton_sqrt(lax, mnp))
    for a in [0.25, 2.0, 9.0, 1e4]:
        np.testing.assert_allclose(grad(a), 0.5 / np.sqrt(a), rtol=1e-8)
    # and it differs from a loop of fixed length only by the (converged) iteration count
    check_derivatives(newton_sqrt(lax, mnp), (7.0,), order=1)


def test_grad_equals_jax_grad_of_the_unrolled_scan():
    """The while loop's gradient equals JAX's gradient of a scan with the same trip count."""
    x, w = np.array([0.3, -0.4]), np.array([1.1, 0.7])
    ours = ad.grad(lambda x, w: mnp.sum(_doubling(lax, mnp)(x, w)), (0, 1))(x, w)

    def scanned(x, w):
        body = lambda c, _: (jnp.sin(c * w) + c, None)
        return jnp.sum(jax.lax.scan(body, x, None, length=5)[0])

    assert_trees_allclose(ours, jax.grad(scanned, (0, 1))(x, w))


def test_fori_loop_with_traced_bounds():
    f = _fori_traced(lax, mnp)
    np.testing.assert_allclose(ad.jit(f)(0.5, 4), f(0.5, 4), rtol=1e-12)
    jaxpr = ad.make_jaxpr(f)(0.5, 4)
    assert [e.primitive.name for e in jaxpr.eqns] == ["while"]
    expected = jax.jit(_fori_traced(jax.lax, jnp))(0.5, 4)
    np.testing.assert_allclose(ad.jit(f)(0.5, 4), expected, rtol=1e-12)
    # reverse mode: grad of the jitted function runs the loop to count its trips
    g = ad.grad(ad.jit(f))(0.5, 4)
    expected = jax.grad(lambda x: jax.lax.fori_loop(0, 4, lambda i, c: c * jnp.cos(c) + i, x))(0.5)
    np.testing.assert_allclose(g, expected, rtol=1e-10)


def test_higher_order_reverse_mode():
    f = newton_sqrt(lax, mnp)
    np.testing.assert_allclose(ad.grad(ad.grad(f))(4.0), -0.25 * 4.0**-1.5, rtol=1e-6)
    check_derivatives(f, (3.0,), order=2)


def _nested_loops(lx, np_):
    def f(x):
        inner = lambda c, y: lx.while_loop(lambda v: v < 10.0, lambda v: v * (1.5 + y), c)
        scanned = lx.scan(lambda c, y: (inner(c, y), np_.sin(c)), x, np_.array([0.1, 0.2, 0.3]))
        outer = lx.while_loop(
            lambda v: v[1] < 3, lambda v: (inner(v[0], 0.05) * 0.5, v[1] + 1), (x, 0)
        )
        return np_.sum(scanned[1]) + scanned[0] + outer[0]

    return f


def test_reverse_mode_through_nested_loops():
    """A while loop inside a scan or another while loop: the outer loop is unrolled."""
    f = _nested_loops(lax, mnp)
    check_derivatives(f, (1.3,), order=1)
    assert_trees_allclose(
        ad.jvp(f, (1.3,), (1.0,)), jax.jvp(_nested_loops(jax.lax, jnp), (1.3,), (1.0,))
    )


def test_grad_with_a_zero_trip_loop():
    f = lambda x: lax.while_loop(lambda c: c > 10.0, lambda c: c * 2.0, x) * x
    np.testing.assert_allclose(ad.grad(f)(3.0), 6.0)


def test_reverse_mode_needs_a_concrete_trip_count():
    with pytest.raises(
        ValueError, match="Reverse-mode differentiation does not work for lax.while_loop"
    ):
        ad.make_jaxpr(ad.grad(newton_sqrt(lax, mnp)))(2.0)
    with pytest.raises(ValueError, match="trip count|known inputs are traced"):
        ad.jit(ad.grad(newton_sqrt(lax, mnp)))(2.0)


def test_printed_like_jax():
    program = lambda lx, np_: lambda x: lx.while_loop(lambda c: c < 3.0, lambda c: c + 1.0, x)
    ours = str(ad.make_jaxpr(program(lax, mnp))(1.0))
    assert ours == str(jax.make_jaxpr(program(jax.lax, jnp))(1.0))
    assert "body_nconsts=0" in ours and "cond_nconsts=0" in ours


def test_linearized_while_is_a_scan_of_the_trip_count():
    _, f_jvp = ad.linearize(newton_sqrt(lax, mnp), 2.0)
    jaxpr = ad.make_jaxpr(f_jvp)(1.0)
    (scan,) = [e for e in jaxpr.eqns if e.primitive.name == "scan"]
    trips = 0
    x = 2.0
    while abs(x * x - 2.0) / 2.0 > 1e-12:
        x, trips = 0.5 * (x + 2.0 / x), trips + 1
    assert scan.params["length"] == trips


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lax.while_loop(lambda c: c, lambda c: c + 1.0, 1.0), "boolean scalar"),
        (lambda: lax.while_loop(lambda c: c < 1.0, lambda c: (c, c), 1.0), "identical types"),
        (lambda: lax.while_loop(lambda c: c < 1.0, lambda c: mnp.ones(2), 1.0), "identical types"),
    ],
)
def test_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call()


# --- vmap -------------------------------------------------------------------------------------


def test_vmap_with_batched_predicate_matches_loop():
    """Each example stops after its own number of iterations."""
    examples = [(0.5,), (3.0,), (100.0,)]
    check_batched_like_loop(newton_sqrt(lax, mnp), examples, (0,), in_axes=(0,))


def test_vmap_with_unbatched_predicate_matches_loop():
    f = lambda x, w: lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * w), (0, x))[1]
    examples = [(np.array([1.0, 2.0]), 0.5), (np.array([3.0, 4.0]), 1.5)]
    check_batched_like_loop(f, examples, (0, 1), in_axes=(0, 0))


def test_per_example_grads_through_batched_while():
    """grad of a vmapped loop: the batched loop runs until every example is done."""
    xs = np.array([0.5, 3.0, 100.0])
    grads = ad.grad(lambda a: mnp.sum(ad.vmap(newton_sqrt(lax, mnp))(a)))(xs)
    np.testing.assert_allclose(grads, 0.5 / np.sqrt(xs), rtol=1e-8)


def test_vmap_of_reverse_mode_while_is_a_clear_error():
    # under vmap the known values are batched tracers: the trip count is not concrete
    with pytest.raises(ValueError, match="Reverse-mode differentiation does not work"):
        ad.vmap(ad.grad(newton_sqrt(lax, mnp)))(np.array([0.5, 3.0]))
