"""Complex numbers end to end (issue 15): NumPy's values, JAX's derivative conventions.

JAX's conventions, checked here against JAX itself (x64): ``vjp`` is the transpose of the
R-linear tangent map under ``<u, v> = Re Σ u·v`` (no conjugation), so ``grad`` of a real
function of ``z = x + iy`` is ``∂f/∂x − i ∂f/∂y`` and ``grad(abs)(3+4j) == 0.6-0.8j``;
``holomorphic=True`` gives the complex derivative ``f'(z)`` in ``grad``, ``jacfwd`` and
``jacrev``.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402

A = np.array([[2.0, 1j], [-1j, 2.0]])
Z = np.array([1.0 + 2.0j, -0.5 + 0.3j, 2.0 - 1.0j])


def test_the_five_lines_of_the_issue():
    np.testing.assert_allclose(mnp.linalg.cholesky(A), np.linalg.cholesky(A), rtol=1e-14)
    np.testing.assert_allclose(mnp.linalg.eigh(A)[0], [1.0, 3.0], rtol=1e-14)
    np.testing.assert_allclose(ad.grad(mnp.abs)(3 + 4j), 0.6 - 0.8j, rtol=1e-15)
    tangent = ad.jvp(mnp.abs, (3 + 4j,), (1j,))[1]
    assert np.asarray(tangent).dtype == np.float64
    np.testing.assert_allclose(tangent, 0.8, rtol=1e-15)
    assert float(mnp.real(3 + 4j)) == 3.0


@pytest.mark.parametrize(
    "name", ["real", "imag", "conj", "conjugate", "angle", "iscomplex", "isreal", "abs"]
)
@pytest.mark.parametrize("x", [Z, Z.astype(np.complex64), np.array([1.5, -2.0]), 2 + 0j])
def test_values_equal_numpys(name, x):
    got, want = getattr(mnp, name)(x), getattr(np, name)(x)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    assert np.asarray(got).dtype == np.asarray(want).dtype


def test_iscomplexobj_and_real_if_close():
    assert mnp.iscomplexobj(Z) and not mnp.iscomplexobj(np.ones(2))
    close = np.array([1.0 + 1e-18j, 2.0])
    np.testing.assert_array_equal(mnp.real_if_close(close), np.real_if_close(close))
    np.testing.assert_array_equal(mnp.real_if_close(Z), np.real_if_close(Z))
    assert mnp.angle(1j, deg=True) == pytest.approx(90.0)


def _real_fns():
    return [
        (lambda z: mnp.sum(mnp.abs(z) ** 2), lambda z: jnp.sum(jnp.abs(z) ** 2)),
        (lambda z: mnp.sum(mnp.real(mnp.sin(z) * mnp.conj(z))),
         lambda z: jnp.sum(jnp.real(jnp.sin(z) * jnp.conj(z)))),
        (lambda z: mnp.sum(mnp.imag(mnp.exp(z)) + mnp.angle(z)),
         lambda z: jnp.sum(jnp.imag(jnp.exp(z)) + jnp.angle(z))),
        (lambda z: mnp.sum(mnp.abs(mnp.sqrt(z) * mnp.tanh(z))),
         lambda z: jnp.sum(jnp.abs(jnp.sqrt(z) * jnp.tanh(z)))),
    ]  # fmt: skip


@pytest.mark.parametrize("fns", _real_fns(), ids=range(4))
def test_grad_of_a_real_function_of_complex_inputs_is_jaxs(fns):
    mini_f, jax_f = fns
    np.testing.assert_allclose(ad.grad(mini_f)(Z), jax.grad(jax_f)(Z), rtol=1e-12)
    np.testing.assert_allclose(ad.hessian(mini_f)(Z.real), jax.hessian(jax_f)(Z.real), rtol=1e-10)


def test_vjp_is_the_transpose_not_the_conjugate_transpose():
    def f(z):
        return mnp.sin(z) * mnp.conj(z)

    def jax_f(z):
        return jnp.sin(z) * jnp.conj(z)

    ct = np.array([0.3 - 1.0j, 2.0 + 0.5j, -1.0j])
    np.testing.assert_allclose(ad.vjp(f, Z)[1](ct)[0], jax.vjp(jax_f, Z)[1](ct)[0], rtol=1e-12)
    t = np.array([1j, 1.0, 0.5 - 0.5j])
    np.testing.assert_allclose(ad.jvp(f, (Z,), (t,))[1], jax.jvp(jax_f, (Z,), (t,))[1], rtol=1e-12)


def test_holomorphic_grad_jacfwd_jacrev():
    def f(z):
        return mnp.sin(z) * mnp.exp(z) ** 2

    def jax_f(z):
        return jnp.sin(z) * jnp.exp(z) ** 2

    z0 = 0.3 + 0.7j
    np.testing.assert_allclose(
        ad.grad(f, holomorphic=True)(z0), jax.grad(jax_f, holomorphic=True)(z0), rtol=1e-13
    )
    for mini_jac, jax_jac in ((ad.jacfwd, jax.jacfwd), (ad.jacrev, jax.jacrev)):
        np.testing.assert_allclose(
            mini_jac(f, holomorphic=True)(Z), jax_jac(jax_f, holomorphic=True)(Z), rtol=1e-13
        )
    np.testing.assert_allclose(
        ad.hessian(lambda z: mnp.sum(f(z)), holomorphic=True)(Z),
        jax.hessian(lambda z: jnp.sum(jax_f(z)), holomorphic=True)(Z),
        rtol=1e-12,
    )


def test_holomorphic_errors_as_in_jax():
    with pytest.raises(TypeError, match="holomorphic=True requires inputs with complex dtype"):
        ad.grad(mnp.sin, holomorphic=True)(1.0)
    with pytest.raises(TypeError, match="For holomorphic differentiation, pass holomorphic=True"):
        ad.grad(mnp.sin)(1.0 + 1j)
    with pytest.raises(TypeError, match="jacfwd requires real-valued inputs"):
        ad.jacfwd(mnp.sin)(Z)


def test_make_jaxpr_prints_complex_types():
    text = str(ad.make_jaxpr(ad.grad(mnp.abs))(3 + 4j))
    assert "a:c128[]" in text and "conj[input_dtype=complex128]" in text and "f64[] = abs" in text
    text64 = str(ad.make_jaxpr(lambda z: mnp.real(z * z))(Z.astype(np.complex64)))
    assert "c64[3]" in text64 and "f32[3] = real" in text64


def test_vmap_and_jit_of_complex_functions():
    def f(z):
        return mnp.abs(mnp.conj(z) * mnp.exp(z)) + mnp.imag(z)

    zs = np.stack([Z, Z * 2j])
    np.testing.assert_allclose(ad.vmap(f)(zs), np.stack([f(z) for z in zs]), rtol=1e-15)
    np.testing.assert_array_equal(ad.jit(f)(Z), f(Z))
    np.testing.assert_allclose(ad.vmap(ad.grad(lambda z: mnp.sum(f(z))))(zs),
                               jax.vmap(jax.grad(lambda z: jnp.sum(jnp.abs(jnp.conj(z) * jnp.exp(z))
                                                                  + jnp.imag(z))))(zs),
                               rtol=1e-12)  # fmt: skip


def test_hermitian_eigh_and_cholesky_derivatives_match_jax():
    rng = np.random.default_rng(0)
    c = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    h = (c + c.conj().T) / 2 + 4 * np.eye(3)

    def mini_f(a):
        w, v = mnp.linalg.eigh(a)
        return mnp.sum(w * mnp.arange(3.0)) + mnp.sum(mnp.abs(mnp.linalg.cholesky(a)) ** 2)

    def jax_f(a):
        w, v = jnp.linalg.eigh(a)
        return jnp.sum(w * jnp.arange(3.0)) + jnp.sum(jnp.abs(jnp.linalg.cholesky(a)) ** 2)

    np.testing.assert_allclose(mini_f(h), jax_f(h), rtol=1e-13)
    np.testing.assert_allclose(ad.grad(mini_f)(h), jax.grad(jax_f)(h), rtol=1e-10, atol=1e-12)


# --- ordering: lexicographic, as NumPy and jax.numpy order complex numbers --------------------

_P = np.array([1 + 2j, 3 - 1j, 0.5 + 0.5j, -1 + 4j, 2 + 1j, 1 - 1j])
_Q = np.array([1 + 3j, 2 + 5j, 0.5 + 0.5j, -1 + 2j, 2 + 7j, np.nan + 0j])  # ties, equal reals


@pytest.mark.parametrize(
    "name",
    ["maximum", "minimum", "fmax", "fmin", "greater", "greater_equal", "less", "less_equal",
     "arctan2", "logaddexp", "logaddexp2", "isclose"],
)  # fmt: skip
def test_complex_binary_functions_match_jax(name):
    f, g = getattr(mnp, name), getattr(jnp, name)
    p, q = (_P[:5], _Q[:5]) if name in ("arctan2", "logaddexp", "logaddexp2") else (_P, _Q)
    out, expected = np.asarray(f(p, q)), np.asarray(g(p, q))
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out, expected, rtol=1e-13, equal_nan=True)
    np.testing.assert_allclose(np.asarray(ad.jit(f)(p, q)), out, rtol=1e-15, equal_nan=True)
    if out.dtype.kind != "c":
        return
    rng = np.random.default_rng(0)
    tp, tq = rng.normal(size=(2, p.size)) + 1j * rng.normal(size=(2, p.size))
    _, t_out = ad.jvp(f, (p, q), (tp, tq))
    np.testing.assert_allclose(t_out, jax.jvp(g, (p, q), (tp, tq))[1], rtol=1e-12, equal_nan=True)
    cts = ad.vjp(f, p, q)[1](tp)
    for mine, theirs in zip(cts, jax.vjp(g, p, q)[1](tp), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, equal_nan=True)


def test_complex_reductions_and_predicates_match_jax():
    for name in ["max", "min", "sort", "isfinite", "isinf", "isnan"]:
        x = np.array([1 + 2j, np.inf + 0j, 1 - 3j]) if name.startswith("is") else _P
        np.testing.assert_array_equal(getattr(mnp, name)(x), getattr(jnp, name)(x), err_msg=name)


def test_clip_refuses_complex_like_jax():
    with pytest.raises(ValueError, match="complex"):
        jnp.clip(_P, 0, 1)
    with pytest.raises(ValueError, match="complex numbers have no order"):
        mnp.clip(_P, 0, 1)
    with pytest.raises(ValueError, match="complex"):
        mnp.clip(np.ones(3), 0j, 1)
