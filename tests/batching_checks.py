"""Shared checkers for the vmap tests.

* ``check_batched_like_loop(fun, examples, batched, in_axes)``: ``vmap(fun)`` on the
  examples stacked along ``in_axes`` equals a Python loop of ``fun`` over them, in
  shape, dtype and value (exactly for integer and bool results).
* ``assert_trees_close(actual, expected)``: two pytrees of arrays agree leaf by leaf
  (structure, shape and value), e.g. mini_ad against JAX.
"""

from __future__ import annotations

import numpy as np

import mini_ad as ad
from mini_ad.tree_util import tree_flatten, tree_structure

RTOL = 1e-12
ATOL = 1e-12


def stack_examples(examples, axis: int) -> np.ndarray:
    """Examples (equal shapes) stacked along ``axis`` of the result (negative: from the end)."""
    stacked = np.stack([np.asarray(e) for e in examples])
    return np.moveaxis(stacked, 0, axis % stacked.ndim)


def assert_same_values(actual, expected, what: str) -> None:
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    assert actual.dtype == expected.dtype, f"{what}: dtype {actual.dtype} != {expected.dtype}"
    if expected.dtype.kind in "fc":
        np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=what)
    else:
        np.testing.assert_array_equal(actual, expected, err_msg=what)


def check_batched_like_loop(fun, examples, batched, in_axes, out_axis: int = 0) -> None:
    """``examples[b][i]`` is operand i of example b; operands not in ``batched`` are
    taken from example 0 and passed unmapped. ``in_axes[i]`` is where operand i's batch
    axis goes (ignored for unbatched operands)."""
    axis_size = len(examples)
    n = len(examples[0])
    operands, axes = [], []
    for i in range(n):
        if i in batched:
            operands.append(stack_examples([ex[i] for ex in examples], in_axes[i]))
            axes.append(in_axes[i])
        else:
            operands.append(examples[0][i])
            axes.append(None)
    expected = []
    for b in range(axis_size):
        expected.append(
            fun(*[operands[i] if i not in batched else examples[b][i] for i in range(n)])
        )
    expected_leaves, expected_tree = tree_flatten(expected[0])
    per_leaf = [[tree_flatten(e)[0][k] for e in expected] for k in range(len(expected_leaves))]
    actual = ad.vmap(fun, in_axes=tuple(axes), out_axes=out_axis)(*operands)
    actual_leaves, actual_tree = tree_flatten(actual)
    assert actual_tree == expected_tree, f"output structure {actual_tree} != {expected_tree}"
    for k, (got, rows) in enumerate(zip(actual_leaves, per_leaf, strict=True)):
        assert type(got) is ad.Array, f"output {k}: expected an ndarray, got {type(got)}"
        assert_same_values(got, stack_examples(rows, out_axis), f"output {k} (in_axes={axes})")


def assert_trees_close(actual, expected, rtol: float = 1e-10, atol: float = 1e-10) -> None:
    """Leafwise comparison of a mini_ad result with a reference (JAX or NumPy)."""
    actual_leaves = tree_flatten(actual)[0]
    expected_leaves, expected_tree = tree_flatten(expected)
    assert len(actual_leaves) == len(expected_leaves), (
        f"structure {tree_structure(actual)} != {expected_tree}"
    )
    for k, (a, e) in enumerate(zip(actual_leaves, expected_leaves, strict=True)):
        a, e = np.asarray(a), np.asarray(e)
        assert a.shape == e.shape, f"leaf {k}: shape {a.shape} != {e.shape}"
        np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=f"leaf {k}")
