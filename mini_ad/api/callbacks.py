"""Host callbacks: Python functions called on NumPy values from inside any transform.

* ``debug_callback`` (JAX: ``debug_callback_p``) runs a function for its side effect
  (``mini_ad.debug.print`` / ``callback``). It has no outputs, so its card is
  ``effectful``: jit's simplifier never folds, merges or drops it. Under ``jvp``/``grad``
  it sees the primal values; under ``vmap`` it is called once per batch element.
* ``pure_callback`` (JAX: ``pure_callback_p``) computes values of known shape and dtype
  with a host function. It is not differentiable (JAX's error); under ``vmap``,
  ``vmap_method`` chooses a loop (``"sequential"``) or one call on the batched arrays
  (``"expand_dims"``, ``"broadcast_all"``).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import aval_or_error
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.primitives import structural
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.batch_rules import put_bdim
from mini_ad.tree_util import tree_flatten, tree_unflatten

# --- batching helpers -------------------------------------------------------------------------


def _index(x, dim: int, i: int):
    """``x`` at index ``i`` of axis ``dim`` (that axis dropped), written with primitives."""
    starts = [0] * x.ndim
    limits = list(x.shape)
    starts[dim], limits[dim] = i, i + 1
    return structural.squeeze(structural.slice(x, starts, limits), (dim,))


def _stack(values):
    """Stack equal-shaped values along a new leading axis."""
    rows = [broadcast_in_dim(v, (1, *v.shape), tuple(range(1, v.ndim + 1))) for v in values]
    return structural.concatenate(rows, 0)


def _unbatched_calls(p, axis_size, vals, dims, params):
    """``p`` bound once per batch element; the outputs stacked along axis 0."""
    per_element = []
    for i in range(axis_size):
        args = [x if d is None else _index(x, d, i) for x, d in zip(vals, dims, strict=True)]
        per_element.append(p.bind(*args, **params))
    if not per_element or not per_element[0]:
        return [], []
    outs = [_stack(list(column)) for column in zip(*per_element, strict=True)]
    return outs, [0] * len(outs)


# --- debug_callback -------------------------------------------------------------------------


debug_callback_p = Primitive("debug_callback", multiple_results=True)
debug_callback_p.effectful = True
debug_callback_p.cse = False


def _debug_impl(*args, callback):
    callback(*[np.asarray(a) for a in args])
    return []


def _debug_jvp(primals, tangents, *, callback):
    debug_callback_p.bind(*primals, callback=callback)  # the primal values, once
    return [], []


def _debug_jet(primals, series, *, callback):
    debug_callback_p.bind(*primals, callback=callback)
    return [], []


def _debug_lowering(lx, *args, callback):
    lx.jax.debug.callback(callback, *args)
    return []


debug_callback_p.impl = _debug_impl
debug_callback_p.abstract_eval = lambda *avals, callback: []
debug_callback_p.jvp = _debug_jvp
debug_callback_p.jet = _debug_jet
debug_callback_p.batch = lambda n, vals, dims, **params: _unbatched_calls(
    debug_callback_p, n, vals, dims, params
)
debug_callback_p.lowering = _debug_lowering
debug_callback_p.opt_out("transpose", "no outputs, so never part of a linear program")


class _ByName:
    """A callback as a printed param: its name (``callback=print``)."""

    def __init__(self, fn):
        self.name = getattr(fn, "__name__", "callback")

    def __repr__(self):
        return self.name


debug_callback_p.print_params = lambda params: {"callback": _ByName(params["callback"])}


def debug_callback(callback: Callable, *args, **kwargs) -> None:
    """Call ``callback(*args, **kwargs)`` on the NumPy values of pytree arguments, now
    or whenever the traced program runs (JAX: ``jax.debug.callback``; here
    ``mini_ad.debug.callback``); once per element under ``vmap``.

    Args:
      callback: a Python function, called for its side effect; its result is ignored.
      args, kwargs: pytrees of arrays (tracers under a transform).

    Returns:
      None.

    Example:
      >>> import mini_ad as ad
      >>> seen = []
      >>> ad.jit(lambda x: ad.debug.callback(seen.append, x * 2) or x)(1.0)
      array(1.)
      >>> seen
      [array(2.)]
    """
    leaves, tree = tree_flatten((args, kwargs))
    for leaf in leaves:
        aval_or_error(leaf)

    def flat_callback(*values):
        call_args, call_kwargs = tree_unflatten(tree, list(values))
        callback(*call_args, **call_kwargs)

    flat_callback.__name__ = getattr(callback, "__name__", "callback")
    debug_callback_p.bind(*leaves, callback=flat_callback)


def debug_print(fmt: str, *args, **kwargs) -> None:
    """Print ``fmt.format(*args, **kwargs)`` with the arguments' values, also from inside
    ``jit``, ``vmap`` and ``grad`` (JAX: ``jax.debug.print``; here ``mini_ad.debug.print``).

    Args:
      fmt: a ``str.format`` string.
      args, kwargs: pytrees of arrays (tracers under a transform) to format.

    Returns:
      None.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> f = ad.jit(lambda x: ad.debug.print("x = {}", x) or mnp.sin(x))
      >>> y = f(0.0)
      x = 0.0
    """

    def show(*values, **named):
        builtins.print(fmt.format(*values, **named))

    show.__name__ = "print"
    debug_callback(show, *args, **kwargs)


# --- pure_callback --------------------------------------------------------------------------


pure_callback_p = Primitive("pure_callback", multiple_results=True)


def _pure_impl(*args, callback, result_avals, vmap_method):
    outs = callback(*[np.asarray(a) for a in args])
    if len(outs) != len(result_avals):
        raise ValueError(
            f"pure_callback: the callback returned {len(outs)} values, expected "
            f"{len(result_avals)} (result_shape_dtypes)."
        )
    results = []
    for out, aval in zip(outs, result_avals, strict=True):
        out = np.asarray(out)
        if out.shape != aval.shape:
            raise ValueError(
                f"pure_callback: the callback returned shape {out.shape}, expected "
                f"{aval.shape} (result_shape_dtypes)."
            )
        results.append(out.astype(aval.dtype, copy=False))
    return results


def _pure_jvp(primals, tangents, **params):
    if any(t is not None for t in tangents):
        raise ValueError(
            "Pure callbacks do not support JVP. Please use `custom_jvp` to use callbacks "
            "while taking gradients."
        )
    return pure_callback_p.bind(*primals, **params), [None] * len(params["result_avals"])


def _pure_batch(axis_size, vals, dims, *, callback, result_avals, vmap_method):
    params = {"callback": callback, "result_avals": result_avals, "vmap_method": vmap_method}
    if vmap_method == "sequential":
        return _unbatched_calls(pure_callback_p, axis_size, vals, dims, params)
    if vmap_method not in ("expand_dims", "broadcast_all"):
        raise NotImplementedError(
            "vmap of pure_callback needs vmap_method: 'sequential', 'expand_dims' or "
            f"'broadcast_all' (got {vmap_method!r})."
        )
    args = []
    for x, d in zip(vals, dims, strict=True):
        if d is not None:
            args.append(put_bdim(x, d, axis_size, 0))
        elif vmap_method == "broadcast_all":
            args.append(put_bdim(x, None, axis_size, 0))
        else:  # expand_dims: a leading axis of size one
            args.append(broadcast_in_dim(x, (1, *x.shape), tuple(range(1, x.ndim + 1))))
    batched = tuple(ShapedArray((axis_size, *a.shape), a.dtype) for a in result_avals)
    outs = pure_callback_p.bind(
        *args, callback=callback, result_avals=batched, vmap_method=vmap_method
    )
    return outs, [0] * len(outs)


def _pure_lowering(lx, *args, callback, result_avals, vmap_method):
    shapes = [lx.jax.ShapeDtypeStruct(a.shape, a.dtype) for a in result_avals]
    return lx.jax.pure_callback(callback, shapes, *args, vmap_method=vmap_method or "sequential")


pure_callback_p.impl = _pure_impl
pure_callback_p.abstract_eval = lambda *avals, result_avals, **params: list(result_avals)
pure_callback_p.jvp = _pure_jvp
pure_callback_p.batch = _pure_batch
pure_callback_p.lowering = _pure_lowering
pure_callback_p.print_params = lambda params: {**params, "callback": _ByName(params["callback"])}
pure_callback_p.opt_out("transpose", "not differentiable: a host function")
pure_callback_p.opt_out("jet", "not differentiable: a host function")


def pure_callback(
    callback: Callable, result_shape_dtypes, *args, vmap_method: str | None = None, **kwargs
):
    """Compute values with a host (NumPy) function from inside any transform
    (JAX: ``jax.pure_callback``). The function must be pure: jit may skip or repeat it.

    Args:
      callback: a function of NumPy arrays returning a pytree of arrays.
      result_shape_dtypes: a pytree of ``ShapeDtypeStruct`` (or arrays) describing what
        ``callback`` returns.
      args, kwargs: pytrees of arrays passed to ``callback``.
      vmap_method: under ``vmap``: ``"sequential"`` (a loop over the batch),
        ``"expand_dims"`` (one call; unbatched arguments get a leading axis of size one)
        or ``"broadcast_all"`` (one call; every argument batched). None: vmap raises.

    Returns:
      ``callback``'s result, with the structure of ``result_shape_dtypes``. Its
      derivative is not defined: ``grad`` raises ValueError (use ``custom_jvp``).

    Example:
      >>> import numpy as np, mini_ad as ad
      >>> spec = ad.ShapeDtypeStruct((), np.float64)
      >>> ad.jit(lambda x: ad.pure_callback(np.sinh, spec, x))(0.0)
      array(0.)
    """
    leaves, in_tree = tree_flatten((args, kwargs))
    for leaf in leaves:
        aval_or_error(leaf)
    shape_leaves, out_tree = tree_flatten(result_shape_dtypes)
    result_avals = tuple(ShapedArray(np.shape(s), np.dtype(s.dtype)) for s in shape_leaves)

    def flat_callback(*values):
        call_args, call_kwargs = tree_unflatten(in_tree, list(values))
        out_leaves, tree = tree_flatten(callback(*call_args, **call_kwargs))
        if tree != out_tree:
            raise TypeError(
                f"pure_callback: the callback returned structure {tree}, but "
                f"result_shape_dtypes has {out_tree}."
            )
        return out_leaves

    flat_callback.__name__ = getattr(callback, "__name__", "callback")
    outs = pure_callback_p.bind(
        *leaves, callback=flat_callback, result_avals=result_avals, vmap_method=vmap_method
    )
    return tree_unflatten(out_tree, outs)


__all__ = [
    "debug_callback", "debug_callback_p", "debug_print", "pure_callback", "pure_callback_p",
]  # fmt: skip
