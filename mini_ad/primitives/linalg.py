"""``dot_general``: contractions with batch dimensions (JAX's one matmul primitive).

``dimension_numbers = ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``. The
output's dims are the batch dims, then lhs's free dims, then rhs's free dims.
It is bilinear: its jvp is ``dot(dx, y) + dot(x, dy)`` and its transpose with
respect to either operand is another ``dot_general`` followed by a ``transpose``.
"""

from __future__ import annotations

import numpy as np

from mini_ad.core.ad_util import is_undefined
from mini_ad.core.avals import ShapedArray
from mini_ad.core.primitive import Primitive
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.errors import ShapeError
from mini_ad.primitives.base import transpose
from mini_ad.primitives.batch_rules import shift_axes
from mini_ad.primitives.helpers import as_array, defjvp

dot_general_p = Primitive("dot_general")
dot_general_p.lowering = lambda lx, x, y, *, dimension_numbers, precision, preferred_element_type: (
    lx.lax.dot_general(
        x, y, dimension_numbers, precision=lx.lax.Precision.HIGHEST,
        preferred_element_type=preferred_element_type,
    )
)  # fmt: skip


def dot_general(x, y, dimension_numbers, preferred_element_type=None):
    """General tensor contraction, as ``jax.lax.dot_general``.

    ``dimension_numbers = ((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``: the
    contracting dims are summed over in pairs, the batch dims paired elementwise. The
    result's dims are the batch dims, then ``x``'s free dims, then ``y``'s. Every
    ``mini_ad.numpy`` product (``dot``, ``matmul``, ``einsum``, ...) lowers to it.

    Args:
      x: an array or tracer.
      y: an array or tracer of ``x``'s dtype.
      dimension_numbers: ``((lhs_contract, rhs_contract), (lhs_batch, rhs_batch))``, each
        a tuple of dims.
      preferred_element_type: the dtype of the result; None keeps ``x``'s.

    Returns:
      The contracted array.

    Raises:
      TypeError: paired dims differ in size (when traced).

    Examples:
      >>> import numpy as np
      >>> from mini_ad import lax
      >>> x, y = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])
      >>> print(lax.dot_general(x, y, (((1,), (0,)), ((), ()))))  # x @ y
      [[1. 4.]
       [3. 8.]]
      >>> print(lax.dot_general(x, y, (((1,), (1,)), ((0,), (0,)))))  # row-wise dots
      [1. 8.]
    """
    (lc, rc), (lb, rb) = dimension_numbers
    dims = ((tuple(map(int, lc)), tuple(map(int, rc))), (tuple(map(int, lb)), tuple(map(int, rb))))
    if preferred_element_type is None:
        preferred_element_type = aval_of(x).dtype
    return dot_general_p.bind(
        x, y, dimension_numbers=dims, precision=None,
        preferred_element_type=np.dtype(preferred_element_type),
    )  # fmt: skip


def _free(ndim, contract, batch):
    return tuple(i for i in range(ndim) if i not in contract and i not in batch)


def _dot_general_impl(x, y, *, dimension_numbers, precision, preferred_element_type):
    # Lay both operands out as (batch, free, contract) / (batch, contract, free) and let
    # np.matmul (BLAS) do the work; transposes and reshapes are views or one copy.
    (lc, rc), (lb, rb) = dimension_numbers
    x, y = np.asarray(x), np.asarray(y)
    # accumulate in a wider preferred type, as XLA (int8 products would wrap in int8)
    x, y = (v.astype(preferred_element_type) if v.dtype != preferred_element_type
            and np.can_cast(v.dtype, preferred_element_type) else v for v in (x, y))  # fmt: skip
    x_free = _free(x.ndim, lc, lb)
    y_free = _free(y.ndim, rc, rb)
    if not lb and x.ndim <= 2 and y.ndim <= 2 and lc == (x.ndim - 1,) and rc == (0,):
        out = np.dot(x, y)  # matmul / matvec / dot as written
    elif not lb and x.ndim == 2 and y.ndim == 2 and len(lc) == 1:
        # A transposed operand (the cotangents of a matmul): BLAS reads the .T view as is.
        out = np.dot(x if lc == (1,) else x.T, y if rc == (0,) else y.T)
    else:
        batch_shape = tuple(x.shape[i] for i in lb)
        x_free_shape = tuple(x.shape[i] for i in x_free)
        y_free_shape = tuple(y.shape[j] for j in y_free)
        k = int(np.prod([x.shape[i] for i in lc], dtype=np.int64))
        nb = int(np.prod(batch_shape, dtype=np.int64))
        m = int(np.prod(x_free_shape, dtype=np.int64))
        n = int(np.prod(y_free_shape, dtype=np.int64))
        x3 = np.transpose(x, lb + x_free + lc).reshape(nb, m, k)
        y3 = np.transpose(y, rb + rc + y_free).reshape(nb, k, n)
        out = np.matmul(x3, y3).reshape(batch_shape + x_free_shape + y_free_shape)
    if out.dtype != preferred_element_type:
        out = out.astype(preferred_element_type)
    return as_array(out)


def _dot_general_abstract_eval(x, y, *, dimension_numbers, precision, preferred_element_type):
    (lc, rc), (lb, rb) = dimension_numbers
    ok = (
        len(lc) == len(rc) and len(lb) == len(rb)
        and all(x.shape[i] == y.shape[j] for i, j in zip(lc, rc, strict=True))
        and all(x.shape[i] == y.shape[j] for i, j in zip(lb, rb, strict=True))
    )  # fmt: skip
    if not ok:
        raise ShapeError(
            f"dot_general got incompatible shapes {x.shape} and {y.shape} for "
            f"dimension_numbers={dimension_numbers}."
        )
    if x.dtype != y.dtype:
        raise TypeError(f"dot_general needs equal dtypes, got {x.dtype.name} and {y.dtype.name}.")
    shape = (
        tuple(x.shape[i] for i in lb)
        + tuple(x.shape[i] for i in _free(x.ndim, lc, lb))
        + tuple(y.shape[j] for j in _free(y.ndim, rc, rb))
    )
    return ShapedArray(shape, preferred_element_type, x.weak_type and y.weak_type)


def _transpose_operand(ct, other, nb, ct_other_free, other_dims, my_dims, dtype):
    """Cotangent of one operand: contract ct with the other operand over the other's
    free dims (batch dims stay batched), then permute into the operand's layout.

    ``other_dims``/``my_dims`` are ``(batch, free, contract)`` axis tuples.
    """
    other_batch, other_free, other_contract = other_dims
    my_batch, my_free, my_contract = my_dims
    out = dot_general(
        ct, other, ((ct_other_free, other_free), (tuple(range(nb)), other_batch)), dtype
    )
    # out's dims: batch, my free dims, then the other's contracted dims in increasing order
    positions = list(my_batch) + list(my_free)
    positions += [my_contract[other_contract.index(j)] for j in sorted(other_contract)]
    perm = tuple(int(i) for i in np.argsort(positions))
    return transpose(out, perm) if perm != tuple(range(len(perm))) else out


def _dot_general_transpose(ct, x, y, *, dimension_numbers, precision, preferred_element_type):
    (lc, rc), (lb, rb) = dimension_numbers
    x_undefined = is_undefined(x)
    x_aval = x.aval if x_undefined else aval_of(x)
    y_aval = aval_of(y) if x_undefined else y.aval
    x_free = _free(x_aval.ndim, lc, lb)
    y_free = _free(y_aval.ndim, rc, rb)
    nb = len(lb)
    x_dims = (lb, x_free, lc)
    y_dims = (rb, y_free, rc)
    if x_undefined:
        ct_y_free = tuple(range(nb + len(x_free), nb + len(x_free) + len(y_free)))
        return [_transpose_operand(ct, y, nb, ct_y_free, y_dims, x_dims, x_aval.dtype), None]
    ct_x_free = tuple(range(nb, nb + len(x_free)))
    return [None, _transpose_operand(ct, x, nb, ct_x_free, x_dims, y_dims, y_aval.dtype)]


dot_general_p.impl = _dot_general_impl
dot_general_p.abstract_eval = _dot_general_abstract_eval
dot_general_p.transpose = _dot_general_transpose
dot_general_p.print_params = lambda params: {
    "dimension_numbers": _pp_dimension_numbers(params["dimension_numbers"]),
    "preferred_element_type": params["preferred_element_type"],
}


def _pp_dimension_numbers(dimension_numbers):
    (lc, rc), (lb, rb) = dimension_numbers
    return f"(({list(lc)}, {list(rc)}), ({list(lb)}, {list(rb)}))"


def _dot_general_batch(axis_size, vals, dims, **params):
    # Both batched: the batch axis becomes a new leading batch dimension. One batched:
    # it is a free dimension of that operand, which keeps its place among the free dims.
    (x, y), (x_dim, y_dim) = vals, dims
    (lc, rc), (lb, rb) = params["dimension_numbers"]
    lc, lb = shift_axes(lc, x_dim), shift_axes(lb, x_dim)
    rc, rb = shift_axes(rc, y_dim), shift_axes(rb, y_dim)
    if x_dim is not None and y_dim is not None:
        numbers, out_dim = ((lc, rc), ((x_dim,) + lb, (y_dim,) + rb)), 0
    elif x_dim is not None:
        numbers = ((lc, rc), (lb, rb))
        out_dim = len(lb) + _free(aval_of(x).ndim, lc, lb).index(x_dim)
    else:
        numbers = ((lc, rc), (lb, rb))
        n_x_free = len(_free(aval_of(x).ndim, lc, lb))
        out_dim = len(lb) + n_x_free + _free(aval_of(y).ndim, rc, rb).index(y_dim)
    return dot_general_p.bind(x, y, **{**params, "dimension_numbers": numbers}), out_dim


dot_general_p.batch = _dot_general_batch

# d (x·y) = dx·y + x·dy
defjvp(
    dot_general_p,
    lambda t, ans, x, y, **params: dot_general_p.bind(t, y, **params),
    lambda t, ans, x, y, **params: dot_general_p.bind(x, t, **params),
)
