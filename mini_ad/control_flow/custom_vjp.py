"""``custom_vjp``: a function that brings its own vjp (``fwd`` and ``bwd``).

``custom_vjp_call`` holds the function and the user's ``fwd``/``bwd``. Its jvp rule
runs ``fwd`` on the primals and binds ``custom_lin`` on the tangents: a linear
primitive whose transpose calls ``bwd`` with the residuals. Under ``linearize`` /
``grad`` the ``custom_lin`` is staged into the linear Jaxpr and then transposed, so
``bwd`` runs in the backward pass; under plain ``jvp`` it is evaluated, which raises
(forward mode is not defined by a vjp), exactly as in JAX.
"""

from __future__ import annotations

import functools

import numpy as np

from mini_ad.control_flow.common import (
    batch_jaxpr,
    check_no_closed_over_tangents,
    instantiate_zeros,
    move_to_front,
    vmap_to_front,
)
from mini_ad.control_flow.custom_jvp import Rule, SplitArgs, as_array_of, resolve_args, trace_call
from mini_ad.core.avals import is_inexact
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import current_trace, eval_trace
from mini_ad.primitives import reductions as red
from mini_ad.transforms import compile as compile_
from mini_ad.transforms.jet import jet_flat
from mini_ad.transforms.partial_eval import tangent_aval
from mini_ad.transforms.staging import aval_of
from mini_ad.transforms.transpose import is_undefined
from mini_ad.tree_util import tree_flatten, tree_structure, tree_unflatten

custom_vjp_call_p = Primitive("custom_vjp_call", multiple_results=True)
custom_lin_p = Primitive("custom_lin", multiple_results=True)
custom_vjp_call_p.inline_param = "call_jaxpr"  # jit inlines the primal body

# --- custom_vjp -------------------------------------------------------------------------------


class custom_vjp:  # noqa: N801 - JAX's name
    """A function with a custom vjp, set with ``defvjp(fwd, bwd)``.

    ``fwd(*args) -> (out, residuals)``; ``bwd(*nondiff_args, residuals, ct_out)``
    returns a tuple with one cotangent per differentiable argument (None: zero).

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> @custom_vjp
    ... def f(x):
    ...     return mnp.sin(x)
    >>> f.defvjp(lambda x: (f(x), mnp.cos(x)), lambda cos_x, g: (2.0 * cos_x * g,))
    >>> ad.grad(f)(0.0)
    array(2.)
    """

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = None
        self.bwd = None
        self.symbolic_zeros = False

    def defvjp(self, fwd, bwd, symbolic_zeros: bool = False):
        self.fwd = fwd
        self.bwd = bwd
        self.symbolic_zeros = symbolic_zeros

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        if self.fwd is None or self.bwd is None:
            raise AttributeError(
                f"No VJP defined for custom_vjp function {self.__name__} using defvjp."
            )
        args = resolve_args(self.fun, args, kwargs)
        if current_trace() is eval_trace:
            return self.fun(*args)
        split = SplitArgs(args, self.nondiff_argnums)
        leaves, in_tree, closed, consts, out_tree = trace_call(self.fun, split, "custom_vjp")
        in_avals = closed.in_avals[len(consts) :]
        res_tree = {}

        def run_fwd(primals):
            out = self.fwd(*split.merge(tree_unflatten(in_tree, primals)))
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError(
                    "Custom VJP fwd rule must produce a pair (list or tuple of length two) where "
                    "the first element represents the primal output (equal to the output of the "
                    f"custom_vjp-decorated function {self.__name__}) and the second element "
                    f"represents residuals, but got {out!r}."
                )
            outs, res = out
            outs_flat, fwd_tree = tree_flatten(outs)
            if fwd_tree != out_tree:
                raise TypeError(
                    f"Custom VJP fwd rule of {self.__name__} must produce a primal output with "
                    f"the structure of the function's output, {out_tree}, but got {fwd_tree}."
                )
            res_flat, res_tree["res"] = tree_flatten(res)
            return outs_flat, res_flat

        def run_bwd(res, cts):
            cts_tree = tree_unflatten(out_tree, cts)
            out = self.bwd(*split.nondiff_values(), tree_unflatten(res_tree["res"], res), cts_tree)
            return _flatten_bwd_output(out, in_tree, in_avals, self.__name__)

        outs = custom_vjp_call_p.bind(
            *consts, *leaves, call_jaxpr=closed, fwd=Rule(self.fwd, run_fwd),
            bwd=Rule(self.bwd, run_bwd), num_consts=len(consts),
            symbolic_zeros=self.symbolic_zeros, name=self.__name__,
        )  # fmt: skip
        return tree_unflatten(out_tree, outs)


def _flatten_bwd_output(out, in_tree, in_avals, name):
    """bwd's tuple -> one cotangent per input leaf (None where bwd gave None)."""
    n_args = len(in_tree.children())
    if not isinstance(out, (tuple, list)) or len(out) != n_args:
        structure = tree_structure(out, is_leaf=lambda x: x is None)
        raise TypeError(
            "Custom VJP bwd rule must produce an output with the same container (pytree) "
            "structure as the args tuple of the primal function, and in particular must "
            "produce a tuple of length equal to the number of arguments to the primal "
            f"function, but got bwd output structure {structure} for primal input structure "
            f"{in_tree} (in custom_vjp function {name})."
        )
    flat = []
    for arg_tree, ct in zip(in_tree.children(), out, strict=True):
        if ct is None:
            flat.extend([None] * arg_tree.num_leaves)
            continue
        leaves, tree = tree_flatten(ct, is_leaf=lambda x: x is None)
        if tree != arg_tree and not (arg_tree.num_leaves == len(leaves) == 1):
            raise TypeError(
                f"Custom VJP bwd rule of {name} produced a cotangent of structure {tree} for "
                f"an argument of structure {arg_tree}."
            )
        flat.extend(leaves)
    checked = []
    for ct, aval in zip(flat, in_avals, strict=True):
        if ct is None or not is_inexact(aval.dtype):
            checked.append(None)
            continue
        ct_aval = aval_of(ct)
        if ct_aval.shape != aval.shape:
            raise ValueError(
                "Custom VJP bwd rule must produce an output with the same type as the args "
                f"tuple of the primal function, but it produced {ct_aval.str_short()} for an "
                f"input of type {aval.str_short()} (in custom_vjp function {name})."
            )
        checked.append(as_array_of(ct, aval.dtype))
    return checked


def _custom_vjp_call_impl(*args, call_jaxpr, fwd, bwd, num_consts, symbolic_zeros, name):
    return compile_.compile_jaxpr(call_jaxpr)(*args)


def _custom_vjp_call_jvp(
    primals, tangents, *, call_jaxpr, fwd, bwd, num_consts, symbolic_zeros, name
):
    check_no_closed_over_tangents(tangents, num_consts, "custom_vjp")
    in_avals = call_jaxpr.in_avals[num_consts:]
    outs, res = fwd(list(primals[num_consts:]))
    tangents = instantiate_zeros(list(tangents[num_consts:]), in_avals)
    out_avals = [tangent_aval(a) for a in call_jaxpr.out_avals]
    tangents_out = custom_lin_p.bind(
        *res, *tangents, num_res=len(res), bwd=bwd, out_avals=tuple(out_avals),
        symbolic_zeros=symbolic_zeros,
    )  # fmt: skip
    return outs, [
        t if is_inexact(a.dtype) else None for t, a in zip(tangents_out, out_avals, strict=True)
    ]


def _custom_vjp_call_batch(
    axis_size, vals, dims, *, call_jaxpr, fwd, bwd, num_consts, symbolic_zeros, name
):
    batched = [d is not None for d in dims]
    vals = [
        x if d is None else move_to_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)
    ]
    body, _ = batch_jaxpr(call_jaxpr, axis_size, batched, True)
    arg_dims = [0 if b else None for b in batched[num_consts:]]
    n_out = len(call_jaxpr.out_avals)
    arg_avals = call_jaxpr.in_avals[num_consts:]

    def batched_fwd(primals):
        outs = vmap_to_front(
            lambda *a: sum(map(list, fwd(list(a))), []), list(primals), arg_dims, axis_size
        )
        return outs[:n_out], outs[n_out:]

    def batched_bwd(res, cts):
        n = len(res)
        cts_in = vmap_to_front(
            lambda *a: instantiate_zeros(bwd(list(a[:n]), list(a[n:])), arg_avals),
            list(res) + list(cts), [0] * (n + len(cts)), axis_size,
        )  # fmt: skip
        # an unbatched input was broadcast over the batch: its cotangent is the sum
        return [
            c if d == 0 else red.reduce_sum(c, (0,)) for c, d in zip(cts_in, arg_dims, strict=True)
        ]

    outs = custom_vjp_call_p.bind(
        *vals, call_jaxpr=body, fwd=Rule(fwd.fn, batched_fwd), bwd=Rule(bwd.fn, batched_bwd),
        num_consts=num_consts, symbolic_zeros=symbolic_zeros, name=name,
    )  # fmt: skip
    return outs, [0] * len(outs)


custom_vjp_call_p.impl = _custom_vjp_call_impl
custom_vjp_call_p.abstract_eval = lambda *a, call_jaxpr, **params: call_jaxpr.out_avals
custom_vjp_call_p.jvp = _custom_vjp_call_jvp
custom_vjp_call_p.batch = _custom_vjp_call_batch
custom_vjp_call_p.print_params = lambda p: {k: v for k, v in p.items() if k != "num_consts"}

# --- custom_lin: the linear stand-in for a custom_vjp's tangent map ---------------------------


def _custom_lin_impl(*args, num_res, bwd, out_avals, symbolic_zeros):
    raise TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.")


def _custom_lin_transpose(cts, *args, num_res, bwd, out_avals, symbolic_zeros):
    res = list(args[:num_res])
    if any(is_undefined(r) for r in res):
        raise ValueError("custom_lin: residuals must be known in the backward pass.")
    cts = instantiate_zeros(list(cts), list(out_avals))
    return [None] * num_res + list(bwd(res, cts))


custom_lin_p.impl = _custom_lin_impl
custom_lin_p.abstract_eval = lambda *avals, num_res, bwd, out_avals, symbolic_zeros: list(out_avals)
custom_lin_p.transpose = _custom_lin_transpose
custom_lin_p.opt_out("jvp", "it appears only in linear programs, which are transposed")
# batched only when a linearized custom_vjp is run forward (jacfwd's vmap): same error
custom_lin_p.batch = lambda axis_size, vals, dims, **params: _custom_lin_impl(*vals, **params)
custom_lin_p.lowering = lambda lx, *args, **params: _custom_lin_impl(*args, **params)
custom_vjp_call_p.opt_out("transpose", "reverse mode transposes custom_lin, which holds bwd")


def _custom_vjp_call_lowering(lx, *args, call_jaxpr, fwd, bwd, num_consts, **params):
    """``jax.custom_vjp`` with the user's fwd and bwd, each staged and lowered. Closed-over
    values (the first ``num_consts`` operands) get zero cotangents: mini_ad forbids
    differentiating them."""
    in_avals = call_jaxpr.in_avals[num_consts:]
    out_avals = call_jaxpr.out_avals
    n_out = len(out_avals)
    consts = args[:num_consts]

    @lx.jax.custom_vjp
    def f(*xs):
        return lx.call(call_jaxpr, [*consts, *xs])

    def f_fwd(*xs):
        staged = lx.stage(lambda *p: sum(map(list, fwd(list(p))), []), in_avals)
        outs = lx.call(staged, xs)
        return outs[:n_out], outs[n_out:]

    def f_bwd(res, cts):
        res_avals = [lx.aval_of(r) for r in res]
        ct_avals = [a.strip_weak_type() for a in out_avals]

        def rule(*res_and_cts):
            cts_in = bwd(list(res_and_cts[: len(res)]), list(res_and_cts[len(res) :]))
            return [
                np.zeros(a.shape, a.dtype) if c is None else c
                for c, a in zip(cts_in, in_avals, strict=True)
            ]

        staged = lx.stage(rule, res_avals + ct_avals)
        return tuple(lx.call(staged, [*res, *cts]))

    f.defvjp(f_fwd, f_bwd)
    return f(*args[num_consts:])


custom_vjp_call_p.lowering = _custom_vjp_call_lowering

__all__ = ["custom_lin_p", "custom_vjp", "custom_vjp_call_p"]


# Taylor mode: through the primal body (the custom rule gives first derivatives only)
def _custom_vjp_call_jet(primals, series, *, call_jaxpr, **params):
    return jet_flat(
        lambda *xs: eval_jaxpr(call_jaxpr.jaxpr, call_jaxpr.consts, xs),
        primals, series, len(series[0]),
    )  # fmt: skip


custom_vjp_call_p.jet = _custom_vjp_call_jet
custom_lin_p.opt_out("jet", "appears only in linearized programs, never under a jet trace")
