"""``mini_ad.numpy.pad``: every mode of ``numpy.pad`` and ``jax.numpy.pad`` but a function.

Constant padding binds the ``pad`` primitive; the index-map modes (``edge``, ``wrap``,
``reflect``, ``symmetric``) gather; the statistic modes (``maximum``, ``minimum``, ``mean``,
``median``) and ``linear_ramp`` concatenate computed slabs. As in NumPy and JAX the axes are
padded one after another, each from the array padded along the axes before it, so every
mode is a composition of differentiable, batchable primitives.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to
from mini_ad.numpy._division import floor
from mini_ad.numpy._division import round as round_
from mini_ad.numpy._math import multiply, subtract
from mini_ad.numpy._quantile import median
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._shape import concatenate, flip
from mini_ad.numpy._statistics import mean
from mini_ad.primitives import structural as st
from mini_ad.primitives.bits import fma
from mini_ad.primitives.indexing import gather

_INDEX_MODES = ("edge", "wrap", "reflect", "symmetric")
_STATISTICS = {"maximum": max_, "minimum": min_, "mean": mean, "median": median}


def _pad_index(n, before, after, mode):
    """Source indices of a padded axis of length ``n`` for the index-map modes."""
    i = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "symmetric":  # period 2n: 0..n-1, n-1..0
        j = np.mod(i, 2 * n)
        return np.where(j >= n, 2 * n - 1 - j, j)
    if n == 1:  # reflect
        return np.zeros_like(i)
    j = np.mod(i, 2 * n - 2)  # period 2n - 2: 0..n-1, n-2..1
    return np.where(j >= n, 2 * n - 2 - j, j)


def _pairs(value, ndim, name):
    """``value`` (a number, a pair, or one pair per axis) as ``ndim`` (before, after) pairs."""
    try:
        return np.broadcast_to(np.asarray(value), (ndim, 2)).tolist()
    except ValueError:
        raise ValueError(f"{name} must be a number, a pair or one pair per axis") from None


def _slice(x, axis, start, stop):
    """``x[..., start:stop, ...]`` along ``axis`` (non-negative bounds)."""
    shape = aval_of(x).shape
    starts = [0] * len(shape)
    limits = list(shape)
    starts[axis], limits[axis] = start, stop
    return st.slice(x, tuple(starts), tuple(limits), None)


def _slab(value, x, axis, width):
    """``value`` (size 1 along ``axis``) repeated ``width`` times along it."""
    shape = list(aval_of(x).shape)
    shape[axis] = width
    return broadcast_to(value, tuple(shape))


def _statistic_pad(x, widths, stat_length, statistic):
    dtype = aval_of(x).dtype
    for axis, (lo, hi) in enumerate(widths):
        n = aval_of(x).shape[axis]
        if stat_length is None:
            before = after = statistic(x, axis=axis, keepdims=True)
        else:
            len_lo, len_hi = stat_length[axis]
            if len_lo == 0 or len_hi == 0:
                raise ValueError("stat_length of 0 yields no value for padding")
            len_lo, len_hi = min(len_lo, n), min(len_hi, n)
            before = statistic(_slice(x, axis, 0, len_lo), axis=axis, keepdims=True)
            after = statistic(_slice(x, axis, n - len_hi, n), axis=axis, keepdims=True)
        if np.issubdtype(dtype, np.integer):  # (the mean and median: rounded half to even)
            before, after = round_(before), round_(after)
        before, after = astype(before, dtype), astype(after, dtype)
        x = concatenate([_slab(before, x, axis, lo), x, _slab(after, x, axis, hi)], axis=axis)
    return x


def _ramp(end, edge, width, x, axis):
    """``width`` values from ``end`` towards ``edge`` (excluded) along ``axis``, as JAX's
    ``linspace(end, edge, width, endpoint=False)`` computes them: ``t = i (1/width)`` and
    ``fma(edge, t, end (1 - t))``, floored for integers."""
    dtype = aval_of(x).dtype
    compute = dtype if dtype.kind in "fc" else np.dtype(np.float64)
    shape = [1] * aval_of(x).ndim
    shape[axis] = width
    t = np.arange(width, dtype=compute) * (compute.type(1) / compute.type(max(width, 1)))
    t = t.reshape(shape)
    edge = astype(edge, compute)
    full = tuple(aval_of(edge).shape[:axis]) + (width,) + tuple(aval_of(edge).shape[axis + 1 :])
    start = multiply(np.asarray(end, compute), (compute.type(1) - t).astype(compute))
    ramp = fma(broadcast_to(edge, full), broadcast_to(t, full), broadcast_to(start, full))
    if dtype.kind in "iu":
        ramp = floor(ramp)
    return astype(ramp, dtype)


def _odd_reflection(x, axis, lo, hi, mode):
    """``reflect``/``symmetric`` with ``reflect_type="odd"`` along ``axis``: each reflected
    block is ``2 edge - block``, its outer end the next block's edge; widths beyond the axis
    reflect the array padded so far, block by block, as NumPy and JAX do."""
    n = aval_of(x).shape[axis]
    offset = 1 if (mode == "reflect" and n > 1) else 0
    for before, padding in ((True, lo), (False, hi)):
        m = aval_of(x).shape[axis]
        edge = _slice(x, axis, 0, 1) if before else _slice(x, axis, m - 1, m)
        while padding > 0:
            size = min(padding, n - offset)
            padding -= size
            m = aval_of(x).shape[axis]
            stop = offset + size if before else m - offset
            block = flip(_slice(x, axis, stop - size, stop), axis)
            block = subtract(multiply(edge, 2), block)
            if n > 1:
                edge = _slice(block, axis, 0, 1) if before else _slice(block, axis, size - 1, size)
            x = concatenate([block, x] if before else [x, block], axis=axis)
    return x


def _linear_ramp_pad(x, widths, end_values):
    for axis, (lo, hi) in enumerate(widths):
        n = aval_of(x).shape[axis]
        first, last = _slice(x, axis, 0, 1), _slice(x, axis, n - 1, n)
        end_lo, end_hi = end_values[axis]
        before = _ramp(end_lo, first, lo, x, axis)
        after = flip(_ramp(end_hi, last, hi, x, axis), axis)
        x = concatenate([before, x, after], axis=axis)
    return x


def pad(array, pad_width, mode="constant", *, constant_values=0, stat_length=None,
        end_values=0, reflect_type="even"):  # fmt: skip
    """Pad an array, as ``numpy.pad`` and ``jax.numpy.pad``.

    Modes: ``"constant"`` (a traced scalar value allowed), ``"edge"``, ``"wrap"``,
    ``"reflect"``, ``"symmetric"``, ``"maximum"``, ``"minimum"``, ``"mean"``, ``"median"``
    (each axis padded with the statistic of its first or last ``stat_length`` entries;
    integers round half to even), ``"linear_ramp"`` (from ``end_values`` to the edge) and
    ``"empty"`` (which pads with zeros, as JAX).

    Args:
      array: an array, a Python scalar or a (nested) list of them.
      pad_width: an int, a ``(before, after)`` pair, or one pair per axis.
      mode: one of the modes above (a function, which NumPy also takes, is not supported).
      constant_values: for ``"constant"``: a scalar, or pairs as for ``pad_width``.
      stat_length: for the statistic modes: how many entries at each end the statistic
        covers (None: the whole axis), pairs as for ``pad_width``.
      end_values: for ``"linear_ramp"``: the values at the outer ends, pairs as above.
      reflect_type: for ``"reflect"``/``"symmetric"``: ``"even"`` (the values mirrored) or
        ``"odd"`` (mirrored through the edge value: ``2 edge - value``).

    Returns:
      The padded array.

    Raises:
      ValueError: a width is negative, a mode other than ``"constant"``/``"empty"`` pads
        an empty axis, or a ``stat_length`` is 0.
      NotImplementedError: an unknown or function ``mode``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.pad([1.0, 2.0], 1))
      [0. 1. 2. 0.]
      >>> print(mnp.pad([1, 2, 3], (2, 1), mode="reflect"))
      [3 2 1 2 3 2]
      >>> print(mnp.pad([1.0, 3.0], 2, mode="mean"))
      [2. 2. 1. 3. 2. 2.]
    """
    array = _operand(array)
    shape = aval_of(array).shape
    widths = _pairs(np.asarray(pad_width, dtype=np.int64), len(shape), "pad_width")
    if any(w < 0 for pair in widths for w in pair):
        raise ValueError("index can't contain negative values")
    dtype = aval_of(array).dtype
    if mode in ("constant", "empty"):
        values = 0 if mode == "empty" else constant_values
        if isinstance(values, Tracer) or np.ndim(values) == 0:
            value = (
                astype(values, dtype) if isinstance(values, Tracer) else np.asarray(values, dtype)
            )
            return st.pad(array, value, [(lo, hi, 0) for lo, hi in widths])
        pairs = np.broadcast_to(np.asarray(values, dtype), (len(shape), 2))
        for axis, ((lo, hi), (v_lo, v_hi)) in enumerate(zip(widths, pairs, strict=True)):
            for config, value in (((lo, 0, 0), v_lo), ((0, hi, 0), v_hi)):
                full = [(0, 0, 0)] * len(shape)
                full[axis] = config
                array = st.pad(array, np.asarray(value, dtype), full)
        return as_result(array)
    if mode not in _INDEX_MODES and mode not in _STATISTICS and mode != "linear_ramp":
        raise NotImplementedError(f"mini_ad.numpy.pad does not support mode={mode!r}")
    if reflect_type not in ("even", "odd"):
        raise ValueError(f"reflect_type must be 'even' or 'odd', got {reflect_type!r}")
    for axis, (lo, hi) in enumerate(widths):
        if (lo or hi) and shape[axis] == 0:
            raise ValueError(f"can't extend empty axis {axis} using modes other than 'constant'")
    if mode in _STATISTICS:
        lengths = None if stat_length is None else _pairs(stat_length, len(shape), "stat_length")
        return as_result(_statistic_pad(array, widths, lengths, _STATISTICS[mode]))
    if mode == "linear_ramp":
        ends = _pairs(end_values, len(shape), "end_values")
        return as_result(_linear_ramp_pad(array, widths, ends))
    odd = reflect_type == "odd" and mode in ("reflect", "symmetric")
    for axis, (lo, hi) in enumerate(widths):
        if odd and (lo or hi):
            array = _odd_reflection(array, axis, lo, hi, mode)
        elif lo or hi:
            n = aval_of(array).shape[axis]
            array = gather(array, [_pad_index(n, lo, hi, mode)], (axis,))
    return as_result(array)
