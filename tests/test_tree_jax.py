"""mini_ad.tree and mini_ad.tree_util side by side with jax.tree and jax.tree_util.

Every custom node class below is registered with both libraries the same way, so each
row of TREES is a pytree for both; every check runs the same call through both and
compares the results (key paths through each library's ``keystr`` and key reprs).
"""

import dataclasses
from collections import OrderedDict, defaultdict, namedtuple

import numpy as np
import pytest

import mini_ad
from mini_ad import tree_util as mtu

jax = pytest.importorskip("jax")
jtu = jax.tree_util
mtree = mini_ad.tree

Point = namedtuple("Point", ["x", "y"])


class Box:
    """Registered with register_pytree_node: children get FlattenedIndexKey names."""

    def __init__(self, items, label):
        self.items, self.label = tuple(items), label

    def __eq__(self, other):
        return type(other) is Box and (self.items, self.label) == (other.items, other.label)


for lib in (jtu, mtu):
    lib.register_pytree_node(Box, lambda b: (b.items, b.label), lambda aux, ch: Box(ch, aux))


class Vec:
    """Registered with register_pytree_with_keys: children named .x and .y."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return type(other) is Vec and (self.x, self.y) == (other.x, other.y)


for lib in (jtu, mtu):
    lib.register_pytree_with_keys(
        Vec,
        lambda v, lib=lib: (((lib.GetAttrKey("x"), v.x), (lib.GetAttrKey("y"), v.y)), None),
        lambda _, ch: Vec(*ch),
    )


@mtu.register_pytree_node_class
@jtu.register_pytree_node_class
class Scaled:
    """Registered with register_pytree_node_class."""

    def __init__(self, value, factor):
        self.value, self.factor = value, factor

    def __eq__(self, other):
        return type(other) is Scaled and (self.value, self.factor) == (other.value, other.factor)

    def tree_flatten(self):
        return (self.value,), self.factor

    @classmethod
    def tree_unflatten(cls, aux_data, children):
        return cls(*children, aux_data)


@dataclasses.dataclass
class Layer:
    w: object
    b: object
    name: str = "L"


for lib in (jtu, mtu):
    lib.register_dataclass(Layer, data_fields=["w", "b"], meta_fields=["name"])


@mtu.register_dataclass
@jtu.register_dataclass
@dataclasses.dataclass
class Config:
    lr: object
    depth: int = dataclasses.field(default=2, metadata={"static": True})


def _defaultdict():
    d = defaultdict(list)
    d["z"], d["a"] = 1, (2, 3)
    return d


TREES = [
    ("leaf", 1.5),
    ("none", None),
    ("empty", [(), {}, []]),
    ("tuple", (1, 2, 3)),
    ("tuple-of-none", (None,)),
    ("empty-dict", {}),
    ("nones-everywhere", [None, 1, (None, 2), {"k": None}]),
    ("list-with-none", [None, 1, [None, 2]]),
    ("dict", {"b": 1, "a": 2, "c": {"z": 3, "y": [4, None]}}),
    ("int-keys", {2: "two", 1: "one", 10: ("ten",)}),
    ("namedtuple", Point(x={"q": 1, "p": 2}, y=[3, Point(4, None)])),
    ("ordereddict", OrderedDict([("z", 1), ("a", {"y": 2, "x": 3})])),
    ("defaultdict", {"d": _defaultdict()}),
    ("box", [Box([1, (2, 3)], "lbl"), Box([], 0)]),
    ("vec", {"v": Vec(1, [2, 3])}),
    ("class", (Scaled(1.0, 3), Scaled([2.0, None], 4))),
    ("dataclass", [Layer(1.0, {"k": 2.0}), Layer(3, 4, name="M")]),
    ("dataclass-static", {"c": Config(0.1), "d": Config([0.2], depth=5)}),
    (
        "mixed",
        {
            "params": [Layer(np.ones(2), np.zeros(1)), Layer(Vec(1, 2), Box([3], "k"))],
            "opt": (Point(1, None), OrderedDict(b=2, a=3)),
            "cfg": Config(lr=Scaled(0.5, 1)),
        },
    ),
]
IDS = [row[0] for row in TREES]
TREES = [row[1] for row in TREES]


def same_leaves(a, b):
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_leaves_structure_flatten(tree):
    assert same_leaves(mtree.leaves(tree), jax.tree.leaves(tree))
    ours, theirs = mtree.structure(tree), jax.tree.structure(tree)
    assert (ours.num_leaves, ours.num_nodes) == (theirs.num_leaves, theirs.num_nodes)
    leaves, treedef = mtree.flatten(tree)
    jleaves, jtreedef = jax.tree.flatten(tree)
    assert same_leaves(leaves, jleaves)
    assert repr(treedef) == repr(jtreedef)
    marked = [("leaf", i) for i in range(len(leaves))]
    assert mtree.unflatten(treedef, marked) == jax.tree.unflatten(jtreedef, marked)


@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_map_reduce_all(tree):
    def tag(x):
        return ("seen", x)

    assert mtree.map(tag, tree) == jax.tree.map(tag, tree)
    assert mtree.map(lambda x, y: (x, y), tree, tree) == jax.tree.map(
        lambda x, y: (x, y), tree, tree
    )
    count = mtree.reduce(lambda n, _: n + 1, tree, 0)
    assert count == jax.tree.reduce(lambda n, _: n + 1, tree, 0)
    assert mtree.all(mtree.map(lambda x: True, tree)) is jax.tree.all(
        jax.tree.map(lambda x: True, tree)
    )
    truthy = mtree.map(lambda x: x is not None, tree)
    assert mtree.all(truthy) == jax.tree.all(truthy)


@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_key_paths(tree):
    ours, treedef = mtree.flatten_with_path(tree)
    theirs, jtreedef = jax.tree.flatten_with_path(tree)
    assert repr(treedef) == repr(jtreedef)
    assert [repr(p) for p, _ in ours] == [repr(p) for p, _ in theirs]
    assert [mtu.keystr(p) for p, _ in ours] == [jtu.keystr(p) for p, _ in theirs]
    simple = [mtu.keystr(p, simple=True, separator="/") for p, _ in ours]
    assert simple == [jtu.keystr(p, simple=True, separator="/") for p, _ in theirs]
    assert same_leaves([x for _, x in ours], [x for _, x in theirs])
    assert [repr(p) for p, _ in mtu.tree_leaves_with_path(tree)] == [
        repr(p) for p, _ in jtu.tree_leaves_with_path(tree)
    ]
    assert [repr(p) for p, _ in mtree.leaves_with_path(tree)] == [repr(p) for p, _ in theirs]


@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_map_with_path(tree):
    ours = mtree.map_with_path(lambda p, x, y: (mtu.keystr(p), x, y), tree, tree)
    theirs = jax.tree.map_with_path(lambda p, x, y: (jtu.keystr(p), x, y), tree, tree)
    assert ours == theirs
    ours = mtu.tree_map_with_path(lambda p, x: len(p), tree)
    assert ours == jtu.tree_map_with_path(lambda p, x: len(p), tree)


IS_LEAF = [
    ("none-is-leaf", lambda x: x is None),
    ("lists-are-leaves", lambda x: isinstance(x, list)),
    ("boxes-are-leaves", lambda x: isinstance(x, (Box, Layer))),
]


@pytest.mark.parametrize("is_leaf", [f for _, f in IS_LEAF], ids=[n for n, _ in IS_LEAF])
@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_is_leaf(tree, is_leaf):
    assert same_leaves(mtree.leaves(tree, is_leaf=is_leaf), jax.tree.leaves(tree, is_leaf=is_leaf))
    ours = mtree.structure(tree, is_leaf=is_leaf)
    assert repr(ours) == repr(jax.tree.structure(tree, is_leaf=is_leaf))
    paths = [jtu.keystr(p) for p, _ in jax.tree.leaves_with_path(tree, is_leaf=is_leaf)]
    assert [mtu.keystr(p) for p, _ in mtree.leaves_with_path(tree, is_leaf=is_leaf)] == paths
    assert mtree.map(id, tree, is_leaf=is_leaf) == jax.tree.map(id, tree, is_leaf=is_leaf)


@pytest.mark.parametrize("tree", TREES, ids=IDS)
def test_is_leaf_takes_path(tree):
    def shallow(path, x):
        return len(path) >= 2

    ours = mtree.leaves_with_path(tree, is_leaf=shallow, is_leaf_takes_path=True)
    theirs = jax.tree.leaves_with_path(tree, is_leaf=shallow, is_leaf_takes_path=True)
    assert [repr(p) for p, _ in ours] == [repr(p) for p, _ in theirs]
    ours = mtu.tree_map_with_path(
        lambda p, x: mtu.keystr(p), tree, is_leaf=shallow, is_leaf_takes_path=True
    )
    theirs = jtu.tree_map_with_path(
        lambda p, x: jtu.keystr(p), tree, is_leaf=shallow, is_leaf_takes_path=True
    )
    assert ours == theirs


TRANSPOSES = [
    ([0, 0], (0, 0), [(1, 2), (3, 4)]),
    ({"o1": 0, "o2": 0}, (0, [0]), {"o2": (1, [2]), "o1": (3, [4])}),
    ({"a": 0, "b": 0}, Point(0, [0]), {"b": Point(1, [2]), "a": Point(3, [4])}),
    (Layer(0, 0), {"x": 0, "y": None}, Layer({"x": 1, "y": None}, {"x": 2, "y": None})),
]
# Not compared: an empty outer tree. JAX raises ("Too few leaves"); mini_ad returns the
# inner structure holding empty outer trees (test_tree_util.py::test_tree_transpose).


@pytest.mark.parametrize("outer, inner, tree", TRANSPOSES)
def test_transpose(outer, inner, tree):
    expected = jax.tree.transpose(jax.tree.structure(outer), jax.tree.structure(inner), tree)
    ours = mtree.transpose(mtree.structure(outer), mtree.structure(inner), tree)
    assert ours == expected
    keyword = mtu.tree_transpose(
        outer_treedef=mtree.structure(outer),
        inner_treedef=mtree.structure(inner),
        pytree_to_transpose=tree,
    )
    assert keyword == expected
    if jax.tree.leaves(tree):  # with leaves, the inner structure can be inferred
        assert mtree.transpose(mtree.structure(outer), None, tree) == expected


KEYS = [
    ("SequenceKey", (3,)),
    ("DictKey", ("a",)),
    ("DictKey", (7,)),
    ("GetAttrKey", ("w",)),
    ("FlattenedIndexKey", (2,)),
]


@pytest.mark.parametrize("name, args", KEYS)
def test_key_entries(name, args):
    ours, theirs = getattr(mtu, name)(*args), getattr(jtu, name)(*args)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert ours == getattr(mtu, name)(*args) and hash(ours) == hash(getattr(mtu, name)(*args))
    assert mtu.keystr((ours, ours)) == jtu.keystr((theirs, theirs))
    assert mtu.keystr((ours,), simple=True) == jtu.keystr((theirs,), simple=True)


def test_signatures_match_jax():
    import inspect

    names = [
        "map", "leaves", "structure", "flatten", "unflatten", "reduce", "all", "transpose",
        "map_with_path", "flatten_with_path", "leaves_with_path",
    ]  # fmt: skip
    for name in names:
        ours = inspect.signature(getattr(mtree, name)).parameters
        theirs = inspect.signature(getattr(jax.tree, name)).parameters
        assert [(p.name, p.kind) for p in ours.values()] == [
            (p.name, p.kind) for p in theirs.values()
        ], name
    util_names = [
        "tree_flatten_with_path", "tree_map_with_path", "tree_leaves_with_path", "keystr",
        "register_pytree_node_class", "register_pytree_with_keys", "register_dataclass",
        "tree_transpose", "tree_map", "tree_flatten", "tree_leaves", "tree_structure",
        "tree_unflatten", "tree_reduce", "tree_all", "register_pytree_node",
    ]  # fmt: skip
    for name in util_names:
        ours = inspect.signature(getattr(mtu, name)).parameters
        theirs = inspect.signature(getattr(jtu, name)).parameters
        assert [(p.name, p.kind) for p in ours.values()] == [
            (p.name, p.kind) for p in theirs.values()
        ], name


def test_import_mini_ad_makes_tree_modules_attributes():
    assert mini_ad.tree.map is mtree.map
    assert mini_ad.tree_util.tree_map is mtu.tree_map
    assert callable(mini_ad.optim.adam)
