"""Docstrings of the elementwise wrappers, written once for the whole family.

Each wrapper of ``mini_ad.numpy`` that binds one elementwise primitive gets the same
shape of docstring: what it computes (NumPy's function of the same name), its parameters,
its result, the primitive it binds, and an example whose expected output is NumPy's own
result on the same input (so the doctest checks mini_ad against NumPy).
"""

from __future__ import annotations

import numpy as np

# inputs for the examples: inside every function's domain
_EXAMPLE_ARGS = {
    1: ([0.25, 0.5],),
    2: ([0.25, 0.5], [0.75, 2.0]),
}
_INTEGER_ARGS = {1: ([1, 6],), 2: ([12, 6], [5, 3])}
_INTEGER_ONLY = {
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "invert", "left_shift",
    "right_shift", "gcd", "lcm",
}  # fmt: skip


_SPECIAL_ARGS = {"arccosh": ([1.5, 2.0],)}


def _example(name: str, nargs: int) -> str:
    reference = getattr(np, name, None)
    if reference is None:
        return ""
    args = (
        _SPECIAL_ARGS.get(name)
        or (_INTEGER_ARGS if name in _INTEGER_ONLY else _EXAMPLE_ARGS)[nargs]
    )
    with np.errstate(all="ignore"):
        expected = reference(*[np.asarray(a) for a in args])
    call = ", ".join(repr(a) for a in args)
    return (
        "\n\nExample (the expected output is NumPy's):\n\n"
        ">>> import mini_ad.numpy as mnp\n"
        f">>> print(mnp.{name}({call}))\n"
        f"{np.array2string(np.asarray(expected), separator=' ')}"
    )


def elementwise_doc(name: str, primitive: str, nargs: int, inexact: bool) -> str:
    """The docstring of the ``mini_ad.numpy`` wrapper ``name`` binding ``primitive``."""
    operands = "x" if nargs == 1 else "x, y"
    promotion = (
        "Integer and bool inputs are promoted to float64 (float32 stays float32)."
        if inexact
        else "Dtypes promote as in NumPy 2 (Python scalars are weak)."
    )
    broadcast = " The operands broadcast against each other." if nargs == 2 else ""
    return (
        f"Elementwise ``{name}({operands})``, as ``numpy.{name}``; differentiable where "
        f"the math is.\n\n{promotion}{broadcast} Binds the ``{primitive}`` primitive.\n\n"
        "Args:\n"
        + "".join(
            f"    {v}: an array, a Python scalar or a (nested) list of them.\n"
            for v in operands.split(", ")
        )
        + "\nReturns:\n    An array of the broadcast shape of the operands."
        + _example(name, nargs)
    )
