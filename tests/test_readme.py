"""README.md's Python examples run as written (so the README keeps telling the truth)."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("source", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(source, capsys):
    if "check_against_jax" in source:
        pytest.importorskip("jax")
    exec(compile(source, str(README), "exec"), {})
    assert capsys.readouterr().out  # every example prints what it shows
