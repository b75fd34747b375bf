"""debug_nans / debug_infs: the first equation that makes a NaN (inf), forward or backward,
named with its primitive, its pass and the user's line; eagerly, under jit and vmap.

Each scenario marks the line the error must name with a ``# <- name`` comment.
"""

import pathlib

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core import tracing

THIS_FILE = pathlib.Path(__file__).resolve()
LINES = THIS_FILE.read_text().splitlines()


def line_of(marker: str) -> int:
    """The line number of the line ending in ``# <- marker``."""
    hits = [i + 1 for i, line in enumerate(LINES) if line.rstrip().endswith(f"# <- {marker}")]
    assert len(hits) == 1, marker
    return hits[0]


def raised(fn, *args, infs=False) -> FloatingPointError:
    with ad.debug_infs() if infs else ad.debug_nans():
        with pytest.raises(FloatingPointError) as info:
            fn(*args)
    assert tracing.current_trace() is tracing.eval_trace
    return info.value


def check(error, primitive, pass_, rule, marker):
    assert error.primitive == primitive, str(error)
    assert error.pass_ == pass_, str(error)
    assert error.rule == rule, str(error)
    assert pathlib.Path(error.source.file).resolve() == THIS_FILE
    assert error.source.line == line_of(marker), str(error)
    assert f"{THIS_FILE.name}:{line_of(marker)}" in str(error)
    assert str(error).startswith(f"invalid value ({'inf' if 'infs' in marker else 'nan'})")


# --- the scenarios -----------------------------------------------------------------------------


def where_sqrt(x):
    y = mnp.sqrt(x)  # <- where-sqrt
    return mnp.where(x > 0, y, 0.0)  # <- where-sqrt-mask


def test_where_trick_with_sqrt_names_the_transpose_and_the_masking_select():
    error = raised(ad.grad(where_sqrt), 0.0)
    check(error, "mul", "backward", "transpose of sqrt", "where-sqrt")
    message = str(error)
    assert "0.0 * inf" in message
    assert f"select_n at {THIS_FILE}:{line_of('where-sqrt-mask')}" in message
    assert "chose the other branch" in message and "double-where" in message
    assert error.masked_by.line == line_of("where-sqrt-mask")


def where_log(x):
    return mnp.where(x > 0, mnp.log(x), 0.0)  # <- where-log


def test_where_trick_with_log():
    error = raised(ad.grad(where_log), 0.0)
    check(error, "div", "backward", "transpose of log", "where-log")
    assert "0.0 / 0.0" in str(error) and "chose the other branch" in str(error)


def norm(x):
    return mnp.linalg.norm(x)  # <- norm


def test_norm_at_zero():
    error = raised(ad.grad(norm), np.zeros(3))
    check(error, "mul", "backward", "transpose of mul", "norm")
    assert "0.0 * inf" in str(error) and "jvp of sqrt" in str(error)


def masked_ratio(x):
    return mnp.sum(mnp.where(x != 0, mnp.divide(mnp.sin(x), x), 1.0))  # <- masked-ratio


def test_zero_over_zero_in_a_masked_branch():
    error = raised(masked_ratio, mnp.zeros(2))
    check(error, "div", "forward", "", "masked-ratio")
    assert "0.0 / 0.0" in str(error)


def test_zero_over_zero_in_a_masked_branch_under_grad():
    error = raised(ad.grad(masked_ratio), np.array([0.0, 1.0]))
    check(error, "div", "forward", "jvp of div", "masked-ratio")


def angle(x):
    return mnp.arctan2(x, x)  # <- arctan2


def test_arctan2_at_the_origin():
    error = raised(ad.grad(angle), 0.0)
    check(error, "div", "forward", "jvp of atan2", "arctan2")


def logsumexp_by_hand(x):
    return mnp.log(mnp.sum(mnp.exp(x)))  # <- lse


def test_overflow_in_exp_inside_a_hand_written_logsumexp():
    error = raised(ad.grad(logsumexp_by_hand), np.array([1000.0, 1.0]), infs=True)
    assert error.primitive == "exp" and error.pass_ == "forward"
    assert error.source.line == line_of("lse")
    assert "exp(1000.0)" in str(error)
    # with debug_nans only, the inf is harmless until the backward pass multiplies it by 0
    error = raised(ad.grad(logsumexp_by_hand), np.array([1000.0, 1.0]))
    check(error, "mul", "backward", "transpose of exp", "lse")


def scan_sum_of_roots(xs):
    def body(carry, x):
        return carry + mnp.where(x > 0, mnp.sqrt(x), 0.0), None  # <- scan-body

    return lax.scan(body, 0.0, xs)[0]


def test_nan_made_in_a_scan_bodys_backward_pass():
    error = raised(ad.grad(scan_sum_of_roots), np.array([1.0, 0.0]))
    check(error, "mul", "backward", "transpose of sqrt", "scan-body")


def test_under_vmap():
    error = raised(ad.vmap(ad.grad(where_log)), np.array([1.0, 0.0]))
    check(error, "div", "backward", "transpose of log", "where-log")


def test_under_jit_the_compiled_program_is_rerun_to_find_the_equation():
    error = raised(ad.jit(ad.grad(where_sqrt)), 0.0)
    check(error, "mul", "backward", "transpose of sqrt", "where-sqrt")
    error = raised(ad.jit(ad.vmap(ad.grad(where_log))), np.array([1.0, 0.0]))
    check(error, "div", "backward", "transpose of log", "where-log")


def test_under_jit_with_the_xla_backend():
    pytest.importorskip("jax")
    error = raised(ad.jit(ad.grad(where_sqrt), backend="xla"), 0.0)
    check(error, "mul", "backward", "transpose of sqrt", "where-sqrt")


def test_forward_log_of_zero_with_debug_infs():
    error = raised(where_log, 0.0, infs=True)
    assert error.primitive == "log" and error.pass_ == "forward"
    assert error.source.line == line_of("where-log")


# --- the options -------------------------------------------------------------------------------


def double_where_sqrt(x):
    safe = mnp.where(x > 0, x, 1.0)
    return mnp.where(x > 0, mnp.sqrt(safe), 0.0)


def test_the_suggested_fix_has_a_finite_gradient_under_the_check():
    with ad.debug_nans(), ad.debug_infs():
        assert ad.grad(double_where_sqrt)(0.0) == 0.0
        assert ad.jit(ad.grad(double_where_sqrt))(0.0) == 0.0


def test_config_update_spelling_and_off_by_default():
    assert np.isnan(ad.grad(where_sqrt)(0.0))  # off: no check, no cost
    ad.config.update("debug_nans", True)
    try:
        assert tracing.current_trace() is not tracing.eval_trace
        with pytest.raises(FloatingPointError, match="transpose of sqrt"):
            ad.grad(where_sqrt)(0.0)
    finally:
        ad.config.update("debug_nans", False)
    assert tracing.current_trace() is tracing.eval_trace
    assert np.isnan(ad.grad(where_sqrt)(0.0))
    ad.config.update("debug_infs", True)
    try:
        with pytest.raises(FloatingPointError, match=r"\(inf\) encountered in exp"):
            mnp.exp(1000.0)
    finally:
        ad.config.update("debug_infs", False)
    assert tracing.current_trace() is tracing.eval_trace


def test_nans_in_the_inputs_are_not_blamed_on_the_first_equation():
    with ad.debug_nans():
        assert np.isnan(mnp.sin(np.nan))
        assert float(mnp.exp(1000.0)) == np.inf  # infs are not checked by debug_nans


def test_values_and_gradients_are_unchanged_when_nothing_goes_wrong():
    x = np.array([0.5, 2.0])
    expected = ad.grad(lambda v: mnp.sum(mnp.tanh(v) * mnp.log(v)))(x)
    with ad.debug_nans(), ad.debug_infs():
        got = ad.grad(lambda v: mnp.sum(mnp.tanh(v) * mnp.log(v)))(x)
        jitted = ad.jit(ad.grad(lambda v: mnp.sum(mnp.tanh(v) * mnp.log(v))))(x)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(jitted, expected)
