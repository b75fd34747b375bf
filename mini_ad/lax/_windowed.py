"""Window reductions: ``reduce_window`` (max/sum/avg pooling and friends) and
``reduce_window_shape_tuple``.

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.reduce_window(np.arange(6.0), -np.inf, lax.max, (2,), (2,), "VALID"))
[1. 3. 5.]
"""

from __future__ import annotations

import itertools

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import broadcast_in_dim
from mini_ad.primitives.elementwise import add, max, min, select_n  # noqa: A004 - lax's names
from mini_ad.primitives.structural import pad, slice  # noqa: A004 - lax's name
from mini_ad.primitives.windowed import (
    identity,
    reduce_window_max,
    reduce_window_min,
    reduce_window_sum,
    window_shape,
)
from mini_ad.tree_util import tree_flatten, tree_unflatten

_CHOOSERS = {add: ("sum", reduce_window_sum), max: ("max", reduce_window_max),
             min: ("min", reduce_window_min)}  # fmt: skip


def _dilate(shape, dilation):
    return tuple(0 if n == 0 else (n - 1) * d + 1 for n, d in zip(shape, dilation, strict=True))


def _padtype_to_pads(in_shape, window, strides, padding):
    """``(low, high)`` per dim for the string ``padding`` ("VALID", "SAME", "SAME_LOWER")."""
    kind = padding.upper()
    if kind == "VALID":
        return tuple((0, 0) for _ in in_shape)
    if kind not in ("SAME", "SAME_LOWER"):
        raise ValueError(f"Unknown padding type: {padding}.")
    pads = []
    for n, w, s in zip(in_shape, window, strides, strict=True):
        out = -(-n // s)
        total = int(np.maximum((out - 1) * s + w - n, 0))
        small, big = total // 2, total - total // 2
        pads.append((small, big) if kind == "SAME" else (big, small))
    return tuple(pads)


def _window_params(shape, window_dimensions, window_strides, padding, base_dilation,
                   window_dilation):  # fmt: skip
    ndim = len(shape)
    window_dimensions = tuple(int(w) for w in window_dimensions)
    window_strides = tuple(window_strides) if window_strides is not None else (1,) * ndim
    base_dilation = tuple(base_dilation) if base_dilation is not None else (1,) * ndim
    window_dilation = tuple(window_dilation) if window_dilation is not None else (1,) * ndim
    for what, value in [("window_dimensions", window_dimensions), ("window_strides", window_strides),
                        ("base_dilation", base_dilation), ("window_dilation", window_dilation)]:  # fmt: skip
        if len(value) != ndim:
            raise TypeError(f"reduce_window got the wrong number of {what} for operand: got "
                            f"operand shape {tuple(shape)} with {what} {value}.")  # fmt: skip
    if isinstance(padding, str):
        # JAX pads for the undilated operand (not its base-dilated shape), whatever the dilation
        padding = _padtype_to_pads(shape, _dilate(window_dimensions, window_dilation),
                                   window_strides, padding)  # fmt: skip
    padding = tuple((int(lo), int(hi)) for lo, hi in padding)
    return window_dimensions, window_strides, padding, base_dilation, window_dilation


def _is_identity(init, name, dtype) -> bool:
    if not isinstance(init, (int, float, np.ndarray, np.generic)):
        return False
    value = np.asarray(init)
    if value.shape != ():
        return False
    return bool(value == identity(name, dtype)) or (
        name != "sum" and dtype.kind in "iub" and bool(value == (-np.inf if name == "max"
                                                                 else np.inf))
    )  # fmt: skip


def _init_of(init, dtype):
    if isinstance(init, (int, float, bool, np.ndarray, np.generic)):
        return np.asarray(init, dtype)
    if aval_of(init).dtype != dtype or aval_of(init).shape != ():
        raise TypeError(f"reduce_window: init_value must be a scalar of dtype {dtype.name}, "
                        f"got {aval_of(init).str_short()}.")  # fmt: skip
    return init


def _window_slices(x, init, params):
    """Per window offset (row-major): the strided slice of the padded operand, and a
    constant mask of where that slice holds operand elements (not padding)."""
    window_dimensions, window_strides, padding, base_dilation, window_dilation = params
    config = [(lo, hi, bd - 1) for (lo, hi), bd in zip(padding, base_dilation, strict=True)]
    padded = pad(x, init, config)
    shape = aval_of(padded).shape
    inside = np.zeros(shape, np.bool_)
    inside[tuple(np.s_[lo : n - hi : i + 1] for n, (lo, hi, i) in zip(shape, config,
                                                                       strict=True))] = True  # fmt: skip
    out_shape = window_shape(shape, window_dimensions, window_strides,
                             [(0, 0)] * len(shape), [1] * len(shape), window_dilation)  # fmt: skip
    slices = []
    for k in itertools.product(*[range(w) for w in window_dimensions]):
        starts = [i * d for i, d in zip(k, window_dilation, strict=True)]
        limits = [s + (m - 1) * st + 1 if m else s
                  for s, m, st in zip(starts, out_shape, window_strides, strict=True)]  # fmt: skip
        index = tuple(np.s_[a:b:c] for a, b, c in zip(starts, limits, window_strides,
                                                      strict=True))  # fmt: skip
        slices.append((slice(padded, starts, limits, window_strides), inside[index]))
    return out_shape, slices


def reduce_window(operand, init_value, computation, window_dimensions, window_strides=None,
                  padding="VALID", base_dilation=None, window_dilation=None):  # fmt: skip
    """Reduce each window of ``operand`` with ``computation``, as ``jax.lax.reduce_window``.

    The operand is padded (``padding`` at the ends, ``base_dilation - 1`` holes between
    neighbours); each output element combines ``init_value`` once with the operand
    elements of its window of ``window_dimensions`` positions spaced ``window_dilation``
    apart (padding takes no part, as in JAX), windows ``window_strides`` apart. ``lax.add`` with init 0, ``lax.max`` with ``-inf`` (the
    dtype's minimum for integers) and ``lax.min`` with ``+inf`` are the primitives
    ``reduce_window_sum`` / ``_max`` / ``_min``, differentiable, batchable and jit-able
    (max/min give the whole derivative to the first maximal element of a window, as JAX).
    Another init with these three, or any other ``computation`` (``lax.mul``, a lambda,
    pytrees of operands), folds the window's operand elements into ``init_value`` with
    ``computation`` in row-major window order: exact for associative computations, and differentiable
    through ``computation`` (JAX refuses to differentiate this general form).

    Args:
      operand: an array, or a pytree of arrays of one shape.
      init_value: a scalar (or a matching pytree of scalars) of the operand's dtype.
      computation: a binary function of two scalars-or-pytrees, such as ``lax.add``.
      window_dimensions: the window's size per dim.
      window_strides: the step between windows per dim (default all 1).
      padding: "VALID", "SAME", "SAME_LOWER" or one ``(low, high)`` pair per dim
        (non-negative).
      base_dilation: the operand's dilation per dim (default all 1).
      window_dilation: the window's dilation per dim (default all 1).

    Returns:
      An array (or pytree) of shape ``reduce_window_shape_tuple(...)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
      >>> print(lax.reduce_window(x, 0.0, lax.add, (2, 2), (1, 1), "VALID"))
      [[12. 16.]]
      >>> print(lax.reduce_window(x, -np.inf, lax.max, (1, 2), (1, 2), "SAME"))
      [[2. 3.]
       [5. 6.]]
      >>> print(lax.reduce_window(np.arange(4.0), 0.0, lax.add, (2,), (1,), [(1, 0)],
      ...                         base_dilation=(1,), window_dilation=(1,)))
      [0. 1. 3. 5.]
    """
    flat, tree = tree_flatten(operand)
    inits, init_tree = tree_flatten(init_value)
    if len(flat) != len(inits):
        raise TypeError(f"reduce_window: {len(flat)} operands but {len(inits)} init values.")
    shape = aval_of(flat[0]).shape
    params = _window_params(shape, window_dimensions, window_strides, padding, base_dilation,
                            window_dilation)  # fmt: skip
    if len(flat) == 1 and computation in _CHOOSERS:
        name, reducer = _CHOOSERS[computation]
        dtype = aval_of(flat[0]).dtype
        if _is_identity(inits[0], name, dtype):
            return tree_unflatten(tree, [reducer(flat[0], *params)])
        # padding takes no part: the init value is combined once with the window's elements
        return tree_unflatten(tree, [computation(_init_of(inits[0], dtype),
                                                 reducer(flat[0], *params))])  # fmt: skip
    inits = [_init_of(i, aval_of(x).dtype) for x, i in zip(flat, inits, strict=True)]
    per_operand = [_window_slices(x, i, params) for x, i in zip(flat, inits, strict=True)]
    out_shape = per_operand[0][0]
    acc = [broadcast_in_dim(i, out_shape, ()) for i in inits]
    for k in range(len(per_operand[0][1])):
        window = [slices[k][0] for _, slices in per_operand]
        inside = per_operand[0][1][k][1]
        if not inside.any():
            continue
        result = computation(tree_unflatten(init_tree, acc), tree_unflatten(init_tree, window))
        result = tree_flatten(result)[0]
        acc = [r if inside.all() else select_n(inside, a, r)
               for a, r in zip(acc, result, strict=True)]  # fmt: skip
    return tree_unflatten(tree, acc)


def reduce_window_shape_tuple(operand_shape, window_dimensions, window_strides, padding,
                              base_dilation=None, window_dilation=None):  # fmt: skip
    """The output shape of ``reduce_window``, as ``jax.lax.reduce_window_shape_tuple``.

    Args:
      operand_shape: the operand's shape.
      window_dimensions: the window's size per dim.
      window_strides: the step between windows per dim.
      padding: one ``(low, high)`` pair per dim.
      base_dilation: the operand's dilation per dim (default all 1).
      window_dilation: the window's dilation per dim (default all 1).

    Returns:
      A tuple of ints.

    Examples:
      >>> from mini_ad import lax
      >>> lax.reduce_window_shape_tuple((5, 6), (2, 3), (1, 3), ((0, 0), (1, 2)))
      (4, 3)
    """
    ndim = len(operand_shape)
    return window_shape(
        tuple(operand_shape), tuple(window_dimensions), tuple(window_strides),
        tuple(tuple(p) for p in padding),
        tuple(base_dilation) if base_dilation is not None else (1,) * ndim,
        tuple(window_dilation) if window_dilation is not None else (1,) * ndim,
    )  # fmt: skip


__all__ = ["reduce_window", "reduce_window_shape_tuple"]
