"""``explain``: a step-through record of what a transformed function computes.

``explain(fun)(*args)`` stages ``fun`` (any transformed function: ``grad(f)``,
``jit(vmap(grad(f)))``) with ``make_jaxpr``, then evaluates the program one equation at a
time — stepping into ``jit`` and custom-rule calls — and records each step: its primitive,
its pass (forward, or backward for equations a transpose rule made), the rule that made
it (``transpose of sin``), the user's line (``SourceInfo``), input and output types, and a
summary of its values (min, max, NaN and inf counts); for backward steps, also of the
cotangents it reads. The record prints as a table, shows as HTML in Jupyter and is a
dataclass that tests can inspect.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> record = explain(ad.grad(lambda x: mnp.sin(x) * 2.0))(0.5)
>>> [(s.pass_, s.primitive) for s in record.steps]
[('forward', 'sin'), ('forward', 'cos'), ('forward', 'mul'), ('backward', 'mul'), ('backward', 'mul')]
>>> record.steps[-1].rule
'transpose of sin'
>>> float(record.outputs[0])
1.7551651237807455
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from mini_ad.api import make_jaxpr
from mini_ad.core.jaxpr import ClosedJaxpr, Literal
from mini_ad.core.tracing import eval_trace, set_current_trace

__all__ = ["Explanation", "Step", "Summary", "explain"]


@dataclass
class Summary:
    """A value at a glance: its type, its finite min and max, its NaN and inf counts."""

    type: str
    min: float | None
    max: float | None
    nans: int
    infs: int

    @classmethod
    def of(cls, value) -> Summary:
        """The summary of an array (NaN/inf counted, min and max over finite entries).

        >>> print(Summary.of([1.0, float("nan"), -2.0]))
        [-2, 1] nan=1
        """
        a = np.asarray(value)
        kind = f"{a.dtype.name}{list(a.shape)}".replace(" ", "")
        if a.dtype.kind not in "fciub" or a.size == 0:
            return cls(kind, None, None, 0, 0)
        if a.dtype.kind == "c":
            a = np.abs(a)
        a = a.astype(np.float64)
        finite = a[np.isfinite(a)]
        lo = float(finite.min()) if finite.size else None
        hi = float(finite.max()) if finite.size else None
        return cls(kind, lo, hi, int(np.isnan(a).sum()), int(np.isinf(a).sum()))

    @property
    def finite(self) -> bool:
        """Whether the value holds no NaN and no inf."""
        return self.nans == 0 and self.infs == 0

    def __str__(self):
        rng = "-" if self.min is None else f"[{self.min:.4g}, {self.max:.4g}]"
        bad = f" nan={self.nans}" if self.nans else ""
        bad += f" inf={self.infs}" if self.infs else ""
        return f"{rng}{bad}"


@dataclass
class Step:
    """One equation as evaluated.

    ``pass_`` is ``"forward"`` or ``"backward"``; ``rule`` says which rule made the
    equation (``""`` for the user's own, ``"jvp of sin"``, ``"transpose of sin"``);
    ``depth`` counts the ``jit``/custom-rule calls it sits inside. ``outputs`` holds the
    values it computed; ``cotangents`` summarises, for a backward step, the inputs that
    are cotangents (made by earlier backward steps).
    """

    index: int
    pass_: str
    primitive: str
    rule: str
    source: object
    in_types: list[str]
    out_types: list[str]
    summaries: list[Summary]
    cotangents: list[Summary]
    outputs: list = field(repr=False)
    depth: int = 0
    eqn: object = field(default=None, repr=False)

    @property
    def where(self) -> str:
        """``file:line (function)`` of the user's code this step comes from."""
        return "" if self.source is None else self.source.location(short=True)

    @property
    def finite(self) -> bool:
        """Whether every output is free of NaN and inf."""
        return all(s.finite for s in self.summaries)


@dataclass
class Explanation:
    """What ``explain`` returns: the staged program, every step, the outputs."""

    name: str
    jaxpr: ClosedJaxpr
    steps: list[Step]
    outputs: list

    @property
    def forward(self) -> list[Step]:
        """The steps of the forward pass (the user's equations and residuals)."""
        return [s for s in self.steps if s.pass_ == "forward"]

    @property
    def backward(self) -> list[Step]:
        """The steps a transpose rule made: the backward pass, computing cotangents."""
        return [s for s in self.steps if s.pass_ == "backward"]

    @property
    def first_nonfinite(self) -> Step | None:
        """The first step whose outputs hold a NaN or an inf (None if every one is finite)."""
        return next((s for s in self.steps if not s.finite), None)

    def rows(self) -> list[list[str]]:
        """The table's rows (one per step, as strings, in ``HEADER``'s order)."""
        rows = []
        for s in self.steps:
            ct = "; ".join(str(c) for c in s.cotangents)
            rows.append([
                str(s.index), s.pass_, "  " * s.depth + s.primitive, s.rule, s.where,
                " ".join(s.in_types), " ".join(s.out_types),
                "; ".join(str(v) for v in s.summaries), ct,
            ])  # fmt: skip
        return rows

    HEADER = ("#", "pass", "primitive", "rule", "source", "in", "out", "values", "cotangents in")

    def __str__(self):
        rows = [list(self.HEADER), *self.rows()]
        widths = [max(len(r[k]) for r in rows) for k in range(len(self.HEADER))]
        lines = [f"explain({self.name}): {len(self.steps)} steps"]
        for i, row in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                lines.append("  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.HEADER)
        body = []
        for step, row in zip(self.steps, self.rows(), strict=True):
            style = ""
            if not step.finite:
                style = ' style="background:#f8d0d0"'
            elif step.pass_ == "backward":
                style = ' style="background:#eef3fb"'
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in row)
            body.append(f"<tr{style}>{cells}</tr>")
        caption = f"<caption>explain({html.escape(self.name)})</caption>"
        return f"<table>{caption}<tr>{head}</tr>{''.join(body)}</table>"


def explain(fun, **make_jaxpr_kwargs):
    """``explain(fun)(*args)``: evaluate ``fun`` step by step and record every equation.

    Args:
      fun: a function of arrays, usually transformed (``grad(f)``, ``jit(vmap(f))``).
      **make_jaxpr_kwargs: passed to ``make_jaxpr`` (``static_argnums``).

    Returns:
      A function taking ``fun``'s arguments and returning an ``Explanation``: ``steps``
      (one ``Step`` per equation, in order), ``outputs`` (``fun``'s flat outputs),
      ``jaxpr``; it prints as a table and shows as HTML in Jupyter.

    Raises:
      TypeError: ``fun`` is not callable (or as ``make_jaxpr`` raises for its arguments).

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> record = explain(ad.grad(lambda x: mnp.where(x > 0, mnp.sqrt(x), 0.0)))(0.0)
    >>> bad = record.first_nonfinite
    >>> bad.pass_, bad.primitive, bad.rule
    ('forward', 'div', 'jvp of sqrt')
    """
    if not callable(fun):
        raise TypeError(f"explain expected a callable function, got {fun!r}.")
    name = getattr(fun, "__name__", type(fun).__name__)

    def explained(*args) -> Explanation:
        closed = make_jaxpr(fun, **make_jaxpr_kwargs)(*args)
        flat = _flat_args(args, make_jaxpr_kwargs.get("static_argnums", ()))
        steps: list[Step] = []
        with set_current_trace(eval_trace):
            outputs = _run(closed.jaxpr, closed.consts, flat, steps, set(), 0)
        return Explanation(name, closed, steps, outputs)

    return explained


def _flat_args(args, static_argnums):
    from mini_ad.tree_util import tree_leaves

    static = {static_argnums} if isinstance(static_argnums, int) else set(static_argnums)
    return tree_leaves([a for i, a in enumerate(args) if i not in static])


def _run(jaxpr, consts, args, steps, backward_vars, depth) -> list:
    """Evaluate ``jaxpr`` one equation at a time, appending to ``steps``; call-like
    equations (``jit``, custom rules) are stepped into. ``backward_vars`` holds the ids
    of variables that backward steps made (cotangents)."""
    env = {}
    for v, x in zip(jaxpr.constvars, consts, strict=True):
        env[id(v)] = x
    for v, x in zip(jaxpr.invars, args, strict=True):
        env[id(v)] = x

    def read(x):
        return x.val if isinstance(x, Literal) else env[id(x)]

    for eqn in jaxpr.eqns:
        ins = [read(x) for x in eqn.inputs]
        source = eqn.source
        pass_ = "forward" if source is None else source.pass_
        rule = "" if source is None or source.rule is None else source.describe()
        if rule == f"jvp of {eqn.primitive.name}" and pass_ == "forward":
            rule = ""  # the primal value itself, computed by its jvp rule
        key = eqn.primitive.inline_param
        if key is not None:  # step into the call, then record it as a whole
            body = eqn.params[key]
            inner_backward = set()
            outs = _run(body.jaxpr, body.consts, ins, steps, inner_backward, depth + 1)
        else:
            out = eqn.primitive.bind(*ins, **eqn.params)
            outs = list(out) if eqn.primitive.multiple_results else [out]
        cts = [
            Summary.of(read(x))
            for x in eqn.inputs
            if not isinstance(x, Literal) and id(x) in backward_vars
        ]
        if pass_ == "backward":
            backward_vars.update(id(v) for v in eqn.outputs)
        if key is None:
            steps.append(Step(
                len(steps), pass_, eqn.primitive.name, rule, source,
                [_type(x) for x in eqn.inputs], [v.aval.str_short() for v in eqn.outputs],
                [Summary.of(o) for o in outs], cts if pass_ == "backward" else [], outs,
                depth, eqn,
            ))  # fmt: skip
        for v, o in zip(eqn.outputs, outs, strict=True):
            env[id(v)] = o
    return [read(x) for x in jaxpr.outvars]


def _type(x) -> str:
    return x.aval.str_short()
