"""Helpers shared by ``mini_ad.nn``'s modules."""

from __future__ import annotations

import functools

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.tree_util import tree_map


def returns_arrays(fun):
    """Outside a transform, return Arrays (0-d NumPy arithmetic gives scalars)."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        out = fun(*args, **kwargs)
        return tree_map(mnp.asarray, out)  # tracers pass; values become Arrays

    return wrapped


def inexact(x):
    """``x`` as an array of a floating dtype (ints become float64; Python floats stay weak)."""
    if np.issubdtype(get_aval(x).dtype, np.inexact):
        return x
    return mnp.astype(x, np.float64)
