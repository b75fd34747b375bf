"""Running reductions ``cumprod``, ``cummax``, ``cummin`` and ``cumlogsumexp`` (JAX's
primitives of those names; ``cumsum`` is in ``reductions``), and the parallel prefix
scan they are differentiated through.

``associative_scan_flat`` is Blelloch's scan over lists of arrays: combine adjacent
pairs, scan the half-length result recursively (the odd outputs), combine those with
the remaining inputs (the even outputs), interleave. Its combine order is JAX's, so a
derivative taken through it splits ties exactly as JAX's does (JAX, too, always
differentiates its cumulative reductions through this scan, whatever computes the
values): ``d cummax`` of ``[1, 3, 3]`` is that of ``max(max(1, 3), 3)``, ties halved at
each ``max``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.elementwise import add, bitwise_or, max_p, min_p, mul_p
from mini_ad.primitives.log_add_exp import logaddexp_p
from mini_ad.primitives.structural import concatenate, pad, rev, slice  # noqa: A004
from mini_ad.primitives.taylor import jet_from_jvp


def slice_along(x, start, stop, stride, axis):
    """``x[start:stop:stride]`` along ``axis`` (``stop`` may be None or negative)."""
    shape = aval_of(x).shape
    n = shape[axis]
    stop = n if stop is None else (stop + n if stop < 0 else stop)
    starts = [0] * len(shape)
    limits = list(shape)
    strides = [1] * len(shape)
    starts[axis], limits[axis], strides[axis] = start, max_int(start, stop), stride
    return slice(x, starts, limits, strides)


def max_int(a: int, b: int) -> int:
    return a if a > b else b


def _interleave(a, b, axis):
    # a[0] b[0] a[1] b[1] ... (len(a) is len(b) or len(b) + 1): each spread out with zero
    # gaps by a pad, then added (or-ed for bools)
    ndim = aval_of(a).ndim
    same = aval_of(a).shape[axis] == aval_of(b).shape[axis]
    a_config = [(0, 0, 0)] * ndim
    b_config = [(0, 0, 0)] * ndim
    a_config[axis] = (0, 1 if same else 0, 1)
    b_config[axis] = (1, 0 if same else 1, 1)
    dtype = aval_of(a).dtype
    zero = np.zeros((), dtype)
    combine = bitwise_or if dtype == np.bool_ else add
    return combine(pad(a, zero, a_config), pad(b, zero, b_config))


def associative_scan_flat(combine, elems: list, axis: int, reverse: bool = False) -> list:
    """The inclusive scan of ``combine`` (lists of arrays -> list) along ``axis``."""
    if reverse:
        elems = [rev(x, (axis,)) for x in elems]

    def scan(elems):
        n = aval_of(elems[0]).shape[axis]
        if n < 2:
            return elems
        reduced = combine([slice_along(x, 0, -1, 2, axis) for x in elems],
                          [slice_along(x, 1, None, 2, axis) for x in elems])  # fmt: skip
        odd = scan(reduced)
        rest = [slice_along(x, 2, None, 2, axis) for x in elems]
        if n % 2 == 0:
            even = combine([slice_along(x, 0, -1, 1, axis) for x in odd], rest)
        else:
            even = combine(odd, rest)
        even = [concatenate([slice_along(x, 0, 1, 1, axis), e], axis)
                for x, e in zip(elems, even, strict=True)]  # fmt: skip
        return [_interleave(e, o, axis) for e, o in zip(even, odd, strict=True)]

    out = scan(list(elems))
    return [rev(x, (axis,)) for x in out] if reverse else out


def _accumulate(ufunc, abstract_eval):
    def impl(x, *, axis, reverse):
        x = np.asarray(x)
        abstract_eval(ShapedArray(x.shape, x.dtype), axis=axis, reverse=reverse)  # eager errors
        if reverse:
            return np.flip(ufunc.accumulate(np.flip(x, axis), axis=axis, dtype=x.dtype), axis)
        return ufunc.accumulate(x, axis=axis, dtype=x.dtype)  # NumPy widens small ints

    return impl


def _cumulative(name, ufunc, combine, kinds):
    p = Primitive(name)

    def abstract_eval(x, *, axis, reverse):
        if x.dtype.kind not in kinds:
            raise TypeError(f"{name} does not accept dtype {x.dtype.name}.")
        if not 0 <= axis < max_int(x.ndim, 1) or x.ndim == 0:
            raise ValueError(f"{name}: axis {axis} is out of bounds for shape {x.shape}.")
        return ShapedArray(x.shape, x.dtype, x.weak_type)

    def jvp(primals, tangents, *, axis, reverse):
        # the scan of combine's jvp over (value, tangent) pairs
        (x,), (t,) = primals, tangents
        out = p.bind(x, axis=axis, reverse=reverse)
        if t is None:
            return out, None

        def pairs(a, b):
            return list(combine.jvp((a[0], b[0]), (a[1], b[1])))

        _, t_out = associative_scan_flat(pairs, [x, t], axis, reverse)
        return out, t_out

    def batch(axis_size, vals, dims, *, axis, reverse):
        (x,), (bdim,) = vals, dims
        return p.bind(x, axis=axis + (axis >= bdim), reverse=reverse), bdim

    p.impl = _accumulate(ufunc, abstract_eval)
    p.abstract_eval = abstract_eval
    p.jvp = jvp
    p.batch = batch
    p.lowering = lambda lx, x, *, axis, reverse: getattr(lx.lax, name)(x, axis, reverse)
    p.jet = jet_from_jvp(p)
    p.opt_out("transpose", "nonlinear: reverse mode transposes its jvp's equations")
    return p


# the combine primitives' cards hold the jvps the scan applies
cumprod_p = _cumulative("cumprod", np.multiply, mul_p, "iufc")
cummax_p = _cumulative("cummax", np.maximum, max_p, "iuf")
cummin_p = _cumulative("cummin", np.minimum, min_p, "iuf")
cumlogsumexp_p = _cumulative("cumlogsumexp", np.logaddexp, logaddexp_p, "f")
