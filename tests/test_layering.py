"""Imports go one way: down the layers of DESIGN.md.

Every module under ``mini_ad/`` is parsed with ``ast``; each ``import`` (at module level or
inside a function) of another mini_ad module must name one in the same or a lower layer.
Within ``core/`` the order is ``avals < tracing < ad_util < primitive < jaxpr``. ``mini_ad/__init__.py``
may import anything. An import inside a function may opt out with a trailing
``# layering: lazy`` comment where a lower layer genuinely needs a higher one at run time.
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "mini_ad"

# low to high; a module's layer is its longest matching prefix
LAYERS = [
    ["mini_ad.errors", "mini_ad.tree_util", "mini_ad.tree"],
    ["mini_ad.core", "mini_ad.core.avals"],
    ["mini_ad.core.tracing"],
    ["mini_ad.core.ad_util"],
    ["mini_ad.core.primitive"],
    ["mini_ad.core.jaxpr"],
    ["mini_ad.primitives"],
    ["mini_ad.transforms"],
    ["mini_ad.control_flow"],
    ["mini_ad.api"],
    [
        "mini_ad.numpy", "mini_ad.lax", "mini_ad.nn", "mini_ad.scipy", "mini_ad.optim",
        "mini_ad.testing", "mini_ad.interop", "mini_ad.demo", "mini_ad.viz",
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
