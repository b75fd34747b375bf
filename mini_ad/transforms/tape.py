"""Eager reverse mode on a tape: ``vjp`` at concrete inputs, without staging the program.

``vjp : (a -> b) -> a -> (b, T* b -> T* a)``. ``linearize`` + ``backward_pass`` (the
general path) runs three interpreters per primitive — the JVP trace, the partial
evaluator and the parent — and then transposes a staged program. When ``vjp`` is
called at concrete values (or inside another tape, as in ``grad(grad(f))``) that
generality buys nothing, so ``TapeTrace`` records instead, as HIPS autograd does,
one ``Node`` per primitive applied to its tracers and walks the nodes in reverse.

Each node's rule is *derived*, not written by hand: the first time a primitive is
met with given params, input types and differentiated inputs, a ``Template`` is
built from its own ``jvp`` and ``transpose`` rules —

    fwd : inputs -> outputs, residuals          (the primal + the known part of the jvp)
    bwd : residuals, output cts -> input cts    (the transposed linear part)

— both simplified and compiled to straight-line NumPy by ``compile``. The template
is cached, so a primitive costs one compiled call forward and one backward. Under
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
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var, eval_jaxpr
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import (
    ConcretizationTypeError,
    Trace,
    Tracer,
    current_trace,
    eval_trace,
    set_current_trace,
)
from mini_ad.primitives.elementwise import add_any
from mini_ad.transforms.compile import compile_donating, compile_jaxpr, simplify
from mini_ad.transforms.partial_eval import linearize_flat, tangent_aval
from mini_ad.transforms.staging import StagingTrace, aval_of
from mini_ad.transforms.transpose import backward_pass

ENABLED = True
MAX_TEMPLATES = 20_000  # a program with more distinct signatures than this starts over

_templates: dict = {}
_cached_version = [0]  # Primitive.rules_version the templates were built with
_per_call: set = set()  # primitives linearized per call (sub-programs or value-dependent rules)
_PLAIN_PARAM_TYPES = (int, float, bool, str, type(None), np.dtype, ShapedArray)


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


class Template:
    """The compiled forward and backward of one primitive signature (see the module doc)."""

    __slots__ = (
        "n_out", "out_avals", "tangent_outs", "fwd", "fwd_closed", "bwd", "bwd_closed",
        "ct_avals", "targets", "linear", "single", "bwd_donating",
    )  # fmt: skip


class PerCallTemplate:
    """A primitive linearized at its values: its backward transposes that linear program."""

    __slots__ = ("lin_jaxpr", "n_out", "ct_avals")

    def __init__(self, lin_jaxpr, n_out, ct_avals):
        self.lin_jaxpr = lin_jaxpr
        self.n_out = n_out
        self.ct_avals = ct_avals


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
        template = None if primitive in _per_call else _template(tuple(key), params, values)
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
        diff = [i for i, m in enumerate(mask) if m]

        def one_eqn(*diff_values):
            full = list(values)
            for i, v in zip(diff, diff_values, strict=True):
                full[i] = v
            out = primitive.bind(*full, **params)
            return out if primitive.multiple_results else [out]

        with set_current_trace(self.parent):
            outs, lin_jaxpr, residuals = linearize_flat(one_eqn, [values[i] for i in diff])
        ct_avals = [tangent_aval(aval_of(o)) for o in outs]
        node = Node(PerCallTemplate(lin_jaxpr, len(outs), ct_avals), residuals, parents)
        self.nodes.append(node)
        wrapped = [
            TapeTracer(self, o, node, i, aval_of(o)) if is_inexact(a.dtype) else o
            for i, (o, a) in enumerate(zip(outs, ct_avals, strict=True))
        ]
        return wrapped if primitive.multiple_results else wrapped[0]


def _template(key, params, values):
    """The cached template for ``key`` (primitive, params, then aval and "differentiated"
    for each input); None if the primitive is linearized per call instead."""
    try:
        template = _templates.get(key)
    except TypeError:  # unhashable params
        _per_call.add(key[0])
        return None
    if template is not None:
        return template
    primitive = key[0]
    if primitive.partial_eval is not None or not all(_plain(v) for v in params.values()):
        _per_call.add(primitive)
        return None
    try:
        template = _build_template(primitive, params, list(key[2::2]), key[3::2])
    except ConcretizationTypeError:  # a rule that needs values: linearize it per call
        _per_call.add(primitive)
        return None
    if len(_templates) >= MAX_TEMPLATES:
        _templates.clear()
    _templates[key] = template
    return template


def _plain(value) -> bool:
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN_PARAM_TYPES)


def _build_template(primitive, params, in_avals, mask) -> Template:
    diff = [i for i, m in enumerate(mask) if m]
    fwd_trace = StagingTrace(eval_trace)
    with set_current_trace(fwd_trace, end=True):
        args = [fwd_trace.new_arg(a) for a in in_avals]

        def one_eqn(*diff_args):
            full = list(args)
            for i, v in zip(diff, diff_args, strict=True):
                full[i] = v
            out = primitive.bind(*full, **params)
            return out if primitive.multiple_results else [out]

        outs, lin_jaxpr, residuals = linearize_flat(one_eqn, [args[i] for i in diff])
        fwd_jaxpr, fwd_consts = fwd_trace.build(list(outs) + list(residuals))

    template = Template()
    template.n_out = n_out = len(outs)
    template.out_avals = [aval_of(o) for o in outs]
    template.ct_avals = [tangent_aval(a) for a in template.out_avals]
    fwd_closed = simplify(ClosedJaxpr(fwd_jaxpr, fwd_consts))
    fwd, fwd_const_values = fwd_closed.jaxpr, fwd_closed.consts
    plan = _defer_residuals(fwd, n_out)
    if plan is None:
        stored, deferred = fwd.outvars[n_out:], []
    else:
        stored, deferred = plan
        fwd_closed = simplify(
            ClosedJaxpr(Jaxpr(fwd.constvars, fwd.invars, fwd.eqns, fwd.outvars[:n_out] + stored),
                        fwd_const_values)
        )  # fmt: skip

    bwd_trace = StagingTrace(eval_trace)
    with set_current_trace(bwd_trace, end=True):
        stored_in = [bwd_trace.new_arg(v.aval) for v in stored]
        cts = [None if a.dtype == float0 else bwd_trace.new_arg(a) for a in template.ct_avals]
        # the deferred part of the forward, now computed here from what was stored
        env = {id(v): x for v, x in zip(fwd.constvars, fwd_const_values, strict=True)}
        env.update((id(v), x) for v, x in zip(stored, stored_in, strict=True))
        for eqn in deferred:
            ins = [env[id(x)] if type(x) is Var else x.val for x in eqn.inputs]
            outs_ = eqn.primitive.bind(*ins, **eqn.params)
            outs_ = outs_ if eqn.primitive.multiple_results else [outs_]
            env.update((id(v), o) for v, o in zip(eqn.outputs, outs_, strict=True))
        res_in = [env[id(x)] if type(x) is Var else x.val for x in fwd.outvars[n_out:]]
        cts_out = backward_pass(lin_jaxpr, res_in, cts)
        template.targets = [k for k, c in enumerate(cts_out) if c is not None]
        bwd_jaxpr, bwd_consts = bwd_trace.build([cts_out[k] for k in template.targets])

    template.linear = bool(template.targets)
    template.single = n_out == 1 and template.ct_avals[0].dtype != float0
    constvars = {id(v) for v in lin_jaxpr.constvars}
    template.tangent_outs = [type(v) is Var and id(v) not in constvars for v in lin_jaxpr.outvars]
    template.fwd_closed = fwd_closed
    template.fwd = compile_jaxpr(fwd_closed)
    template.bwd_closed = simplify(ClosedJaxpr(bwd_jaxpr, bwd_consts))
    template.bwd = compile_jaxpr(template.bwd_closed)
    template.bwd_donating = None
    if template.single and template.ct_avals[0].ndim:  # may write into the cotangent
        template.bwd_donating = compile_donating(template.bwd_closed, (len(stored),))
    return template


def _defer_residuals(fwd: Jaxpr, n_out: int):
    """Move the residual-only part of a forward program to the backward pass.

    ``fwd`` computes the outputs and the residuals. The equations only residuals need
    (``2 * x`` for ``x ** 2``, ``(1 - y)(1 + y)`` for ``tanh``) run the same number of
    times wherever they are placed, so if they read nothing but the inputs, outputs and
    constants, the tape stores those instead — arrays that usually exist anyway — and
    the backward pass computes the rest (HIPS autograd's memory profile). Returns
    ``(vars to store, deferred equations)``, or None to store the residuals as they are
    (nothing to defer, a primal intermediate would be needed, or it would store more).
    """
    outs = fwd.outvars[:n_out]
    residuals = fwd.outvars[n_out:]
    needed = {id(v) for v in outs if type(v) is Var}
    primal = set()
    for eqn in reversed(fwd.eqns):
        if any(id(v) in needed for v in eqn.outputs):
            primal.add(id(eqn))
            needed.update(id(x) for x in eqn.inputs if type(x) is Var)
    deferred = [e for e in fwd.eqns if id(e) not in primal]
    if not deferred:
        return None
    base = {id(v): v for v in list(fwd.invars) + [v for v in outs if type(v) is Var]}
    available = set(base) | {id(v) for v in fwd.constvars}
    stored = {}
    for eqn in deferred:
        for x in eqn.inputs:
            if type(x) is not Var:
                continue
            if id(x) not in available:
                return None  # it reads a primal intermediate: recomputing it would cost work
            if id(x) in base:
                stored[id(x)] = x
        available.update(id(v) for v in eqn.outputs)
    for v in residuals:
        if type(v) is Var and id(v) in base:
            stored[id(v)] = v
    kept = {id(v) for v in residuals}
    new_bytes = sum(_nbytes(v.aval) for v in stored.values() if id(v) not in kept)
    old_bytes = sum(_nbytes(v.aval) for v in residuals if type(v) is Var and id(v) not in base)
    if new_bytes > old_bytes:
        return None
    return list(stored.values()), deferred


def _nbytes(aval) -> int:
    return int(np.prod(aval.shape, dtype=np.int64)) * aval.dtype.itemsize


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
    if _cached_version[0] != Primitive.rules_version:  # a rule was replaced: rebuild
        _templates.clear()
        _per_call.clear()
        _cached_version[0] = Primitive.rules_version
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
        elif fast and type(previous) is np.ndarray and type(ct) is np.ndarray:
            if (
                previous.base is None
                and previous.flags.writeable
                and getrefcount(previous) <= _PRIVATE_REFS
            ):
                np.add(previous, ct, out=previous)  # a sum only this walk can see
            else:  # possibly shared (the caller's cotangent, a view, an alias): copy
                slots[index] = previous + ct
        else:
            slots[index] = add_any(previous, ct)

    for ref, ct in zip(out_refs, cts_out, strict=True):
        if ref is not None and ct is not None:
            accumulate(ref[0], ref[1], ct)

    while nodes:  # in reverse; each node is dropped once done (``nodes`` is ours to empty)
        node = nodes.pop()
        slots = env.pop(id(node), None)
        if slots is None:
            continue
        template = node.template
        if type(template) is PerCallTemplate:
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
        results.append(None if slots is None else slots[0])
    return results
