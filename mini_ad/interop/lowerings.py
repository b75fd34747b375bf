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


# --- higher-order primitives: their sub-Jaxprs are lowered recursively ----------------------------


def _call(jaxpr, args) -> list:
    """Evaluate a sub-Jaxpr param (a ClosedJaxpr or an open Jaxpr) on JAX values."""
    if isinstance(jaxpr, ClosedJaxpr):
        return eval_jaxpr_jax(jaxpr.jaxpr, jaxpr.consts, args)
    return eval_jaxpr_jax(jaxpr, [], args)


def _sub_jaxpr(params, *names):
    for name in names:
        if isinstance(params.get(name), (ClosedJaxpr, Jaxpr)):
            return params[name]
    raise NoLoweringError(f"expected a sub-Jaxpr param named one of {names}, got {sorted(params)}")


def _cond(index, *operands, branches, **params):
    if jnp.result_type(index) == jnp.bool_:
        index = lax.convert_element_type(index, np.int32)
    fns = [functools.partial(lambda j, *ops: _call(j, ops), j) for j in branches]
    return list(lax.switch(index, fns, *operands))


def _scan(*args, num_consts, num_carry, length, reverse, **params):
    body = _sub_jaxpr(params, "jaxpr")
    consts, init, xs = (
        args[:num_consts],
        args[num_consts : num_consts + num_carry],
        args[num_consts + num_carry :],
    )

    def step(carry, x):
        outs = _call(body, [*consts, *carry, *x])
        return outs[:num_carry], outs[num_carry:]

    carry, ys = lax.scan(step, list(init), list(xs), length=length, reverse=reverse)
    return [*carry, *ys]


def _while(*args, cond_nconsts, body_nconsts, **params):
    cond_jaxpr = _sub_jaxpr(params, "cond_jaxpr")
    body_jaxpr = _sub_jaxpr(params, "body_jaxpr")
    cond_consts = args[:cond_nconsts]
    body_consts = args[cond_nconsts : cond_nconsts + body_nconsts]
    init = args[cond_nconsts + body_nconsts :]
    out = lax.while_loop(
        lambda carry: _call(cond_jaxpr, [*cond_consts, *carry])[0],
        lambda carry: _call(body_jaxpr, [*body_consts, *carry]),
        list(init),
    )
    return list(out)


def _inline_call(*args, **params):
    return _call(_sub_jaxpr(params, "jaxpr", "call_jaxpr"), args)


def _checkpoint(*args, prevent_cse=True, **params):
    body = _sub_jaxpr(params, "jaxpr", "call_jaxpr")
    return list(jax.checkpoint(lambda *xs: _call(body, xs), prevent_cse=prevent_cse)(*args))


# --- custom rules: the user's mini_ad rule is staged to a Jaxpr and lowered in turn ------------


def _stage_rule(rule, in_avals) -> ClosedJaxpr:
    """mini_ad's Jaxpr of ``rule`` (flat arrays in, flat arrays out) at ``in_avals``."""
    return api.make_jaxpr(rule)(*[example_value(a) for a in in_avals])


def _zeros_like_jax(aval: ShapedArray):
    if aval.dtype.kind in "fc":
        return jnp.zeros(aval.shape, aval.dtype)
    return np.zeros(aval.shape, jax.dtypes.float0)


def _custom_jvp_call(*args, call_jaxpr, jvp, num_consts, **params):
    """``jax.custom_jvp`` whose rule is mini_ad's rule, staged at the primals' avals."""
    in_avals = call_jaxpr.in_avals[num_consts:]
    out_avals = call_jaxpr.out_avals
    t_avals = [a.strip_weak_type() for a in in_avals]
    n_in, n_out = len(in_avals), len(out_avals)

    def rule(*primals_and_tangents):
        p_out, t_out = jvp(list(primals_and_tangents[:n_in]), list(primals_and_tangents[n_in:]))
        t_out = [
            np.zeros(a.shape, a.dtype) if t is None else t
            for t, a in zip(t_out, out_avals, strict=True)
        ]
        return list(p_out) + t_out

    @jax.custom_jvp
    def f(*xs):
        return _call(call_jaxpr, xs)

    @f.defjvp
    def f_jvp(primals, tangents):
        staged = _stage_rule(rule, list(in_avals) + t_avals)
        outs = eval_jaxpr_jax(
            staged.jaxpr, staged.consts, [*primals[num_consts:], *tangents[num_consts:]]
        )
        t_out = [
            t if a.dtype.kind in "fc" else _zeros_like_jax(a)
            for t, a in zip(outs[n_out:], out_avals, strict=True)
        ]
        return outs[:n_out], t_out

    return f(*args)


def _custom_vjp_call(*args, call_jaxpr, fwd, bwd, num_consts, **params):
    """``jax.custom_vjp`` with mini_ad's fwd and bwd, each staged and lowered.

    Closed-over values (the first ``num_consts`` operands) get zero cotangents: mini_ad
    forbids differentiating them.
    """
    in_avals = call_jaxpr.in_avals[num_consts:]
    out_avals = call_jaxpr.out_avals
    n_out = len(out_avals)
    consts = args[:num_consts]

    @jax.custom_vjp
    def f(*xs):
        return _call(call_jaxpr, [*consts, *xs])

    def f_fwd(*xs):
        staged = _stage_rule(lambda *p: sum(map(list, fwd(list(p))), []), in_avals)
        outs = eval_jaxpr_jax(staged.jaxpr, staged.consts, xs)
        return outs[:n_out], outs[n_out:]

    def f_bwd(res, cts):
        res_avals = [mini_aval(r) for r in res]
        ct_avals = [a.strip_weak_type() for a in out_avals]

        def rule(*res_and_cts):
            cts_in = bwd(list(res_and_cts[: len(res)]), list(res_and_cts[len(res) :]))
            return [
                np.zeros(a.shape, a.dtype) if c is None else c
                for c, a in zip(cts_in, in_avals, strict=True)
            ]

        staged = _stage_rule(rule, res_avals + ct_avals)
        return tuple(eval_jaxpr_jax(staged.jaxpr, staged.consts, [*res, *cts]))

    f.defvjp(f_fwd, f_bwd)
    return f(*args[num_consts:])


def _custom_lin(*args, **params):
    # mini_ad's custom_lin is only ever transposed; evaluating it forward is an error there too
    raise TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.")


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
    # higher-order primitives
    "cond": _cond, "scan": _scan, "while": _while,
    "jit": _inline_call, "pjit": _inline_call, "closed_call": _inline_call,
    "checkpoint": _checkpoint, "remat": _checkpoint, "remat2": _checkpoint,
    "custom_jvp_call": _custom_jvp_call, "custom_vjp_call": _custom_vjp_call,
    "custom_lin": _custom_lin,
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
