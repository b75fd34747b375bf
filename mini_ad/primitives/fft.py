"""``fft``: discrete Fourier transforms over the trailing ``len(fft_lengths)`` axes (JAX's
primitive, with ``fft_type`` one of ``FFT IFFT RFFT IRFFT`` and NumPy's default scaling:
the inverse transforms divide by the number of points).

The transform is linear, so its jvp applies it to the tangent. Its transposes, under
JAX's convention for complex cotangents (the transpose for ``<u, v> = Re Σ u·v``, no
conjugation), are:

* ``FFT`` and ``IFFT``: themselves (the DFT matrix is symmetric);
* ``RFFT`` (real → the first ``n//2 + 1`` frequencies): pad the cotangent with zeros to
  ``n`` frequencies, take the ``FFT`` and its real part;
* ``IRFFT`` (Hermitian half-spectrum → real): the ``IFFT`` of the cotangent, truncated to
  ``n//2 + 1`` frequencies, times 2 at the frequencies that stand for a conjugate pair
  (all but 0 and, for even ``n``, ``n/2``).

Every rule is written with ``fft`` itself, ``pad``, ``slice``, ``real``/``complex`` and
``mul``, so transforms of any order compose.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives import structural as st
from mini_ad.primitives.arithmetic import mul
from mini_ad.primitives.base import def_linear
from mini_ad.primitives.batch_rules import bdim_at_front
from mini_ad.primitives.complex_parts import complex as complex_
from mini_ad.primitives.complex_parts import complex_dtype, real, real_dtype
from mini_ad.primitives.taylor import linear_jet

FFT_TYPES = ("FFT", "IFFT", "RFFT", "IRFFT")

fft_p = Primitive("fft")


def fft(x, fft_type: str, fft_lengths) -> object:
    """The ``fft_type`` transform of ``x`` over its last ``len(fft_lengths)`` axes
    (JAX: ``lax.fft``); ``fft_lengths`` are the real signal's lengths for RFFT/IRFFT."""
    fft_type = str(fft_type).upper().removeprefix("FFTTYPE.")
    if fft_type not in FFT_TYPES:
        raise ValueError(f"fft_type must be one of {FFT_TYPES}, got {fft_type!r}.")
    return fft_p.bind(x, fft_type=fft_type, fft_lengths=tuple(int(n) for n in fft_lengths))


def _axes(x_ndim, fft_lengths):
    return tuple(range(x_ndim - len(fft_lengths), x_ndim))


def _fft_impl(x, *, fft_type, fft_lengths):
    x = np.asarray(x)
    axes = _axes(x.ndim, fft_lengths)
    if fft_type == "FFT":
        out, dtype = np.fft.fftn(x, axes=axes), x.dtype
    elif fft_type == "IFFT":
        out, dtype = np.fft.ifftn(x, axes=axes), x.dtype
    elif fft_type == "RFFT":
        out, dtype = np.fft.rfftn(x, axes=axes), complex_dtype(x.dtype)
    else:
        out, dtype = np.fft.irfftn(x, s=fft_lengths, axes=axes), real_dtype(x.dtype)
    return np.asarray(out, dtype=dtype)


def _fft_abstract_eval(x: ShapedArray, *, fft_type, fft_lengths):
    k = len(fft_lengths)
    if k == 0 or k > 3 or x.ndim < k:
        raise TypeError(f"fft over {k} axes of a {x.str_short()} array: 1 to 3 axes, within it.")
    if (x.dtype.kind == "c") != (fft_type != "RFFT") or x.dtype.kind not in "fc":
        wanted = "a real floating" if fft_type == "RFFT" else "a complex"
        raise TypeError(f"fft {fft_type} needs {wanted} input, got {x.dtype.name}.")
    lead, trailing = x.shape[:-k], x.shape[-k:]
    expected = list(fft_lengths)
    if fft_type == "IRFFT":
        expected[-1] = fft_lengths[-1] // 2 + 1
    if tuple(trailing) != tuple(expected):
        raise TypeError(
            f"fft {fft_type} with fft_lengths={fft_lengths} needs trailing dims "
            f"{tuple(expected)}, got {x.str_short()}."
        )
    if fft_type == "RFFT":
        return ShapedArray((*lead, *fft_lengths[:-1], fft_lengths[-1] // 2 + 1),
                           complex_dtype(x.dtype))  # fmt: skip
    if fft_type == "IRFFT":
        return ShapedArray((*lead, *fft_lengths), real_dtype(x.dtype))
    return ShapedArray(x.shape, x.dtype)


def _pair_weights(n: int, dtype):
    """1 at frequency 0 (and n/2 for even n), 2 at those standing for a conjugate pair."""
    w = np.full(n // 2 + 1, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    return w.astype(dtype)


def _fft_transpose(ct, x, *, fft_type, fft_lengths):
    if fft_type in ("FFT", "IFFT"):  # the DFT matrix is symmetric
        return [fft(ct, fft_type, fft_lengths)]
    ndim = aval_of(ct).ndim
    n = fft_lengths[-1]
    if fft_type == "RFFT":
        missing = n - aval_of(ct).shape[-1]
        config = [(0, 0, 0)] * (ndim - 1) + [(0, missing, 0)]
        padded = st.pad(ct, np.zeros((), aval_of(ct).dtype), config)
        return [real(fft(padded, "FFT", fft_lengths))]
    full = fft(complex_(ct, np.zeros((), aval_of(ct).dtype)), "IFFT", fft_lengths)
    shape = aval_of(full).shape
    half = st.slice(full, (0,) * ndim, shape[:-1] + (n // 2 + 1,))
    weights = _pair_weights(n, aval_of(half).dtype)
    return [mul(half, st.broadcast_in_dim(weights, aval_of(half).shape, (ndim - 1,)))]


def _fft_batch(axis_size, vals, dims, **params):
    return fft_p.bind(bdim_at_front(vals[0], dims[0], axis_size), **params), 0


def _fft_lowering(lx, x, *, fft_type, fft_lengths):
    return lx.lax.fft(x, getattr(lx.lax.FftType, fft_type), fft_lengths)


fft_p.impl = _fft_impl
fft_p.abstract_eval = _fft_abstract_eval
def_linear(fft_p, _fft_transpose)
fft_p.batch = _fft_batch
fft_p.lowering = _fft_lowering
fft_p.jet = linear_jet(fft_p)  # linear: each Taylor coefficient is transformed
