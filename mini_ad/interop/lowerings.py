"""An evaluator of mini_ad Jaxprs on JAX values (arrays or tracers), one ``jax.lax``
operation per equation.

Each primitive's card carries its lowering (``lowering(lx, *jax_values, **params)``); this
module is the ``lx`` those lowerings receive (``Bridge``: the JAX modules, ``lx.call`` for
sub-Jaxprs, ``lx.stage`` for custom rules). A primitive without a lowering raises
``NoLoweringError`` naming it. Higher-order primitives lower their sub-Jaxprs recursively
(``cond`` to ``lax.switch``, ``scan``, ``while``); ``custom_jvp_call`` and
``custom_vjp_call`` become ``jax.custom_jvp`` / ``jax.custom_vjp`` whose rules are the
user's mini_ad rules, staged to Jaxprs and lowered in turn.

Importing this module turns on ``jax_enable_x64`` (mini_ad computes in float64 by
default; without x64 JAX would silently truncate to float32).
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from mini_ad.core.avals import ShapedArray
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var
from mini_ad.transforms.staging import DebugInfo, trace_to_jaxpr
from mini_ad.tree_util import tree_leaves

jax.config.update("jax_enable_x64", True)


class NoLoweringError(Exception):
    """A mini_ad primitive has no ``lowering`` on its card (deliberately not a
    NotImplementedError, so a missing lowering is never mistaken for a missing feature)."""


# --- sub-Jaxprs and staged rules, for the lowerings of higher-order primitives -------------------


def _call(jaxpr, args) -> list:
    """Evaluate a sub-Jaxpr param (a ClosedJaxpr or an open Jaxpr) on JAX values."""
    if isinstance(jaxpr, ClosedJaxpr):
        return eval_jaxpr_jax(jaxpr.jaxpr, jaxpr.consts, args)
    return eval_jaxpr_jax(jaxpr, [], args)


def _stage_rule(rule, in_avals) -> ClosedJaxpr:
    """mini_ad's Jaxpr of ``rule`` (flat arrays in, flat arrays out) at ``in_avals``."""
    # Staged below the public API (make_jaxpr), so that jit's XLA backend
    # (control_flow -> interop.xla -> here) closes no import cycle through mini_ad.api.
    flat = lambda *args: tree_leaves(rule(*args))
    jaxpr, consts = trace_to_jaxpr(flat, list(in_avals), DebugInfo("jax lowering", rule))
    return ClosedJaxpr(jaxpr, consts)


def _zeros_like_jax(aval: ShapedArray):
    if aval.dtype.kind in "fc":
        return jnp.zeros(aval.shape, aval.dtype)
    return np.zeros(aval.shape, jax.dtypes.float0)


class Bridge:
    """What a card's ``lowering(lx, ...)`` sees as ``lx``: the JAX modules, and a way to
    run a sub-Jaxpr (``lx.call``) or stage a mini_ad rule (``lx.stage``) on JAX values."""

    jax = jax
    lax = lax
    jnp = jnp
    np = np

    @staticmethod
    def call(jaxpr, args) -> list:
        return _call(jaxpr, args)

    @staticmethod
    def stage(rule, in_avals) -> ClosedJaxpr:
        return _stage_rule(rule, in_avals)

    @staticmethod
    def zeros(aval: ShapedArray):
        """JAX's zero tangent for ``aval`` (float0 for ints and bools)."""
        return _zeros_like_jax(aval)

    @staticmethod
    def aval_of(x) -> ShapedArray:
        return mini_aval(x)


BRIDGE = Bridge()


def lowering_for(primitive):
    """``fn(*jax_values, **params)`` for ``primitive``; NoLoweringError if it has none."""
    if primitive.lowering is None:
        raise NoLoweringError(
            f"mini_ad primitive '{primitive.name}' has no JAX lowering: fill the "
            "'lowering' slot of its card."
        )
    return functools.partial(primitive.lowering, BRIDGE)


# --- the evaluator ---------------------------------------------------------------------------------


def _literal(x):
    return np.asarray(x.val, dtype=x.aval.dtype)


def eval_jaxpr_jax(jaxpr: Jaxpr, consts, args) -> list:
    """Run ``jaxpr`` on JAX values (arrays or tracers), one ``jax.lax`` operation per equation.

    The JAX twin of ``mini_ad.eval_jaxpr`` and the core of ``to_jax``. Every result is
    checked against the shape and dtype mini_ad gave its variable, so a lowering with the
    wrong meaning fails loudly here rather than as a numerical mismatch.

    Args:
      jaxpr: an open mini_ad ``Jaxpr`` (a ``ClosedJaxpr``'s ``.jaxpr``).
      consts: the values of ``jaxpr.constvars``, in order.
      args: the values of ``jaxpr.invars``, in order (JAX arrays or tracers).

    Returns:
      The list of the values of ``jaxpr.outvars``, as JAX arrays.

    Raises:
      NoLoweringError: a primitive has no JAX lowering.
      TypeError: a lowering's result has the wrong shape or dtype.

    Example:
      >>> import jax.numpy as jnp
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.interop import eval_jaxpr_jax
      >>> closed = ad.make_jaxpr(lambda x: mnp.sin(x) * 2.0)(1.0)
      >>> (out,) = eval_jaxpr_jax(closed.jaxpr, closed.consts, [jnp.asarray(0.5)])
      >>> print(round(float(out), 6))
      0.958851
    """
    env = {}

    def read(x):
        return env[id(x)] if type(x) is Var else _literal(x)

    for v, value in zip(jaxpr.constvars, consts, strict=True):
        env[id(v)] = value
    for v, value in zip(jaxpr.invars, args, strict=True):
        env[id(v)] = value
    for eqn in jaxpr.eqns:
        lowering = lowering_for(eqn.primitive)
        out = lowering(*[read(x) for x in eqn.inputs], **eqn.params)
        outs = list(out) if eqn.primitive.multiple_results else [out]
        if len(outs) != len(eqn.outputs):
            raise TypeError(
                f"the JAX lowering of '{eqn.primitive.name}' returned {len(outs)} values, "
                f"mini_ad expects {len(eqn.outputs)}"
            )
        for v, value in zip(eqn.outputs, outs, strict=True):
            _check_type(eqn.primitive.name, v.aval, value)
            env[id(v)] = value
    return [read(x) for x in jaxpr.outvars]


def _check_type(name: str, aval: ShapedArray, value) -> None:
    shape, dtype = tuple(jnp.shape(value)), jnp.result_type(value)
    if shape != aval.shape or dtype != aval.dtype:
        raise TypeError(
            f"the JAX lowering of '{name}' produced {dtype}{list(shape)} where mini_ad's "
            f"Jaxpr has {aval.str_short()}"
        )


# --- avals of JAX values ------------------------------------------------------------------------------------------


def mini_aval(x) -> ShapedArray:
    """The mini_ad aval of a JAX-side argument leaf (a Python scalar, array or tracer)."""
    if type(x) in (bool, int, float, complex):
        return ShapedArray((), np.result_type(type(x)) if type(x) is not int else np.int64, True)
    aval = jax.typeof(x)
    weak = bool(getattr(aval, "weak_type", False)) and not aval.shape
    return ShapedArray(aval.shape, aval.dtype, weak)


def example_value(aval: ShapedArray):
    """A value mini_ad traces with: a Python scalar for a weak scalar, else zeros."""
    if aval.weak_type and not aval.shape:
        return {"b": False, "i": 0, "u": 0, "f": 0.0, "c": 0j}[aval.dtype.kind]
    return np.zeros(aval.shape, aval.dtype)


__all__ = [
    "BRIDGE",
    "NoLoweringError",
    "eval_jaxpr_jax",
    "example_value",
    "lowering_for",
    "mini_aval",
]
