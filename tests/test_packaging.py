"""Packaging: mini_ad installs and runs with NumPy alone, has one version, and its command
lines start from any directory with complete help texts.

The NumPy-only check builds a virtual environment without pip whose only extra path is a
folder holding two links, ``numpy`` and ``mini_ad``: JAX, SciPy and matplotlib are installed
beside NumPy in the test environment, but that interpreter cannot see them (the test checks
it), so an import of any of them at ``import mini_ad`` time fails the test.
"""

import os
import pathlib
import re
import subprocess
import sys
import tomllib
import venv

import numpy as np
import pytest

import mini_ad

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def numpy_only_python(tmp_path_factory):
    """A Python that sees the standard library, NumPy and mini_ad, and nothing else."""
    base = tmp_path_factory.mktemp("numpy_only")
    venv.create(base / "venv", with_pip=False, symlinks=True)
    only = base / "only"
    only.mkdir()
    numpy_dir = pathlib.Path(np.__file__).parent
    for path in [numpy_dir, numpy_dir.with_name("numpy.libs"), ROOT / "mini_ad"]:
        if path.exists():  # numpy.libs: the bundled OpenBLAS of a manylinux wheel
            (only / path.name).symlink_to(path)
    (site,) = (base / "venv").glob("lib/python*/site-packages")
    (site / "only.pth").write_text(f"{only}\n")
    bin_dir = "Scripts" if os.name == "nt" else "bin"
    return str(base / "venv" / bin_dir / "python"), base


def test_numpy_only_environment_sees_nothing_else(numpy_only_python):
    python, cwd = numpy_only_python
    code = (
        "import importlib.util as u\n"
        "print([m for m in ('jax', 'scipy', 'matplotlib', 'pytest') if u.find_spec(m)])"
    )
    out = subprocess.run([python, "-c", code], cwd=cwd, env=_clean_env(), capture_output=True,
                         text=True, timeout=60, check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_import_and_grad_with_numpy_only(numpy_only_python):
    python, cwd = numpy_only_python
    code = (
        "import mini_ad, mini_ad.numpy, mini_ad.lax, mini_ad.nn, mini_ad.scipy.special\n"
        "import mini_ad.tree_util, mini_ad.optim, mini_ad.testing, mini_ad.viz, mini_ad.interop\n"
        "print(mini_ad.grad(lambda x: x**3)(2.0))\n"
    )
    out = subprocess.run([python, "-c", code], cwd=cwd, env=_clean_env(), capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "12.0"


def test_comparisons_without_jax_says_how_to_install_it(numpy_only_python):
    python, cwd = numpy_only_python
    out = subprocess.run([python, "-m", "mini_ad.comparisons", "-q"], cwd=cwd, env=_clean_env(),
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 2
    assert "pip install 'mini_ad[jax]'" in out.stderr


def test_version_in_one_place():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in pyproject["project"]["dynamic"]
    assert "version" not in pyproject["project"]
    attr = pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "mini_ad._version.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+", mini_ad.__version__)
    assert f"## {mini_ad.__version__}" in (ROOT / "CHANGELOG.md").read_text()
    assert (ROOT / "mini_ad" / "py.typed").exists()


def test_base_install_needs_numpy_only():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert [re.split(r"[<>=!~ \[]", d)[0] for d in pyproject["project"]["dependencies"]] == [
        "numpy"
    ]
    assert {"jax", "notebooks", "docs", "test"} <= set(
        pyproject["project"]["optional-dependencies"]
    )


@pytest.mark.parametrize("module", ["mini_ad.comparisons", "mini_ad.benchmarks"])
def test_command_lines_start_outside_the_repository(module, tmp_path):
    env = _clean_env(PYTHONPATH=str(ROOT))  # as an installed mini_ad would be found
    out = subprocess.run([sys.executable, "-m", module, "--help"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith(f"usage: python -m {module}")
    assert not re.search(r"\bissue", text, re.IGNORECASE)
    assert not re.search(r"\b(Tracer|Trace|Report|Case|Config|Namespace)\b", text)
    description = text.split("\n\n")[1]
    assert description.rstrip().endswith("."), description
    helps = re.findall(r"^\s+(?:-\w, )?--[\w-]+(?: [A-Z]+)?\s+(.*(?:\n\s{10,}.*)*)", text, re.M)
    for line in helps:
        assert re.sub(r"\s+", " ", line).strip().endswith((".", ")")), line


def test_comparisons_lists_cases_outside_the_repository(tmp_path):
    env = _clean_env(PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "mini_ad.comparisons", "--list"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.split()) > 100


# Modules that are internals, tools or re-exported elsewhere: no reference page of their own.
NOT_DOCUMENTED = {
    "mini_ad.api", "mini_ad.core", "mini_ad.primitives", "mini_ad.transforms",
    "mini_ad.control_flow", "mini_ad.comparisons", "mini_ad.benchmarks", "mini_ad.demo",
    "mini_ad.errors", "mini_ad.scipy", "mini_ad._version",
}  # fmt: skip


def public_modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "mini_ad").iterdir()):
        name = path.name.removesuffix(".py")
        if name.startswith("_") or not (path.suffix == ".py" or (path / "__init__.py").exists()):
            continue
        module = f"mini_ad.{name}"
        if module not in NOT_DOCUMENTED:
            found.append(module)
    return [
        "mini_ad", *found, "mini_ad.numpy.linalg", "mini_ad.scipy.special",
        "mini_ad.scipy.optimize", "mini_ad.scipy.integrate", "mini_ad.nn.initializers",
    ]  # fmt: skip


def test_every_public_module_has_a_reference_page():
    nav = (ROOT / "mkdocs.yml").read_text()
    missing = [m for m in public_modules() if f"api/{m}.md" not in nav]
    assert not missing, (
        f"add a line '- {missing[0]}: api/{missing[0]}.md' under 'API reference' in mkdocs.yml "
        f"for each of {missing}"
    )
