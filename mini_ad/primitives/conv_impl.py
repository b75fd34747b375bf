"""The NumPy side of ``conv_general_dilated``: dimension numbers, the shape rule and the
kernel, with no primitive in sight (the card is in ``conv.py``).

Everything here works in the *canonical* layout: ``lhs`` is ``(N, C, *spatial)``,
``rhs`` is ``(O, I, *spatial)`` and the output ``(N, O, *spatial)``. A
``ConvDimensionNumbers`` says where each of those axes sits in the real arrays:
``lhs_spec = (batch axis, feature axis, *spatial axes)`` and likewise for ``rhs_spec``
(out-feature axis, in-feature axis, ...) and ``out_spec``.

For one spatial dimension, with ``lhs`` dilated by ``a`` (``a - 1`` zeros between
entries), padded by ``(lo, hi)`` (negative: cropped) and called ``x̂``, and the kernel
dilated by ``d``, the output is ``y[n, o, t] = Σ_{c, k} x̂[n, c', s·t + d·k] w[o, c, k]``:
a correlation (no kernel flip). ``feature_group_count = G`` splits the lhs features
and the out features into ``G`` blocks that only meet their own block;
``batch_group_count = B`` splits the lhs batch and the out features into ``B`` blocks
likewise, and the output batch is ``N / B``.

The kernel gathers every window as a strided view (``sliding_window_view``), copies
the views into one ``(groups, rows, C·K)`` matrix (im2col) and multiplies by the kernel
with ``np.matmul``: one BLAS call per convolution, no Python loop over pixels.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.errors import ShapeError


class ConvDimensionNumbers(NamedTuple):
    """Where the batch/feature/spatial axes of ``lhs``, ``rhs`` and the output sit
    (JAX: ``jax.lax.ConvDimensionNumbers``).

    Each spec is ``(batch or out-feature axis, feature or in-feature axis, *spatial
    axes)``, spatial axes in the same order for all three.

    Args:
      lhs_spec: the lhs's ``(N, C, *spatial)`` axes.
      rhs_spec: the kernel's ``(O, I, *spatial)`` axes.
      out_spec: the output's ``(N, O, *spatial)`` axes.

    Examples:
      >>> from mini_ad import lax
      >>> lax.ConvDimensionNumbers((0, 3, 1, 2), (3, 2, 0, 1), (0, 3, 1, 2)).rhs_spec
      (3, 2, 0, 1)
    """

    lhs_spec: tuple
    rhs_spec: tuple
    out_spec: tuple


def canonical_numbers(ndim: int) -> ConvDimensionNumbers:
    """The dimension numbers of the canonical layout (``NC...``, ``OI...``, ``NC...``)."""
    axes = tuple(range(ndim))
    return ConvDimensionNumbers(axes, axes, axes)


def _spec_from_string(spec: str, chars: tuple, spatial: str, what: str) -> tuple:
    if sorted(spec) != sorted(chars + tuple(spatial)) or len(set(spec)) != len(spec):
        raise TypeError(
            f"conv_dimension_numbers: {what} spec {spec!r} must hold {chars[0]!r}, "
            f"{chars[1]!r} and the kernel's spatial letters {spatial!r}, each once."
        )
    return (spec.index(chars[0]), spec.index(chars[1]), *(spec.index(c) for c in spatial))


def conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers) -> ConvDimensionNumbers:
    """The ``ConvDimensionNumbers`` of ``dimension_numbers`` (None, a
    ``ConvDimensionNumbers`` or three layout strings like ``('NHWC', 'HWIO', 'NHWC')``)
    for operands of these shapes (JAX: ``lax.conv_dimension_numbers``).

    The spatial axes are matched by letter, in the order they appear in the kernel's
    string.

    Args:
      lhs_shape: the input's shape.
      rhs_shape: the kernel's shape (same rank).
      dimension_numbers: None (canonical ``NC...``/``OI...``/``NC...``), a
        ``ConvDimensionNumbers``, or a tuple of three strings.

    Returns:
      A ``ConvDimensionNumbers`` of axis tuples.

    Raises:
      TypeError: ranks differ, or the strings do not describe the arrays.

    Examples:
      >>> from mini_ad import lax
      >>> lax.conv_dimension_numbers((8, 28, 28, 1), (3, 3, 1, 4), ("NHWC", "HWIO", "NHWC"))
      ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))
    """
    ndim = len(lhs_shape)
    if len(rhs_shape) != ndim:
        raise TypeError(
            f"convolution needs operands of one rank, got lhs shape {tuple(lhs_shape)} and "
            f"rhs shape {tuple(rhs_shape)}."
        )
    if ndim < 2:
        raise TypeError(f"convolution needs operands of rank at least 2, got {ndim}.")
    if dimension_numbers is None:
        return canonical_numbers(ndim)
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        specs = dimension_numbers
    elif len(dimension_numbers) == 3 and all(isinstance(s, str) for s in dimension_numbers):
        lhs, rhs, out = dimension_numbers
        spatial = "".join(c for c in rhs if c not in "OI")
        specs = ConvDimensionNumbers(
            _spec_from_string(lhs, ("N", "C"), spatial, "lhs"),
            _spec_from_string(rhs, ("O", "I"), spatial, "rhs"),
            _spec_from_string(out, ("N", "C"), spatial, "out"),
        )
    elif len(dimension_numbers) == 3:
        specs = ConvDimensionNumbers(*dimension_numbers)
    else:
        raise TypeError(
            "dimension_numbers must be None, a ConvDimensionNumbers or three layout "
            f"strings, got {dimension_numbers!r}."
        )
    specs = ConvDimensionNumbers(*(tuple(int(a) for a in s) for s in specs))
    for spec in specs:
        if sorted(spec) != list(range(ndim)):
            raise TypeError(
                f"conv dimension numbers {specs} must each be a permutation of the {ndim} axes."
            )
    return specs


def padtype_to_pads(in_shape, window_shape, window_strides, padding) -> list:
    """The explicit ``(lo, hi)`` padding per spatial dim of ``'SAME'``, ``'SAME_LOWER'`` or
    ``'VALID'`` (JAX: ``lax.padtype_to_pads``).

    ``SAME`` pads so that the output has ``ceil(in / stride)`` entries, the odd entry of
    padding going after (``SAME_LOWER``: before); ``VALID`` pads nothing.

    Args:
      in_shape: the spatial sizes of the input.
      window_shape: the (dilated) window sizes.
      window_strides: the strides.
      padding: ``'SAME'``, ``'SAME_LOWER'`` or ``'VALID'`` (any case).

    Returns:
      A list of ``(lo, hi)`` pairs.

    Raises:
      RuntimeError: an unknown padding name (as JAX).

    Examples:
      >>> from mini_ad import lax
      >>> lax.padtype_to_pads((5, 6), (3, 2), (2, 1), "SAME")
      [(1, 1), (0, 1)]
    """
    name = padding.upper() if isinstance(padding, str) else padding
    if name == "VALID":
        return [(0, 0)] * len(in_shape)
    if name not in ("SAME", "SAME_LOWER"):
        raise RuntimeError(
            f"Unknown padding {padding!r}: use 'VALID', 'SAME' or 'SAME_LOWER', or explicit "
            "(lo, hi) pairs."
        )
    pads = []
    for size, window, stride in zip(in_shape, window_shape, window_strides, strict=True):
        out = -(-int(size) // int(stride))
        total = max(0, (out - 1) * int(stride) + int(window) - int(size))
        small, big = total // 2, total - total // 2
        pads.append((small, big) if name == "SAME" else (big, small))
    return pads


def dilated_size(size: int, dilation: int) -> int:
    """The size of ``size`` entries with ``dilation - 1`` zeros between neighbours."""
    return 0 if size == 0 else (size - 1) * dilation + 1


def output_spatial(lhs_sizes, rhs_sizes, strides, padding, lhs_dilation, rhs_dilation) -> tuple:
    """The output's spatial sizes (canonical order): windows that fit, every stride."""
    out = []
    for n, k, s, (lo, hi), a, d in zip(lhs_sizes, rhs_sizes, strides, padding, lhs_dilation,
                                       rhs_dilation, strict=True):  # fmt: skip
        padded = dilated_size(n, a) + lo + hi
        window = dilated_size(k, d)
        out.append(max(0, (padded - window) // s + 1) if window <= padded else 0)
    return tuple(out)


def conv_abstract_eval(lhs: ShapedArray, rhs: ShapedArray, *, window_strides, padding,
                       lhs_dilation, rhs_dilation, dimension_numbers, feature_group_count,
                       batch_group_count, precision, preferred_element_type) -> ShapedArray:  # fmt: skip
    """The output type, after checking that the operands and params fit together."""
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    ndim = lhs.ndim
    nsp = ndim - 2
    if rhs.ndim != ndim or not all(len(s) == ndim for s in dimension_numbers):
        raise ShapeError(
            f"conv_general_dilated: lhs {lhs.str_short()} and rhs {rhs.str_short()} must have "
            f"the rank of the dimension numbers {dimension_numbers}."
        )
    if not all(len(p) == nsp for p in (window_strides, padding, lhs_dilation, rhs_dilation)):
        raise ValueError(
            f"conv_general_dilated: window_strides, padding, lhs_dilation and rhs_dilation "
            f"need one entry per spatial dimension ({nsp})."
        )
    if min((*window_strides, *lhs_dilation, *rhs_dilation), default=1) < 1:
        raise ValueError("conv_general_dilated: strides and dilations must be positive.")
    if lhs.dtype != rhs.dtype:
        raise TypeError(
            f"conv_general_dilated needs operands of one dtype, got {lhs.dtype.name} and "
            f"{rhs.dtype.name} (mini_ad.lax does not promote)."
        )
    if lhs.dtype == np.bool_:
        raise TypeError("conv_general_dilated does not take bool operands.")
    n, c = lhs.shape[lhs_spec[0]], lhs.shape[lhs_spec[1]]
    o, i = rhs.shape[rhs_spec[0]], rhs.shape[rhs_spec[1]]
    g, b = feature_group_count, batch_group_count
    if g < 1 or b < 1 or (g > 1 and b > 1):
        raise ValueError(
            "conv_general_dilated: feature_group_count and batch_group_count must be "
            f"positive and at most one of them above 1, got {g} and {b}."
        )
    if c % g or c // g != i or o % g:
        raise ShapeError(
            f"conv_general_dilated: the lhs features ({c}) divided by feature_group_count "
            f"({g}) must equal the rhs input features ({i}), and the rhs output features "
            f"({o}) must be a multiple of feature_group_count."
        )
    if n % b or o % b:
        raise ShapeError(
            f"conv_general_dilated: the lhs batch ({n}) and the rhs output features ({o}) "
            f"must be multiples of batch_group_count ({b})."
        )
    lhs_sizes = [lhs.shape[a] for a in lhs_spec[2:]]
    rhs_sizes = [rhs.shape[a] for a in rhs_spec[2:]]
    for size, (lo, hi), a in zip(lhs_sizes, padding, lhs_dilation, strict=True):
        if dilated_size(size, a) + lo + hi < 0:
            raise ValueError(f"conv_general_dilated: padding {padding} crops more than lhs.")
    spatial = output_spatial(lhs_sizes, rhs_sizes, window_strides, padding, lhs_dilation,
                             rhs_dilation)  # fmt: skip
    canonical = (n // b, o, *spatial)
    shape = [0] * ndim
    for axis, size in zip(out_spec, canonical, strict=True):
        shape[axis] = size
    dtype = lhs.dtype if preferred_element_type is None else np.dtype(preferred_element_type)
    return ShapedArray(tuple(shape), dtype)


def _dilate_and_pad(x: np.ndarray, lhs_dilation, padding) -> np.ndarray:
    """``x`` (canonical) with its spatial dims dilated and padded (cropped if negative)."""
    if all(a == 1 for a in lhs_dilation) and all(lo == hi == 0 for lo, hi in padding):
        return x
    shape, src, dst = list(x.shape[:2]), [slice(None)] * 2, [slice(None)] * 2
    for size, a, (lo, hi) in zip(x.shape[2:], lhs_dilation, padding, strict=True):
        padded = dilated_size(size, a) + lo + hi
        first = max(0, -(lo // a))  # the first entry that lands at index >= 0
        last = min(size - 1, (padded - 1 - lo) // a)  # the last that lands inside
        shape.append(padded)
        if last < first:
            return np.zeros(shape + list(x.shape[len(shape) :]), x.dtype)
        src.append(slice(first, last + 1))
        dst.append(slice(lo + a * first, lo + a * last + 1, a))
    out = np.zeros(shape, x.dtype)
    out[tuple(dst)] = x[tuple(src)]
    return out


def conv_canonical(lhs, rhs, strides, padding, lhs_dilation, rhs_dilation, groups_f, groups_b,
                   dtype) -> np.ndarray:  # fmt: skip
    """The convolution of canonical ``lhs`` ``(N, C, ...)`` and ``rhs`` ``(O, I, ...)``."""
    lhs, rhs = np.asarray(lhs, dtype), np.asarray(rhs, dtype)
    nsp = lhs.ndim - 2
    n, o = lhs.shape[0], rhs.shape[0]
    kernel = rhs.shape[2:]
    padded = _dilate_and_pad(lhs, lhs_dilation, padding)
    spatial = output_spatial(lhs.shape[2:], kernel, strides, padding, lhs_dilation, rhs_dilation)
    groups = groups_b if groups_b > 1 else groups_f
    out_n = n // groups_b
    if 0 in spatial or 0 in lhs.shape[:2] or 0 in rhs.shape[:2] or 0 in kernel:
        return np.zeros((out_n, o, *spatial), dtype)
    window = [dilated_size(k, d) for k, d in zip(kernel, rhs_dilation, strict=True)]
    views = np.lib.stride_tricks.sliding_window_view(padded, window, axis=tuple(range(2, nsp + 2)))
    pick = [slice(None)] * 2
    pick += [slice(0, (t - 1) * s + 1, s) for t, s in zip(spatial, strides, strict=True)]
    pick += [slice(None, None, d) for d in rhs_dilation]
    patches = views[tuple(pick)]  # (N, C, *spatial, *kernel), still a view
    # Split the grouped axis (lhs batch for batch groups, features otherwise) into
    # (groups, per group); rows are (batch, *spatial), the contraction (features, *kernel).
    if groups_b > 1:
        patches, group_axis = patches.reshape(groups, out_n, *patches.shape[1:]), 0
    else:
        patches, group_axis = patches.reshape(n, groups, -1, *patches.shape[2:]), 1
    rows = (1 - group_axis, *range(3, 3 + nsp))
    contract = (2, *range(3 + nsp, 3 + 2 * nsp))
    cols = np.transpose(patches, (group_axis, *rows, *contract))
    cols = cols.reshape(groups, out_n * int(np.prod(spatial)), -1)
    weights = rhs.reshape(groups, o // groups, -1).transpose(0, 2, 1)
    out = np.matmul(cols, weights)  # (groups, rows, O / groups)
    out = out.reshape(groups, out_n, *spatial, o // groups)
    out = np.moveaxis(out, (0, 1, nsp + 2), (1, 0, 2))  # (N, groups, O / groups, *spatial)
    return np.ascontiguousarray(out.reshape(out_n, o, *spatial))


def conv_impl(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
              dimension_numbers, feature_group_count, batch_group_count, precision,
              preferred_element_type) -> np.ndarray:  # fmt: skip
    """The card's impl: lay both operands out canonically, convolve, lay the result out."""
    lhs, rhs = np.asarray(lhs), np.asarray(rhs)
    lhs_spec, rhs_spec, out_spec = dimension_numbers
    dtype = lhs.dtype if preferred_element_type is None else np.dtype(preferred_element_type)
    out = conv_canonical(
        np.transpose(lhs, lhs_spec), np.transpose(rhs, rhs_spec), window_strides, padding,
        lhs_dilation, rhs_dilation, feature_group_count, batch_group_count, dtype,
    )  # fmt: skip
    if tuple(out_spec) != tuple(range(out.ndim)):
        out = np.ascontiguousarray(np.transpose(out, np.argsort(out_spec)))
    return out
