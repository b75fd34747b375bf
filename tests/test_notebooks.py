"""The tutorial notebooks: each one runs top to bottom without error, checks mini_ad against
JAX and against finite differences, and is committed without outputs.

Notebooks run in a Jupyter kernel started from *this* interpreter (a kernelspec written to a
temporary JUPYTER_PATH entry, which Jupyter searches first), so a fresh virtual environment
with ``pip install -e ".[test]"`` needs no ``ipykernel install``. Matplotlib uses the Agg
backend, so figures are drawn but not displayed.
"""

import json
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
KERNEL_NAME = "mini-ad-tests-python3"
CELL_TIMEOUT_S = 120
ASSERTION = re.compile(r"\bassert\b|np\.testing\.assert_")


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def tagged(nb, tag):
    return [cell for cell in code_cells(nb) if tag in cell.metadata.get("tags", [])]


def test_one_notebook_per_seed_tutorial():
    # 01-05 redo the seed tutorials; later numbers are mini_ad's own topics
    assert [p.name[:3] for p in NOTEBOOKS][:5] == ["01_", "02_", "03_", "04_", "05_"]
    assert all(p.name[:2] > "05" for p in NOTEBOOKS[5:])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(code_cells(nb)):
        assert cell.outputs == [], f"{path.name}: code cell {i} has outputs; strip them"
        assert cell.execution_count is None, f"{path.name}: code cell {i} has an execution count"
        assert "execution" not in cell.metadata, f"{path.name}: code cell {i} has timing metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_verifies_against_jax_and_finite_differences(path):
    """Cells tagged verify-jax compare with real JAX and cells tagged verify-fd with finite
    differences; each kind exists and asserts something."""
    nb = nbformat.read(path, as_version=4)
    jax_cells, fd_cells = tagged(nb, "verify-jax"), tagged(nb, "verify-fd")
    assert jax_cells and fd_cells, f"{path.name} lacks a verify-jax or a verify-fd cell"
    assert any("jax" in c.source and ASSERTION.search(c.source) for c in jax_cells)
    difference = re.compile(r"central_difference|/ \(2 \* eps\)|eps\*\*2")
    assert any(difference.search(c.source) and ASSERTION.search(c.source) for c in fd_cells)


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """A kernelspec for this interpreter, found first through JUPYTER_PATH, and Agg."""
    root = tmp_path_factory.mktemp("jupyter")
    spec_dir = root / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (mini_ad tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(root))
        mp.setenv("MPLBACKEND", "Agg")
        yield


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, kernel_env):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # First, check that the kernel runs in this test's environment (not some other Python).
    probe = f"import sys\nassert sys.prefix == {sys.prefix!r}, sys.prefix"
    nb.cells.insert(0, nbformat.v4.new_code_cell(probe))
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT_S,
        startup_timeout=60,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and traceback, on failure
    elapsed = time.perf_counter() - start
    errors = [o for c in code_cells(nb) for o in c.outputs if o.output_type == "error"]
    assert not errors
    # Pictures drawn as SVG (mini_ad.viz.derivative_programs) render, and are not empty.
    svgs = [
        o.data["image/svg+xml"]
        for c in code_cells(nb)
        for o in c.outputs
        if "image/svg+xml" in o.get("data", {})
    ]
    assert all("<svg" in svg and len(svg) > 1000 for svg in svgs)
    if any("derivative_programs" in c.source for c in code_cells(nb)):
        assert svgs, f"{path.name} draws derivative programs but shows no SVG"
    assert all(c.execution_count is not None for c in code_cells(nb))  # every cell ran
    print(f"{path.name}: {elapsed:.1f} s")
