"""NumPy's floating-point warnings, silenced where mini_ad computes.

``log(0)``, ``exp(1000)`` and ``0 * inf`` inside an impl, jit's code or an operator of
``Array`` give inf or nan as the intended result, and JAX is silent too. ``np.errstate``
costs about 2 µs per entry, so the "ignore" state is built once and swapped into the
context variable NumPy (>= 2.0) keeps it in: a fraction of a microsecond per call.
"""

from __future__ import annotations

from contextvars import ContextVar

import numpy as np

try:  # NumPy >= 2.0 keeps its floating-point error state in this context variable
    from numpy._core._ufunc_config import _extobj_contextvar as _fp_errors
except ImportError:  # pragma: no cover - a NumPy that moved it: one contextvar of our own
    _fp_errors = ContextVar("mini_ad_fp_errors", default=None)

with np.errstate(all="ignore"):
    _FP_IGNORE = _fp_errors.get()


def ignoring_fp_errors(fn):
    """``fn`` run with NumPy's floating-point warnings silenced (jit's generated code)."""

    def quiet(*args):
        if _fp_errors.get() is _FP_IGNORE:
            return fn(*args)
        token = _fp_errors.set(_FP_IGNORE)
        try:
            return fn(*args)
        finally:
            _fp_errors.reset(token)

    return quiet


def ignoring_fp_errors_with_fallback(fn, fallback, exceptions):
    """``fn``, or ``fallback`` where ``fn`` raises one of ``exceptions``, both run with
    NumPy's floating-point warnings silenced: one frame for the pair (jit's Python-float
    code and its NumPy fallback; a fraction of a microsecond matters there)."""

    def quiet(*args):
        if _fp_errors.get() is _FP_IGNORE:
            try:
                return fn(*args)
            except exceptions:
                return fallback(*args)
        token = _fp_errors.set(_FP_IGNORE)
        try:
            return fn(*args)
        except exceptions:
            return fallback(*args)
        finally:
            _fp_errors.reset(token)

    return quiet
