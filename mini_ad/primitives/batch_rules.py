"""Shared batching rules (``vmap``) for families of primitives.

A batch rule has the signature ``batch(axis_size, vals, dims, **params) -> (out,
out_dim)``: ``vals`` are the operands with an extra batch axis at ``dims[i]`` (``None``
for an unbatched operand, which has no such axis), and ``out_dim`` says where the
batch axis of the result is. Rules run with the enclosing trace current and are
written with primitives, so batched programs can be differentiated and staged.

This module sits below ``transforms/`` (primitives may not import transforms): the
``BatchTrace`` in ``transforms/batching.py`` only calls ``primitive.batch``.

The helpers:

* ``elementwise_batch(p)``: operands whose per-example shapes agree or are rank 0;
  batch axes are aligned and unbatched operands broadcast. An unbatched rank-0 operand
  stays rank 0, since binary primitives accept a rank-0 operand (``mul b 2.0:f64[]``).
* ``reduce_batch(p)``: primitives with an ``axes`` param; the axes are renumbered.
* ``move_axis`` / ``bdim_at_front`` / ``put_bdim``: move (or create by broadcasting)
  the batch axis of one operand.
"""

from __future__ import annotations

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.base import (  # noqa: F401 - re-exported for the families' rules
    broadcast_in_dim,
    move_axis,
    reduce_batch,
    shift_axes,
)


def put_bdim(x, bdim, axis_size: int, dst: int):
    """``x`` with its batch axis at ``dst``; an unbatched ``x`` is broadcast along it."""
    if bdim is not None:
        return move_axis(x, bdim, dst)
    shape = list(aval_of(x).shape)
    kept = [i for i in range(len(shape) + 1) if i != dst]
    shape.insert(dst, axis_size)
    return broadcast_in_dim(x, shape, kept)


def bdim_at_front(x, bdim, axis_size: int):
    """``x`` with its batch axis first (broadcast if unbatched)."""
    return put_bdim(x, bdim, axis_size, 0)


def example_shape(x, bdim) -> tuple:
    """The shape of one example of ``x`` (``x``'s shape without its batch axis)."""
    shape = aval_of(x).shape
    return shape if bdim is None else shape[:bdim] + shape[bdim + 1 :]


def align_operands(axis_size: int, vals, dims, keep_rank0):
    """Operands of an elementwise primitive with one common batch axis.

    Per example, operands have one shape S or are rank 0. The result puts the batch
    axis at ``target`` (the batch axis of the first batched rank-S operand, so the
    common case needs no transpose); every operand gets shape ``S`` with the batch
    axis inserted, except unbatched rank-0 operands at positions where
    ``keep_rank0(i)`` holds, which stay rank 0. Returns ``(operands, target)``.
    """
    shapes = [example_shape(v, d) for v, d in zip(vals, dims, strict=True)]
    rank = max(len(s) for s in shapes)
    shape = next(s for s in shapes if len(s) == rank)
    target = next(
        (d for d, s in zip(dims, shapes, strict=True) if d is not None and len(s) == rank),
        0,
    )
    full = shape[:target] + (axis_size,) + shape[target:]
    unbatched_dims = tuple(i for i in range(rank + 1) if i != target)
    out = []
    for i, (v, d, s) in enumerate(zip(vals, dims, shapes, strict=True)):
        if d is None and not s and keep_rank0(i):
            out.append(v)
        elif d is None:
            out.append(broadcast_in_dim(v, full, unbatched_dims if s else ()))
        elif len(s) < rank:  # a batch of scalars: shape (axis_size,)
            out.append(broadcast_in_dim(v, full, (target,)))
        else:
            out.append(move_axis(v, d, target))
    return out, target


def elementwise_batch(p, keep_rank0=lambda i: True):
    """The batch rule of an elementwise primitive ``p`` (any number of operands)."""

    def rule(axis_size, vals, dims, **params):
        operands, target = align_operands(axis_size, vals, dims, keep_rank0)
        return p.bind(*operands, **params), target

    return rule


def unbatched_rule(p):
    """For primitives without operands (``iota``): the result is never batched."""

    def rule(axis_size, vals, dims, **params):
        return p.bind(*vals, **params), None

    return rule
