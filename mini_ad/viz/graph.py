"""Pictures of a Jaxpr's dataflow: which equation feeds which.

PyTorch shows its recorded graph one node at a time (``y.grad_fn``,
``grad_fn.next_functions``); in mini_ad the whole program is a value, the Jaxpr that
:func:`mini_ad.make_jaxpr` returns. :func:`jaxpr_graph` turns it into nodes and edges,
:func:`to_dot` writes them in Graphviz's DOT language (to paste into any DOT viewer; no
Graphviz is needed here) and :func:`draw_jaxpr` draws them with matplotlib.

Each equation is one node, labelled like its line in the printed Jaxpr but without types
(``c = mul b 2.0``), so the picture and the text read side by side; variable names are
the printer's. Equations whose results nothing uses (printed with ``_`` binders, e.g.
the primal value that ``grad`` computes but does not return) are marked dead.

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> closed = ad.make_jaxpr(ad.grad(mnp.sin))(1.0)
>>> print(closed)
{ lambda ; a:f64[]. let
    _:f64[] = sin a
    b:f64[] = cos a
    c:f64[] = mul 1.0:f64[] b
  in (c,) }
>>> for node in jaxpr_graph(closed):
...     print(node.kind, repr(node.label), node.inputs)
input 'a:f64[]' []
dead '_ = sin a' [0]
eqn 'b = cos a' [0]
eqn 'c = mul 1.0 b' [2]
output 'out c' [3]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Literal, Var, _Namer, pp_jaxpr

_COLORS = {
    "input": "#cfe3f7",
    "const": "#e4e4e4",
    "eqn": "#fdf1c7",
    "dead": "#f2f2f2",
    "output": "#d3f0d0",
}


class Node(NamedTuple):
    """A node of the dataflow graph: ``kind`` is one of input, const, eqn, dead or output;
    ``inputs`` are the indices of the nodes whose values it reads."""

    kind: str
    label: str
    inputs: list[int]


def _open(jaxpr) -> Jaxpr:
    if isinstance(jaxpr, ClosedJaxpr):
        return jaxpr.jaxpr
    if isinstance(jaxpr, Jaxpr):
        return jaxpr
    raise TypeError(f"expected a Jaxpr or ClosedJaxpr (from make_jaxpr), got {type(jaxpr)}")


def _param_text(value) -> str:
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, type) and issubclass(value, np.generic):
        return np.dtype(value).name
    if isinstance(value, tuple):
        inner = ", ".join(_param_text(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, (Jaxpr, ClosedJaxpr)):
        return "{...}"
    return str(value)


def _literal_text(x: Literal) -> str:
    return x.pretty().split(":")[0]  # "2.0:f64[]" -> "2.0"


def jaxpr_graph(jaxpr, show_types: bool = False, in_names=None, out_names=None) -> list[Node]:
    """The dataflow graph of ``jaxpr`` as a list of ``Node``s in program order.

    Constants and inputs first, then one node per equation (``"dead"`` when its result
    is unused), then one per output; each node lists the indices of the nodes it reads.
    Variables are named exactly as ``print(jaxpr)`` names them.

    Args:
      jaxpr: a ``Jaxpr`` or ``ClosedJaxpr`` (from ``make_jaxpr``).
      show_types: give equation labels their result types (``c:f64[] = ...``).
      in_names: None, or one string per input variable, added to those nodes' labels
        (e.g. to say which pytree leaf each one is).
      out_names: None, or one string per output variable, likewise.

    Returns:
      A list of ``Node(kind, label, inputs)``.

    Raises:
      TypeError: ``jaxpr`` is not a Jaxpr or ClosedJaxpr.
      ValueError: ``in_names`` or ``out_names`` has the wrong length.

    Example:
      >>> import mini_ad as ad
      >>> from mini_ad.viz import jaxpr_graph
      >>> closed = ad.make_jaxpr(lambda x, y: x * y + 1.0)(1.0, 2.0)
      >>> for node in jaxpr_graph(closed, in_names=["x", "y"]):
      ...     print(node.kind, node.label, node.inputs)
      input a:f64[] (x) []
      input b:f64[] (y) []
      eqn c = mul a b [0, 1]
      eqn d = add c 1.0 [2]
      output out d [3]
    """
    jaxpr = _open(jaxpr)
    in_names = _check_names(in_names, len(jaxpr.invars), "in_names")
    out_names = _check_names(out_names, len(jaxpr.outvars), "out_names")
    namer = _Namer()
    pp_jaxpr(jaxpr, namer, 0)  # name the variables exactly as the printed text does
    used = {id(x) for eqn in jaxpr.eqns for x in eqn.inputs if type(x) is Var}
    used.update(id(x) for x in jaxpr.outvars if type(x) is Var)

    nodes: list[Node] = []
    producer: dict[int, int] = {}  # id(Var) -> index of the node that defines it
    for v in jaxpr.constvars:
        producer[id(v)] = len(nodes)
        nodes.append(Node("const", f"{namer(v)}:{v.aval.str_short()}", []))
    for v, name in zip(jaxpr.invars, in_names, strict=True):
        producer[id(v)] = len(nodes)
        nodes.append(Node("input", f"{namer(v)}:{v.aval.str_short()}{name}", []))

    for eqn in jaxpr.eqns:
        live = any(id(v) in used for v in eqn.outputs)
        binders = " ".join(
            (namer(v) if id(v) in used else "_") + (f":{v.aval.str_short()}" if show_types else "")
            for v in eqn.outputs
        )
        params = eqn.params
        if eqn.primitive.print_params is not None:
            params = eqn.primitive.print_params(params)
        shown = [f"{k}={_param_text(params[k])}" for k in sorted(params) if params[k] is not None]
        head = eqn.primitive.name + (f"[{' '.join(shown)}]" if shown else "")
        args = " ".join(
            _literal_text(x) if isinstance(x, Literal) else namer(x) for x in eqn.inputs
        )
        inputs = sorted({producer[id(x)] for x in eqn.inputs if type(x) is Var})
        for v in eqn.outputs:
            producer[id(v)] = len(nodes)
        nodes.append(Node("eqn" if live else "dead", f"{binders} = {head} {args}".rstrip(), inputs))

    for x, name in zip(jaxpr.outvars, out_names, strict=True):
        if isinstance(x, Literal):
            nodes.append(Node("output", f"out {_literal_text(x)}{name}", []))
        else:
            nodes.append(Node("output", f"out {namer(x)}{name}", [producer[id(x)]]))
    return nodes


def _check_names(names, count: int, what: str) -> list[str]:
    if names is None:
        return [""] * count
    names = list(names)
    if len(names) != count:
        raise ValueError(f"{what}: expected {count} names, got {len(names)}.")
    return [f" ({name})" for name in names]


def to_dot(jaxpr, show_types: bool = False, in_names=None, out_names=None) -> str:
    """``jaxpr``'s dataflow graph in Graphviz's DOT language (see ``jaxpr_graph``).

    Render the text with ``dot -Tsvg``; inputs, equations and outputs get their own colours.

    Args:
      jaxpr: a ``Jaxpr`` or ``ClosedJaxpr`` (from ``make_jaxpr``).
      show_types: give equation labels their result types (``b:f64[] = ...``).
      in_names: None, or one string per input variable, added to those nodes' labels.
      out_names: None, or one string per output variable, likewise.

    Returns:
      The DOT text.

    Raises:
      TypeError: ``jaxpr`` is not a Jaxpr or ClosedJaxpr.
      ValueError: ``in_names`` or ``out_names`` has the wrong length.

    Example:
      >>> import mini_ad as ad
      >>> from mini_ad.viz import to_dot
      >>> print(to_dot(ad.make_jaxpr(lambda x: x * 2.0)(1.0)))
      digraph jaxpr {
        rankdir=TB;
        node [shape=box, style="rounded,filled", fontname="monospace"];
        n0 [label="a:f64[]", fillcolor="#cfe3f7"];
        n1 [label="b = mul a 2.0", fillcolor="#fdf1c7"];
        n2 [label="out b", fillcolor="#d3f0d0"];
        n0 -> n1;
        n1 -> n2;
      }
      >>> dot = to_dot(ad.make_jaxpr(lambda x: x * 2.0)(1.0), show_types=True,
      ...              in_names=["x"], out_names=["y"])
      >>> print(dot.splitlines()[4])
        n1 [label="b:f64[] = mul a 2.0", fillcolor="#fdf1c7"];
    """
    nodes = jaxpr_graph(jaxpr, show_types, in_names, out_names)
    lines = [
        "digraph jaxpr {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="monospace"];',
    ]
    for i, node in enumerate(nodes):
        label = node.label.replace("\\", "\\\\").replace('"', '\\"')
        extra = (
            ', fontcolor="#888888", style="rounded,filled,dashed"' if node.kind == "dead" else ""
        )
        lines.append(f'  n{i} [label="{label}", fillcolor="{_COLORS[node.kind]}"{extra}];')
    lines += [f"  n{j} -> n{i};" for i, node in enumerate(nodes) for j in node.inputs]
    lines.append("}")
    return "\n".join(lines)


def _layers(nodes: list[Node]) -> list[list[int]]:
    """Group nodes by depth (longest path from an input); outputs share the last layer."""
    depth = []
    for node in nodes:
        depth.append(1 + max((depth[j] for j in node.inputs), default=-1))
    # An equation that reads only literals (``broadcast_in_dim 1.0``) sits just above its
    # first reader rather than beside the inputs, so its edge stays short.
    for i in reversed(range(len(nodes))):
        if nodes[i].kind in ("eqn", "dead") and not nodes[i].inputs:
            readers = [depth[k] for k, n in enumerate(nodes) if i in n.inputs]
            depth[i] = max(min(readers, default=1) - 1, 0)
    last = max((d for d, n in zip(depth, nodes, strict=True) if n.kind != "output"), default=-1)
    for i, node in enumerate(nodes):
        if node.kind == "output":
            depth[i] = last + 1
    layers: list[list[int]] = [[] for _ in range(max(depth, default=-1) + 1)]
    for i, d in enumerate(depth):
        layers[d].append(i)
    return layers


def _layout(nodes: list[Node]) -> tuple[dict[int, tuple[float, float]], float]:
    """Positions in character units (x) and layers (y, downwards), and the total width.

    Each layer is ordered by the mean position of its nodes' inputs (the barycenter
    heuristic, one top-down sweep), which keeps most edges from crossing; the inputs and
    the outputs keep their program order."""
    layers = _layers(nodes)
    position: dict[int, tuple[float, float]] = {}
    widths = [len(n.label) + 4 for n in nodes]
    total = max((sum(widths[i] for i in layer) for layer in layers), default=1)
    for row, layer in enumerate(layers):

        def barycenter(i):
            xs = [position[j][0] for j in nodes[i].inputs if j in position]
            return (sum(xs) / len(xs) if xs else 0.0, i)

        keep_order = row == 0 or all(nodes[i].kind == "output" for i in layer)
        ordered = layer if keep_order else sorted(layer, key=barycenter)
        ideal = [barycenter(i)[0] if nodes[i].inputs else None for i in ordered]
        layer_width = sum(widths[i] for i in ordered)
        # Start centred; then shift the row toward its inputs without leaving [0, total].
        targets = [t for t in ideal if t is not None]
        center = sum(targets) / len(targets) if targets else total / 2
        left = min(max(center - layer_width / 2, 0.0), total - layer_width)
        for i in ordered:
            position[i] = (left + widths[i] / 2, -float(row))
            left += widths[i]
    return position, float(total)


def draw_jaxpr(
    jaxpr,
    ax=None,
    title: str | None = None,
    show_types: bool = False,
    in_names=None,
    out_names=None,
    colors=None,
):
    """Draw ``jaxpr``'s dataflow graph with matplotlib, top to bottom; return the Axes.

    Inputs are blue, live equations yellow, dead ones grey and dashed, outputs green;
    ``colors`` (node index -> colour) overrides a node's fill, e.g. to mark NaNs.
    ``show_types``, ``in_names`` and ``out_names`` are as for :func:`jaxpr_graph`.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ax = draw_jaxpr(ad.make_jaxpr(ad.grad(mnp.sin))(1.0), title="grad(sin)")
    >>> [t.get_text() for t in ax.texts][:3]
    ['a:f64[]', '_ = sin a', 'b = cos a']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    nodes = jaxpr_graph(jaxpr, show_types, in_names, out_names)
    position, total = _layout(nodes)
    n_rows = 1 - min((y for _, y in position.values()), default=0)
    char_inches = 0.09  # a 9 pt monospace character is about 0.075 in wide, plus padding
    if ax is None:
        fig = plt.figure(figsize=(max(3.0, total * char_inches), 0.55 * n_rows + 0.3))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - 0.3 / (0.55 * n_rows + 0.3)))
    # Scale x so that a character takes char_inches whatever the Axes' width.
    width_inches = ax.get_position().width * ax.figure.get_figwidth()
    span = max(total, width_inches / char_inches)
    ax.set_xlim((total - span) / 2, (total + span) / 2)
    for i, node in enumerate(nodes):
        x, y = position[i]
        dead = node.kind == "dead"
        ax.text(
            x, y, node.label, ha="center", va="center", family="monospace", fontsize=9,
            color="#888888" if dead else "black", zorder=3,
            bbox={"boxstyle": "round,pad=0.3", "fc": (colors or {}).get(i, _COLORS[node.kind]),
                  "ec": "#999999" if dead else "#444444", "ls": "--" if dead else "-"},
        )  # fmt: skip
    # Arrows run behind the boxes, so each is shortened to end at the borders of its two
    # boxes: a box is about 5.4 pt per character plus 2.7 pt padding wide, 16 pt high.
    box = ax.get_position()
    points_per_x = box.width * ax.figure.get_figwidth() * 72 / span
    points_per_y = box.height * ax.figure.get_figheight() * 72 / n_rows

    def to_border(i, dx, dy):
        half_w, half_h = 2.7 * len(nodes[i].label) + 3.5, 8.5
        return min(half_w / abs(dx) if dx else np.inf, half_h / abs(dy) if dy else np.inf)

    for i, node in enumerate(nodes):
        for j in node.inputs:
            (x0, y0), (x1, y1) = position[j], position[i]
            dx, dy = (x1 - x0) * points_per_x, (y1 - y0) * points_per_y
            length = float(np.hypot(dx, dy))
            ax.add_patch(FancyArrowPatch(
                position[j], position[i], arrowstyle="-|>", mutation_scale=10, lw=1.0,
                color="#555555", zorder=2, shrinkA=to_border(j, dx, dy) * length,
                shrinkB=to_border(i, dx, dy) * length,
            ))  # fmt: skip
    ax.set_ylim(-n_rows + 0.5, 0.5)
    ax.axis("off")
    if title is not None:
        ax.set_title(title, family="monospace", fontsize=10)
    return ax
