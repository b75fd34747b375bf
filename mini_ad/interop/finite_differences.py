"""Finite differences: the referee beside JAX in every cross-check.

Everything works on *flat* functions: a list of input leaves in, a list of output leaves
out, all NumPy. Inputs are perturbed in float64 (float32 leaves are upcast, so the
reference is more accurate than the float32 computation it checks), one element (or one
direction) at a time, and the central difference is Richardson-extrapolated:

    D(h) = (f(x + h e_i) - f(x - h e_i)) / 2h                 (error O(h²))
    df/dx_i ≈ (4 D(h/2) - D(h)) / 3                            (error O(h⁴))

with an absolute step ``h = eps`` (1e-4): truncation ~1e-16 f⁽⁵⁾ and rounding
~1e-12 |f|, so a shift-invariant function at x = 1000 is as accurate as at x = 1.

A higher derivative is the finite difference of mini_ad's own lower derivative, as in
JAX's ``check_grads``: a mismatch at order k then points at the k-th rule.
"""

from __future__ import annotations

import numpy as np

from mini_ad import tree_util
from mini_ad.interop.transforms import nested_jvp, transform_order


def _upcast(x):
    if isinstance(x, float):
        return x
    x = np.asarray(x)
    return x.astype(np.float64) if x.dtype.kind == "f" else x


def _shifted(leaves, i, flat_index, h):
    out = list(leaves)
    if isinstance(out[i], float):
        out[i] = out[i] + h
    else:
        x = np.array(out[i], copy=True)
        x.flat[flat_index] += h
        out[i] = x
    return out


def _as_float(leaves) -> list[np.ndarray]:
    return [np.asarray(y, dtype=np.float64) for y in leaves]


def _richardson(evaluate, h) -> list[np.ndarray]:
    """``(4 D(h/2) - D(h)) / 3``, D the central difference of ``evaluate(step)``."""

    def central(step):
        hi, lo = _as_float(evaluate(step)), _as_float(evaluate(-step))
        return [(a - b) / (2 * step) for a, b in zip(hi, lo, strict=True)]

    coarse, fine = central(h), central(h / 2)
    return [(4 * f - c) / 3 for f, c in zip(fine, coarse, strict=True)]


def directional(fun, leaves, tangents, eps) -> list[np.ndarray]:
    """The derivative of ``fun`` at ``leaves`` along ``tangents`` (the jvp)."""
    leaves = [_upcast(x) for x in leaves]
    tangents = [np.asarray(v, dtype=np.float64) for v in tangents]

    def evaluate(step):
        moved = [x + step * v for x, v in zip(leaves, tangents, strict=True)]
        return fun(
            [float(m) if isinstance(x, float) else m for x, m in zip(leaves, moved, strict=True)]
        )

    return _richardson(evaluate, eps)


def jacobian(fun, leaves, eps) -> list[list[np.ndarray]]:
    """``J[o][i]`` of shape ``out_o.shape + in_i.shape``, one input element at a time."""
    leaves = [_upcast(x) for x in leaves]
    columns = []  # per input leaf: a list (one per element) of output-leaf lists
    for i, leaf in enumerate(leaves):
        cols = [
            _richardson(lambda step, i=i, k=k: fun(_shifted(leaves, i, k, step)), eps)
            for k in range(np.size(leaf))
        ]
        columns.append(cols)
    out_shapes = [np.shape(y) for y in _as_float(fun(leaves))]
    blocks = []
    for o, o_shape in enumerate(out_shapes):
        row = []
        for i, leaf in enumerate(leaves):
            in_shape = np.shape(leaf)
            if not columns[i]:
                row.append(np.zeros(o_shape + in_shape))
                continue
            stacked = np.stack([col[o] for col in columns[i]], axis=-1)  # out_shape + (n,)
            row.append(stacked.reshape(o_shape + in_shape))
        blocks.append(row)
    return blocks


def vjp_from_jacobian(blocks, cotangents) -> list[np.ndarray]:
    """``u^T J`` per input leaf, from Jacobian blocks and output cotangents ``u``."""
    n_in = len(blocks[0]) if blocks else 0
    result = []
    for i in range(n_in):
        total = 0.0
        for o, u in enumerate(cotangents):
            u = np.asarray(u, dtype=np.float64)
            total = total + np.tensordot(u, blocks[o][i], axes=u.ndim)
        result.append(np.asarray(total))
    return result


# --- references for each transform (flat leaves, in the order mini_ad's result flattens) ----------


class Program:
    """mini_ad's side of a check: f of the differentiated args, and its flat forms."""

    def __init__(self, f, dyn):
        self.f = f
        self.dyn = dyn
        self.leaves, self.in_tree = tree_util.tree_flatten(tuple(dyn))

    def flat(self, g):
        """``g`` (a function of the dyn args) as a function of flat input leaves."""
        return lambda leaves: tree_util.tree_leaves(
            g(*tree_util.tree_unflatten(self.in_tree, leaves))
        )

    def fd_reference(self, mini, transform, tangents, cotangent, eps, value):
        flat_v = tree_util.tree_leaves(tuple(tangents))
        flat_u = tree_util.tree_leaves(cotangent)
        if transform == "jvp":
            return tree_util.tree_leaves(value) + directional(
                self.flat(self.f), self.leaves, flat_v, eps
            )
        if transform in ("grad", "jacfwd", "jacrev"):
            return [b for row in jacobian(self.flat(self.f), self.leaves, eps) for b in row]
        if transform == "vjp":
            blocks = jacobian(self.flat(self.f), self.leaves, eps)
            return tree_util.tree_leaves(value) + vjp_from_jacobian(blocks, flat_u)
        if transform == "hessian":
            argnums = 0 if len(self.dyn) == 1 else tuple(range(len(self.dyn)))
            grad_f = mini.grad(self.f, argnums)
            return [b for row in jacobian(self.flat(grad_f), self.leaves, eps) for b in row]
        depth = transform_order(transform)
        lower = self.flat(nested_jvp(mini, self.f, tangents, depth - 1))
        if transform.endswith("_fwd"):
            return directional(lower, self.leaves, flat_v, eps)
        return vjp_from_jacobian(jacobian(lower, self.leaves, eps), flat_u)


__all__ = ["Program", "directional", "jacobian", "vjp_from_jacobian"]
