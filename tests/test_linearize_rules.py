"""Derived rules inside the one reverse mode: ``linearize`` at concrete inputs.

At concrete inputs ``linearize`` runs on a ``LinearizeTrace``: each primitive's jvp rule
is derived once per signature into a compiled forward and ONE ``linear_call`` equation,
and ``backward_pass`` runs its compiled transpose. These tests check that the path is
taken, that it gives the general path's bits (``derived_rules=False``) for every row
of the primitive table, that every transform composes with its programs, and that it
keeps no more residuals than the general path.
"""

from __future__ import annotations

import numpy as np
import pytest
from autodiff_cases import ROWS
from autodiff_checks import random_like
from test_reproducible import bits, scalarized

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core.avals import float0
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.typecheck import typecheck_jaxpr  # noqa: E402
from mini_ad.primitives import elementwise as ew
from mini_ad.transforms import linearize as derived
from mini_ad.transforms.partial_eval import linearize_flat
from mini_ad.transforms.transpose import backward_pass


def chain(x):
    for _ in range(5):
        x = mnp.sin(x) * 1.01 + 0.1 * x
    return x


def linearized_both_ways(fun, args):
    """``(primals_out, linear jaxpr, residuals)`` from the derived and the general path."""
    flat = lambda *xs: [fun(*xs)]  # noqa: E731
    return (
        linearize_flat(flat, list(args), derived_rules=True),
        linearize_flat(flat, list(args), derived_rules=False),
    )


# --- the path is taken ------------------------------------------------------------------------


def test_one_linear_call_per_differentiated_primitive():
    fast, general = linearized_both_ways(chain, [np.float64(0.5)])
    names = [e.primitive.name for e in fast[1].eqns]
    assert names == ["linear_call"] * 20, names  # sin, mul, mul, add, five times
    assert [e.params["name"] for e in fast[1].eqns[:4]] == ["sin", "mul", "mul", "add"]
    assert "linear_call" not in {e.primitive.name for e in general[1].eqns}
    typecheck_jaxpr(fast[1])


def test_under_other_transforms_the_general_path_runs():
    """Only ``linearize`` at concrete inputs derives rules: staged, its programs hold the
    primitives' own linear equations."""
    closed = ad.make_jaxpr(ad.grad(chain))(0.5)
    assert "linear_call" not in {e.primitive.name for e in closed.eqns}
    inner = []

    def outer(x):
        _, f_jvp = ad.linearize(chain, x)
        inner.append(ad.make_jaxpr(f_jvp)(x))
        return f_jvp(x)

    ad.grad(outer)(0.5)  # the inner linearize runs under the outer one
    assert "linear_call" not in {e.primitive.name for e in inner[0].eqns}


def test_a_signature_is_derived_once():
    ad.grad(chain)(0.5)
    before = derived._rule_for.cache_info()
    ad.grad(chain)(0.7)
    after = derived._rule_for.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    assert after.maxsize == derived.MAX_RULES  # bounded: least recently used dropped


def test_rules_needing_two_reads_of_a_tangent_keep_the_general_path():
    """abs's jvp reads its tangent twice (select(x > 0, t, -t)): summing the cotangents
    inside one call would change their order, so the general path runs it."""
    fast, _ = linearized_both_ways(lambda x: mnp.abs(x) * 2.0, [np.float64(-0.5)])
    names = [e.primitive.name for e in fast[1].eqns]
    assert "select_n" in names and names.count("linear_call") == 1


# --- the general path's bits, for every row ----------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_derived_rules_give_the_general_paths_bits(row):
    args = row.args()
    fun = scalarized(row, args)
    rng = np.random.default_rng(3)
    tangents = [random_like(rng, a) for a in args]
    results = []
    for outs, jaxpr, residuals in linearized_both_ways(fun, args):
        cts = backward_pass(jaxpr, residuals, [np.ones(())])
        ins = [
            t if np.issubdtype(np.asarray(a).dtype, np.inexact) else np.zeros(np.shape(a), float0)
            for t, a in zip(tangents, args, strict=True)
        ]
        forward = eval_jaxpr(jaxpr, residuals, ins) if "fwd" in row.modes else []
        results.append((bits(outs), bits([c for c in cts if c is not None]), bits(forward)))
    fast, general = results
    assert fast[0] == general[0], "primal outputs differ"
    assert fast[1] == general[1], "cotangents differ"
    assert fast[2] == general[2], "forward (jvp) of the linear program differs"


def test_the_first_call_of_a_new_signature_gives_the_same_bits():
    """A replaced jvp rule is a new signature: derived on this very call."""
    f = lambda x: ad.nn.sigmoid(x) * mnp.cosh(x)  # noqa: E731
    expected = float(ad.grad(f)(0.7)).hex()
    original = ew.cosh_p.jvp
    ew.cosh_p.jvp = lambda primals, tangents: original(primals, tangents)
    try:
        assert float(ad.grad(f)(0.7)).hex() == expected
    finally:
        ew.cosh_p.jvp = original


# --- composition ----------------------------------------------------------------------------


def test_vmap_jit_make_jaxpr_and_grad_of_a_vjp_function():
    x = np.linspace(0.1, 1.0, 4)
    f = lambda x: mnp.tanh(x) * mnp.sin(x) + x**2  # noqa: E731
    _, f_vjp = ad.vjp(f, x)
    rows = np.stack([f_vjp(e)[0] for e in np.eye(4)])
    np.testing.assert_array_equal(ad.vmap(f_vjp)(np.eye(4))[0], rows)
    np.testing.assert_array_equal(ad.jit(f_vjp)(x)[0], f_vjp(x)[0])
    closed = ad.make_jaxpr(f_vjp)(x)
    assert "linear_call" not in {e.primitive.name for e in closed.eqns}
    np.testing.assert_array_equal(closed(x)[0], f_vjp(x)[0])
    # the vjp function is linear in its cotangent: its gradient is f's Jacobian row sum
    g = ad.grad(lambda c: mnp.sum(f_vjp(c)[0]))(x)
    np.testing.assert_allclose(g, ad.jacfwd(f)(x).sum(axis=1), rtol=1e-12)


def test_vmap_jit_make_jaxpr_and_transforms_of_a_jvp_function():
    x = np.linspace(0.1, 1.0, 4)
    f = lambda x: mnp.exp(mnp.sin(x)) * x  # noqa: E731
    _, f_jvp = ad.linearize(f, x)
    jac = ad.jacfwd(f)(x)
    np.testing.assert_allclose(ad.vmap(f_jvp)(np.eye(4)), jac.T, rtol=1e-12)
    np.testing.assert_array_equal(ad.jit(f_jvp)(x), f_jvp(x))
    closed = ad.make_jaxpr(f_jvp)(x)
    assert "linear_call" in {e.primitive.name for e in closed.eqns}
    typecheck_jaxpr(closed.jaxpr)
    np.testing.assert_array_equal(closed(x)[0], f_jvp(x))
    np.testing.assert_allclose(ad.jvp(f_jvp, (x,), (x,))[1], f_jvp(x), rtol=1e-12)
    np.testing.assert_allclose(ad.vjp(f_jvp, x)[1](np.ones(4))[0], jac.sum(axis=0), rtol=1e-12)


def test_grad_of_grad_and_hessian_at_concrete_inputs():
    f = lambda x: mnp.sin(x) * mnp.exp(x) / (1.0 + x**2)  # noqa: E731
    g2 = ad.grad(ad.grad(f))
    assert bits(g2(0.7)) == bits(ad.jit(g2)(0.7))
    closed = ad.make_jaxpr(g2)(0.7)
    assert bits(eval_jaxpr(closed.jaxpr, closed.consts, [0.7])) == bits([g2(0.7)])
    rosen = lambda x: mnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)  # noqa: E731
    x = np.linspace(-1.0, 1.5, 6)
    np.testing.assert_allclose(ad.hessian(rosen)(x), ad.jit(ad.hessian(rosen))(x), rtol=1e-12)
    np.testing.assert_allclose(ad.jacrev(ad.grad(rosen))(x), ad.hessian(rosen)(x), rtol=1e-12)


# --- memory ---------------------------------------------------------------------------------


def _nbytes(values) -> int:
    return sum(np.asarray(v).nbytes for v in values)


def test_residuals_are_no_more_than_the_general_paths():
    rng = np.random.default_rng(0)
    w1, w2, x = rng.normal(size=(20, 30)), rng.normal(size=(30, 5)), rng.normal(size=(8, 20))

    def loss(w1, w2):
        h = mnp.tanh(x @ w1)
        return mnp.sum(mnp.exp(h @ w2) - h.sum())

    fast, general = linearized_both_ways(loss, [w1, w2])
    assert len(fast[2]) <= len(general[2])
    assert _nbytes(fast[2]) <= _nbytes(general[2])


def test_a_replaced_transpose_rule_takes_effect_at_once():
    fun = lambda x: -mnp.sin(x)  # noqa: E731
    x = np.linspace(0.1, 0.5, 3)
    (right,) = ad.vjp(fun, x)[1](np.ones(3))
    original = ew.neg_p.transpose
    ew.neg_p.transpose = lambda ct, x: [ct]  # wrong sign
    try:
        np.testing.assert_array_equal(ad.vjp(fun, x)[1](np.ones(3))[0], -right)
    finally:
        ew.neg_p.transpose = original
    np.testing.assert_array_equal(ad.vjp(fun, x)[1](np.ones(3))[0], right)
