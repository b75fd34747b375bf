"""The AD vocabulary shared by every layer: undefined primals and symbolic zeros.

``UndefinedPrimal`` marks a linear input of a primitive being transposed: the
backward pass (``transforms/transpose.py``) passes one where the value is unknown,
and a transpose rule (``primitives/``) returns a cotangent only for those inputs.
It lives here, below both, so rules recognise it by type, not by name.

A symbolic zero tangent or cotangent is ``None``; ``zeros``/``zeros_like`` build a
concrete zero where a rule needs an array (a constant at the current level).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.tracing import get_aval


class UndefinedPrimal:
    """Marks a linear input of a primitive being transposed (its value is unknown)."""

    __slots__ = ("aval",)

    def __init__(self, aval: ShapedArray):
        self.aval = aval

    def __repr__(self):
        return f"UndefinedPrimal({self.aval.str_short()})"


def is_undefined(x) -> bool:
    """Whether ``x`` is a linear input of the primitive being transposed."""
    return type(x) is UndefinedPrimal


def zeros(aval: ShapedArray):
    """A concrete zero array of type ``aval``."""
    return np.zeros(aval.shape, aval.dtype)


def zeros_like(x):
    """Zeros of ``x``'s type, created at the current level (a constant)."""
    return zeros(get_aval(x))
