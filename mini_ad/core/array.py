"""``Array``: the type of every array mini_ad returns.

An ``Array`` is a ``numpy.ndarray`` subclass whose buffer is read-only. NumPy, SciPy and
matplotlib take it as it is (no copy), and ``np.asarray(result)`` is a read-only view, so
nothing a user does with a result can write into a buffer mini_ad keeps (jit's folded
constants, a closure constant, an argument the result is a view of).

Immutable like JAX's arrays:

* ``x[i] = v`` raises ``TypeError`` pointing at ``x.at[i].set(v)``;
* ``x += y`` (and every augmented operator) rebinds ``x`` to a new array, as in JAX:
  the array ``x`` named before is unchanged, so ``b = a; b += 1`` leaves ``a`` alone;
* ``x.at[i].set/add/multiply/divide/power/min/max/get/apply`` are the functional updates
  (``mini_ad/numpy/_at.py``), ``x.sort()`` returns a sorted copy.

Results are wrapped in two places: the eager trace's primitive evaluation
(``EvalTrace``) and the values jit's generated code returns; the public transforms wrap
the leaves they return (``api/_shell.py``). Wrapping is a view plus a flag: no copy.

An ``Array`` that NumPy itself made writeable (``np.empty_like(x)``, ``np.array(x,
subok=True)``) keeps NumPy's in-place behaviour, so NumPy's own functions, which write
into such private buffers, keep working. ``x.copy()`` and NumPy functions applied to an
``Array`` (``np.sin(x)``; operators and the other methods are mini_ad's and return
Arrays) return plain writable ``numpy.ndarray`` s: fresh buffers, the caller's to write.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.array_methods import ArrayMethods, array_ops
from mini_ad.core.fp import _FP_IGNORE, _fp_errors
from mini_ad.errors import ShapeError

AT_HINT = (
    "mini_ad arrays are immutable (as JAX's are): instead of x[idx] = y, write "
    "x = x.at[idx].set(y) or another .at[] method (add, multiply, divide, power, min, max, "
    "apply); np.array(x) gives a writable NumPy copy."
)

_view = np.ndarray.view
_setflags = np.ndarray.setflags
_nd_getitem = np.ndarray.__getitem__


class Array(np.ndarray):
    """mini_ad's immutable array (JAX: ``jax.Array``); see the module docstring."""

    __slots__ = ()

    # --- NumPy interplay ----------------------------------------------------------------------
    def __array_wrap__(self, array, context=None, return_scalar=False):
        """Ufuncs (``np.sin(x)``) return plain ndarrays: fresh buffers, the caller's."""
        if return_scalar:
            return array[()]
        return array if type(array) is np.ndarray else _view(array, np.ndarray)

    def __repr__(self):
        return repr(_view(self, np.ndarray))

    def __reduce__(self):
        return _from_ndarray, (np.array(self),)

    def copy(self, order="C"):
        """A writable ``numpy.ndarray`` copy (NumPy code writes into copies it makes)."""
        return np.array(self, order=order)

    def flatten(self, order="C"):
        """A writable 1-d ``numpy.ndarray`` copy (``np.sort(x, axis=None)`` sorts it in place)."""
        return np.array(self, order=order).reshape(-1)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # --- immutability ---------------------------------------------------------------------------
    def __setitem__(self, index, value):
        if not self.flags.writeable:
            raise TypeError(f"{AT_HINT} (JAX: jax.numpy.ndarray.at)")
        np.ndarray.__setitem__(self, index, value)

    def __getitem__(self, index):
        if _has_tracer(index):  # a traced index: mini_ad.numpy's indexing (gather)
            return array_ops.getitem(self, index)
        out = _nd_getitem(self, index)
        if type(out) is Array and out.flags.writeable and not self.flags.writeable:
            _setflags(out, False)  # an advanced index's fresh copy: read-only too
        return out

    @property
    def at(self):
        """JAX's functional updates: ``x.at[idx].set(y)``, ``.add``, ``.get(mode=...)``..."""
        return array_ops.at(self)

    def block_until_ready(self):
        """``self`` (NumPy computes eagerly; JAX's name for waiting on a result)."""
        return self

    def sort(self, axis=-1, kind=None, order=None, *, stable=None, descending=False):
        """A sorted copy, as JAX's ``Array.sort`` (NumPy's sorts in place)."""
        if self.flags.writeable and not descending:  # a private buffer of NumPy's own code
            return np.ndarray.sort(self, axis=axis, kind=kind, order=order, stable=stable)
        return array_ops.sort(self, axis=axis, descending=descending)


def _has_tracer(index) -> bool:
    if isinstance(index, ArrayMethods):  # a Tracer (core.tracing imports this module)
        return True
    if type(index) is tuple or type(index) is list:
        return any(isinstance(e, ArrayMethods) for e in index)
    return False


def _from_ndarray(x):
    return wrap(x)


def wrap(x):
    """``x`` (an impl's result) as a read-only ``Array``: a view, never a copy.

    Tracers, Arrays and Python scalars come back unchanged (JAX, too, returns Python
    scalars that pass through a transform unconverted).
    """
    t = type(x)
    if t is np.ndarray:
        out = _view(x, Array)
        _setflags(out, False)
        return out
    if t is Array:
        if x.flags.writeable:
            x = _view(x, Array)
            _setflags(x, False)
        return x
    if isinstance(x, np.generic):
        out = _view(np.asarray(x), Array)
        _setflags(out, False)
        return out
    if isinstance(x, np.ndarray):  # another subclass (np.matrix, masked arrays): keep it
        return x
    return x


def wrap_array(x):
    """``x`` as a read-only ``Array``, Python scalars included (jit's results)."""
    t = type(x)
    return wrap(x) if t is np.ndarray or t is Array else wrap(np.asarray(x))


def _wrap_tuple(values):
    return tuple(wrap(v) for v in values)


def wrap_all(values) -> list:
    return [wrap(x) for x in values]


# --- operators: NumPy's, with the result wrapped; augmented ones rebind --------------------------
# The ufunc is called directly when the other operand is an array or a number (NumPy's
# operator on a subclass takes a slower, general path); anything else goes to NumPy's
# operator, which defers to tracers (they have a higher ``__array_priority__``).
_UFUNCS = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.true_divide,
    "mod": np.remainder, "pow": None, "matmul": np.matmul,
    "and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor,
    "lshift": np.left_shift, "rshift": np.right_shift, "eq": None, "ne": None,
    "lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
}  # fmt: skip
_PLAIN = (np.ndarray, np.generic, float, int, bool, complex)


def _operator(name, ufunc, reflected=False):
    method = getattr(np.ndarray, name)

    def op(self, other):
        if ufunc is not None and isinstance(other, _PLAIN):
            x = _view(self, np.ndarray)  # plain operands: no __array_wrap__ round trip
            if type(other) is Array:
                other = _view(other, np.ndarray)
            token = None if _fp_errors.get() is _FP_IGNORE else _fp_errors.set(_FP_IGNORE)
            try:  # inf and nan are results, without NumPy's warning, as in mini_ad.numpy
                return wrap(ufunc(other, x) if reflected else ufunc(x, other))
            except ValueError as e:  # mismatched shapes: JAX's class (a TypeError) too
                raise ShapeError(f"{name.strip('_')}: {e}") from None
            finally:
                if token is not None:
                    _fp_errors.reset(token)
        out = method(self, other)
        return out if out is NotImplemented else wrap(out)

    op.__name__ = name
    return op


def _unary(name):
    method = getattr(np.ndarray, name)

    def op(self):
        return wrap(method(self))

    op.__name__ = name
    return op


def _augmented(name):
    """``x op= y``: in place only on a writable (NumPy-private) Array; otherwise a new
    Array is bound to the name, as in JAX, and the old one is unchanged."""
    in_place = getattr(np.ndarray, f"__i{name}__")
    plain = getattr(Array, f"__{name}__")

    def op(self, other):
        if self.flags.writeable:
            return in_place(self, other)
        return plain(self, other)

    op.__name__ = f"__i{name}__"
    return op


for _name, _ufunc in _UFUNCS.items():
    setattr(Array, f"__{_name}__", _operator(f"__{_name}__", _ufunc))
    if hasattr(np.ndarray, f"__r{_name}__"):
        setattr(Array, f"__r{_name}__", _operator(f"__r{_name}__", _ufunc, reflected=True))
    if hasattr(np.ndarray, f"__i{_name}__"):
        setattr(Array, f"__i{_name}__", _augmented(_name))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(Array, f"__{_name}__", _unary(f"__{_name}__"))


def _floor_division(name, reflected=False):
    """``//`` and ``divmod`` through ``mini_ad.numpy`` (``array_ops``): JAX's integer
    ``x // 0`` (NumPy gives 0), the same function as under a transform."""

    def op(self, other):
        fn = getattr(array_ops, name)
        return fn(other, self) if reflected else fn(self, other)

    op.__name__ = f"__{'r' if reflected else ''}{name.replace('_', '')}__"
    return op


Array.__floordiv__ = _floor_division("floor_divide")
Array.__rfloordiv__ = _floor_division("floor_divide", reflected=True)
Array.__divmod__ = _floor_division("divmod")
Array.__rdivmod__ = _floor_division("divmod", reflected=True)
Array.__ifloordiv__ = _augmented("floordiv")

# Methods that return new values return Arrays (JAX), read-only like every result.
_METHODS = (
    "all any argmax argmin astype clip conj conjugate cumprod cumsum diagonal dot "
    "max mean min nonzero prod ravel repeat reshape round squeeze std sum swapaxes take trace "
    "transpose var"
).split()


def _method(name):
    method = getattr(np.ndarray, name)

    def fn(self, *args, **kwargs):
        out = method(self, *args, **kwargs)
        if kwargs.get("out") is not None:
            return out
        if type(out) is tuple:
            return tuple(wrap(o) for o in out)
        return wrap(out)

    fn.__name__ = name
    fn.__doc__ = f"NumPy's ``ndarray.{name}``, the result an immutable Array (as JAX's)."
    return fn


for _name in _METHODS:
    setattr(Array, _name, _method(_name))


# Where NumPy's method and mini_ad.numpy's function differ (float-to-int casts saturate as
# in XLA; cumulative products and complex moments round as mini_ad's primitives do; JAX's
# keywords such as promote_integers), the Array method is the function, as it is on a
# tracer: eager equals jit. With ``out=`` or another NumPy-only argument, NumPy's runs.
_SAME_AS_FUNCTION = {  # name -> NumPy's parameters, in order, that the function takes
    "sum": ("axis", "dtype", "out", "keepdims", "initial", "where", "promote_integers"),
    "prod": ("axis", "dtype", "out", "keepdims", "initial", "where", "promote_integers"),
    "cumsum": ("axis", "dtype"),
    "cumprod": ("axis", "dtype"),
    "mean": ("axis", "dtype", "out", "keepdims", "where"),
    "var": ("axis", "dtype", "out", "ddof", "keepdims", "where", "mean", "correction"),
    "std": ("axis", "dtype", "out", "ddof", "keepdims", "where", "mean", "correction"),
}


def _function_method(name, params):
    numpy_method = getattr(Array, name)

    def fn(self, *args, **kwargs):
        named = dict(zip(params[: len(args)], args, strict=False), **kwargs)
        plain = len(args) <= len(params) and named.get("out") is None
        named.pop("out", None)
        if not plain or not set(named) <= set(params):
            return numpy_method(self, *args, **kwargs)
        return getattr(array_ops, name)(_view(self, np.ndarray), **named)

    fn.__name__ = name
    fn.__doc__ = (
        f"``mini_ad.numpy.{name}`` of this array (NumPy's method for NumPy-only arguments)."
    )
    return fn


for _name, _params in _SAME_AS_FUNCTION.items():
    setattr(Array, _name, _function_method(_name, _params))
_numpy_astype = Array.astype


def _astype(self, dtype, *args, **kwargs):
    """A cast; from floats to integers it saturates, NaN to 0, as ``mini_ad.numpy.astype``
    and XLA (NumPy's cast is undefined there)."""
    if not args and not kwargs and self.dtype.kind == "f" and np.dtype(dtype).kind in "iu":
        return array_ops.astype(_view(self, np.ndarray), dtype)
    return _numpy_astype(self, dtype, *args, **kwargs)


Array.astype = _astype
