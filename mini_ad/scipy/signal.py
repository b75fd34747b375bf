"""``mini_ad.scipy.signal``: convolution, correlation and detrending, as
``jax.scipy.signal``.

``convolve``, ``correlate``, ``convolve2d`` and ``correlate2d`` are one
``conv_general_dilated`` each (the arrays are its spatial dims, see
``mini_ad/numpy/_convolve.py``), so they are differentiable in both operands and batch
under ``vmap``; ``fftconvolve`` multiplies spectra; ``detrend`` is a fixed linear
projection. Inputs are promoted to an inexact dtype, as JAX does (SciPy keeps integers).

>>> import numpy as np
>>> import mini_ad.scipy.signal as msig
>>> print(msig.convolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0])))
[1. 3. 5. 3.]
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy import fft as mfft
from mini_ad.numpy._convolve import correlate_window, kernel_of, scipy_windows
from mini_ad.numpy._core import promote_dtypes_inexact
from mini_ad.primitives import structural as st


def _operands(in1, in2, name):
    in1, in2 = promote_dtypes_inexact(in1, in2, int_to=np.float64)
    if aval_of(in1).ndim != aval_of(in2).ndim:
        raise ValueError(f"{name}: in1 and in2 must have the same number of dimensions.")
    return in1, in2


def _direct(in1, in2, mode, kind, name):
    in1, in2 = _operands(in1, in2, name)
    windows = scipy_windows(aval_of(in1).shape, aval_of(in2).shape, mode, name)
    return correlate_window(in1, kernel_of(in2, kind), windows)


def _check_method(method, name):
    if method not in ("auto", "direct", "fft"):
        raise ValueError(f"{name}: method must be 'auto', 'direct' or 'fft', got {method!r}.")


def convolve(in1, in2, mode="full", method="auto", precision=None):
    """The N-dimensional convolution of ``in1`` and ``in2`` (same rank), as
    ``jax.scipy.signal.convolve``.

    Args:
      in1: the first array.
      in2: the second array, of ``in1``'s rank.
      mode: ``"full"`` (``n + m - 1`` per dim), ``"same"`` (``in1``'s shape, centred) or
        ``"valid"`` (where one input covers the other; it must be at least as large in
        every dim).
      method: ``"auto"`` or ``"direct"`` (a convolution) or ``"fft"`` (``fftconvolve``).
      precision: accepted for JAX compatibility.

    Returns:
      The convolution, of the inputs' promoted inexact dtype.

    Raises:
      ValueError: ranks differ, an unknown mode or method, or ``valid`` mode with
        neither input covering the other.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(msig.convolve(np.eye(2), np.ones((2, 2)), mode="same"))
      [[1. 1.]
       [1. 2.]]
    """
    _check_method(method, "convolve")
    if method == "fft":
        return fftconvolve(in1, in2, mode)
    return _direct(in1, in2, mode, "convolve", "convolve")


def correlate(in1, in2, mode="full", method="auto", precision=None):
    """The N-dimensional cross-correlation ``z[k] = Σ_n in1[n + k] · conj(in2[n])`` (``k``
    from ``-(m - 1)`` in ``full`` mode), as ``jax.scipy.signal.correlate``.

    Args:
      in1: the first array.
      in2: the second array, of ``in1``'s rank.
      mode: ``"full"``, ``"same"`` or ``"valid"`` (as ``convolve``'s).
      method: ``"auto"``, ``"direct"`` or ``"fft"``.
      precision: accepted for JAX compatibility.

    Returns:
      The correlation, of the inputs' promoted inexact dtype.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(msig.correlate(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0])))
      [0. 1. 2. 3.]
    """
    _check_method(method, "correlate")
    if method == "fft":
        in1, in2 = _operands(in1, in2, "correlate")
        return fftconvolve(in1, mnp.flip(kernel_of(in2, "correlate")), mode)
    return _direct(in1, in2, mode, "correlate", "correlate")


def _two_d(in1, in2, boundary, fillvalue, name):
    if boundary != "fill" or fillvalue != 0:
        raise NotImplementedError(f"{name}() only supports boundary='fill', fillvalue=0")
    if np.ndim(in1) != 2 or np.ndim(in2) != 2:
        raise ValueError(f"{name}() only supports 2-dimensional inputs.")


def convolve2d(in1, in2, mode="full", boundary="fill", fillvalue=0, precision=None):
    """The 2-D convolution of ``in1`` and ``in2``, as ``jax.scipy.signal.convolve2d``
    (zero fill at the boundary only, as JAX).

    Args:
      in1: a 2-D array.
      in2: a 2-D array.
      mode: ``"full"``, ``"same"`` or ``"valid"``.
      boundary: only ``"fill"``.
      fillvalue: only 0.
      precision: accepted for JAX compatibility.

    Returns:
      A 2-D array.

    Raises:
      NotImplementedError: another ``boundary`` or ``fillvalue``.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(msig.convolve2d(np.ones((2, 2)), np.ones((2, 1)), mode="valid"))
      [[2. 2.]]
    """
    _two_d(in1, in2, boundary, fillvalue, "convolve2d")
    return _direct(in1, in2, mode, "convolve", "convolve2d")


def correlate2d(in1, in2, mode="full", boundary="fill", fillvalue=0, precision=None):
    """The 2-D cross-correlation of ``in1`` and ``in2``, as
    ``jax.scipy.signal.correlate2d`` (zero fill at the boundary only). Like SciPy's, its
    ``same`` window is centred at ``m // 2`` (``correlate``'s at ``(m - 1) // 2``), and
    in ``valid`` mode with a larger complex ``in2`` it conjugates ``in1`` instead.

    Args:
      in1: a 2-D array.
      in2: a 2-D array.
      mode: ``"full"``, ``"same"`` or ``"valid"``.
      boundary: only ``"fill"``.
      fillvalue: only 0.
      precision: accepted for JAX compatibility.

    Returns:
      A 2-D array.

    Raises:
      NotImplementedError: another ``boundary`` or ``fillvalue``.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(msig.correlate2d(np.arange(4.0).reshape(2, 2), np.ones((1, 2)), mode="valid"))
      [[1.]
       [5.]]
    """
    _two_d(in1, in2, boundary, fillvalue, "correlate2d")
    in1, in2 = _operands(in1, in2, "correlate2d")
    shape1, shape2 = aval_of(in1).shape, aval_of(in2).shape
    windows = scipy_windows(shape1, shape2, mode, "correlate2d")
    if mode == "same":  # SciPy's correlate2d centres the other way for even kernels
        windows = [(m // 2, n) for n, m in zip(shape1, shape2, strict=True)]
    swapped = mode == "valid" and not all(n >= m for n, m in zip(shape1, shape2, strict=True))
    if swapped and aval_of(in1).dtype.kind == "c":  # it then conjugates in1, not in2
        return correlate_window(mnp.conj(in1), in2, windows)
    return correlate_window(in1, kernel_of(in2, "correlate"), windows)


def _fft_axes(axes, ndim):
    if axes is None:
        return tuple(range(ndim))
    axes = [int(a) for a in np.atleast_1d(axes)]
    if any(not -ndim <= a < ndim for a in axes):
        raise ValueError(f"fftconvolve: axes {axes} out of range for rank {ndim}.")
    return tuple(sorted({a % ndim for a in axes}))


def fftconvolve(in1, in2, mode="full", axes=None):
    """The convolution of ``in1`` and ``in2`` over ``axes`` by FFT, as
    ``jax.scipy.signal.fftconvolve``; the other axes broadcast.

    Args:
      in1: the first array.
      in2: the second array, of ``in1``'s rank.
      mode: ``"full"``, ``"same"`` or ``"valid"`` (as ``convolve``'s, along ``axes``).
      axes: the axes to convolve over (None: all); along the others the sizes must be
        equal or 1.

    Returns:
      The convolution (real for real inputs), equal to ``convolve``'s up to rounding.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(np.round(msig.fftconvolve(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0])), 12))
      [1. 3. 5. 3.]
    """
    in1, in2 = _operands(in1, in2, "fftconvolve")
    shape1, shape2 = aval_of(in1).shape, aval_of(in2).shape
    axes = _fft_axes(axes, len(shape1))
    for a in range(len(shape1)):
        if a not in axes and shape1[a] != shape2[a] and 1 not in (shape1[a], shape2[a]):
            raise ValueError(
                f"fftconvolve: along axis {a}, which is not convolved, the sizes "
                f"{shape1[a]} and {shape2[a]} must be equal or 1."
            )
    sizes = [shape1[a] + shape2[a] - 1 for a in axes]
    if aval_of(in1).dtype.kind == "c":
        full = mfft.ifftn(mfft.fftn(in1, sizes, axes) * mfft.fftn(in2, sizes, axes), sizes, axes)
    else:
        spectrum = mfft.rfftn(in1, sizes, axes) * mfft.rfftn(in2, sizes, axes)
        full = mfft.irfftn(spectrum, sizes, axes)
    windows = scipy_windows([shape1[a] for a in axes], [shape2[a] for a in axes], mode,
                            "fftconvolve")  # fmt: skip
    starts, limits = [0] * len(shape1), list(aval_of(full).shape)
    for a, (start, length) in zip(axes, windows, strict=True):
        starts[a], limits[a] = start, start + length
    return st.slice(full, starts, limits)


def _projection(n: int, breakpoints, dtype) -> np.ndarray:
    """The ``n × n`` projection removing a least-squares line from each segment."""
    p = np.eye(n)
    for lo, hi in zip(breakpoints[:-1], breakpoints[1:], strict=True):
        size = int(hi - lo)
        if size == 0:
            continue
        a = np.stack([np.arange(1, size + 1) / size, np.ones(size)], axis=1)
        q = np.ones((1, 1)) if size == 1 else np.linalg.qr(a)[0]
        p[lo:hi, lo:hi] -= q @ q.T
    return p.astype(dtype)


def detrend(data, axis=-1, type="linear", bp=0, overwrite_data=None):  # noqa: A002 - SciPy's name
    """``data`` minus its least-squares line (``type="linear"``, one line per segment
    between breakpoints ``bp``) or its mean (``"constant"``) along ``axis``, as
    ``jax.scipy.signal.detrend``.

    Args:
      data: the array.
      axis: the axis to detrend along.
      type: ``"linear"`` (``"l"``) or ``"constant"`` (``"c"``).
      bp: breakpoints (indices along ``axis``) between the linear segments.
      overwrite_data: accepted for SciPy compatibility (arrays are immutable).

    Returns:
      The detrended array, of ``data``'s inexact dtype.

    Raises:
      ValueError: an unknown ``type`` or a breakpoint beyond the data.

    Examples:
      >>> import numpy as np
      >>> import mini_ad.scipy.signal as msig
      >>> print(np.round(msig.detrend(np.array([1.0, 2.0, 4.0])), 12))
      [ 0.16666667 -0.33333333  0.16666667]
    """
    if type not in ("linear", "l", "constant", "c"):
        raise ValueError("Trend type must be 'linear' or 'constant'.")
    (data,) = promote_dtypes_inexact(data, int_to=np.float64)
    if type in ("constant", "c"):
        return data - mnp.mean(data, axis=axis, keepdims=True)
    n = aval_of(data).shape[axis]
    breakpoints = np.unique(np.concatenate([[0], np.atleast_1d(bp), [n]]).astype(np.int64))
    if np.any(breakpoints > n):
        raise ValueError("Breakpoints must be less than length of data along given axis.")
    moved = mnp.moveaxis(data, axis, -1)
    return mnp.moveaxis(moved @ _projection(n, breakpoints, aval_of(data).dtype), -1, axis)


__all__ = ["convolve", "convolve2d", "correlate", "correlate2d", "detrend", "fftconvolve"]
