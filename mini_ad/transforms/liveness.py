"""Liveness for jit's generated code: where each value is read for the last time, and which
buffers are private to the program (so a ufunc may write its result into them)."""

from __future__ import annotations

from mini_ad.core.jaxpr import Jaxpr, Var


def _is_ufunc_eqn(eqn) -> bool:
    return eqn.primitive.ufunc is not None and not eqn.params


def _last_uses(jaxpr: Jaxpr) -> dict:
    """id(var) -> index of the last equation reading it (outputs are never freed)."""
    last = {}
    for j, eqn in enumerate(jaxpr.eqns):
        for x in eqn.inputs:
            if type(x) is Var:
                last[id(x)] = j
    for x in jaxpr.outvars:
        if type(x) is Var:
            last[id(x)] = len(jaxpr.eqns)
    return last


def _private_buffers(jaxpr: Jaxpr, donated=()) -> set:
    """Vars holding an array that only they refer to: made by a ufunc or a card with
    ``fresh_output`` (or an argument the caller donates) and read only by ufuncs (which
    never return views), of rank >= 1.
    Such a buffer may be overwritten (``out=``) by the equation that reads it last: a
    decision from the program's liveness, never from reference counts."""
    fresh = {id(jaxpr.invars[i]) for i in donated if jaxpr.invars[i].aval.ndim}
    for eqn in jaxpr.eqns:
        if _is_ufunc_eqn(eqn) or eqn.primitive.fresh_output:
            fresh.update(id(v) for v in eqn.outputs if v.aval.ndim)
    for eqn in jaxpr.eqns:
        if not _is_ufunc_eqn(eqn):
            fresh.difference_update(id(x) for x in eqn.inputs if type(x) is Var)
    fresh.difference_update(id(x) for x in jaxpr.outvars if type(x) is Var)
    return fresh
