"""Pytrees: nested containers whose leaves are the values a transform sees.

A pytree's nodes are tuples, lists, dicts, ``collections.OrderedDict``,
``collections.defaultdict``, namedtuples, ``None`` (a node with no children, so
it holds no leaves) and classes registered with :func:`register_pytree_node`,
:func:`register_pytree_with_keys`, :func:`register_pytree_node_class` or
:func:`register_dataclass`. Everything else -- arrays, scalars, objects -- is a
leaf. Transforms work on flat lists of leaves: :func:`tree_flatten` splits a
pytree into leaves (dicts in sorted-key order, as JAX) and a :class:`PyTreeDef`,
:func:`tree_unflatten` rejoins them. :func:`tree_flatten_with_path` also gives each
leaf's key path, which :func:`keystr` prints.

>>> leaves, treedef = tree_flatten({"b": [1, None], "a": (2, 3)})
>>> leaves, treedef
([2, 3, 1], PyTreeDef({'a': (*, *), 'b': [*, None]}))
>>> tree_unflatten(treedef, [x * 10 for x in leaves])
{'a': (20, 30), 'b': [10, None]}
>>> [keystr(path) for path, _ in tree_flatten_with_path({"b": [1, None], "a": (2, 3)})[0]]
["['a'][0]", "['a'][1]", "['b'][0]"]

The package is the bottom layer of mini_ad: it imports nothing from the rest of it.
Its parts: ``_keys`` (key-path entries), ``_registry`` (node rules, PyTreeDef,
flatten / unflatten, the built-in node types), ``_functions`` (map, reduce,
transpose, ...), ``_paths`` (the key-path API and the public registration functions).
"""

from mini_ad.tree_util._functions import (
    all_leaves,
    tree_all,
    tree_map,
    tree_reduce,
    tree_transpose,
    treedef_children,
    treedef_is_leaf,
)
from mini_ad.tree_util._keys import (
    DictKey,
    FlattenedIndexKey,
    GetAttrKey,
    KeyEntry,
    KeyPath,
    SequenceKey,
    keystr,
)
from mini_ad.tree_util._paths import (
    register_dataclass,
    register_pytree_node,
    register_pytree_node_class,
    register_pytree_with_keys,
    register_pytree_with_keys_class,
    tree_flatten_with_path,
    tree_leaves_with_path,
    tree_map_with_path,
)
from mini_ad.tree_util._registry import (
    PyTreeDef,
    tree_flatten,
    tree_leaves,
    tree_structure,
    tree_unflatten,
)

__all__ = [
    "DictKey", "FlattenedIndexKey", "GetAttrKey", "KeyEntry", "KeyPath", "PyTreeDef",
    "SequenceKey", "all_leaves", "keystr", "register_dataclass", "register_pytree_node",
    "register_pytree_node_class", "register_pytree_with_keys", "register_pytree_with_keys_class",
    "tree_all", "tree_flatten", "tree_flatten_with_path", "tree_leaves", "tree_leaves_with_path",
    "tree_map", "tree_map_with_path", "tree_reduce", "tree_structure", "tree_transpose",
    "tree_unflatten", "treedef_children", "treedef_is_leaf",
]  # fmt: skip
