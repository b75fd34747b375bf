"""No write into a returned array can reach a cache, an argument or a closure constant
(issue 13, item 1).

Every transform returns read-only ``mini_ad.Array``s: ``r[i] = v`` raises ``TypeError``,
``np.asarray(r)[i] = v`` and ``np.add(..., out=r)`` raise ``ValueError``. The table runs
eager / jit / grad / jvp / vjp / vmap / jit(grad) over outputs that are constants,
the argument itself, a reshape, a slice, a closure constant and a duplicated value,
tries every write, and checks that the next call, the argument and the closure
constant are unchanged.
"""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp

K = np.array([5.0, 6.0, 7.0])  # a closure constant the user owns (writable)

FUNCTIONS = {
    "constant": lambda x: mnp.zeros(3) + 1.0,
    "identity": lambda x: x,
    "reshape": lambda x: mnp.reshape(x, (3, 1)),
    "slice": lambda x: x[1:],
    "closure": lambda x: K,
    "closure_times_x": lambda x: K * x,
    "duplicated": lambda x: (x * 2.0, x * 2.0),
    "duplicated_identity": lambda x: (x, x),
}


def _summed(f):
    def scalar(x):
        out = f(x)
        outs = out if isinstance(out, tuple) else (out,)
        return sum(mnp.sum(mnp.asarray(o) * (x[0] + 1.0)) for o in outs)

    return scalar


def _vjp_both(f, x):
    out, pullback = ad.vjp(f, x)
    ct = ad.tree_util.tree_map(lambda o: mnp.ones_like(o), out)
    return out, pullback(ct)


TRANSFORMS = {
    "eager": lambda f, x: f(mnp.asarray(x)),
    "jit": lambda f, x: ad.jit(f)(x),
    "grad": lambda f, x: ad.grad(_summed(f))(x),
    "jvp": lambda f, x: ad.jvp(f, (x,), (np.ones(3),)),
    "vjp": _vjp_both,
    "vmap": lambda f, x: ad.vmap(f)(np.stack([x, x + 1.0])),
    "jit_grad": lambda f, x: ad.jit(ad.grad(_summed(f)))(x),
    "jit_jit": lambda f, x: ad.jit(ad.jit(f))(x),
    "grad_jit": lambda f, x: ad.grad(ad.jit(_summed(f)))(x),
}


def _leaves(out):
    return [v for v in ad.tree_util.tree_leaves(out) if isinstance(v, np.ndarray)]


def _try_every_write(r):
    """Each way to write into ``r`` raises; returns the number of writes tried."""
    with pytest.raises(TypeError, match=r"\.at\["):
        r[...] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(r)[...] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        np.multiply(r, 0.0, out=r)
    r_ = r
    r_ += 99.0  # rebinds r_ (JAX's semantics); r itself is unchanged
    assert r_ is not r
    return 3


@pytest.mark.parametrize("fname", FUNCTIONS)
@pytest.mark.parametrize("tname", TRANSFORMS)
def test_a_write_into_a_result_cannot_reach_anything(tname, fname):
    f, transform = FUNCTIONS[fname], TRANSFORMS[tname]
    if tname == "eager" and fname in ("identity", "closure", "duplicated_identity"):
        pytest.skip("no transform: the user's function returns the user's own object")
    x = np.array([1.0, 2.0, 3.0])
    x_before, k_before = x.copy(), K.copy()
    first = transform(f, x)
    expected = [np.array(v) for v in _leaves(first)]
    assert expected, "the result has array leaves"
    for r in _leaves(first):
        assert type(r) is ad.Array and not r.flags.writeable
        _try_every_write(r)
    for r, e in zip(_leaves(first), expected, strict=True):
        np.testing.assert_array_equal(r, e)
    second = transform(f, x)
    for r, e in zip(_leaves(second), expected, strict=True):
        np.testing.assert_array_equal(r, e)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(K, k_before)
    assert x.flags.writeable and K.flags.writeable  # the user's arrays stay theirs


def test_issue_13_repro_jit_of_grad_constant_gradient():
    g = ad.jit(ad.grad(lambda x: mnp.sum(2 * x)))
    r = g(np.ones(3))
    with pytest.raises(TypeError, match=r"x\.at\[idx\]\.set\(y\)"):
        r[0] = 99.0
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(r)[0] = 99.0
    np.testing.assert_array_equal(g(np.ones(3)), [2.0, 2.0, 2.0])


def test_a_write_into_the_argument_does_not_change_a_jit_cache():
    """The user's own argument stays writable; writing into it later changes nothing
    mini_ad cached (a result that is a view of it is the user's concern, as in NumPy)."""
    f = ad.jit(lambda x: x * 2.0 + mnp.arange(3.0))
    x = np.ones(3)
    first = f(x)
    x[0] = 50.0
    np.testing.assert_array_equal(first, [2.0, 3.0, 4.0])
    np.testing.assert_array_equal(f(np.ones(3)), [2.0, 3.0, 4.0])


def test_results_are_views_not_copies():
    """Wrapping costs no copy: a jit identity returns a read-only view of its argument."""
    x = np.arange(1e5)
    out = ad.jit(lambda v: v)(x)
    assert np.shares_memory(out, x) and not out.flags.writeable and x.flags.writeable
    y = mnp.sin(x)
    assert np.shares_memory(np.asarray(y), y)
