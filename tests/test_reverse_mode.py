"""Reverse mode (``vjp`` = linearize + transpose) under composition.

There is one reverse mode: eager ``grad``/``vjp`` at concrete inputs take the same
path as under ``jit`` and the other transforms. Here a vjp function is run under
other transforms, reverse-over-reverse is checked against the staged path, and the
cotangent bookkeeping (fan-in sums, caller's buffers, 0-d results) is pinned down.
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
from mini_ad.transforms.partial_eval import linearize_flat

STAGED_REVERSE_ROWS = [
    r for r in ROWS if "rev" in r.modes and r.staged_reverse and r.max_order >= 2
]


def assert_trees_close(a, b, rtol=1e-12, atol=1e-12):
    leaves_a, tree_a = ad.tree_util.tree_flatten(a)
    leaves_b, tree_b = ad.tree_util.tree_flatten(b)
    assert tree_a == tree_b
    for x, y in zip(leaves_a, leaves_b, strict=True):
        x, y = np.asarray(x), np.asarray(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x, y)
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol)


@pytest.mark.parametrize("row", STAGED_REVERSE_ROWS, ids=lambda r: r.id)
def test_reverse_over_reverse_equals_the_staged_path(row):
    """Second order by reverse-over-reverse: the inner vjp's linearize and transpose run
    under the outer linearize; eager and ``jit`` agree to rounding."""
    args = row.args()
    rng = np.random.default_rng(1)
    ct = random_like(rng, row.mini(*args))
    directions = [random_like(rng, a) for a in args]

    def first_order_in_direction(*xs):
        cts = ad.vjp(row.mini, *xs)[1](ct)
        return sum(mnp.sum(c * d) for c, d in zip(cts, directions, strict=True))

    second_order = ad.grad(first_order_in_direction, argnums=tuple(range(len(args))))
    assert_trees_close(second_order(*args), ad.jit(second_order)(*args), rtol=1e-10)


def test_vmap_jit_and_make_jaxpr_of_a_vjp_function():
    """A vjp function made at top level runs its backward under other transforms."""
    x = np.linspace(0.1, 1.0, 5)
    f = lambda x: mnp.tanh(x) * mnp.sin(x) + x**2  # noqa: E731
    _, f_vjp = ad.vjp(f, x)
    rows = np.stack([f_vjp(row)[0] for row in np.eye(5)])
    assert_trees_close(ad.vmap(f_vjp)(np.eye(5)), (rows,))
    assert_trees_close(ad.jit(f_vjp)(x), f_vjp(x))
    closed = ad.make_jaxpr(f_vjp)(x)
    assert_trees_close(tuple(closed(x)), f_vjp(x))


def test_control_flow_and_custom_rules_under_eager_grad():
    """cond, scan, while_loop, custom rules and checkpoint under eager ``grad`` agree with
    central differences (the clip never binds here), and the current trace is restored."""

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
    eps = 1e-6
    differences = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(3)]
    np.testing.assert_allclose(ad.grad(f)(x), differences, rtol=1e-6, atol=1e-8)
    assert current_trace() is eval_trace


def test_zero_derivative_primitives_stage_nothing():
    """floor, stop_gradient and comparisons have no tangent: the linear program holds
    only the equations of the differentiable part."""
    f = lambda x: [mnp.floor(x) + mnp.stop_gradient(x) * x + (x > 0) * 1.0]  # noqa: E731
    (out,), jaxpr, _ = linearize_flat(f, [np.float64(1.5)])
    names = {eqn.primitive.name for eqn in jaxpr.eqns}
    assert names.isdisjoint({"floor", "stop_gradient", "gt"}), names
    assert float(ad.grad(lambda x: f(x)[0])(1.5)) == 1.5


def test_replacing_a_rule_takes_effect_at_once():
    from mini_ad.primitives import elementwise as ew

    assert float(ad.grad(mnp.sin)(0.0)) == 1.0
    original = ew.sin_p.jvp
    ew.sin_p.jvp = lambda primals, tangents: (ew.sin(primals[0]), ew.mul(tangents[0], 2.0))
    try:
        assert float(ad.grad(mnp.sin)(0.0)) == 2.0
    finally:
        ew.sin_p.jvp = original
    assert float(ad.grad(mnp.sin)(0.0)) == 1.0


def test_fan_in_sums_never_write_into_shared_arrays():
    """Cotangents reaching one value are summed into fresh arrays: the caller's
    cotangent, aliases and repeated calls stay intact."""
    x = np.arange(3.0)
    ct = np.ones(3)
    _, f_vjp = ad.vjp(lambda x: x + x, x)
    assert f_vjp(ct)[0].tolist() == [2.0, 2.0, 2.0] and ct.tolist() == [1.0, 1.0, 1.0]
    _, f_vjp = ad.vjp(lambda x: x * 1.0 + x * 1.0 + x, x)
    first, second = f_vjp(ct)[0], f_vjp(ct)[0]
    assert first.tolist() == second.tolist() == [3.0, 3.0, 3.0] and ct.tolist() == [1.0] * 3
    assert ad.grad(lambda x: mnp.sum(x + x + x * 2.0))(x).tolist() == [4.0, 4.0, 4.0]


def test_a_vjp_function_can_be_called_again_with_the_same_cotangent():
    g = lambda x: mnp.exp(-(mnp.sin(x) ** 2))  # noqa: E731
    x = np.linspace(0.0, 1.0, 7)
    user_ct = np.linspace(1.0, 2.0, 7)
    _, f_vjp = ad.vjp(g, x)
    first = f_vjp(user_ct)
    assert_trees_close(f_vjp(user_ct), first, rtol=0, atol=0)
    assert user_ct.tolist() == np.linspace(1.0, 2.0, 7).tolist()
    assert_trees_close(first, ad.jit(lambda x, c: ad.vjp(g, x)[1](c))(x, user_ct))


def test_cotangents_stay_arrays_through_fan_in():
    """NumPy adds two 0-d arrays into a scalar; gradients are still 0-d arrays
    (fan-in: x reaches the output through sin(x) and through x)."""
    f = lambda x: mnp.sin(x) * x  # noqa: E731
    for _ in range(2):
        g = ad.grad(f)(0.5)
        assert type(g) is ad.Array and g.shape == ()
    _, f_vjp = ad.vjp(lambda x: x * x + x, np.float64(0.5))
    (ct,) = f_vjp(np.ones(()))
    assert type(ct) is ad.Array and float(ct) == 2.0
