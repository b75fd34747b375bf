"""``vmap``: vectorize a function over an axis of its arguments.

The shell normalizes ``in_axes``/``out_axes`` (prefix pytrees of the arguments and
outputs), names every flat argument for error messages (``argument x['a']``),
finds the one mapped size and calls ``vmap_flat``.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import aval_or_error, check_callable, flat_fun, unflatten_results
from mini_ad.transforms.batching import vmap_flat
from mini_ad.transforms.staging import DebugInfo
from mini_ad.tree_util import tree_flatten, tree_unflatten


def vmap(fun: Callable, in_axes=0, out_axes=0, axis_size: int | None = None) -> Callable:
    """Vectorize ``fun`` over an axis of its arguments: ``vmap(f)(xs)[i] == f(xs[i])``.

    Args:
      fun: the function to vectorize; positional and keyword pytree arguments,
        pytree output.
      in_axes: an int, ``None`` (not mapped) or a tuple with one entry per
        positional argument, each a prefix pytree of that argument with int/``None``
        leaves; negative axes count from the end. Keyword arguments are mapped over
        axis 0.
      out_axes: a prefix pytree of the output: where the batch axis goes (``None``:
        the output must not depend on the mapped axis).
      axis_size: the mapped size, needed only when nothing is mapped.

    Returns:
      The vectorized function. Calling it raises ValueError when ``in_axes`` does
      not match the arguments, an axis is out of range, or the mapped sizes differ.

    Raises:
      TypeError: ``fun`` is not callable, or ``in_axes``, ``out_axes`` or
        ``axis_size`` has the wrong type.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.vmap(lambda x, y: mnp.dot(x, y), in_axes=(0, None))(mnp.eye(2), mnp.array([3.0, 4.0]))
      array([3., 4.])
      >>> ad.vmap(lambda x: x.sum(), in_axes=1)(mnp.ones((2, 3)))
      array([2., 2., 2.])
    """
    check_callable(fun, "vmap")
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if not (in_axes is None or isinstance(in_axes, (int, tuple))) or isinstance(in_axes, bool):
        raise TypeError(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
            f"positional arguments passed to the function, but got {in_axes!r}."
        )
    _check_axis_spec(in_axes, "in_axes")
    _check_axis_spec(out_axes, "out_axes")
    if axis_size is not None and not isinstance(axis_size, (int, np.integer)):
        raise TypeError(f"vmap axis_size must be an int, got {axis_size!r}.")

    @functools.wraps(fun)
    def vmapped(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(
                "vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
                f"positional arguments passed to the function, but got len(in_axes)="
                f"{len(in_axes)}, len(args)={len(args)}"
            )
        if not args and not kwargs and axis_size is None:
            raise ValueError(
                "vmap wrapped function must be passed at least one argument containing an "
                "array or axis_size must be specified, got empty *args=() and **kwargs={}"
            )
        flat_args, in_tree = tree_flatten((args, kwargs))
        spec = (
            in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args),
            {k: 0 for k in kwargs},
        )
        in_dims = _broadcast_prefix(spec, in_tree, "in_axes", shown=in_axes)
        names = _vmap_arg_names(fun, args, kwargs, len(flat_args))
        in_dims, size = _mapped_axes(flat_args, in_dims, names, axis_size)
        flat, store = flat_fun(lambda a, kw: fun(*a, **kw), in_tree)

        def out_dims():
            return _broadcast_prefix(out_axes, store["out"], "out_axes")

        debug = DebugInfo("vmap", fun, names)
        outs = vmap_flat(flat, flat_args, in_dims, out_dims, size, debug)
        return unflatten_results(store["out"], outs)

    return vmapped


def _check_axis_spec(spec, what: str) -> None:
    for leaf in tree_flatten(spec, is_leaf=lambda x: x is None)[0]:
        if leaf is not None and (not isinstance(leaf, (int, np.integer)) or isinstance(leaf, bool)):
            raise TypeError(
                f"vmap {what} must be an int, None, or (nested) container with those types as "
                f"leaves, but got {spec!r}."
            )


def _broadcast_prefix(spec, tree_def, what: str, shown=None) -> list:
    """One axis per leaf of ``tree_def``: each leaf of the prefix ``spec`` applies to
    every leaf of the matching subtree (``shown``: the spec as the user wrote it)."""
    spec_leaves, spec_tree = tree_flatten(spec, is_leaf=lambda x: x is None)
    positions = tree_unflatten(tree_def, list(range(tree_def.num_leaves)))
    try:
        subtrees = spec_tree.flatten_up_to(positions)
    except ValueError as e:
        raise ValueError(
            f"vmap {what} specification must be a tree prefix of the corresponding value, got "
            f"specification {spec if shown is None else shown!r} for value tree {tree_def}. {e}"
        ) from None
    axes = [None] * tree_def.num_leaves
    for axis, subtree in zip(spec_leaves, subtrees, strict=True):
        for i in tree_flatten(subtree)[0]:
            axes[i] = axis
    return axes


def _vmap_arg_names(fun, args, kwargs, n_leaves) -> list[str]:
    """``argument x``, ``argument y['a']``, ``kwargs['z']``: one name per flat leaf."""
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    try:
        params = [
            p.name for p in inspect.signature(fun).parameters.values() if p.kind in positional
        ]
    except (TypeError, ValueError):
        params = []
    names = {}
    for i, arg in enumerate(args):
        base = params[i] if i < len(params) else f"args[{i}]"
        names.update(_leaf_paths(arg, f"argument {base}", len(names)))
    for k in sorted(kwargs):
        names.update(_leaf_paths(kwargs[k], f"kwargs[{k!r}]", len(names)))
    if len(names) != n_leaves:
        return [f"argument {i}" for i in range(n_leaves)]
    return [names[i] for i in range(n_leaves)]


def _leaf_paths(tree, base: str, start: int) -> dict:
    """``{flat position: path}`` for the leaves of ``tree`` (numbered from ``start``)."""
    leaves, treedef = tree_flatten(tree)
    marked = tree_unflatten(treedef, list(range(start, start + len(leaves))))
    out = {}

    def walk(node, path):
        if isinstance(node, int) and not isinstance(node, bool):
            out[node] = path
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}[{key!r}]")
        elif isinstance(node, tuple) and hasattr(node, "_fields"):
            for field, child in zip(node._fields, node, strict=True):
                walk(child, f"{path}.{field}")
        elif isinstance(node, (tuple, list)):
            for k, child in enumerate(node):
                walk(child, f"{path}[{k}]")
        elif node is not None:  # a registered custom node: number its leaves
            for k, i in enumerate(tree_flatten(node)[0]):
                out[i] = f"{path}[{k}]"

    walk(marked, base)
    return out


def _mapped_axes(flat_args, in_dims, names, axis_size):
    """Normalize negative axes, check ranks, and find the one mapped size."""
    dims, sizes = [], []
    for x, d, name in zip(flat_args, in_dims, names, strict=True):
        if d is None:
            dims.append(None)
            continue
        aval = aval_or_error(x)
        if not -aval.ndim <= d < aval.ndim:
            raise ValueError(
                f"vmap was requested to map its {name} along axis {d}, which implies that its "
                f"rank should be at least {d + 1 if d >= 0 else -d}, but is only {aval.ndim} "
                f"(its shape is {aval.shape})"
            )
        dims.append(d % aval.ndim)
        sizes.append((aval.shape[d], d % aval.ndim, name, aval))
    if not sizes and axis_size is None:
        raise ValueError(
            "vmap must have at least one non-None value in in_axes or axis_size must be specified"
        )
    distinct = {n for n, *_ in sizes} | ({axis_size} if axis_size is not None else set())
    if len(distinct) > 1:
        lines = [f"  * the `axis_size` argument was {axis_size};"] if axis_size is not None else []
        lines += [
            f"  * axis {d} of {name} of type {aval.str_short()} had size {n};"
            for n, d, name, aval in sizes
        ]
        lines[-1] = lines[-1].rstrip(";")
        raise ValueError(
            "vmap got inconsistent sizes for array axes to be mapped:\n" + "\n".join(lines)
        )
    size = axis_size if axis_size is not None else sizes[0][0]
    return dims, int(size)
