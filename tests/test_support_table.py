"""``docs/support.md`` is what ``docs/support_table.py`` generates from the code.

The table is generated in a fresh interpreter, as the command does: inside the test session
other tests have imported extra modules and registered throwaway primitives, which would
change what the generator sees.
"""

import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("jax")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_support_table_is_up_to_date():
    generated = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "support_table.py")],
        capture_output=True, text=True, cwd=ROOT, check=True,
    ).stdout  # fmt: skip
    committed = (ROOT / "docs" / "support.md").read_text()
    assert committed == generated, (
        "docs/support.md is stale: run `python docs/support_table.py > docs/support.md`"
    )
