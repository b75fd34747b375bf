"""Rows for every public name of ``mini_ad.scipy.optimize`` and ``mini_ad.scipy.integrate``,
checked by ``test_module_surface.py``. ``minimize`` is compared with JAX (SciPy's BFGS uses
another line search, so its iterates differ); ``tests/test_scipy_optimize.py`` checks its
iterates on more problems. Like JAX's, it is not differentiated (a while loop)."""

from __future__ import annotations

import jax.scipy.integrate
import jax.scipy.optimize
import scipy.integrate as sint
from numpy_surface_rows import K, R, jax, jnp
from surface_table import Table

import mini_ad.numpy as mnp
import mini_ad.scipy.integrate as mint
import mini_ad.scipy.optimize as mopt


def objective(xp):
    """A smooth, strongly convex test function of a 3-vector."""
    weights = xp.arange(1.0, 4.0)
    return lambda x, c: xp.sum(weights * (x - c) ** 2) + 0.1 * xp.sum(x**4)


def minimizer(xp, opt):
    return lambda x0: opt.minimize(objective(xp), x0, args=(1.5,), method="BFGS")


def checked_type(x0):
    result = minimizer(mnp, mopt)(x0)
    assert type(result) is mopt.OptimizeResults
    return result


optimize = Table("mini_ad.scipy.optimize", mopt, jax.scipy.optimize, None)
optimize.row("minimize", minimizer(mnp, mopt), minimizer(jnp, jax.scipy.optimize), None, R(3),
             diff=False)  # fmt: skip
optimize.row("OptimizeResults", checked_type, minimizer(jnp, jax.scipy.optimize), None, R(3),
             diff=False)  # fmt: skip

integrate = Table("mini_ad.scipy.integrate", mint, jax.scipy.integrate, sint)
integrate.same("trapezoid", R(3, 5))
integrate.same("trapezoid", R(3, 5), dx=0.5, axis=0)
integrate.same("trapezoid", R(4, 3), R(4), K(1.0), K(0), variant="x 1-D")
integrate.same("trapezoid", R(3, 5), R(3, 5), variant="x like y")

TABLES = [optimize, integrate]
