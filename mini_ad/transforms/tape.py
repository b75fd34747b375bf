"""Eager reverse mode on a tape: ``vjp`` at concrete inputs, without staging the program.

``vjp : (a -> b) -> a -> (b, T* b -> T* a)``. ``linearize`` + ``backward_pass`` (the
general path) runs three interpreters per primitive — the JVP trace, the partial
evaluator and the parent — and then transposes a staged program. When ``vjp`` is
called at concrete values (or inside another tape, as in ``grad(grad(f))``) that
generality buys nothing, so ``TapeTrace`` records instead, as HIPS autograd does,
one ``Node`` per primitive applied to its tracers and walks the nodes in reverse.

Each node's rule is *derived*, not written by hand: the first time a primitive is
met with given params, input types and differentiated inputs, ``vjp_templates``
builds a forward (outputs and residuals) and a backward (residuals and output
cotangents to input cotangents) from its own ``jvp`` and ``transpose`` rules, both
compiled to straight-line NumPy and cached, so a primitive costs one compiled call
forward and one backward. Under
an enclosing tape (or when the backward pass runs under another transform, e.g.
``vmap`` of a vjp function) the same two Jaxprs are *interpreted* with ``bind``
instead, so the work is recorded by the enclosing transform and every composition
keeps working. Primitives whose derivative depends on values or holds sub-programs
(cond, scan, while, jit, custom rules, checkpoint) are linearized one equation at
a time on the spot, which is exactly the general path's work for that equation.

``ENABLED`` switches the tape off (``vjp`` then always uses linearize + transpose),
which the tests use to check that both paths agree.
"""

from __future__ import annotations

import gc
from sys import getrefcount

import numpy as np

from mini_ad.core.avals import ShapedArray, concrete_aval, float0, is_inexact
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.tracing import (
    Trace,
    Tracer,
    current_trace,
    eval_trace,
    set_current_trace,
)
from mini_ad.primitives.elementwise import add_any
from mini_ad.transforms.partial_eval import tangent_aval
from mini_ad.transforms.staging import aval_of
from mini_ad.transforms.transpose import backward_pass
from mini_ad.transforms.vjp_templates import (
    Ones,
    PerCallTemplate,
    check_rules_version,
    linearize_one,
    per_call,
    template_for,
    unit_backward,
)

ENABLED = True


def applies(trace: Trace) -> bool:
    """Whether ``vjp`` under ``trace`` (the current trace) runs on a tape."""
    return ENABLED and (trace is eval_trace or type(trace) is TapeTrace)


class Node:
    """One recorded primitive: its template, its residuals and where its inputs came from.

    ``parents[k]`` is ``(node, output index)`` of the k-th differentiated input. Input
    nodes (the arguments of ``vjp``) have no template.
    """

    __slots__ = ("template", "residuals", "parents")

    def __init__(self, template, residuals, parents):
        self.template = template
        self.residuals = residuals
        self.parents = parents


class TapeTracer(Tracer):
    __slots__ = ("value", "node", "index", "aval")

    def __init__(self, trace, value, node, index, aval):
        self._trace = trace
        self.value = value
        self.node = node
        self.index = index
        self.aval = aval

    def to_concrete(self, operation):
        if isinstance(self.value, Tracer):
            return self.value.to_concrete(operation)
        return self.value

    def __repr__(self):
        return f"TapeTracer({self.value!r})"


class TapeTrace(Trace):
    __slots__ = ("nodes",)
    name = "vjp"

    def __init__(self, parent):
        super().__init__(parent)
        self.nodes = []

    def new_input(self, value):
        """A tracer for an argument of ``vjp`` (int and bool arguments stay bare)."""
        aval = aval_of(value)
        if not is_inexact(aval.dtype):
            return value
        return TapeTracer(self, value, Node(None, (), ()), 0, aval)

    def process_primitive(self, primitive, args, params):
        values = []
        parents = []
        key = [primitive, tuple(params.items()) if params else ()]
        for x in args:
            if type(x) is TapeTracer and x._trace is self:
                values.append(x.value)
                parents.append((x.node, x.index))
                key.append(x.aval)
                key.append(True)
            else:
                if isinstance(x, Tracer):
                    self.check_foreign(x)
                    key.append(x.aval)
                else:
                    key.append(concrete_aval(x))
                values.append(x)
                key.append(False)
        parent = self.parent
        if not parents:
            with set_current_trace(parent):
                return parent.process_primitive(primitive, values, params)
        template = None if primitive in per_call else template_for(tuple(key), params, values)
        if template is None:
            mask = key[3::2]
            return self._per_call(primitive, params, values, mask, parents)
        if parent is eval_trace:  # compiled NumPy code binds nothing: no trace switch
            outs = template.fwd(*values)
        else:
            with set_current_trace(parent):
                closed = template.fwd_closed
                outs = eval_jaxpr(closed.jaxpr, closed.consts, values)
        if not template.linear:  # a zero derivative (floor, comparisons, stop_gradient)
            return outs if primitive.multiple_results else outs[0]
        n_out = template.n_out
        node = Node(template, outs[n_out:], parents)
        self.nodes.append(node)
        if n_out == 1 and not primitive.multiple_results:
            return TapeTracer(self, outs[0], node, 0, template.out_avals[0])
        wrapped = [
            TapeTracer(self, outs[i], node, i, template.out_avals[i]) if has_tangent else outs[i]
            for i, has_tangent in enumerate(template.tangent_outs)
        ]
        return wrapped if primitive.multiple_results else wrapped[0]

    def _per_call(self, primitive, params, values, mask, parents):
        with set_current_trace(self.parent):
            outs, lin_jaxpr, residuals = linearize_one(primitive, params, values, mask)
        ct_avals = [tangent_aval(aval_of(o)) for o in outs]
        node = Node(PerCallTemplate(lin_jaxpr, len(outs), ct_avals), residuals, parents)
        self.nodes.append(node)
        wrapped = [
            TapeTracer(self, o, node, i, aval_of(o)) if is_inexact(a.dtype) else o
            for i, (o, a) in enumerate(zip(outs, ct_avals, strict=True))
        ]
        return wrapped if primitive.multiple_results else wrapped[0]


# The reference count of an array held only by one list (a cotangent slot) and one
# name, as seen by getrefcount: measured rather than assumed. A cotangent counted no
# higher is private to the backward walk, and results may be written into its buffer.
_held_by = [np.zeros(1)]
_held = _held_by[0]
_PRIVATE_REFS = getrefcount(_held)
del _held_by, _held


def vjp_flat(fun, primals, once: bool = False):
    """``(primals_out, backward)`` with ``backward(cts_out) -> cts_in`` (``None`` = zero).

    ``once=True``: ``backward`` will be called once, so it may drop each node (and its
    residuals) as soon as it is done with it, which lowers the peak memory of ``grad``.
    """
    check_rules_version()
    trace = TapeTrace(current_trace())
    top_level = trace.parent is eval_trace
    with deferred_gc(top_level), set_current_trace(trace, end=True):
        ins = [trace.new_input(p) for p in primals]
        outs = fun(*ins)
    in_nodes = [x.node if type(x) is TapeTracer else None for x in ins]
    out_values = []
    out_refs = []
    for x in outs:
        if type(x) is TapeTracer and x._trace is trace:
            out_values.append(x.value)
            out_refs.append((x.node, x.index))
        else:
            out_values.append(x)
            out_refs.append(None)
    nodes = trace.nodes

    def backward(cts_out):
        fast = top_level and current_trace() is eval_trace
        fast = fast and not any(isinstance(ct, Tracer) for ct in cts_out)
        with deferred_gc(fast):
            return _backward(
                nodes if once else list(nodes), out_refs, cts_out, in_nodes, fast, once
            )

    return out_values, backward


class deferred_gc:
    """``with deferred_gc(True):`` pause Python's cyclic garbage collector.

    ``grad`` holds it over its forward and backward pass together, so the tape is
    never scanned at all: by the time collection resumes, the tape has been freed.

    A tape is thousands of small objects that live until the backward pass and form no
    reference cycles, so each collection the allocations trigger walks the whole tape
    and frees nothing: on a 4000-op chain that costs a third of the time and makes the
    cost per op grow with the tape. Reference counting still frees everything as usual;
    only the search for cycles waits until the forward (or backward) pass ends. It is
    left alone if the caller already disabled the collector.
    """

    __slots__ = ("active",)

    def __init__(self, active: bool):
        self.active = active and gc.isenabled()

    def __enter__(self):
        if self.active:
            gc.disable()

    def __exit__(self, *exc):
        if self.active:
            gc.enable()
        return False


def _backward(nodes, out_refs, cts_out, in_nodes, fast: bool, consume: bool) -> list:
    """Walk the tape in reverse, pushing cotangents from the outputs to the inputs.
    ``nodes`` is emptied on the way; ``consume``: the nodes are not needed again, so
    each one lets go of its residuals and parents as soon as it has been processed.

    ``fast``: values are NumPy and no transform is watching, so compiled backward
    functions run and cotangents add with ``+``; otherwise rules are bound.
    """
    env = {}  # id(node) -> list of output cotangents

    def accumulate(node, index, ct):
        slots = env.get(id(node))
        if slots is None:
            n_out = 1 if node.template is None else node.template.n_out
            slots = env[id(node)] = [None] * n_out
        previous = slots[index]
        if previous is None:
            slots[index] = ct
            return
        if type(previous) is Ones:
            previous = slots[index] = previous.materialize()
        if type(ct) is Ones:
            ct = ct.materialize()
        if fast and type(previous) is np.ndarray and type(ct) is np.ndarray:
            if (
                previous.base is None
                and previous.flags.writeable
                and getrefcount(previous) <= _PRIVATE_REFS
            ):
                np.add(previous, ct, out=previous)  # a sum only this walk can see
            else:  # possibly shared (the caller's cotangent, a view, an alias): copy
                total = previous + ct
                slots[index] = total if type(total) is np.ndarray else np.asarray(total)
        else:
            slots[index] = add_any(previous, ct)

    for ref, ct in zip(out_refs, cts_out, strict=True):
        if ref is not None and ct is not None:
            if fast and _is_scalar_one(ct):  # grad's seed: kept symbolic (see Ones)
                ct = Ones(ShapedArray((), ct.dtype))
            accumulate(ref[0], ref[1], ct)

    while nodes:  # in reverse; each node is dropped once done (``nodes`` is ours to empty)
        node = nodes.pop()
        slots = env.pop(id(node), None)
        if slots is None:
            continue
        template = node.template
        unit = None
        if any(type(ct) is Ones for ct in slots):
            if type(template) is not PerCallTemplate:
                unit = unit_backward(template)  # None unless a single output
            if unit is None:
                slots = [ct.materialize() if type(ct) is Ones else ct for ct in slots]
        if unit is not None:
            values = iter(unit.fn(*node.residuals))
            cts_in = [next(values) if aval is None else Ones(aval) for aval in unit.ones_out]
            targets = template.targets
        elif type(template) is PerCallTemplate:
            cts_in = backward_pass(template.lin_jaxpr, node.residuals, slots)
            targets = range(len(cts_in))
        else:
            if template.single:
                cts = slots
            else:
                cts = [
                    np.zeros(a.shape, a.dtype) if ct is None else ct
                    for ct, a in zip(slots, template.ct_avals, strict=True)
                    if a.dtype != float0
                ]
            if fast:
                bwd = template.bwd
                if template.bwd_donating is not None:
                    ct = cts[0]
                    if type(ct) is np.ndarray and ct.base is None and ct.flags.writeable:
                        if getrefcount(ct) <= _PRIVATE_REFS:  # it may overwrite ct
                            bwd = template.bwd_donating
                    del ct
                cts_in = bwd(*node.residuals, *cts)
            else:
                closed = template.bwd_closed
                cts_in = eval_jaxpr(closed.jaxpr, closed.consts, [*node.residuals, *cts])
            targets = template.targets
        parents = node.parents
        if consume:
            node.residuals = node.parents = None
        for k, ct in zip(targets, cts_in, strict=True):
            if ct is not None:
                parent_node, index = parents[k]
                accumulate(parent_node, index, ct)
        slots = cts = cts_in = ct = None  # hold no cotangent past its slot (see _PRIVATE_REFS)

    results = []
    for node in in_nodes:
        slots = None if node is None else env.get(id(node))
        ct = None if slots is None else slots[0]
        results.append(ct.materialize() if type(ct) is Ones else ct)
    return results


def _is_scalar_one(ct) -> bool:
    """A rank-0 floating cotangent equal to 1 (exactly: then ``Ones`` changes no bit)."""
    return (
        type(ct) in (np.ndarray, np.float64) and ct.shape == () and ct.dtype.kind == "f" and ct == 1
    )
