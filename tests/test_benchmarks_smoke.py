"""The benchmark harness runs end to end on tiny sizes, and its correctness gate works.

No timing is asserted: these tests only check that every workload produces rows, that every
backend's result was checked against the reference before being timed, and that a wrong
or failing backend is reported as an error rather than timed.
"""

import io
import json
import os
import pathlib
import sys

import numpy as np
import pytest

pytest.importorskip("autograd")

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # the repo root
_environ = dict(os.environ)  # importing benchmarks pins threads: keep that out of other tests
from mini_ad.benchmarks.__main__ import main  # noqa: E402
from mini_ad.benchmarks.harness import Case, Config, compare, impl, measure  # noqa: E402
from mini_ad.benchmarks.runner import run_benchmarks  # noqa: E402
from mini_ad.benchmarks.workloads import WORKLOADS  # noqa: E402

os.environ.clear()
os.environ.update(_environ)


@pytest.fixture(scope="module")
def smoke_report():
    # JAX eager is left out: its per-primitive compiles alone take about 8 s here; jax.jit
    # still runs, so the JAX code paths are exercised.
    report, markdown = run_benchmarks(Config.preset("smoke"), skip=("jax",), log=io.StringIO())
    return report, markdown


def test_every_workload_has_rows_and_targets(smoke_report):
    report, _ = smoke_report
    assert report["workload_errors"] == {}
    assert list(report["workloads"]) == list(WORKLOADS)
    for key, workload in report["workloads"].items():
        assert workload["rows"], key
        assert workload["targets"], key


def test_every_backend_was_checked_before_timing(smoke_report):
    report, _ = smoke_report
    for key, workload in report["workloads"].items():
        for row in workload["rows"]:
            assert row["status"], (key, row["case"])
            for backend, status in row["status"].items():
                assert status == "ok" or status.startswith(("skipped", "error")), status
                assert (backend in row["stats"]) == (status == "ok"), (key, row["case"], backend)
            # The hand-written reference and mini_ad's eager mode agree wherever they run.
            for backend in ("numpy", "mini_ad"):
                assert row["status"].get(backend, "ok") == "ok", (key, row["case"], row["status"])
            assert row["status"].get("jax", "skipped").startswith("skipped")


def test_markdown_has_the_tables(smoke_report):
    _, markdown = smoke_report
    for heading in ("## Times", "## Ratios", "## Targets", "## Errors"):
        assert heading in markdown
    for key in WORKLOADS:
        assert f"| {key} |" in markdown


def test_a_wrong_or_raising_backend_is_an_error_and_not_timed():
    def boom():
        raise RuntimeError("broken rule")

    case = Case(
        "WX", "toy", {"numpy": impl(lambda: 1.0), "autograd": impl(lambda: 1.1),
                      "mini_ad": impl(boom)},
        reference=lambda: 1.0, rtol=1e-9,
    )  # fmt: skip
    row = measure(case, Config.preset("smoke"), skipped={})
    assert row.status["numpy"] == "ok" and "numpy" in row.stats
    assert row.status["autograd"].startswith("error: output 0 differs")
    assert row.status["mini_ad"] == "error: raised RuntimeError: broken rule"
    assert set(row.stats) == {"numpy"}


def test_compare_checks_structure_and_shape():
    assert compare({"b": 1.0, "a": [2.0]}, {"a": [2.0], "b": 1.0}, 1e-9, 0.0) is None
    assert "2 output arrays" in compare((1.0, 2.0), (1.0,), 1e-9, 0.0)
    assert "shape" in compare(np.ones(2), np.ones(3), 1e-9, 0.0)


def test_cli_writes_json_and_markdown(tmp_path, capsys):
    json_path, md_path = tmp_path / "out.json", tmp_path / "out.md"
    argv = ["--smoke", "--only", "W1", "--skip", "jax,jax_jit", "--json", str(json_path),
            "--markdown", str(md_path)]  # fmt: skip
    assert main(argv) == 0
    report = json.loads(json_path.read_text())
    assert list(report["workloads"]) == ["W1"]
    assert "## Targets" in md_path.read_text()
    assert "## Times" in capsys.readouterr().out
