"""Taylor mode on pytrees: ``jet``, ``derivatives`` and ``taylor_coefficients``.

A pytree shell over ``transforms.jet.jet_flat``, which pushes truncated Taylor series
(normalized coefficients) through a function with O(K²) work per primitive. ``jet`` has
JAX's signature and convention (``jax.experimental.jet.jet``): by default the series
terms are *derivative* coefficients, ``x(t) = x0 + x1 t + x2 t²/2! + ...``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import aval_or_error, check_callable, flat_fun
from mini_ad.core.avals import is_inexact
from mini_ad.core.tracing import Tracer, get_aval
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import structural as st
from mini_ad.transforms.jet import jet_flat
from mini_ad.tree_util import tree_flatten, tree_structure, tree_unflatten


def _scale(x, factor):
    """``x * factor`` in ``x``'s dtype (a primitive for tracers, NumPy otherwise)."""
    if factor == 1:
        return x
    if isinstance(x, Tracer):
        return ew.mul(x, np.array(factor, get_aval(x).dtype))
    x = np.asarray(x)
    return np.asarray(x * np.array(factor, x.dtype))


def _leaf(x):
    aval_or_error(x)
    return x if isinstance(x, Tracer) else np.asarray(x)


def jet(fun: Callable, primals, series, factorial_scaled: bool = True):
    """Taylor mode: ``jet : (a -> b) -> (a, [a]*K) -> (b, [b]*K)`` (JAX: ``jax.experimental.jet.jet``).

    Pushes the truncated Taylor polynomial of each input through ``fun`` and returns the
    truncated Taylor polynomial of its output, with O(K²) work per primitive.

    Args:
      fun: a function of ``len(primals)`` positional pytree arguments returning a pytree.
      primals: a tuple or list with one pytree per argument of ``fun`` (the point ``x0``).
      series: a tuple or list with one sequence per argument; ``series[i][k-1]`` is the
        k-th coefficient of argument i, a pytree of ``primals[i]``'s structure. Every
        sequence has the same length K (the order).
      factorial_scaled: with True (the default, as in JAX) the terms are derivatives,
        ``x(t) = x0 + x1 t + x2 t²/2! + ... + xK t^K/K!``, in and out; with False they
        are the plain coefficients ``x(t) = x0 + x1 t + ... + xK t^K``.

    Returns:
      ``(primals_out, series_out)``: ``fun(*primals)``, and for each output leaf the list
      of its K terms, arranged in the output's tree structure (as JAX does).

    Raises:
      TypeError: ``fun`` is not callable, a term's structure differs from its primal's,
        or an argument is not an array.
      ValueError: the series have different lengths or are not one per primal.
      NotImplementedError: ``fun`` uses a primitive without a Taylor rule.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> y0, (y1, y2) = ad.jet(mnp.sin, (0.5,), ((1.0, 0.0),))   # sin, cos, -sin
      >>> [round(float(v), 6) for v in (y0, y1, y2)]
      [0.479426, 0.877583, -0.479426]
    """
    check_callable(fun, "jet")
    if not isinstance(primals, (tuple, list)) or not isinstance(series, (tuple, list)):
        raise TypeError("jet expects primals and series as tuples or lists.")
    if len(primals) != len(series):
        raise ValueError(f"jet got {len(primals)} primals but {len(series)} series.")
    orders = {len(terms) for terms in series}
    if len(orders) > 1:
        raise ValueError("jet terms have inconsistent lengths for different arguments")
    order = orders.pop() if orders else 0
    flat_primals, flat_series = [], []
    for i, (x, terms) in enumerate(zip(primals, series, strict=True)):
        leaves, tree = tree_flatten(x)
        flat_primals.extend(_leaf(v) for v in leaves)
        per_leaf = [[] for _ in leaves]
        for j, term in enumerate(terms):
            term_leaves, term_tree = tree_flatten(term)
            if term_tree != tree:
                raise TypeError(
                    f"jet: term {j} for argument {i} has tree structure {term_tree}, but its "
                    f"primal has {tree}."
                )
            for k, v in enumerate(term_leaves):
                scale = 1 / math.factorial(j + 1) if factorial_scaled else 1
                per_leaf[k].append(_scale(_leaf(v), scale))
        flat_series.extend(per_leaf)
    flat, store = flat_fun(lambda *a: fun(*a), tree_structure(tuple(primals)))
    out_primals, out_series = jet_flat(flat, flat_primals, flat_series, order)
    out_terms = []
    for p, terms in zip(out_primals, out_series, strict=True):
        p = _leaf(p)
        leaf_terms = []
        for k, t in enumerate(terms):
            if t is None:
                aval = get_aval(p)
                leaf_terms.append(np.zeros(aval.shape, aval.dtype))
            else:
                leaf_terms.append(_scale(t, math.factorial(k + 1) if factorial_scaled else 1))
        out_terms.append(leaf_terms)
    out_primals = [_leaf(p) for p in out_primals]
    return tree_unflatten(store["out"], out_primals), tree_unflatten(store["out"], out_terms)


def _along(fun, x, order: int, direction, what: str):
    """Normalized Taylor coefficients ``y_0 .. y_K`` of ``t -> fun(x + t v)``."""
    check_callable(fun, what)
    if not isinstance(order, (int, np.integer)) or order < 0:
        raise ValueError(f"{what}: order must be a non-negative int, got {order!r}.")
    x = _leaf(x)
    aval = get_aval(x)
    if not is_inexact(aval.dtype):
        raise TypeError(f"{what} needs a floating-point x, got dtype {aval.dtype.name}.")
    if direction is None:
        if aval.shape:
            raise ValueError(
                f"{what}: x has shape {aval.shape}; pass direction= (a vector v of x's "
                "shape) to get the derivatives of t -> fun(x + t v)."
            )
        direction = np.ones((), aval.dtype)
    v = _leaf(direction)
    if get_aval(v).shape != aval.shape:
        raise ValueError(f"{what}: direction has shape {get_aval(v).shape}, x has {aval.shape}.")
    if not isinstance(v, Tracer):
        v = v.astype(aval.dtype, copy=False)
    flat, store = flat_fun(fun, tree_structure((x,)))
    in_series = [[v] + [None] * (order - 1)] if order else [[]]
    (y0,), (ys,) = _one_output(*jet_flat(flat, [x], in_series, order), what)
    return [y0] + [np.zeros(get_aval(y0).shape, get_aval(y0).dtype) if y is None else y for y in ys]


def _one_output(primals, series, what):
    if len(primals) != 1:
        raise TypeError(f"{what} needs a function with one array output, got {len(primals)}.")
    return primals, series


def _stack(values):
    if not any(isinstance(v, Tracer) for v in values):
        return np.stack([np.asarray(v) for v in values])
    shape = get_aval(values[0]).shape
    return st.concatenate([st.reshape(v, (1, *shape)) for v in values], 0)


def taylor_coefficients(fun: Callable, x, order: int, direction=None):
    """The Taylor coefficients ``f^(k)(x) / k!`` for ``k = 0 .. order``, by Taylor mode.

    For ``fun: R^n -> R`` (or any array output) pass ``direction=v`` to get those of
    ``t -> fun(x + t v)`` at ``t = 0``. Cost: one ``jet``, O(order²) work per primitive.

    Args:
      fun: a function of one array argument returning one array.
      x: the point (a float scalar, or an array together with ``direction``).
      order: the highest coefficient wanted (a non-negative int).
      direction: ``v``, of ``x``'s shape; default 1 for a scalar ``x``.

    Returns:
      An array of shape ``(order + 1, *out_shape)``: row k is the k-th coefficient.

    Raises:
      TypeError: ``fun`` is not callable, ``x`` is not floating point, or ``fun`` has
        more than one output.
      ValueError: a negative order, or an array ``x`` without a matching ``direction``.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.taylor_coefficients(mnp.exp, 0.0, 4)    # 1, 1, 1/2, 1/6, 1/24
      array([1.        , 1.        , 0.5       , 0.16666667, 0.04166667])
    """
    return _stack(_along(fun, x, order, direction, "taylor_coefficients"))


def derivatives(fun: Callable, x, order: int, direction=None):
    """All derivatives ``f(x), f'(x), ..., f^(order)(x)`` at once, by Taylor mode.

    For ``fun: R^n -> R`` pass ``direction=v`` to get the directional derivatives
    ``d^k/dt^k fun(x + t v)`` at ``t = 0``. The cost grows as order², where nested
    ``grad`` grows geometrically.

    Args:
      fun: a function of one array argument returning one array.
      x: the point (a float scalar, or an array together with ``direction``).
      order: the highest derivative wanted (a non-negative int).
      direction: ``v``, of ``x``'s shape; default 1 for a scalar ``x``.

    Returns:
      An array of shape ``(order + 1, *out_shape)``: row k is the k-th derivative.

    Raises:
      TypeError: ``fun`` is not callable, ``x`` is not floating point, or ``fun`` has
        more than one output.
      ValueError: a negative order, or an array ``x`` without a matching ``direction``.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.derivatives(lambda x: x ** 4, 1.0, 5)
      array([ 1.,  4., 12., 24., 24.,  0.])
      >>> ad.derivatives(lambda x: mnp.sum(x ** 2), mnp.ones(3), 2, direction=mnp.ones(3))
      array([3., 6., 6.])
    """
    coefficients = _along(fun, x, order, direction, "derivatives")
    return _stack([_scale(c, math.factorial(k)) for k, c in enumerate(coefficients)])
