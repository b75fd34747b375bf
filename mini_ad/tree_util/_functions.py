"""Functions over whole pytrees: map, reduce, all, transpose, and treedef helpers.

>>> tree_map(lambda x: 2 * x, {"a": 1, "b": [2, None]})
{'a': 2, 'b': [4, None]}
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from mini_ad.tree_util._registry import (
    _LEAF,
    IsLeaf,
    PyTreeDef,
    _lookup_rule,
    tree_flatten,
    tree_leaves,
    tree_structure,
)


def tree_map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: IsLeaf = None) -> Any:
    """Apply ``f`` leafwise; trees in ``rest`` must match ``tree`` down to its leaves.

    Args:
      f: called with each leaf of ``tree`` and the corresponding parts of ``rest``.
      tree: the pytree whose structure the result has.
      *rest: more pytrees with ``tree``'s structure, down to its leaves (they may hold
        whole subtrees where ``tree`` has leaves).
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      A pytree of ``tree``'s structure holding ``f``'s results. Raises ValueError,
      naming both structures, when a tree in ``rest`` does not match.

    >>> tree_map(lambda x: x + 1, {"a": 1, "b": (2, None)})
    {'a': 2, 'b': (3, None)}
    >>> tree_map(lambda x, y: (x, y), [1, 2], [[3], {"k": 4}])
    [(1, [3]), (2, {'k': 4})]
    """
    leaves, treedef = tree_flatten(tree, is_leaf)
    columns = [leaves]
    for i, other in enumerate(rest, start=1):
        try:
            columns.append(treedef.flatten_up_to(other))
        except ValueError as err:
            raise ValueError(
                f"tree_map: tree {i} does not match the structure of tree 0.\n"
                f"  tree 0: {treedef}\n  tree {i}: {tree_structure(other, is_leaf)}\n"
                f"  first difference: {err}"
            ) from None
    return treedef.unflatten([f(*xs) for xs in zip(*columns, strict=True)])


def tree_all(tree: Any, *, is_leaf: IsLeaf = None) -> bool:
    """True if every leaf of ``tree`` is truthy.

    Args:
      tree: the pytree.
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      A bool (True for a tree without leaves).

    >>> tree_all([True, (1, None)]), tree_all({"a": 0})
    (True, False)
    """
    return all(tree_leaves(tree, is_leaf))


_NO_INITIALIZER = object()


def tree_reduce(
    function: Callable[[Any, Any], Any],
    tree: Any,
    initializer: Any = _NO_INITIALIZER,
    is_leaf: IsLeaf = None,
) -> Any:
    """Fold ``function`` over the leaves of ``tree``, like ``functools.reduce``.

    Args:
      function: ``(accumulated, leaf) -> accumulated``.
      tree: the pytree.
      initializer: optional start value (needed when ``tree`` has no leaves).
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      The folded value.

    >>> tree_reduce(lambda a, b: a + b, {"a": 1, "b": [2, 3]}), tree_reduce(max, [], 0)
    (6, 0)
    """
    leaves = tree_leaves(tree, is_leaf)
    if initializer is _NO_INITIALIZER:
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def all_leaves(iterable: Iterable[Any], is_leaf: IsLeaf = None) -> bool:
    """True if every element of ``iterable`` is a leaf (None is not: it is a node).

    Args:
      iterable: the candidate leaves.
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      A bool.

    >>> all_leaves([1, "a", 2.0]), all_leaves([1, None]), all_leaves([(1,)])
    (True, False, False)
    """
    items = list(iterable)
    if is_leaf is None:
        return all(_lookup_rule(type(x)) is None for x in items)
    leaves = tree_leaves(items, is_leaf)
    return len(leaves) == len(items) and all(a is b for a, b in zip(leaves, items, strict=True))


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    """True if ``treedef`` has a single node: a leaf, or (as in JAX) ``None``.

    Args:
      treedef: a :class:`PyTreeDef`.

    Returns:
      A bool.

    >>> treedef_is_leaf(tree_structure(1)), treedef_is_leaf(tree_structure([1]))
    (True, False)
    """
    return treedef.num_nodes == 1


def treedef_children(treedef: PyTreeDef) -> list[PyTreeDef]:
    """The treedefs of the root's children.

    Args:
      treedef: a :class:`PyTreeDef`.

    Returns:
      A list of :class:`PyTreeDef` (empty for a leaf or None).

    >>> treedef_children(tree_structure({"a": 1, "b": (2, 3)}))
    [PyTreeDef(*), PyTreeDef((*, *))]
    """
    return treedef.children()


def tree_transpose(
    outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None, pytree_to_transpose: Any
) -> Any:
    """Turn an outer-of-inner pytree into an inner-of-outer one (as jacobians need).

    Args:
      outer_treedef: the structure of the outer level.
      inner_treedef: the structure found at each outer leaf; None infers it from the
        first one.
      pytree_to_transpose: a pytree of structure ``outer_treedef`` whose leaves are
        pytrees of structure ``inner_treedef``.

    Returns:
      A pytree of structure ``inner_treedef`` whose leaves have structure
      ``outer_treedef``. Raises TypeError (as JAX) if the structures do not match.

    >>> outer, inner = tree_structure([0, 0]), tree_structure((0, 0))
    >>> tree_transpose(outer, inner, [(1, 2), (3, 4)])
    ([1, 3], [2, 4])
    >>> tree_transpose(outer, None, [(1, 2), (3, 4)])
    ([1, 3], [2, 4])
    """
    tree = pytree_to_transpose
    try:
        outer_leaves = outer_treedef.flatten_up_to(tree)
        if inner_treedef is None:
            inner_treedef = tree_structure(outer_leaves[0]) if outer_leaves else _LEAF
        rows = [inner_treedef.flatten_up_to(x) for x in outer_leaves]
    except ValueError as err:  # JAX raises TypeError here too
        raise TypeError(
            f"tree_transpose: expected {outer_treedef} with {inner_treedef} at each "
            f"leaf, got {tree_structure(tree)}: {err}"
        ) from None
    columns = [[row[j] for row in rows] for j in range(inner_treedef.num_leaves)]
    return inner_treedef.unflatten([outer_treedef.unflatten(c) for c in columns])
