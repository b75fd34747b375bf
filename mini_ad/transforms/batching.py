"""Batching: ``vmap : (a -> b) -> [n]a -> [n]b``.

A ``BatchTracer`` holds a value with one extra axis, the *batch axis*, at
``batch_dim`` (``None``: the value is the same for every example and has no such
axis). Its ``aval`` is that of one example. ``BatchTrace`` runs each primitive's
``batch`` rule with the parent trace current, so the batched program is computed
(or traced, or differentiated) by the enclosing transform; a primitive none of
whose operands is batched is bound on the parent unchanged and its result returned
bare. The rules live with their primitives (``mini_ad/primitives``, families in
``primitives/batch_rules.py``); this file only calls ``primitive.batch``.

Python control flow on batched values cannot work (each example may take another
branch), so converting a ``BatchTracer`` to ``bool``/``int`` raises a concretization
error naming the function and the arguments the value depends on.
"""

from __future__ import annotations

from mini_ad.core.tracing import Trace, Tracer, current_trace, set_current_trace
from mini_ad.primitives.batch_rules import example_shape, put_bdim
from mini_ad.transforms.staging import DebugInfo, aval_of


class BatchTracer(Tracer):
    __slots__ = ("val", "batch_dim", "deps")

    def __init__(self, trace, val, batch_dim, deps=frozenset()):
        self._trace = trace
        self.val = val
        self.batch_dim = batch_dim
        self.deps = deps  # the positions of the vmapped arguments it depends on

    @property
    def aval(self):
        aval = aval_of(self.val)
        if self.batch_dim is None:
            return aval
        return aval.update(shape=example_shape(self.val, self.batch_dim))

    def __repr__(self):
        return f"BatchTracer(val={self.val!r}, batch_dim={self.batch_dim})"


class BatchTrace(Trace):
    __slots__ = ("axis_size", "debug")
    name = "vmap"

    def __init__(self, parent, axis_size: int, debug: DebugInfo | None = None):
        super().__init__(parent)
        self.axis_size = axis_size
        self.debug = debug

    def process_primitive(self, primitive, args, params):
        vals, dims = [], []
        deps = frozenset()
        for x in args:
            if type(x) is BatchTracer and x._trace is self:
                vals.append(x.val)
                dims.append(x.batch_dim)
                deps = deps | x.deps
            else:
                if isinstance(x, Tracer):
                    self.check_foreign(x)
                vals.append(x)
                dims.append(None)
        parent = self.parent
        with set_current_trace(parent):
            if all(d is None for d in dims):
                return parent.process_primitive(primitive, vals, params)
            if primitive.batch is None:
                raise NotImplementedError(f"Batching rule for '{primitive.name}' not implemented.")
            out, out_dim = primitive.batch(self.axis_size, vals, dims, **params)
        if primitive.multiple_results:
            return [self.wrap(o, d, deps) for o, d in zip(out, out_dim, strict=True)]
        return self.wrap(out, out_dim, deps)

    def wrap(self, val, batch_dim, deps=frozenset()):
        return val if batch_dim is None else BatchTracer(self, val, batch_dim, deps)

    def unwrap(self, x):
        """``(value, batch_dim)`` of an output; foreign values are unbatched."""
        if type(x) is BatchTracer and x._trace is self:
            return x.val, x.batch_dim
        if isinstance(x, Tracer):
            self.check_foreign(x)
        return x, None

    def describe_concretization(self, tracer) -> str:
        if self.debug is None:
            return ""
        names = self.debug.arg_names
        deps = sorted(getattr(tracer, "deps", ()))
        depends = ""
        if deps:
            listed = ", ".join(names[i] if i < len(names) else f"args[{i}]" for i in deps)
            depends = (
                "This value is batched (one value per example), so it has no single concrete "
                f"value: it depends on the mapped {listed}. Pass in_axes=None for an argument "
                "that is the same for every example.\n"
            )
        return (
            f"The error occurred while tracing the function {self.debug.fun_name} at "
            f"{self.debug.location} for vmap. {depends}"
        )


def vmap_flat(fun, in_vals, in_dims, out_dims, axis_size: int, debug: DebugInfo | None = None):
    """Map ``fun`` (flat lists in and out) over axis ``in_dims[i]`` of each input
    (``None``: not mapped); the outputs carry the batch axis at ``out_dims[j]``
    (``None``: the output must be unmapped); ``out_dims`` may be a function
    returning that list, called after ``fun`` has run. Input axes must be non-negative;
    a negative output axis counts from the end of the batched output.
    """
    trace = BatchTrace(current_trace(), axis_size, debug)
    if callable(out_dims):  # pytree shells learn the output structure only from fun
        out_dims_of = out_dims
    else:
        out_dims_of = lambda: out_dims  # noqa: E731
    with set_current_trace(trace, end=True):
        ins = [
            trace.wrap(v, d, frozenset((i,)))
            for i, (v, d) in enumerate(zip(in_vals, in_dims, strict=True))
        ]
        outs = fun(*ins)
        pairs = [trace.unwrap(x) for x in outs]
    results = []
    for k, ((val, bdim), dst) in enumerate(zip(pairs, out_dims_of(), strict=True)):
        if dst is None:
            if bdim is not None:
                raise ValueError(
                    f"vmap out_axes is None for output {k}, but that output is batched "
                    f"(along axis {bdim}): out_axes=None requires an output that is the "
                    "same for every example."
                )
            results.append(val)
        else:
            ndim = aval_of(val).ndim + (bdim is None)
            if not -ndim <= dst < ndim:
                raise ValueError(
                    f"vmap out_axes: axis {dst} is out of bounds for output {k}, an array of "
                    f"dimension {ndim} (with the mapped axis)."
                )
            results.append(put_bdim(val, bdim, axis_size, dst % ndim))
    return results
