"""mini_ad.viz: the dataflow graph of a Jaxpr, as nodes, as DOT text and as a picture."""

import re

import matplotlib
import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import viz

matplotlib.use("Agg")


def square_sum(x):
    return mnp.sum((x + 1.0) ** 2)


def _strip_types(line: str) -> str:
    """A printed equation without its types and None-valued params."""
    line = re.sub(r":(bool|[a-z]+\d+)\[[\d,]*\]", "", line.strip())
    return re.sub(r" \w+=None", "", line).replace("[]", "")


def test_graph_of_a_gradient_follows_the_printed_jaxpr():
    closed = ad.make_jaxpr(ad.grad(square_sum))(np.ones((2, 2)))
    nodes = viz.jaxpr_graph(closed)
    assert nodes[0] == viz.Node("input", "a:f64[2,2]", [])
    assert nodes[-1] == viz.Node(
        "output", "out " + str(closed).split("in (")[1][0], [len(nodes) - 2]
    )
    # One node per equation, labelled like its printed line without types, in order.
    printed = str(closed).splitlines()[1:-1]
    assert [n.label for n in nodes[1:-1]] == [_strip_types(line) for line in printed]
    # The unused primal sum is dead; everything else is live.
    dead = [n.label for n in nodes if n.kind == "dead"]
    assert len(dead) == 1 and dead[0].startswith("_ = reduce_sum")
    assert sum(n.kind == "eqn" for n in nodes) == len(closed.eqns) - 1
    # Edges point from producers to readers, always backwards in program order; only
    # the input and equations reading nothing but literals have no incoming edge.
    for i, node in enumerate(nodes):
        assert all(j < i for j in node.inputs)
    sources = [n.label for n in nodes if not n.inputs]
    assert len(sources) == 2 and sources[0] == "a:f64[2,2]"
    assert sources[1].endswith(" = broadcast_in_dim 1.0")


def test_constants_literals_and_several_outputs():
    c = np.arange(3.0)
    closed = ad.make_jaxpr(lambda x: (x * c, 2.0, x))(np.ones(3))
    nodes = viz.jaxpr_graph(closed, show_types=True)
    assert nodes == [
        viz.Node("const", "a:f64[3]", []),
        viz.Node("input", "b:f64[3]", []),
        viz.Node("eqn", "c:f64[3] = mul b a", [0, 1]),
        viz.Node("output", "out c", [2]),
        viz.Node("output", "out 2.0", []),
        viz.Node("output", "out b", [1]),
    ]


def test_dot_text_lists_every_node_and_edge():
    closed = ad.make_jaxpr(ad.grad(square_sum))(np.ones(3))
    nodes = viz.jaxpr_graph(closed)
    dot = viz.to_dot(closed)
    assert dot.startswith("digraph jaxpr {") and dot.endswith("}")
    assert dot.count("[label=") == len(nodes)
    assert dot.count(" -> ") == sum(len(n.inputs) for n in nodes)
    assert 'style="rounded,filled,dashed"' in dot  # the dead primal sum


def test_draw_puts_one_box_per_node_and_one_arrow_per_edge():
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    closed = ad.make_jaxpr(ad.grad(ad.grad(mnp.sin)))(1.0)
    nodes = viz.jaxpr_graph(closed)
    ax = viz.draw_jaxpr(closed, title="grad(grad(sin))")
    assert [t.get_text() for t in ax.texts] == [n.label for n in nodes]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == sum(len(n.inputs) for n in nodes)
    assert ax.get_title() == "grad(grad(sin))"
    ax.figure.canvas.draw()  # lays out without error
    plt.close(ax.figure)


def test_draw_into_a_given_axes():
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3))
    out = viz.draw_jaxpr(ad.make_jaxpr(mnp.sin)(1.0), ax=right)
    assert out is right and len(right.texts) == 3 and not left.texts
    plt.close(fig)


def test_names_for_inputs_and_outputs():
    closed = ad.make_jaxpr(ad.grad(lambda p: p["w"] * p["b"]))({"w": 2.0, "b": 3.0})
    nodes = viz.jaxpr_graph(closed, in_names=["b", "w"], out_names=["d/db", "d/dw"])
    assert [n.label for n in nodes if n.kind == "input"] == ["a:f64[] (b)", "b:f64[] (w)"]
    assert [n.label.split(" (")[1] for n in nodes if n.kind == "output"] == ["d/db)", "d/dw)"]
    ax = viz.draw_jaxpr(closed, in_names=["b", "w"], out_names=["d/db", "d/dw"])
    outputs = [t for t in ax.texts if t.get_text().startswith("out ")]
    assert [t.get_text()[-5:] for t in outputs] == ["d/db)", "d/dw)"]
    assert outputs[0].get_position()[0] < outputs[1].get_position()[0]  # program order
    with pytest.raises(ValueError, match="in_names: expected 2 names, got 1"):
        viz.jaxpr_graph(closed, in_names=["w"])


def test_rejects_what_is_not_a_jaxpr():
    with pytest.raises(TypeError, match="make_jaxpr"):
        viz.jaxpr_graph(lambda x: x)
