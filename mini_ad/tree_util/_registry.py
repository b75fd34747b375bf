"""The pytree node registry, :class:`PyTreeDef`, and flatten / unflatten.

Each node type has one rule: how to split a node into children and aux data, how to
rebuild it, and how to name its children in key paths (see ``_keys``). The built-in
node types are registered at the bottom of this file; the public registration
functions are in ``_paths``.

>>> leaves, treedef = tree_flatten({"b": [1, None], "a": (2, 3)})
>>> leaves, treedef
([2, 3, 1], PyTreeDef({'a': (*, *), 'b': [*, None]}))
"""

from __future__ import annotations

import collections
import reprlib
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from mini_ad.tree_util._keys import DictKey, GetAttrKey, SequenceKey

IsLeaf = Callable[[Any], bool] | None


class _NodeRule(NamedTuple):
    """How to take one node type apart and put it back together."""

    node_type: type
    kind: str  # "tuple", "list", "dict", "none", "namedtuple" or "custom"
    flatten: Callable  # node -> (children, aux_data)
    unflatten: Callable  # (aux_data, children) -> node
    # node -> ([(key, child), ...], aux_data); None: children are named FlattenedIndexKey(i)
    flatten_with_keys: Callable | None = None


_registry: dict[type, _NodeRule] = {}
# Exact type -> rule, or None for a leaf type. Filled lazily so that the
# namedtuple test runs once per type, not once per leaf.
_rule_cache: dict[type, _NodeRule | None] = {}
_MISSING = object()


def _lookup_rule(node_type: type) -> _NodeRule | None:
    rule = _registry.get(node_type)
    if rule is None and issubclass(node_type, tuple) and hasattr(node_type, "_fields"):
        rule = _NodeRule(
            node_type,
            "namedtuple",
            lambda t: (t, None),
            lambda _, ch: node_type(*ch),
            lambda t: ([(GetAttrKey(f), v) for f, v in zip(t._fields, t, strict=True)], None),
        )
    _rule_cache[node_type] = rule
    return rule


def _add_rule(node_type, kind, flatten, unflatten, flatten_with_keys=None):
    if node_type in _registry:
        raise ValueError(f"Duplicate pytree node registration for {node_type!r}.")
    _registry[node_type] = _NodeRule(node_type, kind, flatten, unflatten, flatten_with_keys)
    _rule_cache.pop(node_type, None)


class PyTreeDef:
    """The structure of a pytree: node types, aux data and shape, but no leaves.

    Two treedefs are equal when their node types, aux data and children are.

    >>> treedef = tree_structure({"a": 1, "b": [2, None]})
    >>> treedef.num_leaves, treedef.num_nodes
    (2, 5)
    >>> treedef == tree_structure({"b": [0, None], "a": 0})
    True
    """

    __slots__ = ("_aux", "_children", "_hash", "_rule", "num_leaves", "num_nodes")

    def __init__(self, rule, aux, children, num_leaves, num_nodes):
        self._rule = rule  # None for a leaf
        self._aux = aux
        self._children = children  # tuple of PyTreeDef
        self.num_leaves = num_leaves
        self.num_nodes = num_nodes
        self._hash = None

    def children(self) -> list[PyTreeDef]:
        """The treedefs of the root's children (empty for a leaf or None).

        >>> tree_structure((1, [2, 3])).children()
        [PyTreeDef(*), PyTreeDef([*, *])]
        """
        return list(self._children)

    def unflatten(self, leaves: Iterable[Any]) -> Any:
        """Build a pytree of this structure from ``leaves``.

        >>> tree_structure((0, [0])).unflatten(["a", "b"])
        ('a', ['b'])
        """
        leaves = leaves if isinstance(leaves, list) else list(leaves)
        if len(leaves) != self.num_leaves:
            raise ValueError(
                f"Wrong number of leaves for {self}: expected {self.num_leaves}, got {len(leaves)}."
            )
        if self._rule is None:
            return leaves[0]
        return _build(self, leaves, 0)[0]

    def flatten_up_to(self, tree: Any) -> list[Any]:
        """Flatten ``tree`` only down to this structure's leaves, keeping subtrees whole.

        Raises ValueError if ``tree`` does not have this structure down to there.

        >>> tree_structure((0, 0)).flatten_up_to(([1, 2], {"a": 3}))
        [[1, 2], {'a': 3}]
        """
        out: list[Any] = []
        _flatten_up_to(self, tree, out)
        return out

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, PyTreeDef):
            return NotImplemented
        if self._rule is None or other._rule is None:
            return self._rule is other._rule  # both leaves
        return (
            self.num_nodes == other.num_nodes
            and self.num_leaves == other.num_leaves
            and self._rule.node_type is other._rule.node_type
            and _aux_equal(self._aux, other._aux)
            and self._children == other._children
        )

    def __hash__(self) -> int:
        if self._hash is None:
            # Aux data of custom nodes need not be hashable; dict keys always are.
            rule = self._rule
            node_type = None if rule is None else rule.node_type
            aux = self._aux if rule is not None and rule.kind == "dict" else None
            self._hash = hash((node_type, aux, self._children))
        return self._hash

    def __repr__(self) -> str:
        return f"PyTreeDef({_node_str(self)})"


def _aux_equal(a, b) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # e.g. aux holding arrays: fall back to identity
        return a is b


_LEAF = PyTreeDef(None, None, (), 1, 1)
_NONE_RULE = _NodeRule(type(None), "none", lambda _: ((), None), lambda _a, _c: None)
_NONE_DEF = PyTreeDef(_NONE_RULE, None, (), 0, 1)


def _flatten(tree, leaves, is_leaf):
    """Append the leaves of ``tree`` to ``leaves``; return its treedef."""
    if is_leaf is not None and is_leaf(tree):
        leaves.append(tree)
        return _LEAF
    rule = _rule_cache.get(type(tree), _MISSING)
    if rule is _MISSING:
        rule = _lookup_rule(type(tree))
    if rule is None:
        leaves.append(tree)
        return _LEAF
    if rule is _NONE_RULE:
        return _NONE_DEF
    children, aux = rule.flatten(tree)
    child_defs = []
    num_leaves, num_nodes = 0, 1
    for child in children:
        if is_leaf is None:  # fast path: most children are leaves; no call needed
            child_rule = _rule_cache.get(type(child), _MISSING)
            if child_rule is _MISSING:
                child_rule = _lookup_rule(type(child))
            if child_rule is None:
                leaves.append(child)
                child_defs.append(_LEAF)
                num_leaves += 1
                num_nodes += 1
                continue
        child_def = _flatten(child, leaves, is_leaf)
        child_defs.append(child_def)
        num_leaves += child_def.num_leaves
        num_nodes += child_def.num_nodes
    return PyTreeDef(rule, aux, tuple(child_defs), num_leaves, num_nodes)


def _build(treedef, leaves, pos):
    """Rebuild node ``treedef`` from ``leaves[pos:]``; return (node, next position)."""
    arity = len(treedef._children)
    if treedef.num_leaves == arity and treedef.num_nodes == arity + 1:  # all leaves
        children = leaves[pos : pos + arity]
        pos += arity
    else:
        children = []
        for child_def in treedef._children:
            if child_def._rule is None:
                children.append(leaves[pos])
                pos += 1
            else:
                child, pos = _build(child_def, leaves, pos)
                children.append(child)
    return treedef._rule.unflatten(treedef._aux, children), pos


_reprlib = reprlib.Repr()
_reprlib.maxstring = _reprlib.maxother = 60


def _flatten_up_to(treedef, tree, out):
    rule = treedef._rule
    if rule is None:
        out.append(tree)
        return
    name = rule.node_type.__name__
    if type(tree) is not rule.node_type:
        raise ValueError(f"Expected {name}, got {type(tree).__name__}: {_reprlib.repr(tree)}.")
    children, aux = rule.flatten(tree)
    children = list(children)
    if not _aux_equal(aux, treedef._aux):
        what = "keys" if rule.kind == "dict" else "aux data"
        raise ValueError(f"Mismatched {name} {what}: {treedef._aux!r} != {aux!r}.")
    if len(children) != len(treedef._children):
        raise ValueError(
            f"{name} arity mismatch: expected {len(treedef._children)}, "
            f"got {len(children)}: {_reprlib.repr(tree)}."
        )
    for child, child_def in zip(children, treedef._children, strict=True):
        _flatten_up_to(child_def, child, out)


def _node_str(treedef) -> str:
    rule = treedef._rule
    if rule is None:
        return "*"
    parts = [_node_str(c) for c in treedef._children]
    joined = ", ".join(parts)
    if rule.kind == "none":
        return "None"
    if rule.kind == "tuple":
        return f"({joined},)" if len(parts) == 1 else f"({joined})"
    if rule.kind == "list":
        return f"[{joined}]"
    if rule.kind == "dict":
        return (
            "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(treedef._aux, parts, strict=True)) + "}"
        )
    if rule.kind == "namedtuple":  # as JAX prints it
        return f"CustomNode(namedtuple[{rule.node_type.__name__}], [{joined}])"
    return f"CustomNode({rule.node_type.__name__}[{treedef._aux}], [{joined}])"


def tree_flatten(tree: Any, is_leaf: IsLeaf = None) -> tuple[list[Any], PyTreeDef]:
    """Split ``tree`` into its leaves (dicts in sorted-key order) and its structure.

    Args:
      tree: the pytree.
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      ``(leaves, treedef)``: the leaves in flattening order and a :class:`PyTreeDef`.

    >>> tree_flatten([1, (2, None)])
    ([1, 2], PyTreeDef([*, (*, None)]))
    >>> tree_flatten([1, None], is_leaf=lambda x: x is None)
    ([1, None], PyTreeDef([*, *]))
    """
    leaves: list[Any] = []
    treedef = _flatten(tree, leaves, is_leaf)
    return leaves, treedef


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable[Any]) -> Any:
    """Build a pytree with structure ``treedef`` from ``leaves``.

    Args:
      treedef: the structure, e.g. from :func:`tree_flatten`.
      leaves: exactly ``treedef.num_leaves`` leaves, in flattening order.

    Returns:
      The pytree. Raises ValueError on a wrong number of leaves.

    >>> tree_unflatten(tree_structure({"a": 0, "b": 0}), [1, 2])
    {'a': 1, 'b': 2}
    """
    return treedef.unflatten(leaves)


def tree_leaves(tree: Any, is_leaf: IsLeaf = None) -> list[Any]:
    """The leaves of ``tree`` in flattening order.

    Args:
      tree: the pytree.
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      A list of leaves.

    >>> tree_leaves({"b": 1, "a": [2, None]})
    [2, 1]
    """
    leaves: list[Any] = []
    _flatten(tree, leaves, is_leaf)
    return leaves


def tree_structure(tree: Any, is_leaf: IsLeaf = None) -> PyTreeDef:
    """The structure of ``tree``.

    Args:
      tree: the pytree.
      is_leaf: optional predicate asked at every subtree; True stops descent there.

    Returns:
      A :class:`PyTreeDef`.

    >>> tree_structure((1, {"x": 2}))
    PyTreeDef((*, {'x': *}))
    """
    return _flatten(tree, [], is_leaf)


def _sorted_keys(d: dict) -> tuple:
    try:
        return tuple(sorted(d))
    except TypeError as err:  # JAX raises ValueError on unsortable keys too
        raise ValueError("Could not sort pytree dictionary keys.") from err


def _flatten_dict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], keys


def _flatten_defaultdict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], (d.default_factory, keys)


def _sequence_with_keys(xs):
    return [(SequenceKey(i), x) for i, x in enumerate(xs)], None


def _dict_with_keys(d):
    keys = _sorted_keys(d)
    return [(DictKey(k), d[k]) for k in keys], keys


def _ordered_dict_with_keys(d):
    return [(DictKey(k), v) for k, v in d.items()], tuple(d)


def _defaultdict_with_keys(d):
    keys = _sorted_keys(d)
    return [(DictKey(k), d[k]) for k in keys], (d.default_factory, keys)


_registry[type(None)] = _NONE_RULE
_add_rule(tuple, "tuple", lambda t: (t, None), lambda _, ch: tuple(ch), _sequence_with_keys)
_add_rule(list, "list", lambda xs: (xs, None), lambda _, ch: list(ch), _sequence_with_keys)
_add_rule(
    dict,
    "dict",
    _flatten_dict,
    lambda keys, ch: dict(zip(keys, ch, strict=True)),
    _dict_with_keys,
)
# OrderedDict keeps insertion order; defaultdict sorts its keys like dict (as JAX).
_add_rule(
    collections.OrderedDict,
    "custom",
    lambda d: (list(d.values()), tuple(d)),
    lambda keys, ch: collections.OrderedDict(zip(keys, ch, strict=True)),
    _ordered_dict_with_keys,
)
_add_rule(
    collections.defaultdict,
    "custom",
    _flatten_defaultdict,
    lambda aux, ch: collections.defaultdict(aux[0], zip(aux[1], ch, strict=True)),
    _defaultdict_with_keys,
)
