"""Linearize: ``linearize : (a -> b) -> a -> (b, T a -o T b)``.

``linearize = jvp + partial evaluation``. The function runs under a JVP trace
whose tangents are unknowns of a partial-evaluation ``StagingTrace``: everything
that depends only on primals is *known* and computed right away on the enclosing
trace (so Python ``if`` on values works), while the tangent computation — linear
in the input tangents — is staged into a Jaxpr. Its constvars are the residuals
(primal values the tangent program needs). ``vjp`` transposes that Jaxpr.

At concrete inputs (the enclosing trace evaluates) the jvp trace is a
``LinearizeTrace`` (``transforms/linearize.py``): each primitive's jvp rule is derived
once per signature into a compiled forward and one ``linear_call`` equation, which
gives the same values, bit for bit, at a fraction of the cost.
"""

from __future__ import annotations

from mini_ad.core.avals import is_inexact
from mini_ad.core.jaxpr import Jaxpr
from mini_ad.core.tracing import current_trace, eval_trace, set_current_trace
from mini_ad.transforms.jvp import JVPTrace, tangent_aval, zeros_like_aval
from mini_ad.transforms.linearize import LinearizeTrace
from mini_ad.transforms.staging import StagingTrace, aval_of

__all__ = ["linearize_flat", "tangent_aval", "zeros_like_aval"]


def linearize_flat(fun, primals, derived_rules: bool = True) -> tuple[list, Jaxpr, list]:
    """Returns ``(primals_out, linear_jaxpr, residuals)``.

    ``linear_jaxpr`` maps the input tangents (one invar per primal; int inputs get
    float0 invars that nothing reads) to the output tangents, with ``residuals``
    as the values of its constvars.

    ``derived_rules=False`` runs every jvp rule as it is, also at concrete inputs (the
    general path; the tests compare both).
    """
    parent = current_trace()
    pe_trace = StagingTrace(parent, partial=True)
    if derived_rules and parent is eval_trace:
        jvp_trace = LinearizeTrace(pe_trace)
    else:
        jvp_trace = JVPTrace(pe_trace)
    with set_current_trace(pe_trace, end=True):
        tangents_in = []
        for p in primals:
            t = pe_trace.new_arg(tangent_aval(aval_of(p)))
            tangents_in.append(t if is_inexact(t.aval.dtype) else None)
        with set_current_trace(jvp_trace, end=True):
            ins = [jvp_trace.wrap(p, t) for p, t in zip(primals, tangents_in, strict=True)]
            outs = fun(*ins)
            pairs = [jvp_trace.unwrap(x) for x in outs]
        primals_out = [p for p, _ in pairs]
        tangents_out = [
            zeros_like_aval(tangent_aval(aval_of(p))) if t is None else t for p, t in pairs
        ]
        jaxpr, residuals = pe_trace.build(tangents_out)
    return primals_out, jaxpr, residuals
