"""The IR: variables, literals, equations, Jaxprs; a type checker, an evaluator and
a printer that writes JAX's text format.

A ``Jaxpr`` is a straight-line program ``{ lambda constvars ; invars . let eqns in
outvars }``. Control-flow primitives hold sub-Jaxprs in their params.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray, concrete_aval
from mini_ad.core.source_info import _current as _current_source
from mini_ad.core.tracing import _current_trace, eval_trace

MAX_WIDTH = 80


class Var:
    """A variable of a Jaxpr, typed by its aval. Compared by identity."""

    __slots__ = ("aval",)

    def __init__(self, aval: ShapedArray):
        self.aval = aval

    def __repr__(self):
        return f"Var({self.aval.str_short()})"


class Literal:
    """A scalar constant written inline in a Jaxpr, e.g. ``2.0:f64[]``."""

    __slots__ = ("val", "aval")

    def __init__(self, val, aval: ShapedArray | None = None):
        self.val = val
        self.aval = concrete_aval(val) if aval is None else aval

    def __repr__(self):
        return f"Literal({self.pretty()})"

    def pretty(self) -> str:
        if np.ndim(self.val):  # an array folded by jit's simplifier: its values, abridged
            text = np.array2string(np.asarray(self.val), separator=", ", threshold=6)
            return f"{' '.join(text.split())}:{self.aval.str_short()}"
        val = self.val.item() if isinstance(self.val, (np.ndarray, np.generic)) else self.val
        if self.aval.dtype.kind == "f":
            val = float(val)
        return f"{val!r}:{self.aval.str_short()}"


class Eqn:
    """One equation ``outputs = primitive[params] inputs`` (JAX: invars/outvars).

    ``source`` is the ``SourceInfo`` of the user's line that created it (JAX:
    ``source_info``), or None.
    """

    __slots__ = ("primitive", "inputs", "params", "outputs", "source")

    def __init__(self, primitive, inputs, params, outputs, source=None):
        self.primitive = primitive
        self.inputs = inputs
        self.params = params
        self.outputs = outputs
        self.source = source

    def __repr__(self):
        return pp_eqn(self, _Namer(), 0, {id(v) for v in self.outputs})


class Jaxpr:
    """A typed, closed straight-line program (JAX: core.Jaxpr)."""

    __slots__ = ("constvars", "invars", "eqns", "outvars")

    def __init__(self, constvars, invars, eqns, outvars):
        self.constvars = list(constvars)
        self.invars = list(invars)
        self.eqns = list(eqns)
        self.outvars = list(outvars)

    @property
    def in_avals(self):
        return [v.aval for v in self.invars]

    @property
    def out_avals(self):
        return [v.aval for v in self.outvars]

    def __str__(self):
        return pp_jaxpr(self, _Namer(), 0)

    __repr__ = __str__

    def pretty_print(self, source_info: bool = False) -> str:
        """The printed text; with ``source_info`` every equation ends with a comment
        naming the user's line that created it (``# model.py:12:8 (f)``), as in JAX.

        >>> import mini_ad as ad, mini_ad.numpy as mnp
        >>> text = ad.make_jaxpr(mnp.sin)(1.0).jaxpr.pretty_print(source_info=True)
        >>> text.splitlines()[1].split("#")[0]
        '    b:f64[] = sin a '
        """
        return pp_jaxpr(self, _Namer(), 0, source_info)


class ClosedJaxpr:
    """A Jaxpr with the values of its constvars (what ``make_jaxpr`` returns).

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> closed = ad.make_jaxpr(mnp.sin)(1.0)
    >>> print(closed)
    { lambda ; a:f64[]. let b:f64[] = sin a in (b,) }
    >>> closed.out_avals
    [ShapedArray(f64[], weak_type=True)]
    """

    __slots__ = ("jaxpr", "consts", "__weakref__")  # weakref: compile/transform caches

    def __init__(self, jaxpr: Jaxpr, consts):
        self.jaxpr = jaxpr
        self.consts = list(consts)

    @property
    def eqns(self):
        return self.jaxpr.eqns

    @property
    def in_avals(self):
        return self.jaxpr.in_avals

    @property
    def out_avals(self):
        return self.jaxpr.out_avals

    def __call__(self, *args):
        return eval_jaxpr(self.jaxpr, self.consts, args)

    def __str__(self):
        return str(self.jaxpr)

    def pretty_print(self, source_info: bool = False) -> str:
        """The printed text (see ``Jaxpr.pretty_print``).

        Args:
          source_info: end each equation's line with ``# file:line:column (function)``,
            the user's code that created it (JAX's format); ``print`` leaves it out.

        Returns:
          The text, one equation per line when ``source_info`` is set.

        >>> import mini_ad as ad, mini_ad.numpy as mnp
        >>> text = ad.make_jaxpr(mnp.sin)(1.0).pretty_print(source_info=True)
        >>> text.splitlines()[1].startswith("    b:f64[] = sin a # ")
        True
        """
        return self.jaxpr.pretty_print(source_info)

    __repr__ = __str__


# --- evaluation ----------------------------------------------------------------------


def eval_jaxpr(jaxpr: Jaxpr, consts, args) -> list:
    """Run ``jaxpr`` by binding each equation's primitive on the current trace.

    As ``jax.core.eval_jaxpr``. Iterative (no recursion over equations), so it handles
    programs of any length; under an enclosing transform the evaluation is itself
    transformed (so ``grad`` of ``eval_jaxpr`` works).

    Args:
      jaxpr: an open ``Jaxpr`` (a ``ClosedJaxpr``'s ``.jaxpr``).
      consts: the values of ``jaxpr.constvars``, in order (a ``ClosedJaxpr``'s ``.consts``).
      args: the values of ``jaxpr.invars``, in order (flat: arrays, not pytrees).

    Returns:
      The list of the values of ``jaxpr.outvars``.

    Raises:
      TypeError: the number of ``consts`` or ``args`` is wrong.

    Examples:
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> closed = ad.make_jaxpr(lambda x: mnp.sin(x) * 2.0)(1.0)
      >>> (out,) = ad.eval_jaxpr(closed.jaxpr, closed.consts, [0.5])
      >>> print(round(float(out), 6))
      0.958851
    """
    env = {}
    _bind_vars(env, jaxpr.constvars, consts)
    _bind_vars(env, jaxpr.invars, args)
    plain = _current_trace.get() is eval_trace  # nothing is staged or checked: no sources
    for eqn in jaxpr.eqns:
        ins = [env[id(x)] if type(x) is Var else x.val for x in eqn.inputs]
        if plain or eqn.source is None:
            out = eqn.primitive.bind(*ins, **eqn.params)
        else:  # equations staged from here keep this one's source
            token = _current_source.set(eqn.source)
            try:
                out = eqn.primitive.bind(*ins, **eqn.params)
            finally:
                _current_source.reset(token)
        if eqn.primitive.multiple_results:
            _bind_vars(env, eqn.outputs, out)
        else:
            env[id(eqn.outputs[0])] = out
    return [env[id(x)] if type(x) is Var else x.val for x in jaxpr.outvars]


def _bind_vars(env, variables, values):
    if len(variables) != len(values):
        raise TypeError(f"expected {len(variables)} values for a Jaxpr, got {len(values)}")
    for v, x in zip(variables, values, strict=True):
        env[id(v)] = x


# --- type checking -------------------------------------------------------------------


# --- printing ------------------------------------------------------------------------


class _Namer:
    """Names variables a, b, ..., z, ba, bb, ... in order of first appearance."""

    def __init__(self):
        self.names = {}

    def __call__(self, v: Var) -> str:
        name = self.names.get(id(v))
        if name is None:
            name = self.names[id(v)] = _base26(len(self.names))
        return name


def _base26(n: int) -> str:
    digits = ""
    while True:
        digits = chr(ord("a") + n % 26) + digits
        n //= 26
        if n == 0:
            return digits


def _pp_binder(v: Var, namer, used) -> str:
    name = namer(v) if id(v) in used else "_"
    return f"{name}:{v.aval.str_short()}"


def _pp_atom(x, namer) -> str:
    return x.pretty() if isinstance(x, Literal) else namer(x)


def _used_vars(jaxpr: Jaxpr) -> set:
    used = {id(x) for eqn in jaxpr.eqns for x in eqn.inputs if type(x) is Var}
    used.update(id(x) for x in jaxpr.outvars if type(x) is Var)
    return used


def _pp_value(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name
    if isinstance(value, tuple):
        inner = ", ".join(_pp_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def _is_jaxpr_param(value) -> bool:
    items = value if isinstance(value, tuple) else (value,)
    return bool(items) and all(isinstance(v, (Jaxpr, ClosedJaxpr)) for v in items)


def pp_eqn(eqn: Eqn, namer, indent: int, used, source_info: bool = False) -> str:
    outs = " ".join(_pp_binder(v, namer, used) for v in eqn.outputs)
    ins = " ".join(_pp_atom(x, namer) for x in eqn.inputs)
    params = eqn.params
    if eqn.primitive.print_params is not None:
        params = eqn.primitive.print_params(params)
    # an equation without outputs (an effect: debug_callback) prints no binders, as in JAX
    head = f"{outs} = {eqn.primitive.name}" if eqn.outputs else eqn.primitive.name
    has_jaxpr = any(_is_jaxpr_param(v) for v in params.values())
    if not params:
        return f"{' ' * indent}{head} {ins}"
    if not has_jaxpr:
        inline = " ".join(f"{k}={_pp_value(params[k])}" for k in _param_order(params))
        line = f"{' ' * indent}{head}[{inline}] {ins}"
        if len(line) <= MAX_WIDTH:
            return line
    lines = [f"{' ' * indent}{head}["]
    for k in _param_order(params):
        lines.append(_pp_param(k, params[k], namer, indent + 2, source_info))
    lines.append(f"{' ' * indent}] {ins}")
    return "\n".join(lines)


def _param_order(params) -> list:
    """Sorted by name, except that ``name`` (of jit, custom_jvp_call, ...) comes first."""
    return sorted(params, key=lambda k: (k != "name", k))


def _pp_param(key, value, namer, indent, source_info=False) -> str:
    pad = " " * indent
    if not _is_jaxpr_param(value):
        return f"{pad}{key}={_pp_value(value)}"
    if not isinstance(value, tuple):
        return f"{pad}{key}={pp_jaxpr(_open(value), namer, indent, source_info)}"
    inner = [
        f"{' ' * (indent + 2)}{pp_jaxpr(_open(j), namer, indent + 2, source_info)}" for j in value
    ]
    return "\n".join([f"{pad}{key}=(", *inner, f"{pad})"])


def _open(j):
    return j.jaxpr if isinstance(j, ClosedJaxpr) else j


def pp_jaxpr(jaxpr: Jaxpr, namer, indent: int, source_info: bool = False) -> str:
    """The text JAX prints for ``jaxpr``, starting at column ``indent``.

    ``str(jaxpr)`` calls it with a fresh namer and indent 0; a short program fits one
    line, a longer one gets one equation per line.

    Args:
      jaxpr: an open ``Jaxpr``.
      namer: a callable giving each ``Var`` its name (``a``, ``b``, ...), shared with
        sub-jaxprs so names stay consistent.
      indent: the column at which the text starts (for nested jaxprs).
      source_info: print one equation per line, each followed by ``# <its source>``.

    Returns:
      The text.

    Examples:
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.core.jaxpr import _Namer, pp_jaxpr
      >>> closed = ad.make_jaxpr(lambda x: mnp.sin(x) * 2.0)(1.0)
      >>> print(pp_jaxpr(closed.jaxpr, _Namer(), 0))
      { lambda ; a:f64[]. let b:f64[] = sin a; c:f64[] = mul b 2.0:f64[] in (c,) }
    """
    used = _used_vars(jaxpr)
    consts = " ".join(f"{namer(v)}:{v.aval.str_short()}" for v in jaxpr.constvars)
    invars = " ".join(f"{namer(v)}:{v.aval.str_short()}" for v in jaxpr.invars)
    header = f"{{ lambda {consts}; {invars}. let"
    eqns = [pp_eqn(e, namer, indent + 4, used, source_info) for e in jaxpr.eqns]
    outs = ", ".join(_pp_atom(x, namer) for x in jaxpr.outvars)
    outs = f"({outs},)" if len(jaxpr.outvars) == 1 else f"({outs})"
    if source_info and eqns:
        eqns = _with_sources(eqns, jaxpr.eqns)
    elif not any("\n" in e for e in eqns):
        body = "; ".join(e.lstrip() for e in eqns)
        one_line = f"{header} {body} in {outs} }}"
        if indent + len(one_line) <= MAX_WIDTH:
            return one_line
    return "\n".join([header, *eqns, f"{' ' * (indent + 2)}in {outs} }}"])


def _with_sources(texts, eqns) -> list:
    """Each equation's first line followed by ``# <source>``, the comments aligned."""
    column = max(len(t.split("\n", 1)[0]) for t in texts) + 1
    out = []
    for text, eqn in zip(texts, eqns, strict=True):
        first, _, rest = text.partition("\n")
        where = "" if eqn.source is None else eqn.source.location()
        first = f"{first.ljust(column)}# {where}"
        out.append(f"{first}\n{rest}" if rest else first)
    return out
