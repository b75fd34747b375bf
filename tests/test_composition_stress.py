"""Composition stress test: every ordered pair, and a fixed sample of triples, of
{grad, jvp, vjp, vmap, jit, jacfwd, jacrev} on five functions, against JAX (x64).

Each transform is written as a map from a function ``R^n -> R^...`` to another such
function, the same way for both libraries, so any sequence of them composes:

* grad:   x -> grad(sum of f)(x)
* jvp:    x -> the tangent of f at x along a fixed direction
* vjp:    x -> the cotangent of x for an all-ones output cotangent
* vmap:   x -> sum over s of f(s * x), with the scales s mapped (closes over x)
* jit:    jit(f) (every sequence with a jit runs once more with ``backend="xla"``)
* jacfwd: x -> the Jacobian of f at x, summed over the output axes
* jacrev: the same by reverse mode
"""

import itertools
import random

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

TRANSFORM_NAMES = ("grad", "jvp", "vjp", "vmap", "jit", "jacfwd", "jacrev")
DIRECTION = np.array([0.3, -0.7, 1.1])
SCALES = np.array([0.5, 1.0, -1.5])
MATRIX = np.array([[0.2, -0.4, 0.6], [0.5, 0.1, -0.3]])
X = np.array([0.4, -0.9, 1.3])


def make_transforms(lib, np_, jit=None):
    """The seven transforms for one library (``lib``: mini_ad or jax; ``np_``: its numpy;
    ``jit``: the jit to use, by default ``lib.jit``)."""
    jit = jit or lib.jit

    def summed_jacobian(jac_fn, f):
        def g(x):
            jac = jac_fn(f)(x)
            out_axes = tuple(range(jac.ndim - x.ndim))
            return np_.sum(jac, axis=out_axes) if out_axes else jac

        return g

    return {
        "grad": lambda f: lib.grad(lambda x: np_.sum(f(x))),
        "jvp": lambda f: lambda x: lib.jvp(f, (x,), (DIRECTION,))[1],
        "vjp": lambda f: lambda x: _vjp_ones(lib, np_, f, x),
        "vmap": lambda f: lambda x: np_.sum(lib.vmap(lambda s: f(s * x))(SCALES), axis=0),
        "jit": lambda f: jit(f),
        "jacfwd": lambda f: summed_jacobian(lib.jacfwd, f),
        "jacrev": lambda f: summed_jacobian(lib.jacrev, f),
    }


def _vjp_ones(lib, np_, f, x):
    out, f_vjp = lib.vjp(f, x)
    return f_vjp(np_.ones_like(out))[0]


def make_functions(np_):
    """Five functions R^3 -> R^k, written once against a numpy namespace."""
    return {
        "sin_times_x": lambda x: np_.sin(x) * x,
        "tanh_layer": lambda x: np_.tanh(MATRIX @ x + 0.1),
        "log_norm": lambda x: np_.log(1.0 + np_.sum(x * x)) * np_.ones(2),
        "softmax": lambda x: np_.exp(x - np_.max(x)) / np_.sum(np_.exp(x - np_.max(x))),
        "poly_mix": lambda x: x**3 - 2.0 * x[0] * x + np_.cos(x[::-1]) * x[1],
    }


OURS = make_transforms(ad, mnp)
OURS_XLA = make_transforms(ad, mnp, jit=lambda f: ad.jit(f, backend="xla"))
THEIRS = make_transforms(jax, jnp)
OUR_FUNCTIONS = make_functions(mnp)
THEIR_FUNCTIONS = make_functions(jnp)


def compose(transforms, names, f):
    for name in reversed(names):  # names[0] is the outermost transform
        f = transforms[name](f)
    return f


def check_sequence(names, ours_transforms=OURS):
    for fname in OUR_FUNCTIONS:
        ours = compose(ours_transforms, names, OUR_FUNCTIONS[fname])(X)
        # JAX's side under one jax.jit: its eager dispatch would take minutes here
        theirs = jax.jit(compose(THEIRS, names, THEIR_FUNCTIONS[fname]))(jnp.asarray(X))
        np.testing.assert_allclose(
            ours, np.asarray(theirs), rtol=1e-10, atol=1e-12, err_msg=f"{names} on {fname}"
        )


PAIRS = list(itertools.product(TRANSFORM_NAMES, repeat=2))
# A fixed, seeded sample of triples (the 343 of them would take minutes of JAX eager time).
TRIPLES = random.Random(0).sample(list(itertools.product(TRANSFORM_NAMES, repeat=3)), 25)


@pytest.mark.parametrize("names", PAIRS, ids="-".join)
def test_every_ordered_pair_matches_jax(names):
    check_sequence(names)


@pytest.mark.parametrize("names", TRIPLES, ids="-".join)
def test_sampled_triples_match_jax(names):
    check_sequence(names)


WITH_JIT = [names for names in PAIRS + TRIPLES if "jit" in names]


@pytest.mark.parametrize("names", WITH_JIT, ids="-".join)
def test_sequences_with_jit_match_jax_on_the_xla_backend(names):
    check_sequence(names, OURS_XLA)


def test_the_samples_cover_what_the_issue_asks():
    assert len(PAIRS) == 49 and len(set(TRIPLES)) >= 20 and len(OUR_FUNCTIONS) >= 5
    assert {name for triple in TRIPLES for name in triple} == set(TRANSFORM_NAMES)
