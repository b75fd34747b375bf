"""Strip outputs, execution counts and execution timings from notebooks before committing.

    python notebooks/strip_outputs.py                 # every notebook in this folder
    python notebooks/strip_outputs.py path/a.ipynb    # only these

tests/test_notebooks.py checks that committed notebooks have none of these.
"""

import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    """Strip one notebook in place; return whether it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.outputs or cell.execution_count is not None or "execution" in cell.metadata:
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(paths: list[str]) -> None:
    targets = [Path(p) for p in paths] or sorted(Path(__file__).parent.glob("*.ipynb"))
    for path in targets:
        print(f"{'stripped' if strip(path) else 'clean   '}  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
