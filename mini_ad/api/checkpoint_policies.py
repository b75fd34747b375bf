"""Checkpoint policies and ``checkpoint_name`` (JAX: ``jax.checkpoint_policies``,
``jax.ad_checkpoint.checkpoint_name``).

A policy is a function ``policy(primitive, *in_avals, **params) -> bool``: True where the
forward pass of ``checkpoint(f, policy=...)`` saves an equation's outputs for the backward
pass, False where the backward pass recomputes them. ``checkpoint_name(x, "h")`` binds the
identity primitive ``name`` (printed ``name[name=h]`` as in JAX), which
``save_only_these_names("h")`` selects.
"""

from __future__ import annotations

from mini_ad.core.primitive import Primitive

# --- name: an identity that labels a value --------------------------------------------------

name_p = Primitive("name")  # JAX: name_p
name_p.impl = lambda x, *, name: x
name_p.abstract_eval = lambda aval, *, name: aval
name_p.jvp = lambda primals, tangents, *, name: (name_p.bind(primals[0], name=name), tangents[0])
name_p.transpose = lambda ct, x, *, name: [ct]
name_p.batch = lambda axis_size, vals, dims, *, name: (name_p.bind(vals[0], name=name), dims[0])
name_p.jet = lambda primals, series, *, name: (name_p.bind(primals[0], name=name), series[0])
name_p.lowering = lambda lx, x, *, name: lx.jax.ad_checkpoint.checkpoint_name(x, name)
name_p.simplify = lambda ins, out_aval, producer: ins[0]  # jit: the identity it is


def checkpoint_name(x, name: str):
    """Label ``x`` with ``name`` for ``save_only_these_names`` and friends; the value is
    ``x`` itself (JAX: ``jax.ad_checkpoint.checkpoint_name``).

    Args:
      x: an array (tracer).
      name: the label, shown in jaxprs as ``name[name=...]``.

    Returns:
      ``x``.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> print(ad.make_jaxpr(lambda x: checkpoint_name(mnp.sin(x), "h"))(1.0))
      { lambda ; a:f64[]. let b:f64[] = sin a; c:f64[] = name[name=h] b in (c,) }
    """
    return name_p.bind(x, name=name)


def everything_saveable(primitive, *avals, **params) -> bool:
    """The policy that saves every residual (no recomputation).

    Args:
      primitive: the equation's primitive.
      avals, params: its input avals and params.

    Returns:
      True.

    Examples:
      >>> everything_saveable(name_p)
      True
    """
    return True


def nothing_saveable(primitive, *avals, **params) -> bool:
    """The policy that saves nothing (the default: recompute every residual).

    Args:
      primitive: the equation's primitive.
      avals, params: its input avals and params.

    Returns:
      False.

    Examples:
      >>> nothing_saveable(name_p)
      False
    """
    return False


def dots_saveable(primitive, *avals, **params) -> bool:
    """The policy that saves the results of matrix products (``dot_general``) only.

    Args:
      primitive: the equation's primitive.
      avals, params: its input avals and params.

    Returns:
      Whether ``primitive`` is ``dot_general``.

    Examples:
      >>> dots_saveable(name_p)
      False
    """
    return primitive.name == "dot_general"


checkpoint_dots = dots_saveable  # JAX's older name


def dots_with_no_batch_dims_saveable(primitive, *avals, **params) -> bool:
    """The policy that saves the results of matrix products without batch dimensions.

    Args:
      primitive: the equation's primitive.
      avals, params: its input avals and params (``dimension_numbers``).

    Returns:
      Whether ``primitive`` is a ``dot_general`` with no batch dimensions.

    Examples:
      >>> dots_with_no_batch_dims_saveable(name_p)
      False
    """
    if primitive.name != "dot_general":
        return False
    (_, _), (lhs_batch, rhs_batch) = params["dimension_numbers"]
    return not lhs_batch and not rhs_batch


def save_only_these_names(*names: str):
    """The policy that saves exactly the values labelled by ``checkpoint_name`` with one
    of ``names``.

    Args:
      names: the labels to save.

    Returns:
      A policy.

    Examples:
      >>> policy = save_only_these_names("h")
      >>> policy(name_p, name="h"), policy(name_p, name="g")
      (True, False)
    """
    wanted = frozenset(names)

    def policy(primitive, *avals, **params) -> bool:
        return primitive is name_p and params["name"] in wanted

    policy.__name__ = f"save_only_these_names{tuple(sorted(wanted))}"
    return policy


def save_any_names_but_these(*names: str):
    """The policy that saves every value labelled by ``checkpoint_name`` except ``names``.

    Args:
      names: the labels to recompute.

    Returns:
      A policy.

    Examples:
      >>> policy = save_any_names_but_these("h")
      >>> policy(name_p, name="h"), policy(name_p, name="g")
      (False, True)
    """
    unwanted = frozenset(names)

    def policy(primitive, *avals, **params) -> bool:
        return primitive is name_p and params["name"] not in unwanted

    return policy


__all__ = [
    "checkpoint_dots", "checkpoint_name", "dots_saveable", "dots_with_no_batch_dims_saveable",
    "everything_saveable", "name_p", "nothing_saveable", "save_any_names_but_these",
    "save_only_these_names",
]  # fmt: skip
