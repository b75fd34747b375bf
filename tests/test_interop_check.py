"""``check_against_jax`` on user functions: agreement, a deliberately broken rule (the
mismatch names the transform and finite differences say mini_ad is wrong), skipped and
unsupported transforms, higher orders, and the report's table and JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("jax")

import mini_ad.numpy as mnp  # noqa: E402
from mini_ad.interop.compare import check_against_jax  # noqa: E402
from mini_ad.interop.report import compare_trees  # noqa: E402
from mini_ad.primitives import elementwise as ew  # noqa: E402
from mini_ad.testing import check_against_jax as check_from_testing  # noqa: E402


def user_loss(params, x):
    """A small model written by a user: not in the comparison registry."""
    h = mnp.tanh(x @ params["w"] + params["b"])
    return mnp.mean(mnp.log1p(mnp.exp(h)) * mnp.cos(h))


def _args():
    rng = np.random.default_rng(3)
    return {"w": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}, rng.normal(size=(4, 3))


def test_user_function_agrees_with_jax_and_finite_differences():
    report = check_from_testing(user_loss, *_args())
    assert report.passed
    statuses = {c.transform: c.status for c in report.checks}
    assert statuses == {
        t: "pass" for t in ("value", "grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian")
    }
    for check in report.checks[1:]:
        assert check.jax.max_rel < 1e-10 and check.fd.max_rel < 1e-6
    assert "hessian" in str(report) and "7 passed" in str(report)


def test_broken_jvp_rule_is_reported_naming_the_transforms(monkeypatch):
    good_jvp = ew.sin_p.jvp

    def wrong_jvp(primals, tangents, **params):  # d sin = 1.1 cos: deliberately wrong
        out, t = good_jvp(primals, tangents, **params)
        return out, None if t is None else ew.mul(t, np.float64(1.1))

    monkeypatch.setattr(ew.sin_p, "jvp", wrong_jvp)
    f = lambda x: mnp.sum(mnp.sin(x) * x)
    x = np.array([0.3, -1.2, 2.0])
    with pytest.raises(AssertionError, match=r"disagrees with JAX on <lambda> in: grad, jvp, vjp"):
        check_against_jax(f, x)
    report = check_against_jax(f, x, raise_on_failure=False)
    assert report["value"].status == "pass"  # the primal is untouched
    for t in ("grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian"):
        check = report[t]
        assert check.status == "fail" and not check.jax.passed and not check.fd.passed, t
        assert "mini_ad is wrong" in check.verdict
    assert "FAIL" in str(report) and "mini_ad is wrong" in str(report)
    monkeypatch.undo()
    assert check_against_jax(f, x).passed  # restored


def test_broken_transpose_rule_fails_only_reverse_mode(monkeypatch):
    # d(-x) transposed as +ct: forward mode is untouched, every reverse-mode result is wrong
    monkeypatch.setattr(ew.neg_p, "transpose", lambda ct, x: [ct])
    report = check_against_jax(
        lambda x: mnp.sum(mnp.exp(-x) * x), np.array([0.5, 1.5]), raise_on_failure=False
    )
    failed = sorted(c.transform for c in report.failures)
    assert failed == ["grad", "hessian", "jacrev", "vjp"], str(report)
    assert report["jvp"].status == report["jacfwd"].status == "pass"


def test_non_scalar_outputs_skip_grad_and_hessian():
    report = check_against_jax(
        lambda x, y: {"a": mnp.sin(x) * y, "b": [x @ y]}, np.ones(3), np.arange(3.0)
    )
    assert report["grad"].status == "skip" and "scalar" in report["grad"].message
    assert report["hessian"].status == "skip"
    assert report.counts() == {"pass": 5, "fail": 0, "error": 0, "unsupported": 0, "skip": 2}


def test_integer_arguments_are_held_fixed():
    f = lambda x, idx: mnp.sum(x[idx] ** 2)
    report = check_against_jax(f, np.array([1.0, 2.0, 3.0]), np.array([2, 0, 2]))
    assert report.passed and report["grad"].status == "pass"


def test_python_int_arguments_are_static():
    report = check_against_jax(
        lambda x, k: mnp.sum(mnp.tanh(x[:k]) ** k), np.linspace(0.1, 1.0, 4), 3
    )
    assert report.passed and report["hessian"].status == "pass"


def test_fourth_order():
    report = check_against_jax(
        lambda x: mnp.sum(mnp.exp(mnp.sin(x))), np.array([0.2, 0.9]), order=4
    )
    names = [c.transform for c in report.checks]
    assert names[-4:] == ["d3_fwd", "d3_rev", "d4_fwd", "d4_rev"]
    assert report.passed and all(c.status == "pass" for c in report.checks)


def test_unsupported_features_are_not_passed():
    def uses_missing_feature(x):
        raise NotImplementedError("mini_ad.fft is not built yet")

    report = check_against_jax(uses_missing_feature, np.ones(2), raise_on_failure=False)
    assert {c.status for c in report.checks} == {"unsupported"}
    with pytest.raises(AssertionError, match="unsupported"):
        check_against_jax(uses_missing_feature, np.ones(2))


def test_report_serializes_every_check_with_its_errors():
    report = check_against_jax(lambda x: mnp.sum(mnp.sqrt(x)), np.array([1.0, 4.0]))
    data = json.loads(json.dumps(report.to_dict()))
    assert [c["transform"] for c in data["checks"]][:3] == ["value", "grad", "jvp"]
    grad = data["checks"][1]
    assert grad["status"] == "pass" and grad["vs_jax"]["max_abs_error"] < 1e-14
    assert grad["vs_fd"]["reference"] == "fd" and grad["vs_fd"]["max_rel_error"] < 1e-8


def test_tree_comparison_reports_structure_dtype_and_worst_index():
    assert (
        "structures differ"
        in compare_trees({"a": 1.0}, [1.0], rtol=1e-8, atol=0, reference="jax").note
    )
    dtype = compare_trees(np.ones(2, np.float32), np.ones(2), rtol=1e-8, atol=0, reference="jax")
    assert not dtype.passed and "dtype" in dtype.note
    worst = compare_trees(
        [np.zeros((2, 3))], [np.eye(2, 3) * 1e-3], rtol=1e-8, atol=1e-12, reference="jax"
    )
    assert not worst.passed and worst.worst == "leaf 0 [0, 0]" and worst.max_abs == 1e-3
    nan = compare_trees(
        np.array([np.nan, np.inf]), np.array([np.nan, np.inf]), rtol=1e-8, atol=0, reference="fd"
    )
    assert nan.passed and nan.max_abs == 0.0
