"""mini_ad.viz.derivative_programs: forward, jvp and vjp programs side by side."""

import matplotlib
import numpy as np

import mini_ad.numpy as mnp
from mini_ad import viz
from mini_ad.viz import programs

matplotlib.use("Agg")


def where_sqrt(x):
    return mnp.sum(mnp.where(x > 0, mnp.sqrt(x), 0.0))


def test_three_programs_linked_by_provenance():
    d = viz.derivative_programs(where_sqrt)(np.array([0.0, 1.0]))
    labels = {(a, d.node_label(a, i), b, d.node_label(b, j)) for a, i, b, j in d.links}
    assert ("forward", "c = sqrt a", "jvp", "e = mul d a") in labels
    assert ("jvp", "e = mul d a", "vjp", "g = mul f c") in labels
    # every derivative equation is linked to the equation it was made for
    for which in ("jvp", "vjp"):
        closed = d.program(which)
        first = len(closed.jaxpr.constvars) + len(closed.jaxpr.invars)
        linked = {j for _, _, b, j in d.links if b == which}
        assert linked == set(range(first, first + len(closed.eqns)))


def test_nan_and_inf_nodes_are_found_and_coloured():
    d = viz.derivative_programs(where_sqrt)(np.array([0.0, 1.0]))
    kinds = {(p, d.node_label(p, i)): k for (p, i), k in d.kinds.items()}
    assert kinds[("jvp", "e = mul d a")] == "inf"  # the derivative of sqrt at 0
    assert kinds[("vjp", "g = mul f c")] == "nan"  # 0 * inf
    assert not any(p == "forward" for p, _ in kinds)
    dot = d.to_dot()
    assert dot.count("subgraph cluster_") == 3
    assert dot.count("style=dashed") == len(d.links)
    assert programs._NAN in dot and programs._INF in dot


def test_svg_renders_with_matplotlib_when_graphviz_is_missing(monkeypatch):
    monkeypatch.setattr(programs.shutil, "which", lambda name: None)
    svg = viz.derivative_programs(where_sqrt)(np.array([0.0, 1.0]))._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and len(svg) > 1000


def test_svg_renders_with_graphviz_when_installed():
    d = viz.derivative_programs(mnp.sin)(1.0)
    svg = d.svg()
    assert "<svg" in svg and len(svg) > 500
