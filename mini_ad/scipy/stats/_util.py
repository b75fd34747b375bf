"""Shared helpers of ``mini_ad.scipy.stats``: argument promotion, the wrapper that
returns Arrays without NumPy's floating-point warnings, and ``log1mexp``."""

from __future__ import annotations

import functools
import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.api import custom_jvp
from mini_ad.numpy._core import promote_and_broadcast
from mini_ad.tree_util import tree_map


def stats_function(fun):
    """Return Arrays outside a transform, and do not warn about inf or nan (SciPy and JAX
    return them silently)."""

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            out = fun(*args, **kwargs)
        return tree_map(mnp.asarray, out)  # tracers pass; values become Arrays

    return wrapped


def promote(*args):
    """Promote to a common inexact dtype and broadcast (JAX: ``promote_args_inexact``).
    Python scalars are weak (``float32`` stays ``float32``); integers become float64,
    JAX's default float under x64 and SciPy's."""
    promoted = promote_and_broadcast(*args, inexact=True, int_to=np.float64)
    return [mnp.asarray(x) for x in promoted]  # Python scalars too: x / 0 is inf, not an error


@custom_jvp
def log1mexp(x):
    """``log(1 - exp(-x))`` for ``x >= 0``, accurate at both ends (JAX: ``nn.log1mexp``)."""
    small = x < math.log(2.0)
    return mnp.where(small, mnp.log(-mnp.expm1(-x)), mnp.log1p(-mnp.exp(-x)))


log1mexp.defjvps(lambda t, ans, x: t / mnp.expm1(x))  # d log(1 - e^-x) = 1 / (e^x - 1)
