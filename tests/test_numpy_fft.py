"""``mini_ad.numpy.fft``: NumPy's values for every function, ``n``/``s``, ``axis``/``axes``
and ``norm``; JAX's derivatives (x64), vmap against a loop, jit against eager."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

import mini_ad as ad  # noqa: E402
import mini_ad.numpy as mnp  # noqa: E402

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 6))
Z = X + 1j * RNG.normal(size=X.shape)
NORMS = [None, "backward", "ortho", "forward"]


def _same(got, want, rtol=1e-12):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"])
@pytest.mark.parametrize("n", [None, 4, 9])
@pytest.mark.parametrize("axis", [-1, 0, 1])
@pytest.mark.parametrize("norm", NORMS)
def test_one_dimensional_values(name, n, axis, norm):
    x = X if name in ("rfft", "ihfft") else Z
    want = getattr(np.fft, name)(x, n=n, axis=axis, norm=norm)
    _same(getattr(mnp.fft, name)(x, n=n, axis=axis, norm=norm), want)


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn", "fft2", "ifft2", "rfft2", "irfft2"])  # fmt: skip  # noqa: E501
@pytest.mark.parametrize("s_axes", [(None, None), ((3, 5), (0, 2)), (None, (2, 0)), ((5, 4, 8), (0, 1, 2))])  # fmt: skip  # noqa: E501
@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
def test_n_dimensional_values(name, s_axes, norm):
    s, axes = s_axes
    if name.endswith("2") and (axes is None or len(axes) != 2):
        axes = (-2, -1) if s is None or len(s) == 2 else None
        s = None if axes is None else s
        if axes is None:
            return
    x = X if name.startswith("rfft") else Z
    kwargs = {"s": s, "axes": axes, "norm": norm}
    _same(getattr(mnp.fft, name)(x, **kwargs), getattr(np.fft, name)(x, **kwargs))


def test_more_than_three_axes_and_shifts_and_frequencies():
    y = RNG.normal(size=(2, 3, 2, 4))
    _same(mnp.fft.fftn(y), np.fft.fftn(y))
    _same(mnp.fft.rfftn(y), np.fft.rfftn(y))
    spectrum, axes = np.fft.rfftn(y), (0, 1, 2, 3)
    _same(mnp.fft.irfftn(spectrum, y.shape, axes), np.fft.irfftn(spectrum, y.shape, axes))
    _same(mnp.fft.fftshift(X), np.fft.fftshift(X))
    _same(mnp.fft.ifftshift(X, axes=1), np.fft.ifftshift(X, axes=1))
    _same(mnp.fft.fftfreq(5, 0.1), np.fft.fftfreq(5, 0.1))
    _same(mnp.fft.rfftfreq(6), np.fft.rfftfreq(6))


def test_float32_stays_single_precision():
    assert mnp.fft.fft(X.astype(np.float32)).dtype == np.complex64
    assert mnp.fft.irfft(Z.astype(np.complex64)).dtype == np.float32


CASES = [
    ("fft", Z, {"n": 5}), ("ifft", Z, {"axis": 0, "norm": "ortho"}), ("rfft", X, {"n": 7}),
    ("irfft", Z, {"n": 7, "norm": "forward"}), ("hfft", Z, {}), ("ihfft", X, {"axis": 1}),
    ("fft2", Z, {}), ("rfftn", X, {"s": (3, 5)}), ("irfftn", Z, {"axes": (0, 2)}),
    ("ifftn", Z, {"norm": "forward"}),
]  # fmt: skip


WEIGHTS = np.random.default_rng(1).normal(size=(16,))


def _scalarize(fn, module):
    weights = WEIGHTS

    def f(x):
        out = fn(x)
        flat = module.reshape(out, (-1,))[:16]
        re, im = module.real(flat), module.imag(flat)
        return module.sum((re + 2 * im) * weights[: flat.shape[0]])

    return f


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_derivatives_match_jax(case):
    name, x, kwargs = case
    mini = _scalarize(lambda a: getattr(mnp.fft, name)(a, **kwargs), mnp)
    ref = _scalarize(lambda a: getattr(jnp.fft, name)(a, **kwargs), jnp)
    np.testing.assert_allclose(ad.grad(mini)(x), jax.grad(ref)(x), rtol=1e-10, atol=1e-12)
    t = RNG.normal(size=x.shape) + (1j * RNG.normal(size=x.shape) if np.iscomplexobj(x) else 0)
    np.testing.assert_allclose(
        ad.jvp(mini, (x,), (t,))[1], jax.jvp(ref, (x,), (t,))[1], rtol=1e-10, atol=1e-12
    )
    fn = lambda a: getattr(mnp.fft, name)(a, **kwargs)  # noqa: E731
    jitted = ad.jit(fn)(x)
    assert np.asarray(jitted).tobytes() == np.asarray(fn(x)).tobytes()
    batched = ad.vmap(fn)(np.stack([x, 2 * x]))
    _same(batched, np.stack([fn(x), fn(2 * x)]))


def test_hessian_of_a_nonlinear_function_of_an_fft():
    def f(x):
        return mnp.sum(mnp.abs(mnp.fft.rfft(x)) ** 3)

    def jax_f(x):
        return jnp.sum(jnp.abs(jnp.fft.rfft(x)) ** 3)

    np.testing.assert_allclose(ad.hessian(f)(X[0, 0]), jax.hessian(jax_f)(X[0, 0]), rtol=1e-10)
