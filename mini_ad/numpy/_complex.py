"""Complex parts in ``mini_ad.numpy``: ``real imag conj conjugate angle iscomplex
iscomplexobj isreal real_if_close``, over the ``real``/``imag``/``conj`` primitives.

As in ``jax.numpy``, ``real`` and ``conj`` of a real array return the array itself and
``imag`` of a real array returns zeros, so real code pays nothing and its derivatives stay
real. Derivatives follow JAX's convention (see ``mini_ad.primitives.complex_parts``):
``grad(lambda z: mnp.real(z * z))(1 + 2j) == 2 + 4j``.

>>> import numpy as np
>>> real(np.array([1 + 2j, 3 - 1j]))
array([1., 3.])
>>> angle(1j)
array(1.57079633)
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import Tracer
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, promote_dtypes_inexact
from mini_ad.numpy._creation import zeros_like
from mini_ad.primitives import complex_parts as cp
from mini_ad.primitives import transcendental as tr
from mini_ad.primitives.arithmetic import mul
from mini_ad.primitives.logic import eq, ne


def _is_complex(x) -> bool:
    return aval_of(x).dtype.kind == "c"


def real(val):
    """The real part (``val`` itself if it is real).

    Args:
        val: an array or scalar, real or complex.

    Returns:
        The real part, of the matching real dtype.

    Examples:
        >>> real(np.array([1 + 2j]))
        array([1.])
    """
    val = _operand(val)
    return cp.real(val) if _is_complex(val) else val


def imag(val):
    """The imaginary part (zeros of ``val``'s dtype if it is real).

    Args:
        val: an array or scalar, real or complex.

    Returns:
        The imaginary part, of the matching real dtype.

    Examples:
        >>> imag(np.array([1 + 2j]))
        array([2.])
    """
    val = _operand(val)
    return cp.imag(val) if _is_complex(val) else zeros_like(val)


def conjugate(x):
    """The complex conjugate (``x`` itself if it is real).

    >>> conjugate(np.array([1 + 2j]))
    array([1.-2.j])
    """
    x = _operand(x)
    return cp.conj(x) if _is_complex(x) else x


conj = conjugate


def angle(z, deg: bool = False):
    """The argument of each complex number, ``atan2(imag, real)``, in radians (degrees
    if ``deg``); 0 or π for real numbers.

    Args:
        z: an array or scalar, real or complex.
        deg: return degrees instead of radians.

    Returns:
        The angles, a real floating array.

    Examples:
        >>> angle(np.array([1j, -1.0]), deg=True)
        array([ 90., 180.])
    """
    (z,) = promote_dtypes_inexact(_operand(z))
    re, im = (cp.real(z), cp.imag(z)) if _is_complex(z) else (z, zeros_like(z))
    out = tr.atan2(im, re)
    return mul(out, np.array(180 / np.pi, aval_of(out).dtype)) if deg else out


def iscomplexobj(x) -> bool:
    """Whether ``x``'s dtype is complex (a Python bool, from the type alone).

    Args:
        x: an array or scalar.

    Returns:
        ``True`` if the dtype is complex, else ``False``.

    Examples:
        >>> iscomplexobj(np.array([1.0 + 0j]))
        True
    """
    return _is_complex(_operand(x))


def iscomplex(x):
    """Elementwise: whether the imaginary part is nonzero (False for real dtypes).

    Args:
        x: an array or scalar.

    Returns:
        A boolean array of ``x``'s shape.

    Examples:
        >>> print(iscomplex(np.array([1 + 1j, 2 + 0j])))
        [ True False]
    """
    x = _operand(x)
    if not _is_complex(x):
        return np.zeros(aval_of(x).shape, bool)
    im = cp.imag(x)
    return ne(im, np.zeros((), aval_of(im).dtype))


def isreal(x):
    """Elementwise: whether the imaginary part is zero (True for real dtypes).

    Args:
        x: an array or scalar.

    Returns:
        A boolean array of ``x``'s shape.

    Examples:
        >>> print(isreal(np.array([1 + 1j, 2 + 0j])))
        [False  True]
    """
    x = _operand(x)
    if not _is_complex(x):
        return np.ones(aval_of(x).shape, bool)
    im = cp.imag(x)
    return eq(im, np.zeros((), aval_of(im).dtype))


def real_if_close(a, tol=100):
    """``real(a)`` if every imaginary part is within ``tol`` machine epsilons of zero
    (``tol`` > 1), else ``a``. It decides on values, so ``a`` must be concrete (as in
    NumPy; JAX has no ``real_if_close``).

    >>> real_if_close(np.array([2.0 + 1e-16j]))
    array([2.])
    """
    a = _operand(a)
    if not _is_complex(a):
        return a
    if isinstance(a, Tracer):
        raise TypeError(
            "real_if_close decides its output dtype from values: it needs a concrete array, "
            "not a traced one."
        )
    eps = np.finfo(aval_of(a).dtype).eps
    limit = tol * eps if tol > 1 else tol
    return cp.real(a) if np.all(np.abs(np.imag(a)) < limit) else a
