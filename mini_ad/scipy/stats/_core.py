"""``mode``, ``rankdata`` and ``sem``: the functions of ``jax.scipy.stats`` itself."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.scipy.stats._util import stats_function

__all__ = ["ModeResult", "mode", "rankdata", "sem"]

_NAN_POLICIES = ("propagate", "omit", "raise")


def _check_nan_policy(name, nan_policy):
    if nan_policy not in _NAN_POLICIES:
        raise ValueError(
            f"Illegal nan_policy value {nan_policy!r}; expected one of {_NAN_POLICIES}"
        )
    if nan_policy != "propagate":  # JAX: neither can be compiled without a value check
        raise NotImplementedError(f"{name}: nan_policy={nan_policy!r} is not implemented")


class ModeResult(NamedTuple):
    """``mode``'s result: the most frequent values and how often each occurs."""

    mode: object
    count: object  # type: ignore[assignment]  # JAX and SciPy name the field count


def _mode_of_columns(x):
    """The smallest most frequent value of each column of the 2-d ``x``, and its count
    (NaNs count as equal, as ``unique(equal_nan=True)`` does)."""
    s = mnp.sort(x, axis=0)
    nan = mnp.isnan(s)
    same = (s[:, None, :] == s[None, :, :]) | (nan[:, None, :] & nan[None, :, :])
    counts = mnp.sum(same, axis=0)  # counts[i, j]: how many of column j equal s[i, j]
    first_max = mnp.argmax(counts, axis=0)  # sorted, so the smallest value wins a tie
    values = mnp.take_along_axis(s, first_max[None, :], axis=0)[0]
    return values, mnp.max(counts, axis=0)


@stats_function
def mode(a, axis=0, nan_policy="propagate", keepdims=False) -> ModeResult:
    """The most frequent value along ``axis`` (the smallest of them when several are),
    with its count, as ``jax.scipy.stats.mode``.

    Args:
      a: the array.
      axis: the axis to reduce, or None for the flattened array.
      nan_policy: only ``"propagate"`` (``"omit"`` and ``"raise"`` are
        NotImplementedError, as in JAX).
      keepdims: keep the reduced axis with length 1.

    Returns:
      ``ModeResult(mode, count)``.

    Examples:
      >>> from mini_ad.scipy.stats import mode
      >>> result = mode([[1, 2, 2], [3, 3, 1], [1, 3, 2]], axis=0, nan_policy="propagate", keepdims=False)
      >>> print(result.mode, result.count)
      [1 3 2] [2 2 2]
    """
    _check_nan_policy("mode", nan_policy)
    x = mnp.atleast_1d(a)
    shape = mnp.shape(x)
    if axis is None:
        out_shape = (1,) * len(shape) if keepdims else ()
        x, axis = mnp.ravel(x), 0
    else:
        axis = axis + len(shape) if axis < 0 else axis
        if not 0 <= axis < len(shape):
            raise ValueError(f"axis {axis} is out of bounds for an array of dimension {len(shape)}")
        rest = tuple(n for i, n in enumerate(shape) if i != axis)
        out_shape = tuple(1 if i == axis else n for i, n in enumerate(shape)) if keepdims else rest
    x = mnp.moveaxis(x, axis, 0)
    n = mnp.shape(x)[0]
    if n == 0:
        nan = mnp.full(out_shape, np.nan)
        return ModeResult(nan, mnp.zeros(out_shape))
    values, counts = _mode_of_columns(mnp.reshape(x, (n, math.prod(mnp.shape(x)[1:]))))
    return ModeResult(mnp.reshape(values, out_shape), mnp.reshape(counts, out_shape))


def _rank_flat(a, method):
    n = mnp.shape(a)[0]
    sorter = mnp.argsort(a, stable=True)
    arr = mnp.take(a, sorter)
    inverse = mnp.argsort(sorter, stable=True)  # the inverse permutation
    if method == "ordinal":
        return mnp.astype(inverse + 1, np.float64)
    new_value = mnp.concatenate([mnp.array([True]), arr[1:] != arr[:-1]])
    dense = mnp.take(mnp.cumsum(new_value), inverse)
    if method == "dense":
        return mnp.astype(dense, np.float64)
    # starts[j]: the sorted position where the j-th distinct value begins (then n)
    (starts,) = mnp.nonzero(new_value, size=n + 1, fill_value=n)
    starts = mnp.astype(starts, np.float64)
    if method == "max":
        return mnp.take(starts, dense)
    if method == "min":
        return mnp.take(starts, dense - 1) + 1
    return 0.5 * (mnp.take(starts, dense) + mnp.take(starts, dense - 1) + 1)


@stats_function
def rankdata(a, method="average", *, axis=None, nan_policy="propagate"):
    """Ranks from 1, ties resolved by ``method``, as float64; all nan when ``a`` holds a
    nan (``nan_policy="propagate"``), as ``jax.scipy.stats.rankdata``.

    Args:
      a: the array.
      method: ``"average"``, ``"min"``, ``"max"``, ``"dense"`` or ``"ordinal"``.
      axis: rank along this axis; None ranks the flattened array.
      nan_policy: only ``"propagate"``.

    Returns:
      A float64 array (flat when ``axis`` is None).

    Examples:
      >>> from mini_ad.scipy.stats import rankdata
      >>> print(rankdata([3.0, 1.0, 3.0, 2.0], method="average", axis=None, nan_policy="propagate"))
      [3.5 1.  3.5 2. ]
    """
    _check_nan_policy("rankdata", nan_policy)
    if method not in ("average", "min", "max", "dense", "ordinal"):
        raise ValueError(f"unknown method '{method}'")
    if axis is not None:
        return mnp.apply_along_axis(rankdata, axis, a, method)
    a = mnp.ravel(mnp.asarray(a))
    ranks = _rank_flat(a, method)
    return mnp.where(mnp.any(mnp.isnan(a)), np.nan, ranks)


@stats_function
def sem(a, axis=0, ddof=1, nan_policy="propagate", *, keepdims=False):
    """The standard error of the mean, ``std(a, ddof) / √n`` along ``axis``; with
    ``nan_policy="omit"``, of the non-nan values.

    Args:
      a: the array.
      axis: the axis to reduce, or None for all.
      ddof: the delta degrees of freedom of the standard deviation.
      nan_policy: ``"propagate"`` or ``"omit"`` (anything else is a ValueError).
      keepdims: keep the reduced axis with length 1.

    Returns:
      An array of ``a``'s inexact dtype (integers become float64).

    Examples:
      >>> from mini_ad.scipy.stats import sem
      >>> print(sem([1.0, 2.0, 3.0, 4.0], axis=0, ddof=1, nan_policy="propagate", keepdims=False))
      0.6454972243679028
    """
    (b,) = promote_dtypes_inexact(a, int_to=np.float64)
    b = mnp.asarray(b)
    dtype = get_aval(b).dtype
    if nan_policy == "propagate":
        size = math.prod(mnp.shape(b)) if axis is None else mnp.shape(b)[axis]
        std = mnp.std(b, axis, ddof=ddof, keepdims=keepdims)
        return std / mnp.astype(mnp.sqrt(size), dtype)
    if nan_policy == "omit":
        count = mnp.sum(~mnp.isnan(b), axis, keepdims=keepdims)
        return mnp.nanstd(b, axis, ddof=ddof, keepdims=keepdims) / mnp.astype(
            mnp.sqrt(count), dtype
        )
    raise ValueError(f"{nan_policy} is not supported")
