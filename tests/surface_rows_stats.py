"""Surface rows of ``mini_ad.scipy.stats``: one ``Table`` per distribution module, checked
by ``test_module_surface.py`` against SciPy (value and dtype) and JAX x64 (value, jvp, vjp).

SciPy computes in float64 whatever its inputs; its value is cast here to the dtype NumPy's
promotion gives the arguments (``float32`` inputs: ``float32``), the dtype mini_ad and
JAX return, so the float32 check compares mini_ad's float32 result with SciPy's value
rounded to float32. The points are drawn inside each distribution's support (where the
function is smooth, so finite differences apply); the edges are in
``test_scipy_stats.py``.
"""

from __future__ import annotations

import functools
import types

import numpy as np
from numpy_surface_rows import K, P, R, jax
from surface_table import Table

import mini_ad.scipy.stats as mstats

scipy_stats = __import__("pytest").importorskip("scipy.stats")
jstats = __import__("jax.scipy.stats").scipy.stats
assert jax.config.jax_enable_x64


def _cast_like_inputs(fn):
    @functools.wraps(fn)
    def reference(*args, **kw):
        out = np.asarray(fn(*args, **kw))
        arrays = [a for a in args if isinstance(a, np.ndarray)]
        return out.astype(np.result_type(*arrays, 0.0))

    return reference


def scipy_module(dist, **renamed):
    """``scipy.stats.<dist>``'s methods with the result cast as mini_ad's and JAX's
    (``renamed``: a method of another name or an explicit callable)."""
    ns = types.SimpleNamespace()
    for name in ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf", "logpmf",
                 "pmf", "entropy"]:  # fmt: skip
        fn = renamed.get(name, getattr(dist, name, None))
        if fn is not None:
            setattr(ns, name, _cast_like_inputs(fn))
    return ns


def table(name, **renamed):
    return Table(f"mini_ad.scipy.stats.{name}", getattr(mstats, name), getattr(jstats, name),
                 scipy_module(getattr(scipy_stats, name), **renamed))  # fmt: skip


def Between(lo, hi, *shape):  # noqa: N802 - short spec names read like a table
    return lambda rng: rng.uniform(lo, hi, size=shape)


S = (2, 3)
LOC = Between(-0.4, 0.4, 3)  # below the P draws (0.5 to 2): inside one-sided supports
TABLES = []

# --- location-scale families ------------------------------------------------------------------
for name, methods in [
    ("norm", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]),
    ("cauchy", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]),
    ("expon", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]),
]:
    t = table(name)
    x = P(*S) if name == "expon" else R(*S)
    for method in methods:
        t.same(method, x, LOC, P(3))
    for method in ["ppf", "isf"]:
        if hasattr(t.mini, method):
            t.same(method, Between(0.05, 0.95, *S), LOC, P(3))
    TABLES.append(t)
