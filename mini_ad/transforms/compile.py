"""jit's back half: ``compile_jaxpr : ClosedJaxpr -> (*arrays -> list of arrays)``.

A staged Jaxpr is first simplified —

* call-like equations (``jit``, ``custom_jvp_call``, ``custom_vjp_call``) are inlined,
  so their bodies take part in the passes below;
* constant folding: an equation whose inputs are all literals (or folded values) is
  evaluated now and its outputs become constants;
* common-subexpression elimination: an equation repeating an earlier one (same
  primitive, params and inputs) reuses its outputs;
* dead-code elimination: equations no output depends on are dropped —

then turned into straight-line Python source over NumPy, one line per equation
(``v3 = np.multiply(v1, v2)`` for hot elementwise primitives, a call of the
primitive's ``impl`` otherwise), compiled once with ``compile()`` and cached on the
``ClosedJaxpr``. Intermediates are deleted after their last use and their buffers
reused (``out=``) where that is safe, so memory stays close to eager evaluation's. Higher-order primitives (cond, scan, while, remat) call their own
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

import functools
import math
import weakref

import numpy as np

from mini_ad.core.jaxpr import ClosedJaxpr, Eqn, Jaxpr, Literal, Var
from mini_ad.core.tracing import eval_trace, set_current_trace

# Call-like primitives whose body compile may inline: primitive name -> the param
# holding the body (a ClosedJaxpr whose invars are the equation's inputs). Filled
# by mini_ad.control_flow, which defines those primitives.
INLINE_PARAMS: dict[str, str] = {}

# Primitives whose equations must not be merged by CSE (checkpoint's recomputation).
NO_CSE: set[str] = {"remat2"}

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def compile_jaxpr(closed: ClosedJaxpr):
    """The compiled Python function of ``closed`` (cached on the object)."""
    fn = _cache.get(closed)
    if fn is None:
        fn = _cache[closed] = _build(closed)[0]
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


def _build(closed):
    simple = simplify(closed)
    source, namespace = _codegen(schedule(simple.jaxpr), simple.consts)
    array_fn = _exec(source, namespace)
    scalar = _scalar_codegen(simple.jaxpr, simple.consts)
    if scalar is None:
        return array_fn, source
    scalar_source, scalar_namespace = scalar
    scalar_fn = _exec(scalar_source, scalar_namespace)

    def compiled(*args):
        try:
            return scalar_fn(*args)
        except (ZeroDivisionError, OverflowError, ValueError):  # inf/nan cases: NumPy's
            return array_fn(*args)

    note = "# Python floats; on ZeroDivisionError, OverflowError or ValueError it runs:\n"
    return compiled, scalar_source + note + source


def _exec(source, namespace):
    code = compile(source, "<mini_ad.jit>", "exec")
    exec(code, namespace)  # noqa: S102 - our own generated source
    return namespace["compiled"]


# --- simplification ---------------------------------------------------------------------------


def simplify(closed: ClosedJaxpr) -> ClosedJaxpr:
    """Inline calls, fold constants, eliminate common subexpressions and dead code."""
    jaxpr, consts = inline_calls(closed.jaxpr, list(closed.consts))
    jaxpr = fold_constants(jaxpr)
    jaxpr = cse_jaxpr(jaxpr)
    jaxpr, _ = dce_jaxpr(jaxpr, prune_inputs=False)
    used = {id(x) for e in jaxpr.eqns for x in e.inputs} | {id(x) for x in jaxpr.outvars}
    kept = [(v, c) for v, c in zip(jaxpr.constvars, consts, strict=True) if id(v) in used]
    jaxpr = Jaxpr([v for v, _ in kept], jaxpr.invars, jaxpr.eqns, jaxpr.outvars)
    return ClosedJaxpr(jaxpr, [c for _, c in kept])


def dce_jaxpr(jaxpr: Jaxpr, used_outputs=None, prune_inputs: bool = True):
    """Drop equations whose outputs are not needed (and, optionally, unused invars).

    Returns ``(jaxpr, used_inputs)``; ``used_outputs`` (default: all) selects outvars.
    """
    outvars = jaxpr.outvars
    if used_outputs is not None:
        outvars = [v for v, u in zip(outvars, used_outputs, strict=True) if u]
    live = {id(x) for x in outvars if type(x) is Var}
    kept = []
    for eqn in reversed(jaxpr.eqns):
        if any(id(v) in live for v in eqn.outputs):
            kept.append(eqn)
            live.update(id(x) for x in eqn.inputs if type(x) is Var)
    used_inputs = [id(v) in live for v in jaxpr.invars]
    invars = (
        [v for v, u in zip(jaxpr.invars, used_inputs, strict=True) if u]
        if prune_inputs
        else jaxpr.invars
    )
    return Jaxpr(jaxpr.constvars, invars, kept[::-1], outvars), used_inputs


def inline_calls(jaxpr: Jaxpr, consts: list) -> tuple[Jaxpr, list]:
    """Replace call-like equations by their bodies (fresh variables for each copy)."""
    if not any(e.primitive.name in INLINE_PARAMS for e in jaxpr.eqns):
        return jaxpr, consts
    constvars = list(jaxpr.constvars)
    eqns = []
    rename = {}

    def atom(x):
        return rename.get(id(x), x) if type(x) is Var else x

    for eqn in jaxpr.eqns:
        key = INLINE_PARAMS.get(eqn.primitive.name)
        if key is None:
            eqns.append(Eqn(eqn.primitive, [atom(x) for x in eqn.inputs], eqn.params, eqn.outputs))
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
            eqns.append(Eqn(e.primitive, ins, e.params, outs))
            env.update((id(v), o) for v, o in zip(e.outputs, outs, strict=True))
        for v, x in zip(eqn.outputs, inner.outvars, strict=True):
            rename[id(v)] = env[id(x)] if type(x) is Var else x
    outvars = [atom(x) for x in jaxpr.outvars]
    return Jaxpr(constvars, jaxpr.invars, eqns, outvars), consts


def fold_constants(jaxpr: Jaxpr) -> Jaxpr:
    """Evaluate equations whose inputs are all literals (or already folded)."""
    folded = {}  # id(var) -> Literal
    eqns = []
    with set_current_trace(eval_trace):
        for eqn in jaxpr.eqns:
            ins = [folded.get(id(x), x) if type(x) is Var else x for x in eqn.inputs]
            if all(type(x) is Literal for x in ins) and not _has_sub_jaxpr(eqn):
                outs = eqn.primitive.impl(*[x.val for x in ins], **eqn.params)
                outs = outs if eqn.primitive.multiple_results else [outs]
                for v, o in zip(eqn.outputs, outs, strict=True):
                    folded[id(v)] = Literal(np.asarray(o), v.aval)
                continue
            eqns.append(Eqn(eqn.primitive, ins, eqn.params, eqn.outputs))
    outvars = [folded.get(id(x), x) if type(x) is Var else x for x in jaxpr.outvars]
    return Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, outvars)


def _has_sub_jaxpr(eqn) -> bool:
    return any(
        isinstance(item, (Jaxpr, ClosedJaxpr))
        for value in eqn.params.values()
        for item in (value if isinstance(value, tuple) else (value,))
    )


def cse_jaxpr(jaxpr: Jaxpr) -> Jaxpr:
    """Reuse the outputs of an earlier identical equation (commutative operands in any
    order), and drop exact identities: ``x * 1``, ``-(-x)``, a conversion to x's own type."""
    seen = {}
    rename = {}
    eqns = []

    def atom(x):
        return rename.get(id(x), x) if type(x) is Var else x

    negated = {}  # id(out of a neg) -> its input, for neg(neg(x)) = x
    for eqn in jaxpr.eqns:
        ins = [atom(x) for x in eqn.inputs]
        same = _identity_input(eqn, ins, negated)
        if same is not None:
            rename[id(eqn.outputs[0])] = same
            continue
        if eqn.primitive.name == "neg" and type(ins[0]) is Var:
            negated[id(eqn.outputs[0])] = ins[0]
        key = _cse_key(eqn, ins)
        previous = seen.get(key) if key is not None else None
        if previous is not None:
            rename.update((id(v), p) for v, p in zip(eqn.outputs, previous, strict=True))
            continue
        if key is not None:
            seen[key] = eqn.outputs
        eqns.append(Eqn(eqn.primitive, ins, eqn.params, eqn.outputs))
    return Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, [atom(x) for x in jaxpr.outvars])


_COMMUTATIVE = {"add", "add_any", "mul", "max", "min", "and", "or", "xor", "eq", "ne"}


def _is_literal_one(x) -> bool:
    return type(x) is Literal and not x.aval.shape and x.aval.dtype.kind in "fc" and x.val == 1


def _identity_input(eqn, ins, negated):
    """The input an equation merely returns (bit for bit), or None."""
    name = eqn.primitive.name
    out = eqn.outputs[0].aval
    if name == "mul":
        for x, other in ((ins[0], ins[1]), (ins[1], ins[0])):
            if _is_literal_one(x) and type(other) is Var and other.aval.shape == out.shape:
                if other.aval.dtype == out.dtype:
                    return other
    elif name == "neg" and type(ins[0]) is Var and id(ins[0]) in negated:
        inner = negated[id(ins[0])]
        return inner if inner.aval.shape == out.shape else None
    elif name == "convert_element_type" and type(ins[0]) is Var:
        x = ins[0].aval
        return ins[0] if (x.shape, x.dtype) == (out.shape, out.dtype) else None
    return None


def _cse_key(eqn, ins):
    if eqn.primitive.name in NO_CSE:
        return None
    atoms = tuple(("v", id(x)) if type(x) is Var else _literal_key(x) for x in ins)
    if eqn.primitive.name in _COMMUTATIVE and len(atoms) == 2:
        atoms = tuple(sorted(atoms, key=repr))
    try:
        key = (eqn.primitive, tuple(sorted(eqn.params.items())), atoms)
        hash(key)
    except TypeError:
        return None
    return key


def _literal_key(lit: Literal):
    val = lit.val
    if isinstance(val, np.ndarray) and val.ndim:
        return ("array", id(val))
    item = val.item() if isinstance(val, (np.ndarray, np.generic)) else val
    if isinstance(item, float) and math.isnan(item):
        return ("nan", lit.aval)
    return ("lit", type(item), item, lit.aval)


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
    if not 3 <= len(eqns) <= 5000 or any(_has_sub_jaxpr(e) for e in eqns):
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


# --- code generation --------------------------------------------------------------------------


def _ufunc(name):
    return lambda ins, params, eqn: f"np.{name}({', '.join(ins)})" if not params else None


def _select_n(ins, params, eqn):
    if len(ins) != 3:
        return None
    return f"np.where({ins[0]}, {ins[2]}, {ins[1]})"


def _div(ins, params, eqn):
    return f"np.true_divide({ins[0]}, {ins[1]})" if eqn.outputs[0].aval.dtype.kind in "fc" else None


# Per-primitive templates: (input sources, params, eqn) -> expression, or None for the
# generic ``impl`` call. Each mirrors its primitive's impl exactly.
TEMPLATES = {
    "add": _ufunc("add"), "add_any": _ufunc("add"), "sub": _ufunc("subtract"),
    "mul": _ufunc("multiply"), "neg": _ufunc("negative"), "max": _ufunc("maximum"),
    "min": _ufunc("minimum"), "sin": _ufunc("sin"), "cos": _ufunc("cos"),
    "exp": _ufunc("exp"), "log": _ufunc("log"), "tanh": _ufunc("tanh"),
    "sqrt": _ufunc("sqrt"), "log1p": _ufunc("log1p"), "square": _ufunc("square"),
    "gt": _ufunc("greater"), "lt": _ufunc("less"), "ge": _ufunc("greater_equal"),
    "le": _ufunc("less_equal"), "eq": _ufunc("equal"), "ne": _ufunc("not_equal"),
    "select_n": _select_n, "div": _div,
}  # fmt: skip


def _integer_pow(ins, params, eqn):
    y = params["y"]
    return f"np.multiply({ins[0]}, {ins[0]})" if y == 2 else f"np.power({ins[0]}, {y})"


TEMPLATES["integer_pow"] = _integer_pow
_UFUNC_TEMPLATES = {name for name, t in TEMPLATES.items() if t.__name__ == "<lambda>"}


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
    """Vars holding an array that only they refer to: made by a ufunc template (or an
    argument the caller donates) and read only by ufunc templates (which never return
    views), of rank >= 1. Such a buffer may be overwritten (``out=``) by the equation
    that reads it last."""
    fresh = {id(jaxpr.invars[i]) for i in donated if jaxpr.invars[i].aval.ndim}
    for eqn in jaxpr.eqns:
        if eqn.primitive.name in _UFUNC_TEMPLATES and not eqn.params:
            fresh.update(id(v) for v in eqn.outputs if v.aval.ndim)
    for eqn in jaxpr.eqns:
        if eqn.primitive.name not in _UFUNC_TEMPLATES or eqn.params:
            fresh.difference_update(id(x) for x in eqn.inputs if type(x) is Var)
    fresh.difference_update(id(x) for x in jaxpr.outvars if type(x) is Var)
    return fresh


def _codegen(jaxpr: Jaxpr, consts, donated=()) -> tuple[str, dict]:
    """Straight-line NumPy source for ``jaxpr``. Intermediates are deleted after their
    last use, and a private intermediate read for the last time by a ufunc of the same
    type lends its buffer to the result (``out=``), so big programs need little memory.
    ``donated``: indices of arguments whose buffers the caller gives up (same rule)."""
    last_use = _last_uses(jaxpr)
    private = _private_buffers(jaxpr, donated)
    namespace = {"np": np, "_asarray": np.asarray}
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
        template = TEMPLATES.get(eqn.primitive.name)
        expr = template(ins, eqn.params, eqn) if template is not None else None
        if expr is None:
            fn = eqn.primitive.impl
            if fn is None:
                raise NotImplementedError(f"'{eqn.primitive.name}' has no impl to compile.")
            namespace[f"f{j}"] = functools.partial(fn, **eqn.params) if eqn.params else fn
            expr = f"f{j}({', '.join(ins)})"
        elif eqn.primitive.name in _UFUNC_TEMPLATES and not eqn.params:
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

# A program whose every value is a float64 scalar runs on Python floats with ``math``,
# about ten times faster per operation than NumPy on 0-d arrays. Python raises where
# IEEE arithmetic would give inf or nan (1/0, exp(1000), log(-1)); the caller then
# reruns the NumPy version, so results are NumPy's in every case.
SCALAR_TEMPLATES = {
    "add": "{0} + {1}", "add_any": "{0} + {1}", "sub": "{0} - {1}", "mul": "{0} * {1}",
    "div": "{0} / {1}", "neg": "-{0}", "square": "{0} * {0}", "abs": "abs({0})",
    "sin": "_m.sin({0})", "cos": "_m.cos({0})", "tan": "_m.tan({0})", "exp": "_m.exp({0})",
    "log": "_m.log({0})", "log1p": "_m.log1p({0})", "expm1": "_m.expm1({0})",
    "sqrt": "_m.sqrt({0})", "tanh": "_m.tanh({0})", "sinh": "_m.sinh({0})",
    "cosh": "_m.cosh({0})", "atan": "_m.atan({0})", "asin": "_m.asin({0})",
    "acos": "_m.acos({0})",
}  # fmt: skip

_F64 = np.dtype(np.float64)


def _is_f64_scalar(aval) -> bool:
    return aval.shape == () and aval.dtype == _F64


def _scalar_codegen(jaxpr: Jaxpr, consts):
    """Source over Python floats for an all-float64-scalar program, else None."""
    every_var = list(jaxpr.invars) + [v for e in jaxpr.eqns for v in e.outputs]
    if jaxpr.constvars or not jaxpr.eqns or not all(_is_f64_scalar(v.aval) for v in every_var):
        return None
    for eqn in jaxpr.eqns:
        name = eqn.primitive.name
        pow_ok = name == "integer_pow" and eqn.params["y"] >= 0
        if not (name in SCALAR_TEMPLATES and not eqn.params or pow_ok):
            return None
        if not all(_is_f64_scalar(x.aval) for x in eqn.inputs):
            return None
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
        if eqn.primitive.name == "integer_pow":
            expr = f"{ins[0]} ** {eqn.params['y']}"
        else:
            expr = SCALAR_TEMPLATES[eqn.primitive.name].format(*ins)
        lines.append(f"    {out} = {expr}")
    results = ", ".join(f"_asarray({source(x)})" for x in jaxpr.outvars)
    lines.append(f"    return [{results}]")
    return "\n".join(lines) + "\n", {"_m": math, "_f": float, "_asarray": _scalar_array}


def _scalar_array(value):
    return np.asarray(value, dtype=np.float64)
