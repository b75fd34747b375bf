"""Convolutions in ``mini_ad.lax``: ``conv_general_dilated`` (the primitive) and JAX's
convenience functions and shape helpers around it.

>>> import numpy as np
>>> from mini_ad import lax
>>> x = np.arange(5.0).reshape(1, 1, 5)
>>> print(lax.conv(x, np.ones((1, 1, 2)), (1,), "VALID"))
[[[1. 3. 5. 7.]]]
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.lax._conv_shapes import (
    _transpose_padding,
    conv_general_shape_tuple,
    conv_shape_tuple,
    conv_transpose_shape_tuple,
)
from mini_ad.primitives.conv import conv_general_dilated_p
from mini_ad.primitives.conv_impl import (
    ConvDimensionNumbers,
    conv_abstract_eval,
    conv_dimension_numbers,
    dilated_size,
    padtype_to_pads,
)
from mini_ad.primitives.structural import rev
from mini_ad.primitives.structural import transpose as transpose_axes


def _array(x):
    return np.asarray(x) if isinstance(x, (list, tuple, int, float)) else x


def _ints(values, n, default=1) -> tuple:
    return (default,) * n if values is None else tuple(int(v) for v in values)


def _explicit_padding(padding, n) -> tuple:
    pads = tuple((int(lo), int(hi)) for lo, hi in padding)
    if len(pads) != n:
        raise ValueError(
            f"padding needs one (lo, hi) pair per spatial dimension ({n}), got {padding}."
        )
    return pads


def conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation=None,
                         rhs_dilation=None, dimension_numbers=None, feature_group_count=1,
                         batch_group_count=1, precision=None, preferred_element_type=None,
                         out_sharding=None):  # fmt: skip
    """The general N-dimensional convolution (a correlation: the kernel is not flipped),
    as ``jax.lax.conv_general_dilated``.

    ``out[n, o, t] = Σ_{c, k} x̂[n, c, s·t + d·k] · rhs[o, c, k]`` per spatial dim, where
    ``x̂`` is ``lhs`` dilated by ``lhs_dilation`` and padded by ``padding``. Differentiable
    in both operands to any order (its transposes are convolutions too), batched by
    ``vmap`` into the batch or the feature groups.

    Args:
      lhs: the input, ``(N, C, *spatial)`` in the layout ``dimension_numbers`` names.
      rhs: the kernel, ``(O, I, *spatial)`` likewise, of ``lhs``'s dtype.
      window_strides: the stride per spatial dimension.
      padding: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or one ``(lo, hi)`` pair per
        spatial dim (negative crops).
      lhs_dilation: the input dilation per spatial dim (a transposed convolution).
      rhs_dilation: the kernel dilation per spatial dim (atrous convolution).
      dimension_numbers: None, a ``ConvDimensionNumbers`` or layout strings such as
        ``('NHWC', 'HWIO', 'NHWC')``.
      feature_group_count: split the features into this many groups (depthwise: ``C``).
      batch_group_count: split the batch into this many groups (the kernel's gradient).
      precision: accepted for JAX compatibility (NumPy computes at full precision).
      preferred_element_type: the dtype to accumulate and return (None: the operands').
      out_sharding: only None (mini_ad arrays live on one device).

    Returns:
      The output, laid out as ``dimension_numbers``'s ``out_spec`` says.

    Raises:
      TypeError: shapes or dtypes that do not fit together.
      ValueError: string padding with ``lhs_dilation`` (use ``conv_transpose``).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.arange(16.0).reshape(1, 4, 4, 1)  # NHWC
      >>> w = np.ones((2, 2, 1, 1))  # HWIO
      >>> out = lax.conv_general_dilated(x, w, (2, 2), "VALID",
      ...     dimension_numbers=("NHWC", "HWIO", "NHWC"))
      >>> print(out[0, :, :, 0])
      [[10. 18.]
       [42. 50.]]
    """
    if out_sharding is not None:
        raise NotImplementedError("conv_general_dilated: out_sharding is not supported.")
    lhs, rhs = _array(lhs), _array(rhs)
    lhs_aval, rhs_aval = aval_of(lhs), aval_of(rhs)
    dn = conv_dimension_numbers(lhs_aval.shape, rhs_aval.shape, dimension_numbers)
    n = lhs_aval.ndim - 2
    lhs_dilation, rhs_dilation = _ints(lhs_dilation, n), _ints(rhs_dilation, n)
    if isinstance(padding, str):
        if any(a != 1 for a in lhs_dilation):
            raise ValueError(
                "conv_general_dilated: string padding with lhs_dilation is not supported; give "
                "explicit (lo, hi) pairs or use conv_transpose."
            )
        window = [
            dilated_size(rhs_aval.shape[a], d)
            for a, d in zip(dn.rhs_spec[2:], rhs_dilation, strict=True)
        ]
        padding = padtype_to_pads(
            [lhs_aval.shape[a] for a in dn.lhs_spec[2:]], window, window_strides, padding
        )
    params = dict(
        window_strides=_ints(window_strides, n), padding=_explicit_padding(padding, n),
        lhs_dilation=lhs_dilation, rhs_dilation=rhs_dilation, dimension_numbers=dn,
        feature_group_count=int(feature_group_count), batch_group_count=int(batch_group_count),
        precision=None,
        preferred_element_type=None if preferred_element_type is None else np.dtype(preferred_element_type),
    )  # fmt: skip
    conv_abstract_eval(lhs_aval, rhs_aval, **params)  # check now, also outside tracing
    return conv_general_dilated_p.bind(lhs, rhs, **params)


def conv(lhs, rhs, window_strides, padding, precision=None, preferred_element_type=None):
    """``conv_general_dilated`` in the ``NCHW``/``OIHW`` layout without dilation
    (JAX: ``lax.conv``).

    Args:
      lhs: the input ``(N, C, *spatial)``.
      rhs: the kernel ``(O, C, *spatial)``.
      window_strides: the stride per spatial dim.
      padding: ``'SAME'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      precision: accepted for JAX compatibility.
      preferred_element_type: the output dtype (None: the operands').

    Returns:
      The output ``(N, O, *spatial)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.conv(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2)), (1, 1), "VALID"))
      [[[[4. 4.]
         [4. 4.]]]]
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)  # fmt: skip


def conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                              precision=None, preferred_element_type=None):  # fmt: skip
    """``conv_general_dilated`` in the ``NCHW``/``OIHW`` layout with dilations
    (JAX: ``lax.conv_with_general_padding``).

    Args:
      lhs: the input ``(N, C, *spatial)``.
      rhs: the kernel ``(O, C, *spatial)``.
      window_strides: the stride per spatial dim.
      padding: ``'SAME'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      lhs_dilation: the input dilation per spatial dim (or None).
      rhs_dilation: the kernel dilation per spatial dim (or None).
      precision: accepted for JAX compatibility.
      preferred_element_type: the output dtype (None: the operands').

    Returns:
      The output ``(N, O, *spatial)``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.arange(5.0).reshape(1, 1, 5)
      >>> print(lax.conv_with_general_padding(x, np.ones((1, 1, 2)), (1,), [(0, 0)], None, (2,)))
      [[[2. 4. 6.]]]
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                                precision=precision,
                                preferred_element_type=preferred_element_type)  # fmt: skip


_TRANSPOSE_LAYOUTS = {
    2: ("NC", "IO", "NC"), 3: ("NHC", "HIO", "NHC"), 4: ("NHWC", "HWIO", "NHWC"),
    5: ("NHWDC", "HWDIO", "NHWDC"),
}  # fmt: skip


def conv_transpose(lhs, rhs, strides, padding, rhs_dilation=None, dimension_numbers=None,
                   transpose_kernel=False, precision=None, preferred_element_type=None,
                   use_consistent_padding=False):  # fmt: skip
    """The transposed ("fractionally strided") convolution, as ``jax.lax.conv_transpose``:
    ``lhs`` dilated by ``strides`` and convolved with stride 1.

    ``'SAME'``/``'VALID'`` name the padding of the forward convolution this one undoes;
    explicit pairs are this convolution's own padding unless ``use_consistent_padding``
    (then they too are the forward one's, as in PyTorch).

    Args:
      lhs: the input (default layout ``NHWC`` and its 1-D/3-D analogues).
      rhs: the kernel (default layout ``HWIO``).
      strides: the forward convolution's strides (here: the lhs dilation).
      padding: ``'SAME'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      rhs_dilation: the kernel dilation per spatial dim (or None).
      dimension_numbers: as ``conv_general_dilated``'s (None: the layouts above).
      transpose_kernel: flip the kernel spatially and swap its in/out features, which
        makes this the gradient of ``conv_general_dilated`` with that kernel.
      precision: accepted for JAX compatibility.
      preferred_element_type: the output dtype (None: the operands').
      use_consistent_padding: read explicit padding as the forward convolution's.

    Returns:
      The output, in ``dimension_numbers``'s output layout.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.array([1.0, 2.0]).reshape(1, 2, 1)
      >>> print(lax.conv_transpose(x, np.ones((2, 1, 1)), (2,), "VALID")[0, :, 0])
      [1. 1. 2. 2.]
    """
    lhs, rhs = _array(lhs), _array(rhs)
    ndim = aval_of(lhs).ndim
    if dimension_numbers is None:
        if ndim not in _TRANSPOSE_LAYOUTS:
            raise ValueError(f"conv_transpose has no default layout for rank {ndim}.")
        dimension_numbers = _TRANSPOSE_LAYOUTS[ndim]
    dn = conv_dimension_numbers(aval_of(lhs).shape, aval_of(rhs).shape, dimension_numbers)
    n = ndim - 2
    rhs_dilation = _ints(rhs_dilation, n)
    kernel = [
        dilated_size(aval_of(rhs).shape[a], d)
        for a, d in zip(dn.rhs_spec[2:], rhs_dilation, strict=True)
    ]
    if isinstance(padding, str) or use_consistent_padding:
        if isinstance(padding, str) and padding not in ("SAME", "VALID"):
            raise ValueError(
                f"conv_transpose: padding must be 'SAME', 'VALID' or pairs, got {padding!r}."
            )
        forward = [padding] * n if isinstance(padding, str) else [tuple(p) for p in padding]
        padding = [
            _transpose_padding(k, s, p) for k, s, p in zip(kernel, strides, forward, strict=True)
        ]
    if transpose_kernel:
        rhs = rev(rhs, dn.rhs_spec[2:])
        perm = list(range(ndim))
        perm[dn.rhs_spec[0]], perm[dn.rhs_spec[1]] = dn.rhs_spec[1], dn.rhs_spec[0]
        rhs = transpose_axes(rhs, tuple(perm))
    return conv_general_dilated(lhs, rhs, (1,) * n, padding, strides, rhs_dilation, dn,
                                precision=precision,
                                preferred_element_type=preferred_element_type)  # fmt: skip


def conv_general_dilated_patches(lhs, filter_shape, window_strides, padding, lhs_dilation=None,
                                 rhs_dilation=None, dimension_numbers=None, precision=None,
                                 preferred_element_type=None):  # fmt: skip
    """Every window a convolution would see, as features: output feature
    ``c · prod(filter_shape) + k`` is input feature ``c`` at window offset ``k`` (row-major
    over ``filter_shape``), as ``jax.lax.conv_general_dilated_patches``.

    A convolution of ``lhs`` with a one-hot kernel, one group per input feature, so it is
    linear and differentiable like ``conv_general_dilated``.

    Args:
      lhs: the input, ``(N, C, *spatial)`` in ``dimension_numbers``'s layout.
      filter_shape: the window's spatial shape.
      window_strides: the stride per spatial dim.
      padding: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or ``(lo, hi)`` pairs.
      lhs_dilation: the input dilation per spatial dim (or None).
      rhs_dilation: the window dilation per spatial dim (or None).
      dimension_numbers: as ``conv_general_dilated``'s.
      precision: accepted for JAX compatibility.
      preferred_element_type: the output dtype (None: ``lhs``'s).

    Returns:
      ``(N, C · prod(filter_shape), *out_spatial)`` in the output layout.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x = np.arange(4.0).reshape(1, 1, 4)
      >>> print(lax.conv_general_dilated_patches(x, (2,), (1,), "VALID")[0])
      [[0. 1. 2.]
       [1. 2. 3.]]
    """
    lhs = _array(lhs)
    filter_shape = tuple(int(k) for k in filter_shape)
    shape = aval_of(lhs).shape
    dn = conv_dimension_numbers(shape, (1, 1, *filter_shape), dimension_numbers)
    channels, taps = shape[dn.lhs_spec[1]], int(np.prod(filter_shape, dtype=np.int64))
    one_hot = np.eye(taps, dtype=aval_of(lhs).dtype).reshape(taps, 1, *filter_shape)
    kernel = np.tile(one_hot, (channels,) + (1,) * (len(filter_shape) + 1))  # (C·K, 1, ...)
    kernel = np.transpose(kernel, np.argsort(dn.rhs_spec))
    return conv_general_dilated(lhs, kernel, window_strides, padding, lhs_dilation,
                                rhs_dilation, dn, feature_group_count=channels,
                                precision=precision,
                                preferred_element_type=preferred_element_type)  # fmt: skip


__all__ = [
    "ConvDimensionNumbers", "conv", "conv_dimension_numbers", "conv_general_dilated",
    "conv_general_dilated_patches", "conv_general_shape_tuple", "conv_shape_tuple",
    "conv_transpose", "conv_transpose_shape_tuple", "conv_with_general_padding",
    "padtype_to_pads",
]  # fmt: skip
