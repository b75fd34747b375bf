"""Traces, tracers and the current-trace context.

Every ``Primitive.bind`` asks the *current trace* to process it. The current trace
lives in a ``ContextVar`` (so each thread has its own) and is changed only by the
``set_current_trace`` context manager, which restores the previous trace in
``finally``. A trace knows its ``parent``: it runs its rules with the parent as the
current trace, so the primitives its rules bind go to the enclosing transform.

A trace handles only its own tracers (``tracer._trace is self``) and treats every
other value — arrays, scalars, tracers of enclosing traces — as a constant. That is
what keeps nested transforms from confusing each other's perturbations. When a
transform ends its trace is marked dead; using one of its tracers afterwards raises
``UnexpectedTracerError``.
"""

from __future__ import annotations

import itertools
import operator
from contextvars import ContextVar

import numpy as np

from mini_ad.core.array import Array, wrap, wrap_all
from mini_ad.core.array_methods import ArrayMethods, array_ops  # noqa: F401 - re-exported
from mini_ad.core.avals import ShapedArray, concrete_aval
from mini_ad.core.fp import (  # noqa: F401 - re-exported to jit's code generator
    _FP_IGNORE,
    _fp_errors,
    ignoring_fp_errors,
    ignoring_fp_errors_with_fallback,
)
from mini_ad.errors import (
    ERRORS_URL,
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerBoolConversionError,
    TracerIntegerConversionError,
    UnexpectedTracerError,
)

_tags = itertools.count()


class Trace:
    """One level of interpretation. Subclasses implement ``process_primitive``."""

    __slots__ = ("parent", "tag", "alive")
    name = "trace"

    def __init__(self, parent: Trace | None):
        self.parent = parent
        self.tag = next(_tags)
        self.alive = True

    def process_primitive(self, primitive, args, params):
        raise NotImplementedError

    def check_foreign(self, x: Tracer) -> None:
        """Raise if ``x`` (a tracer not of this trace) belongs to an ended transform."""
        if not x._trace.alive:
            raise escaped_tracer_error(x)

    def __repr__(self):
        return f"{type(self).__name__}(tag={self.tag})"


class EvalTrace(Trace):
    """The base trace: run each primitive's ``impl`` on NumPy values."""

    __slots__ = ()
    name = "eval"

    def process_primitive(self, primitive, args, params):
        for x in args:
            if isinstance(x, Tracer):
                raise escaped_tracer_error(x)
        if _fp_errors.get() is _FP_IGNORE:  # already inside jit's code or an impl
            out = primitive.impl(*args, **params)
        else:
            token = _fp_errors.set(_FP_IGNORE)  # inf and nan are results here, as in JAX
            try:
                out = primitive.impl(*args, **params)
            finally:
                _fp_errors.reset(token)
        # every result is an immutable Array (core/array.py): a read-only view, no copy
        if type(out) is np.ndarray:  # the common case, inlined: ~0.15 us
            out = _view(out, Array)
            _setflags(out, False)
            return out
        return wrap_all(out) if primitive.multiple_results else wrap(out)


_view = np.ndarray.view
_setflags = np.ndarray.setflags
eval_trace = EvalTrace(None)
_current_trace: ContextVar[Trace] = ContextVar("mini_ad_current_trace", default=eval_trace)


def current_trace() -> Trace:
    return _current_trace.get()


class set_current_trace:
    """``with set_current_trace(t):`` make ``t`` current; restore the old one on exit.

    With ``end=True`` the trace is also marked dead on exit, so tracers that leak
    out of the transform raise ``UnexpectedTracerError`` when used.
    """

    __slots__ = ("trace", "end", "token")

    def __init__(self, trace: Trace, end: bool = False):
        self.trace = trace
        self.end = end

    def __enter__(self):
        self.token = _current_trace.set(self.trace)
        return self.trace

    def __exit__(self, *exc):
        _current_trace.reset(self.token)
        if self.end:
            self.trace.alive = False
        return False


def escaped_tracer_error(x: Tracer) -> UnexpectedTracerError:
    return UnexpectedTracerError(
        f"Encountered an unexpected tracer: a value of type {x.aval.str_short()} wrapped "
        f"in a {type(x).__name__} was used after the {x._trace.name} transformation that "
        "created it had finished. A function transformed by mini_ad had a side effect "
        "(stored an intermediate value in a global, a closure or an attribute) that let "
        "the tracer escape. Return the value from the transformed function instead."
    )


class Tracer(ArrayMethods):
    """A value being traced by a ``Trace``. Behaves like an array in user code: its
    operators and array methods (``ArrayMethods``) are the ``mini_ad.numpy`` functions."""

    __slots__ = ("_trace",)
    __array_priority__ = 1000

    @property
    def aval(self):
        raise NotImplementedError

    # --- concreteness -------------------------------------------------------------
    def to_concrete(self, operation: str):
        """The concrete value behind this tracer, or a ConcretizationTypeError.

        Transforms that know their primal values (jvp, linearize) override this.
        """
        raise ConcretizationTypeError(self._concretization_message(operation))

    def _live_concrete(self, operation: str):
        """``to_concrete``, after checking that this tracer's transform is still running."""
        if not self._trace.alive:
            raise escaped_tracer_error(self)
        return self.to_concrete(operation)

    def _concretization_message(self, operation: str) -> str:
        context = getattr(self._trace, "describe_concretization", None)
        where = context(self) if context else ""
        return (
            f"Abstract tracer value encountered where concrete value is expected: "
            f"{operation} was applied to a traced array with shape {self.aval.str_short()}.\n"
            f"{where}Use lax.cond or jnp.where for value-dependent choices, or mark the "
            f"argument static (static_argnums) if it is a Python value.\n"
            f"See {ERRORS_URL}#jax.errors.ConcretizationTypeError"
        )

    def __bool__(self):
        try:
            value = self._live_concrete("bool()")
        except ConcretizationTypeError as e:
            raise TracerBoolConversionError(
                f"Attempted boolean conversion of traced array with shape "
                f"{self.aval.str_short()}.\n" + _tail(str(e), TracerBoolConversionError)
            ) from None
        return bool(value)

    def __index__(self):
        try:
            value = self._live_concrete("__index__()")
        except ConcretizationTypeError as e:
            raise TracerIntegerConversionError(
                f"The __index__() method was called on traced array with shape "
                f"{self.aval.str_short()}.\n{_INDEX_HINT}"
                + _tail(str(e), TracerIntegerConversionError)
            ) from None
        return operator.index(value)  # a float value is a TypeError, as for Python floats

    def _python_value(self, operation: str):
        """The concrete value for a conversion to a Python number (``float()``, ``int()``,
        ``complex()``, ``math.*``, ``.item()``, ``.tolist()``). A value that carries a
        nonzero derivative refuses: the number would silently drop it (JAX refuses too).
        ``bool()`` and comparisons stay allowed: ``if x > 0:`` under grad is a feature."""
        if not self._trace.alive:
            raise escaped_tracer_error(self)
        carrier = self._derivative_carrier()
        if carrier is not None:
            raise ConcretizationTypeError(_derivative_message(self, operation, carrier))
        return self._live_concrete(operation)

    def _derivative_carrier(self):
        """The trace of the innermost transform giving this value a nonzero derivative
        (a tracer with a ``tangent`` that is not a symbolic zero), or None."""
        x = self
        while isinstance(x, Tracer):
            if getattr(x, "tangent", None) is not None:
                return x._trace
            if any(t is not None for t in getattr(x, "terms", None) or ()):  # jet's series
                return x._trace
            x = getattr(x, "primal", None)
        return None

    def __int__(self):
        return int(self._python_value("int()"))

    def __float__(self):
        return float(self._python_value("float()"))

    def __complex__(self):
        return complex(self._python_value("complex()"))

    def item(self, *args):
        """The value as a Python scalar (concrete values without a derivative only)."""
        return np.asarray(self._python_value("item()")).item(*args)

    def tolist(self):
        return np.asarray(self._python_value("tolist()")).tolist()

    def block_until_ready(self):
        return self

    def __array__(self, dtype=None, copy=None):
        raise TracerArrayConversionError(
            f"The numpy.ndarray conversion method __array__() was called on traced array "
            f"with shape {self.aval.str_short()}. NumPy functions cannot see inside a "
            f"{self._trace.name} transformation: use mini_ad.numpy (mnp) instead of numpy "
            f"(np) inside transformed functions. {_INDEX_HINT}"
            f"See {ERRORS_URL}#jax.errors.TracerArrayConversionError"
        )

    def __hash__(self):
        raise TypeError(f"unhashable type: '{type(self).__name__}' (traced arrays are unhashable)")


def _derivative_message(x: Tracer, operation: str, trace: Trace) -> str:
    reverse = getattr(trace.parent, "partial", False)  # linearize stages the tangents
    if trace.name == "jet":
        transform = "jet (Taylor mode)"
    elif reverse:
        transform = "grad (reverse mode: grad, vjp, jacrev, hessian)"
    else:
        transform = "jvp (forward mode: jvp, jacfwd)"
    return (
        f"Abstract tracer value encountered where concrete value is expected: {operation} "
        f"was applied to a value of type {x.aval.str_short()} that carries a derivative "
        f"under {transform}. A Python number cannot carry it, so the derivative would be "
        "silently lost. Use mini_ad.numpy functions instead (mnp.sin(x), not math.sin(x); "
        "x.astype(float), not float(x)), or ad.stop_gradient(x) if dropping the "
        "derivative is intended.\n"
        f"See {ERRORS_URL}#jax.errors.ConcretizationTypeError"
    )


def get_aval(x) -> ShapedArray:
    """The abstract value of a tracer or a concrete value."""
    return x.aval if isinstance(x, Tracer) else concrete_aval(x)


_INDEX_HINT = (
    "To index a plain NumPy array v with a traced index i, write mnp.asarray(v)[i] (mini_ad "
    "arrays accept traced indices; NumPy's own indexing cannot see inside a transform).\n"
)


def _tail(message: str, error: type) -> str:
    """Drop the first line of a concretization message (the caller writes its own) and
    point its documentation link at ``error``."""
    tail = message.split("\n", 1)[1] if "\n" in message else message
    return tail.replace("#jax.errors.ConcretizationTypeError", f"#jax.errors.{error.__name__}")
