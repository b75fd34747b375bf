"""``lax.cond`` and ``lax.switch``: values, printed jaxprs, derivatives and batching.

Every program is written once against a lax-like module (``mini_ad.lax`` or
``jax.lax``) and a numpy-like one, then checked through the shared checkers: all
autodiff transforms against JAX (x64), the vjp/jvp dot-product test, finite
differences (``check_grads``) and vmap against a Python loop.
"""

import numpy as np
import pytest
from autodiff_checks import check_transforms_against_jax
from batching_checks import check_batched_like_loop
from control_flow_checks import check_derivatives, check_jacobians_against_jax

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X3 = np.array([0.3, -1.2, 2.0])
W3 = np.array([1.5, 0.5, -0.7])


def _sign_branch(lx, np_):
    return lambda x: lx.cond(np_.sum(x) > 0, lambda v: np_.sin(v) * v, lambda v: np_.cos(v) - v, x)


def _closure_branch(lx, np_):
    def f(x, w):  # branches close over w (hoisted into operands)
        return lx.cond(x[0] < 0, lambda v: v * w, lambda v: np_.exp(v) + w, x)

    return f


def _pytree_branch(lx, np_):
    def f(x, w):
        a, b = lx.cond(x[1] > x[0], lambda p: (p[0] * p[1], p[0]), lambda p: (p[1], -p[0]), (x, w))
        return a + np_.tanh(b)

    return f


def _switch3(lx, np_):
    branches = [lambda v: v**2, lambda v: np_.sin(v), lambda v: np_.log1p(v * v)]
    return lambda x: lx.switch(np_.argmax(x), branches, x)


def _nested(lx, np_):
    inner = lambda v: lx.cond(v[0] > 0, np_.sin, np_.cos, v)
    return lambda x: lx.cond(x[2] > 1, inner, lambda v: v * 3.0, x)


def _int_pred(lx, np_):
    return lambda x, w: lx.cond(3, lambda a, b: a * b, lambda a, b: a + b, x, w)


# (name, program factory (lax, numpy) -> f, args)
PROGRAMS = [
    ("sign-branch", _sign_branch, (X3,)),
    ("sign-branch-other", _sign_branch, (-X3,)),
    ("closure", _closure_branch, (X3, W3)),
    ("closure-other", _closure_branch, (-X3, W3)),
    ("pytree", _pytree_branch, (X3, W3)),
    ("switch", _switch3, (X3,)),
    ("switch-other", _switch3, (np.array([2.0, 0.1, 0.3]),)),
    ("nested", _nested, (X3,)),
    ("int-pred", _int_pred, (X3, W3)),
]


@pytest.mark.parametrize("name, factory, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_jacobians_match_jax(name, factory, args):
    check_jacobians_against_jax(factory(lax, mnp), factory(jax.lax, jnp), args)


@pytest.mark.parametrize("name, factory, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_dot_product_and_finite_differences(name, factory, args):
    check_derivatives(factory(lax, mnp), args)


def test_every_transform_matches_jax():
    _, factory, args = PROGRAMS[2]
    check_transforms_against_jax(factory(lax, mnp), factory(jax.lax, jnp), args)


@pytest.mark.parametrize("name, factory, args", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_under_jit_matches_eager(name, factory, args):
    f = factory(lax, mnp)
    np.testing.assert_allclose(ad.jit(f)(*args), f(*args), rtol=1e-12)
    g = ad.grad(lambda *a: mnp.sum(f(*a)))
    np.testing.assert_allclose(ad.jit(g)(*args), g(*args), rtol=1e-12)


def _jaxpr_text(factory, args):
    ours = str(ad.make_jaxpr(factory(lax, mnp))(*args))
    theirs = str(jax.make_jaxpr(factory(jax.lax, jnp))(*args))
    return ours, theirs


def test_printed_like_jax():
    program = lambda lx, np_: lambda x: lx.cond(x > 0, np_.sin, np_.cos, x)
    ours, theirs = _jaxpr_text(program, (1.0,))
    assert ours == theirs
    assert "cond[\n      branches=(\n        { lambda ; e:f64[]. let f:f64[] = cos e" in ours


def test_printed_concrete_pred_like_jax():
    program = lambda lx, np_: lambda x: lx.cond(3, np_.sin, np_.cos, x)
    ours, theirs = _jaxpr_text(program, (1.0,))
    assert ours == theirs
    assert "] 1:i32[] a" in ours


def test_printed_int_pred_like_jax():
    program = lambda lx, np_: lambda p, x: lx.cond(p, np_.sin, np_.cos, x)
    ours, theirs = _jaxpr_text(program, (3, 1.0))
    assert ours == theirs
    assert "ne a 0:i64[]" in ours


def test_grad_keeps_cond_structure():
    """make_jaxpr(grad) shows a primal cond (with residuals) and a linear cond."""
    f = lambda x: lax.cond(x > 0, mnp.sin, mnp.cos, x)
    jaxpr = ad.make_jaxpr(ad.grad(f))(1.0)
    conds = [e for e in jaxpr.eqns if e.primitive.name == "cond"]
    assert len(conds) == 2
    assert len(conds[0].outputs) == 2  # primal output and one shared residual slot
    ad.typecheck_jaxpr(jaxpr.jaxpr)


def test_concrete_pred_values():
    assert float(lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 1.0)) == 2.0
    assert float(lax.cond(np.int64(0), lambda x: x + 1.0, lambda x: x - 1.0, 1.0)) == 0.0
    assert float(lax.switch(-4, [lambda: 1.0, lambda: 2.0])) == 1.0  # index clamped
    assert float(lax.switch(7, [lambda: 1.0, lambda: 2.0])) == 2.0


def test_python_if_inside_branch_is_an_error():
    def f(x):
        return lax.cond(x > 0, lambda v: v if v > 1 else -v, lambda v: v, x)

    with pytest.raises(ad.errors.TracerBoolConversionError, match="for cond"):
        f(2.0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: lax.cond(np.array([True, False]), mnp.sin, mnp.cos, 1.0),
            TypeError,
            "Pred must be a scalar",
        ),
        (
            lambda: lax.cond(1.5, mnp.sin, mnp.cos, 1.0),
            TypeError,
            "Pred type must be either boolean or number",
        ),
        (
            lambda: lax.cond(True, lambda x: x, lambda x: (x, x), 1.0),
            TypeError,
            "same type structure",
        ),
        (
            lambda: lax.cond(True, lambda x: x, lambda x: mnp.ones(2), 1.0),
            TypeError,
            "equal output types",
        ),
        (lambda: lax.switch(0, [], 1.0), ValueError, "Empty branch sequence"),
        (
            lambda: lax.switch(0.5, [mnp.sin, mnp.cos], 1.0),
            TypeError,
            "Index type must be an integer",
        ),
        (lambda: lax.cond(True, 1.0, mnp.cos, 1.0), TypeError, "should be callable"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- vmap -------------------------------------------------------------------------------------


def _vmap_program(x, w):
    return lax.cond(mnp.sum(x) > w, lambda v: mnp.sin(v) * w, lambda v: v * v, x)


EXAMPLES = [
    (np.array([0.5, 1.0]), 0.7),
    (np.array([-1.0, 0.2]), 0.1),
    (np.array([2.0, -3.0]), -2.0),
]


@pytest.mark.parametrize("batched", [(0,), (1,), (0, 1)])
def test_vmap_matches_loop(batched):
    check_batched_like_loop(_vmap_program, EXAMPLES, batched, in_axes=(0, 0))


def test_vmap_of_switch_with_batched_index():
    f = lambda i, x: lax.switch(i, [lambda v: v + 1.0, lambda v: v * 2.0, mnp.sin], x)
    examples = [(0, np.array([1.0, 2.0])), (1, np.array([3.0, 4.0])), (5, np.array([0.5, 0.1]))]
    check_batched_like_loop(f, examples, (0, 1), in_axes=(0, 0))


def test_grad_of_vmap_and_vmap_of_grad_match_jax():
    xs = np.stack([e[0] for e in EXAMPLES])
    ws = np.array([e[1] for e in EXAMPLES])
    jf = lambda x, w: jax.lax.cond(jnp.sum(x) > w, lambda v: jnp.sin(v) * w, lambda v: v * v, x)
    per_example = ad.vmap(ad.grad(lambda x, w: mnp.sum(_vmap_program(x, w)), (0, 1)))(xs, ws)
    expected = jax.jit(jax.vmap(jax.grad(lambda x, w: jnp.sum(jf(x, w)), (0, 1))))(xs, ws)
    for a, e in zip(per_example, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-12)
    total = ad.grad(lambda x, w: mnp.sum(ad.vmap(_vmap_program)(x, w)), (0, 1))(xs, ws)
    expected = jax.jit(jax.grad(lambda x, w: jnp.sum(jax.vmap(jf)(x, w)), (0, 1)))(xs, ws)
    for a, e in zip(total, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-12)
