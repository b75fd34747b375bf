"""Linearize: ``linearize : (a -> b) -> a -> (b, T a -o T b)``.

``linearize = jvp + partial evaluation``. The function runs under a JVP trace
whose tangents are unknowns of a partial-evaluation ``StagingTrace``: everything
that depends only on primals is *known* and computed right away on the enclosing
trace (so Python ``if`` on values works), while the tangent computation — linear
in the input tangents — is staged into a Jaxpr. Its constvars are the residuals
(primal values the tangent program needs). ``vjp`` transposes that Jaxpr.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray, float0, is_inexact
from mini_ad.core.jaxpr import Jaxpr
from mini_ad.core.tracing import current_trace, set_current_trace
from mini_ad.transforms.jvp import JVPTrace
from mini_ad.transforms.staging import StagingTrace, aval_of


def tangent_aval(aval: ShapedArray) -> ShapedArray:
    """The type of a tangent: the primal's for floats, float0 for ints and bools."""
    if is_inexact(aval.dtype):
        return ShapedArray(aval.shape, aval.dtype, aval.weak_type)
    return ShapedArray(aval.shape, float0)


def zeros_like_aval(aval: ShapedArray):
    return np.zeros(aval.shape, aval.dtype)


def linearize_flat(fun, primals) -> tuple[list, Jaxpr, list]:
    """Returns ``(primals_out, linear_jaxpr, residuals)``.

    ``linear_jaxpr`` maps the input tangents (one invar per primal; int inputs get
    float0 invars that nothing reads) to the output tangents, with ``residuals``
    as the values of its constvars.
    """
    pe_trace = StagingTrace(current_trace(), partial=True)
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
