"""jit's long programs: a prepared step list instead of generated source.

``compile()`` costs about 30 us and several hundred bytes per line of source, so a program
of 10^5 or more equations runs as a loop over prepared steps. Each step calls what the
generated line would call (the card's ufunc, its ``codegen`` expression as a cached lambda,
or its impl) with the same ``out=`` buffer reuse and the same deletion after last use, so
the bits are eager's. Building the steps is two linear passes: a backward one finds where
each value is read for the last time and which values a non-ufunc reads (their buffers are
not private, see ``liveness._private_buffers``); a forward one assigns slots and steps.
"""

from __future__ import annotations

import functools

import numpy as np

from mini_ad.core.array import wrap_array
from mini_ad.core.jaxpr import Jaxpr, Var
from mini_ad.core.tracing import ignoring_fp_errors


def interpreted(jaxpr: Jaxpr, consts):
    """``jaxpr`` as a loop over prepared steps ``(fn, ins, outs, many, out_slot, dead)``
    on a list of values (slots): the compiled function of a long program."""
    eqns = jaxpr.eqns
    ufunc_eqns = [e.primitive.ufunc is not None and not e.params for e in eqns]
    dying_inputs, shared = _liveness(jaxpr, ufunc_eqns)

    template = list(consts)
    slot = {v: k for k, v in enumerate(jaxpr.constvars)}  # Var -> slot
    in_slots = []
    for v in jaxpr.invars:
        slot[v] = len(template)
        in_slots.append(len(template))
        template.append(None)

    def new_slot(value):
        template.append(value)
        return len(template) - 1

    private = set()  # rank >= 1 values made by a ufunc and read only by ufuncs

    fns: list = []
    step_ins: list = []
    step_outs: list = []  # a slot, or a tuple of slots for a multiple-results step
    step_many: list = []
    step_out_slot: list = []
    step_dead: list = []
    for eqn, is_ufunc, dying in zip(eqns, ufunc_eqns, dying_inputs, strict=True):
        inputs = eqn.inputs
        try:  # (a literal is no key of ``slot``: it takes a slot of its own below)
            ins = tuple([slot[x] for x in inputs])
        except KeyError:
            ins = tuple([slot[x] if type(x) is Var else new_slot(x.val) for x in inputs])
        dead = tuple([ins[i] for i in dying]) if dying else ()
        out_slot = None
        outputs = eqn.outputs
        if is_ufunc:
            fn = eqn.primitive.ufunc
            if dying:
                out_aval = outputs[0].aval
                for i in dying:  # the first input, in order, whose buffer may take the result
                    x = inputs[i]
                    if x in private:
                        aval = x.aval
                        if aval is out_aval or (
                            aval.shape == out_aval.shape and aval.dtype == out_aval.dtype
                        ):
                            out_slot = ins[i]
                            break
            for v in outputs:
                if v.aval.shape and v not in shared:
                    private.add(v)
        else:
            fn = _step_function(eqn)
        many = eqn.primitive.multiple_results
        if many:
            outs = []
            for v in outputs:
                slot[v] = len(template)
                outs.append(len(template))
                template.append(None)
            step_outs.append(tuple(outs))
        else:
            slot[outputs[0]] = len(template)
            step_outs.append(len(template))
            template.append(None)
        fns.append(fn)
        step_ins.append(ins)
        step_many.append(many)
        step_out_slot.append(out_slot)
        step_dead.append(dead)
    # parallel lists of ints and int tuples, not one tuple per step: the collector untracks
    # int tuples, so a long program adds few objects for every later collection to scan
    steps = (fns, step_ins, step_outs, step_many, step_out_slot, step_dead)
    results = []
    for x in jaxpr.outvars:
        results.append(slot[x] if type(x) is Var else new_slot(x.val))

    def compiled(*args):
        env = template.copy()
        for k, a in zip(in_slots, args, strict=True):
            env[k] = a
        for fn, ins, outs, many, out_slot, dead in zip(*steps, strict=True):
            values = [env[k] for k in ins]
            if out_slot is not None:
                value = fn(*values, out=env[out_slot])
            else:
                value = fn(*values)
            if many:
                for k, v in zip(outs, value, strict=True):
                    env[k] = v
            else:
                env[outs] = value
            for k in dead:
                env[k] = None
        return [wrap_array(env[k]) for k in results]  # read-only Arrays, as jit's source

    return ignoring_fp_errors(compiled)


def _liveness(jaxpr: Jaxpr, ufunc_eqns: list) -> tuple[list, set]:
    """``(dying, shared)``: for each equation, the positions of the inputs it reads for the
    last time (distinct variables, in input order, as int tuples, which the collector
    untracks; constants, arguments and the program's outputs never die), and the variables
    some non-ufunc equation reads (whose buffers may be views elsewhere). Variables are set
    and dict keys by identity (``Var`` has no ``__eq__``): faster than keys ``id(var)``."""
    eqns = jaxpr.eqns
    seen = {x for x in jaxpr.outvars if type(x) is Var}
    seen.update(jaxpr.constvars)
    seen.update(jaxpr.invars)
    shared = set()
    dying: list[tuple[int, ...]] = [()] * len(eqns)
    for j in range(len(eqns) - 1, -1, -1):
        inputs = eqns[j].inputs
        last: tuple[int, ...] = ()
        for i, x in enumerate(inputs):
            if type(x) is Var and x not in seen:
                seen.add(x)
                last += (i,)
        if last:
            dying[j] = last  # collected walking the inputs forwards: in input order
        if not ufunc_eqns[j]:
            shared.update([x for x in inputs if type(x) is Var])
    return dying, shared


_lambdas: dict = {}


def _step_function(eqn):
    """The callable a non-ufunc step runs: what jit's ``_expression`` would write."""
    p = eqn.primitive
    if p.codegen is not None:
        names = [f"_{i}" for i in range(len(eqn.inputs))]
        expr = p.codegen(names, eqn.params, [v.aval for v in eqn.outputs])
        if expr is not None:
            source = f"lambda {', '.join(names)}: {expr}"
            fn = _lambdas.get(source)
            if fn is None:
                fn = _lambdas[source] = eval(source, {"np": np})  # noqa: S307 - a card's template
            return fn
    if p.impl is None:
        raise NotImplementedError(f"'{p.name}' has no impl to compile.")
    return functools.partial(p.impl, **eqn.params) if eqn.params else p.impl
