"""The parts of complex numbers: ``real``, ``imag``, ``conj`` and ``complex``, one card each.

All four are linear over the reals, so each declares a transpose. mini_ad follows JAX's
convention for complex cotangents: ``vjp`` is the plain transpose with respect to the real
pairing ``<u, v> = Re(Σ u·v)`` (no conjugation), which gives

* ``real(z)``:  ``ct ↦ complex(ct, 0)``,
* ``imag(z)``:  ``ct ↦ complex(0, -ct)``   (``Re(-i·ct·z) = ct·Im z``),
* ``conj(z)``:  ``ct ↦ conj(ct)``, and ``real(ct)`` for a real input,
* ``complex(x, y)``:  ``ct ↦ (real(ct), -imag(ct))``.

With that convention ``grad`` of a real function of ``z = x + iy`` is ``∂f/∂x − i ∂f/∂y``
(JAX's result: ``grad(abs)(3+4j) == 0.6-0.8j``).
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined as _is_undefined
from mini_ad.core.ad_util import zeros_like
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive, lax_lowering
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.arithmetic import neg
from mini_ad.primitives.base import as_array, def_linear
from mini_ad.primitives.batch_rules import elementwise_batch
from mini_ad.primitives.helpers import binary_shape, unbroadcast
from mini_ad.primitives.taylor import linear_jet


def real_dtype(dtype) -> np.dtype:
    """complex128 -> float64, complex64 -> float32; real dtypes are returned as they are."""
    dtype = np.dtype(dtype)
    return np.finfo(dtype).dtype if dtype.kind == "c" else dtype


def complex_dtype(dtype) -> np.dtype:
    """float64 -> complex128, float32 -> complex64; complex dtypes as they are."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        return dtype
    return np.dtype(np.complex64) if dtype == np.float32 else np.dtype(np.complex128)


def _complex_part_aval(name):
    def abstract_eval(x: ShapedArray):
        if x.dtype.kind != "c":
            raise TypeError(f"{name} needs a complex input, got {x.dtype.name}.")
        return ShapedArray(x.shape, real_dtype(x.dtype), x.weak_type)

    return abstract_eval


def _elementwise_card(p: Primitive, impl, abstract_eval, transpose) -> None:
    p.impl = impl
    p.abstract_eval = abstract_eval
    def_linear(p, transpose)
    p.batch = elementwise_batch(p)
    p.lowering = lax_lowering(p.name)


# --- real / imag ------------------------------------------------------------------------------

real_p = Primitive("real")
imag_p = Primitive("imag")


def real(x):
    """The real part of a complex array (JAX: ``lax.real``).

    Args:
      x: a complex array.

    Returns:
      A real array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.real(np.array([1.0 + 2.0j])))
      [1.]
    """
    return real_p.bind(x)


def imag(x):
    """The imaginary part of a complex array (JAX: ``lax.imag``).

    Args:
      x: a complex array.

    Returns:
      A real array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.imag(np.array([1.0 + 2.0j])))
      [2.]
    """
    return imag_p.bind(x)


# real: ct -> complex(ct, 0)
_elementwise_card(
    real_p,
    lambda x: as_array(np.real(x)).copy(),
    _complex_part_aval("real"),
    lambda ct, x: [complex(ct, zeros_like(ct))],
)
# imag: ct -> complex(0, -ct)
_elementwise_card(
    imag_p,
    lambda x: as_array(np.imag(x)).copy(),
    _complex_part_aval("imag"),
    lambda ct, x: [complex(zeros_like(ct), neg(ct))],
)

# --- complex ----------------------------------------------------------------------------------

complex_p = Primitive("complex")


def complex(x, y):  # noqa: A001 - lax's name
    """``x + i y`` from two real arrays of one dtype (JAX: ``lax.complex``).

    Args:
      x: the real part, a floating array.
      y: the imaginary part, of ``x``'s dtype and shape (or rank 0).

    Returns:
      A complex array.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.complex(np.array([1.0]), np.array([2.0])))
      [1.+2.j]
    """
    return complex_p.bind(x, y)


def _complex_abstract_eval(x: ShapedArray, y: ShapedArray):
    if x.dtype != y.dtype or x.dtype.kind != "f":
        raise TypeError(
            f"complex needs two real operands of one floating dtype, got {x.dtype.name} "
            f"and {y.dtype.name}."
        )
    shape = binary_shape("complex", x, y)
    return ShapedArray(shape, complex_dtype(x.dtype), x.weak_type and y.weak_type)


def _complex_impl(x, y):
    out = np.empty(np.broadcast_shapes(np.shape(x), np.shape(y)), complex_dtype(np.result_type(x)))
    out.real, out.imag = x, y
    return out


def _complex_transpose(ct, x, y):
    # complex(x, y): ct -> (real(ct), -imag(ct)), summed down to a rank-0 operand
    return [
        unbroadcast(real(ct), x.aval) if _is_undefined(x) else None,
        unbroadcast(neg(imag(ct)), y.aval) if _is_undefined(y) else None,
    ]


_elementwise_card(complex_p, _complex_impl, _complex_abstract_eval, _complex_transpose)

# --- conj -------------------------------------------------------------------------------------

conj_p = Primitive("conj")


def conj(x):
    """The complex conjugate; of a real array, that array as complex (JAX: ``lax.conj``).

    Args:
      x: a floating or complex array.

    Returns:
      A complex array of ``x``'s shape.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> print(lax.conj(np.array([1.0 + 2.0j])))
      [1.-2.j]
    """
    return conj_p.bind(x, input_dtype=aval_of(x).dtype)


def _conj_abstract_eval(x: ShapedArray, *, input_dtype):
    if x.dtype.kind not in "fc":
        raise TypeError(f"conj needs a floating or complex input, got {x.dtype.name}.")
    return ShapedArray(x.shape, complex_dtype(x.dtype), x.weak_type)


def _conj_transpose(ct, x, *, input_dtype):
    # conj: ct -> conj(ct); for a real input (promoted to complex) ct -> real(ct)
    return [conj(ct) if np.dtype(input_dtype).kind == "c" else real(ct)]


_elementwise_card(
    conj_p,
    lambda x, *, input_dtype: as_array(np.conj(np.asarray(x, complex_dtype(np.result_type(x))))),
    _conj_abstract_eval,
    _conj_transpose,
)
conj_p.lowering = lambda lx, x, *, input_dtype: lx.lax.conj(x)

# linear: each Taylor coefficient goes through the same map
for _p in (real_p, imag_p, complex_p, conj_p):
    _p.jet = linear_jet(_p)
