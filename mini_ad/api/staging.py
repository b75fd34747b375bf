"""``make_jaxpr``: a function's IR, traced abstractly; ``eval_shape``: only its output
shapes; and ``ShapeDtypeStruct``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import aval_or_error, check_callable, flat_fun
from mini_ad.core.avals import ShapedArray
from mini_ad.core.jaxpr import ClosedJaxpr
from mini_ad.transforms.staging import DebugInfo, trace_to_jaxpr
from mini_ad.tree_util import tree_flatten, tree_unflatten


def make_jaxpr(fun: Callable, static_argnums=(), return_shape: bool = False) -> Callable:
    """Trace ``fun`` into a ``ClosedJaxpr`` (the IR) without running it on data.

    Args:
      fun: the function to trace; positional and keyword pytree arguments, pytree
        output.
      static_argnums: positions of arguments that are not traced but passed to
        ``fun`` as they are (Python values the trace may depend on).
      return_shape: also return the output's structure with a ``ShapeDtypeStruct``
        per leaf.

    Returns:
      A function of ``fun``'s arguments returning the ``ClosedJaxpr`` (with
      ``return_shape``, the pair ``(closed_jaxpr, shapes)``). Calling it raises
      TypeError for an argument that is not an array, scalar or pytree of them, and
      a concretization error where ``fun`` needs a traced value in Python.

    Raises:
      TypeError: ``fun`` is not callable.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> print(ad.make_jaxpr(lambda x: mnp.sum(mnp.sin(x) * 2.0))(mnp.ones(3)))
      { lambda ; a:f64[3]. let
          b:f64[3] = sin a
          c:f64[3] = mul b 2.0:f64[]
          d:f64[] = reduce_sum[axes=(0,) out_sharding=None] c
        in (d,) }
    """
    check_callable(fun, "make_jaxpr")
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def make(*args, **kwargs):
        static_pos = {i % len(args) for i in static} if args else set()
        dyn_pos = [i for i in range(len(args)) if i not in static_pos]
        dyn_args = [args[i] for i in dyn_pos]
        flat_args, in_tree = tree_flatten((dyn_args, kwargs))
        in_avals = [aval_or_error(x) for x in flat_args]

        def call(dyn, kw):
            full = list(args)
            for i, value in zip(dyn_pos, dyn, strict=True):
                full[i] = value
            return fun(*full, **kw)

        flat, store = flat_fun(call, in_tree)
        names = _arg_names(fun, dyn_pos, len(flat_args), in_tree)
        jaxpr, consts = trace_to_jaxpr(flat, in_avals, DebugInfo("make_jaxpr", fun, names))
        closed = ClosedJaxpr(jaxpr, consts)
        if return_shape:
            shapes = [ShapeDtypeStruct(a.shape, a.dtype) for a in jaxpr.out_avals]
            return closed, tree_unflatten(store["out"], shapes)
        return closed

    return make


def eval_shape(fun: Callable, *args, **kwargs):
    """The shapes and dtypes of ``fun(*args, **kwargs)``, found by tracing, without
    computing anything (JAX: ``jax.eval_shape``).

    Args:
      fun: the function; pytree arguments, pytree output.
      args, kwargs: pytrees whose leaves are arrays, scalars or anything with ``shape``
        and ``dtype`` (such as ``ShapeDtypeStruct``).

    Returns:
      ``fun``'s output structure with a ``ShapeDtypeStruct`` per leaf.

    Raises:
      TypeError: ``fun`` is not callable, or a leaf is not an array-like value.

    Example:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> x = ad.ShapeDtypeStruct((2, 3), "float32")
      >>> ad.eval_shape(lambda x: {"sum": mnp.sum(x, axis=0)}, x)
      {'sum': ShapeDtypeStruct(shape=(3,), dtype=float32)}
    """
    check_callable(fun, "eval_shape")
    flat_args, in_tree = tree_flatten((args, kwargs))
    in_avals = [_spec_aval(x) for x in flat_args]
    flat, store = flat_fun(lambda a, kw: fun(*a, **kw), in_tree)
    jaxpr, _ = trace_to_jaxpr(flat, in_avals, DebugInfo("eval_shape", fun, []))
    shapes = [ShapeDtypeStruct(a.shape, a.dtype) for a in jaxpr.out_avals]
    return tree_unflatten(store["out"], shapes)


def _spec_aval(x) -> ShapedArray:
    """The aval of a value, or of a shape-and-dtype spec (``ShapeDtypeStruct``, a tracer)."""
    if hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, np.generic):
        return ShapedArray(x.shape, x.dtype, getattr(getattr(x, "aval", None), "weak_type", False))
    return aval_or_error(x)


class ShapeDtypeStruct:
    """The shape and dtype of a value (JAX: ``jax.ShapeDtypeStruct``).

    Args:
      shape: a sequence of ints.
      dtype: anything ``np.dtype`` accepts.

    Example:
      >>> import mini_ad as ad
      >>> ad.ShapeDtypeStruct((2, 3), "float32")
      ShapeDtypeStruct(shape=(2, 3), dtype=float32)
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def __eq__(self, other):
        return isinstance(other, ShapeDtypeStruct) and (self.shape, self.dtype) == (
            other.shape,
            other.dtype,
        )

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name})"


def _arg_names(fun, positions, n_leaves, in_tree) -> list[str]:
    """One name per flat argument (the parameter name; pytree leaves get a path suffix)."""
    try:
        params = list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    dyn_tree = in_tree.children()[0] if in_tree.num_nodes > 1 else None
    children = dyn_tree.children() if dyn_tree is not None else []
    for pos, child in zip(positions, children, strict=True):
        base = params[pos] if pos < len(params) else f"args[{pos}]"
        count = child.num_leaves
        names.extend([base] * count if count == 1 else [f"{base}[{k}]" for k in range(count)])
    return names + [f"kwargs[{k}]" for k in range(n_leaves - len(names))]
