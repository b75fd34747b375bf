"""Key paths, and the public functions that register pytree node types.

Key paths: every leaf together with the path of keys that leads to it from the root.

A path is a tuple of key entries (``SequenceKey``, ``DictKey``, ``GetAttrKey``,
``FlattenedIndexKey``); :func:`keystr` writes it as indexing code. Node types name their
children through the registry's ``flatten_with_keys`` slot; the registration helpers
here (:func:`register_pytree_with_keys`, :func:`register_dataclass`, ...) fill it.

>>> [(keystr(path), leaf) for path, leaf in tree_leaves_with_path({"a": [1, (2,)]})]
[("['a'][0]", 1), ("['a'][1][0]", 2)]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mini_ad.tree_util._keys import (
    FlattenedIndexKey,
    GetAttrKey,
    KeyPath,
    keystr,  # noqa: F401 - the doctests use it
)
from mini_ad.tree_util._registry import (
    _LEAF,
    _MISSING,
    _NONE_DEF,
    _NONE_RULE,
    PyTreeDef,
    _add_rule,
    _lookup_rule,
    _rule_cache,
)

IsLeafWithPath = Callable[..., bool] | None


def _children_with_keys(rule, node):
    if rule.flatten_with_keys is None:
        children, aux = rule.flatten(node)
        return [(FlattenedIndexKey(i), child) for i, child in enumerate(children)], aux
    keyed, aux = rule.flatten_with_keys(node)
    return list(keyed), aux


def _flatten_with_path(tree, path, out, is_leaf, takes_path):
    """Append ``(path, leaf)`` pairs of ``tree`` to ``out``; return its treedef."""
    if is_leaf is not None and (is_leaf(path, tree) if takes_path else is_leaf(tree)):
        out.append((path, tree))
        return _LEAF
    rule = _rule_cache.get(type(tree), _MISSING)
    if rule is _MISSING:
        rule = _lookup_rule(type(tree))
    if rule is None:
        out.append((path, tree))
        return _LEAF
    if rule is _NONE_RULE:
        return _NONE_DEF
    keyed, aux = _children_with_keys(rule, tree)
    child_defs = [
        _flatten_with_path(child, (*path, key), out, is_leaf, takes_path) for key, child in keyed
    ]
    num_leaves = sum(d.num_leaves for d in child_defs)
    num_nodes = 1 + sum(d.num_nodes for d in child_defs)
    return PyTreeDef(rule, aux, tuple(child_defs), num_leaves, num_nodes)


def tree_flatten_with_path(
    tree: Any, is_leaf: IsLeafWithPath = None, is_leaf_takes_path: bool = False
) -> tuple[list[tuple[KeyPath, Any]], PyTreeDef]:
    """Like ``tree_flatten``, but each leaf comes with its key path.

    Args:
      tree: the pytree to flatten.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      ``([(path, leaf), ...], treedef)``, leaves in ``tree_flatten``'s order and the
      same treedef as ``tree_structure(tree, is_leaf)``.

    >>> pairs, treedef = tree_flatten_with_path({"w": (1, 2)})
    >>> pairs
    [((DictKey(key='w'), SequenceKey(idx=0)), 1), ((DictKey(key='w'), SequenceKey(idx=1)), 2)]
    >>> treedef
    PyTreeDef({'w': (*, *)})
    """
    out: list[tuple[KeyPath, Any]] = []
    treedef = _flatten_with_path(tree, (), out, is_leaf, is_leaf_takes_path)
    return out, treedef


def tree_leaves_with_path(
    tree: Any, is_leaf: IsLeafWithPath = None, is_leaf_takes_path: bool = False
) -> list[tuple[KeyPath, Any]]:
    """The ``(path, leaf)`` pairs of ``tree`` in flattening order.

    Args:
      tree: the pytree.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      A list of ``(key path, leaf)`` tuples.

    >>> [(keystr(p), x) for p, x in tree_leaves_with_path([1, {"k": 2}])]
    [('[0]', 1), ("[1]['k']", 2)]
    """
    return tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)[0]


def tree_map_with_path(
    f: Callable[..., Any],
    tree: Any,
    *rest: Any,
    is_leaf: IsLeafWithPath = None,
    is_leaf_takes_path: bool = False,
) -> Any:
    """Apply ``f(path, leaf, *others)`` leafwise; trees in ``rest`` match ``tree``.

    Args:
      f: called with the key path of each leaf of ``tree``, the leaf, and the
        corresponding subtrees of the trees in ``rest``.
      tree: the pytree whose structure the result has.
      *rest: more pytrees with ``tree``'s structure down to its leaves.
      is_leaf: optional predicate; True stops descent at that subtree.
      is_leaf_takes_path: call ``is_leaf(path, x)`` instead of ``is_leaf(x)``.

    Returns:
      A pytree of ``tree``'s structure holding the results of ``f``.

    >>> tree_map_with_path(lambda p, x: f"{keystr(p)}={x}", {"a": [1], "b": 2})
    {'a': ["['a'][0]=1"], 'b': "['b']=2"}
    """
    pairs, treedef = tree_flatten_with_path(tree, is_leaf, is_leaf_takes_path)
    columns = [treedef.flatten_up_to(other) for other in rest]
    results = [f(path, x, *(c[i] for c in columns)) for i, (path, x) in enumerate(pairs)]
    return treedef.unflatten(results)


def register_pytree_node(
    nodetype: type,
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]],
    unflatten_func: Callable[[Any, Sequence[Any]], Any],
    flatten_with_keys_func: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]] | None = None,
) -> None:
    """Make instances of ``nodetype`` (exactly, not subclasses) pytree nodes.

    Args:
      nodetype: the class to register.
      flatten_func: ``x -> (children, aux_data)``; aux_data is part of the treedef, so
        it should support ``==``.
      unflatten_func: ``(aux_data, children) -> x`` rebuilds the node.
      flatten_with_keys_func: optional ``x -> ([(key, child), ...], aux_data)`` naming
        the children in key paths; without it they are ``FlattenedIndexKey(i)``.

    Returns:
      None. Raises ValueError if ``nodetype`` is already registered.

    >>> from mini_ad.tree_util import tree_structure
    >>> class Pair:
    ...     def __init__(self, a, b, name):
    ...         self.a, self.b, self.name = a, b, name
    >>> register_pytree_node(
    ...     Pair, lambda p: ((p.a, p.b), p.name), lambda name, ab: Pair(*ab, name)
    ... )
    >>> tree_structure(Pair(1, 2, "p"))
    PyTreeDef(CustomNode(Pair[p], [*, *]))
    """
    _add_rule(nodetype, "custom", flatten_func, unflatten_func, flatten_with_keys_func)


def register_pytree_with_keys(
    nodetype: type,
    flatten_with_keys: Callable[[Any], tuple[Iterable[tuple[Any, Any]], Any]],
    unflatten_func: Callable[[Any, Sequence[Any]], Any],
    flatten_func: Callable[[Any], tuple[Iterable[Any], Any]] | None = None,
) -> None:
    """Register ``nodetype`` as a pytree node whose children have key names.

    Args:
      nodetype: the class to register.
      flatten_with_keys: ``x -> ([(key, child), ...], aux_data)``.
      unflatten_func: ``(aux_data, children) -> x``.
      flatten_func: optional faster ``x -> (children, aux_data)`` for plain flattening;
        derived from ``flatten_with_keys`` when omitted.

    Returns:
      None.

    >>> class Vec:
    ...     def __init__(self, x, y):
    ...         self.x, self.y = x, y
    >>> register_pytree_with_keys(
    ...     Vec,
    ...     lambda v: (((GetAttrKey("x"), v.x), (GetAttrKey("y"), v.y)), None),
    ...     lambda _, xy: Vec(*xy),
    ... )
    >>> [keystr(p) for p, _ in tree_leaves_with_path([Vec(1, 2)])]
    ['[0].x', '[0].y']
    """
    if flatten_func is None:

        def flatten_func(x):
            keyed, aux = flatten_with_keys(x)
            return [child for _, child in keyed], aux

    _add_rule(nodetype, "custom", flatten_func, unflatten_func, flatten_with_keys)


def register_pytree_node_class(cls: type) -> type:
    """Class decorator: register ``cls`` through its own ``tree_flatten`` method and
    ``tree_unflatten`` classmethod.

    Args:
      cls: a class with ``tree_flatten(self) -> (children, aux_data)`` and
        ``tree_unflatten(cls, aux_data, children)``.

    Returns:
      ``cls`` itself, so it works as a decorator.

    >>> from mini_ad.tree_util import tree_leaves
    >>> @register_pytree_node_class
    ... class Scaled:
    ...     def __init__(self, value, factor):
    ...         self.value, self.factor = value, factor
    ...     def tree_flatten(self):
    ...         return (self.value,), self.factor
    ...     @classmethod
    ...     def tree_unflatten(cls, aux_data, children):
    ...         return cls(*children, aux_data)
    >>> tree_leaves([Scaled(1.0, 3)])
    [1.0]
    """
    _add_rule(cls, "custom", cls.tree_flatten, cls.tree_unflatten)
    return cls


def register_pytree_with_keys_class(cls: type) -> type:
    """Class decorator: like :func:`register_pytree_node_class`, with key names taken
    from the class's ``tree_flatten_with_keys`` method.

    Args:
      cls: a class with ``tree_flatten_with_keys(self) -> ([(key, child), ...], aux)``
        and ``tree_unflatten(cls, aux_data, children)`` (``tree_flatten`` optional).

    Returns:
      ``cls`` itself.

    >>> @register_pytree_with_keys_class
    ... class Named:
    ...     def __init__(self, v):
    ...         self.v = v
    ...     def tree_flatten_with_keys(self):
    ...         return ((GetAttrKey("v"), self.v),), None
    ...     @classmethod
    ...     def tree_unflatten(cls, aux_data, children):
    ...         return cls(*children)
    >>> keystr(tree_leaves_with_path(Named(3))[0][0])
    '.v'
    """
    flatten_func = getattr(cls, "tree_flatten", None)
    register_pytree_with_keys(cls, cls.tree_flatten_with_keys, cls.tree_unflatten, flatten_func)
    return cls


def register_dataclass(
    nodetype: type,
    data_fields: Sequence[str] | None = None,
    meta_fields: Sequence[str] | None = None,
    drop_fields: Sequence[str] = (),
) -> type:
    """Register a dataclass as a pytree node; returns it, so it works as a decorator.

    Its children are named ``GetAttrKey(field)`` in key paths.

    Args:
      nodetype: the dataclass (or, with explicit fields, any class built by keyword).
      data_fields: fields that are children (leaves or subtrees).
      meta_fields: fields stored in the treedef's aux data (static; must support ``==``).
        Give both or neither: by default init fields with ``metadata={"static": True}``
        are meta and the rest are data.
      drop_fields: init fields that are neither, left to their defaults on rebuilding.

    Returns:
      ``nodetype`` itself.

    >>> from mini_ad.tree_util import tree_flatten
    >>> @register_dataclass
    ... @dataclasses.dataclass
    ... class Params:
    ...     w: float
    ...     b: float
    ...     name: str = dataclasses.field(default="p", metadata={"static": True})
    >>> tree_flatten(Params(1.0, 2.0))
    ([1.0, 2.0], PyTreeDef(CustomNode(Params[('p',)], [*, *])))
    >>> keystr(tree_leaves_with_path(Params(1.0, 2.0))[1][0])
    '.b'
    """
    if (data_fields is None) != (meta_fields is None):
        raise TypeError("register_dataclass: give both data_fields and meta_fields.")
    if dataclasses.is_dataclass(nodetype):
        init_fields = [f for f in dataclasses.fields(nodetype) if f.init]
        init_fields = [f for f in init_fields if f.name not in drop_fields]
        if data_fields is None:
            meta_fields = [f.name for f in init_fields if f.metadata.get("static")]
            data_fields = [f.name for f in init_fields if not f.metadata.get("static")]
        if sorted([*data_fields, *meta_fields]) != sorted(f.name for f in init_fields):
            raise ValueError(
                f"register_dataclass: data_fields {data_fields} and meta_fields "
                f"{meta_fields} must together be the init fields of {nodetype.__name__}."
            )
    elif data_fields is None:
        raise TypeError(f"register_dataclass: {nodetype!r} is not a dataclass.")
    data_fields, meta_fields = tuple(data_fields), tuple(meta_fields)
    data_keys = tuple(GetAttrKey(name) for name in data_fields)

    def flatten(x):
        aux = tuple(getattr(x, name) for name in meta_fields)
        return [getattr(x, name) for name in data_fields], aux

    def flatten_with_keys(x):
        children, aux = flatten(x)
        return list(zip(data_keys, children, strict=True)), aux

    def unflatten(aux, children):
        return nodetype(
            **dict(zip(meta_fields, aux, strict=True)),
            **dict(zip(data_fields, children, strict=True)),
        )

    _add_rule(nodetype, "custom", flatten, unflatten, flatten_with_keys)
    return nodetype
