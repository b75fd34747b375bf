"""The lowering table: each mini_ad primitive as ``jax.lax`` operations, and an evaluator
of mini_ad Jaxprs on JAX values (arrays or tracers).

One entry per primitive in ``LOWERINGS``; a primitive without one raises
``NoLoweringError`` naming it. Higher-order primitives lower their sub-Jaxprs
recursively (``cond`` to ``lax.switch``, ``scan``, ``while``); ``custom_jvp_call`` and
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

from mini_ad import api
from mini_ad.core.avals import ShapedArray
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var

jax.config.update("jax_enable_x64", True)


class NoLoweringError(Exception):
    """A mini_ad primitive has no entry in ``LOWERINGS`` (deliberately not a
    NotImplementedError, so a missing lowering is never mistaken for a missing feature)."""


# --- the lowering table ------------------------------------------------------------------------
# Each entry: ``lowering(*jax_values, **mini_ad_params) -> jax value`` (a list for
# primitives with multiple results). mini_ad's param names follow lax's.


def _gather_index(shape, indices, axes):
    """mini_ad's gather semantics: wrap negative indices once, then clamp into bounds."""
    index = [slice(None)] * len(shape)
    for axis, idx in zip(axes, indices, strict=True):
        n = shape[axis]
        idx = jnp.where(idx < 0, idx + n, idx)
        index[axis] = jnp.clip(idx, 0, max(n - 1, 0))
    return tuple(index)


def _gather(x, *indices, axes):
    return jnp.asarray(x)[_gather_index(jnp.shape(x), indices, axes)]


def _scatter_add(x, updates, *indices, axes):
    return jnp.asarray(x).at[_gather_index(jnp.shape(x), indices, axes)].add(updates)


def _scatter(x, updates, *indices, axes):
    return jnp.asarray(x).at[_gather_index(jnp.shape(x), indices, axes)].set(updates)


def _dot_general(x, y, *, dimension_numbers, precision, preferred_element_type):
    return lax.dot_general(
        x,
        y,
        dimension_numbers,
        precision=lax.Precision.HIGHEST,
        preferred_element_type=preferred_element_type,
    )


def _argminmax(fn):
    return lambda x, *, axes, index_dtype: fn(x, axes[0], index_dtype)


def _reduce(fn):
    return lambda x, *, axes, **params: fn(x, axes)


# --- sub-Jaxprs and staged rules, for the lowerings of higher-order primitives -------------------


def _call(jaxpr, args) -> list:
    """Evaluate a sub-Jaxpr param (a ClosedJaxpr or an open Jaxpr) on JAX values."""
    if isinstance(jaxpr, ClosedJaxpr):
        return eval_jaxpr_jax(jaxpr.jaxpr, jaxpr.consts, args)
    return eval_jaxpr_jax(jaxpr, [], args)


def _stage_rule(rule, in_avals) -> ClosedJaxpr:
    """mini_ad's Jaxpr of ``rule`` (flat arrays in, flat arrays out) at ``in_avals``."""
    return api.make_jaxpr(rule)(*[example_value(a) for a in in_avals])


def _zeros_like_jax(aval: ShapedArray):
    if aval.dtype.kind in "fc":
        return jnp.zeros(aval.shape, aval.dtype)
    return np.zeros(aval.shape, jax.dtypes.float0)


# Lowerings of primitives whose cards do not yet carry their own ``lowering`` slot.
_PENDING = {
    # shapes
    "broadcast_in_dim": lambda x, *, shape, broadcast_dimensions, **_: lax.broadcast_in_dim(
        x, shape, broadcast_dimensions
    ),
    "reshape": lambda x, *, new_sizes, dimensions, **_: lax.reshape(x, new_sizes, dimensions),
    "transpose": lambda x, *, permutation: lax.transpose(x, permutation),
    "squeeze": lambda x, *, dimensions: lax.squeeze(x, dimensions),
    "concatenate": lambda *xs, dimension: lax.concatenate(xs, dimension),
    "pad": lambda x, value, *, padding_config: lax.pad(x, value, padding_config),
    "slice": lambda x, *, start_indices, limit_indices, strides: lax.slice(
        x, start_indices, limit_indices, strides
    ),
    "rev": lambda x, *, dimensions: lax.rev(x, dimensions),
    "iota": lambda *, dtype, shape, dimension, **_: lax.broadcasted_iota(dtype, shape, dimension),
    "dynamic_slice": lambda x, *starts, slice_sizes: lax.dynamic_slice(x, starts, slice_sizes),
    "dynamic_update_slice": lambda x, update, *starts: lax.dynamic_update_slice(x, update, starts),
    # indexing
    "gather": _gather, "scatter-add": _scatter_add, "scatter": _scatter,
    # reductions and products
    "reduce_sum": _reduce(lax.reduce_sum), "reduce_max": _reduce(lax.reduce_max),
    "reduce_min": _reduce(lax.reduce_min), "reduce_prod": _reduce(lax.reduce_prod),
    "argmax": _argminmax(lax.argmax), "argmin": _argminmax(lax.argmin),
    "cumsum": lambda x, *, axis, reverse: lax.cumsum(x, axis, reverse),
    "dot_general": _dot_general,
    # sorting and dense linear algebra (mini_ad/primitives/sorting.py, linalg_ops.py)
    "sort": lambda *xs, dimension, is_stable, num_keys: lax.sort(
        xs, dimension=dimension, is_stable=is_stable, num_keys=num_keys
    ),
    "solve": lambda a, b: jnp.linalg.solve(a, b),
    "det": lambda a: jnp.linalg.det(a),
    "slogdet": lambda a: list(jnp.linalg.slogdet(a)),
    "triangular_solve": lambda a, b, **params: lax.linalg.triangular_solve(a, b, **params),
    "cholesky": lambda a: lax.linalg.cholesky(a, symmetrize_input=False),
    "eigh": lambda a, *, lower, sort_eigenvalues: list(
        lax.linalg.eigh(a, lower=lower, symmetrize_input=False, sort_eigenvalues=sort_eigenvalues)
    ),
}  # fmt: skip


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
    if primitive.lowering is not None:
        return functools.partial(primitive.lowering, BRIDGE)
    lowering = _PENDING.get(primitive.name)
    if lowering is None:
        raise NoLoweringError(
            f"mini_ad primitive '{primitive.name}' has no JAX lowering: fill the "
            "'lowering' slot of its card."
        )
    return lowering


# --- the evaluator ---------------------------------------------------------------------------------


def _literal(x):
    return np.asarray(x.val, dtype=x.aval.dtype)


def eval_jaxpr_jax(jaxpr: Jaxpr, consts, args) -> list:
    """Run ``jaxpr`` on JAX values (arrays or tracers), one lax operation per equation.

    Every result is checked against the shape and dtype mini_ad gave its variable, so a
    lowering with the wrong meaning fails loudly here rather than as a numerical mismatch.
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
