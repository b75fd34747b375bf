"""Nested transforms: no perturbation confusion under any pairing, Python control flow
on values under repeated differentiation, and an iterative backward pass.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.core import tracing
from mini_ad.primitives import elementwise as ew


def derivative(kind: str, f):
    """The scalar derivative ``x -> f'(x)`` computed by one of the five transforms."""
    if kind == "grad":
        return ad.grad(f)
    if kind == "jvp":
        return lambda x: ad.jvp(f, (x,), (1.0,))[1]
    if kind == "vjp":
        return lambda x: ad.vjp(f, x)[1](1.0)[0]
    if kind == "jacfwd":
        return ad.jacfwd(f)
    if kind == "jacrev":
        return ad.jacrev(f)
    raise ValueError(kind)


KINDS = ["grad", "jvp", "vjp", "jacfwd", "jacrev"]
PAIRS = list(itertools.product(KINDS, KINDS))


def test_perturbation_confusion_classic():
    # d/dx [x * d/dy (x y) at y=1] = d/dx x² = 2x; confusing the perturbations gives 3x
    assert ad.grad(lambda x: x * ad.grad(lambda y: x * y)(1.0))(3.0) == 6.0


@pytest.mark.parametrize("outer, inner", PAIRS, ids=[f"{o}-of-{i}" for o, i in PAIRS])
def test_no_perturbation_confusion_in_any_pairing(outer, inner):
    # d/dx [x * d/dy (x + y)] = d/dx x = 1 (a confused implementation gives 2)
    f = lambda x: x * derivative(inner, lambda y: x + y)(1.0)
    assert derivative(outer, f)(3.0) == 1.0
    # d/dx [x * d/dy (x y)] = 2x
    g = lambda x: x * derivative(inner, lambda y: x * y)(1.0)
    assert derivative(outer, g)(3.0) == 6.0
    assert tracing.current_trace() is tracing.eval_trace


def piecewise(x):
    if x > 0:
        return x**3
    return -(x**2) + mnp.sin(x)


def test_python_if_differentiated_three_times():
    d1 = ad.grad(piecewise)
    d2 = ad.grad(d1)
    d3 = ad.grad(d2)
    # x > 0 takes x³: 3x², 6x, 6
    assert [d1(2.0), d2(2.0), d3(2.0)] == [12.0, 12.0, 6.0]
    # x <= 0 takes -x² + sin x: -2x + cos x, -2 - sin x, -cos x
    x = -1.0
    np.testing.assert_allclose(d1(x), -2 * x + np.cos(x), rtol=1e-15)
    np.testing.assert_allclose(d2(x), -2 - np.sin(x), rtol=1e-15)
    np.testing.assert_allclose(d3(x), -np.cos(x), rtol=1e-15)


@pytest.mark.parametrize(
    "kinds", [("jvp", "vjp", "grad"), ("vjp", "jvp", "jacrev"), ("jacfwd", "grad", "jvp")]
)
def test_python_if_under_mixed_third_derivatives(kinds):
    fn = piecewise
    for kind in kinds:
        fn = derivative(kind, fn)
    assert fn(2.0) == 6.0


def test_hessian_vector_product_forward_over_reverse():
    f = lambda x: mnp.sum(mnp.sin(x) * x[::-1])
    x, v = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -2.0])
    hvp = ad.jvp(ad.grad(f), (x,), (v,))[1]
    np.testing.assert_allclose(hvp, ad.hessian(f)(x) @ v, rtol=1e-13)
    np.testing.assert_allclose(ad.jacrev(ad.jacfwd(f))(x), ad.hessian(f)(x), rtol=1e-13)


def test_closure_over_an_outer_tracer_in_vjp_fn():
    # the vjp function of an inner transform is called inside the outer one
    def f(x):
        _, vjp_fn = ad.vjp(lambda y: mnp.sin(x * y), 2.0)
        return vjp_fn(1.0)[0]  # x cos(2x)

    np.testing.assert_allclose(ad.grad(f)(0.5), np.cos(1.0) - 2 * 0.5 * np.sin(1.0), rtol=1e-15)


def test_long_chain_backward_pass_is_iterative():
    # 100,000 primitives would overflow any recursive walk (the recursion limit is 1000)
    n = 100_000

    def chain(x):
        for _ in range(n):
            x = ew.neg(x)
        return x

    assert ad.grad(chain)(1.5) == 1.0  # (-1)^n with n even
    assert ad.jit(ad.grad(chain))(1.5) == 1.0  # the staged backward pass too
