"""``mini_ad.numpy.linalg`` beyond solves: ``svd qr eig eigvals pinv lstsq matrix_power
matrix_rank cond multi_dot norm tensorsolve tensorinv``, written over the ``svd``, ``qr``,
``eig`` and ``solve`` primitives (``mini_ad.primitives.orthogonal``, ``linalg_ops``), so
each is differentiable wherever its factorization is (see those modules for what
happens at repeated singular values or eigenvalues: the same as in JAX).

>>> import numpy as np
>>> float(norm(np.array([[3.0, 0.0], [0.0, 4.0]]), 2))
4.0
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._complex import conj, real
from mini_ad.numpy._core import _operand, astype, promote_dtypes_inexact
from mini_ad.numpy._division import power
from mini_ad.numpy._linalg import matmul
from mini_ad.numpy._math import abs as abs_
from mini_ad.numpy._math import (
    greater,
    multiply,
    not_equal,
    sqrt,
    true_divide,
    where,
)
from mini_ad.numpy._reductions import max as max_
from mini_ad.numpy._reductions import min as min_
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import expand_dims, reshape, swapaxes, transpose
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import orthogonal as orth


class SVDResult(NamedTuple):
    """The ``(U, S, Vh)`` result of ``svd``."""

    U: object  # noqa: N815 - NumPy's field names
    S: object  # noqa: N815
    Vh: object  # noqa: N815


class QRResult(NamedTuple):
    """The ``(Q, R)`` result of ``qr``."""

    Q: object  # noqa: N815
    R: object  # noqa: N815


class EigResult(NamedTuple):
    """The ``(eigenvalues, eigenvectors)`` result of ``eig``."""

    eigenvalues: object
    eigenvectors: object


def _matrices(a, name):
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    if aval_of(a).ndim < 2:
        raise ValueError(f"{name}: {aval_of(a).ndim}-dimensional array given; it needs >= 2.")
    return a


def _hermitian_transpose(x):
    return conj(swapaxes(x, -1, -2))


def svd(a, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False):
    """``(U, S, Vh)`` with ``a = U @ (S[..., None] * Vh)`` (NumPy's order), ``S`` descending;
    derivatives need ``full_matrices=False`` when vectors are computed (as in JAX).
    Args:
        a: the matrices; full_matrices: square ``U``, ``Vh``; compute_uv: vectors; hermitian: unused
    Returns:
        An ``SVDResult``, or ``S`` alone without ``compute_uv``.
    Examples:
        >>> print(svd(np.array([[3.0, 0.0], [0.0, 4.0]])).S)
        [4. 3.]
    """
    del hermitian  # a property of the input, not a different answer
    a = _matrices(a, "svd")
    if not compute_uv:
        return orth.svd(a, compute_uv=False)[0]
    s, u, vh = orth.svd(a, full_matrices=full_matrices)
    return SVDResult(u, s, vh)


def qr(a, mode: str = "reduced"):
    """``(Q, R)`` for ``mode`` ``'reduced'`` or ``'complete'``, ``R`` alone for ``'r'``.
    Args:
        a: ``(..., m, n)``; mode: ``'reduced'``, ``'complete'`` or ``'r'``.
    Returns:
        A ``QRResult``, or ``R`` alone for ``'r'``.
    Examples:
        >>> print(qr(np.array([[3.0], [4.0]])).R)
        [[-5.]]
    """
    a = _matrices(a, "qr")
    if mode not in ("reduced", "complete", "r"):
        raise NotImplementedError(  # JAX's 'raw' is LAPACK's Householder form
            f"qr: mode={mode!r} is not supported by mini_ad (only 'reduced', 'complete', 'r')."
        )
    q, r = orth.qr(a, full_matrices=mode == "complete")
    return r if mode == "r" else QRResult(q, r)


def eig(a):
    """``(eigenvalues, eigenvectors)`` of general square matrices, complex, LAPACK's order.
    Args:
        a: square matrices ``(..., n, n)``.
    Returns:
        An ``EigResult`` (vectors as columns); only the eigenvalues are differentiable (as JAX).
    Examples:
        >>> print(eig(np.array([[2.0, 0.0], [0.0, 3.0]])).eigenvalues)
        [2.+0.j 3.+0.j]
    """
    w, v = orth.eig(_matrices(a, "eig"))
    return EigResult(w, v)


def eigvals(a):
    """The complex eigenvalues of general square matrices; ``dw = diag(V⁻¹ dA V)``.
    Args:
        a: square matrices ``(..., n, n)``.
    Returns:
        The eigenvalues, ``(..., n)``, complex.
    Examples:
        >>> print(eigvals(np.array([[0.0, -1.0], [1.0, 0.0]])))
        [0.+1.j 0.-1.j]
    """
    return orth.eig(_matrices(a, "eigvals"), compute_right_eigenvectors=False)[0]


def _default_rcond(a):
    m, n = aval_of(a).shape[-2:]
    return 10 * max(m, n) * np.finfo(aval_of(a).dtype).eps


def pinv(a, rcond=None, hermitian: bool = False, *, rtol=None):
    """The Moore–Penrose pseudo-inverse through the SVD; singular values at most
    ``rcond · max(s)`` (JAX's default ``rcond``: ``10 max(m, n) eps``) are dropped.
    Args:
        a: ``(..., m, n)``; rcond, rtol: the relative cutoff (same meaning); hermitian: unused.
    Returns:
        The pseudo-inverse, ``(..., n, m)``.
    Examples:
        >>> print(pinv(np.array([[1.0], [1.0]])))
        [[0.5 0.5]]
    """
    a = _matrices(a, "pinv")
    rcond = rtol if rcond is None else rcond
    rcond = _default_rcond(a) if rcond is None else rcond
    s, u, vh = orth.svd(a, full_matrices=False)
    cutoff = multiply(s[..., :1], rcond)  # s descends; [..., :1] is empty for empty a
    keep = greater(s, cutoff)
    s_inv = where(keep, true_divide(1.0, where(keep, s, 1.0)), 0.0)
    scaled = multiply(_hermitian_transpose(vh), expand_dims(s_inv, -2))  # V S⁺
    return matmul(scaled, _hermitian_transpose(u))


def matrix_power(a, n: int):
    """``a`` times itself ``n`` times (``inv(a)`` powers for ``n < 0``), by repeated squaring.
    Args:
        a: square matrices ``(..., k, k)``; n: the integer power.
    Returns:
        ``a`` to the ``n``-th power.
    Examples:
        >>> print(matrix_power(np.array([[2.0]]), 3))
        [[8.]]
    """
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64) if n < 0 else (_operand(a),)
    if n < 0:
        a, n = lo.solve(a, lo.eye_like(a)), -n
    if n == 0:
        return (
            lo.eye_like(a)
            if aval_of(a).dtype.kind in "fc"
            else np.broadcast_to(
                np.eye(aval_of(a).shape[-1], dtype=aval_of(a).dtype), aval_of(a).shape
            )
        )
    result = None
    while n:
        if n & 1:
            result = a if result is None else matmul(result, a)
        n >>= 1
        if n:
            a = matmul(a, a)
    return result


def matrix_rank(M, rtol=None, *, tol=None):  # noqa: N803 - NumPy's name
    """The number of singular values above ``tol`` (default ``max(s) · max(m, n) · eps``).
    Args:
        M: ``(..., m, n)``; rtol: the relative cutoff; tol: the absolute cutoff.
    Returns:
        The rank, an integer array.
    Examples:
        >>> print(matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])))
        1
    """
    M = _operand(M)
    if aval_of(M).ndim < 2:
        return astype(greater(sum_(not_equal(M, 0)), 0), np.int64)  # 1 unless all zero
    s = svd(M, compute_uv=False)
    if tol is None:
        m, n = aval_of(M).shape[-2:]
        rtol = max(m, n) * np.finfo(aval_of(s).dtype).eps if rtol is None else rtol
        tol = multiply(max_(s, axis=-1, keepdims=True), rtol)
    return sum_(greater(s, tol), axis=-1)


def cond(x, p=None):
    """The condition number in the norm ``p`` (``s_max / s_min`` for ``None`` and 2).
    Args:
        x: square matrices ``(..., n, n)``; p: the norm order (``norm``'s matrix orders).
    Returns:
        The condition numbers.
    Examples:
        >>> print(cond(np.array([[1.0, 0.0], [0.0, 4.0]])))
        4.0
    """
    x = _matrices(x, "cond")
    if p in (None, 2, -2):
        s = svd(x, compute_uv=False)
        big, small = s[..., 0], s[..., -1]
        return true_divide(big, small) if p != -2 else true_divide(small, big)
    return multiply(norm(x, p, axis=(-2, -1)), norm(lo.solve(x, lo.eye_like(x)), p, axis=(-2, -1)))


def multi_dot(arrays):
    """``arrays[0] @ arrays[1] @ …`` (first and last may be vectors), left to right.
    Args:
        arrays: a sequence of at least two arrays.
    Returns:
        Their chained product.
    Examples:
        >>> print(multi_dot([np.array([1.0, 2.0]), np.eye(2), np.array([3.0, 4.0])]))
        11.0
    """
    arrays = [_operand(a) for a in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot needs at least two arrays.")
    out = arrays[0]
    for a in arrays[1:]:
        out = matmul(out, a)
    return out


def _squared_modulus(x):
    return real(multiply(x, conj(x)))


def _vector_norm(x, ord, axis, keepdims):  # noqa: A002 - NumPy's name
    if ord is None or ord == 2:
        return sqrt(sum_(_squared_modulus(x), axis=axis, keepdims=keepdims))
    if ord == np.inf:
        return max_(abs_(x), axis=axis, keepdims=keepdims)
    if ord == -np.inf:
        return min_(abs_(x), axis=axis, keepdims=keepdims)
    if ord == 0:
        count = sum_(not_equal(x, 0), axis=axis, keepdims=keepdims)
        return astype(count, aval_of(real(x)).dtype)
    if ord == 1:
        return sum_(abs_(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")
    return power(sum_(power(abs_(x), float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):  # noqa: A002 - NumPy's name
    ndim = aval_of(x).ndim
    row, col = (a % ndim for a in axes)
    if ord in (None, "fro"):
        out = sqrt(sum_(_squared_modulus(x), axis=(row, col)))
    elif ord in (1, -1, np.inf, -np.inf):
        summed_axis, other = (row, col) if ord in (1, -1) else (col, row)
        sums = sum_(abs_(x), axis=summed_axis)
        pick = max_ if ord in (1, np.inf) else min_
        out = pick(sums, axis=other - (other > summed_axis))
    elif ord in (2, -2, "nuc"):
        perm = [i for i in range(ndim) if i not in (row, col)] + [row, col]
        s = svd(transpose(x, perm), compute_uv=False)
        out = {2: max_, -2: min_, "nuc": sum_}[ord](s, axis=-1)
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    if keepdims:
        for a in sorted((row, col)):
            out = expand_dims(out, a)
    return out


def norm(x, ord=None, axis=None, keepdims: bool = False):  # noqa: A002 - NumPy's name
    """Vector and matrix norms with NumPy's ``ord`` and ``axis`` (every order: vectors
    ``None, ±inf, 0, 1, 2, p``; matrices ``None, 'fro', 'nuc', ±1, ±2, ±inf``, the
    spectral and nuclear norms through the SVD). ``norm`` of a zero vector has NaN
    derivatives, as in JAX.
    Args:
        x: the input; ord: the order; axis: one or two axes (default all); keepdims: keep them.
    Returns:
        The norms, a real array.
    Examples:
        >>> print(norm(np.array([3.0, 4.0])))
        5.0
    """
    (x,) = promote_dtypes_inexact(_operand(x), int_to=np.float64)
    ndim = aval_of(x).ndim
    if axis is None:
        if ord is None:
            return (
                _vector_norm(reshape(x, (-1,)), None, 0, False)
                if not keepdims
                else (reshape(_vector_norm(reshape(x, (-1,)), None, 0, False), (1,) * ndim))
            )
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    if len(axes) == 1:
        return _vector_norm(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        if axes[0] % max(ndim, 1) == axes[1] % max(ndim, 1):
            raise ValueError(f"norm: duplicate axes given: {axis}")
        return _matrix_norm(x, ord, axes, keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def tensorsolve(a, b, axes=None):
    """``x`` with ``tensordot(a, x, x.ndim) == b`` (NumPy's ``tensorsolve``).
    Args:
        a: the coefficient tensor; b: the right-hand side; axes: axes of ``a`` moved last first.
    Returns:
        ``x``, of shape ``a.shape[b.ndim:]``.
    Examples:
        >>> print(tensorsolve(2 * np.eye(2), np.array([2.0, 4.0])))
        [1. 2.]
    """
    a, b = promote_dtypes_inexact(_operand(a), _operand(b))
    if axes is not None:
        axes = [i % aval_of(a).ndim for i in axes]
        a = transpose(a, [i for i in range(aval_of(a).ndim) if i not in axes] + axes)
    b_shape = aval_of(b).shape
    x_shape = aval_of(a).shape[len(b_shape) :]
    rows = int(np.prod(b_shape, dtype=np.int64))
    a2 = reshape(a, (rows, -1))
    x = lo.solve(a2, reshape(b, (rows, 1)))
    return reshape(x, x_shape)


def tensorinv(a, ind: int = 2):
    """The inverse of ``a`` read as a linear map from its last dims to its first ``ind``.
    Args:
        a: the tensor; ind: how many leading dims index the map's output.
    Returns:
        The inverse, ``a.shape[ind:] + a.shape[:ind]``.
    Examples:
        >>> print(tensorinv(np.array([[2.0]]), ind=1))
        [[0.5]]
    """
    (a,) = promote_dtypes_inexact(_operand(a), int_to=np.float64)
    shape = aval_of(a).shape
    rows = int(np.prod(shape[:ind], dtype=np.int64))
    inverse = lo.solve(reshape(a, (rows, -1)), lo.eye_like(reshape(a, (rows, -1))))
    return reshape(inverse, shape[ind:] + shape[:ind])
