"""``einsum`` of ``mini_ad.numpy``: any number of operands, ellipses, repeated indices
(diagonals), implicit outputs, size-1 broadcasting and NumPy's interleaved form.

The program is a chain of pairwise ``dot_general``s in the order ``np.einsum_path``
picks from the shapes alone (``optimize``), after each operand's diagonals are taken
(``diagonal``) and its private indices summed out, so it is differentiable, batchable
and jit-able like any composition.
"""

from __future__ import annotations

import string

import numpy as np

from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.numpy._core import _operand, as_result, astype, broadcast_to, promote_dtypes
from mini_ad.numpy._extra import diagonal
from mini_ad.numpy._reductions import sum as sum_
from mini_ad.numpy._shape import reshape, transpose
from mini_ad.primitives.linalg import dot_general

_LETTERS = string.ascii_letters


def _interleaved(args):
    """``einsum(a, [0, 1], b, [1, 2], [0, 2])`` as a subscripts string and operands."""
    operands, specs = list(args[0::2]), list(args[1::2])
    output = None
    if len(operands) > len(specs):
        operands, output = operands[:-1], operands[-1]
    if len(specs) > len(operands):
        specs, output = specs[:-1], specs[-1]

    def letters(spec):
        return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in spec)

    subscripts = ",".join(letters(s) for s in specs)
    if output is not None:
        subscripts += "->" + letters(output)
    return subscripts, operands


def _parse(subscripts, shapes):
    """Per-operand index strings with ``...`` expanded, and the output string."""
    subscripts = subscripts.replace(" ", "")
    inputs, arrow, output = subscripts.partition("->")
    specs = inputs.split(",")
    if len(specs) != len(shapes):
        raise ValueError(
            f"einsum: {len(specs)} operand subscripts for {len(shapes)} operands ({subscripts!r})"
        )
    used = set(subscripts) - set(".,->")
    free = [c for c in _LETTERS if c not in used]
    n_ellipsis = 0
    for spec, shape in zip(specs, shapes, strict=True):
        if "..." in spec:
            n_ellipsis = max(n_ellipsis, len(shape) - (len(spec) - 3))
    ellipsis = "".join(free[:n_ellipsis])
    expanded = []
    for spec, shape in zip(specs, shapes, strict=True):
        if "..." in spec:
            k = len(shape) - (len(spec) - 3)
            spec = spec.replace("...", ellipsis[n_ellipsis - k :] if k else "")
        if len(spec) != len(shape):
            raise ValueError(
                f"einsum: subscripts {spec!r} do not match an operand of shape {shape}"
            )
        expanded.append(spec)
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        letters = "".join(expanded)
        singles = sorted((c for c in set(letters) if letters.count(c) == 1 and c not in ellipsis),
                         key=_LETTERS.index)  # fmt: skip
        output = ellipsis + "".join(singles)
    return expanded, output


def _take_diagonals(x, spec):
    """Repeated indices within one operand: keep their diagonal once (at the end)."""
    while len(set(spec)) != len(spec):
        c = next(c for c in spec if spec.count(c) > 1)
        i = spec.index(c)
        j = spec.index(c, i + 1)
        x = diagonal(x, 0, i, j)
        spec = "".join(s for k, s in enumerate(spec) if k not in (i, j)) + c
    return x, spec


def _drop_broadcast_ones(x, spec, sizes):
    """Size-1 axes whose index is longer elsewhere broadcast: drop them."""
    shape = aval_of(x).shape
    ones = [k for k, c in enumerate(spec) if shape[k] == 1 and sizes[c] != 1]
    if not ones:
        return x, spec
    keep = [k for k in range(len(spec)) if k not in ones]
    x = reshape(x, tuple(shape[k] for k in keep))
    return x, "".join(spec[k] for k in keep)


def _sum_unneeded(x, spec, needed):
    axes = tuple(k for k, c in enumerate(spec) if c not in needed)
    if not axes:
        return x, spec
    return sum_(x, axis=axes), "".join(c for c in spec if c in needed)


def _contract(a, sa, b, sb, needed):
    """One ``dot_general`` of two operands, keeping the indices in ``needed``."""
    a, sa = _sum_unneeded(a, sa, needed + sb)
    b, sb = _sum_unneeded(b, sb, needed + sa)
    batch = [c for c in sa if c in sb and c in needed]
    contract = [c for c in sa if c in sb and c not in needed]
    dims = (
        (tuple(sa.index(c) for c in contract), tuple(sb.index(c) for c in contract)),
        (tuple(sa.index(c) for c in batch), tuple(sb.index(c) for c in batch)),
    )
    out = dot_general(a, b, dims)
    spec = (
        "".join(batch)
        + "".join(c for c in sa if c not in sb)
        + "".join(c for c in sb if c not in sa)
    )
    return out, spec


def _path(specs, shapes, output, optimize):
    """Pairs of operand positions to contract, in order (NumPy's path from shapes)."""
    n = len(specs)
    if n < 3 or optimize is False or optimize is None:
        return [(0, 1)] * (n - 1)
    dummies = [np.broadcast_to(np.zeros((), np.float64), s) for s in shapes]
    kind = "greedy" if optimize is True else optimize
    if not isinstance(kind, (str, list)):
        kind = "greedy"
    path, _ = np.einsum_path(",".join(specs) + "->" + output, *dummies, optimize=kind)
    return [tuple(step) for step in path[1:]]


def einsum(subscripts, *operands, out=None, optimize="optimal", precision=None,
           preferred_element_type=None):  # fmt: skip
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``; any number of
    operands, ``...``, repeated indices (``"ii->i"`` is the diagonal) and implicit
    outputs, as ``np.einsum``.

    Args:
      subscripts: the index spec (e.g. ``"ij,jk->ik"``), or the first operand of
        the interleaved form.
      operands: the arrays (and, interleaved, their index lists).
      out: unsupported (must be None).
      optimize: the contraction-order strategy (``"optimal"``, ``"greedy"``, True, False).
      precision, preferred_element_type: accepted for NumPy compatibility (ignored).

    Returns:
      The contracted array.

    Examples:
      >>> einsum("ij,j->i", np.ones((2, 3)), np.ones(3))
      array([3., 3.])
      >>> einsum("ii", np.arange(4.0).reshape(2, 2))
      array(3.)
      >>> einsum("...i,i...->...", np.ones((2, 3)), np.ones((3, 2)))
      array([3., 3.])
    """
    if out is not None:
        raise NotImplementedError("mini_ad.numpy.einsum does not support out=")
    if not isinstance(subscripts, str):
        subscripts, operands = _interleaved((subscripts, *operands))
    operands = promote_dtypes(*[_operand(x) for x in operands])
    shapes = [aval_of(x).shape for x in operands]
    specs, output = _parse(subscripts, shapes)
    sizes: dict[str, int] = {}
    for spec, shape in zip(specs, shapes, strict=True):
        for c, n in zip(spec, shape, strict=True):
            if sizes.get(c, 1) not in (1, n) and n != 1:
                raise ValueError(f"einsum: index {c!r} has sizes {sizes[c]} and {n}")
            sizes[c] = max(sizes.get(c, 1), n)
    terms = []
    for x, spec in zip(operands, specs, strict=True):
        x, spec = _take_diagonals(x, spec)
        x, spec = _drop_broadcast_ones(x, spec, sizes)
        terms.append((x, spec))
    path = _path([s for _, s in terms], [aval_of(x).shape for x, _ in terms], output, optimize)
    for i, j in path:
        i, j = sorted((i, j))
        (a, sa), (b, sb) = terms[i], terms[j]
        rest = [t for k, t in enumerate(terms) if k not in (i, j)]
        needed = output + "".join(s for _, s in rest)
        terms = rest + [_contract(a, sa, b, sb, needed)]
    ((x, spec),) = terms
    x, spec = _sum_unneeded(x, spec, output)
    missing = [c for c in output if c not in spec]
    if missing:
        raise ValueError(f"einsum: output indices {missing} appear in no operand")
    perm = tuple(spec.index(c) for c in output)
    x = transpose(x, perm) if perm != tuple(range(len(perm))) else x
    out_shape = tuple(sizes[c] for c in output)
    if aval_of(x).shape != out_shape:
        x = broadcast_to(x, out_shape)
    if preferred_element_type is not None:
        x = astype(x, preferred_element_type)
    return as_result(x)


def einsum_path(subscripts, *operands, optimize="greedy"):
    """The contraction order ``einsum`` would use, as ``np.einsum_path`` gives it
    (computed from the shapes only).

    Args:
      subscripts: the index spec, as for ``einsum``.
      operands: the arrays (only their shapes are used).
      optimize: the strategy (``"greedy"``, ``"optimal"``, ...).

    Returns:
      The path list and its printed report, as NumPy gives them.

    Examples:
      >>> einsum_path("ij,jk,kl->il", np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 5)))[0]
      ['einsum_path', (1, 2), (0, 1)]
    """
    dummies = [np.broadcast_to(np.zeros((), np.float64), aval_of(_operand(x)).shape)
               for x in operands]  # fmt: skip
    return np.einsum_path(subscripts, *dummies, optimize=optimize)
