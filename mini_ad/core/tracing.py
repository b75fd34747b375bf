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
from types import SimpleNamespace

import numpy as np
from numpy._core._ufunc_config import _extobj_contextvar as _fp_errors

from mini_ad.core.avals import ShapedArray, concrete_aval
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
            return primitive.impl(*args, **params)
        token = _fp_errors.set(_FP_IGNORE)  # inf and nan are results here, as in JAX
        try:
            return primitive.impl(*args, **params)
        finally:
            _fp_errors.reset(token)


# NumPy's floating-point warnings (log(0), exp(1000), 0 * inf) are silenced inside impls:
# the inf or nan is the intended result, and JAX is silent too. ``np.errstate`` costs about
# 2 µs per entry, so the "ignore" state is built once and swapped into the context
# variable NumPy (>= 2.0) keeps it in: a fraction of a microsecond per eager primitive.
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


# Filled by mini_ad.numpy when it is imported: the array methods of tracers are the
# mini_ad.numpy functions, and the core must not import that higher layer itself.
array_ops = SimpleNamespace()


class Tracer:
    """A value being traced by a ``Trace``. Behaves like an array in user code."""

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
                f"{self.aval.str_short()}.\n" + _tail(str(e), TracerIntegerConversionError)
            ) from None
        return operator.index(value)  # a float value is a TypeError, as for Python floats

    def __int__(self):
        return int(self._live_concrete("int()"))

    def __float__(self):
        return float(self._live_concrete("float()"))

    def __complex__(self):
        return complex(self._live_concrete("complex()"))

    def __array__(self, dtype=None, copy=None):
        raise TracerArrayConversionError(
            f"The numpy.ndarray conversion method __array__() was called on traced array "
            f"with shape {self.aval.str_short()}. NumPy functions cannot see inside a "
            f"{self._trace.name} transformation: use mini_ad.numpy (mnp) instead of numpy "
            f"(np) inside transformed functions (to index a NumPy array with a traced "
            f"index, write mnp.take(array, index) or mnp.getitem(array, index)).\n"
            f"See {ERRORS_URL}#jax.errors.TracerArrayConversionError"
        )

    def __hash__(self):
        raise TypeError(f"unhashable type: '{type(self).__name__}' (traced arrays are unhashable)")

    # --- array attributes -----------------------------------------------------------
    @property
    def shape(self):
        return self.aval.shape

    @property
    def dtype(self):
        return self.aval.dtype

    @property
    def ndim(self):
        return self.aval.ndim

    @property
    def size(self):
        return self.aval.size

    @property
    def weak_type(self):
        return self.aval.weak_type

    def __len__(self):
        if not self.aval.shape:
            raise TypeError("len() of unsized object (a traced array of rank 0)")
        return self.aval.shape[0]

    def __iter__(self):
        if not self.aval.shape:
            raise TypeError("iteration over a 0-d traced array")
        return (self[i] for i in range(self.aval.shape[0]))

    # --- operators: delegate to mini_ad.numpy -------------------------------------------
    def __neg__(self):
        return array_ops.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return array_ops.abs(self)

    def __invert__(self):
        return array_ops.invert(self)

    def __add__(self, other):
        return array_ops.add(self, other)

    def __radd__(self, other):
        return array_ops.add(other, self)

    def __sub__(self, other):
        return array_ops.subtract(self, other)

    def __rsub__(self, other):
        return array_ops.subtract(other, self)

    def __mul__(self, other):
        return array_ops.multiply(self, other)

    def __rmul__(self, other):
        return array_ops.multiply(other, self)

    def __truediv__(self, other):
        return array_ops.true_divide(self, other)

    def __rtruediv__(self, other):
        return array_ops.true_divide(other, self)

    def __floordiv__(self, other):
        return array_ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return array_ops.floor_divide(other, self)

    def __mod__(self, other):
        return array_ops.remainder(self, other)

    def __rmod__(self, other):
        return array_ops.remainder(other, self)

    def __pow__(self, other):
        return array_ops.power(self, other)

    def __rpow__(self, other):
        return array_ops.power(other, self)

    def __matmul__(self, other):
        return array_ops.matmul(self, other)

    def __rmatmul__(self, other):
        return array_ops.matmul(other, self)

    def __and__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "and")

    def __rand__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "and")

    def __or__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "or")

    def __ror__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "or")

    def __xor__(self, other):
        return array_ops.logical_and_or_bitwise(self, other, "xor")

    def __rxor__(self, other):
        return array_ops.logical_and_or_bitwise(other, self, "xor")

    def __eq__(self, other):
        return array_ops.equal(self, other)

    def __ne__(self, other):
        return array_ops.not_equal(self, other)

    def __lt__(self, other):
        return array_ops.less(self, other)

    def __le__(self, other):
        return array_ops.less_equal(self, other)

    def __gt__(self, other):
        return array_ops.greater(self, other)

    def __ge__(self, other):
        return array_ops.greater_equal(self, other)

    def __getitem__(self, index):
        return array_ops.getitem(self, index)

    # --- array methods ------------------------------------------------------------------
    @property
    def at(self):
        return array_ops.at(self)

    @property
    def T(self):
        return array_ops.transpose(self)

    def sum(self, axis=None, keepdims=False):
        return array_ops.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return array_ops.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return array_ops.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return array_ops.min(self, axis=axis, keepdims=keepdims)

    def prod(self, axis=None, keepdims=False):
        return array_ops.prod(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = shape[0]
        return array_ops.reshape(self, shape, order=order)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = axes[0]
        return array_ops.transpose(self, axes or None)

    def astype(self, dtype):
        return array_ops.astype(self, dtype)

    def dot(self, other):
        return array_ops.dot(self, other)

    def squeeze(self, axis=None):
        return array_ops.squeeze(self, axis)

    def ravel(self):
        return array_ops.ravel(self)

    def flatten(self):
        return array_ops.ravel(self)

    def argmax(self, axis=None, keepdims=False):
        return array_ops.argmax(self, axis=axis, keepdims=keepdims)

    def argmin(self, axis=None, keepdims=False):
        return array_ops.argmin(self, axis=axis, keepdims=keepdims)

    def sort(self, axis=-1, *, descending=False):
        """A sorted copy (JAX's ``Array.sort``: arrays are immutable, unlike NumPy's in place)."""
        return array_ops.sort(self, axis=axis, descending=descending)

    def argsort(self, axis=-1, *, descending=False):
        return array_ops.argsort(self, axis=axis, descending=descending)

    def cumsum(self, axis=None, dtype=None):
        return array_ops.cumsum(self, axis=axis, dtype=dtype)

    def cumprod(self, axis=None, dtype=None):
        return array_ops.cumprod(self, axis=axis, dtype=dtype)

    def trace(self, offset=0, axis1=0, axis2=1):
        return array_ops.trace(self, offset=offset, axis1=axis1, axis2=axis2)

    def diagonal(self, offset=0, axis1=0, axis2=1):
        return array_ops.diagonal(self, offset=offset, axis1=axis1, axis2=axis2)

    def clip(self, min=None, max=None):  # noqa: A002 - NumPy's names
        return array_ops.clip(self, min, max)

    def round(self, decimals=0):
        return array_ops.round(self, decimals=decimals)

    def var(self, axis=None, ddof=0, keepdims=False):
        return array_ops.var(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def std(self, axis=None, ddof=0, keepdims=False):
        return array_ops.std(self, axis=axis, ddof=ddof, keepdims=keepdims)

    def any(self, axis=None, keepdims=False):
        return array_ops.any(self, axis=axis, keepdims=keepdims)

    def all(self, axis=None, keepdims=False):
        return array_ops.all(self, axis=axis, keepdims=keepdims)

    def swapaxes(self, axis1, axis2):
        return array_ops.swapaxes(self, axis1, axis2)

    def repeat(self, repeats, axis=None):
        return array_ops.repeat(self, repeats, axis=axis)

    def take(self, indices, axis=None):
        return array_ops.take(self, indices, axis=axis)


def get_aval(x) -> ShapedArray:
    """The abstract value of a tracer or a concrete value."""
    return x.aval if isinstance(x, Tracer) else concrete_aval(x)


def _tail(message: str, error: type) -> str:
    """Drop the first line of a concretization message (the caller writes its own) and
    point its documentation link at ``error``."""
    tail = message.split("\n", 1)[1] if "\n" in message else message
    return tail.replace("#jax.errors.ConcretizationTypeError", f"#jax.errors.{error.__name__}")
