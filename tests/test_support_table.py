"""``docs/support.md`` is what ``docs/support_table.py`` generates from the code."""

import pathlib
import sys

import pytest

pytest.importorskip("jax")

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_support_table_is_up_to_date():
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import support_table
    finally:
        sys.path.remove(str(ROOT / "docs"))
    committed = (ROOT / "docs" / "support.md").read_text()
    assert committed == support_table.table(), (
        "docs/support.md is stale: run `python docs/support_table.py > docs/support.md`"
    )
