"""The table of ``mini_ad.numpy``'s functions, one row per public name, checked by
``test_numpy_surface.py``: value (and dtype) against NumPy, derivatives against JAX (x64)
and finite differences where differentiable, ``vmap`` against a loop.

``same(name, *specs, **kw)`` builds a row from ``mnp.<name>``, ``jnp.<name>`` and
``np.<name>`` with the keyword arguments ``kw`` bound; ``row(...)`` takes the three
callables explicitly (``None``: no such reference). A spec draws one argument from a
generator; ``K(value)`` is a constant argument (never differentiated or batched).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

import mini_ad.numpy as mnp

jax = __import__("pytest").importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy


class K:
    """A constant argument: passed as it is to all three functions."""

    def __init__(self, value):
        self.value = value

    def __call__(self, rng):
        return self.value


def R(*shape):  # noqa: N802 - short spec names read like a table
    return lambda rng: rng.normal(size=shape)


def P(*shape):  # noqa: N802
    return lambda rng: rng.uniform(0.5, 2.0, size=shape)


def U(*shape):  # noqa: N802
    return lambda rng: rng.uniform(-0.9, 0.9, size=shape)


def I(lo, hi, *shape):  # noqa: N802, E743
    return lambda rng: rng.integers(lo, hi, size=shape)


def B(*shape):  # noqa: N802
    return lambda rng: rng.integers(0, 2, size=shape).astype(bool)


def Sorted(*shape):  # noqa: N802
    return lambda rng: np.sort(rng.normal(size=shape))


def WithNan(*shape):  # noqa: N802
    def draw(rng):
        x = rng.normal(size=shape)
        x.flat[:: max(1, x.size // 3)] = np.nan
        return x

    return draw


def Ties(*shape):  # noqa: N802
    return lambda rng: rng.integers(0, 4, size=shape).astype(np.float64)


@dataclass
class Row:
    name: str
    mini: object
    jax: object
    numpy: object
    specs: list
    diff: bool = True  # derivatives checked against JAX and finite differences
    fd: bool = True  # finite differences apply (False: ties or float32 outputs)
    jax_diff: bool = True  # JAX's derivative is comparable (False: another arrangement)
    vmap: bool = True  # vmap over the first batched argument against a loop
    f32: bool = True  # float32 inputs give NumPy's output dtype
    canon: object = None  # applied to both outputs before comparing values
    variant: str = ""
    kw: dict = field(default_factory=dict)
    module: str = "mini_ad.numpy"  # the module whose public name ``name`` is
    order2: bool = True  # second order against finite differences (where fd applies)

    @property
    def id(self):
        return f"{self.name}-{self.variant}" if self.variant else self.name


ROWS: list[Row] = []


def row(name, mini, jax_fn, numpy_fn, *specs, variant="", **flags):
    ROWS.append(Row(name, mini, jax_fn, numpy_fn, list(specs), variant=variant, **flags))


def same(name, *specs, variant="", diff=True, vmap=True, f32=True, canon=None, np_name=None,
         jax=True, numpy=True, fd=True, jax_diff=True, **kw):  # fmt: skip
    def bound(module, attr):
        fn = getattr(module, attr, None)
        return None if fn is None else functools.partial(fn, **kw)

    ROWS.append(Row(
        name, bound(mnp, name), bound(jnp, name) if jax else None,
        bound(np, np_name or name) if numpy else None, list(specs), diff, fd, jax_diff, vmap,
        f32, canon, variant or ",".join(f"{k}={v}" for k, v in kw.items()),
    ))  # fmt: skip


S = (2, 3)

# --- elementwise (the rest are in test_numpy_values.py's tables) -----------------------------
for name in ["cbrt", "sinc", "fabs", "i0", "signbit", "spacing", "isposinf", "isneginf",
             "isreal", "iscomplex", "real", "imag", "conj", "conjugate", "angle", "degrees",
             "radians", "acos", "asin", "atan", "acosh", "asinh", "atanh", "positive",
             "nan_to_num", "round", "around", "isfinite", "bitwise_count"]:  # fmt: skip
    spec = {"acos": U(*S), "asin": U(*S), "atanh": U(*S), "acosh": lambda r: r.uniform(1.2, 3, S),
            "bitwise_count": I(-9, 9, *S), "nan_to_num": WithNan(*S)}.get(name, R(*S))  # fmt: skip
    smooth = name not in ("signbit", "spacing", "isposinf", "isneginf", "isreal", "iscomplex",
                          "bitwise_count", "round", "around", "angle", "imag",
                          "isfinite")  # fmt: skip
    same(name, spec, diff=smooth)
same("round", R(*S), decimals=2, diff=False)
same("real_if_close", R(*S), diff=False, f32=False)
for name in ["logaddexp2", "copysign", "heaviside", "fmax", "fmin", "atan2", "pow", "hypot",
             "float_power"]:  # fmt: skip
    same(name, P(*S) if name in ("pow", "float_power") else R(*S), R(3))
same("nextafter", R(*S), R(3), diff=False)
same("ldexp", R(*S), I(-3, 4, 3))
same("frexp", R(*S))
same("modf", R(*S))
same("divmod", P(*S), P(3), diff=False)
for name in ["gcd", "lcm", "left_shift", "right_shift", "bitwise_left_shift",
             "bitwise_right_shift"]:  # fmt: skip
    same(name, I(-20, 20, *S), I(0, 5, 3), diff=False)
same("bitwise_invert", I(-9, 9, *S), diff=False)
for name in ["isclose", "allclose", "array_equal", "array_equiv"]:
    same(name, Ties(*S), Ties(3), diff=False, vmap=name == "isclose")
same("isin", I(0, 5, *S), K(np.array([1, 3])), diff=False)
same("arccosh", lambda r: r.uniform(1.2, 3, S))
same("clip", R(*S), a_min=-0.5, a_max=0.5, jax=False)
same("clip", R(*S), variant="min,max", numpy=False, min=-0.5, max=0.5)
for name in ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
             "logical_and", "logical_or", "logical_xor"]:  # fmt: skip
    same(name, Ties(*S), Ties(3), diff=False)
for name in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
    same(name, I(-9, 9, *S), I(0, 9, 3), diff=False)
for name in ["bitwise_not", "invert", "logical_not"]:
    same(name, I(-9, 9, *S), diff=False)

# --- reductions and statistics ---------------------------------------------------------------
for name, kw in [("sum", {"axis": 0}), ("prod", {"axis": 1}), ("mean", {}), ("max", {"axis": 1}),
                 ("min", {}), ("amax", {}), ("amin", {"axis": 0}), ("std", {"ddof": 1}),
                 ("var", {"axis": 0}), ("ptp", {"axis": 1}), ("median", {"axis": 1}),
                 ("median", {}), ("average", {"axis": 0}), ("cumsum", {"axis": 1}),
                 ("cumprod", {"axis": 0}), ("cumulative_sum", {"axis": 1}),
                 ("cumulative_prod", {"axis": 1, "include_initial": True}),
                 ("count_nonzero", {"axis": 0}), ("all", {}), ("any", {"axis": 1}),
                 ("argmax", {"axis": 1}), ("argmin", {})]:  # fmt: skip
    integer = name in ("count_nonzero", "all", "any", "argmax", "argmin")
    same(name, Ties(3, 4) if integer else R(3, 4), diff=not integer, **kw)
same("cumsum", I(0, 5, 3, 4), diff=False, f32=False, dtype=np.float32)
same("average", R(3, 4), K(1), K(np.array([1.0, 2.0, 3.0, 4.0])), variant="weights")
for name in ["quantile", "nanquantile"]:
    for method in ["linear", "lower", "higher", "nearest", "midpoint"]:
        same(name, R(5, 4), K(np.array([0.1, 0.5, 0.9])), axis=0, method=method,
             diff=method in ("linear", "midpoint"))  # fmt: skip
same("percentile", R(4, 5), K(30.0), axis=1, keepdims=True)
same("nanpercentile", WithNan(4, 5), K(70.0), axis=1)
same("nanmedian", WithNan(3, 5), axis=1)
for name in ["nansum", "nanprod", "nanmax", "nanmin", "nanmean", "nanvar", "nanstd",
             "nancumsum", "nancumprod", "nanargmax", "nanargmin"]:  # fmt: skip
    same(name, WithNan(3, 4), axis=1, diff=name not in ("nanargmax", "nanargmin"))
same("cov", R(3, 5))
same("cov", R(5, 3), rowvar=False, ddof=0)
same("corrcoef", R(3, 5))
same("histogram", R(20), bins=5, diff=False, vmap=False)
same("histogram_bin_edges", R(20), bins=4, diff=False, vmap=False)
same("histogram2d", R(20), R(20), bins=3, diff=False, vmap=False)
same("histogramdd", R(20, 3), bins=(2, 3, 2), diff=False, vmap=False)
same("bincount", I(0, 6, 10), diff=False, vmap=False)
row("bincount", lambda x, w: mnp.bincount(x, w, length=7), lambda x, w: jnp.bincount(x, w, length=7),
    lambda x, w: np.bincount(x, w, minlength=7), I(0, 6, 10), R(10), variant="length", f32=False)  # fmt: skip

# --- searching, sorting, sets ----------------------------------------------------------------
same("searchsorted", Sorted(6), R(2, 3), diff=False, vmap=False)
same("searchsorted", Sorted(6), R(4), side="right", diff=False, vmap=False)
same("digitize", R(2, 3), K(np.array([-1.0, 0.0, 0.5])), diff=False)
same("sort", R(3, 4), axis=0)
same("argsort", R(3, 4), diff=False)
same("lexsort", K([np.array([1, 0, 2, 1]), np.array([1, 1, 0, 1])]), diff=False, vmap=False)
same("partition", R(3, 5), K(2), canon=lambda x: np.sort(x, axis=-1), jax_diff=False)
same("argpartition", R(3, 5), K(2), diff=False, canon=lambda i: np.sort(i, axis=-1), numpy=False)
same("sort_complex", R(5), diff=False, vmap=False)
same("nonzero", B(3, 4), diff=False, vmap=False)
same("flatnonzero", B(3, 4), diff=False, vmap=False)
same("argwhere", B(3, 4), diff=False, vmap=False)
same("nonzero", B(6), size=8, fill_value=-1, diff=False, numpy=False)
same("flatnonzero", B(2, 4), size=3, diff=False, numpy=False)
same("argwhere", B(2, 4), size=3, diff=False, numpy=False)
same("extract", B(6), R(6), diff=False, vmap=False)
same("compress", K(np.array([True, False, True])), R(3, 4), axis=0, vmap=False)
same("where", R(3, 4), R(3, 4), R(4), diff=False, vmap=False, variant="3-arg", numpy=False)
row("where", lambda x: mnp.where(x > 0), lambda x: jnp.where(x > 0), lambda x: np.where(x > 0),
    R(3, 4), diff=False, vmap=False, variant="1-arg")  # fmt: skip
same("select", K([np.array([True, False, False]), np.array([False, True, False])]),
     K([np.ones(3), np.zeros(3)]), K(5.0), diff=False, vmap=False)  # fmt: skip
same("unique", Ties(8), fd=False, vmap=False)
row("unique", lambda x: mnp.unique(x, return_index=True, return_inverse=True, return_counts=True),
    lambda x: jnp.unique(x, return_index=True, return_inverse=True, return_counts=True),
    lambda x: np.unique(x, return_index=True, return_inverse=True, return_counts=True),
    Ties(3, 3), variant="all", diff=False, vmap=False)  # fmt: skip
row("unique", lambda x: mnp.unique(x, size=6, fill_value=-1.0), lambda x: jnp.unique(x, size=6, fill_value=-1.0),
    None, Ties(8), variant="size", fd=False)  # fmt: skip
for name in ["unique_all", "unique_counts", "unique_inverse", "unique_values"]:
    same(name, Ties(7), diff=False, vmap=False)
for name in ["union1d", "intersect1d", "setdiff1d", "setxor1d"]:
    same(name, I(0, 6, 5), I(0, 6, 4), diff=False, vmap=False)
row("intersect1d", lambda a, b: mnp.intersect1d(a, b, size=4), lambda a, b: jnp.intersect1d(a, b, size=4),
    None, I(0, 6, 5), I(0, 6, 4), variant="size", diff=False)  # fmt: skip
same("trim_zeros", K(np.array([0.0, 0.0, 1.5, -2.0, 0.0])), diff=False, vmap=False)
same("choose", I(0, 3, 4), K([np.arange(4.0), -np.arange(4.0), np.ones(4)]), diff=False)
_CONDS = [np.arange(6) < 2, np.arange(6) > 3]
row("piecewise", lambda x: mnp.piecewise(x, _CONDS, [mnp.sin, 2.0, mnp.cos]),
    lambda x: jnp.piecewise(x, _CONDS, [jnp.sin, 2.0, jnp.cos]),
    lambda x: np.piecewise(x, _CONDS, [np.sin, 2.0, np.cos]), R(6), vmap=False)  # fmt: skip
