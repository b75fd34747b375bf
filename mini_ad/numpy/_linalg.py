"""Products: ``dot``, ``matmul``, ``tensordot``, and friends (``einsum`` is in ``_einsum.py``), all lowered to
``dot_general`` (plus transposes and broadcasts)."""

from __future__ import annotations

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.numpy._complex import conjugate
from mini_ad.numpy._core import astype, broadcast_shapes, broadcast_to, promote_dtypes
from mini_ad.numpy._math import multiply
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import reshape
from mini_ad.primitives.linalg import dot_general


def _operands(a, b, preferred_element_type):
    """The promoted operands, cast to ``preferred_element_type`` if given (JAX's meaning:
    the product accumulates and returns in it)."""
    a, b = promote_dtypes(a, b)
    if preferred_element_type is not None:
        a, b = astype(a, preferred_element_type), astype(b, preferred_element_type)
    return a, b


def dot(a, b, *, precision=None, preferred_element_type=None):
    """Dot product, as ``numpy.dot`` (``dot_general``).

    A scalar operand multiplies; otherwise ``a``'s last axis is contracted with ``b``'s
    second-to-last (its only axis if ``b`` is 1-D). Dtypes promote as in NumPy.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.
      precision: accepted and ignored (NumPy computes at full precision).
      preferred_element_type: a dtype to accumulate and return in (the operands are cast
        to it); None: the promoted dtype.

    Returns:
      An array of shape ``a.shape[:-1] + b.shape[:-2] + b.shape[-1:]``.

    Raises:
      ValueError: the contracted axes differ in length (TypeError when traced).

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.dot([1.0, 2.0], [3.0, 4.0]))
      11.0
      >>> print(mnp.dot([[1, 2], [3, 4]], [1, 1]))
      [3 7]
    """
    a, b = _operands(a, b, preferred_element_type)
    a_nd, b_nd = aval_of(a).ndim, aval_of(b).ndim
    if a_nd == 0 or b_nd == 0:
        return multiply(a, b)
    b_axis = 0 if b_nd == 1 else b_nd - 2
    _check_contraction("dot", aval_of(a).shape, aval_of(b).shape, b_axis)
    return dot_general(a, b, (((a_nd - 1,), (b_axis,)), ((), ())))


def matmul(a, b, *, precision=None, preferred_element_type=None):
    """Matrix product ``a @ b``, as ``numpy.matmul`` (``dot_general``).

    1-D operands are vectors (a row on the left, a column on the right, the added axis
    removed afterwards); the leading (batch) dimensions broadcast.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.
      precision: accepted and ignored (NumPy computes at full precision).
      preferred_element_type: a dtype to accumulate and return in (the operands are cast
        to it); None: the promoted dtype.

    Returns:
      The product, of shape ``batch + (a.shape[-2], b.shape[-1])`` (vector axes dropped).

    Raises:
      ValueError: an operand is a scalar (use ``*``), or the batch shapes do not broadcast.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.matmul([[1, 2], [3, 4]], [[1, 0], [0, 2]]))
      [[1 4]
       [3 8]]
      >>> mnp.matmul(mnp.ones((5, 2, 3)), mnp.ones((3, 4))).shape
      (5, 2, 4)
    """
    a, b = _operands(a, b, preferred_element_type)
    a_shape, b_shape = aval_of(a).shape, aval_of(b).shape
    if not a_shape or not b_shape:
        raise ValueError(
            "matmul: Input operand does not have enough dimensions (use * for scalars)"
        )
    _check_contraction("matmul", a_shape, b_shape, max(len(b_shape) - 2, 0))
    if len(a_shape) <= 2 and len(b_shape) <= 2:
        return dot(a, b)
    a_vec, b_vec = len(a_shape) == 1, len(b_shape) == 1
    if a_vec:
        a = reshape(a, (1,) + a_shape)
    if b_vec:
        b = reshape(b, b_shape + (1,))
    a_shape, b_shape = aval_of(a).shape, aval_of(b).shape
    batch = broadcast_shapes(a_shape[:-2], b_shape[:-2])
    a = broadcast_to(a, batch + a_shape[-2:])
    b = broadcast_to(b, batch + b_shape[-2:])
    nb = len(batch)
    out = dot_general(a, b, (((nb + 1,), (nb,)), (tuple(range(nb)), tuple(range(nb)))))
    if a_vec:
        out = reshape(out, batch + (aval_of(out).shape[-1],))
    if b_vec:
        out = reshape(out, aval_of(out).shape[:-1])
    return out


def _check_contraction(name, a_shape, b_shape, b_axis):
    if a_shape[-1] != b_shape[b_axis]:
        raise ShapeError(
            f"{name}: the contracted dimensions must have the same size, got {a_shape[-1]} "
            f"(last axis of {a_shape}) and {b_shape[b_axis]} (axis {b_axis} of {b_shape})."
        )


def vdot(a, b, *, precision=None, preferred_element_type=None):
    """Dot product of the flattened operands, as ``numpy.vdot``.

    The first operand is conjugated for complex input: ``sum(conj(ravel(a)) * ravel(b))``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.
      precision: accepted and ignored (NumPy computes at full precision).
      preferred_element_type: a dtype to accumulate and return in (the operands are cast
        to it); None: the promoted dtype.

    Returns:
      A scalar: ``sum(conj(ravel(a)) * ravel(b))``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.vdot([[1, 2], [3, 4]], [[1, 1], [1, 1]]))
      10
    """
    a, b = reshape(conjugate(a), (-1,)), reshape(b, (-1,))
    return dot(a, b, preferred_element_type=preferred_element_type)


def inner(a, b, *, precision=None, preferred_element_type=None):
    """Inner product over the last axes, as ``numpy.inner`` (``dot_general``).

    A scalar operand multiplies.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.
      precision: accepted and ignored (NumPy computes at full precision).
      preferred_element_type: a dtype to accumulate and return in (the operands are cast
        to it); None: the promoted dtype.

    Returns:
      An array of shape ``a.shape[:-1] + b.shape[:-1]``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.inner([[1, 2], [3, 4]], [1, 10]))
      [21 43]
    """
    a, b = _operands(a, b, preferred_element_type)
    a_nd, b_nd = aval_of(a).ndim, aval_of(b).ndim
    if a_nd == 0 or b_nd == 0:
        return multiply(a, b)
    return dot_general(a, b, (((a_nd - 1,), (b_nd - 1,)), ((), ())))


def outer(a, b):
    """Outer product of the flattened operands, as ``numpy.outer``.

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.

    Returns:
      An array of shape ``(a.size, b.size)`` with entries ``a[i] * b[j]``.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.outer([1, 2], [1, 10, 100]))
      [[  1  10 100]
       [  2  20 200]]
    """
    a = reshape(a, (-1, 1))
    b = reshape(b, (1, -1))
    return multiply(a, b)


def tensordot(a, b, axes=2, *, precision=None, preferred_element_type=None):
    """Contract axes of ``a`` with axes of ``b``, as ``numpy.tensordot`` (``dot_general``).

    Args:
      a: an array, a Python scalar or a (nested) list of them.
      b: the same kind of operand.
      axes: an int n (``a``'s last n axes with ``b``'s first n) or a pair of ints or
        int sequences ``(a_axes, b_axes)`` naming the axes to contract.
      precision: accepted and ignored (NumPy computes at full precision).
      preferred_element_type: a dtype to accumulate and return in (the operands are cast
        to it); None: the promoted dtype.

    Returns:
      An array with ``a``'s free axes followed by ``b``'s.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> print(mnp.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]]))
      5
      >>> print(mnp.tensordot([[1, 2], [3, 4]], [1, 10], axes=(0, 0)))
      [31 42]
    """
    a, b = _operands(a, b, preferred_element_type)
    a_nd, b_nd = aval_of(a).ndim, aval_of(b).ndim
    if isinstance(axes, (int, np.integer)):
        a_axes = tuple(range(a_nd - int(axes), a_nd))
        b_axes = tuple(range(int(axes)))
    else:
        a_axes, b_axes = axes
        a_axes = (a_axes,) if isinstance(a_axes, (int, np.integer)) else tuple(a_axes)
        b_axes = (b_axes,) if isinstance(b_axes, (int, np.integer)) else tuple(b_axes)
        a_axes = tuple(int(i) % a_nd for i in a_axes)
        b_axes = tuple(int(i) % b_nd for i in b_axes)
    return dot_general(a, b, ((a_axes, b_axes), ((), ())))


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    """Sum along a diagonal, as ``numpy.trace``.

    Args:
      a: an array (or nested list) of at least two dimensions.
      offset: the diagonal: 0 the main one, positive above it, negative below.
      axis1: the first axis of the 2-D sub-arrays whose diagonals are taken.
      axis2: the second axis.
      dtype: the dtype to sum in and return, as for ``sum``; None picks NumPy's default.

    Returns:
      A scalar for 2-D ``a``; otherwise an array of the remaining axes.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> a = mnp.array([[1, 2], [3, 4]])
      >>> print(mnp.trace(a))
      5
      >>> print(mnp.trace(a, offset=1))
      2
    """
    from mini_ad.numpy._extra import diagonal  # (_extra imports this module's layer)

    # NumPy's diagonal puts the diagonal last, whichever the two axes and their order
    return sum_(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)
