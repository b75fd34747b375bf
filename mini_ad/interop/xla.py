"""jit's XLA backend: a mini_ad Jaxpr compiled by XLA through ``jax.jit``.

``XlaProgram(closed)`` simplifies the Jaxpr that mini_ad traced (the same exact passes
as the NumPy backend: inlining, constant folding, CSE, DCE), evaluates it once on JAX
tracers with the bridge (``eval_jaxpr_jax``: one ``jax.lax`` operation per equation,
read off each primitive's card) and hands the result to ``jax.jit``, so XLA fuses the
program and runs it on whatever device JAX has. XLA compiles only what mini_ad traced:
mini_ad's ``grad``, ``vmap`` and control flow have already produced the equations.

Arguments go in as NumPy arrays or Python scalars (JAX moves them to the device, or
shards them with ``in_shardings``); results come back as NumPy arrays. An output that
XLA computed is a read-only view of its own fresh buffer; an output that merely
forwards an input, a constant or another output is copied, so a result never aliases
an argument or anything cached.

Importing this module imports JAX and turns on ``jax_enable_x64`` (see
``interop/lowerings.py``). ``mini_ad.jit(f, backend="xla")`` imports it on first use.

>>> import numpy as np, mini_ad as ad, mini_ad.numpy as mnp
>>> program = program_for(ad.make_jaxpr(lambda x: mnp.sum(mnp.sin(x) ** 2))(np.ones(3)))
>>> [float(y) for y in program(np.zeros(3))]
[0.0]
"""

from __future__ import annotations

import weakref

import jax
import numpy as np

from mini_ad.core.jaxpr import ClosedJaxpr, Var
from mini_ad.interop.lowerings import eval_jaxpr_jax
from mini_ad.transforms.simplify import simplify
from mini_ad.tree_util import tree_flatten, tree_leaves, tree_map, tree_unflatten

__all__ = ["XlaProgram", "program_for"]

# ClosedJaxpr -> {options: XlaProgram}; an entry lives as long as its Jaxpr
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def program_for(closed: ClosedJaxpr, **options) -> XlaProgram:
    """The ``XlaProgram`` of ``closed`` with ``options`` (cached on the Jaxpr).

    Args:
      closed: a ClosedJaxpr traced by mini_ad.
      **options: ``device``, ``donate_argnums``, ``in_shardings``, ``out_shardings``
        for ``jax.jit``, over the Jaxpr's flat inputs; all hashable.

    Returns:
      An ``XlaProgram``: call it with the flat inputs to get a list of NumPy arrays.

    >>> import numpy as np, mini_ad as ad, mini_ad.numpy as mnp
    >>> closed = ad.make_jaxpr(lambda x: mnp.exp(x))(np.zeros(2))
    >>> program_for(closed) is program_for(closed)  # compiled once per Jaxpr and options
    True
    """
    per_jaxpr = _cache.get(closed)
    if per_jaxpr is None:
        per_jaxpr = _cache[closed] = {}
    key = tuple(sorted(options.items()))
    program = per_jaxpr.get(key)
    if program is None:
        program = per_jaxpr[key] = XlaProgram(closed, **options)
    return program


class XlaProgram:
    """A mini_ad Jaxpr compiled by ``jax.jit``: flat NumPy inputs, flat NumPy outputs.

    Args:
      closed: the ClosedJaxpr that mini_ad traced; it is simplified first.
      device: a ``jax.Device`` to run on (JAX's default device when None).
      donate_argnums: flat input indices whose buffers XLA may reuse for outputs.
      in_shardings, out_shardings: ``jax.sharding.Sharding`` objects (or None), one per
        flat input / output, or None for JAX's defaults.

    Attributes:
      jaxpr: the simplified ClosedJaxpr that is lowered (what XLA compiles).
      jax_function: the lowered program as a plain function on JAX values (for
        ``jax.make_jaxpr``: one JAX equation per mini_ad equation for most cards).
      jitted: the ``jax.jit`` of ``jax_function``.

    >>> import numpy as np, mini_ad as ad, mini_ad.numpy as mnp
    >>> closed = ad.make_jaxpr(lambda x: mnp.tanh(x) * 2.0)(np.ones(2))
    >>> program = XlaProgram(closed)
    >>> program(np.zeros(2))[0]
    array([0., 0.])
    >>> "tanh" in program.as_text()
    True
    """

    def __init__(
        self, closed: ClosedJaxpr, *, device=None, donate_argnums=(), in_shardings=None,
        out_shardings=None,
    ):  # fmt: skip
        self.jaxpr = simple = simplify(closed)
        jaxpr, consts = simple.jaxpr, list(simple.consts)
        # Constants are closed over, as jax.jit does with arrays a JAX function closes over.
        self.jax_function = lambda *args: eval_jaxpr_jax(jaxpr, consts, args)
        options = {"donate_argnums": tuple(donate_argnums)}
        # jax.jit's own device= is deprecated: committing the inputs picks the device.
        self._device = device
        if in_shardings is not None:
            options["in_shardings"] = tuple(in_shardings)
        if out_shardings is not None:
            options["out_shardings"] = list(out_shardings)
        self.jitted = jax.jit(self.jax_function, **options)
        # Outputs XLA may hand back as an existing buffer (a forwarded input, a constant,
        # a literal, a repeated output) are copied; the rest are fresh buffers.
        computed = {id(v) for eqn in jaxpr.eqns for v in eqn.outputs}
        seen = set()
        self._copy = []
        for x in jaxpr.outvars:
            fresh = type(x) is Var and id(x) in computed and id(x) not in seen
            self._copy.append(not fresh)
            seen.add(id(x))

    def __call__(self, *args) -> list:
        if self._device is not None:
            args = jax.device_put(args, self._device)
        outs = self.jitted(*args)
        return [
            np.array(y) if copy else np.asarray(y) for y, copy in zip(outs, self._copy, strict=True)
        ]

    def in_specs(self) -> list:
        """``jax.ShapeDtypeStruct`` of each flat input (for ``jax.jit(...).lower``)."""
        return [
            jax.ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type)
            for a in self.jaxpr.in_avals
        ]

    def as_text(self) -> str:
        """The optimised HLO that XLA compiled (it names collectives and shardings)."""
        specs = self.in_specs()
        if self._device is not None:
            one = jax.sharding.SingleDeviceSharding(self._device)
            specs = [
                jax.ShapeDtypeStruct(s.shape, s.dtype, weak_type=s.weak_type, sharding=one)
                for s in specs
            ]
        return self.jitted.lower(*specs).compile().as_text()


def flat_options(
    args, dyn_kwargs, static_pos, params, out_tree, *, donate_argnums=(), donate_argnames=(),
    in_shardings=None, out_shardings=None, device=None,
) -> dict:  # fmt: skip
    """``program_for``'s options over flat inputs, from ``jit``'s per-argument ones.

    Args:
      args: the positional arguments of the call (static ones included).
      dyn_kwargs: the non-static keyword arguments (flattened after the positional ones).
      static_pos: the positions of the static positional arguments.
      params: the parameter names of the jitted function (for ``donate_argnames``).
      out_tree: the PyTreeDef of the outputs.
      donate_argnums, donate_argnames: positional arguments whose leaves are donated.
      in_shardings: None, one ``Sharding`` for every argument, or a tuple with one pytree
        prefix per non-static positional argument (``None`` leaves: JAX decides).
      out_shardings: None, one ``Sharding``, or a pytree prefix of the output.
      device: a ``jax.Device`` or None.

    Returns:
      The keyword arguments of ``program_for``.

    Raises:
      ValueError: if ``in_shardings`` has not one entry per non-static positional argument.

    >>> flat_options(((1.0, 2.0), 3.0), {}, [], [], None, donate_argnums=0)
    {'donate_argnums': (0, 1)}
    """
    dyn_pos = [i for i in range(len(args)) if i not in static_pos]
    donate = {donate_argnums} if isinstance(donate_argnums, int) else set(donate_argnums)
    names = {donate_argnames} if isinstance(donate_argnames, str) else set(donate_argnames)
    donate |= {params.index(n) for n in names if n in params}
    sizes = [len(tree_leaves(args[i])) for i in dyn_pos]
    starts = np.cumsum([0, *sizes])
    options = {
        "donate_argnums": tuple(
            int(j)
            for k, i in enumerate(dyn_pos)
            if i in donate or i - len(args) in donate
            for j in range(starts[k], starts[k + 1])
        )
    }
    if device is not None:
        options["device"] = device
    if in_shardings is not None:
        if isinstance(in_shardings, jax.sharding.Sharding):
            in_shardings = (in_shardings,) * len(dyn_pos)
        if len(in_shardings) != len(dyn_pos):
            raise ValueError(
                f"jit: in_shardings has {len(in_shardings)} entries for {len(dyn_pos)} "
                "positional (non-static) arguments"
            )
        flat = []
        for prefix, i in zip(in_shardings, dyn_pos, strict=True):
            flat.extend(_broadcast_prefix(prefix, args[i]))
        n_kwarg_leaves = len(tree_flatten(dyn_kwargs)[0])
        options["in_shardings"] = tuple(flat) + (None,) * n_kwarg_leaves
    if out_shardings is not None:
        example = tree_unflatten(out_tree, [0] * out_tree.num_leaves)
        options["out_shardings"] = tuple(_broadcast_prefix(out_shardings, example))
    return options


def _broadcast_prefix(prefix, tree) -> list:
    """One entry of ``prefix`` (a pytree prefix of ``tree``) per leaf of ``tree``."""

    def is_leaf(x):
        return x is None or isinstance(x, jax.sharding.Sharding)

    groups = tree_map(
        lambda s, sub: _Group(s, len(tree_leaves(sub))), prefix, tree, is_leaf=is_leaf
    )
    return [s for group in tree_leaves(groups) for s in group.items]


class _Group:
    """A prefix leaf repeated once per leaf of the subtree it covers (a pytree leaf)."""

    def __init__(self, sharding, count):
        self.items = [sharding] * count
