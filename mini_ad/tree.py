"""Short names for the pytree functions, as ``jax.tree`` has them: ``mini_ad.tree.map``
is :func:`mini_ad.tree_util.tree_map`, and so on.

>>> import mini_ad as ad
>>> ad.tree.map(lambda x: x * 2, {"a": 1, "b": (2, None)})
{'a': 2, 'b': (4, None)}
>>> ad.tree.leaves([1, {"k": 2}])
[1, 2]

Several names shadow Python builtins (``map``, ``all``) inside this module only, as
in ``jax.tree``; use them qualified: ``ad.tree.map``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from mini_ad import tree_util
from mini_ad.tree_util import KeyPath, PyTreeDef
from mini_ad.tree_util._functions import _NO_INITIALIZER

IsLeaf = Callable[[Any], bool] | None

__all__ = [
    "all", "flatten", "flatten_with_path", "leaves", "leaves_with_path", "map",
    "map_with_path", "reduce", "structure", "transpose", "unflatten",
]  # fmt: skip


def map(f: Callable[..., Any], tree: Any, *rest: Any, is_leaf: IsLeaf = None) -> Any:  # noqa: A001
    """Apply ``f`` leafwise over ``tree`` and the matching subtrees of ``rest``.

    Args:
      f: called with one leaf of ``tree`` and the corresponding parts of ``rest``.
      tree: the pytree whose structure the result has.
      *rest: more pytrees with ``tree``'s structure down to its leaves.
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      A pytree of ``tree``'s structure holding ``f``'s results.

    >>> map(lambda x, y: x + y, [1, (2,)], [10, (20,)])
    [11, (22,)]
    """
    return tree_util.tree_map(f, tree, *rest, is_leaf=is_leaf)


def leaves(tree: Any, is_leaf: IsLeaf = None) -> list[Any]:
    """The leaves of ``tree`` in flattening order (dict keys sorted).

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      A list of leaves.

    >>> leaves({"b": 1, "a": [2, None]})
    [2, 1]
    """
    return tree_util.tree_leaves(tree, is_leaf)


def structure(tree: Any, is_leaf: IsLeaf = None) -> PyTreeDef:
    """The structure (treedef) of ``tree``.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      A :class:`~mini_ad.tree_util.PyTreeDef`.

    >>> structure((1, {"x": 2}))
    PyTreeDef((*, {'x': *}))
    """
    return tree_util.tree_structure(tree, is_leaf)


def flatten(tree: Any, is_leaf: IsLeaf = None) -> tuple[list[Any], PyTreeDef]:
    """Split ``tree`` into its leaves and its structure.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      ``(leaves, treedef)``.

    >>> flatten([1, (2, None)])
    ([1, 2], PyTreeDef([*, (*, None)]))
    """
    return tree_util.tree_flatten(tree, is_leaf)


def unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """Build a pytree of structure ``treedef`` from ``leaves``.

    Args:
      treedef: the structure.
      leaves: as many leaves as ``treedef.num_leaves``.

    Returns:
      The pytree.

    >>> unflatten(structure({"a": 0, "b": 0}), [1, 2])
    {'a': 1, 'b': 2}
    """
    return tree_util.tree_unflatten(treedef, leaves)


def reduce(
    function: Callable[[Any, Any], Any],
    tree: Any,
    initializer: Any = _NO_INITIALIZER,
    is_leaf: IsLeaf = None,
) -> Any:
    """Fold ``function`` over the leaves of ``tree``, like ``functools.reduce``.

    Args:
      function: ``(accumulated, leaf) -> accumulated``.
      tree: the pytree.
      initializer: optional start value (required when ``tree`` has no leaves).
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      The folded value.

    >>> reduce(lambda a, b: a + b, {"a": 1, "b": [2, 3]}, 10)
    16
    """
    return tree_util.tree_reduce(function, tree, initializer, is_leaf)


def all(tree: Any, *, is_leaf: IsLeaf = None) -> bool:  # noqa: A001
    """True if every leaf of ``tree`` is truthy.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.

    Returns:
      A bool.

    >>> all([True, (1, None)]), all({"a": 0})
    (True, False)
    """
    return tree_util.tree_all(tree, is_leaf=is_leaf)


def transpose(
    outer_treedef: PyTreeDef, inner_treedef: PyTreeDef | None, pytree_to_transpose: Any
) -> Any:
    """Turn an outer-of-inner pytree into an inner-of-outer one.

    Args:
      outer_treedef: the structure of the outer level.
      inner_treedef: the structure at each outer leaf (None: inferred).
      pytree_to_transpose: the pytree to transpose.

    Returns:
      The transposed pytree.

    >>> transpose(structure([0, 0]), structure((0, 0)), [(1, 2), (3, 4)])
    ([1, 3], [2, 4])
    """
    return tree_util.tree_transpose(outer_treedef, inner_treedef, pytree_to_transpose)


def map_with_path(
    f: Callable[..., Any],
    tree: Any,
    *rest: Any,
    is_leaf: Callable[..., bool] | None = None,
    is_leaf_takes_path: bool = False,
) -> Any:
    """Apply ``f(path, leaf, *others)`` leafwise (see ``tree_util.tree_map_with_path``).

    Args:
      f: called with each leaf's key path, the leaf and the parts of ``rest``.
      tree: the pytree whose structure the result has.
      *rest: more pytrees with ``tree``'s structure down to its leaves.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      A pytree of ``tree``'s structure holding ``f``'s results.

    >>> map_with_path(lambda p, x: tree_util.keystr(p), {"a": [0]})
    {'a': ["['a'][0]"]}
    """
    return tree_util.tree_map_with_path(
        f, tree, *rest, is_leaf=is_leaf, is_leaf_takes_path=is_leaf_takes_path
    )


def flatten_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> tuple[list[tuple[KeyPath, Any]], PyTreeDef]:
    """Flatten ``tree`` into ``(key path, leaf)`` pairs and its structure.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      ``([(path, leaf), ...], treedef)``.

    >>> flatten_with_path([5])
    ([((SequenceKey(idx=0),), 5)], PyTreeDef([*]))
    """
    return tree_util.tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)


def leaves_with_path(
    tree: Any, is_leaf: Callable[..., bool] | None = None, is_leaf_takes_path: bool = False
) -> list[tuple[KeyPath, Any]]:
    """The ``(key path, leaf)`` pairs of ``tree`` in flattening order.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      A list of ``(path, leaf)`` tuples.

    >>> leaves_with_path({"w": 1})
    [((DictKey(key='w'),), 1)]
    """
    return tree_util.tree_leaves_with_path(tree, is_leaf, is_leaf_takes_path)
