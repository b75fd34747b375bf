"""Tests for mini_ad.tree_util: tables of pytrees run through shared checkers."""

import ast
import copy
import dataclasses
import doctest
import re
from collections import OrderedDict, defaultdict, namedtuple
from pathlib import Path

import numpy as np
import pytest
from core_checks import count_calls
from hypothesis import given, settings
from hypothesis import strategies as st

from mini_ad import tree_util
from mini_ad.tree_util import (
    all_leaves,
    register_dataclass,
    register_pytree_node,
    tree_all,
    tree_flatten,
    tree_leaves,
    tree_map,
    tree_reduce,
    tree_structure,
    tree_transpose,
    tree_unflatten,
    treedef_children,
    treedef_is_leaf,
)

Point = namedtuple("Point", ["x", "y"])
Other = namedtuple("Other", ["x", "y"])


class Box:
    """A registered custom node: its items are children, its label is aux data."""

    def __init__(self, items, label):
        self.items, self.label = list(items), label

    def __eq__(self, other):
        return type(other) is Box and [self.items, self.label] == [
            other.items,
            other.label,
        ]


register_pytree_node(Box, lambda b: (b.items, b.label), lambda aux, ch: Box(ch, aux))


@register_dataclass
@dataclasses.dataclass
class Layer:
    w: object
    b: object
    name: str = dataclasses.field(default="L", metadata={"static": True})


def _defaultdict():
    d = defaultdict(list)
    d["z"], d["a"] = 1, (2, 3)
    return d


NESTED = {"p": Point(None, [1]), "o": OrderedDict(z=2), "l": [Layer(3, Box([4], 0))]}
NESTED_REPR = (
    "PyTreeDef({'l': [CustomNode(Layer[('L',)], [*, CustomNode(Box[0], [*])])], "
    "'o': CustomNode(OrderedDict[('z',)], [*]), 'p': CustomNode(namedtuple[Point], [None, [*]])})"
)
# id, tree, expected leaves, expected repr (the part inside "PyTreeDef(...)")
CASES = [
    ("scalar", 1.5, [1.5], "*"),
    ("none", None, [], "None"),
    ("empty_tuple", (), [], "()"),
    ("empty_list", [], [], "[]"),
    ("empty_dict", {}, [], "{}"),
    ("tuple", (1, 2), [1, 2], "(*, *)"),
    ("tuple1", (1,), [1], "(*,)"),
    ("list_none", [None, 1], [1], "[None, *]"),
    ("dict", {"b": [1, None], "a": 2}, [2, 1], "{'a': *, 'b': [*, None]}"),
    ("namedtuple", Point(1, (2, 3)), [1, 2, 3], "CustomNode(namedtuple[Point], [*, (*, *)])"),
    (
        "odict",
        OrderedDict(b=1, a=2),
        [1, 2],
        "CustomNode(OrderedDict[('b', 'a')], [*, *])",
    ),
    (
        "ddict",
        _defaultdict(),
        [2, 3, 1],
        "CustomNode(defaultdict[(<class 'list'>, ('a', 'z'))], [(*, *), *])",
    ),
    ("custom", Box([1, 2], "lbl"), [1, 2], "CustomNode(Box[lbl], [*, *])"),
    ("dataclass", Layer(1.0, 2.0), [1.0, 2.0], "CustomNode(Layer[('L',)], [*, *])"),
    ("nested", NESTED, [3, 4, 2, 1], NESTED_REPR[len("PyTreeDef(") : -1]),
]
CASE_IDS = [case[0] for case in CASES]

# tree, a tree of another structure, and what flatten_up_to says about it
MISMATCHES = [
    ((1, 2), [1, 2], "Expected tuple, got list"),
    ((1, 2), (1, 2, 3), "tuple arity mismatch: expected 2, got 3"),
    ({"a": 1}, {"b": 1}, "Mismatched dict keys: ('a',) != ('b',)"),
    ({"a": 1}, OrderedDict(a=1), "Expected dict, got OrderedDict"),
    (Point(1, 2), (1, 2), "Expected Point, got tuple"),
    (Point(1, 2), Other(1, 2), "Expected Point, got Other"),
    (None, 1, "Expected NoneType, got int"),
    ([None], [1], "Expected NoneType, got int"),
    (Box([1], "a"), Box([1], "b"), "Mismatched Box aux data: 'a' != 'b'"),
    (Box([1], "a"), Box([1, 2], "a"), "Box arity mismatch"),
    (Layer(1, 2), Layer(1, 2, name="M"), "Mismatched Layer aux data: ('L',) != ('M',)"),
    (defaultdict(list, a=1), defaultdict(int, a=1), "Mismatched defaultdict aux data"),
]


def check_round_trip(tree, is_leaf=None):
    """Flatten, unflatten, compare: same value, same node types, same structure."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    assert treedef.num_leaves == len(leaves)
    rebuilt = tree_unflatten(treedef, leaves)
    assert type(rebuilt) is type(tree)
    assert rebuilt == tree
    assert tree_structure(rebuilt, is_leaf) == treedef
    assert treedef.flatten_up_to(tree) == leaves
    assert tree_map(lambda x: x, tree, is_leaf=is_leaf) == tree


@pytest.mark.parametrize("name, tree, leaves, text", CASES, ids=CASE_IDS)
def test_flatten_and_round_trip(name, tree, leaves, text):
    assert tree_leaves(tree) == leaves
    check_round_trip(tree)


@pytest.mark.parametrize("name, tree, leaves, text", CASES, ids=CASE_IDS)
def test_repr(name, tree, leaves, text):
    assert repr(tree_structure(tree)) == f"PyTreeDef({text})"


@pytest.mark.parametrize("name, tree, leaves, text", CASES, ids=CASE_IDS)
def test_tree_map_adds_one_leafwise(name, tree, leaves, text):
    out = tree_map(lambda x: x + 1, tree)
    assert tree_structure(out) == tree_structure(tree)
    assert tree_leaves(out) == [x + 1 for x in leaves]


def test_array_leaves_are_kept_by_identity():
    tree = {"w": np.ones((2, 3)), "b": np.zeros(3)}
    leaves, treedef = tree_flatten(tree)
    assert leaves[0] is tree["b"] and leaves[1] is tree["w"]
    assert tree_unflatten(treedef, leaves)["w"] is tree["w"]


def test_dict_unflattens_in_sorted_key_order_and_ordereddict_keeps_its_order():
    assert list(tree_map(lambda x: x, {"b": 1, "c": 2, "a": 3})) == ["a", "b", "c"]
    assert list(tree_map(lambda x: x, OrderedDict(b=1, a=2))) == ["b", "a"]
    assert tree_map(lambda x: x, _defaultdict()).default_factory is list


@pytest.mark.parametrize(
    "tree, num_leaves, num_nodes",
    [(1, 1, 1), (None, 0, 1), ((1, 2), 2, 3), ([None, 1, (2,)], 2, 5), (NESTED, 4, 12)],
)
def test_num_leaves_and_num_nodes(tree, num_leaves, num_nodes):
    treedef = tree_structure(tree)
    assert (treedef.num_leaves, treedef.num_nodes) == (num_leaves, num_nodes)


def test_treedefs_equal_by_structure():
    a = tree_structure({"x": (1, None), "y": [Point(2, 3)]})
    b = tree_structure({"y": [Point("p", "q")], "x": (np.ones(2), None)})
    assert a == b and hash(a) == hash(b)
    assert {a: "cached"}[b] == "cached"
    assert copy.deepcopy(a) == a and copy.deepcopy(tree_structure(1)) == tree_structure(2)
    assert tree_structure(Box([1], "k")) == tree_structure(Box([7], "k"))
    assert tree_structure(Layer(1, 2)) == tree_structure(Layer(3, 4))
    assert tree_structure((1, 2)) != tree_structure((1, (2,)))
    assert tree_structure(None) != tree_structure(1)


@pytest.mark.parametrize("tree, other, message", MISMATCHES)
def test_treedefs_unequal_when_structure_differs(tree, other, message):
    assert tree_structure(tree) != tree_structure(other)


@pytest.mark.parametrize("tree, other, message", MISMATCHES)
def test_flatten_up_to_mismatch_messages(tree, other, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        tree_structure(tree).flatten_up_to(other)


@pytest.mark.parametrize("tree, other, message", MISMATCHES)
def test_tree_map_mismatch_names_both_structures(tree, other, message):
    with pytest.raises(ValueError) as info:
        tree_map(lambda x, y: x, tree, other)
    text = str(info.value)
    assert str(tree_structure(tree)) in text and str(tree_structure(other)) in text
    assert message in text


def test_tree_map_over_several_trees():
    out = tree_map(lambda x, y: x + y, {"a": 1, "b": (2, 3)}, {"b": (20, 30), "a": 10})
    assert out == {"a": 11, "b": (22, 33)}
    # Later trees may hold whole subtrees where the first tree has leaves.
    out = tree_map(lambda x, y, z: (x, y, z), [1, 2], [[3], {"k": None}], [4, None])
    assert out == [(1, [3], 4), (2, {"k": None}, None)]


def test_flatten_up_to_keeps_subtrees_whole():
    treedef = tree_structure({"a": 0, "b": (0, None)})
    tree = {"b": ([1, 2], None), "a": {"k": 3}}
    assert treedef.flatten_up_to(tree) == [{"k": 3}, [1, 2]]


def is_pair(x):
    return isinstance(x, tuple)


def test_is_leaf_stops_descent_and_is_asked_at_the_root():
    assert tree_leaves([1, None, (2, 3)], is_leaf=is_pair) == [1, (2, 3)]
    assert tree_leaves((1, 2), is_leaf=is_pair) == [(1, 2)]
    assert tree_map(lambda p: p[0], [(1, 2), (3, 4)], is_leaf=is_pair) == [1, 3]
    leaves, treedef = tree_flatten([1, None], is_leaf=lambda x: x is None)
    assert leaves == [1, None] and repr(treedef) == "PyTreeDef([*, *])"
    check_round_trip({"a": (1, 2), "b": [None, (3,)]}, is_leaf=is_pair)


def test_tree_transpose():
    outer, inner = tree_structure([0, 0]), tree_structure((0, 0))
    assert tree_transpose(outer, inner, [(1, 2), (3, 4)]) == ([1, 3], [2, 4])
    with pytest.raises(TypeError, match="tree_transpose"):
        tree_transpose(outer, inner, [(1, 2), (3, 4, 5)])
    # A jacobian: output tree outside, input tree inside -> input tree outside.
    jac = {"o1": {"a": 1, "b": 2}, "o2": {"a": 3, "b": 4}}
    outer, inner = tree_structure({"o1": 0, "o2": 0}), tree_structure({"a": 0, "b": 0})
    expected = {"a": {"o1": 1, "o2": 3}, "b": {"o1": 2, "o2": 4}}
    assert tree_transpose(outer, inner, jac) == expected
    assert tree_transpose(tree_structure(()), inner, ()) == {"a": (), "b": ()}


def test_treedef_helpers():
    treedef = tree_structure((1, [2, 3], None))
    assert treedef.children() == treedef_children(treedef)
    assert [str(c) for c in treedef.children()] == [
        "PyTreeDef(*)",
        "PyTreeDef([*, *])",
        "PyTreeDef(None)",
    ]
    assert tree_structure(1).children() == []
    assert treedef_is_leaf(tree_structure(1))
    assert treedef_is_leaf(tree_structure(None))  # as in JAX: it has one node
    assert not treedef_is_leaf(tree_structure([1]))
    assert treedef.unflatten(iter("abc")) == ("a", ["b", "c"], None)


@pytest.mark.parametrize("leaves", [[1], [1, 2, 3, 4]])
def test_unflatten_with_wrong_number_of_leaves(leaves):
    with pytest.raises(ValueError, match="expected 3"):
        tree_unflatten(tree_structure((1, [2, 3])), leaves)


def test_all_leaves_tree_all_tree_reduce():
    assert all_leaves([1, "a", np.ones(2)])
    assert not all_leaves([1, None]) and not all_leaves([(1,)])
    assert all_leaves([(1,), 2], is_leaf=is_pair)
    assert tree_all([True, (1, None)]) and tree_all([]) and not tree_all({"a": 0})
    assert tree_reduce(lambda a, b: a + b, {"a": 1, "b": [2, 3]}) == 6
    assert tree_reduce(lambda a, b: a + b, [2, 3], 10) == 15
    assert tree_reduce(lambda a, b: a + b, [None], 0) == 0
    with pytest.raises(TypeError):
        tree_reduce(lambda a, b: a + b, [])


def test_subclasses_of_node_types_are_leaves():
    class MyDict(dict):
        pass

    class MyTuple(tuple):  # no _fields, so not a namedtuple
        pass

    tree = [MyDict(a=1), MyTuple((1, 2))]
    assert tree_leaves(tree) == tree


def test_unsortable_dict_keys_raise():
    with pytest.raises(ValueError, match="sort"):
        tree_leaves({1: "a", "b": 2})


def test_registration_errors_and_explicit_dataclass_fields():
    with pytest.raises(ValueError, match="Duplicate"):
        register_pytree_node(list, lambda x: (x, None), lambda _, c: list(c))
    with pytest.raises(ValueError, match="Duplicate"):
        register_dataclass(Layer)

    @dataclasses.dataclass
    class Scaled:
        value: float
        scale: int

    with pytest.raises(TypeError, match="both"):
        register_dataclass(Scaled, data_fields=["value"])
    with pytest.raises(ValueError, match="init fields"):
        register_dataclass(Scaled, data_fields=["value"], meta_fields=[])
    with pytest.raises(TypeError, match="not a dataclass"):
        register_dataclass(Box)
    register_dataclass(Scaled, data_fields=["value"], meta_fields=["scale"])
    leaves, treedef = tree_flatten(Scaled(1.5, 2))
    assert leaves == [1.5] and str(treedef) == "PyTreeDef(CustomNode(Scaled[(2,)], [*]))"
    assert tree_unflatten(treedef, [4.0]) == Scaled(4.0, 2)


def test_registration_takes_priority_over_namedtuple():
    Pair = namedtuple("Pair", ["a", "b"])
    assert tree_leaves(Pair(1, 2)) == [1, 2]
    register_pytree_node(Pair, lambda p: ((p.b,), p.a), lambda a, ch: Pair(a, *ch))
    leaves, treedef = tree_flatten(Pair(1, 2))
    assert leaves == [2] and str(treedef) == "PyTreeDef(CustomNode(Pair[1], [*]))"


def test_flat_list_is_cheap_and_shares_the_leaf_treedef():
    """Flattening and rebuilding a 100k-leaf list makes a few calls per leaf (counted with
    a profiler hook, not timed) and shares one leaf treedef between the children."""
    xs = [float(i) for i in range(100_000)]

    def round_trip():
        leaves, treedef = tree_flatten(xs)
        return leaves, treedef, tree_unflatten(treedef, leaves)

    (leaves, treedef, rebuilt), calls = count_calls(round_trip)
    assert rebuilt == xs and leaves == xs
    children = treedef.children()
    assert all(child is children[0] for child in children)
    assert calls <= 5 * len(xs), f"flatten + unflatten of 100k leaves made {calls} calls"


def test_tree_util_imports_nothing_from_mini_ad():
    """Every file of the package imports only its siblings from mini_ad."""
    for path in Path(tree_util.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                own = module.startswith("mini_ad.tree_util.")
                assert node.level == 0 and (own or not module.startswith("mini_ad")), path
            elif isinstance(node, ast.Import):
                assert not any(alias.name.startswith("mini_ad") for alias in node.names), path


def test_tree_util_modules_stay_short():
    for path in Path(tree_util.__file__).parent.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path


def test_docstring_examples_run():
    assert doctest.testmod(tree_util, raise_on_error=False).failed == 0


def random_trees(with_custom_nodes=True):
    """Random nested pytrees built from every built-in node kind (and Box)."""
    leaf = st.one_of(st.integers(), st.floats(allow_nan=False), st.text(max_size=3))
    key = st.text(max_size=3)

    def nodes(children):
        kinds = [
            st.lists(children, max_size=4),
            st.lists(children, max_size=4).map(tuple),
            st.dictionaries(key, children, max_size=4),
            st.builds(Point, children, children),
            st.lists(st.tuples(key, children), max_size=4).map(OrderedDict),
        ]
        if with_custom_nodes:
            kinds.append(st.builds(Box, st.lists(children, max_size=3), st.integers()))
        return st.one_of(kinds)

    return st.recursive(st.one_of(leaf, st.none()), nodes, max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(random_trees())
def test_random_trees_round_trip(tree):
    check_round_trip(tree)
    assert tree_structure(tree_map(lambda x: 0, tree)) == tree_structure(tree)


# Random trees against real JAX (skips itself without jax); the fixed trees are compared
# with jax.tree and jax.tree_util in test_tree_jax.py.


@settings(max_examples=100, deadline=None)
@given(random_trees(with_custom_nodes=False))
def test_random_trees_match_jax(tree):
    jtu = pytest.importorskip("jax").tree_util
    assert tree_leaves(tree) == jtu.tree_leaves(tree)
    assert tree_structure(tree).num_nodes == jtu.tree_structure(tree).num_nodes
