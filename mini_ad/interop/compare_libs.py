"""The two sides of a comparison: the ``numpy`` namespaces of mini_ad and of JAX (x64), and
the conversion of JAX results to NumPy."""

from __future__ import annotations

import numpy as np


class Unsupported(Exception):
    """Raised (by a test harness) when mini_ad lacks a feature a program needs."""


def _mini_lib():
    import mini_ad

    return mini_ad


def _jax_lib():
    import jax

    import mini_ad.interop.jax  # noqa: F401 - enables x64 before JAX computes anything

    return jax


def _to_numpy(tree):
    import jax

    return jax.tree_util.tree_map(np.asarray, tree)
