"""Accuracy of the Bessel functions and exponential integrals of ``mini_ad.scipy.special``
against mpmath (50 digits) over wide domains, edge values against SciPy, float32 kept,
and the derivatives of the names JAX lacks against HIPS autograd's rules.

The bound is relative, 1e-13 (most errors are below 1e-15), except where the function
has a zero: near a zero of J_n, Y_n, Ci, Ei or I_-ν the relative error is the problem's
own condition number, so the bound there is 1e-13 of the function's envelope (for J and
Y, sqrt(2/(πx)) for x > 1).
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import scipy.special

import mini_ad as ad
from mini_ad import lax
from mini_ad.scipy import special as ms
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
autograd_special = pytest.importorskip("autograd.scipy.special")
autograd = pytest.importorskip("autograd")


@pytest.fixture(autouse=True)
def _mpmath_digits():
    """mpmath's working precision for this module's tests (50 digits: at 30 digits
    mpmath's expint(30, 140) is off by 1e-9), set per test and restored: a module-level ``mp.dps = ...`` runs at collection, so the
    last module collected would set it for every test."""
    with mpmath.workdps(50):
        yield


RTOL = 1e-13


def _points(rng, lo, hi, n=40):
    """Uniform on [lo, hi] and log-uniform over [1e-6, hi]: both scales."""
    return np.concatenate([rng.uniform(lo, hi, n), 10 ** rng.uniform(-6, np.log10(hi), n)])


def _check(ours, reference, envelope=None, rtol=RTOL):
    ours = np.asarray(ours, dtype=np.float64)
    expected = np.array([float(v) for v in reference])
    scale = np.abs(expected) if envelope is None else np.maximum(np.abs(expected), envelope)
    bad = np.abs(ours - expected) > rtol * scale
    assert not bad.any(), list(zip(ours[bad], expected[bad], strict=True))[:5]


def _bessel_envelope(x):
    return np.sqrt(2 / (np.pi * np.maximum(np.abs(x), 1.0)))


@pytest.mark.parametrize("name, order", [("i0e", 0), ("i1e", 1)])
def test_scaled_modified_bessel(name, order):
    x = _points(np.random.default_rng(0), -60, 60) * np.random.default_rng(1).choice([-1, 1], 80)
    x = np.concatenate([x, [700.0, -3000.0, 1e5]])
    ref = [mpmath.besseli(order, t) * mpmath.exp(-abs(t)) for t in x]
    _check(getattr(ms, name)(x), ref)
    np.testing.assert_array_equal(getattr(lax, f"bessel_{name}")(x), getattr(ms, name)(x))


@pytest.mark.parametrize("v", [0.5, 2.3, 7.0, 15.5, -0.5, -2.7, -3.0])
def test_ive_of_real_order(v):
    x = _points(np.random.default_rng(2), 0, 300)
    ref = [mpmath.besseli(v, t) * mpmath.exp(-t) for t in x]
    # I_-ν of non-integer order has a zero (for ν = 3/2 where x tanh x = 1): 5e-13 there
    _check(ms.ive(v, x), ref, rtol=RTOL if v > -1 or v == round(v) else 5e-13)
    np.testing.assert_allclose(ms.iv(v, x[x < 50]), scipy.special.iv(v, x[x < 50]), rtol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 20, -3])
def test_bessel_first_kind(n):
    x = _points(np.random.default_rng(3), 0, 200)
    x = np.concatenate([x, -x[:10], [1e4 + 0.5]])
    ref = [mpmath.besselj(n, t) for t in x]
    oscillating = abs(n) < np.abs(x)  # zeros there: bound by the envelope; else relative
    _check(ms.jn(n, x), ref, np.where(oscillating, _bessel_envelope(x), 0.0))


@pytest.mark.parametrize("n", [0, 1, 2, 7, -2])
def test_bessel_second_kind(n):
    x = _points(np.random.default_rng(4), 0, 200)
    ref = [mpmath.bessely(n, t) for t in x]
    _check(ms.yn(n, x), ref, np.where(abs(n) < x, _bessel_envelope(x), 0.0))


def test_named_orders_and_bessel_jn():
    x = np.linspace(0.0, 40.0, 81)
    for ours, theirs in [(ms.j0, "j0"), (ms.j1, "j1"), (ms.y0, "y0"), (ms.y1, "y1")]:
        np.testing.assert_allclose(ours(x), getattr(scipy.special, theirs)(x), rtol=1e-12,
                                   atol=1e-14)  # fmt: skip
    table = ms.bessel_jn(x, v=4)
    assert table.shape == (5, 81)
    for n in range(5):
        np.testing.assert_allclose(table[n], scipy.special.jv(n, x), rtol=1e-12, atol=1e-14)
    # JAX's backward recurrence gives nan at z = 0; the values are J_n(0)
    np.testing.assert_array_equal(ms.bessel_jn(0.0, v=2), [1.0, 0.0, 0.0])


@pytest.mark.parametrize(
    "name, reference, lo, hi, zeros",
    [
        ("exp1", mpmath.e1, 0, 700, False),
        ("expi", mpmath.ei, -700, 700, True),
        ("spence", lambda t: mpmath.polylog(2, 1 - mpmath.mpf(t)), 0, 1e6, False),
        ("dawsn", lambda t: mpmath.sqrt(mpmath.pi) / 2 * mpmath.exp(-t * t) * mpmath.erfi(t),
         -50, 50, False),
    ],
)  # fmt: skip
def test_exponential_integrals(name, reference, lo, hi, zeros):
    x = _points(np.random.default_rng(5), lo, hi)
    ref = [reference(mpmath.mpf(t)) for t in x]
    envelope = np.full(x.shape, 1e-3) if zeros else None  # Ei(0.3725...) = 0
    _check(getattr(ms, name)(x), ref, envelope)


@pytest.mark.parametrize("n", [0, 2, 3, 10, 30])
def test_expn(n):
    x = _points(np.random.default_rng(6), 0, 600)
    _check(ms.expn(n, x), [mpmath.expint(n, t) for t in x])
    t = mpmath.mpf(140)  # E_n(x) = x^(n-1) Γ(1-n, x), independently
    _check(ms.expn(n, 140.0), [mpmath.gammainc(1 - n, t) * t ** (n - 1)])


def test_sici_and_fresnel():
    x = _points(np.random.default_rng(7), -100, 1e6)
    si, ci = ms.sici(x)
    _check(si, [mpmath.si(t) for t in x])
    _check(ci, [mpmath.ci(abs(t)) for t in x], envelope=np.full(x.shape, 1e-2))
    s, c = ms.fresnel(x)
    _check(s, [mpmath.fresnels(t) for t in x])
    _check(c, [mpmath.fresnelc(t) for t in x])


def test_owens_t():
    rng = np.random.default_rng(8)
    h = np.concatenate([rng.normal(0, 3, 30), [0.0, 1.0, -2.0, 8.0]])
    a = np.concatenate([rng.normal(0, 2, 15), 10 ** rng.uniform(-3, 3, 15), [1.0, -0.5, 5.0, 2.0]])

    def reference(h, a):  # the defining integral, split at 1 where a > 1
        f = lambda x: mpmath.exp(-h * h * (1 + x * x) / 2) / (1 + x * x)  # noqa: E731
        cut = [0, 1, abs(a)] if abs(a) > 1 else [0, abs(a)]
        return mpmath.sign(a) * mpmath.quad(f, cut) / (2 * mpmath.pi)

    _check(
        ms.owens_t(h, a),
        [reference(mpmath.mpf(x), mpmath.mpf(y)) for x, y in zip(h, a, strict=True)],
    )
    inf = np.inf
    edges = (
        np.array([0.0, 0.0, 1.0, inf, -2.0, np.nan]),
        np.array([1.0, inf, -inf, 1.0, 3.0, 1.0]),
    )
    np.testing.assert_allclose(ms.owens_t(*edges), scipy.special.owens_t(*edges), rtol=1e-13,
                               equal_nan=True)  # fmt: skip
    assert ms.owens_t(np.float32(1.0), np.float32(0.5)).dtype == np.float32


EDGES = np.array([-np.inf, -2.0, -0.0, 0.0, 1e-300, 1.0, 50.0, 800.0, np.inf, np.nan])


@pytest.mark.parametrize(
    "name", ["i0", "i0e", "i1", "i1e", "exp1", "expi", "spence", "dawsn", "j0", "j1", "y0", "y1"]
)
def test_edge_values_follow_scipy(name):
    with np.errstate(all="ignore"):
        expected = getattr(scipy.special, name)(EDGES)
    np.testing.assert_allclose(getattr(ms, name)(EDGES), expected, rtol=1e-13, equal_nan=True)


def test_paired_and_ordered_edge_values_follow_scipy():
    with np.errstate(all="ignore"):
        for ours, theirs in zip(ms.sici(EDGES), scipy.special.sici(EDGES), strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-13, equal_nan=True)
        for ours, theirs in zip(ms.fresnel(EDGES), scipy.special.fresnel(EDGES), strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-13, equal_nan=True)
        for n in [0, 1, 2, 5]:
            for name in ["expn", "jn", "yn", "iv", "ive"]:
                np.testing.assert_allclose(
                    getattr(ms, name)(n, EDGES),
                    getattr(scipy.special, name)(n, EDGES),
                    rtol=1e-13,
                    atol=1e-299,
                    equal_nan=True,
                    err_msg=name,
                )  # fmt: skip (SciPy's iv(1, 1e-300) is 0)


FLOAT32_UNARY = ["i0", "i0e", "i1", "i1e", "exp1", "expi", "spence", "dawsn", "j0", "j1",
                 "y0", "y1"]  # fmt: skip


def test_float32_stays_float32():
    x = np.linspace(0.5, 3.0, 5, dtype=np.float32)
    for name in FLOAT32_UNARY:
        assert getattr(ms, name)(x).dtype == np.float32, name
    for name in ["expn", "jn", "yn", "iv", "ive"]:
        assert getattr(ms, name)(2, x).dtype == np.float32, name
    assert all(o.dtype == np.float32 for o in ms.sici(x) + ms.fresnel(x))
    assert ms.bessel_jn(x, v=2).dtype == np.float32
    assert ms.i0(3).dtype == np.float64  # integers become float64


@pytest.mark.parametrize(
    "name, order", [("jn", 3), ("yn", 2), ("iv", 1.5), ("ive", 0.5), ("iv", -2.5),
                    ("j0", None), ("j1", None), ("y0", None), ("y1", None)],
)  # fmt: skip
def test_derivatives_agree_with_autograd(name, order):
    x = np.linspace(0.3, 4.0, 7)
    ours, theirs = getattr(ms, name), getattr(autograd_special, name)
    if order is None:
        f, g = ours, theirs
    else:
        f, g = (lambda t: ours(order, t)), (lambda t: theirs(order, t))
    for t in x:
        np.testing.assert_allclose(ad.grad(f)(t), autograd.grad(g)(t), rtol=1e-11)
        np.testing.assert_allclose(ad.grad(ad.grad(f))(t), autograd.grad(autograd.grad(g))(t),
                                   rtol=1e-10)  # fmt: skip


def test_second_derivatives_where_jax_has_none():
    """JAX's hessian of exp1/expn fails, and its spence derivative is nan on (1, 2]."""
    for f, t in [(ms.exp1, 1.3), (lambda x: ms.expn(3, x), 0.7), (ms.spence, 1.5)]:
        check_grads(f, (t,), order=2, modes=("fwd", "rev"))
    np.testing.assert_allclose(ad.grad(ms.spence)(1.5), np.log(1.5) / (1 - 1.5), rtol=1e-14)
    assert float(ad.grad(ms.spence)(1.0)) == -1.0


def test_derivative_at_zero():
    assert float(ad.grad(ms.i0)(0.0)) == 0.0  # I₀'(0) = 0 (JAX's exp(|x|) gives 1)
    assert float(ad.grad(ms.i1)(0.0)) == 0.5
    assert float(ad.grad(ms.i1e)(0.0)) == 0.5
    assert float(ad.grad(lambda x: ms.sici(x)[0])(0.0)) == 1.0


def test_the_order_is_not_differentiable():
    for name in ["jn", "yn", "iv", "ive"]:
        with pytest.raises(ValueError, match=f"{name} is not differentiable in its order"):
            ad.grad(lambda v, name=name: getattr(ms, name)(v, 1.5))(1.0)
    assert float(ad.grad(lambda n: ms.expn(n, 1.5))(2.0)) == 0.0  # JAX's gradient in n


def test_bessel_jn_checks_its_static_arguments():
    with pytest.raises(ValueError, match="order v"):
        ms.bessel_jn(1.0, v=-1)
    with pytest.raises(ValueError, match="n_iter"):
        ms.bessel_jn(1.0, v=1, n_iter=0)
