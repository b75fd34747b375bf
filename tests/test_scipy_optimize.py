"""``mini_ad.scipy.optimize.minimize`` against ``jax.scipy.optimize.minimize`` (x64): the
same BFGS and line search, so every iterate and every field of the result agrees (floats
to ``TOL`` relative to their scale, counts exactly), including where JAX's own search
fails (status 3); under ``jit`` and ``vmap`` too; and JAX's errors."""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.scipy.optimize import OptimizeResults, minimize

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy
jax_minimize = pytest.importorskip("jax.scipy.optimize").minimize

TOL = 1e-10
_rng = np.random.default_rng(0)
_A = _rng.normal(size=(4, 4))
SPD = _A @ _A.T + np.eye(4)
VEC = _rng.normal(size=4)
FEATURES = _rng.normal(size=(30, 3))
LABELS = (_rng.uniform(size=30) < 0.5).astype(float)


def rosenbrock(xp):
    return lambda x: xp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def quadratic(xp):
    return lambda x: 0.5 * x @ SPD @ x - VEC @ x


def logistic_regression(xp):
    def loss(w, features, labels):
        z = features @ w
        return xp.mean(xp.logaddexp(0.0, z) - labels * z) + 0.01 * xp.sum(w**2)

    return loss


# (objective, x0, args, options): converged runs, out-of-iterations runs and runs where
# JAX's line search gives up (status 3) alike
PROBLEMS = {
    "rosenbrock 2-D": (rosenbrock, [0.5, 0.5], (), None),
    "rosenbrock 2-D, failing search": (rosenbrock, [-1.2, 1.0], (), None),
    "rosenbrock 2-D, longer searches": (rosenbrock, [-1.2, 1.0], (), {"line_search_maxiter": 20}),
    "quadratic, 2-norm, gtol": (quadratic, [1.0] * 4, (), {"norm": 2, "gtol": 1e-6}),
    "logistic regression": (logistic_regression, [0.0] * 3, (FEATURES, LABELS), None),
}  # fmt: skip


def assert_same_result(result, expected, tol=TOL):
    assert type(result) is OptimizeResults
    assert result._fields == expected._fields
    for name, value, want in zip(result._fields, result, expected, strict=True):
        value, want = np.asarray(value), np.asarray(want)
        assert value.dtype == want.dtype and value.shape == want.shape, name
        if value.dtype.kind == "f":
            assert np.max(np.abs(value - want), initial=0) <= tol * (1 + np.abs(want).max()), name
        else:
            np.testing.assert_array_equal(value, want, err_msg=name)


def _run(problem, **extra):
    objective, x0, args, options = PROBLEMS[problem]
    options = dict(options or {}, **extra)
    mini = minimize(objective(mnp), np.array(x0), args=args, method="BFGS", options=options)
    expected = jax_minimize(objective(jnp), jnp.array(x0), args=tuple(map(jnp.asarray, args)),
                            method="BFGS", options=options)  # fmt: skip
    return mini, expected


@pytest.mark.parametrize("problem", PROBLEMS)
def test_result_as_jax(problem):
    assert_same_result(*_run(problem))


@pytest.mark.parametrize("maxiter", [2, 6])
def test_iterates_as_jax(maxiter):
    # stopped after ``maxiter`` steps (status 1): the iterate, gradient and Hessian estimate
    assert_same_result(*_run("rosenbrock 2-D", maxiter=maxiter))


def test_float32():
    x0 = np.array([0.5, 0.5, 0.5], np.float32)
    result = minimize(rosenbrock(mnp), x0, method="BFGS")
    expected = jax_minimize(rosenbrock(jnp), jnp.asarray(x0), method="BFGS")
    assert result.x.dtype == result.hess_inv.dtype == np.float32
    assert int(result.nit) == int(expected.nit) and int(result.status) == int(expected.status)
    np.testing.assert_allclose(result.x, expected.x, rtol=1e-4)


def test_jit_equals_eager_and_vmap_equals_a_loop():
    fun, _, args, _ = PROBLEMS["logistic regression"]
    solve = lambda x0: minimize(fun(mnp), x0, args=args, method="BFGS")  # noqa: E731
    starts = np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 0.5]])
    eager = solve(starts[0])
    for a, b in zip(ad.jit(solve)(starts[0]), eager, strict=True):
        np.testing.assert_array_equal(a, b)
    # batched matrix products round differently: the loop's results to TOL
    batched = ad.vmap(solve)(starts)
    for i, x0 in enumerate(starts):
        assert_same_result(OptimizeResults(*(field[i] for field in batched)), solve(x0))


def test_tol_is_ignored_as_in_jax():
    fun = rosenbrock(mnp)
    a = minimize(fun, np.array([0.5, 0.5]), method="BFGS", tol=1e-2)
    b = minimize(fun, np.array([0.5, 0.5]), method="bfgs")
    assert int(a.nit) == int(b.nit) == 14


@pytest.mark.parametrize(
    "kw, error",
    [
        ({"method": "CG"}, ValueError),
        ({"method": "BFGS", "args": [1.0]}, TypeError),
        ({"method": "BFGS", "options": {"maxfun": 3}}, TypeError),
    ],
    ids=["method", "args not a tuple", "unknown option"],
)
def test_errors_as_jax(kw, error):
    with pytest.raises(error):
        jax_minimize(lambda x, *a: jnp.sum(x**2), jnp.ones(2), **kw)
    with pytest.raises(error):
        minimize(lambda x, *a: mnp.sum(x**2), np.ones(2), **kw)


def test_x0_must_be_a_vector():
    with pytest.raises(ValueError, match="1-D"):
        minimize(lambda x: mnp.sum(x**2), np.ones((2, 2)), method="BFGS")


def test_forward_mode_through_the_loops_as_jax():
    # JAX's while_loop has a jvp: the tangent of the result along an argument of fun
    fun = lambda xp: lambda x, c: xp.sum((x - c) ** 2 * xp.arange(1.0, 4.0)) + 0.1 * xp.sum(x**4)  # noqa: E731
    x0 = np.array([0.3, -0.2, 0.1])
    _, tangent = ad.jvp(lambda c: minimize(fun(mnp), x0, args=(c,), method="BFGS").x, (1.5,),
                        (1.0,))  # fmt: skip
    _, expected = jax.jvp(lambda c: jax_minimize(fun(jnp), jnp.asarray(x0), args=(c,),
                                                 method="BFGS").x, (1.5,), (1.0,))  # fmt: skip
    np.testing.assert_allclose(tangent, expected, rtol=TOL, atol=TOL)
