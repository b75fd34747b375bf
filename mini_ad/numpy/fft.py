"""``mini_ad.numpy.fft``: NumPy's discrete Fourier transforms over the ``fft`` primitive.

``fft ifft rfft irfft fft2 ifft2 rfft2 irfft2 fftn ifftn rfftn irfftn hfft ihfft`` take
NumPy's ``n``/``s`` (crop or zero-pad each transformed axis), ``axis``/``axes`` and
``norm`` (``"backward"``, ``"ortho"``, ``"forward"``); ``fftshift ifftshift fftfreq
rfftfreq`` complete the module. Every transform is linear and differentiable (forward,
reverse, any order), batches under ``vmap`` and compiles under ``jit``. As in JAX, a
float32 input gives complex64.

>>> import numpy as np
>>> fft(np.array([1.0, 0.0, 0.0, 0.0]))
array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conj
from mini_ad.numpy._core import _operand, astype, promote_dtypes_inexact
from mini_ad.numpy._extra import roll
from mini_ad.numpy._math import multiply
from mini_ad.numpy._shape import transpose
from mini_ad.primitives import fft as fft_prim
from mini_ad.primitives import structural as st
from mini_ad.primitives.complex_parts import complex_dtype, real_dtype

__all__ = [
    "fft", "fft2", "fftfreq", "fftn", "fftshift", "hfft", "ifft", "ifft2", "ifftn",
    "ifftshift", "ihfft", "irfft", "irfft2", "irfftn", "rfft", "rfft2", "rfftfreq", "rfftn",
]  # fmt: skip

_NORMS = (None, "backward", "ortho", "forward")


def _inexact(a, kind):
    # NumPy's dtypes (ints, bools -> float64; float16 -> float32); rfft refuses complex (JAX)
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    dtype = aval_of(a).dtype
    if kind == "f" and dtype.kind == "c":
        raise ValueError(f"only real valued inputs supported for rfft, got {dtype}")
    dtype = np.dtype(np.float32) if dtype == np.float16 else dtype
    wanted = complex_dtype(dtype) if kind == "c" else real_dtype(dtype)
    return a if aval_of(a).dtype == wanted else astype(a, wanted)


def _resize(a, axis, size):
    """``a`` cropped or zero-padded to ``size`` along ``axis`` (NumPy's ``n``)."""
    shape = aval_of(a).shape
    if shape[axis] == size:
        return a
    if shape[axis] > size:
        limits = tuple(size if i == axis else n for i, n in enumerate(shape))
        return st.slice(a, (0,) * len(shape), limits)
    config = [(0, size - shape[axis], 0) if i == axis else (0, 0, 0) for i in range(len(shape))]
    return st.pad(a, np.zeros((), aval_of(a).dtype), config)


def _scale(out, n_points, norm, inverse):
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')
    norm = norm or "backward"
    if norm == "backward":
        return out
    if norm == "ortho":
        factor = np.sqrt(n_points) if inverse else 1 / np.sqrt(n_points)
    else:  # "forward": the forward transform divides, the inverse does not
        factor = n_points if inverse else 1 / n_points
    return multiply(out, np.array(factor, real_dtype(aval_of(out).dtype)))


def _transform(a, fft_type, s, axes, norm):
    kind = "f" if fft_type == "RFFT" else "c"
    a = _inexact(a, kind)
    ndim = aval_of(a).ndim
    if axes is None:
        axes = tuple(range(ndim)) if s is None else tuple(range(ndim - len(s), ndim))
    axes = tuple(int(ax) % ndim for ax in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"repeated axes {axes} in an FFT.")
    shape = aval_of(a).shape
    if s is None:
        s = [shape[ax] for ax in axes]
        if fft_type == "IRFFT":
            s[-1] = 2 * (shape[axes[-1]] - 1)
    s = tuple(int(n) for n in s)
    if len(s) != len(axes):
        raise ValueError("Shape and axes have different lengths.")
    for ax, n in zip(axes, s, strict=True):
        a = _resize(a, ax, n // 2 + 1 if (fft_type == "IRFFT" and ax == axes[-1]) else n)
    # the transformed axes last, in order; up to 3 at a time (JAX's limit per primitive)
    perm = [i for i in range(ndim) if i not in axes] + list(axes)
    a = transpose(a, perm)
    out = fft_prim.fft(a, fft_type, s) if len(s) <= 3 else _in_chunks(a, fft_type, s)
    inverse_perm = tuple(int(i) for i in np.argsort(perm))
    out = transpose(out, inverse_perm)
    return _scale(out, int(np.prod(s, dtype=np.int64)), norm, fft_type in ("IFFT", "IRFFT"))


def _in_chunks(a, fft_type, s):
    """More than three axes: the complex transforms of the leading ones first, 3 by 3."""
    if fft_type == "RFFT":
        a = fft_prim.fft(a, fft_type, s[-3:])
        lengths = s[:-3]
        fft_type = "FFT"
        return _leading(a, fft_type, lengths, 3)
    if fft_type == "IRFFT":
        a = _leading(a, "IFFT", s[:-3], 3)
        return fft_prim.fft(a, "IRFFT", s[-3:])
    a = fft_prim.fft(a, fft_type, s[-3:])
    return _leading(a, fft_type, s[:-3], 3)


def _leading(a, fft_type, lengths, n_last):
    """The transform over the ``len(lengths)`` axes just before the last ``n_last``."""
    ndim = aval_of(a).ndim
    k = len(lengths)
    moved = list(range(ndim - n_last - k)) + list(range(ndim - n_last, ndim))
    perm = moved + list(range(ndim - n_last - k, ndim - n_last))
    out = _transform(transpose(a, perm), fft_type, lengths, tuple(range(ndim - k, ndim)), None)
    return transpose(out, tuple(int(i) for i in np.argsort(perm)))


def _one_axis(n, axis):
    return (None if n is None else (n,)), (axis,)


def fft(a, n=None, axis=-1, norm=None):
    """The one-dimensional DFT along ``axis`` (``n`` points).

    Args:
        a: the input; n: points along ``axis`` (crop/zero-pad); axis: the axis; norm: the scaling.
    Returns:
        The complex DFT.
    Examples:
        >>> print(fft(np.array([1.0, 2.0, 3.0, 4.0])))
        [10.+0.j -2.+2.j -2.+0.j -2.-2.j]
    """
    return _transform(a, "FFT", *_one_axis(n, axis), norm)


def ifft(a, n=None, axis=-1, norm=None):
    """The inverse of ``fft`` (divides by ``n`` with the default norm).

    Args:
        a: the input; n: points along ``axis`` (crop/zero-pad); axis: the axis; norm: the scaling.
    Returns:
        The complex inverse DFT.
    Examples:
        >>> print(ifft(np.array([4.0, 0.0, 0.0, 0.0])))
        [1.+0.j 1.+0.j 1.+0.j 1.+0.j]
    """
    return _transform(a, "IFFT", *_one_axis(n, axis), norm)


def rfft(a, n=None, axis=-1, norm=None):
    """The DFT of a real signal: the ``n//2 + 1`` non-negative frequencies.

    Args:
        a: the input; n: points along ``axis`` (crop/zero-pad); axis: the axis; norm: the scaling.
    Returns:
        The complex half-spectrum, ``n//2 + 1`` long along ``axis``.
    Examples:
        >>> print(rfft(np.array([1.0, 2.0, 3.0, 4.0])))
        [10.+0.j -2.+2.j -2.+0.j]
    """
    return _transform(a, "RFFT", *_one_axis(n, axis), norm)


def irfft(a, n=None, axis=-1, norm=None):
    """The real signal (``n`` points, default ``2 (m − 1)``) of a half-spectrum.

    Args:
        a: the half-spectrum; n: the output length; axis: the axis; norm: the scaling.
    Returns:
        The real signal.
    Examples:
        >>> print(irfft(np.array([4.0, 0.0, 0.0])))
        [1. 1. 1. 1.]
    """
    return _transform(a, "IRFFT", *_one_axis(n, axis), norm)


def fftn(a, s=None, axes=None, norm=None):
    """The N-dimensional DFT over ``axes`` (all axes by default).

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: the axes; norm: the scaling.
    Returns:
        The complex DFT.
    Examples:
        >>> print(fftn(np.array([[1.0, 2.0], [3.0, 4.0]])))
        [[10.+0.j -2.+0.j]
         [-4.+0.j  0.+0.j]]
    """
    return _transform(a, "FFT", s, axes, norm)


def ifftn(a, s=None, axes=None, norm=None):
    """The inverse of ``fftn``.

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: the axes; norm: the scaling.
    Returns:
        The complex inverse DFT.
    Examples:
        >>> print(ifftn(np.array([[4.0, 0.0], [0.0, 0.0]])))
        [[1.+0.j 1.+0.j]
         [1.+0.j 1.+0.j]]
    """
    return _transform(a, "IFFT", s, axes, norm)


def rfftn(a, s=None, axes=None, norm=None):
    """The N-dimensional DFT of a real signal, halved along the last of ``axes``.

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: the axes; norm: the scaling.
    Returns:
        The complex half-spectrum.
    Examples:
        >>> print(rfftn(np.array([[1.0, 2.0], [3.0, 4.0]])))
        [[10.+0.j -2.+0.j]
         [-4.+0.j  0.+0.j]]
    """
    return _transform(a, "RFFT", s, axes, norm)


def irfftn(a, s=None, axes=None, norm=None):
    """The inverse of ``rfftn``: a real signal from its half-spectrum.

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: the axes; norm: the scaling.
    Returns:
        The real signal.
    Examples:
        >>> print(irfftn(np.array([[4.0, 0.0], [0.0, 0.0]])))
        [[1. 1.]
         [1. 1.]]
    """
    return _transform(a, "IRFFT", s, axes, norm)


def fft2(a, s=None, axes=(-2, -1), norm=None):
    """The two-dimensional DFT (``fftn`` over the last two axes).

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: two axes; norm: the scaling.
    Returns:
        The complex DFT.
    Examples:
        >>> print(fft2(np.array([[1.0, 2.0]])))
        [[ 3.+0.j -1.+0.j]]
    """
    return fftn(a, s, axes, norm)


def ifft2(a, s=None, axes=(-2, -1), norm=None):
    """The inverse of ``fft2``.

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: two axes; norm: the scaling.
    Returns:
        The complex inverse DFT.
    Examples:
        >>> print(ifft2(np.array([[2.0, 0.0]])))
        [[1.+0.j 1.+0.j]]
    """
    return ifftn(a, s, axes, norm)


def rfft2(a, s=None, axes=(-2, -1), norm=None):
    """The two-dimensional DFT of a real signal (``rfftn`` over two axes).

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: two axes; norm: the scaling.
    Returns:
        The complex half-spectrum.
    Examples:
        >>> print(rfft2(np.array([[1.0, 2.0]])))
        [[ 3.+0.j -1.+0.j]]
    """
    return rfftn(a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None):
    """The inverse of ``rfft2``.

    Args:
        a: the input; s: points along ``axes`` (crop/zero-pad); axes: two axes; norm: the scaling.
    Returns:
        The real signal.
    Examples:
        >>> print(irfft2(np.array([[2.0, 0.0]])))
        [[1. 1.]]
    """
    return irfftn(a, s, axes, norm)


_SWAPPED = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def hfft(a, n=None, axis=-1, norm=None):
    """The real spectrum of a signal with Hermitian symmetry, given by its first half.

    Args:
        a: the first half of the signal; n: the output length; axis: the axis; norm: the scaling.
    Returns:
        The real spectrum.
    Examples:
        >>> print(hfft(np.array([1.0, 2.0, 3.0])))
        [ 8. -2.  0. -2.]
    """
    if norm not in _SWAPPED:
        _scale(None, 1, norm, False)
    return irfft(conj(_inexact(a, "c")), n, axis, _SWAPPED[norm])


def ihfft(a, n=None, axis=-1, norm=None):
    """The inverse of ``hfft``: the half-spectrum of a real signal, conjugated.

    Args:
        a: the input; n: points along ``axis`` (crop/zero-pad); axis: the axis; norm: the scaling.
    Returns:
        The complex half-spectrum, conjugated.
    Examples:
        >>> print(ihfft(np.array([1.0, 2.0, 3.0, 4.0])))
        [ 2.5-0.j  -0.5-0.5j -0.5-0.j ]
    """
    if norm not in _SWAPPED:
        _scale(None, 1, norm, False)
    return conj(rfft(a, n, axis, _SWAPPED[norm]))


def _shift(x, axes, sign):
    x = _operand(x)
    shape = aval_of(x).shape
    axes = tuple(range(len(shape))) if axes is None else axes
    axes = (axes,) if isinstance(axes, (int, np.integer)) else tuple(axes)
    shifts = tuple(sign * (shape[ax] // 2) for ax in axes)
    return roll(x, shifts, axes)


def fftshift(x, axes=None):
    """The zero frequency moved to the centre (``roll`` by ``n // 2``).

    Args:
        x: the input; axes: the axes shifted (all by default).
    Returns:
        ``x``, rolled.
    Examples:
        >>> print(fftshift(np.array([0, 1, 2, 3, 4])))
        [3 4 0 1 2]
    """
    return _shift(x, axes, 1)


def ifftshift(x, axes=None):
    """The inverse of ``fftshift``.

    Args:
        x: the input; axes: the axes shifted (all by default).
    Returns:
        ``x``, rolled back.
    Examples:
        >>> print(ifftshift(np.array([3, 4, 0, 1, 2])))
        [0 1 2 3 4]
    """
    return _shift(x, axes, -1)


def fftfreq(n: int, d=1.0, *, dtype=None):
    """The sample frequencies of ``fft(n points)`` with spacing ``d`` (a constant).

    Args:
        n: the signal length; d: the sample spacing; dtype: the output dtype.
    Returns:
        A NumPy array of ``n`` frequencies.
    Examples:
        >>> print(fftfreq(4, d=0.5))
        [ 0.   0.5 -1.  -0.5]
    """
    out = np.fft.fftfreq(n, d)
    return out if dtype is None else out.astype(dtype)


def rfftfreq(n: int, d=1.0, *, dtype=None):
    """The sample frequencies of ``rfft(n points)``.

    Args:
        n: the signal length; d: the sample spacing; dtype: the output dtype.
    Returns:
        A NumPy array of ``n//2 + 1`` frequencies.
    Examples:
        >>> print(rfftfreq(4))
        [0.   0.25 0.5 ]
    """
    out = np.fft.rfftfreq(n, d)
    return out if dtype is None else out.astype(dtype)
