"""Window reductions: ``reduce_window_sum`` (linear), ``reduce_window_max`` and
``reduce_window_min``, with JAX's primitive names and params (``window_dimensions``,
``window_strides``, ``padding`` as ``(low, high)`` pairs, ``base_dilation``,
``window_dilation``).

The operand is first padded with the reduction's identity (``base_dilation - 1``
identities between neighbours, ``low``/``high`` at the ends); each output element then
reduces the window of ``prod(window_dimensions)`` elements spaced ``window_dilation``
apart, windows ``window_strides`` apart. Seen from the padded operand, each window
*offset* ``k`` is one strided slice of the output's shape, so

* the sum is ``sum_k slice_k(padded x)`` and its transpose ``sum_k pad_k(ct)``,
  cropped back to ``x``'s positions;
* the max (min) takes, per output element, the tangent of the first window element in
  row-major window order that equals the result, as JAX's ``select_and_gather_add``
  does: exactly one element of a tie gets the derivative (unlike ``reduce_max``'s
  even split).
"""

from __future__ import annotations

import itertools

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import _ints, def_linear
from mini_ad.primitives.elementwise import (
    add_any,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    eq,
    select_n,
)
from mini_ad.primitives.structural import pad, slice  # noqa: A004 - lax's name
from mini_ad.primitives.taylor import jet_from_jvp

PARAMS = ("window_dimensions", "window_strides", "padding", "base_dilation", "window_dilation")


def identity(name: str, dtype):
    """The identity of the reduction ``name`` ("sum", "max", "min") in ``dtype``."""
    dtype = np.dtype(dtype)
    if name == "sum":
        return np.zeros((), dtype)
    if dtype.kind == "b":
        return np.array(name == "min", dtype)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return np.array(info.min if name == "max" else info.max, dtype)
    return np.array(-np.inf if name == "max" else np.inf, dtype)


def window_shape(shape, window_dimensions, window_strides, padding, base_dilation,
                 window_dilation) -> tuple:  # fmt: skip
    """The output shape of a window reduction of an operand of ``shape``."""
    out = []
    for n, w, s, (lo, hi), bd, wd in zip(shape, window_dimensions, window_strides, padding,
                                         base_dilation, window_dilation, strict=True):  # fmt: skip
        padded = lo + hi + (max(n - 1, 0) * bd + 1 if n else 0)
        span = (w - 1) * wd + 1 if w else 0
        out.append(max(0, (padded - span) // s + 1) if padded >= span else 0)
    return tuple(out)


def _check(x, params, name):
    ndim = x.ndim
    if any(len(params[k]) != ndim for k in PARAMS):
        raise TypeError(f"{name}: every window param needs one entry per operand dim ({ndim}), "
                        f"got {params}.")  # fmt: skip
    if any(v < 1 for k in ("window_strides", "base_dilation", "window_dilation")
           for v in params[k]) or any(v < 0 for v in params["window_dimensions"]):  # fmt: skip
        raise TypeError(f"{name}: strides and dilations must be >= 1 and window dims >= 0, "
                        f"got {params}.")  # fmt: skip
    if any(v < 0 for pair in params["padding"] for v in pair):
        raise NotImplementedError(f"{name}: negative padding is not supported, got "
                                  f"{params['padding']}.")  # fmt: skip


def _padding_config(params):
    return [(lo, hi, bd - 1) for (lo, hi), bd in zip(params["padding"], params["base_dilation"],
                                                       strict=True)]  # fmt: skip


def _offsets(params):
    """Per window offset (row-major), the start indices of its slice of the padded operand."""
    dims = [range(w) for w in params["window_dimensions"]]
    for k in itertools.product(*dims):
        yield tuple(i * wd for i, wd in zip(k, params["window_dilation"], strict=True))


def _slice_limits(starts, out_shape, strides):
    return tuple(lo + (m - 1) * s + 1 if m else lo
                 for lo, m, s in zip(starts, out_shape, strides, strict=True))  # fmt: skip


def _numpy_padded(x, fill, params):
    x = np.asarray(x)
    shape = [lo + hi + (max(n - 1, 0) * (i + 1) + 1 if n else 0)
             for n, (lo, hi, i) in zip(x.shape, _padding_config(params), strict=True)]  # fmt: skip
    out = np.full(shape, fill, x.dtype)
    out[tuple(np.s_[lo : lo + (n - 1) * (i + 1) + 1 if n else lo : i + 1]
              for n, (lo, hi, i) in zip(x.shape, _padding_config(params), strict=True))] = x  # fmt: skip
    return out


def _make(name, ufunc):
    p = Primitive(f"reduce_window_{name}")

    def impl(x, **params):
        x = np.asarray(x)
        abstract_eval(ShapedArray(x.shape, x.dtype), **params)  # the same errors eagerly
        out_shape = window_shape(x.shape, *(params[k] for k in PARAMS))
        padded = _numpy_padded(x, identity(name, x.dtype), params)
        out = np.full(out_shape, identity(name, x.dtype), x.dtype)
        if 0 in out_shape:
            return out
        for starts in _offsets(params):
            index = tuple(np.s_[lo:hi:s] for lo, hi, s in zip(
                starts, _slice_limits(starts, out_shape, params["window_strides"]),
                params["window_strides"], strict=True))  # fmt: skip
            ufunc(out, padded[index], out=out)
        return out

    def abstract_eval(x, **params):
        _check(x, params, p.name)
        if x.dtype.kind not in "biuf" or (name == "sum" and x.dtype.kind == "b"):
            raise TypeError(f"{p.name} does not accept dtype {x.dtype.name}.")
        return ShapedArray(window_shape(x.shape, *(params[k] for k in PARAMS)), x.dtype)

    def batch(axis_size, vals, dims, **params):
        (x,), (bdim,) = vals, dims
        extra = {"window_dimensions": 1, "window_strides": 1, "padding": (0, 0),
                 "base_dilation": 1, "window_dilation": 1}  # fmt: skip
        new = {}
        for k in PARAMS:
            values = list(params[k])
            values.insert(bdim, extra[k])
            new[k] = tuple(values)
        return p.bind(x, **new), bdim

    def lowering(lx, x, **params):
        computation = {"sum": lx.lax.add, "max": lx.lax.max, "min": lx.lax.min}[name]
        return lx.lax.reduce_window(x, identity(name, x.dtype), computation,
                                    *(params[k] for k in PARAMS))  # fmt: skip

    p.impl = impl
    p.abstract_eval = abstract_eval
    p.batch = batch
    p.lowering = lowering
    return p


reduce_window_sum_p = _make("sum", np.add)
reduce_window_max_p = _make("max", np.maximum)
reduce_window_min_p = _make("min", np.minimum)


def _bind(p, x, window_dimensions, window_strides, padding, base_dilation, window_dilation):
    return p.bind(
        x,
        window_dimensions=_ints(window_dimensions),
        window_strides=_ints(window_strides),
        padding=tuple(_ints(pair) for pair in padding),
        base_dilation=_ints(base_dilation),
        window_dilation=_ints(window_dilation),
    )


def reduce_window_sum(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):  # fmt: skip
    """Sum over each window of ``x`` (zero padding), JAX's ``reduce_window_sum`` primitive.

    >>> import numpy as np
    >>> print(reduce_window_sum(np.arange(4.0), (2,), (1,), ((0, 0),), (1,), (1,)))
    [1. 3. 5.]
    """
    return _bind(reduce_window_sum_p, x, window_dimensions, window_strides, padding,
                 base_dilation, window_dilation)  # fmt: skip


def reduce_window_max(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):  # fmt: skip
    """Maximum over each window of ``x`` (``-inf`` padding), JAX's ``reduce_window_max``.

    >>> import numpy as np
    >>> print(reduce_window_max(np.array([1.0, 3.0, 2.0]), (2,), (1,), ((0, 0),), (1,), (1,)))
    [3. 3.]
    """
    return _bind(reduce_window_max_p, x, window_dimensions, window_strides, padding,
                 base_dilation, window_dilation)  # fmt: skip


def reduce_window_min(x, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):  # fmt: skip
    """Minimum over each window of ``x`` (``+inf`` padding), JAX's ``reduce_window_min``.

    >>> import numpy as np
    >>> print(reduce_window_min(np.array([1.0, 3.0, 2.0]), (2,), (1,), ((0, 0),), (1,), (1,)))
    [1. 2.]
    """
    return _bind(reduce_window_min_p, x, window_dimensions, window_strides, padding,
                 base_dilation, window_dilation)  # fmt: skip


# --- the sum is linear: its transpose pads each offset's cotangent back into place ---------


def _sum_transpose(ct, x, **params):
    shape = x.aval.shape
    dtype = x.aval.dtype
    config = _padding_config(params)
    padded_shape = [lo + hi + (max(n - 1, 0) * (i + 1) + 1 if n else 0)
                    for n, (lo, hi, i) in zip(shape, config, strict=True)]  # fmt: skip
    out_shape = aval_of(ct).shape
    zero = np.zeros((), dtype)
    total = None
    if 0 not in out_shape:
        for starts in _offsets(params):
            offset_config = []
            for n, lo, m, s in zip(padded_shape, starts, out_shape, params["window_strides"],
                                   strict=True):  # fmt: skip
                used = lo + (m - 1) * s + 1
                offset_config.append((lo, n - used, s - 1 if m > 1 else 0))
            term = pad(ct, zero, offset_config)
            total = term if total is None else add_any(total, term)
    if total is None:
        return [np.zeros(shape, dtype)]
    starts = [lo for lo, _, _ in config]
    strides = [i + 1 for _, _, i in config]
    limits = _slice_limits(starts, shape, strides)
    return [slice(total, starts, limits, strides)]


def_linear(reduce_window_sum_p, _sum_transpose)

# --- max / min: the first window element (row-major) equal to the result wins ------------


def _chooser_jvp(p, name, primals, tangents, **params):
    (x,), (t,) = primals, tangents
    out = p.bind(x, **params)
    out_shape = aval_of(out).shape
    dtype = aval_of(x).dtype
    if 0 in out_shape or t is None:
        return out, None if t is None else np.zeros(out_shape, dtype)
    config = _padding_config(params)
    x_padded = pad(x, identity(name, dtype), config)
    t_padded = pad(t, np.zeros((), aval_of(t).dtype), config)
    strides = params["window_strides"]
    zeros = np.zeros(out_shape, aval_of(t).dtype)
    tangent, taken = zeros, np.zeros(out_shape, np.bool_)
    for starts in _offsets(params):
        limits = _slice_limits(starts, out_shape, strides)
        hit = bitwise_and(eq(slice(x_padded, starts, limits, strides), out), bitwise_not(taken))
        tangent = select_n(hit, tangent, slice(t_padded, starts, limits, strides))
        taken = bitwise_or(taken, hit)
    return out, tangent


for _name, _p in (("max", reduce_window_max_p), ("min", reduce_window_min_p)):
    _p.jvp = (lambda p, n: lambda primals, tangents, **params: _chooser_jvp(
        p, n, primals, tangents, **params))(_p, _name)  # fmt: skip
    _p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")
    _p.jet = jet_from_jvp(_p)
