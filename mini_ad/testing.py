"""Numerical checking of derivatives: ``check_grads`` (finite differences) and
``check_against_jax`` (the same program through real JAX)."""

from __future__ import annotations

import functools

import numpy as np

from mini_ad.core.avals import float0

EPS = 1e-4  # JAX's step for the central difference

# Default absolute and relative tolerances by dtype (JAX's gradient tolerances). The
# central difference has error O(eps²) from truncation and O(ulp / eps) from rounding.
_TOLERANCE = {
    np.dtype(np.float16): 1e-2,
    np.dtype(np.float32): 2e-3,
    np.dtype(np.float64): 1e-5,
    np.dtype(np.complex64): 1e-3,
    np.dtype(np.complex128): 1e-5,
}


def check_grads(f, args, order: int, modes=("fwd", "rev"), atol=None, rtol=None, eps=None) -> None:
    """Check ``f``'s derivatives at ``args`` against central finite differences.

    As ``jax.test_util.check_grads``. Along a random direction ``v`` (fixed seed) the
    tangent of ``jvp`` must match ``(f(x + eps v) - f(x - eps v)) / 2 eps``, and ``vjp``
    must satisfy the dot-product test ``<u, J v> == <J^T u, v>`` with ``J v`` taken by
    finite differences. For ``order > 1`` the same checks run on the derivative functions
    themselves — ``(x, v) -> jvp(f, x, v)`` for ``'fwd'`` and ``x -> vjp_fn(f(x))`` for
    ``'rev'`` — so ``order=3`` checks third derivatives (JAX: the same recursion).
    ``'lin'`` checks ``linearize``'s linear map the way ``'fwd'`` checks ``jvp``.

    Integer and bool leaves of ``args`` are held fixed (their tangents are float0).

    Args:
      f: the function to check; pytree arguments and outputs.
      args: the tuple of positional arguments to check at.
      order: the highest derivative order to check (1, 2, 3, ...).
      modes: a collection of ``"fwd"``, ``"rev"`` and ``"lin"``.
      atol: the absolute tolerance; None picks one by dtype (1e-5 for float64, 2e-3
        for float32, as JAX).
      rtol: the relative tolerance; None picks one by dtype, likewise.
      eps: the finite-difference step; None means 1e-4 (JAX's).

    Returns:
      None.

    Raises:
      AssertionError: a derivative mismatches; the message names the mode path (e.g.
        ``JVP of VJP``), the order and the values that differ.
      ValueError: ``modes`` holds an unknown mode.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.testing import check_grads
      >>> check_grads(lambda x: mnp.sin(x) * x, (0.7,), order=2)
      >>> check_grads(lambda x: x ** 3, (1.5,), order=3, modes=("rev",), atol=1e-6, rtol=1e-6)
    """
    from mini_ad import api

    args = tuple(args)
    unknown = set(modes) - {"fwd", "rev", "lin"}
    if unknown:
        raise ValueError(f"check_grads modes must be 'fwd', 'rev' or 'lin', got {sorted(unknown)}.")
    eps = EPS if eps is None else eps
    check = functools.partial(_check_mode, atol=atol, rtol=rtol, eps=eps)

    def recurse(fun, fun_args, level, path):
        def where(kind):
            return f"{kind} (derivative order {order - level + 1} of {order})"

        if "fwd" in modes:
            name = _path("JVP", path)
            check(fun, fun_args, functools.partial(_jvp_tangent, api, fun), where(name))
            if level > 1:
                jvp_fun = lambda primals, tangents: api.jvp(fun, primals, tangents)
                recurse(jvp_fun, (fun_args, _as_tangents(fun_args)), level - 1, name)
        if "lin" in modes:
            name = _path("linearize", path)
            check(fun, fun_args, functools.partial(_lin_tangent, api, fun), where(name))
            if level > 1:
                lin_fun = lambda primals, tangents: api.linearize(fun, *primals)[1](*tangents)
                recurse(lin_fun, (fun_args, _as_tangents(fun_args)), level - 1, name)
        if "rev" in modes:
            name = _path("VJP", path)
            _check_vjp(fun, fun_args, api, atol, rtol, eps, where(name))
            if level > 1:

                def vjp_fun(*primals):
                    out, vjp_fn = api.vjp(fun, *primals)
                    return vjp_fn(out)

                recurse(vjp_fun, fun_args, level - 1, name)

    recurse(f, args, order, "")


def _path(kind: str, outer: str) -> str:
    return f"{kind} of {outer}" if outer else kind


def _jvp_tangent(api, fun, args, tangents):
    return api.jvp(fun, args, tangents)


def _lin_tangent(api, fun, args, tangents):
    out, f_jvp = api.linearize(fun, *args)
    return out, f_jvp(*tangents)


def _check_mode(fun, args, forward, what, *, atol, rtol, eps):
    """``forward(args, tangents) -> (out, tangent_out)`` against finite differences."""
    from mini_ad.tree_util import tree_map

    rng = np.random.RandomState(0)
    tangents = tree_map(lambda x: _random_like(rng, x), args)
    out, tangent_out = forward(args, tangents)
    _assert_close(out, fun(*args), atol, rtol, f"{what}: primal output")
    _check_tangent_dtypes(out, tangent_out, what)
    expected = _numerical_jvp(fun, args, tangents, eps)
    _assert_close(tangent_out, expected, atol, rtol, f"{what}: tangent")


def _check_tangent_dtypes(out, tangent_out, what: str) -> None:
    """A tangent has its primal's dtype (float0 for int and bool primals)."""
    from mini_ad.tree_util import tree_flatten

    for i, (p, t) in enumerate(
        zip(tree_flatten(out)[0], tree_flatten(tangent_out)[0], strict=True)
    ):
        want = _dtype(p) if _is_inexact(p) else float0
        if _dtype(t) != want:
            raise AssertionError(
                f"{what}: tangent of output leaf {i} has dtype {_dtype(t)}, expected {want} "
                f"(the primal's is {_dtype(p)})"
            )


def _check_vjp(fun, args, api, atol, rtol, eps, what):
    from mini_ad.tree_util import tree_map

    rng = np.random.RandomState(0)
    out, vjp_fn = api.vjp(fun, *args)
    _assert_close(out, fun(*args), atol, rtol, f"{what}: primal output")
    tangents = tree_map(lambda x: _random_like(rng, x), args)
    tangent_out = _numerical_jvp(fun, args, tangents, eps)
    cotangents = tree_map(lambda x: _random_like(rng, x), out)
    cotangents_in = vjp_fn(tree_map(_conj, cotangents))
    got = _inner(tangents, tree_map(_conj, cotangents_in))
    expected = _inner(tangent_out, cotangents)
    _assert_close(got, expected, atol, rtol, f"{what}: cotangent projection <J^T u, v> vs <u, J v>")


# --- values ---------------------------------------------------------------------------


def _dtype(x) -> np.dtype:
    from mini_ad.core.tracing import get_aval

    return get_aval(x).dtype


def _is_inexact(x) -> bool:
    return np.issubdtype(_dtype(x), np.inexact)


def _random_like(rng, x):
    """A random tangent for ``x``: standard normal, float0 zeros for int/bool leaves."""
    shape, dtype = np.shape(x), _dtype(x)
    if not np.issubdtype(dtype, np.inexact):
        return np.zeros(shape, float0)
    if np.issubdtype(dtype, np.complexfloating):
        return (rng.randn(*shape) + 1j * rng.randn(*shape)).astype(dtype)
    return np.asarray(rng.randn(*shape), dtype)


def _as_tangents(args):
    """``args`` reused as tangents: int and bool leaves become float0 zeros."""
    from mini_ad.tree_util import tree_map

    return tree_map(lambda x: x if _is_inexact(x) else np.zeros(np.shape(x), float0), args)


def _conj(x):
    return np.conj(x) if _is_inexact(x) else x


def _numerical_jvp(fun, args, tangents, eps):
    """``(f(x + eps v) - f(x - eps v)) / 2 eps``, leaf by leaf (int leaves fixed)."""
    from mini_ad.tree_util import tree_map

    def step(sign):
        def move(x, t):
            if not _is_inexact(x):
                return x
            dtype = _dtype(x)
            return np.asarray(np.asarray(x) + sign * eps * np.asarray(t), dtype)

        return fun(*tree_map(move, args, tangents))

    f_pos, f_neg = step(1), step(-1)

    def difference(a, b):
        if not _is_inexact(a):
            return np.zeros(np.shape(a), float0)
        dtype = _dtype(a)
        return np.asarray((np.asarray(a) - np.asarray(b)) * (0.5 / eps), dtype)

    return tree_map(difference, f_pos, f_neg)


def _inner(xs, ys) -> np.ndarray:
    """``sum_leaves <x, y>`` over the inexact leaves of two pytrees of one structure, in
    the leaves' common dtype (so a float32 program is judged by float32 tolerances)."""
    from mini_ad.tree_util import tree_flatten

    x_leaves, x_tree = tree_flatten(xs)
    y_leaves, y_tree = tree_flatten(ys)
    if x_tree != y_tree:
        raise AssertionError(f"tree structures differ: {x_tree} and {y_tree}")
    pairs = [
        (x, y) for x, y in zip(x_leaves, y_leaves, strict=True) if _is_inexact(x) and _is_inexact(y)
    ]
    if not pairs:
        return np.zeros(())
    dtype = np.result_type(*(_dtype(x) for x, _ in pairs), *(_dtype(y) for _, y in pairs))
    total = sum(np.sum(np.asarray(x) * np.asarray(y)) for x, y in pairs)
    return np.asarray(total, dtype)


def _tolerance(given, x) -> float:
    return given if given is not None else _TOLERANCE.get(_dtype(x), 1e-5)


def _assert_close(actual, expected, atol, rtol, what: str) -> None:
    from mini_ad.tree_util import tree_flatten

    a_leaves, a_tree = tree_flatten(actual)
    e_leaves, e_tree = tree_flatten(expected)
    if a_tree != e_tree:
        raise AssertionError(f"{what}: tree structures differ: {a_tree} and {e_tree}")
    for i, (a, e) in enumerate(zip(a_leaves, e_leaves, strict=True)):
        a_arr, e_arr = np.asarray(a), np.asarray(e)
        if a_arr.dtype == float0 or e_arr.dtype == float0:
            if a_arr.shape != e_arr.shape:
                raise AssertionError(f"{what}: leaf {i} shapes {a_arr.shape} vs {e_arr.shape}")
            continue
        leaf = f"{what} (leaf {i})" if len(a_leaves) > 1 else what
        np.testing.assert_allclose(
            a_arr,
            e_arr,
            atol=_tolerance(atol, e),
            rtol=_tolerance(rtol, e),
            err_msg=leaf,
        )


def check_against_jax(fun, *args, **kwargs):
    """Compare mini_ad's transforms of ``fun`` with JAX's; needs JAX installed.

    A shortcut for ``mini_ad.interop.check_against_jax`` (see there for the keyword
    arguments ``transforms``, ``order``, ``rtol``, ``atol``, ``finite_differences``,
    ``raise_on_failure`` and ``seed``), imported only when called.

    Args:
      fun: a function written with ``mini_ad.numpy``.
      args: its positional arguments.
      kwargs: keyword arguments of ``mini_ad.interop.check_against_jax``.

    Returns:
      A ``Report`` (print it for a table).

    Raises:
      AssertionError: a transform mismatches (with ``raise_on_failure``, the default).

    Example:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.testing import check_against_jax
      >>> report = check_against_jax(mnp.sin, np.array([0.3, 1.2]), transforms=("value", "jvp"))
      >>> report.passed
      True
    """
    from mini_ad.interop.compare import check_against_jax as check

    return check(fun, *args, **kwargs)
