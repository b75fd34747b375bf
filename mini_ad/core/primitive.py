"""``Primitive``: a named operation and its card — one slot per thing anyone needs to know.

Each primitive is declared in one block (see ``mini_ad/primitives``) that fills its
slots. Interpreter rules, with fixed signatures::

    impl(*arrays, **params)                  -> array (or list if multiple_results)
    abstract_eval(*avals, **params)          -> aval  (or list)
    jvp(primals, tangents, **params)         -> (primal_out, tangent_out)
    transpose(ct, *args, **params)           -> list of cotangents, one per arg
    batch(axis_size, args, dims, **params)   -> (out, out_dim)
    partial_eval(trace, args, **params)      -> outputs (optional; see below)
    jet(primals, series, **params)           -> (primal_out, series_out) (Taylor mode)

A tangent or cotangent of ``None`` is a symbolic zero. Rules other than ``impl``
are written with primitives, so they can be traced and differentiated in turn.
Params must be hashable (they key jit's cache and are printed in jaxprs).

``partial_eval`` is for higher-order primitives (cond, scan, jit, ...): when one is
bound on a partial-evaluating ``StagingTrace`` with some known and some unknown
inputs, the rule splits it into a known part computed now and an unknown part
staged (JAX: ``partial_eval_jaxpr_custom_rules``). Without it the whole equation
is staged as unknown.

Back ends read their slots off the card; nothing else keeps a table keyed by name:

* ``ufunc``: a NumPy ufunc that *is* the impl when params are empty (``np.sin``).
  jit's generated code calls it directly, and may hand it an ``out=`` buffer.
* ``codegen(ins, params, out_avals) -> str | None``: a Python expression over the
  input sources computing exactly what ``impl`` computes (None: call ``impl``).
* ``scalar``: a format string over Python floats (``"{0} + {1}"``) for programs of
  float64 scalars, given only where Python's operation is IEEE-exact and so equal to
  NumPy's bit for bit (``+ - * /``, ``abs``). Other primitives in such programs call
  their ufunc on the scalar.
* ``lowering(lx, *jax_values, **params)``: the same operation in JAX; ``lx`` is the
  bridge (``lx.lax``, ``lx.jnp``, ``lx.jax``, ``lx.call(jaxpr, args)`` for sub-Jaxprs),
  so this layer never imports JAX.
* ``simplify(ins, out_aval) -> atom | None``: an exact identity (``x * 1 -> x``).

Flags: ``inline_param`` names the param holding a call-like primitive's body (jit
inlines it); ``cse=False`` keeps equations from being merged (checkpoint's
recomputation); ``commutative`` lets CSE match operands in either order; ``effectful``
marks a primitive run for its side effect (``debug_callback``): the simplifier never
folds, merges or drops it, even when no output is used (JAX: an ordered effect);
``fresh_output`` says that the impl and codegen always return a new array, never a view
of an operand or a constant (as a ufunc does), so jit may write a later result into it.

A slot may be left empty only by an explicit ``opt_out(slot, reason)``; a test
enumerates every card and every slot.
"""

from __future__ import annotations

from typing import Any

from mini_ad.core.tracing import _current_trace

registry: dict[str, Primitive] = {}

# The slots every card must fill or opt out of, with a reason.
RULE_SLOTS = ("impl", "abstract_eval", "jvp", "transpose", "batch", "lowering", "jet")


class Primitive:
    """A primitive operation; ``bind`` hands it to the current trace.

    >>> import numpy as np
    >>> twice_p = Primitive("twice_example")
    >>> twice_p.impl = lambda x: 2 * x
    >>> float(twice_p.bind(np.float64(3.0)))
    6.0
    """

    __slots__ = (
        "name", "multiple_results", "differentiable",
        "impl", "abstract_eval", "jvp", "transpose", "batch", "partial_eval", "jet",
        "ufunc", "codegen", "scalar", "lowering", "simplify", "print_params",
        "inline_param", "cse", "commutative", "effectful", "fresh_output", "opt_outs",
        "__weakref__",
    )  # fmt: skip

    # the rule slots hold a callable or None (the declared type, for type checkers)
    impl: Any
    abstract_eval: Any
    jvp: Any
    transpose: Any
    batch: Any
    partial_eval: Any
    jet: Any
    ufunc: Any
    codegen: Any
    scalar: Any
    lowering: Any
    simplify: Any
    print_params: Any

    def __init__(self, name: str, multiple_results: bool = False, differentiable: bool = True):
        self.name = name
        self.multiple_results = multiple_results
        self.differentiable = differentiable
        self.impl = None
        self.abstract_eval = None
        self.jvp = None
        self.transpose = None
        self.batch = None
        self.partial_eval = None
        self.jet = None
        self.ufunc = None
        self.codegen = None
        self.scalar = None
        self.lowering = None
        self.simplify = None
        self.print_params = None  # optional: params -> params shown by the printer
        self.inline_param = None
        self.cse = True
        self.commutative = False
        self.effectful = False
        self.fresh_output = False  # impl and codegen always return a new array (see above)
        self.opt_outs = {}  # slot -> why this card leaves it empty
        registry.setdefault(name, self)

    def opt_out(self, slot: str, reason: str) -> Primitive:
        """Declare that this card deliberately leaves ``slot`` empty, and why."""
        if slot not in (*RULE_SLOTS, "jet"):
            raise ValueError(f"unknown slot {slot!r}; slots are {RULE_SLOTS}")
        self.opt_outs[slot] = reason
        return self

    def bind(self, *args, **params):
        return _current_trace.get().process_primitive(self, args, params)

    def __repr__(self):
        return self.name


def lax_lowering(lax_name: str):
    """A lowering that calls ``jax.lax.<lax_name>`` on the operands (no params)."""

    def lowering(lx, *args, **params):
        return getattr(lx.lax, lax_name)(*args)

    lowering.__name__ = f"lax_{lax_name}"
    return lowering
