"""A function's three programs side by side: forward, linearized (jvp) and transposed (vjp).

``derivative_programs(f)(*args)`` stages ``f`` (the forward program), linearizes that
program at ``args`` (the jvp program: linear in the input tangents, its constants the
residuals) and transposes it (the vjp program: the backward pass). Every derivative
equation carries its provenance (``core/source_info.py``), so each is linked to the
forward equation it was made for; the pictures draw those links as dashed edges between
the programs. The programs are evaluated (tangents and cotangents of ones) and nodes whose
values hold a NaN (red) or an inf (orange) are highlighted.

>>> import mini_ad.numpy as mnp
>>> d = derivative_programs(lambda x: mnp.where(x > 0, mnp.sqrt(x), 0.0))(0.0)
>>> [e.primitive.name for e in d.forward.eqns]
['gt', 'sqrt', 'select_n']
>>> sorted({d.node_label(a, i) for a, i, b, _ in d.links if b == "jvp"})
['c = sqrt a', 'd = select_n b 0.0 c']
>>> sorted((p, d.node_label(p, i), kind) for (p, i), kind in d.kinds.items())
[('jvp', 'b = mul a inf', 'inf'), ('vjp', 'c = mul b inf', 'nan')]
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np

from mini_ad.api import make_jaxpr
from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Literal, eval_jaxpr
from mini_ad.core.source_info import SourceInfo, _current
from mini_ad.core.tracing import EvalTrace, eval_trace, set_current_trace
from mini_ad.transforms.partial_eval import linearize_flat
from mini_ad.transforms.staging import trace_to_jaxpr
from mini_ad.transforms.transpose import backward_pass
from mini_ad.tree_util import tree_leaves
from mini_ad.viz.graph import _COLORS, _layout, jaxpr_graph

__all__ = ["DerivativePrograms", "derivative_programs"]

PROGRAMS = ("forward", "jvp", "vjp")
_NAN, _INF, _LINK = "#f4a3a3", "#fbd38d", "#b04a9b"


class DerivativePrograms:
    """The forward, jvp and vjp programs of a function at some arguments.

    Attributes: ``forward``, ``jvp``, ``vjp`` (``ClosedJaxpr``); ``links``: tuples
    ``(program, node, program, node)`` from a forward equation's node to the jvp nodes
    made for it, and from a jvp node to the vjp nodes that transpose it; ``nonfinite``: ``{(program, node)}`` whose values
    hold a NaN or inf, and ``kinds`` (``"nan"``/``"inf"``) for each. Node indices are
    those of ``mini_ad.viz.jaxpr_graph``.
    """

    def __init__(self, name, programs, links, nonfinite):
        self.name = name
        self.forward, self.jvp, self.vjp = programs
        self.links = links
        self.kinds = nonfinite
        self.nonfinite = set(nonfinite)
        self._graphs = {p: jaxpr_graph(c) for p, c in zip(PROGRAMS, programs, strict=True)}

    def program(self, which: str) -> ClosedJaxpr:
        """The program ``"forward"``, ``"jvp"`` or ``"vjp"``."""
        return {"forward": self.forward, "jvp": self.jvp, "vjp": self.vjp}[which]

    def node_label(self, which: str, node: int) -> str:
        """The label of node ``node`` of program ``which`` (as ``jaxpr_graph`` gives it)."""
        return self._graphs[which][node].label

    def _fill(self, which, node):
        kind = self.kinds.get((which, node))
        if kind is not None:
            return _NAN if kind == "nan" else _INF
        return _COLORS[self._graphs[which][node].kind]

    # --- DOT and SVG ------------------------------------------------------------------------
    def to_dot(self) -> str:
        """The three programs as DOT clusters, with dashed provenance edges."""
        lines = [
            f'digraph "{_escape(self.name)}" {{',
            "  rankdir=TB; newrank=true;",
            '  node [shape=box, style="rounded,filled", fontname="monospace"];',
        ]
        titles = {"forward": "forward", "jvp": "linearized (jvp)", "vjp": "transposed (vjp)"}
        for which in PROGRAMS:
            nodes = self._graphs[which]
            lines.append(f"  subgraph cluster_{which} {{")
            lines.append(f'    label="{titles[which]}"; fontname="monospace";')
            for i, node in enumerate(nodes):
                extra = ', style="rounded,filled,dashed"' if node.kind == "dead" else ""
                lines.append(
                    f'    {which}{i} [label="{_escape(node.label)}", '
                    f'fillcolor="{self._fill(which, i)}"{extra}];'
                )
            lines += [
                f"    {which}{j} -> {which}{i};" for i, n in enumerate(nodes) for j in n.inputs
            ]
            lines.append("  }")
        for a, i, b, j in self.links:
            lines.append(
                f'  {a}{i} -> {b}{j} [style=dashed, color="{_LINK}", constraint=false, '
                "arrowhead=none];"
            )
        lines.append("}")
        return "\n".join(lines)

    def svg(self) -> str:
        """An SVG picture: Graphviz's ``dot`` if it is installed, else matplotlib's."""
        dot = shutil.which("dot")
        if dot is not None:
            done = subprocess.run(
                [dot, "-Tsvg"], input=self.to_dot(), capture_output=True, text=True, check=True
            )
            return done.stdout
        import io

        figure = self.draw()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(figure)
        return buffer.getvalue()

    def _repr_svg_(self) -> str:
        return self.svg()

    def draw(self, figsize=None):
        """The three programs side by side with matplotlib; returns the Figure."""
        import matplotlib.pyplot as plt
        from matplotlib.patches import ConnectionPatch

        from mini_ad.viz.graph import draw_jaxpr

        heights = [len(_layout(self._graphs[p])[0]) for p in PROGRAMS]
        widths = [max(_layout(self._graphs[p])[1], 10.0) for p in PROGRAMS]
        if figsize is None:
            figsize = (min(0.09 * sum(widths) + 1.5, 40.0), 0.5 * max(heights) / 2 + 2.0)
        figure, axes = plt.subplots(1, 3, figsize=figsize, width_ratios=widths)
        titles = ("forward", "linearized (jvp)", "transposed (vjp)")
        for ax, which, title in zip(axes, PROGRAMS, titles, strict=True):
            colors = {i: self._fill(which, i) for i in range(len(self._graphs[which]))}
            draw_jaxpr(self.program(which), ax=ax, title=title, colors=colors)
        where = {p: _layout(self._graphs[p])[0] for p in PROGRAMS}
        for a, i, b, j in self.links:
            figure.add_artist(ConnectionPatch(
                where[a][i], where[b][j], coordsA=axes[PROGRAMS.index(a)].transData,
                coordsB=axes[PROGRAMS.index(b)].transData, color=_LINK, ls="--", lw=0.8,
                alpha=0.6,
            ))  # fmt: skip
        figure.suptitle(f"{self.name}: forward, jvp and vjp programs", family="monospace")
        return figure


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def derivative_programs(fun):
    """``derivative_programs(fun)(*args)``: ``fun``'s forward, jvp and vjp programs.

    Args:
      fun: a function of arrays (pytrees of arrays) returning arrays.

    Returns:
      A function of ``fun``'s arguments returning a ``DerivativePrograms``: the three
      ``ClosedJaxpr``s, the provenance links between their equations, the nodes holding
      NaN/inf; ``to_dot()`` writes DOT text, ``svg()`` an SVG (shown in Jupyter), and
      ``draw()`` a matplotlib figure.

    Raises:
      TypeError: ``fun`` is not callable.

    >>> import mini_ad.numpy as mnp
    >>> d = derivative_programs(mnp.sin)(1.0)
    >>> print(d.jvp)
    { lambda ; a:f64[]. let b:f64[] = mul a 0.5403023058681398:f64[] in (b,) }
    >>> d.to_dot().count("style=dashed")  # sin -> its jvp mul -> its transpose
    2
    """
    if not callable(fun):
        raise TypeError(f"derivative_programs expected a callable function, got {fun!r}.")
    name = getattr(fun, "__name__", type(fun).__name__)

    def build(*args) -> DerivativePrograms:
        forward = make_jaxpr(fun)(*args)
        primals = tree_leaves(args)
        # Evaluate the forward program with a fresh source record per equation, so that
        # every derivative equation can be traced back to the one it was made for.
        marks = [
            SourceInfo(*e.source) if e.source is not None and e.source.rule is None else
            SourceInfo(None, 0) for e in forward.eqns
        ]  # fmt: skip
        owner = {id(m): k for k, m in enumerate(marks)}

        def run(*xs):
            relabeled = Jaxpr(
                forward.jaxpr.constvars, forward.jaxpr.invars,
                [_with_source(e, m) for e, m in zip(forward.eqns, marks, strict=True)],
                forward.jaxpr.outvars,
            )  # fmt: skip
            return eval_jaxpr(relabeled, forward.consts, xs)

        token = _current.set(None)
        try:  # an eval trace of our own: on ``eval_trace`` linearize records no sources
            with set_current_trace(EvalTrace(None)):
                outs, lin, residuals = linearize_flat(run, primals)
                jvp = ClosedJaxpr(lin, residuals)
                out_avals = [v.aval for v in lin.outvars]
                vjp_jaxpr, vjp_consts = trace_to_jaxpr(
                    lambda *cts: _zeros_for_none(backward_pass(lin, residuals, cts), lin.invars),
                    out_avals,
                )
        finally:
            _current.reset(token)
        vjp = ClosedJaxpr(vjp_jaxpr, vjp_consts)
        programs = (forward, jvp, vjp)
        links = _links(programs, owner)
        nonfinite = _nonfinite(programs, primals)
        return DerivativePrograms(name, programs, links, nonfinite)

    return build


def _with_source(eqn, source):
    from mini_ad.core.jaxpr import Eqn

    return Eqn(eqn.primitive, eqn.inputs, eqn.params, eqn.outputs, source)


def _zeros_for_none(cts, invars):
    return [
        np.zeros(v.aval.shape, v.aval.dtype) if c is None else c
        for c, v in zip(cts, invars, strict=True)
    ]


def _first_node(closed) -> int:
    return len(closed.jaxpr.constvars) + len(closed.jaxpr.invars)


def _links(programs, owner) -> list:
    """Forward node -> jvp node for each linear equation made for a forward equation, and
    jvp node -> vjp node for each backward equation made by transposing a linear one
    (else forward node -> vjp node), read off the chains of sources."""
    forward, jvp, _ = programs
    base, jvp_base = _first_node(forward), _first_node(jvp)
    made_by = {}  # id(source of linear equations) -> their jvp nodes
    for k, eqn in enumerate(jvp.eqns):
        made_by.setdefault(id(eqn.source), []).append(jvp_base + k)
    links = []
    for which, closed in zip(PROGRAMS[1:], programs[1:], strict=True):
        first = _first_node(closed)
        for k, eqn in enumerate(closed.eqns):
            source = eqn.source
            if which == "vjp" and source is not None and source.rule == "transpose":
                linear = made_by.get(id(source.origin))
                if linear:
                    links += [("jvp", j, "vjp", first + k) for j in linear]
                    continue
            while source is not None and id(source) not in owner and source.rule is not None:
                source = source.origin
            if source is not None and id(source) in owner:
                links.append(("forward", base + owner[id(source)], which, first + k))
    return links


def _nonfinite(programs, primals) -> dict:
    """``{(program, node): "nan" | "inf"}`` evaluating with tangents/cotangents of ones."""
    found = {}
    inputs = [
        primals,
        [np.ones(v.aval.shape, v.aval.dtype) for v in programs[1].jaxpr.invars],
        [np.ones(v.aval.shape, v.aval.dtype) for v in programs[2].jaxpr.invars],
    ]
    for which, closed, args in zip(PROGRAMS, programs, inputs, strict=True):
        jaxpr = closed.jaxpr
        values = list(closed.consts) + list(args)
        for i, value in enumerate(values):
            kind = _kind(value)
            if kind:
                found[which, i] = kind
        env = {id(v): x for v, x in zip(jaxpr.constvars + jaxpr.invars, values, strict=True)}
        first = len(values)
        with set_current_trace(eval_trace):
            for k, eqn in enumerate(jaxpr.eqns):
                ins = [x.val if isinstance(x, Literal) else env[id(x)] for x in eqn.inputs]
                out = eqn.primitive.bind(*ins, **eqn.params)
                outs = out if eqn.primitive.multiple_results else [out]
                env.update(zip(map(id, eqn.outputs), outs, strict=True))
                kinds = {_kind(o) for o in outs} - {None}
                if kinds:
                    found[which, first + k] = "nan" if "nan" in kinds else "inf"
    return found


def _kind(value) -> str | None:
    a = np.asarray(value)
    if a.dtype.kind not in "fc":
        return None
    if np.isnan(a).any():
        return "nan"
    return "inf" if np.isinf(a).any() else None
