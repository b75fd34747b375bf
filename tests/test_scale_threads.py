"""Scale and concurrency (issue 13, item 5): deep graphs go through every transform without
RecursionError, a long ``scan`` differentiates, threads tracing at once give the
single-threaded bits, and a ``jit`` shared by threads traces once per shape.

The default chain has 10^4 primitives (10 times Python's recursion limit, a few
seconds); ``MINI_AD_SCALE_TESTS=1`` runs the 10^5-primitive chain of the issue (minutes;
its figures are in ``mini_ad/benchmarks/README.md``).
"""

from __future__ import annotations

import os
import sys
import threading

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

LONG = os.environ.get("MINI_AD_SCALE_TESTS") == "1"
CHAIN = 100_000 if LONG else 10_000


def chain(n_primitives: int):
    """``sum`` of ``n_primitives`` chained elementwise primitives: ``x + 1e-4 sin(x)``
    (sin, mul, add), whose derivative neither vanishes nor overflows along the chain."""

    def f(x):
        for _ in range(n_primitives // 3):
            x = x + mnp.sin(x) * 1e-4
        return mnp.sum(x)

    return f


def _reference_grad(x, n_primitives):
    """The chain's gradient by hand (NumPy, forward then backward)."""
    values = []
    for _ in range(n_primitives // 3):
        values.append(x)
        x = x + np.sin(x) * 1e-4
    g = np.ones_like(x)
    for v in reversed(values):
        g = g * (1.0 + np.cos(v) * 1e-4)
    return g


@pytest.fixture(scope="module")
def deep():
    assert sys.getrecursionlimit() < CHAIN
    x = np.linspace(0.1, 1.0, 4)
    return chain(CHAIN), x, _reference_grad(x, CHAIN)


def test_deep_chain_make_jaxpr(deep):
    f, x, _ = deep
    closed = ad.make_jaxpr(f)(x)
    assert len(closed.jaxpr.eqns) >= CHAIN


def test_deep_chain_eager_grad(deep):
    f, x, expected = deep
    np.testing.assert_allclose(ad.grad(f)(x), expected, rtol=1e-10)


def test_deep_chain_jit_and_jit_grad(deep):
    f, x, expected = deep
    assert np.array_equal(ad.jit(f)(x), f(x))
    np.testing.assert_allclose(ad.jit(ad.grad(f))(x), expected, rtol=1e-10)


def test_deep_chain_jvp_and_vmap_grad(deep):
    f, x, expected = deep
    t = np.array([1.0, 0.0, 2.0, -1.0])
    _, tangent = ad.jvp(f, (x,), (t,))
    np.testing.assert_allclose(tangent, expected @ t, rtol=1e-10)
    grads = ad.vmap(ad.grad(f))(np.stack([x, x[::-1]]))
    np.testing.assert_allclose(grads[0], expected, rtol=1e-10)
    np.testing.assert_allclose(grads[1], expected[::-1], rtol=1e-10)


def test_long_scan_under_grad():
    """A 10^5-step scan, differentiated: against a hand-written backward loop."""

    def f(xs):
        carry, ys = ad.lax.scan(lambda c, x: (mnp.sin(c) * 0.5 + x, c * x), xs[0], xs)
        return carry + mnp.sum(ys)

    xs = np.linspace(0.0, 1.0, 100_000)
    grad = ad.grad(f)(xs)
    cs = [xs[0]]  # forward: the carries
    for x in xs:
        cs.append(np.sin(cs[-1]) * 0.5 + x)
    g_x = np.empty_like(xs)
    g_c = 1.0  # d out / d carry_n
    for k in range(len(xs) - 1, -1, -1):  # y_k = c_k x_k; c_{k+1} = sin(c_k)/2 + x_k
        g_x[k] = g_c + cs[k]
        g_c = g_c * 0.5 * np.cos(cs[k]) + xs[k]
    g_x[0] += g_c  # xs[0] is also the initial carry
    np.testing.assert_allclose(grad, g_x, rtol=1e-9, atol=1e-12)


# --- threads -----------------------------------------------------------------------------------


def _thread_work(k: int):
    """Thread ``k``'s own function, traced and differentiated 100 times."""
    w = np.linspace(-1.0, 1.0, 5) * (k + 1)

    def f(x):
        y = mnp.tanh(x * w) + mnp.sin(x) ** 2
        return mnp.sum(ad.lax.cond(mnp.sum(y) > 0, lambda v: v * 2.0, mnp.cos, y))

    x = np.linspace(0.5, 1.5, 5) + 0.1 * k
    results = []
    for i in range(100):
        xi = x + 0.01 * i
        results.append(ad.grad(f)(xi))
        results.append(str(ad.make_jaxpr(ad.grad(f))(xi)))
        if i % 50 == 0:  # the heavier transforms now and then
            results.append(ad.jit(ad.grad(f))(xi))
            results.append(ad.vmap(ad.grad(f))(np.stack([xi, xi * 0.5])))
    return results


def test_eight_threads_give_the_single_threaded_bits():
    expected = [_thread_work(k) for k in range(8)]
    got, errors = [None] * 8, []

    def run(k):
        try:
            got[k] = _thread_work(k)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for k in range(8):
        for a, b in zip(got[k], expected[k], strict=True):
            assert np.array_equal(a, b), f"thread {k} differs from the single-threaded run"


def test_a_jit_shared_by_threads_traces_once_per_shape():
    traces = []
    gate = threading.Barrier(8)

    def f(x):
        traces.append(np.shape(x))  # a Python side effect: runs once per trace
        return mnp.sum(mnp.sin(x) * x)

    g = ad.jit(f)
    shapes = [(3,), (4,), (2, 2)]
    results, errors = {}, []

    def run(k):
        try:
            gate.wait()
            for i in range(30):
                shape = shapes[(k + i) % len(shapes)]
                x = np.ones(shape) * 0.5
                out = g(x)
                results.setdefault(shape, []).append(out)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(traces) == sorted(shapes), f"traced {len(traces)} times for 3 shapes"
    for outs in results.values():
        assert all(np.array_equal(o, outs[0]) for o in outs)


# --- long programs run as a step list -----------------------------------------------------------


def test_long_programs_run_as_steps_with_the_eager_bits(monkeypatch):
    """jit runs programs over ``INTERPRET_ABOVE`` equations as a step list: forced here on
    small programs, it gives eager's bits and never overwrites an argument."""
    from mini_ad.transforms import compile as compile_

    monkeypatch.setattr(compile_, "INTERPRET_ABOVE", 0)
    k = np.linspace(-1.0, 1.0, 6).reshape(2, 3)

    def f(x, y):
        z = mnp.sin(x) * y + k
        c, ys = ad.lax.scan(lambda c, r: (c * 0.5 + r, c * r), z[0], z)
        w = ad.lax.cond(mnp.sum(x) > 0, lambda v: v / 3.0, mnp.cos, ys)
        return mnp.sum(w**2) + mnp.sum(c), x, w.T[::-1], y * 1

    x, y = np.linspace(0.1, 0.9, 6).reshape(2, 3), np.float64(1.5)
    saved = x.copy()
    eager = f(x, y)
    for transform in (ad.jit, lambda fn: ad.jit(ad.grad(lambda *a: fn(*a)[0], argnums=(0, 1)))):
        out = transform(f)(x, y)
        ref = eager if transform is ad.jit else ad.grad(lambda *a: f(*a)[0], argnums=(0, 1))(x, y)
        for a, b in zip(out, ref, strict=True):
            assert np.array_equal(a, b)
        assert np.array_equal(x, saved)


def test_long_programs_return_read_only_arrays(monkeypatch):
    """As jit's generated source does: a step list's results are read-only Arrays, so a
    write into one cannot reach a constant of the program (or the next call's result)."""
    from mini_ad.transforms import compile as compile_

    monkeypatch.setattr(compile_, "INTERPRET_ABOVE", 0)
    k = np.linspace(1.0, 2.0, 3)
    g = ad.jit(ad.grad(lambda x: mnp.sum(k * x)))  # the gradient is the constant k itself
    r = g(np.ones(3))
    assert type(r) is ad.Array and not r.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(r)[0] = 99.0
    np.testing.assert_array_equal(g(np.ones(3)), np.linspace(1.0, 2.0, 3))
