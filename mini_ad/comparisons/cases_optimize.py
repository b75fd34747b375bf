"""``np.scipy.optimize.minimize`` (BFGS) and ``np.scipy.integrate.trapezoid``.

``minimize`` runs JAX's BFGS and line search step for step, so its results agree with
JAX's; it is compared on its values only (JAX does not differentiate it either), under
``jit`` and ``vmap`` too.
"""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, case

VALUE_ONLY = ("value",)


def _fields(result):
    return (result.x, result.fun, result.jac, result.hess_inv, result.nit, result.nfev,
            result.status, result.success)  # fmt: skip


def _rosenbrock(np):
    return lambda x: np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


@case("optimize", onp.array([0.5, 0.5]), transforms=VALUE_ONLY)
def minimize_rosenbrock(np, x0):
    return _fields(np.scipy.optimize.minimize(_rosenbrock(np), x0, method="BFGS"))


@case("optimize", onp.array([-1.2, 1.0, 0.5]), transforms=VALUE_ONLY,
      note="JAX's line search gives up here (status 3): so does mini_ad's")  # fmt: skip
def minimize_rosenbrock_failing_search(np, x0):
    return _fields(np.scipy.optimize.minimize(_rosenbrock(np), x0, method="BFGS"))


@case("optimize", A(4), A(4, 4), transforms=VALUE_ONLY)
def minimize_quadratic_options(np, x0, m):
    spd = m @ m.T + np.eye(4)
    options = {"norm": 2, "gtol": 1e-6, "maxiter": 50}
    fun = lambda x: 0.5 * x @ spd @ x - np.sum(x)  # noqa: E731
    return _fields(np.scipy.optimize.minimize(fun, x0, method="BFGS", options=options))


@case("optimize", A(3), A(20, 3, lo=-2, hi=2), A(20, lo=0, hi=1), transforms=VALUE_ONLY)
def minimize_logistic_regression_jit(np, w0, features, labels):
    def loss(w, features, labels):
        z = features @ w
        return np.mean(np.logaddexp(0.0, z) - labels * z) + 0.01 * np.sum(w**2)

    solve = np.ad.jit(lambda w0: np.scipy.optimize.minimize(loss, w0, (features, labels),
                                                            method="BFGS"))  # fmt: skip
    return _fields(solve(w0))


@case("optimize", A(3, 2), transforms=VALUE_ONLY)
def minimize_vmap_over_starts(np, starts):
    fun = lambda x: np.sum((x - 1.0) ** 2 * np.arange(1.0, 3.0)) + np.sum(x**4)  # noqa: E731
    solve = lambda x0: np.scipy.optimize.minimize(fun, x0, method="BFGS")  # noqa: E731
    return _fields(np.ad.vmap(solve)(starts))


@case("signal", A(3, 7), A(7))
def trapezoid_sample_points(np, y, x):
    xs = np.cumsum(x**2 + 0.1)
    return np.sum(np.scipy.integrate.trapezoid(y, xs) ** 2)


@case("signal", A(4, 5), A(4, 5))
def trapezoid_axis_and_dx(np, y, x):
    return np.sum(
        np.scipy.integrate.trapezoid(np.sin(y), x, axis=0)
    ) + np.scipy.integrate.trapezoid(y, dx=0.3, axis=1) @ np.arange(4.0)
