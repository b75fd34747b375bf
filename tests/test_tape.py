"""The eager tape (``mini_ad.transforms.tape``) against the general path.

``vjp`` at concrete inputs records a tape; with ``tape.ENABLED = False`` it runs
linearize + transpose. Both are checked against JAX and finite differences in the
primitive table (the tape at top level, the general path under ``jit`` and other
transforms); here every row is also run both ways and the two must agree to rounding,
first and second order, and under the compositions that reach the tape's interpreted
(non-compiled) mode: ``vmap`` and ``make_jaxpr`` of a vjp function, and tapes nested
in tapes.
"""

from __future__ import annotations

import numpy as np
import pytest
from autodiff_cases import ROWS
from autodiff_checks import random_like

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import current_trace, eval_trace
from mini_ad.transforms import tape, vjp_templates

REVERSE_ROWS = [r for r in ROWS if "rev" in r.modes]


@pytest.fixture(autouse=True)
def build_templates_at_first_sight(monkeypatch):
    """Every signature gets its compiled template the first time it is met, so the tests
    here check the templates (by default a signature must recur before it gets one)."""
    monkeypatch.setattr(vjp_templates, "BUILD_AFTER", 1)


def general_path(fun, *args, **kwargs):
    """``fun(*args)`` with the tape switched off."""
    tape.ENABLED = False
    try:
        return fun(*args, **kwargs)
    finally:
        tape.ENABLED = True


def vjp_both_ways(fun, args, ct):
    """``(tape result, general result)`` of the vjp of ``fun`` at ``args`` applied to ``ct``."""

    def run():
        out, f_vjp = ad.vjp(fun, *args)
        return out, f_vjp(ct)

    return run(), general_path(run)


def assert_trees_close(a, b, rtol=1e-12, atol=1e-12):
    leaves_a, tree_a = ad.tree_util.tree_flatten(a)
    leaves_b, tree_b = ad.tree_util.tree_flatten(b)
    assert tree_a == tree_b
    for x, y in zip(leaves_a, leaves_b, strict=True):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x, y)
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol)


@pytest.mark.parametrize("row", REVERSE_ROWS, ids=lambda r: r.id)
def test_tape_vjp_equals_the_general_path(row):
    args = row.args()
    out = row.mini(*args)
    ct = random_like(np.random.default_rng(0), out)
    (out_tape, cts_tape), (out_general, cts_general) = vjp_both_ways(row.mini, args, ct)
    assert_trees_close(out_tape, out_general)
    assert_trees_close(cts_tape, cts_general)


@pytest.mark.parametrize("row", REVERSE_ROWS, ids=lambda r: r.id)
def test_grad_of_a_sum_equals_the_general_path(row):
    """grad seeds the tape with a cotangent of exactly 1, which stays symbolic (``Ones``)
    through sums and adds and is multiplied away: the result must not change."""
    args = row.args()

    def total(*xs):
        out = row.mini(*xs)
        return sum(mnp.sum(o) for o in ad.tree_util.tree_leaves(out))

    argnums = tuple(range(len(args)))
    expected = general_path(ad.grad(total, argnums=argnums), *args)
    assert_trees_close(ad.grad(total, argnums=argnums)(*args), expected)


@pytest.mark.parametrize("row", REVERSE_ROWS, ids=lambda r: r.id)
def test_nested_tapes_equal_the_general_path(row):
    """Second order by reverse-over-reverse: the inner tape's forward and backward run on
    the outer tape, so its templates are interpreted rather than compiled."""
    args = row.args()
    rng = np.random.default_rng(1)
    ct = random_like(rng, row.mini(*args))
    directions = [random_like(rng, a) for a in args]

    def first_order_in_direction(*xs):
        cts = ad.vjp(row.mini, *xs)[1](ct)
        return sum(mnp.sum(c * d) for c, d in zip(cts, directions, strict=True))

    def second_order():
        return ad.grad(first_order_in_direction, argnums=tuple(range(len(args))))(*args)

    assert_trees_close(second_order(), general_path(second_order), rtol=1e-10, atol=1e-12)


def test_vmap_and_make_jaxpr_of_a_tape_vjp_function():
    """A vjp function made at top level runs its backward under other transforms."""
    x = np.linspace(0.1, 1.0, 5)
    f = lambda x: mnp.tanh(x) * mnp.sin(x) + x**2  # noqa: E731
    _, f_vjp = ad.vjp(f, x)
    _, f_vjp_general = general_path(ad.vjp, f, x)
    cts = np.eye(5)
    assert_trees_close(ad.vmap(f_vjp)(cts), ad.vmap(f_vjp_general)(cts))
    assert_trees_close(ad.jit(f_vjp)(x), f_vjp_general(x))
    closed = ad.make_jaxpr(f_vjp)(x)
    assert_trees_close(tuple(closed(x)), f_vjp_general(x))


def test_per_call_primitives_on_the_tape():
    """cond, scan, while_loop, custom rules and checkpoint are linearized one equation at a
    time on the tape; the result is the general path's."""

    @ad.custom_vjp
    def clip_grad(x):
        return x

    clip_grad.defvjp(lambda x: (x, None), lambda _, g: (mnp.clip(g, -0.5, 0.5),))

    def f(x):
        y = lax.cond(x[0] > 0, mnp.sin, mnp.cos, x)
        y, _ = lax.scan(lambda c, xi: (c * xi + mnp.exp(c), None), y, x)
        z = lax.while_loop(lambda v: v[0] < 10.0, lambda v: v * 1.5 + 0.1, mnp.abs(y) + 0.5)
        w = ad.checkpoint(lambda v: mnp.sin(v) ** 2)(z)
        return mnp.sum(clip_grad(w) * x) + ad.jit(mnp.tanh)(x).sum()

    x = np.array([0.3, -0.2, 0.4])
    assert_trees_close(ad.grad(f)(x), general_path(ad.grad(f), x))
    assert current_trace() is eval_trace


def test_zero_derivative_primitives_leave_no_node():
    """floor, stop_gradient and comparisons return bare values: nothing to walk back."""
    returned = {}
    original = tape.TapeTrace.process_primitive

    def spy(self, primitive, args, params):
        out = original(self, primitive, args, params)
        returned[primitive.name] = type(out) is tape.TapeTracer
        return out

    tape.TapeTrace.process_primitive = spy
    try:
        g = ad.grad(lambda x: mnp.floor(x) + mnp.stop_gradient(x) * x + (x > 0) * 1.0)(1.5)
    finally:
        tape.TapeTrace.process_primitive = original
    assert float(g) == 1.5
    assert returned["mul"] and returned["add"]
    assert not returned["floor"] and not returned["stop_gradient"] and not returned["gt"]


def test_replacing_a_rule_rebuilds_the_templates():
    from mini_ad.primitives import elementwise as ew

    assert float(ad.grad(mnp.sin)(0.0)) == 1.0
    original = ew.sin_p.jvp
    ew.sin_p.jvp = lambda primals, tangents: (ew.sin(primals[0]), ew.mul(tangents[0], 2.0))
    try:
        assert float(ad.grad(mnp.sin)(0.0)) == 2.0
    finally:
        ew.sin_p.jvp = original
    assert float(ad.grad(mnp.sin)(0.0)) == 1.0


def test_the_tape_runs_only_at_concrete_inputs():
    seen = []
    original = tape.vjp_flat

    def spy(fun, primals, **options):
        seen.append(current_trace())
        return original(fun, primals, **options)

    tape.vjp_flat = spy
    try:
        ad.grad(ad.grad(mnp.sin))(0.3)  # top level, then nested in the outer tape
        ad.jit(ad.grad(mnp.sin))(0.3)  # staged: linearize + transpose
        ad.jvp(ad.grad(mnp.sin), (0.3,), (1.0,))  # under jvp: linearize + transpose
    finally:
        tape.vjp_flat = original
    assert seen[0] is eval_trace and type(seen[1]) is tape.TapeTrace and len(seen) == 2


def test_the_collector_is_paused_only_while_the_tape_runs():
    import gc

    seen = []

    def f(x):
        seen.append(gc.isenabled())
        return mnp.sin(x)

    assert gc.isenabled()
    ad.grad(f)(0.5)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError):
        ad.grad(lambda x: x * (1 / 0))(0.5)
    assert gc.isenabled()
    gc.disable()  # a caller's own choice is kept
    try:
        ad.grad(f)(0.5)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_fan_in_sums_never_write_into_shared_arrays():
    """Cotangents reaching one value are summed in place only when nothing else holds
    the running sum: the caller's cotangent, aliases and repeated calls stay intact."""
    x = np.arange(3.0)
    ct = np.ones(3)
    _, f_vjp = ad.vjp(lambda x: x + x, x)
    assert f_vjp(ct)[0].tolist() == [2.0, 2.0, 2.0] and ct.tolist() == [1.0, 1.0, 1.0]
    _, f_vjp = ad.vjp(lambda x: x * 1.0 + x * 1.0 + x, x)
    first, second = f_vjp(ct)[0], f_vjp(ct)[0]
    assert first.tolist() == second.tolist() == [3.0, 3.0, 3.0] and ct.tolist() == [1.0] * 3
    assert ad.grad(lambda x: mnp.sum(x + x + x * 2.0))(x).tolist() == [4.0, 4.0, 4.0]


def test_residual_only_work_is_deferred_to_the_backward_pass():
    """For x**2 the tape stores x (alive anyway) rather than 2x, and grad's one-shot
    backward lets go of each node once done: grad of a 10^5 elementwise chain peaks
    well under what keeping every residual would take."""
    import tracemalloc

    n = 100_000
    x = np.linspace(-1.0, 1.0, n)
    ad.grad(lambda x: mnp.sum(x**2))(x)
    (template,) = [
        t
        for k, t in vjp_templates._templates.items()
        if k[0].name == "integer_pow" and k[2].shape == (n,)
    ]
    fwd = template.fwd_closed.jaxpr
    assert fwd.outvars[1] is fwd.invars[0]  # the residual is the input itself
    f = lambda x: mnp.sum(mnp.tanh(x) ** 2 + x * mnp.exp(-(x**2)))  # noqa: E731
    ad.grad(f)(x)
    tracemalloc.start()
    try:
        g = ad.grad(f)(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = 2 * np.tanh(x) * (1 - np.tanh(x) ** 2) + (1 - 2 * x**2) * np.exp(-(x**2))
    np.testing.assert_allclose(g, expected, rtol=1e-13, atol=1e-15)
    assert peak <= 5.5 * x.nbytes, peak / x.nbytes


def test_backward_functions_reuse_only_private_cotangent_buffers():
    from mini_ad.transforms.compile import compile_donating, compile_jaxpr

    closed = ad.make_jaxpr(lambda x, ct: ct * mnp.exp(x))(np.ones(4), np.ones(4))
    x, ct = np.zeros(4), np.full(4, 2.0)
    assert compile_jaxpr(closed)(x, ct)[0].tolist() == [2.0] * 4 and ct.tolist() == [2.0] * 4
    out = compile_donating(closed, (1,))(x, ct)[0]
    assert out is ct  # the donated buffer holds the result

    f = lambda x: mnp.sum(mnp.exp(-(mnp.sin(x) ** 2)))  # noqa: E731
    x = np.linspace(0.0, 1.0, 7)
    expected = general_path(ad.grad(f), x)
    assert_trees_close(ad.grad(f)(x), expected)
    user_ct = np.linspace(1.0, 2.0, 7)
    g = lambda x: mnp.exp(-(mnp.sin(x) ** 2))  # noqa: E731
    _, f_vjp = ad.vjp(g, x)
    first = f_vjp(user_ct)
    assert_trees_close(f_vjp(user_ct), first)
    assert user_ct.tolist() == np.linspace(1.0, 2.0, 7).tolist()
    assert_trees_close(first, general_path(lambda: ad.vjp(g, x)[1](user_ct)))


def test_a_template_is_built_only_for_a_signature_that_recurs(monkeypatch):
    """A small signature met once is linearized per call (the general path's cost); its
    BUILD_AFTER-th sighting builds its template, and a large one gets it at once. A
    program whose shapes never repeat stays cheap."""
    monkeypatch.setattr(vjp_templates, "BUILD_AFTER", 2)
    vjp_templates._templates.clear()
    vjp_templates._sightings.clear()
    x = np.linspace(0.0, 1.0, 11)  # a shape no other test uses
    f = lambda x: mnp.sum(mnp.sin(x) * x)  # noqa: E731

    def sin_templates():
        return [k for k in vjp_templates._templates if k[0].name == "sin" and k[2].shape == (11,)]

    first = ad.grad(f)(x)
    assert sin_templates() == []
    second = ad.grad(f)(x)
    assert len(sin_templates()) == 1
    third = ad.grad(f)(x)
    expected = np.sin(x) + x * np.cos(x)
    for g in (first, second, third):
        np.testing.assert_allclose(g, expected, rtol=1e-14, atol=1e-15)
    big = np.linspace(0.0, 1.0, vjp_templates.BUILD_AT_ONCE_SIZE)
    ad.grad(f)(big)
    assert any(k[0].name == "sin" and k[2].shape == big.shape for k in vjp_templates._templates)


def test_cotangents_stay_arrays_through_fan_in():
    """NumPy adds two 0-d arrays into a scalar; gradients are still 0-d arrays, as on the
    general path (fan-in: x reaches the output through sin(x) and through x)."""
    f = lambda x: mnp.sin(x) * x  # noqa: E731
    for _ in range(2):
        g = ad.grad(f)(0.5)
        assert type(g) is np.ndarray and g.shape == ()
    _, f_vjp = ad.vjp(lambda x: x * x + x, np.float64(0.5))
    (ct,) = f_vjp(np.ones(()))
    assert type(ct) is np.ndarray and float(ct) == 2.0
