"""Custom rules in JAX's shorter spellings, built on ``custom_vjp`` and staging.

* ``custom_gradient`` (JAX: ``jax.custom_gradient``): ``f`` returns ``(value, vjp_fn)``.
  Its ``fwd`` stages ``vjp_fn`` into a Jaxpr whose constants (the values ``vjp_fn``
  closes over) are the residuals; ``bwd`` evaluates that Jaxpr on the cotangents.
* ``closure_convert`` (JAX: ``jax.closure_convert``): a function whose closed-over
  tracers become explicit trailing arguments, as ``custom_vjp``'s ``fwd``/``bwd`` need
  when a function closes over values being differentiated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from mini_ad.api._shell import aval_or_error
from mini_ad.control_flow.custom_vjp import custom_vjp
from mini_ad.core.jaxpr import Jaxpr, eval_jaxpr
from mini_ad.core.tracing import Tracer
from mini_ad.transforms.staging import DebugInfo, trace_to_jaxpr
from mini_ad.tree_util import register_pytree_node, tree_flatten, tree_unflatten


class _StagedVjp:
    """A staged ``vjp_fn``: its Jaxpr and output tree (static), its constants (leaves)."""

    def __init__(self, jaxpr, consts, ct_tree, n_args):
        self.jaxpr, self.consts, self.ct_tree, self.n_args = jaxpr, consts, ct_tree, n_args


register_pytree_node(
    _StagedVjp,
    lambda r: (r.consts, (r.jaxpr, r.ct_tree, r.n_args)),
    lambda aux, consts: _StagedVjp(aux[0], list(consts), aux[1], aux[2]),
)


def custom_gradient(fun: Callable) -> Callable:
    """``fun`` with the gradient its own ``vjp_fn`` gives (JAX: ``jax.custom_gradient``).

    Args:
      fun: a function of positional arrays returning ``(value, vjp_fn)``, where
        ``vjp_fn(ct)`` (``ct`` shaped like ``value``) returns a tuple with one cotangent
        per argument (a bare cotangent when ``fun`` has one argument).

    Returns:
      A function returning ``value``; ``grad``/``vjp`` of it call ``vjp_fn``.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> @ad.custom_gradient
      ... def clipped_square(x):
      ...     return x**2, lambda g: (mnp.clip(g * 2 * x, -1.0, 1.0),)
      >>> ad.grad(clipped_square)(3.0)
      array(1.)
    """

    @custom_vjp
    def wrapped(*args):
        return fun(*args)[0]

    def fwd(*args):
        value, vjp_fn = fun(*args)
        out_leaves, out_tree = tree_flatten(value)
        ct_avals = [aval_or_error(x) for x in out_leaves]

        def flat_vjp(*cts):
            cts_in = vjp_fn(tree_unflatten(out_tree, list(cts)))
            if len(args) == 1 and not isinstance(cts_in, tuple):
                cts_in = (cts_in,)
            leaves, store["tree"] = tree_flatten(cts_in, is_leaf=lambda x: x is None)
            return leaves

        store = {}
        jaxpr, consts = trace_to_jaxpr(flat_vjp, ct_avals, DebugInfo("custom_gradient", vjp_fn))
        return value, _StagedVjp(jaxpr, consts, store["tree"], len(args))

    def bwd(staged, ct):
        cts = tree_flatten(ct)[0]
        leaves = eval_jaxpr(staged.jaxpr, staged.consts, cts)
        return tree_unflatten(staged.ct_tree, leaves)

    wrapped.defvjp(fwd, bwd)
    return functools.wraps(fun)(lambda *args: wrapped(*args))


def closure_convert(fun: Callable, *example_args) -> tuple[Callable, list]:
    """``fun`` with the tracers it closes over hoisted out as explicit arguments
    (JAX: ``jax.closure_convert``).

    Args:
      fun: a function of pytree arguments.
      example_args: arguments of the right shapes and dtypes, used to trace ``fun``.

    Returns:
      ``(converted, hoisted)``: ``converted(*args, *hoisted)`` computes ``fun(*args)``;
      ``hoisted`` lists the tracers of enclosing transforms that ``fun`` closed over
      (empty outside transforms: concrete constants stay inside).

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> def outer(w):
      ...     f = lambda x: mnp.sin(w * x)
      ...     g, consts = ad.closure_convert(f, 1.0)
      ...     return g(2.0, *consts), len(consts)
      >>> bool(outer(0.5)[0] == mnp.sin(1.0)), bool(ad.grad(lambda w: outer(w)[0])(0.5) == 2 * mnp.cos(1.0))
      (True, True)
    """
    leaves, in_tree = tree_flatten(example_args)
    store = {}

    def flat(*xs):
        out_leaves, store["out"] = tree_flatten(fun(*tree_unflatten(in_tree, list(xs))))
        return out_leaves

    avals = [aval_or_error(x) for x in leaves]
    jaxpr, consts = trace_to_jaxpr(flat, avals, DebugInfo("closure_convert", fun))
    hoist = [isinstance(c, Tracer) for c in consts]
    kept = [v for v, h in zip(jaxpr.constvars, hoist, strict=True) if not h]
    moved = [v for v, h in zip(jaxpr.constvars, hoist, strict=True) if h]
    staged = Jaxpr(kept, moved + list(jaxpr.invars), jaxpr.eqns, jaxpr.outvars)
    kept_consts = [c for c, h in zip(consts, hoist, strict=True) if not h]
    hoisted = [c for c, h in zip(consts, hoist, strict=True) if h]
    n_args = len(example_args)

    @functools.wraps(fun)
    def converted(*args):
        arg_leaves, tree = tree_flatten(args[:n_args])
        if tree != in_tree:
            raise TypeError(
                f"closure_convert: arguments of structure {tree}, traced with {in_tree}."
            )
        outs = eval_jaxpr(staged, kept_consts, list(args[n_args:]) + arg_leaves)
        return tree_unflatten(store["out"], outs)

    return converted, hoisted


__all__ = ["closure_convert", "custom_gradient"]
