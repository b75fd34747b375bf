"""The wrappers' fast paths: a cheap test that operands need no promotion or broadcasting
(``_ready``), and the eager call of a card's ufunc outside any transform (``_eager``)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.array import Array
from mini_ad.core.avals import concrete_aval
from mini_ad.core.fp import _FP_IGNORE, _fp_errors
from mini_ad.core.tracing import Tracer

_PYTHON_SCALARS = (float, int, complex, bool)
_WEAK_SCALAR_AVALS = {t: concrete_aval(t()) for t in _PYTHON_SCALARS}
_view = np.ndarray.view
_setflags = np.ndarray.setflags


def _simple_aval(x):
    """The aval of a tracer, ndarray or Python scalar; None for other operands."""
    t = type(x)
    if t is np.ndarray or t is Array:
        return concrete_aval(x)
    aval = _WEAK_SCALAR_AVALS.get(t)
    if aval is not None:
        return aval
    if isinstance(x, Tracer):
        return x.aval
    return None


def _ready(x, y, x_aval, y_aval, kinds) -> bool:
    """Whether ``x`` and ``y`` need no promotion or broadcasting (the common case, checked
    cheaply): one dtype of the allowed kinds, shapes equal or one of them rank 0, and no
    weakly typed tracer meeting a strongly typed operand (that needs a conversion)."""
    if x_aval is None or y_aval is None or x_aval.dtype != y_aval.dtype:
        return False
    if x_aval.dtype.kind not in kinds:
        return False
    if x_aval.shape != y_aval.shape and x_aval.shape and y_aval.shape:
        return False
    if x_aval.weak_type == y_aval.weak_type:
        return True
    weak = x if x_aval.weak_type else y
    return type(weak) in _PYTHON_SCALARS


_CONCRETE = {np.ndarray, Array}


def _eager(ufunc, x, y=None):
    """What the eval trace makes of the card: its ufunc (which *is* its impl) with
    floating-point warnings silenced, the result a read-only Array; without the bind,
    trace dispatch and impl frames (mini_ad.numpy used as NumPy: W9). Array operands
    are passed as plain views, sparing NumPy's subclass protocol (``__array_wrap__``)."""
    if type(x) is Array:
        x = _view(x, np.ndarray)
    if type(y) is Array:
        y = _view(y, np.ndarray)
    token = None if _fp_errors.get() is _FP_IGNORE else _fp_errors.set(_FP_IGNORE)
    try:
        out = ufunc(x) if y is None else ufunc(x, y)
    finally:
        if token is not None:
            _fp_errors.reset(token)
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    out = _view(out, Array)
    _setflags(out, False)
    return out


def _ufunc_of(primitive_fn):
    card = getattr(primitive_fn, "primitive", None)
    return None if card is None else card.ufunc
