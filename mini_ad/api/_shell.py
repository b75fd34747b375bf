"""The pytree shell shared by the public transforms.

Argument checks, flattening a pytree function into one on flat lists (with
``has_aux``), ``argnums`` handling and zero tangents. Nothing here transforms
anything: each transform module calls these helpers around a flat core from
``mini_ad.transforms``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.array import wrap_all
from mini_ad.core.avals import ShapedArray, is_float, is_inexact
from mini_ad.core.tracing import get_aval
from mini_ad.transforms.partial_eval import tangent_aval
from mini_ad.tree_util import tree_flatten, tree_unflatten


def check_callable(fun, transform: str) -> None:
    if not callable(fun):
        raise TypeError(f"{transform} expected a callable function, got {fun!r}.")


def aval_or_error(x) -> ShapedArray:
    """The aval of an argument leaf, or a TypeError naming the accepted types."""
    try:
        return get_aval(x)
    except TypeError:
        raise TypeError(
            f"Argument '{x}' of type {type(x)} is not a valid mini_ad type: pass NumPy "
            "arrays, Python scalars, or pytrees (tuples, lists, dicts) of them."
        ) from None


def is_value(x) -> bool:
    try:
        get_aval(x)
    except TypeError:
        return False
    return True


def normalize_argnums(argnums, nargs: int) -> tuple[int, ...]:
    """``argnums`` (an int or a sequence of ints) as non-negative positions.

    A position named twice (``(0, 0)``, or ``(1, -1)`` with two arguments) is a ValueError:
    JAX fails on it with an unrelated TypeError, and a silent zero would be worse."""
    many = isinstance(argnums, (tuple, list))
    nums = tuple(argnums) if many else (argnums,)
    for n in nums:
        if not isinstance(n, (int, np.integer)):
            raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}.")
        if not -nargs <= n < nargs:
            raise TypeError(
                f"differentiating with respect to argnums={argnums} requires at least "
                f"{(n if n >= 0 else -n - 1) + 1} positional arguments to be passed by the "
                f"caller, but got only {nargs} positional arguments."
            )
    positions = tuple(int(n) % nargs for n in nums)
    seen = {}
    for n, position in zip(nums, positions, strict=True):
        if position in seen:
            same = f"{seen[position]} and {n}" if seen[position] != n else f"{n} twice"
            raise ValueError(
                f"argnums={argnums!r} names positional argument {position} more than once "
                f"({same}); each argument can be differentiated only once."
            )
        seen[position] = n
    return positions


def split_args(args, argnums):
    """The differentiated arguments, and a function rebuilding the full argument list."""
    dyn = [args[i] for i in argnums]

    def merge(dyn_values):
        full = list(args)
        for i, value in zip(argnums, dyn_values, strict=True):
            full[i] = value
        return full

    return dyn, merge


def flat_fun(fun, in_tree, has_aux=False):
    """Wrap a pytree function as one on flat lists; its output treedefs land in ``store``.

    ``store["out"]`` is the output treedef and ``store["n_out"]`` its leaf count; with
    ``has_aux`` the flat outputs are followed by the aux array leaves (see ``aux_out``).
    """
    store = {}

    def flat(*leaves):
        args = tree_unflatten(in_tree, wrap_all(leaves))  # NumPy leaves seen as Arrays (.at)
        out = fun(*args)
        if has_aux:
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError(
                    "expected function with aux output to return a two-element tuple, but "
                    f"got type {type(out)} with value {out!r}"
                )
            out, aux = out
            out_flat, store["out"] = tree_flatten(out)
            aux_flat, store["aux"] = tree_flatten(aux)
            store["n_out"] = len(out_flat)
            # non-array aux leaves (strings, objects) skip the transform, returned untouched
            store["aux_static"] = [None if is_value(x) else x for x in aux_flat]
            return out_flat + [x for x in aux_flat if is_value(x)]
        out_flat, store["out"] = tree_flatten(out)
        store["n_out"] = len(out_flat)
        return out_flat

    return flat, store


def unflatten_results(tree, leaves):
    """A transform's result: its array leaves become immutable Arrays (read-only views, no
    copy), so no write into a result can reach an argument, a constant or a cache."""
    return tree_unflatten(tree, wrap_all(leaves))


def aux_out(store, values):
    """The aux pytree from the transformed array leaves and the untouched other leaves."""
    values = iter(values)
    leaves = [next(values) if x is None else x for x in store["aux_static"]]
    return tree_unflatten(store["aux"], leaves)


def zeros_for(aval: ShapedArray):
    """A concrete zero tangent (or cotangent) for a value of type ``aval``."""
    t = tangent_aval(aval)
    return np.zeros(t.shape, t.dtype)


def check_grad_inputs(
    dyn_args, transform: str, allow_int: bool, holomorphic: bool, real_only=False
) -> None:
    """The dtype checks of ``grad``/``jacfwd``/``jacrev`` on the differentiated leaves."""
    for leaf in tree_flatten(dyn_args)[0]:
        aval = aval_or_error(leaf)
        dtype = aval.dtype
        if holomorphic and dtype.kind != "c":
            raise TypeError(
                f"{transform} with holomorphic=True requires inputs with complex dtype, "
                f"but got {dtype.name}."
            )
        if real_only and not is_float(dtype) and not (allow_int and dtype.kind in "biu"):
            raise TypeError(
                f"{transform} requires real-valued inputs (input dtype that is a sub-dtype of "
                f"np.floating), but got {dtype.name}. For differentiation of non-floating inputs, "
                "use jvp or vjp directly."
            )
        if not is_inexact(dtype) and not allow_int:
            raise TypeError(
                f"{transform} requires real- or complex-valued inputs (input dtype that is a "
                f"sub-dtype of np.inexact), but got {dtype.name}. If you want to use Boolean- or "
                "integer-valued inputs, use vjp or set allow_int to True."
            )
