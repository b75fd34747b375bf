"""jit's back half: ``compile_jaxpr : ClosedJaxpr -> (*arrays -> list of arrays)``.

A staged Jaxpr is simplified (``transforms/simplify.py``: inlining, constant folding,
CSE, DCE, scheduling — all exact), then turned into straight-line Python source over
NumPy, one line per equation, compiled once with ``compile()`` and cached on the
``ClosedJaxpr``. Each line comes off the primitive's card (``ufunc``, ``codegen``,
``scalar``, else a call of its ``impl``), so jit computes what eager computes, bit for
bit. Intermediates are deleted after their last use and their buffers reused
(``out=``) where the program's liveness proves it safe, so memory stays close to eager
evaluation's. Higher-order primitives (cond, scan, while, remat) call their own
compiled sub-Jaxprs from their ``impl``.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> closed = ad.make_jaxpr(lambda x: mnp.sin(x) * mnp.sin(x))(mnp.ones(3))
>>> print(compiled_source(closed))
def compiled(a0):
    v0 = np.sin(a0)
    v1 = np.multiply(v0, v0, out=v0)
    del v0
    return [_asarray(v1)]
"""

from __future__ import annotations

import contextvars
import functools
import math
import weakref

import numpy as np

from mini_ad.core.array import Array, wrap_array
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Var, eval_jaxpr
from mini_ad.core.tracing import ignoring_fp_errors, ignoring_fp_errors_with_fallback
from mini_ad.transforms.liveness import _is_ufunc_eqn, _last_uses, _private_buffers
from mini_ad.transforms.simplify import dce_jaxpr, has_sub_jaxpr, schedule, simplify
from mini_ad.transforms.steps import interpreted

__all__ = ["compile_donating", "compile_jaxpr", "compiled_source", "dce_jaxpr", "simplify"]

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_internal_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# True while ``mini_ad.debug`` re-runs a program equation by equation to find the one
# that made a NaN: compiled programs are then interpreted (see ``interpreting``).
_interpret: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "mini_ad_interpret", default=False
)


def interpreting():
    """``with interpreting():`` compiled programs (jit, scan and cond bodies, ...) run
    by ``eval_jaxpr`` instead: each equation is bound on the current trace, with its
    source, so a checking trace sees every one."""
    return _Interpreting()


class _Interpreting:
    def __enter__(self):
        self.token = _interpret.set(True)

    def __exit__(self, *exc):
        _interpret.reset(self.token)
        return False


def compile_jaxpr(closed: ClosedJaxpr, internal: bool = False):
    """The compiled Python function of ``closed`` (cached on the object).

    ``internal``: the caller keeps the results to itself (a derived jvp rule's forward,
    a linear rule's transpose) and hands the user only what ``unflatten_results`` wraps:
    float64 scalar results then come back as ``np.float64`` (immutable, and a tenth of
    the cost of a read-only 0-d ``Array``) instead of ``Array``."""
    if _interpret.get():
        return lambda *args: eval_jaxpr(closed.jaxpr, closed.consts, args)
    cache = _internal_cache if internal else _cache
    fn = cache.get(closed)
    if fn is None:
        fn = cache[closed] = _build(closed, internal)[0]
    return fn


def compile_donating(closed: ClosedJaxpr, donated: tuple):
    """Like ``compile_jaxpr``, but the arguments at the indices ``donated`` are the
    caller's to give up: their buffers may be overwritten with results. Arrays only
    (no scalar specialisation); not cached."""
    simple = simplify(closed)
    source, namespace = _codegen(schedule(simple.jaxpr), simple.consts, donated)
    return _exec(source, namespace)


def compiled_source(closed: ClosedJaxpr) -> str:
    """The generated Python source of ``closed`` (for inspection)."""
    return _build(closed)[1].rstrip("\n")


# Above this many equations, jit runs a prepared instruction list instead of generated
# source: ``compile()`` costs ~30 us and several hundred bytes per line, so a 10^5-line
# function takes seconds and gigabytes to compile, while a loop over prepared steps calls
# the very same functions (so the bits are the same) at well under a microsecond per step.
INTERPRET_ABOVE = 10_000


def _build(closed, internal=False):
    simple = simplify(closed)
    if len(simple.jaxpr.eqns) > INTERPRET_ABOVE:
        return interpreted(simple.jaxpr, simple.consts), "# (interpreted: a long program)\n"
    source, namespace = _codegen(schedule(simple.jaxpr), simple.consts)
    array_fn = _exec(source, namespace)
    scalar = _scalar_codegen(simple.jaxpr, simple.consts, internal)
    if scalar is None:
        return array_fn, source
    scalar_source, scalar_namespace = scalar
    scalar_fn = _exec(scalar_source, scalar_namespace, quiet=False)
    # inf/nan cases (ZeroDivisionError, OverflowError, ValueError): NumPy's code
    compiled = ignoring_fp_errors_with_fallback(
        scalar_fn, array_fn.__wrapped__, (ZeroDivisionError, OverflowError, ValueError)
    )

    note = "# Python floats; on ZeroDivisionError, OverflowError or ValueError it runs:\n"
    return compiled, scalar_source + note + source


def _exec(source, namespace, quiet=True):
    code = compile(source, "<mini_ad.jit>", "exec")
    exec(code, namespace)  # noqa: S102 - our own generated source
    fn = namespace["compiled"]
    if not quiet:
        return fn
    quiet_fn = ignoring_fp_errors(fn)  # inf and nan are results, as in eager
    quiet_fn.__wrapped__ = fn
    return quiet_fn


# --- code generation --------------------------------------------------------------------------
# Every expression comes off the primitive's card: its ``ufunc`` (the impl itself), its
# ``codegen`` template (an expression computing exactly what impl computes), or else a
# call of ``impl``. So generated code computes what eager evaluation computes, bit for bit.


def _ufunc_source(ufunc, namespace) -> str:
    name = ufunc.__name__
    if getattr(np, name, None) is ufunc:
        return f"np.{name}"
    namespace[f"u_{name}"] = ufunc
    return f"u_{name}"


def _expression(eqn, ins, namespace, j) -> str:
    """The Python expression for one equation, from its primitive's card."""
    p = eqn.primitive
    if _is_ufunc_eqn(eqn):
        return f"{_ufunc_source(p.ufunc, namespace)}({', '.join(ins)})"
    if p.codegen is not None:
        expr = p.codegen(ins, eqn.params, [v.aval for v in eqn.outputs])
        if expr is not None:
            return expr
    if p.impl is None:
        raise NotImplementedError(f"'{p.name}' has no impl to compile.")
    namespace[f"f{j}"] = functools.partial(p.impl, **eqn.params) if eqn.params else p.impl
    return f"f{j}({', '.join(ins)})"


def _codegen(jaxpr: Jaxpr, consts, donated=()) -> tuple[str, dict]:
    """Straight-line NumPy source for ``jaxpr``. Intermediates are deleted after their
    last use, and a private intermediate read for the last time by a ufunc of the same
    type lends its buffer to the result (``out=``), so big programs need little memory.
    ``donated``: indices of arguments whose buffers the caller gives up (same rule)."""
    last_use = _last_uses(jaxpr)
    private = _private_buffers(jaxpr, donated)
    namespace = {"np": np, "_asarray": wrap_array}  # results: read-only Arrays, no copy
    names = {}
    for i, (v, c) in enumerate(zip(jaxpr.constvars, consts, strict=True)):
        names[id(v)] = f"k{i}"
        namespace[f"k{i}"] = c
    for i, v in enumerate(jaxpr.invars):
        names[id(v)] = f"a{i}"
    counter = [0]

    def source(x):
        if type(x) is Var:
            return names[id(x)]
        val = x.val
        if type(val) in (int, float, bool) and math.isfinite(val):
            return repr(val)
        name = f"c{counter[0]}"
        counter[0] += 1
        namespace[name] = val
        return name

    lines = [f"def compiled({', '.join(names[id(v)] for v in jaxpr.invars)}):"]
    for j, eqn in enumerate(jaxpr.eqns):
        ins = [source(x) for x in eqn.inputs]
        outs = []
        for v in eqn.outputs:
            names[id(v)] = f"v{len(names) - len(jaxpr.constvars) - len(jaxpr.invars)}"
            outs.append(names[id(v)])
        expr = _expression(eqn, ins, namespace, j)
        if _is_ufunc_eqn(eqn):
            out_aval = eqn.outputs[0].aval
            for x, src in zip(eqn.inputs, ins, strict=True):
                reusable = type(x) is Var and id(x) in private and last_use[id(x)] == j
                if reusable and x.aval.shape == out_aval.shape and x.aval.dtype == out_aval.dtype:
                    expr = f"{expr[:-1]}, out={src})"
                    break
        if eqn.primitive.multiple_results:
            lhs = ", ".join(outs) + ("," if len(outs) == 1 else "") if outs else "_"
        else:
            lhs = outs[0]
        lines.append(f"    {lhs} = {expr}")
        dead = sorted(
            {
                src
                for x, src in zip(eqn.inputs, ins, strict=True)
                if type(x) is Var and last_use[id(x)] == j and src.startswith("v")
            }
        )
        if dead:
            lines.append(f"    del {', '.join(dead)}")
    results = ", ".join(f"_asarray({source(x)})" for x in jaxpr.outvars)
    lines.append(f"    return [{results}]")
    return "\n".join(lines) + "\n", namespace


# --- scalar specialisation --------------------------------------------------------------------

# A program whose every value is a float64 scalar runs on Python floats. A card's
# ``scalar`` template (IEEE-exact Python arithmetic: + - * /, abs, sqrt) replaces the
# NumPy call; every other equation calls its ufunc, codegen template or impl on the
# scalar, exactly as the array code does. Python raises where IEEE arithmetic would give
# inf or nan (1/0, sqrt(-1)); the caller then reruns the NumPy version. So results equal
# the array code's, and eager evaluation's, bit for bit.

_F64 = np.dtype(np.float64)


def _is_f64_scalar(aval) -> bool:
    return aval.shape == () and aval.dtype == _F64


def _scalar_template(eqn, ins):
    template = eqn.primitive.scalar
    if callable(template):
        return template(ins, eqn.params)
    if isinstance(template, str) and not eqn.params:
        return template.format(*ins)
    return None


def _scalar_codegen(jaxpr: Jaxpr, consts, internal=False):
    """Source over Python floats for an all-float64-scalar program, else None. A value
    computed by NumPy (an ``np.float64``) is made a Python float at once: Python's
    arithmetic on floats is IEEE's, as NumPy's, at a third of the cost."""
    every_var = list(jaxpr.invars) + [v for e in jaxpr.eqns for v in e.outputs]
    if jaxpr.constvars or not jaxpr.eqns or not all(_is_f64_scalar(v.aval) for v in every_var):
        return None
    for eqn in jaxpr.eqns:
        if eqn.primitive.multiple_results or has_sub_jaxpr(eqn):
            return None
        if not all(_is_f64_scalar(x.aval) for x in eqn.inputs):
            return None
    result = np.float64 if internal else _scalar_array
    namespace = {"np": np, "_m": math, "_f": float, "_asarray": result}
    names = {id(v): f"a{i}" for i, v in enumerate(jaxpr.invars)}

    def source(x):
        if type(x) is Var:
            return names[id(x)]
        value = float(x.val)
        return repr(value) if math.isfinite(value) else f"_f({repr(str(value))})"

    args = ", ".join(names[id(v)] for v in jaxpr.invars)
    lines = [f"def compiled({args}):"]
    lines += [f"    {names[id(v)]} = _f({names[id(v)]})" for v in jaxpr.invars]
    for j, eqn in enumerate(jaxpr.eqns):
        ins = [source(x) for x in eqn.inputs]
        out = names[id(eqn.outputs[0])] = f"v{j}"
        expr = _scalar_template(eqn, ins)
        if expr is None:
            expr = f"_f({_expression(eqn, ins, namespace, j)})"
        lines.append(f"    {out} = {expr}")
    results = ", ".join(f"_asarray({source(x)})" for x in jaxpr.outvars)
    lines.append(f"    return [{results}]")
    return "\n".join(lines) + "\n", namespace


_view = np.ndarray.view
_setflags = np.ndarray.setflags


def _scalar_array(value):
    out = _view(np.array(value), Array)  # wrap(), inlined: a read-only
    _setflags(out, False)  # Array of a Python float (hot: every scalar jit result)
    return out
