"""``Primitive``: a named operation with one slot per interpreter rule.

Each primitive is declared in one block (see ``mini_ad/primitives``) that fills its
slots with these fixed signatures::

    impl(*arrays, **params)                  -> array (or list if multiple_results)
    abstract_eval(*avals, **params)          -> aval  (or list)
    jvp(primals, tangents, **params)         -> (primal_out, tangent_out)
    transpose(ct, *args, **params)           -> list of cotangents, one per arg
    batch(axis_size, args, dims, **params)   -> (out, out_dim)
    partial_eval(trace, args, **params)      -> outputs (optional; see below)

A tangent or cotangent of ``None`` is a symbolic zero. Rules other than ``impl``
are written with primitives, so they can be traced and differentiated in turn.
Params must be hashable (they key jit's cache and are printed in jaxprs).

``partial_eval`` is for higher-order primitives (cond, scan, jit, ...): when one is
bound on a partial-evaluating ``StagingTrace`` with some known and some unknown
inputs, the rule splits it into a known part computed now and an unknown part
staged (JAX: ``partial_eval_jaxpr_custom_rules``). Without it the whole equation
is staged as unknown.
"""

from __future__ import annotations

from mini_ad.core.tracing import _current_trace

registry: dict[str, Primitive] = {}


class Primitive:
    """A primitive operation; ``bind`` hands it to the current trace.

    >>> import numpy as np
    >>> twice_p = Primitive("twice_example")
    >>> twice_p.impl = lambda x: 2 * x
    >>> float(twice_p.bind(np.float64(3.0)))
    6.0
    """

    __slots__ = (
        "name", "multiple_results", "differentiable", "impl", "abstract_eval",
        "jvp", "transpose", "batch", "partial_eval", "print_params", "__weakref__",
    )  # fmt: skip

    def __init__(self, name: str, multiple_results: bool = False, differentiable: bool = True):
        self.name = name
        self.multiple_results = multiple_results
        self.differentiable = differentiable
        self.impl = None
        self.abstract_eval = None
        self.jvp = None
        self.transpose = None
        self.batch = None
        self.partial_eval = None  # optional: (trace, args, **params) -> outputs
        self.print_params = None  # optional: params -> params shown by the printer
        registry.setdefault(name, self)

    rules_version = 0  # bumped whenever a rule is (re)assigned: caches of derived rules check it

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        Primitive.rules_version += 1

    def bind(self, *args, **params):
        return _current_trace.get().process_primitive(self, args, params)

    def __repr__(self):
        return self.name
