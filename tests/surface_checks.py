"""The checks every surface-table row passes (``numpy_surface_rows*.py``,
``surface_rows_*.py``), on its drawn arguments:

* value: equal to the reference's (NumPy or SciPy: shape, dtype and values; a tuple of
  arrays stays one), and with float32 inputs the reference's float32 result dtype;
* value and, where differentiable, ``jvp`` and ``vjp`` equal JAX's (x64);
* ``jvp`` equals central finite differences along a random direction, and so does the
  second directional derivative (``jvp`` of ``jvp``) where twice differentiable;
* ``vmap`` over a batch of the first drawn argument equals a Python loop;
* ``jit`` equals eager evaluation (or, for data-dependent shapes without ``size=``,
  raises the concretization error, as JAX does).
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy_surface_rows import K, jax, jnp

import mini_ad as ad
from mini_ad.errors import ConcretizationTypeError
from mini_ad.tree_util import tree_flatten

RTOL, ATOL = 1e-9, 1e-11


def _draw(row):
    rng = np.random.default_rng(zlib.crc32(row.id.encode()))
    return [spec(rng) for spec in row.specs]


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [x for t in tree for x in _leaves(t)]
    if hasattr(tree, "_fields"):
        return [x for t in tuple(tree) for x in _leaves(t)]
    return [tree]


def _assert_close(actual, expected, what, canon=None, check_dtype=True, rtol=RTOL):
    a_leaves, e_leaves = _leaves(actual), _leaves(expected)
    assert len(a_leaves) == len(e_leaves), f"{what}: {len(a_leaves)} outputs != {len(e_leaves)}"
    for a, e in zip(a_leaves, e_leaves, strict=True):
        if isinstance(e, list) and not isinstance(a, list):
            e = np.asarray(e)
        if canon is not None:
            a, e = canon(np.asarray(a)), canon(np.asarray(e))
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
        if check_dtype:
            assert a.dtype == e.dtype, f"{what}: dtype {a.dtype} != {e.dtype}"
        if a.dtype.kind in "fc" or e.dtype.kind in "fc":
            np.testing.assert_allclose(a, e, rtol=rtol, atol=ATOL, equal_nan=True, err_msg=what)
        else:
            np.testing.assert_array_equal(a, e, err_msg=what)


def _float_positions(row, args):
    return [
        i for i, (spec, x) in enumerate(zip(row.specs, args, strict=True))
        if not isinstance(spec, K) and np.asarray(x).dtype.kind == "f"
    ]  # fmt: skip


def _partial(fn, args, positions):
    def f(*xs):
        full = list(args)
        for i, x in zip(positions, xs, strict=True):
            full[i] = x
        return fn(*full)

    return f


def _dtype(x):
    return np.dtype(x.dtype) if hasattr(x, "dtype") else np.asarray(x).dtype


def _float_out(tree):
    return [x for x in _leaves(tree) if _dtype(x).kind == "f"]


# data-dependent output shapes: under jit these need size= (or length=), as in JAX
NEEDS_SIZE_UNDER_JIT = {
    "bincount", "nonzero", "flatnonzero", "argwhere", "extract", "compress", "where",
    "unique", "unique_all", "unique_counts", "unique_inverse", "unique_values", "union1d",
    "intersect1d", "setdiff1d", "setxor1d",
}  # fmt: skip


def _check_jit(row, args, out):
    """``jit`` equals eager evaluation, or refuses with JAX's concretization error where
    the output shape depends on values."""
    positions = [i for i, s in enumerate(row.specs) if not isinstance(s, K)]
    if not positions or row.name == "einsum_path":
        return
    f = _partial(row.mini, args, positions)
    try:
        staged = ad.jit(f)(*[args[i] for i in positions])
    except ConcretizationTypeError:
        assert row.name in NEEDS_SIZE_UNDER_JIT, f"{row.id} needs concrete values under jit"
        return
    _assert_close(staged, out, f"{row.id} jit vs eager", row.canon, rtol=1e-12)


def _jax_args(args):
    return [jnp.asarray(x) if isinstance(x, np.ndarray) else x for x in args]


def _jax_transforms(g, primals, tangents, cotangent):
    """JAX's value, jvp and vjp of ``g`` in one program (jit once: fast), or eagerly
    where ``g`` needs concrete values."""

    def all_three(primals, tangents, cotangent):
        out, t_out = jax.jvp(g, primals, tangents)
        _, pullback = jax.vjp(lambda *xs: _float_out(g(*xs)), *primals)
        return out, t_out, pullback(cotangent)

    primals = [jnp.asarray(x) for x in primals]
    tangents = [jnp.asarray(t) for t in tangents]
    cotangent = [jnp.asarray(c) for c in cotangent]
    try:
        return jax.jit(all_three)(primals, tangents, cotangent)
    except jax.errors.ConcretizationTypeError:
        return all_three(primals, tangents, cotangent)


def _check_derivatives(row, args):
    positions = _float_positions(row, args)
    if not positions:
        return
    rng = np.random.default_rng(1)
    primals = [args[i] for i in positions]
    tangents = [rng.normal(size=np.shape(x)) for x in primals]
    f = _partial(row.mini, args, positions)
    out, t_out = ad.jvp(f, primals, tangents)
    if row.jax is not None and row.jax_diff:
        g = _partial(row.jax, _jax_args(args), positions)
        cotangent = [rng.normal(size=np.shape(o)).astype(_dtype(o)) for o in _float_out(out)]
        jax_out, jax_t_out, jax_grads = _jax_transforms(g, primals, tangents, cotangent)
        _assert_close(out, jax_out, f"{row.id} vs JAX", row.canon, check_dtype=False)
        _assert_close(_float_out(t_out), _float_out(jax_t_out), f"{row.id} jvp vs JAX",
                      check_dtype=False)  # fmt: skip
        _, pullback = ad.vjp(lambda *xs: _float_out(f(*xs)), *primals)
        _assert_close(pullback(cotangent), jax_grads, f"{row.id} vjp vs JAX", check_dtype=False)
    if not row.fd:
        return
    eps = 1e-6
    up = f(*[x + eps * t for x, t in zip(primals, tangents, strict=True)])
    down = f(*[x - eps * t for x, t in zip(primals, tangents, strict=True)])
    for t, u, d in zip(_float_out(t_out), _float_out(up), _float_out(down), strict=True):
        np.testing.assert_allclose(t, (np.asarray(u) - np.asarray(d)) / (2 * eps), rtol=1e-5,
                                   atol=1e-6, err_msg=f"{row.id} jvp vs finite differences")  # fmt: skip
    if row.order2 and f"{row.module}.{row.name}" not in FIRST_ORDER_ONLY:
        _check_second_order(row, f, primals, tangents, eps)


# Functions whose second derivative (along a direction moving every float argument) is
# not defined, so order 2 is not checked: JAX has none either (the incomplete gamma's
# derivative in ``a`` is ``igamma_grad_a``, itself not differentiable, which the gamma,
# chi2 and gennorm cdfs inherit; eig's eigenvalues), or mini_ad has none where JAX has
# (hyp1f1/hyp2f1 in their parameters: README, "Where mini_ad differs from JAX").
FIRST_ORDER_ONLY = {
    "mini_ad.scipy.special.gammainc", "mini_ad.scipy.special.gammaincc",
    "mini_ad.lax.igamma", "mini_ad.lax.igammac", "mini_ad.scipy.stats.gennorm.cdf",
    *(f"mini_ad.scipy.stats.{d}.{m}" for d in ("gamma", "chi2")
      for m in ("cdf", "logcdf", "sf", "logsf")),
    "mini_ad.numpy.linalg.eigvals", "mini_ad.scipy.special.hyp1f1",
    "mini_ad.scipy.special.hyp2f1",
}  # fmt: skip


def _check_second_order(row, f, primals, tangents, eps):
    """The jvp of the jvp (the second directional derivative) against central differences
    of the jvp, along the same direction (order 2, where twice differentiable)."""

    def first(*xs):
        return _float_out(ad.jvp(f, list(xs), tangents)[1])

    _, second = ad.jvp(first, primals, tangents)
    up = first(*[x + eps * t for x, t in zip(primals, tangents, strict=True)])
    down = first(*[x - eps * t for x, t in zip(primals, tangents, strict=True)])
    for s, u, d in zip(second, up, down, strict=True):
        np.testing.assert_allclose(s, (np.asarray(u) - np.asarray(d)) / (2 * eps), rtol=1e-5,
                                   atol=1e-6, err_msg=f"{row.id} second order vs finite differences")  # fmt: skip


def _check_vmap(row, args):
    batched = [i for i, s in enumerate(row.specs) if not isinstance(s, K)]
    if not batched:
        return
    i = batched[0]
    rng = np.random.default_rng(2)
    second = row.specs[i](rng)
    stacked = np.stack([args[i], second])
    f = _partial(row.mini, args, [i])
    out = ad.vmap(f)(stacked)
    loop = [f(args[i]), f(second)]
    flat_loop = [tree_flatten(o)[0] for o in loop]
    expected = [np.stack([a, b]) for a, b in zip(*flat_loop, strict=True)]
    _assert_close(tree_flatten(out)[0], expected, f"{row.id} vmap vs loop")


def check_row(row):
    """Every check of one table row (see the module docstring)."""
    args = _draw(row)
    out = row.mini(*args)
    if row.numpy is not None:
        _assert_close(out, row.numpy(*args), f"{row.id} vs NumPy", row.canon)
        positions = _float_positions(row, args)
        if row.f32 and positions:
            args32 = [
                np.asarray(x, np.float32) if i in positions else x for i, x in enumerate(args)
            ]
            expected = row.numpy(*args32)
            _assert_close(row.mini(*args32), expected, f"{row.id} float32 vs NumPy", row.canon,
                          rtol=2e-5)  # fmt: skip
    if row.jax is not None and not (row.diff and row.jax_diff and _float_positions(row, args)):
        _assert_close(
            out, row.jax(*_jax_args(args)), f"{row.id} vs JAX", row.canon, check_dtype=False
        )
    if row.diff:
        _check_derivatives(row, args)
    if row.vmap:
        _check_vmap(row, args)
    _check_jit(row, args, out)
