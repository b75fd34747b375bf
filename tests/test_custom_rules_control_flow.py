"""Python control flow on values inside a ``custom_jvp``/``custom_vjp`` primal function
works under ``grad`` and ``jvp`` (the primal values are concrete there), as in JAX; under
``jit`` it still raises TracerBoolConversionError."""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.errors import TracerBoolConversionError

jax = pytest.importorskip("jax")
import mini_ad.interop.jax  # noqa: E402, F401 - x64


def branching_custom_jvp(lib, np_):
    @lib.custom_jvp
    def f(x):
        if x > 0:
            return np_.sin(x)
        return x

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return f(x), 10.0 * t

    return f


def branching_custom_vjp(lib, np_):
    @lib.custom_vjp
    def g(x, y):
        if x > y:
            return x * y
        return x + y

    g.defvjp(lambda x, y: (g(x, y), (x, y)), lambda res, ct: (ct * res[1] * 3.0, ct * 2.0))
    return g


@pytest.mark.parametrize("x", [1.5, -0.5])
def test_custom_jvp_python_branch_under_grad_and_jvp(x):
    ours, theirs = branching_custom_jvp(ad, mnp), branching_custom_jvp(jax, jax.numpy)
    np.testing.assert_allclose(ad.grad(ours)(x), jax.grad(theirs)(x))
    np.testing.assert_allclose(
        ad.grad(lambda x: ours(x) * x)(x), jax.grad(lambda x: theirs(x) * x)(x)
    )
    for a, b in zip(ad.jvp(ours, (x,), (2.0,)), jax.jvp(theirs, (x,), (2.0,)), strict=True):
        np.testing.assert_allclose(a, b)


@pytest.mark.parametrize("x", [1.5, -0.5])
def test_custom_vjp_python_branch_under_grad(x):
    ours, theirs = branching_custom_vjp(ad, mnp), branching_custom_vjp(jax, jax.numpy)
    for a, b in zip(
        ad.grad(ours, argnums=(0, 1))(x, 0.5),
        jax.grad(theirs, argnums=(0, 1))(x, 0.5),
        strict=True,
    ):
        np.testing.assert_allclose(a, b)


def test_custom_rules_python_branch_under_jit_still_raises():
    with pytest.raises(TracerBoolConversionError):
        ad.jit(branching_custom_jvp(ad, mnp))(1.0)
    with pytest.raises(TracerBoolConversionError):
        ad.jit(ad.grad(branching_custom_vjp(ad, mnp)))(1.0, 0.5)


def test_custom_vjp_python_branch_under_jvp_is_jax_error():
    with pytest.raises(TypeError, match="can't apply forward-mode"):
        ad.jvp(lambda x: branching_custom_vjp(ad, mnp)(x, 0.5), (1.0,), (1.0,))
