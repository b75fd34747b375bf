"""``custom_jvp``: a function that brings its own jvp rule.

``custom_jvp_call`` (JAX's name) holds the function's Jaxpr and the user's jvp rule.
Evaluated, staged or batched, it is the function; under a JVP trace its jvp rule
runs the user's rule instead of differentiating the Jaxpr (under ``linearize`` the
rule's tangent computation is what gets staged and transposed). Closed-over values
are explicit leading operands (``num_consts``) and may not be differentiated.

The helpers shared with ``custom_vjp`` (argument splitting, rule params) live here.
"""

from __future__ import annotations

import functools
import inspect

import numpy as np

from mini_ad.control_flow.common import (
    batch_jaxpr,
    check_no_closed_over_tangents,
    check_valid_args,
    debug_info,
    filter_mask,
    flatten_fun,
    instantiate_zeros,
    merge_by_mask,
    move_to_front,
    trace_hoisted,
    vmap_to_front,
)
from mini_ad.core.avals import float0, is_inexact
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import Tracer, current_trace, eval_trace
from mini_ad.primitives import elementwise as ew
from mini_ad.transforms import compile as compile_
from mini_ad.transforms.jet import jet_flat
from mini_ad.transforms.partial_eval import tangent_aval
from mini_ad.transforms.staging import aval_of
from mini_ad.tree_util import tree_flatten, tree_map, tree_unflatten

custom_jvp_call_p = Primitive("custom_jvp_call", multiple_results=True)
custom_jvp_call_p.inline_param = "call_jaxpr"  # jit inlines the primal body


def resolve_args(fun, args, kwargs):
    """Keyword arguments bound to positions (custom rules see positional arguments)."""
    if not kwargs:
        return tuple(args)
    try:
        bound = inspect.signature(fun).bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"custom derivative function {fun.__name__}: {e}") from None
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError("keyword-only arguments are not supported by custom_jvp/custom_vjp.")
    return bound.args


class SplitArgs:
    """The arguments of one call split into static ``nondiff`` ones and the rest."""

    def __init__(self, args, nondiff_argnums):
        n = len(args)
        self.nondiff = {i % n: args[i % n] for i in nondiff_argnums if -n <= i < n}
        self.diff = tuple(a for i, a in enumerate(args) if i not in self.nondiff)
        self.n = n

    def merge(self, diff):
        diff = iter(diff)
        return [self.nondiff[i] if i in self.nondiff else next(diff) for i in range(self.n)]

    def nondiff_values(self):
        return [self.nondiff[i] for i in sorted(self.nondiff)]


class Rule:
    """A user rule as a primitive param: hashable by identity, printed by its name."""

    def __init__(self, fn, call):
        self.fn = fn
        self.call = call

    def __call__(self, *args):
        return self.call(*args)

    def __repr__(self):
        return getattr(self.fn, "__name__", repr(self.fn))


def trace_call(fun, split, transform):
    leaves, in_tree = tree_flatten(split.diff)
    avals = check_valid_args(leaves, transform)
    flat, store = flatten_fun(lambda *diff: fun(*split.merge(diff)), in_tree)
    closed, consts = trace_hoisted(flat, avals, debug_info(transform, fun, len(avals)))
    return leaves, in_tree, closed, consts, store["out"]


def as_array_of(x, dtype):
    """A rule's output as an array of ``dtype`` (user rules may return scalars)."""
    if isinstance(x, Tracer):
        return x if x.aval.dtype == dtype else ew.convert_element_type(x, dtype)
    return np.asarray(x, dtype)


def _zero_tangent(aval):
    t = tangent_aval(aval)
    return np.zeros(t.shape, t.dtype)


# --- custom_jvp -------------------------------------------------------------------------------


class custom_jvp:  # noqa: N801 - JAX's name
    """A function with a custom jvp rule, set with ``defjvp`` or ``defjvps``.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> @custom_jvp
    ... def f(x):
    ...     return mnp.sin(x)
    >>> @f.defjvp
    ... def f_jvp(primals, tangents):
    ...     (x,), (t,) = primals, tangents
    ...     return f(x), 2.0 * t
    >>> ad.grad(f)(0.0)
    array(2.)
    """

    def __init__(self, fun, nondiff_argnums=()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp = None
        self.symbolic_zeros = False

    def defjvp(self, jvp, symbolic_zeros: bool = False):
        """``jvp(*nondiff_args, primals, tangents) -> (primal_out, tangent_out)``."""
        self.jvp = jvp
        self.symbolic_zeros = symbolic_zeros
        return jvp

    def defjvps(self, *jvps):
        """One rule per argument: ``jvps[i](t_i, ans, *primals)`` is its contribution."""
        if self.nondiff_argnums:
            raise TypeError("Can't use defjvps with nondiff_argnums.")

        def jvp(primals, tangents):
            ans = self(*primals)
            total = None
            for rule, t in zip(jvps, tangents, strict=True):
                if rule is None:
                    continue
                term = rule(t, ans, *primals)
                total = term if total is None else tree_map(lambda a, b: a + b, total, term)
            return ans, tree_map(lambda a: a * 0.0, ans) if total is None else total

        jvp.__name__ = "jvp"
        self.defjvp(jvp)

    def __get__(self, obj, objtype=None):
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        if self.jvp is None:
            raise AttributeError(
                f"No JVP defined for custom_jvp function {self.__name__} using defjvp."
            )
        args = resolve_args(self.fun, args, kwargs)
        if current_trace() is eval_trace:
            return self.fun(*args)
        split = SplitArgs(args, self.nondiff_argnums)
        leaves, in_tree, closed, consts, out_tree = trace_call(self.fun, split, "custom_jvp")
        in_avals = closed.in_avals[len(consts) :]
        out_avals = closed.out_avals

        def run_rule(primals, tangents):
            tangents = [
                _zero_tangent(a) if t is None else t
                for t, a in zip(tangents, in_avals, strict=True)
            ]
            out = self.jvp(
                *split.nondiff_values(),
                tree_unflatten(in_tree, primals),
                tree_unflatten(in_tree, tangents),
            )
            return _check_jvp_output(out, out_tree, out_avals)

        rule = Rule(self.jvp, run_rule)
        outs = custom_jvp_call_p.bind(
            *consts, *leaves, call_jaxpr=closed, jvp=rule, num_consts=len(consts),
            symbolic_zeros=self.symbolic_zeros, name=self.__name__,
        )  # fmt: skip
        return tree_unflatten(out_tree, outs)


def _check_jvp_output(out, out_tree, out_avals):
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(
            "Custom JVP rule must produce a pair (list or tuple of length two) representing "
            f"primal and tangent outputs, but got {out!r}."
        )
    primals, tangents = out
    p_flat, p_tree = tree_flatten(primals)
    t_flat, t_tree = tree_flatten(tangents)
    if p_tree != t_tree:
        raise TypeError(
            "Custom JVP rule must produce primal and tangent outputs with equal container "
            f"(pytree) structures, but got {p_tree} and {t_tree} respectively."
        )
    if p_tree != out_tree:
        raise TypeError(
            "Custom JVP rule must produce primal outputs with the same container (pytree) "
            f"structure as the custom_jvp-decorated function, but got {p_tree} and {out_tree}."
        )
    checked = []
    p_flat = [as_array_of(p, a.dtype) for p, a in zip(p_flat, out_avals, strict=True)]
    for _p, t, a in zip(p_flat, t_flat, out_avals, strict=True):
        expected = tangent_aval(a)
        t_aval = aval_of(t)
        if t_aval.shape != expected.shape or (
            t_aval.dtype != expected.dtype and not t_aval.weak_type
        ):
            raise TypeError(
                "Custom JVP rule must produce primal and tangent outputs with corresponding "
                f"shapes and dtypes. Expected {expected.str_short()} (tangent type of "
                f"{a.str_short()}) but got {t_aval.str_short()}."
            )
        checked.append(None if expected.dtype == float0 else as_array_of(t, expected.dtype))
    return p_flat, checked


def _custom_jvp_call_impl(*args, call_jaxpr, jvp, num_consts, symbolic_zeros, name):
    return compile_.compile_jaxpr(call_jaxpr)(*args)


def _custom_jvp_call_jvp(primals, tangents, *, call_jaxpr, jvp, num_consts, symbolic_zeros, name):
    check_no_closed_over_tangents(tangents, num_consts, "custom_jvp")
    return jvp(list(primals[num_consts:]), list(tangents[num_consts:]))


def _custom_jvp_call_batch(
    axis_size, vals, dims, *, call_jaxpr, jvp, num_consts, symbolic_zeros, name
):
    batched = [d is not None for d in dims]
    vals = [
        x if d is None else move_to_front(x, d, axis_size) for x, d in zip(vals, dims, strict=True)
    ]
    body, _ = batch_jaxpr(call_jaxpr, axis_size, batched, True)
    arg_dims = [0 if b else None for b in batched[num_consts:]]
    out_avals = call_jaxpr.out_avals
    has_tangent = [is_inexact(a.dtype) for a in out_avals]

    def batched_rule(primals, tangents):
        # the original rule, vmapped; every output (and tangent) is batched at axis 0
        n = len(primals)

        def flat(*a):
            p_out, t_out = jvp(list(a[:n]), list(a[n:]))
            t_out = [t for t, h in zip(t_out, has_tangent, strict=True) if h]
            return list(p_out) + instantiate_zeros(t_out, filter_mask(out_avals, has_tangent))

        tangents = instantiate_zeros(list(tangents), [aval_of(p) for p in primals])
        outs = vmap_to_front(flat, list(primals) + tangents, arg_dims + arg_dims, axis_size)
        t_out = outs[len(out_avals) :]
        return outs[: len(out_avals)], merge_by_mask(
            has_tangent, t_out, [None] * has_tangent.count(False)
        )

    rule = Rule(jvp.fn, batched_rule)
    outs = custom_jvp_call_p.bind(
        *vals, call_jaxpr=body, jvp=rule, num_consts=num_consts,
        symbolic_zeros=symbolic_zeros, name=name,
    )  # fmt: skip
    return outs, [0] * len(outs)


custom_jvp_call_p.impl = _custom_jvp_call_impl
custom_jvp_call_p.abstract_eval = lambda *a, call_jaxpr, **params: call_jaxpr.out_avals
custom_jvp_call_p.jvp = _custom_jvp_call_jvp
custom_jvp_call_p.batch = _custom_jvp_call_batch
custom_jvp_call_p.print_params = lambda p: {k: v for k, v in p.items() if k != "num_consts"}
custom_jvp_call_p.opt_out("transpose", "nonlinear: its jvp rule stages the linear equations")


def _custom_jvp_call_lowering(lx, *args, call_jaxpr, jvp, num_consts, **params):
    """``jax.custom_jvp`` whose rule is the user's mini_ad rule, staged at the primals'
    avals and lowered in turn."""
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

    @lx.jax.custom_jvp
    def f(*xs):
        return lx.call(call_jaxpr, xs)

    @f.defjvp
    def f_jvp(primals, tangents):
        staged = lx.stage(rule, list(in_avals) + t_avals)
        outs = lx.call(staged, [*primals[num_consts:], *tangents[num_consts:]])
        t_out = [
            t if a.dtype.kind in "fc" else lx.zeros(a)
            for t, a in zip(outs[n_out:], out_avals, strict=True)
        ]
        return outs[:n_out], t_out

    return f(*args)


custom_jvp_call_p.lowering = _custom_jvp_call_lowering

__all__ = ["custom_jvp", "custom_jvp_call_p"]


# Taylor mode: through the primal body (the custom rule gives first derivatives only)
def _custom_jvp_call_jet(primals, series, *, call_jaxpr, **params):
    return jet_flat(
        lambda *xs: eval_jaxpr(call_jaxpr.jaxpr, call_jaxpr.consts, xs),
        primals, series, len(series[0]),
    )  # fmt: skip


custom_jvp_call_p.jet = _custom_jvp_call_jet
