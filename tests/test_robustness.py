"""Robustness of the core: long programs need no recursion and take linear work, and
threads tracing at the same time get separate, correct Jaxprs.

"No recursion" is checked by running with the recursion limit set just above the current
stack depth, so any recursion whose depth grows with the number of equations fails.
"""

import contextlib
import inspect
import sys
import threading

import numpy as np
import pytest
from core_checks import count_calls

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core import tracing

HEADROOM = 150  # stack frames the code may use on top of the test's own depth


@contextlib.contextmanager
def shallow_stack():
    """Lower the recursion limit to the current depth plus HEADROOM for the block."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + HEADROOM)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def affine_chain(n_steps):
    """``x -> x * 1.0001 + 0.1`` repeated: two equations per step."""

    def f(x):
        for _ in range(n_steps):
            x = x * 1.0001 + 0.1
        return x

    return f


def affine_chain_value(x, n_steps):
    """The same recurrence in closed form: a^n x + b (a^n - 1) / (a - 1)."""
    a, b = 1.0001, 0.1
    return a**n_steps * x + b * (a**n_steps - 1) / (a - 1)


def stage_eval_print(n_steps):
    closed = ad.make_jaxpr(affine_chain(n_steps))(1.0)
    (out,) = ad.eval_jaxpr(closed.jaxpr, closed.consts, [1.0])
    text = str(closed)
    return closed, out, text


def test_100k_equation_chain_stages_evaluates_and_prints_without_recursion():
    n_steps = 50_000
    with shallow_stack():
        closed, out, text = stage_eval_print(n_steps)
        ad.typecheck_jaxpr(closed.jaxpr)
    assert len(closed.eqns) == 2 * n_steps
    np.testing.assert_allclose(out, affine_chain_value(1.0, n_steps), rtol=1e-9)
    assert text.count("\n") == 2 * n_steps + 1  # header, one line per equation, `in`
    assert tracing.current_trace() is tracing.eval_trace


def test_a_single_op_repeated():
    n_eqns = 20_000

    def f(x):
        for _ in range(n_eqns):
            x = -x
        return x

    with shallow_stack():
        closed = ad.make_jaxpr(f)(np.arange(3.0))
        (out,) = ad.eval_jaxpr(closed.jaxpr, closed.consts, [np.arange(3.0)])
        text = str(closed)
    assert len(closed.eqns) == n_eqns and {e.primitive.name for e in closed.eqns} == {"neg"}
    np.testing.assert_array_equal(out, np.arange(3.0))
    assert text.splitlines()[-2].lstrip().startswith(f"{_name(n_eqns)}:f64[3] = neg")


def _name(index: int) -> str:
    """The printer's name of the index-th variable: a..z, ba, bb, ... (base 26)."""
    digits = ""
    while True:
        digits = chr(ord("a") + index % 26) + digits
        index //= 26
        if index == 0:
            return digits


def test_differentiating_a_long_chain_needs_no_recursion():
    n_steps = 5_000
    with shallow_stack():
        g = ad.grad(affine_chain(n_steps))(1.0)
        closed = ad.make_jaxpr(ad.grad(affine_chain(n_steps)))(1.0)
    np.testing.assert_allclose(g, 1.0001**n_steps, rtol=1e-9)
    assert len(closed.eqns) >= 2 * n_steps


def test_staging_evaluating_and_printing_take_linear_work():
    # 2,000 vs 20,000 equations: 10x the equations may take at most 15x the calls (a
    # quadratic algorithm written in Python would take ~100x). Counted, not timed.
    small, large = 1_000, 10_000
    ratio = count_calls(stage_eval_print, large)[1] / count_calls(stage_eval_print, small)[1]
    assert 5 <= ratio <= 15, f"10x the equations took {ratio:.1f} times the calls"


# --- threads ----------------------------------------------------------------------------------


def _first(x, barrier):
    y = mnp.sin(x)
    barrier.wait()  # both threads are now in the middle of tracing
    y = y * 2.0
    barrier.wait()
    return mnp.sum(y)


def _second(x, barrier):
    y = mnp.exp(x)
    barrier.wait()
    y = mnp.reshape(y, (3, 2)) - 1.0
    barrier.wait()
    return y.T


class _NoBarrier:
    def wait(self):
        pass


@pytest.mark.parametrize("rounds", range(3))
def test_two_threads_tracing_at_once_get_separate_jaxprs(rounds):
    args = {_first: np.ones(4), _second: np.ones(6)}
    expected = {
        f: str(ad.make_jaxpr(f, static_argnums=1)(x, _NoBarrier())) for f, x in args.items()
    }
    barrier = threading.Barrier(2, timeout=10)
    results, failures = {}, []

    def work(f):
        try:
            results[f] = ad.make_jaxpr(f, static_argnums=1)(args[f], barrier)
            assert tracing.current_trace() is tracing.eval_trace
        except BaseException as e:  # reported below, in the main thread
            failures.append(e)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(f,)) for f in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not failures, failures
    for f, x in args.items():
        assert str(results[f]) == expected[f]
        ad.typecheck_jaxpr(results[f].jaxpr)
        (out,) = ad.eval_jaxpr(results[f].jaxpr, results[f].consts, [x])
        np.testing.assert_allclose(out, f(x, _NoBarrier()))
    assert tracing.current_trace() is tracing.eval_trace


def test_a_thread_started_inside_a_transform_starts_at_the_base_trace():
    seen = []

    def f(x):
        t = threading.Thread(target=lambda: seen.append(tracing.current_trace()))
        t.start()
        t.join()
        return x * 2.0

    ad.make_jaxpr(f)(1.0)
    assert seen == [tracing.eval_trace]
