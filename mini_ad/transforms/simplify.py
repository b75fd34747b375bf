"""Exact simplification of a Jaxpr, for jit: every pass keeps the values bit for bit.

* call-like equations (a card with ``inline_param``: ``jit``, ``custom_jvp_call``,
  ``custom_vjp_call``) are inlined, so their bodies take part in the passes below;
* constant folding: an equation whose inputs are all literals (or folded values) is
  evaluated now and its outputs become constants;
* common-subexpression elimination: an equation repeating an earlier one (same
  primitive, params and inputs; operands in either order for a ``commutative`` card)
  reuses its outputs, and a card's ``simplify`` rule drops exact identities (``x * 1``);
* dead-code elimination: equations no output depends on are dropped (but an
  ``effectful`` card's equations, such as ``debug_callback``, are never folded, merged or
  dropped);
* scheduling: equations are reordered (a topological order) so arrays die early.
"""

from __future__ import annotations

import math

import numpy as np

from mini_ad.core.jaxpr import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from mini_ad.core.tracing import eval_trace, set_current_trace


def simplify(closed: ClosedJaxpr) -> ClosedJaxpr:
    """Inline calls, fold constants, eliminate common subexpressions and dead code."""
    jaxpr, consts = inline_calls(closed.jaxpr, list(closed.consts))
    jaxpr = fold_constants(jaxpr)
    jaxpr = cse_jaxpr(jaxpr)
    jaxpr, _ = dce_jaxpr(jaxpr, prune_inputs=False)
    used = set(jaxpr.outvars)
    for e in jaxpr.eqns:
        used.update(e.inputs)
    kept = [(v, c) for v, c in zip(jaxpr.constvars, consts, strict=True) if v in used]
    jaxpr = Jaxpr([v for v, _ in kept], jaxpr.invars, jaxpr.eqns, jaxpr.outvars)
    return ClosedJaxpr(jaxpr, [c for _, c in kept])


def dce_jaxpr(jaxpr: Jaxpr, used_outputs=None, prune_inputs: bool = True):
    """Drop equations whose outputs are not needed (and, optionally, unused invars).

    Returns ``(jaxpr, used_inputs)``; ``used_outputs`` (default: all) selects outvars.
    """
    outvars = jaxpr.outvars
    if used_outputs is not None:
        outvars = [v for v, u in zip(outvars, used_outputs, strict=True) if u]
    live = set(outvars)  # (literals too: harmless, only variables are looked up)
    kept = []
    for eqn in reversed(jaxpr.eqns):
        for v in eqn.outputs:
            if v in live:
                break
        else:
            if not eqn.primitive.effectful:
                continue
        kept.append(eqn)
        live.update(eqn.inputs)
    used_inputs = [v in live for v in jaxpr.invars]
    invars = (
        [v for v, u in zip(jaxpr.invars, used_inputs, strict=True) if u]
        if prune_inputs
        else jaxpr.invars
    )
    return Jaxpr(jaxpr.constvars, invars, kept[::-1], outvars), used_inputs


def inline_calls(jaxpr: Jaxpr, consts: list) -> tuple[Jaxpr, list]:
    """Replace call-like equations by their bodies (fresh variables for each copy)."""
    if not any(e.primitive.inline_param for e in jaxpr.eqns):
        return jaxpr, consts
    constvars = list(jaxpr.constvars)
    eqns = []
    rename = {}

    def atom(x):
        return rename.get(id(x), x) if type(x) is Var else x

    for eqn in jaxpr.eqns:
        key = eqn.primitive.inline_param
        if key is None:
            eqns.append(
                Eqn(
                    eqn.primitive,
                    [atom(x) for x in eqn.inputs],
                    eqn.params,
                    eqn.outputs,
                    eqn.source,
                )
            )
            continue
        body = eqn.params[key]
        inner, inner_consts = inline_calls(body.jaxpr, list(body.consts))
        env = {}
        for v, c in zip(inner.constvars, inner_consts, strict=True):
            env[id(v)] = fresh = Var(v.aval)
            constvars.append(fresh)
            consts.append(c)
        for v, x in zip(inner.invars, eqn.inputs, strict=True):
            env[id(v)] = atom(x)
        for e in inner.eqns:
            outs = [Var(v.aval) for v in e.outputs]
            ins = [env[id(x)] if type(x) is Var else x for x in e.inputs]
            eqns.append(Eqn(e.primitive, ins, e.params, outs, e.source))
            env.update((id(v), o) for v, o in zip(e.outputs, outs, strict=True))
        for v, x in zip(eqn.outputs, inner.outvars, strict=True):
            rename[id(v)] = env[id(x)] if type(x) is Var else x
    outvars = [atom(x) for x in jaxpr.outvars]
    return Jaxpr(constvars, jaxpr.invars, eqns, outvars), consts


def fold_constants(jaxpr: Jaxpr) -> Jaxpr:
    """Evaluate equations whose inputs are all literals (or already folded)."""
    folded = {}  # Var -> Literal
    eqns = []
    with set_current_trace(eval_trace):
        for eqn in jaxpr.eqns:
            ins = eqn.inputs
            if folded and not folded.keys().isdisjoint(ins):
                ins = [folded.get(x, x) for x in ins]
                eqn = Eqn(eqn.primitive, ins, eqn.params, eqn.outputs, eqn.source)
            if Var not in map(type, ins) and not has_sub_jaxpr(eqn) and not eqn.primitive.effectful:
                outs = eqn.primitive.impl(*[x.val for x in ins], **eqn.params)
                outs = outs if eqn.primitive.multiple_results else [outs]
                for v, o in zip(eqn.outputs, outs, strict=True):
                    folded[v] = Literal(np.asarray(o), v.aval)
                continue
            eqns.append(eqn)  # unchanged equations are shared, not copied (fewer objects)
    outvars = [folded.get(x, x) for x in jaxpr.outvars]
    return Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, outvars)


def has_sub_jaxpr(eqn) -> bool:
    return any(
        isinstance(item, (Jaxpr, ClosedJaxpr))
        for value in eqn.params.values()
        for item in (value if isinstance(value, tuple) else (value,))
    )


def cse_jaxpr(jaxpr: Jaxpr) -> Jaxpr:
    """Reuse the outputs of an earlier identical equation, and drop exact identities
    (each card's ``simplify`` rule: ``x * 1``, ``-(-x)``, a conversion to x's own type)."""
    seen = {}
    rename = {}  # Var -> the atom that replaces it
    made_by = {}  # Var -> the (kept) equation that produced it
    eqns = []
    producer = made_by.get  # (a literal is no key: None)
    literal_keys: dict = {}  # Literal -> _literal_key (a trace shares a literal between equations)

    def atom_key(x):
        if type(x) is Var:
            return id(x)
        key = literal_keys.get(x)
        if key is None:
            key = literal_keys[x] = _literal_key(x)
        return key

    for eqn in jaxpr.eqns:
        ins = eqn.inputs
        if rename and not rename.keys().isdisjoint(ins):
            ins = [rename.get(x, x) for x in ins]
        outputs = eqn.outputs
        p = eqn.primitive
        rule = p.simplify
        same = rule(ins, outputs[0].aval, producer) if rule is not None else None
        if same is not None:
            rename[outputs[0]] = same
            continue
        key = _cse_key(p, eqn.params, ins, atom_key)
        if key is not None:
            previous = seen.get(key)
            if previous is not None:
                rename.update(zip(outputs, previous, strict=True))
                continue
            seen[key] = outputs
        kept = eqn if ins is eqn.inputs else Eqn(p, ins, eqn.params, outputs, eqn.source)
        for v in outputs:
            made_by[v] = kept
        eqns.append(kept)
    return Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, [rename.get(x, x) for x in jaxpr.outvars])


def _cse_key(p, params, ins, atom_key):
    """``(primitive, params, *atoms)``, or None if it cannot be a key: a variable is its id
    (an int), a literal a tuple (``_literal_key``). One flat tuple of atoms per equation,
    which the collector untracks: long programs allocate little for it to scan."""
    if not p.cse or p.effectful:
        return None
    atoms = [id(x) if type(x) is Var else atom_key(x) for x in ins]
    if p.commutative and len(atoms) == 2:
        a, b = atoms
        if type(a) is int and type(b) is int:
            if b < a:
                atoms.reverse()
        elif _atom_order(b) < _atom_order(a):
            atoms.reverse()
    if not params:
        return (id(p), (), *atoms)  # cards live on, so id(p) stays theirs
    try:
        key = (id(p), tuple(sorted(params.items())), *atoms)
        hash(key)
    except TypeError:  # an unhashable param (e.g. an array): never merged
        return None
    return key


def _atom_order(atom) -> tuple:
    """A cheap total order on CSE atoms (``repr`` of an aval costs microseconds): a
    variable by its id, a literal by its hash; a tie only costs a missed match."""
    return (0, atom) if type(atom) is int else (1, hash(atom))


def _literal_key(lit: Literal):
    """A literal's value and type as a tuple of atoms (no aval object), which the collector
    untracks, and so the keys of the equations that read it."""
    val = lit.val
    if isinstance(val, np.ndarray) and val.ndim:
        return ("array", id(val))
    aval = lit.aval
    typ = (aval.shape, aval.dtype, aval.weak_type)
    item = val.item() if isinstance(val, (np.ndarray, np.generic)) else val
    if isinstance(item, float) and math.isnan(item):
        return ("nan", typ)
    return ("lit", type(item), item, typ)


# --- scheduling -------------------------------------------------------------------------------


def schedule(jaxpr: Jaxpr) -> Jaxpr:
    """Reorder equations (keeping every value after its inputs) so arrays die early.

    Greedy list scheduling: among the equations whose inputs are ready, run the one that
    frees the most array bytes (inputs read for the last time) net of what it allocates;
    ties keep program order. Equations are pure, so any topological order computes the same
    values; this one lowers the peak memory of generated code (e.g. a backward pass that
    would otherwise hold every residual at once).
    """
    eqns = jaxpr.eqns
    # (quadratic in the worst case: very long programs keep their order)
    # (effects keep program order: two debug prints must not swap)
    if not 3 <= len(eqns) <= 5000 or any(has_sub_jaxpr(e) or e.primitive.effectful for e in eqns):
        return jaxpr
    producer = {id(v): i for i, e in enumerate(eqns) for v in e.outputs}
    readers = [0] * len(eqns)
    remaining_uses = {}
    consumers = {i: [] for i in range(len(eqns))}
    for i, eqn in enumerate(eqns):
        deps = {producer[id(x)] for x in eqn.inputs if type(x) is Var and id(x) in producer}
        readers[i] = len(deps)
        for d in deps:
            consumers[d].append(i)
        for x in eqn.inputs:
            if type(x) is Var:
                remaining_uses[id(x)] = remaining_uses.get(id(x), 0) + 1
    for x in jaxpr.outvars:
        if type(x) is Var:
            remaining_uses[id(x)] = remaining_uses.get(id(x), 0) + 1  # never freed

    def nbytes(v):
        return v.aval.size * v.aval.dtype.itemsize

    def gain(i):
        eqn = eqns[i]
        freed = sum(
            nbytes(x)
            for x in {id(x): x for x in eqn.inputs if type(x) is Var and id(x) in producer}.values()
            if remaining_uses[id(x)] == sum(1 for y in eqn.inputs if y is x)
        )
        return freed - sum(nbytes(v) for v in eqn.outputs)

    ready = [i for i in range(len(eqns)) if readers[i] == 0]
    order = []
    while ready:
        best = max(ready, key=lambda i: (gain(i), -i))
        ready.remove(best)
        order.append(best)
        for x in eqns[best].inputs:
            if type(x) is Var:
                remaining_uses[id(x)] -= 1
        for c in consumers[best]:
            readers[c] -= 1
            if readers[c] == 0:
                ready.append(c)
    if len(order) != len(eqns):  # not a DAG in program order: leave it alone
        return jaxpr
    return Jaxpr(jaxpr.constvars, jaxpr.invars, [eqns[i] for i in order], jaxpr.outvars)
