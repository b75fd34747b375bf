"""Convolution and correlation of N-dimensional arrays on the ``conv_general_dilated``
primitive, shared by ``mini_ad.numpy`` (``convolve``, ``correlate``: 1-D, NumPy's modes)
and ``mini_ad.scipy.signal`` (any rank, SciPy's modes).

Everything is a window of the *full correlation* of ``in1`` with a kernel (``in2``
flipped for a convolution, conjugated for a correlation): entry ``j`` of the full
correlation along a dim is ``Σ_k in1[j + k - (m - 1)] · kernel[k]``, ``j = 0 .. n + m - 2``.
A mode picks a window ``[start, start + length)`` per dim, which is the primitive's
padding ``(m - 1 - start, start + length - n)`` (negative: cropped). So every mode is
one ``conv_general_dilated`` with one batch, one feature and the arrays as its spatial
dims: differentiable in both operands, batched and jitted by the primitive's rules.
"""

from __future__ import annotations

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conjugate
from mini_ad.numpy._core import promote_dtypes
from mini_ad.numpy._shape import flip
from mini_ad.primitives.base import reshape
from mini_ad.primitives.conv import conv_general_dilated_p
from mini_ad.primitives.conv_impl import canonical_numbers


def correlate_window(in1, kernel, windows):
    """Entries ``[start, start + length)`` per dim (``windows``) of the full correlation
    of ``in1`` with ``kernel`` (same rank and dtype)."""
    shape1, shape2 = aval_of(in1).shape, aval_of(kernel).shape
    padding = tuple(
        (m - 1 - start, start + length - n)
        for n, m, (start, length) in zip(shape1, shape2, windows, strict=True)
    )
    ndim = len(shape1)
    out = conv_general_dilated_p.bind(
        reshape(in1, (1, 1, *shape1)), reshape(kernel, (1, 1, *shape2)),
        window_strides=(1,) * ndim, padding=padding, lhs_dilation=(1,) * ndim,
        rhs_dilation=(1,) * ndim, dimension_numbers=canonical_numbers(ndim + 2),
        feature_group_count=1, batch_group_count=1, precision=None, preferred_element_type=None,
    )  # fmt: skip
    return reshape(out, aval_of(out).shape[2:])


def kernel_of(in2, kind: str):
    """The kernel whose correlation gives ``kind``: ``in2`` flipped (``"convolve"``) or
    conjugated (``"correlate"``)."""
    if kind == "convolve":
        return flip(in2)
    return conjugate(in2) if aval_of(in2).dtype.kind == "c" else in2


def scipy_windows(shape1, shape2, mode: str, name: str) -> list:
    """SciPy's modes: ``full``; ``same`` (``in1``'s size, centred); ``valid`` (the
    entries where one operand covers the other: it must be at least as large in every
    dim)."""
    if mode == "full":
        return [(0, n + m - 1) for n, m in zip(shape1, shape2, strict=True)]
    if mode == "same":
        return [((m - 1) // 2, n) for n, m in zip(shape1, shape2, strict=True)]
    if mode == "valid":
        pairs = list(zip(shape1, shape2, strict=True))
        if not (all(n >= m for n, m in pairs) or all(m >= n for n, m in pairs)):
            raise ValueError(
                f"{name}: in 'valid' mode one input must be at least as large as the other "
                f"in every dimension, got shapes {tuple(shape1)} and {tuple(shape2)}."
            )
        return [(min(n, m) - 1, abs(n - m) + 1) for n, m in pairs]
    raise ValueError(f"{name}: mode must be 'full', 'same' or 'valid', got {mode!r}.")


def _numpy_windows(n, m, mode, kind, name):
    if mode == "same":  # max(n, m) entries; NumPy swaps (and reverses) when v is longer
        if n >= m:
            return [((m - 1) // 2, n)]
        return [((n - 1) // 2 if kind == "convolve" else n - 1 - (n - 1) // 2, m)]
    return scipy_windows((n,), (m,), mode, name)


def _vectors(a, v, name):
    a, v = promote_dtypes(a, v)
    if aval_of(a).ndim != 1 or aval_of(v).ndim != 1:
        raise ValueError(f"{name}: inputs must be 1-D")
    if not aval_of(a).shape[0] or not aval_of(v).shape[0]:
        raise ValueError(f"{name}: inputs cannot be empty")
    return a, v


def convolve(a, v, mode="full", *, precision=None, preferred_element_type=None):
    """The discrete linear convolution ``out[k] = Σ_j a[j] v[k - j]`` of two 1-D arrays,
    as ``numpy.convolve`` (``mode``: ``"full"``, ``"same"`` or ``"valid"``).

    Args:
      a: a 1-D array.
      v: a 1-D array.
      mode: ``"full"`` (``n + m - 1`` entries), ``"same"`` (``max(n, m)``) or
        ``"valid"`` (``max(n, m) - min(n, m) + 1``).
      precision: accepted for JAX compatibility (ignored).
      preferred_element_type: accepted for JAX compatibility (ignored).

    Returns:
      A 1-D array.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> mnp.convolve(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
      array([0. , 1. , 2.5, 4. , 1.5])
    """
    a, v = _vectors(a, v, "convolve")
    n, m = aval_of(a).shape[0], aval_of(v).shape[0]
    return correlate_window(
        a, kernel_of(v, "convolve"), _numpy_windows(n, m, mode, "convolve", "convolve")
    )


def correlate(a, v, mode="valid", *, precision=None, preferred_element_type=None):
    """The cross-correlation ``c[k] = Σ_n a[n + k] conj(v[n])`` of two 1-D arrays, as
    ``numpy.correlate``.

    Args:
      a: a 1-D array.
      v: a 1-D array.
      mode: ``"valid"``, ``"same"`` or ``"full"`` (as ``convolve``'s).
      precision: accepted for JAX compatibility (ignored).
      preferred_element_type: accepted for JAX compatibility (ignored).

    Returns:
      A 1-D array.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> mnp.correlate(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))
      array([3.5])
    """
    a, v = _vectors(a, v, "correlate")
    n, m = aval_of(a).shape[0], aval_of(v).shape[0]
    return correlate_window(
        a, kernel_of(v, "correlate"), _numpy_windows(n, m, mode, "correlate", "correlate")
    )
