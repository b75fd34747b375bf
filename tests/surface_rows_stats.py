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
from numpy_surface_rows import I, K, P, R, jax
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

# --- continuous, location and scale -----------------------------------------------------------
Q = Between(0.05, 0.95, *S)  # probabilities
LOC_SCALE_METHODS = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]
for name, x in [("norm", R(*S)), ("cauchy", R(*S)), ("logistic", R(*S)), ("laplace", R(*S)),
                ("gumbel_l", R(*S)), ("gumbel_r", R(*S)), ("expon", P(*S))]:  # fmt: skip
    t = table(name)
    for method in LOC_SCALE_METHODS + ["ppf", "isf"]:
        if hasattr(t.mini, method):
            # norm.ppf and norm.isf return float64 for float32 arguments, as JAX's (x64)
            f32 = not (name == "norm" and method in ("ppf", "isf"))
            t.same(method, Q if method in ("ppf", "isf") else x, LOC, P(3), f32=f32)
    TABLES.append(t)

# JAX 0.10.2 cannot differentiate gumbel_l/gumbel_r.logpdf in scale, nor their ppf in p
# (its xlogy(-1, scale), xlogy(-1, p) and xlog1py(-1, -p) pass an integer -1 to a custom_jvp: "Called
# multiply with a float0 array"); mini_ad differentiates them (checked against finite
# differences), and against JAX where JAX can: logpdf and pdf in x and loc.
for t in TABLES[-3:-1]:
    for method in ["logpdf", "pdf", "ppf"]:
        for row in [r for r in t.rows if r.name == method]:
            row.jax_diff = False
        if method == "logpdf":  # ppf: JAX cannot differentiate in p either
            t.same(method, R(*S), LOC, K(1.5), variant="constant scale")

t = table("uniform")  # x inside [loc, loc + scale]
for method in ["logpdf", "pdf", "cdf"]:
    t.same(method, Between(0.05, 0.55, *S), Between(-0.4, 0.0, 3), Between(1.0, 2.0, 3))
t.same("ppf", Q, LOC, P(3))
TABLES.append(t)

# --- continuous, with shapes ----------------------------------------------------------------------
t = table("pareto")  # x above loc + scale
for method in LOC_SCALE_METHODS:
    t.same(method, Between(1.5, 3.0, *S), P(3), LOC, Between(0.5, 1.0, 3))
t.same("ppf", Q, P(3), LOC, P(3))
TABLES.append(t)

for name, x, shape in [("t", R(*S), P(3)), ("chi2", P(*S), Between(1.0, 4.0, 3)),
                       ("gamma", P(*S), P(3))]:  # fmt: skip
    t = table(name)
    for method in LOC_SCALE_METHODS:
        if hasattr(t.mini, method):
            # logcdf and logsf are log(cdf) and log(sf): their derivatives are compared
            # with JAX's through cdf and sf (JAX compiles igamma slowly), and with finite
            # differences here
            t.same(method, x, shape, LOC, P(3), jax_diff=method not in ("logcdf", "logsf"))
    TABLES.append(t)

t = table("beta")  # x inside [loc, loc + scale]
for method in LOC_SCALE_METHODS:
    # betainc has no derivative in a or b (a ValueError, as in JAX): constant shapes there
    density = method in ("logpdf", "pdf")
    shapes = [P(3), P(3)] if density else [K(np.array([0.7, 1.5, 2.5])), K(1.3)]
    t.same(method, Between(0.05, 0.55, *S), *shapes, Between(-0.4, 0.0, 3),
           Between(1.0, 2.0, 3), jax_diff=method.startswith("log"))  # fmt: skip
TABLES.append(t)

# JAX takes 5 to 15 seconds to compile each truncnorm, beta or betabinom row (log_ndtr and
# betaln unrolled), so derivatives are compared with JAX's for the log functions only,
# which the others exponentiate (pdf = exp logpdf); truncnorm's pdf, cdf, sf and logsf
# (exp logcdf and logcdf reflected: sf(x, a, b) = cdf(-x, -b, -a)) are compared with
# SciPy's values and finite differences only.
t = table("truncnorm")
CENTRAL = [Between(-0.5, 0.5, *S), Between(-2.0, -1.5, 3), Between(1.5, 2.0, 3), LOC,
           Between(1.0, 2.0, 3)]  # fmt: skip
RIGHT_TAIL = [Between(1.0, 1.5, *S), Between(0.1, 0.5, 3), Between(2.0, 3.0, 3), K(0.0), K(1.0)]
for method in ["logpdf", "logcdf", "logsf"]:
    t.same(method, *CENTRAL, jax=method != "logsf")
    if method != "logpdf":  # logpdf's tail branch: test_scipy_stats.py
        t.same(method, *RIGHT_TAIL, variant="right tail", jax=method == "logcdf")
for method in ["pdf", "cdf", "sf"]:
    t.same(method, *CENTRAL, jax=False)
TABLES.append(t)

t = table("wrapcauchy")
for method in ["logpdf", "pdf"]:
    t.same(method, Between(0.1, 6.0, *S), Between(0.1, 0.9, 3))
TABLES.append(t)

t = table("vonmises")
for method in ["logpdf", "pdf"]:
    t.same(method, Between(-3.0, 3.0, *S), P(3))
    if method == "logpdf":
        t.same(method, R(3), K(np.array([1e-3, 30.0, 800.0])), variant="small and large kappa")
TABLES.append(t)

t = table("gennorm")
for method in ["logpdf", "pdf", "cdf"]:
    if hasattr(t.mini, method):
        t.same(method, R(*S), Between(1.0, 3.0, 3))
TABLES.append(t)

# --- discrete -------------------------------------------------------------------------------------
PROB = Between(0.1, 0.9, 3)
t = table("bernoulli")
for method in ["logpmf", "pmf"]:
    t.same(method, I(0, 2, *S), PROB)
t.same("cdf", Between(-0.5, 1.5, *S), PROB)
t.same("ppf", Q, PROB)
TABLES.append(t)

t = table("binom")
for method in ["logpmf", "pmf"]:
    t.same(method, I(0, 5, *S), I(5, 8, 3), PROB)
TABLES.append(t)

t = table("geom")
for method in ["logpmf", "pmf"]:
    t.same(method, I(1, 6, *S), PROB)
TABLES.append(t)

t = table("nbinom")
for method in ["logpmf", "pmf"]:
    t.same(method, I(0, 6, *S), P(3), PROB)
TABLES.append(t)

t = table("poisson")
for method in ["logpmf", "pmf", "cdf"]:
    if hasattr(t.mini, method):
        t.same(method, I(0, 6, *S), P(3))
# JAX's entropy truncates the sum (mean below 100) and uses an asymptotic series above: it
# differs from SciPy's by up to 1e-6, so JAX alone is the reference. Below 100 its
# forward-mode derivative is nan (entr'(0) = inf times the zero tangent of the masked
# terms), in JAX as here; reverse mode is finite (test_scipy_stats.py checks grad).
t.same("entropy", K(np.array([0.0, 0.5, 3.0, 9.5, 10.5, 60.0, 99.0, 101.0, 400.0])),
       variant="every branch", reference=False)  # fmt: skip
t.same("entropy", Between(0.5, 150.0, 4), reference=False, fd=False)
TABLES.append(t)

t = table("betabinom")
for method in ["logpmf", "pmf"]:
    t.same(method, I(0, 4, *S), I(4, 7, 3), P(3), P(3), jax_diff=method == "logpmf")
TABLES.append(t)


def Simplex(k, n=None):  # noqa: N802 - points of the simplex (columns), the last row left off
    if n is None:
        return lambda rng: rng.dirichlet(np.ones(k))
    return lambda rng: rng.dirichlet(np.ones(k), size=n).T[:-1]


t = table("multinomial")
for method in ["logpmf", "pmf"]:
    # the result has p's dtype (the integer counts are cast to it), as in JAX
    ref = getattr(scipy_stats.multinomial, method)
    ref = functools.partial(lambda ref, x, n, p: np.asarray(ref(x, n, p), p.dtype), ref)
    mini, jax_fn = getattr(mstats.multinomial, method), getattr(jstats.multinomial, method)
    t.row(method, mini, jax_fn, ref, K(np.array([2, 0, 1])), K(3), Simplex(3))
    # a batch of counts: JAX 0.10.2 compares the sum of all counts with n (-inf here)
    t.row(method, mini, None, ref, K(np.array([[2, 0, 1], [1, 1, 1]])), K(3), Simplex(3),
          variant="batched x")  # fmt: skip
TABLES.append(t)


t = table("dirichlet")
for method in ["logpdf", "pdf"]:
    t.same(method, Simplex(3, 4), P(3))
TABLES.append(t)


def SPD(n):  # noqa: N802
    def draw(rng):
        a = rng.normal(size=(n, n))
        return a @ a.T + n * np.eye(n)

    return draw


t = table("multivariate_normal")
for method in ["logpdf", "pdf"]:
    t.same(method, R(4, 3), R(3), SPD(3))
    if method == "logpdf":
        t.same(method, R(4, 3), R(3), P(), variant="scalar cov")
        t.same(method, R(4), R(), P(), variant="univariate")
TABLES.append(t)


# --- mode, rankdata, sem ------------------------------------------------------------------------
def _float64_ranks(a, method, axis=None):
    return np.asarray(scipy_stats.rankdata(a, method, axis=axis), np.float64)


t = Table("mini_ad.scipy.stats", mstats, jstats, scipy_stats)
Ties = lambda *shape: lambda rng: rng.integers(0, 4, size=shape).astype(np.float64)  # noqa: E731
for kw in [{"axis": 1, "keepdims": True}, {"axis": None}]:
    t.same("mode", Ties(5, 4), diff=False, **kw)
for method in ["average", "min", "max", "dense", "ordinal"]:
    for axis in [None, 1] if method == "average" else [None]:
        t.row("rankdata", functools.partial(mstats.rankdata, method=method, axis=axis),
              functools.partial(jstats.rankdata, method=method, axis=axis),
              functools.partial(_float64_ranks, method=method, axis=axis), Ties(3, 5),
              variant=f"{method},axis={axis}", diff=False)  # fmt: skip
t.same("sem", R(4, 3))
t.same("sem", R(4, 3), axis=None, ddof=0)
t.same("sem", R(4, 3), axis=1, keepdims=True)
t.elsewhere("a class: tests/test_scipy_stats.py::test_gaussian_kde_* check every method against "
            "JAX and SciPy", "gaussian_kde")  # fmt: skip
TABLES.append(t)


# pdf and pmf are exp(logpdf) and exp(logpmf): their derivatives are compared with JAX's
# through the log rows, which saves JAX a compilation per row (a third of the time);
# their values are still compared with JAX's and SciPy's, their derivatives with finite
# differences
for t in TABLES:
    for row in t.rows:
        if row.name in ("pdf", "pmf"):
            row.jax_diff = False
