"""``mini_ad.numpy``'s sort, argsort, take, take_along_axis, cumprod, diff, roll, diag,
diagonal, triu/tril, pad and cross: values against NumPy, every transform against JAX
(x64), finite differences, and vmap against a Python loop."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from autodiff_checks import check_transforms_against_jax  # noqa: E402
from batching_checks import check_batched_like_loop  # noqa: E402

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402
from mini_ad.testing import check_grads  # noqa: E402

jnp = jax.numpy
RNG = np.random.default_rng(0)
X34 = RNG.normal(size=(3, 4))
X33 = RNG.normal(size=(3, 3))
TIES = np.array([[1.0, 2.0, 1.0, 2.0], [0.5, 0.5, 0.5, -1.0]])
ZEROS = np.array([[1.5, 0.0, 2.0, -1.0, 0.0], [0.0, 0.7, 1.1, 0.0, 3.0]])
IDX = np.array([[0, 3], [-1, 1], [2, 2]])


def case(name, fn, *args, fd=True):
    """``fn(np_module, *args)`` run with ``mnp`` and with ``jnp``."""
    return pytest.param(fn, args, fd, id=name)


CASES = [
    case("sort-axis1", lambda np_, x: np_.sort(x, axis=1), X34),
    case("sort-axis0", lambda np_, x: np_.sort(x, axis=0), X34),
    case("sort-flat", lambda np_, x: np_.sort(x, axis=None), X34),
    case("sort-descending", lambda np_, x: np_.sort(x, descending=True), X34),
    case("sort-ties", lambda np_, x: np_.sort(x) * np.arange(1.0, 5.0), TIES, fd=False),
    case("sort-ties-descending", lambda np_, x: np_.sort(x, descending=True) * np.arange(1.0, 5.0), TIES, fd=False),
    case("argsort-gather", lambda np_, x: np_.take_along_axis(x, np_.argsort(x ** 2, axis=1), axis=1), X34),
    case("take-flat", lambda np_, x: np_.take(x, np.array([5, 0, -1, 11])), X34),
    case("take-axis1", lambda np_, x: np_.take(x, IDX, axis=1), X34),
    case("take-out-of-bounds", lambda np_, x: np_.take(x, np.array([1, 9, -7]), axis=1), X34, fd=False),
    case("take-clip", lambda np_, x: np_.take(x, np.array([1, 9, -7]), axis=1, mode="clip"), X34),
    case("take-wrap", lambda np_, x: np_.take(x, np.array([1, 6, -7]), axis=1, mode="wrap"), X34),
    case("take_along_axis", lambda np_, x: np_.take_along_axis(x, IDX, axis=1), X34),
    case("take_along_axis-broadcast", lambda np_, x: np_.take_along_axis(x, np.array([[2, 0, 1]]), axis=0), X33),
    case("cumprod", lambda np_, x: np_.cumprod(x, axis=1), ZEROS),
    case("cumprod-flat", lambda np_, x: np_.cumprod(1.0 + 0.3 * x), X34),
    case("cumprod-axis0", lambda np_, x: np_.cumprod(x, axis=0), ZEROS),
    case("diff", lambda np_, x: np_.diff(x, n=2, axis=1), X34),
    case("diff-prepend", lambda np_, x: np_.diff(x, axis=0, prepend=1.0, append=x[:1]), X34),
    case("roll", lambda np_, x: np_.roll(x, -1, axis=1) * np_.roll(x, 5), X34),
    case("roll-tuple", lambda np_, x: np_.roll(x, (1, 2), axis=(0, 1)), X34),
    case("diag-extract", lambda np_, x: np_.diag(x, 1) + np_.diag(x[:, :3], -1)[0], X34),
    case("diag-build", lambda np_, x: np_.diag(x[0], 1) + np_.diag(x[1], -2)[1:, :-1], X34),
    case("diagonal-axes", lambda np_, x: np_.diagonal(np_.stack([x, 2 * x]), 1, 2, 0), X34),
    case("triu-tril", lambda np_, x: np_.triu(x, 1) - 3.0 * np_.tril(x, -1), X34),
    case("triu-stacked", lambda np_, x: np_.triu(np_.stack([x, x * x]), -1), X34),
    case("pad-constant", lambda np_, x: np_.pad(x, ((1, 0), (2, 1)), constant_values=((1.0, 2.0), (3.0, 4.0))), X34),
    case("pad-value", lambda np_, x: np_.pad(x[1:], 1, constant_values=x[0, 0]), X34),
    case("pad-edge", lambda np_, x: np_.pad(x, ((2, 1), (0, 3)), mode="edge"), X34),
    case("pad-wrap", lambda np_, x: np_.pad(x, ((4, 1), (5, 0)), mode="wrap"), X34),
    case("pad-reflect", lambda np_, x: np_.pad(x, ((2, 6), (3, 1)), mode="reflect"), X34),
    case("pad-symmetric", lambda np_, x: np_.pad(x, ((2, 4), (5, 1)), mode="symmetric"), X34),
    case("cross", lambda np_, a: np_.cross(a, a ** 2) + np_.cross(a[0], a), X33),
    case("cross-2d", lambda np_, a: np_.cross(a[:, :2], a[:, 1:]) * np_.cross(a[:, :2], a[::-1, :2]), X33),
    case("cross-axes", lambda np_, a: np_.cross(a, a.T, axisa=0, axisb=1, axisc=0), X33),
]  # fmt: skip


@pytest.mark.parametrize("fn, args, fd", CASES)
def test_against_jax(fn, args, fd):
    check_transforms_against_jax(lambda *a: fn(mnp, *a), lambda *a: fn(jnp, *a), args)
    if fd:
        check_grads(lambda *a: fn(mnp, *a), args, order=2)


@pytest.mark.parametrize(
    "name, fn, args",
    [
        ("sort", lambda m, x: m.sort(x, axis=0), (X34,)),
        ("argsort", lambda m, x: m.argsort(x, axis=1, kind="stable"), (TIES,)),
        ("argsort-flat", lambda m, x: m.argsort(x, axis=None, kind="stable"), (TIES,)),
        ("take", lambda m, x: m.take(x, IDX, axis=1), (X34,)),
        ("take_along_axis", lambda m, x: m.take_along_axis(x, IDX, axis=1), (X34,)),
        (
            "cumprod-int",
            lambda m, x: m.cumprod(x, axis=1),
            (np.arange(1, 9, dtype=np.int32).reshape(2, 4),),
        ),
        ("cumprod", lambda m, x: m.cumprod(x), (ZEROS,)),
        ("diff", lambda m, x: m.diff(x, 3, axis=0, append=np.ones((1, 4))), (X34,)),
        ("roll", lambda m, x: m.roll(x, (-5, 2), axis=(1, 0)), (X34,)),
        ("diag", lambda m, x: m.diag(x[0], -3), (X34,)),
        ("diagonal", lambda m, x: m.diagonal(x, -1), (X34,)),
        ("tril", lambda m, x: m.tril(x, 2), (X34,)),
        ("triu-vector", lambda m, x: m.triu(x[0], 1), (X34,)),
        ("pad-reflect", lambda m, x: m.pad(x, ((7, 2), (1, 9)), mode="reflect"), (X34,)),
        ("pad-symmetric", lambda m, x: m.pad(x, 9, mode="symmetric"), (X34,)),
        ("pad-wrap", lambda m, x: m.pad(x, ((1, 8), (9, 2)), mode="wrap"), (X34,)),
        ("cross", lambda m, a, b: m.cross(a, b), (X33, X33[::-1])),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_values_match_numpy(name, fn, args):
    got, expected = fn(mnp, *args), fn(np, *args)
    assert type(got) is ad.Array
    assert got.dtype == expected.dtype, name
    np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-15, err_msg=name)


def test_sort_tangent_with_ties_moves_whole_elements():
    """Tied values: each sorted slot takes exactly one element's tangent, as in JAX."""
    x = np.array([1.0, 2.0, 1.0, 2.0])
    t = np.array([1.0, 2.0, 3.0, 4.0])
    _, t_out = ad.jvp(mnp.sort, (x,), (t,))
    np.testing.assert_array_equal(t_out, [1.0, 3.0, 2.0, 4.0])
    np.testing.assert_array_equal(t_out, jax.jvp(jnp.sort, (x,), (t,))[1])
    np.testing.assert_array_equal(ad.grad(lambda x: mnp.sort(x)[0])(x), [1.0, 0.0, 0.0, 0.0])


def test_argsort_descending_is_stable_like_jax():
    x = np.array([3.0, 1.0, 3.0, 2.0, 1.0])
    np.testing.assert_array_equal(mnp.argsort(x, descending=True), jnp.argsort(x, descending=True))


def test_cumprod_derivatives_exact_at_zeros():
    x = np.array([2.0, 0.0, 3.0, 0.0, 5.0])
    expected = jax.jacfwd(jnp.cumprod)(x)
    np.testing.assert_array_equal(ad.jacrev(mnp.cumprod)(x), expected)
    np.testing.assert_array_equal(ad.jacfwd(mnp.cumprod)(x), expected)


def test_take_out_of_bounds_traced_indices_fill_with_nan():
    x = np.arange(4.0)
    out = ad.jit(lambda x, i: mnp.take(x, i))(x, np.array([-5, 3, 4, -4]))
    np.testing.assert_array_equal(out, [np.nan, 3.0, np.nan, 0.0])


def test_argsort_int_output_under_grad():
    grad = ad.grad(lambda x: mnp.sum(x[mnp.argsort(x)] * np.arange(3.0)))(np.array([2.0, 0.5, 1.0]))
    np.testing.assert_array_equal(grad, [2.0, 0.0, 1.0])


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: mnp.sort(x, axis=0),
        lambda x: mnp.argsort(x),
        lambda x: mnp.cumprod(x, axis=1),
        lambda x: mnp.take_along_axis(x, mnp.argsort(x, axis=0), axis=0),
        lambda x: mnp.pad(x, ((1, 2), (2, 0)), mode="reflect"),
        lambda x: mnp.triu(x, -1) + mnp.diag(mnp.diagonal(x)[:3]).sum(),
        lambda x: mnp.roll(x, 1, axis=0) - mnp.diff(x, axis=1, prepend=0.0),
    ],
)
def test_vmap_like_loop(fn):
    examples = [[RNG.normal(size=(4, 4))] for _ in range(3)]
    for where in (0, -1):
        check_batched_like_loop(fn, examples, (0,), [where])


@pytest.mark.parametrize("axis", [(2, 0), (-1, 1), (1, 2, 0), 0, -2])
def test_gradient_returns_one_array_per_axis_in_the_order_given(axis):
    """Regression: axes given out of order came back sorted, so the i-th gradient was
    taken along another axis than the i-th axis asked for (a silent wrong value)."""
    x = RNG.normal(size=(3, 4, 5))
    results = [mnp.gradient(x, axis=axis), np.gradient(x, axis=axis), jnp.gradient(x, axis=axis)]
    got, want, jax_got = [r if isinstance(r, (list, tuple)) else [r] for r in results]
    assert len(got) == len(want) == len(jax_got)
    for g, w, j in zip(got, want, jax_got, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-13)
        np.testing.assert_allclose(g, j, rtol=1e-13)
