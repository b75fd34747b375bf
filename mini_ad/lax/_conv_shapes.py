"""The convolution shape helpers of ``mini_ad.lax`` (``conv_shape_tuple``,
``conv_general_shape_tuple``, ``conv_transpose_shape_tuple``), and the padding of a
transposed convolution.

>>> from mini_ad import lax
>>> lax.conv_shape_tuple((8, 1, 28, 28), (16, 1, 3, 3), (2, 2), "SAME")
(8, 16, 14, 14)
"""

from __future__ import annotations

from mini_ad.primitives.conv_impl import conv_dimension_numbers, padtype_to_pads


def _to_layout(canonical, spec) -> tuple:
    shape = [0] * len(spec)
    for axis, size in zip(spec, canonical, strict=True):
        shape[axis] = int(size)
    return tuple(shape)


def _transpose_padding(k, s, padding):
    """The padding of the fractionally strided conv that undoes a forward conv with
    kernel ``k`` (dilated), stride ``s`` and this padding (a name or a (lo, hi) pair)."""
    if padding == "SAME":
        total = k + s - 2
        return (k - 1, total - k + 1) if s > k - 1 else (-(-total // 2), total // 2)
    if padding == "VALID":
        total = k + s - 2 + max(k - s, 0)
        return k - 1, total - k + 1
    lo, hi = padding
    return k - 1 - lo, k - 1 - hi


def conv_shape_tuple(lhs_shape, rhs_shape, strides, pads, batch_group_count=1) -> tuple:
    """The output shape of a convolution in the canonical ``NC...``/``OI...`` layout
    (JAX: ``lax.conv_shape_tuple``).

    Args:
      lhs_shape: the input's shape ``(N, C, *spatial)``.
      rhs_shape: the kernel's shape ``(O, I, *spatial)``.
      strides: the stride per spatial dim.
      pads: ``'SAME'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      batch_group_count: the batch groups (the output batch is ``N / batch_group_count``).

    Returns:
      ``(N / batch_group_count, O, *spatial)`` as a tuple of ints.

    Examples:
      >>> from mini_ad import lax
      >>> lax.conv_shape_tuple((8, 1, 28, 28), (16, 1, 5, 5), (1, 1), "VALID")
      (8, 16, 24, 24)
    """
    if isinstance(pads, str):
        pads = padtype_to_pads(lhs_shape[2:], rhs_shape[2:], strides, pads)
    spatial = []
    for n, k, s, (lo, hi) in zip(lhs_shape[2:], rhs_shape[2:], strides, pads, strict=True):
        spatial.append(max(0, (int(n) + int(lo) + int(hi) - int(k)) // int(s) + 1))
    return (int(lhs_shape[0]) // int(batch_group_count), int(rhs_shape[0]), *spatial)


def conv_general_shape_tuple(lhs_shape, rhs_shape, window_strides, padding,
                             dimension_numbers) -> tuple:  # fmt: skip
    """The output shape of ``conv_general_dilated`` (without dilation) in its layout
    (JAX: ``lax.conv_general_shape_tuple``).

    Args:
      lhs_shape: the input's shape.
      rhs_shape: the kernel's shape.
      window_strides: the stride per spatial dim.
      padding: ``'SAME'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      dimension_numbers: layout strings (also None or a ``ConvDimensionNumbers``).

    Returns:
      The output shape, a tuple of ints.

    Examples:
      >>> from mini_ad import lax
      >>> lax.conv_general_shape_tuple((8, 28, 28, 1), (3, 3, 1, 16), (2, 2), "SAME",
      ...                              ("NHWC", "HWIO", "NHWC"))
      (8, 14, 14, 16)
    """
    dn = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    lhs = [lhs_shape[a] for a in dn.lhs_spec]
    rhs = [rhs_shape[a] for a in dn.rhs_spec]
    return _to_layout(conv_shape_tuple(lhs, rhs, window_strides, padding), dn.out_spec)


def conv_transpose_shape_tuple(lhs_shape, rhs_shape, window_strides, padding,
                               dimension_numbers) -> tuple:  # fmt: skip
    """The output shape of ``conv_transpose`` (without kernel dilation) in its layout
    (JAX: ``lax.conv_transpose_shape_tuple``).

    Args:
      lhs_shape: the input's shape.
      rhs_shape: the kernel's shape.
      window_strides: the forward convolution's strides.
      padding: ``'SAME'``, ``'VALID'`` or this convolution's ``(lo, hi)`` pairs.
      dimension_numbers: layout strings (also None or a ``ConvDimensionNumbers``).

    Returns:
      The output shape, a tuple of ints.

    Examples:
      >>> from mini_ad import lax
      >>> lax.conv_transpose_shape_tuple((8, 7, 7, 16), (3, 3, 16, 1), (2, 2), "SAME",
      ...                                ("NHWC", "HWIO", "NHWC"))
      (8, 14, 14, 1)
    """
    dn = conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers)
    lhs = [int(lhs_shape[a]) for a in dn.lhs_spec]
    rhs = [int(rhs_shape[a]) for a in dn.rhs_spec]
    if isinstance(padding, str):
        padding = [
            _transpose_padding(k, s, padding) for k, s in zip(rhs[2:], window_strides, strict=True)
        ]
    spatial = [
        (n - 1) * int(s) + 1 + int(lo) + int(hi) - k + 1
        for n, k, s, (lo, hi) in zip(lhs[2:], rhs[2:], window_strides, padding, strict=True)
    ]
    return _to_layout((lhs[0], rhs[0], *spatial), dn.out_spec)
