"""``vectorize``: a Python function of scalars (or of core arrays, given a
``signature`` such as ``"(m,n),(n)->(m)"``) mapped over the broadcast loop dimensions
of its arguments by nested ``vmap``s, as ``np.vectorize`` and ``jnp.vectorize``."""

from __future__ import annotations

import functools
import re

import numpy as np

from mini_ad import api
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, broadcast_to

_ARGUMENT = r"\((?:\w+(?:,\s*\w+)*)?\)"


def _parse_signature(signature):
    """``"(m,n),(n)->(m)"`` as ([("m", "n"), ("n",)], [("m",)])."""
    match = re.fullmatch(rf"({_ARGUMENT}(?:,\s*{_ARGUMENT})*)->({_ARGUMENT}(?:,\s*{_ARGUMENT})*)",
                         signature.replace(" ", ""))  # fmt: skip
    if match is None:
        raise ValueError(f"not a valid gufunc signature: {signature}")

    def dims(group):
        return [
            tuple(d for d in arg.strip("()").split(",") if d)
            for arg in re.findall(_ARGUMENT, group)
        ]

    return dims(match.group(1)), dims(match.group(2))


def vectorized(pyfunc, excluded, signature):
    excluded = set(excluded)

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        fixed = {i: a for i, a in enumerate(args) if i in excluded}
        mapped_positions = [i for i in range(len(args)) if i not in excluded]
        mapped = [_operand(args[i]) for i in mapped_positions]
        if signature is None:
            core = [()] * len(mapped)
        else:
            core, _ = _parse_signature(signature)
            if len(core) != len(mapped):
                raise TypeError(f"wrong number of positional arguments for signature {signature}")
        loop_shapes = []
        for x, dims in zip(mapped, core, strict=True):
            shape = aval_of(x).shape
            k = len(dims)
            if len(shape) < k:
                raise ValueError(f"an argument of shape {shape} has fewer than {k} core dims")
            loop_shapes.append(shape[: len(shape) - k])
        loop = tuple(np.broadcast_shapes(*loop_shapes)) if loop_shapes else ()
        mapped = [
            broadcast_to(x, loop + aval_of(x).shape[len(s) :])
            for x, s in zip(mapped, loop_shapes, strict=True)
        ]

        def call(*values):
            full = list(args)
            for i, v in zip(mapped_positions, values, strict=True):
                full[i] = v
            for i, v in fixed.items():
                full[i] = v
            return pyfunc(*full, **kwargs)

        fn = call
        for _ in loop:
            fn = api.vmap(fn)
        out = fn(*mapped)
        return tuple(as_result(o) for o in out) if isinstance(out, tuple) else as_result(out)

    return wrapped
