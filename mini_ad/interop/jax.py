"""The JAX bridge: evaluate a mini_ad Jaxpr with ``jax.lax`` operations.

``to_jax(f)`` turns a function written against ``mini_ad.numpy`` into a JAX-traceable
function: f is traced once per input signature with mini_ad's ``make_jaxpr``, and the
resulting Jaxpr is run equation by equation with the ``jax.lax`` operation that has the
same meaning (the ``lowering`` slot of each primitive's card). JAX can
then differentiate, ``jit`` or ``vmap`` the program, which is how the comparison suite
checks mini_ad's transforms against JAX's transforms *of the same program*.

Importing this module imports JAX and turns on ``jax_enable_x64`` (mini_ad computes in
float64 by default; without x64 JAX would silently truncate to float32).

>>> import jax, numpy as np, mini_ad.numpy as mnp
>>> from mini_ad.interop.jax import to_jax
>>> f = to_jax(lambda x: mnp.sum(mnp.sin(x) ** 2))
>>> float(jax.grad(f)(np.array([0.5, 1.0]))[0])  # 2 sin(x) cos(x) at 0.5
0.8414709848078965
"""

from __future__ import annotations

import functools

import jax
import numpy as np

from mini_ad import api
from mini_ad import tree_util as mini_tree
from mini_ad.core.lru import LRU
from mini_ad.interop.lowerings import (
    NoLoweringError,
    eval_jaxpr_jax,
    example_value,
    lowering_for,
    mini_aval,
)


def _is_static(leaf) -> bool:
    """Python ints, bools and other non-array leaves (strings, None-like flags) are
    static: baked into the trace, as ``jit``'s ``static_argnums`` would. Python floats,
    NumPy values and JAX arrays or tracers are traced."""
    return type(leaf) in (bool, int, str, type(None)) or not (
        isinstance(leaf, (float, complex, np.ndarray, np.generic, jax.Array))
        or isinstance(leaf, jax.core.Tracer)
    )


def to_jax(fun):
    """A JAX-traceable function equivalent to ``fun`` (written with mini_ad.numpy).

    ``fun`` takes pytrees of arrays positionally. It is traced with mini_ad's
    ``make_jaxpr`` once per input structure, avals and static leaves (Python ints, bools,
    strings: see ``_is_static``), and the Jaxpr is evaluated with ``jax.lax``; the output
    has ``fun``'s pytree structure. The result composes with every JAX transform:
    ``jax.grad(to_jax(f))``, ``jax.jit(to_jax(f))``, ``jax.vmap(to_jax(f))``.

    >>> import jax, numpy as np, mini_ad.numpy as mnp
    >>> loss = to_jax(lambda p, x: mnp.sum(mnp.tanh(x @ p["w"] + p["b"])))
    >>> g = jax.grad(loss)({"w": np.ones((2, 2)), "b": np.zeros(2)}, np.ones((3, 2)))
    >>> sorted(g), g["w"].shape
    (['b', 'w'], (2, 2))
    >>> float(to_jax(lambda x, k: mnp.sum(x[:k] ** k))(np.arange(4.0), 2))  # k is static
    1.0
    """
    cache = LRU(maxsize=256)

    @functools.wraps(fun)
    def jax_fun(*args):
        leaves, in_tree = jax.tree_util.tree_flatten(args)
        static = tuple((i, x) for i, x in enumerate(leaves) if _is_static(x))
        dynamic = [x for x in leaves if not _is_static(x)]
        in_avals = tuple(mini_aval(x) for x in dynamic)
        key = (in_tree, in_avals, static)
        try:
            hash(key)
        except TypeError:
            raise TypeError(
                f"to_jax: static (non-array) arguments must be hashable, got {static!r}"
            ) from None
        closed, out_tree = cache.get_or_build(
            key, lambda: _trace(fun, in_tree, in_avals, dict(static), len(leaves))
        )
        outs = eval_jaxpr_jax(closed.jaxpr, closed.consts, dynamic)
        return mini_tree.tree_unflatten(out_tree, outs)

    return jax_fun


def _trace(fun, in_tree, in_avals, static, n_leaves):
    store = {}

    def flat_fun(*dynamic):
        it = iter(dynamic)
        leaves = [static[i] if i in static else next(it) for i in range(n_leaves)]
        out = fun(*jax.tree_util.tree_unflatten(in_tree, leaves))
        out_leaves, store["tree"] = mini_tree.tree_flatten(out)
        return out_leaves

    closed = api.make_jaxpr(flat_fun)(*[example_value(a) for a in in_avals])
    return closed, store["tree"]


__all__ = ["NoLoweringError", "eval_jaxpr_jax", "lowering_for", "to_jax"]
