"""Imports go one way: down the layers of DESIGN.md.

Every module under ``mini_ad/`` is parsed with ``ast``; each ``import`` (at module level or
inside a function) of another mini_ad module must name one in the same or a lower layer.
Within ``core/`` the order is ``avals < tracing < ad_util < primitive < jaxpr``. ``mini_ad/__init__.py``
may import anything. An import inside a function may opt out with a trailing
``# layering: lazy`` comment where a lower layer genuinely needs a higher one at run time.

On top of the layers, the modules form a DAG: counting every import (lazy ones too,
and ``from mini_ad.x import y`` as an import of ``mini_ad.x.y`` when ``y`` is a module),
no two modules import each other, directly or through others, even inside a package.
And no module is longer than ``MAX_LINES``.
"""

import ast
import collections
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "mini_ad"

# low to high; a module's layer is its longest matching prefix
LAYERS = [
    ["mini_ad._version", "mini_ad.errors", "mini_ad.tree_util", "mini_ad.tree"],
    ["mini_ad.core", "mini_ad.core.avals"],
    ["mini_ad.core.tracing"],
    ["mini_ad.core.ad_util"],
    ["mini_ad.core.primitive"],
    ["mini_ad.core.jaxpr", "mini_ad.core.typecheck"],
    ["mini_ad.primitives"],
    ["mini_ad.transforms"],
    ["mini_ad.control_flow"],
    ["mini_ad.api"],
    [
        "mini_ad.numpy", "mini_ad.lax", "mini_ad.nn", "mini_ad.scipy", "mini_ad.optim",
        "mini_ad.random",
        "mini_ad.testing", "mini_ad.interop", "mini_ad.demo", "mini_ad.viz",
        "mini_ad.comparisons", "mini_ad.benchmarks", "mini_ad.debug", "mini_ad.explain",
    ],
]  # fmt: skip
# ``import mini_ad`` pulls in every layer, so only the top layer may import the package
PACKAGE_LAYER = len(LAYERS) - 1
LAZY_MARK = "# layering: lazy"


def module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str):
    """The layer index of a mini_ad module name (None if no layer claims it)."""
    if name == "mini_ad":
        return PACKAGE_LAYER
    best, best_len = None, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    return best


def is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(path: pathlib.Path):
    """``(line, imported mini_ad module, is_lazy_marked, inside_function)`` for each import."""
    source = path.read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    in_function = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_function.update(id(n) for n in ast.walk(node) if n is not node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [
                f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
                for alias in node.names
            ]
        else:
            continue
        end_line = lines[node.end_lineno - 1]
        for name in names:
            if name == "mini_ad" or name.startswith("mini_ad."):
                yield (
                    node.lineno,
                    name,
                    end_line.rstrip().endswith(LAZY_MARK),
                    id(node) in in_function,
                )


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_layer():
    missing = [
        module_name(p)
        for p in MODULES
        if module_name(p) != "mini_ad" and layer_of(module_name(p)) is None
    ]
    assert not missing, f"add these modules to a layer in tests/test_layering.py: {missing}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_only_go_down_the_layers(path):
    this = module_name(path)
    if this == "mini_ad":
        return  # the package re-exports the public API from every layer
    own = layer_of(this)
    violations = []
    for line, name, lazy, inside_function in imported_modules(path):
        if lazy and not inside_function:
            violations.append(f"line {line}: '{LAZY_MARK}' only applies inside a function ({name})")
        target = layer_of(name)
        if target is not None and target > own and not lazy:
            violations.append(f"line {line}: {this} (layer {own}) imports {name} (layer {target})")
    assert not violations, "\n".join(violations)


def test_the_checker_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    fake = tmp_path / "mini_ad"
    (fake / "core").mkdir(parents=True)
    (fake / "numpy").mkdir()
    for name in ["__init__.py", "api.py", "core/__init__.py", "core/avals.py", "numpy/__init__.py"]:
        (fake / name).write_text("")
    (fake / "core" / "avals.py").write_text(
        "def f():\n    from mini_ad import api\n    from .. import numpy\n"
        "    import mini_ad.numpy  # layering: lazy\n"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    found = list(imported_modules(fake / "core" / "avals.py"))
    assert [(name, lazy, inside) for _, name, lazy, inside in found] == [
        ("mini_ad.api", False, True),
        ("mini_ad.numpy", False, True),
        ("mini_ad.numpy", True, True),
    ]
    assert (
        layer_of("mini_ad.core.avals")
        < layer_of("mini_ad.core.tracing")
        < layer_of("mini_ad.core.jaxpr")
    )
    assert (
        layer_of("mini_ad.numpy._math")
        > layer_of("mini_ad.api")
        > layer_of("mini_ad.transforms.jvp")
    )


# --- modules form a DAG ------------------------------------------------------------------------


def import_graph(paths) -> dict:
    """``{module: set of mini_ad modules it imports}`` over every import in ``paths``."""
    graph = {}
    for path in paths:
        this = module_name(path)
        graph[this] = {name for _, name, _, _ in imported_modules(path) if name != this}
    return graph


def import_cycles(graph: dict) -> list:
    """The strongly connected components of more than one module, each as a cycle
    ``[a, b, ..., a]`` through its first module (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return [_cycle_through(component, graph) for component in sorted(components)]


def _cycle_through(component: list, graph: dict) -> list:
    """A shortest import path from the component's first module back to itself."""
    members, start = set(component), component[0]
    came_from = {}
    queue = collections.deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node] & members):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return path[::-1] + [start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"{component} is not strongly connected")


def test_modules_form_a_dag():
    graph = import_graph(MODULES)
    cycles = import_cycles(graph)
    report = [
        f"{' -> '.join(cycle)}   (all in one cycle: {', '.join(strongly_connected(cycle, graph))})"
        for cycle in cycles
    ]
    assert not cycles, "import cycles among modules (move shared code down):\n" + "\n".join(report)


def strongly_connected(cycle: list, graph: dict) -> list:
    """The modules that import, and are imported by, the cycle's first module."""

    def reachable(start, edges):
        seen, todo = {start}, [start]
        while todo:
            for child in edges.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return seen

    reverse = collections.defaultdict(set)
    for module, imports in graph.items():
        for name in imports:
            reverse[name].add(module)
    return sorted(reachable(cycle[0], graph) & reachable(cycle[0], reverse))


def test_the_cycle_finder_reports_every_cycle():
    graph = {
        "a": {"b"},
        "b": {"c"},
        "c": {"a", "d"},
        "d": set(),
        "e": {"f"},
        "f": {"e"},
        "g": {"a"},
    }
    assert import_cycles(graph) == [["a", "b", "c", "a"], ["e", "f", "e"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


# --- small files -------------------------------------------------------------------------------

MAX_LINES = 400


def test_no_module_is_longer_than_the_limit():
    oversized = {
        path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text().splitlines())
        for path in MODULES
        if len(path.read_text().splitlines()) > MAX_LINES
    }
    assert not oversized, f"modules over {MAX_LINES} lines (split them by concept): {oversized}"
