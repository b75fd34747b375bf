"""The stages of a jitted function (JAX's AOT API): ``Lowered`` (the traced program) and
``Compiled`` (its generated code), and ``disable_jit``."""

from __future__ import annotations

from mini_ad.core.config import config
from mini_ad.transforms import compile as compile_
from mini_ad.tree_util import tree_flatten, tree_unflatten


class Lowered:
    """A jitted function traced for one signature (JAX: ``jax.stages.Lowered``)."""

    def __init__(self, closed, out_tree, name, xla_program=None):
        self.jaxpr = closed
        self.out_tree = out_tree
        self.name = name
        self.xla_program = xla_program  # backend="xla": the interop.xla.XlaProgram

    def as_text(self) -> str:
        return str(self.jaxpr)

    def compile(self) -> Compiled:
        return Compiled(self)


class Compiled:
    """A lowered function compiled: the generated Python (NumPy backend) or the XLA
    executable; call it on arrays of its signature. ``as_text()`` is the Python source
    or XLA's optimised HLO."""

    def __init__(self, lowered: Lowered):
        self._lowered = lowered
        program = lowered.xla_program
        self._fn = program if program else compile_.compile_jaxpr(lowered.jaxpr)

    def as_text(self) -> str:
        if self._lowered.xla_program is not None:
            return self._lowered.xla_program.as_text()
        return compile_.compiled_source(self._lowered.jaxpr)

    def __call__(self, *args, **kwargs):
        leaves = tree_flatten((list(args), kwargs))[0]
        return tree_unflatten(self._lowered.out_tree, self._fn(*leaves))


def disable_jit(disable: bool = True):
    """A context manager under which jitted functions run eagerly, op by op.

    As ``jax.disable_jit``: Python ``print`` and ``if`` on values work inside jitted
    functions again, which helps debugging.

    Args:
      disable: whether to disable ``jit`` inside the block (False leaves it on).

    Returns:
      A context manager.

    Example:
      >>> import mini_ad as ad
      >>> f = ad.jit(lambda x: x * 2.0 if x > 0 else -x)  # Python `if` on a value
      >>> with ad.disable_jit():
      ...     print(f(3.0))
      6.0
    """
    return config.override(disable_jit=disable)
