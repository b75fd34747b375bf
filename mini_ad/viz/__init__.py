"""Pictures of programs: a Jaxpr's dataflow graph (``graph``), and a function's forward,
linearized (jvp) and transposed (vjp) programs side by side with the links between a
primal equation and the derivative equations made for it (``programs``).

>>> import mini_ad as ad, mini_ad.numpy as mnp
>>> [n.kind for n in jaxpr_graph(ad.make_jaxpr(mnp.sin)(1.0))]
['input', 'eqn', 'output']
"""

from mini_ad.viz.graph import Node, draw_jaxpr, jaxpr_graph, to_dot
from mini_ad.viz.programs import DerivativePrograms, derivative_programs

__all__ = [
    "DerivativePrograms", "Node", "derivative_programs", "draw_jaxpr", "jaxpr_graph", "to_dot",
]  # fmt: skip
