"""The everyday transform API around the core (issue 14): jit as a decorator factory,
the namespaces ``import mini_ad`` provides, and the smaller transforms JAX users reach for."""

import functools

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

# --- jit as a decorator factory ---------------------------------------------------------------


def test_jit_decorator_factory_static_argnames():
    @ad.jit(static_argnames=["n"])
    def repeat_double(x, n):
        for _ in range(n):
            x = x * 2.0
        return x

    assert repeat_double(1.0, n=3) == 8.0
    assert repeat_double(1.0, n=2) == 4.0


def test_jit_partial_static_argnums():
    @functools.partial(ad.jit, static_argnums=0)
    def scale(n, x):
        return x * n

    np.testing.assert_allclose(scale(3, mnp.ones(2)), [3.0, 3.0])
    assert scale._cache_size() == 1


# --- namespaces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["nn", "scipy", "testing", "random", "tree", "tree_util", "optim", "lax", "numpy"]
)
def test_import_mini_ad_makes_namespaces_attributes(name):
    assert hasattr(ad, name)


def test_scipy_special_is_an_attribute():
    np.testing.assert_allclose(ad.scipy.special.logsumexp(np.zeros(2)), np.log(2.0))
