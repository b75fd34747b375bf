"""The comparison suite: the registry's shape, a fast subset of its cases, the CLI's
tables / JSON / Markdown / exit status, and how unsupported features are counted."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("jax")

from mini_ad.comparisons import cli  # noqa: E402
from mini_ad.comparisons.registry import CATEGORIES, A, Case, all_cases  # noqa: E402
from mini_ad.comparisons.runner import run_case  # noqa: E402

# One or two cheap cases per category (the whole registry runs with `python -m comparisons`).
FAST_SUBSET = [
    "elementwise/tanh", "elementwise/arctan2", "kinks/abs_at_zero", "kinks/maximum_tie",
    "broadcasting/column_times_row", "broadcasting/float32_stays_float32",
    "reductions/prod_with_zero", "linalg/matvec", "shape/concatenate_stack",
    "indexing/integer_array_repeats", "nn/softmax_axes", "transforms/dict_params",
    "higher_order/sin_fourth", "control_flow/cond_on_sum", "seeds/seed002_calc",
    "seeds/seed003_cube",
]  # fmt: skip


@pytest.fixture(scope="module")
def cases():
    return {c.full_name: c for c in all_cases()}


def test_registry_has_enough_named_cases_in_every_category(cases):
    assert len(cases) >= 100
    per_category = {cat: sum(c.category == cat for c in cases.values()) for cat in CATEGORIES}
    assert all(n >= 5 for n in per_category.values()), per_category
    assert all(name in cases for name in FAST_SUBSET)


@pytest.mark.parametrize("name", FAST_SUBSET)
def test_fast_subset_agrees_with_jax_and_finite_differences(cases, name):
    report = run_case(cases[name])
    assert report.passed, f"\n{report}"
    counts = report.counts()
    assert counts["unsupported"] == 0 and counts["pass"] >= 4, f"\n{report}"
    assert report["bridge"].status == "pass"


def test_higher_order_case_checks_fourth_derivatives(cases):
    report = run_case(cases["seeds/seed003_cube"])
    assert [c.transform for c in report.checks if c.transform.startswith("d4")] == [
        "d4_fwd",
        "d4_rev",
    ]


def _with_cases(monkeypatch, *new_cases):
    monkeypatch.setattr(cli, "all_cases", lambda: list(new_cases))


def test_cli_writes_json_and_markdown_and_counts_checks(monkeypatch, tmp_path, capsys, cases):
    _with_cases(monkeypatch, cases["seeds/seed002_calc"], cases["kinks/abs_at_zero"])
    status = cli.main(
        [
            "-q",
            "--jax-cache",
            "",
            "--json",
            str(tmp_path / "r.json"),
            "--markdown",
            str(tmp_path / "r.md"),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "max rel err vs JAX" in out and "seeds" in out and "kinks" in out
    assert out.strip().splitlines()[-1].startswith("16 passed, 0 failed, 0 unsupported, 0 skipped")
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["summary"]["passed"] == 16 and len(data["cases"]) == 2
    grad = next(c for c in data["cases"][0]["checks"] if c["transform"] == "grad")
    assert grad["vs_jax"]["max_abs_error"] is not None and grad["vs_fd"]["max_rel_error"] < 1e-6
    assert "| seeds |" in (tmp_path / "r.md").read_text()


def test_cli_fails_on_a_mismatch_and_filters(monkeypatch, capsys):
    def wrong_on_mini_ad(np, x):  # the namespaces differ only in their label
        return np.sin(x) * (1.0 if "jax" in repr(np) else 1.01)

    broken = Case("broken", "elementwise", wrong_on_mini_ad, (A(3),))
    fine = Case("fine", "elementwise", lambda np, x: np.sin(x), (A(3),))
    _with_cases(monkeypatch, broken, fine)
    assert cli.main(["-q", "--jax-cache", "", "--filter", "broken"]) == 1
    out = capsys.readouterr().out
    assert "elementwise/broken" in out and "FAIL" in out and "elementwise/fine" not in out
    # every transform fails; the bridge (mini_ad's program on XLA vs mini_ad) still agrees
    assert out.splitlines()[-1].startswith("1 passed, 5 failed, 0 unsupported, 2 skipped")


def test_missing_features_are_unsupported_not_passed(monkeypatch, capsys):
    missing = Case("missing", "control_flow", lambda np, x: np.lax.no_such_loop(x), (A(2),))
    report = run_case(missing)
    assert {c.status for c in report.checks} == {"unsupported"}
    assert report.passed  # unsupported is neither passed nor failed
    _with_cases(monkeypatch, missing)
    assert cli.main(["-q", "--jax-cache", ""]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("0 passed, 0 failed, 8 unsupported")


def test_case_arguments_are_reproducible(cases):
    case = cases["linalg/matmul"]
    a1, a2 = case.make_args(), case.make_args()
    np.testing.assert_array_equal(a1[0], a2[0])
    assert a1[0].shape == (2, 3) and np.all(np.abs(a1[0]) <= 1)
