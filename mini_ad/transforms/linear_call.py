"""``linear_call``: one primitive's derived linear rule, applied as one equation.

``linearize`` at concrete inputs (``transforms/linearize.py``) stages, for each
differentiated primitive, a single equation of this primitive into the linear program
instead of the handful of linear equations the primitive's ``jvp`` rule would stage:

    outs = linear_call[name=sin, jaxpr={ lambda ; r t. let o = mul t r in (o,) }] r t

Its inputs are the *residuals* (known values: constvars of the linear program) and the
input tangents; ``jaxpr`` maps them to the output tangents and is linear in the tangents.
``rule`` (a ``LinearRule`` of ``transforms/linear_rule.py``, shared by every equation of
one primitive signature) caches what the rules below derive from ``jaxpr``, so each is
derived once per signature:

    impl      : the compiled ``jaxpr`` (``linearize``'s jvp function at concrete values)
    transpose : the compiled transpose of ``jaxpr`` (``backward_pass`` staged once per
                set of nonzero output cotangents): one call per primitive in ``grad``
                (``backward_pass`` calls it directly when evaluating).
                Under another transform the same transposed Jaxpr is interpreted with
                ``bind``, so the transform records it.
    jvp, batch, jet: ``jaxpr`` interpreted under ``jvp`` / ``vmap`` / ``jet`` (inlined);
                when evaluating, ``batch`` runs the batched ``jaxpr`` staged once per
                signature and compiled
    lowering  : ``lx.call`` of ``jaxpr``; jit inlines it (``inline_param``)

Compiled code computes what eager evaluation computes, bit for bit, so the compiled
and interpreted paths agree exactly.
"""

from __future__ import annotations

import weakref

import numpy as np

from mini_ad.core.ad_util import is_undefined
from mini_ad.core.jaxpr import ClosedJaxpr, eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import Tracer, current_trace, eval_trace
from mini_ad.transforms.batching import vmap_flat
from mini_ad.transforms.compile import compile_jaxpr
from mini_ad.transforms.jet import jet_flat
from mini_ad.transforms.jvp import jvp_flat
from mini_ad.transforms.staging import trace_to_jaxpr

linear_call_p = Primitive("linear_call", multiple_results=True)
linear_call_p.inline_param = "jaxpr"  # jit inlines the linear body


def _linear_call_impl(*args, jaxpr, name, rule):
    return compile_jaxpr(jaxpr)(*args)


def _linear_call_abstract_eval(*in_avals, jaxpr, name, rule):
    return jaxpr.out_avals


def _linear_call_transpose(cts, *args, jaxpr, name, rule):
    n_res = rule.n_res
    residuals = args[:n_res]
    if any(is_undefined(x) for x in residuals) or not all(is_undefined(x) for x in args[n_res:]):
        raise NotImplementedError(
            "linear_call is transposed with respect to its tangent inputs only (got "
            f"{['linear' if is_undefined(x) else 'known' for x in args]})."
        )
    nonzero = tuple(ct is not None for ct in cts)
    rule.refresh()
    closed, compiled, targets = rule.transposed(nonzero)
    present = [ct for ct in cts if ct is not None]
    if current_trace() is eval_trace and not any(isinstance(ct, Tracer) for ct in present):
        outs = compiled(*residuals, *present)
    else:  # under another transform: interpret, so that it records the backward pass
        outs = eval_jaxpr(closed.jaxpr, closed.consts, [*residuals, *present])
    cts_in = [None] * len(args)
    for i, ct in zip(targets, outs, strict=True):
        cts_in[n_res + i] = ct
    return cts_in


def _linear_call_jvp(primals, tangents, *, jaxpr, name, rule):
    return jvp_flat(lambda *xs: eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, xs), primals, tangents)


def _linear_call_batch(axis_size, args, dims, *, jaxpr, name, rule):
    n_out = len(jaxpr.out_avals)
    if current_trace() is eval_trace and not any(isinstance(x, Tracer) for x in args):
        # evaluating (jacfwd, vmap of a jvp function): the batched body, staged once per
        # signature and compiled, instead of interpreting the body under a fresh vmap
        front = [x if not d else np.moveaxis(x, d, 0) for x, d in zip(args, dims, strict=True)]
        batched = _batched_body(jaxpr, axis_size, tuple(d is not None for d in dims))
        return compile_jaxpr(batched)(*front), [0] * n_out
    outs = vmap_flat(
        lambda *xs: eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, xs), args, dims, [0] * n_out, axis_size
    )
    return outs, [0] * n_out


_BATCHED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # body -> {key: batched}


def _batched_body(jaxpr: ClosedJaxpr, axis_size: int, batched: tuple) -> ClosedJaxpr:
    """``jaxpr`` mapped over a leading axis of the inputs marked ``batched``, every output
    batched along its leading axis: what the interpreted path computes, as one program."""
    per_body = _BATCHED.get(jaxpr)
    if per_body is None:
        per_body = _BATCHED.setdefault(jaxpr, {})
    key = (axis_size, batched)
    body = per_body.get(key)
    if body is None:
        in_avals = [
            a.update(shape=(axis_size, *a.shape)) if b else a
            for a, b in zip(jaxpr.in_avals, batched, strict=True)
        ]
        n_out = len(jaxpr.out_avals)
        front = [0 if b else None for b in batched]

        def mapped(*xs):
            fn = lambda *ys: eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, ys)  # noqa: E731
            return vmap_flat(fn, xs, front, [0] * n_out, axis_size)

        staged, consts = trace_to_jaxpr(mapped, in_avals)
        if len(per_body) >= 64:  # bounded: many batch sizes of one body start afresh
            per_body.clear()
        body = per_body[key] = ClosedJaxpr(staged, consts)
    return body


def _linear_call_lowering(lx, *args, jaxpr, name, rule):
    return list(lx.call(jaxpr, args))


linear_call_p.impl = _linear_call_impl
linear_call_p.abstract_eval = _linear_call_abstract_eval
linear_call_p.jvp = _linear_call_jvp
linear_call_p.transpose = _linear_call_transpose
linear_call_p.batch = _linear_call_batch
linear_call_p.lowering = _linear_call_lowering


def _linear_call_jet(primals, series, *, jaxpr, name, rule):
    # its body, interpreted under the enclosing jet trace (as under jvp and vmap)
    body = lambda *xs: eval_jaxpr(jaxpr.jaxpr, jaxpr.consts, xs)  # noqa: E731
    return jet_flat(body, primals, series, len(next(s for s in series if s is not None)))


linear_call_p.jet = _linear_call_jet
linear_call_p.print_params = lambda params: {"name": params["name"], "jaxpr": params["jaxpr"]}
