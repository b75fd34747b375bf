"""mini_ad.Array with NumPy, SciPy and matplotlib; traced indices into closed-over arrays;
and the ConcretizationTypeError of converting a value that carries a derivative."""

import math

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.errors import (
    ConcretizationTypeError,
    TracerArrayConversionError,
    TracerIntegerConversionError,
)

# --- NumPy, SciPy and matplotlib take Arrays as they are ------------------------------------


def test_numpy_functions_accept_arrays_without_copying():
    a = mnp.array([[2.0, 1.0], [1.0, 3.0]])
    assert np.shares_memory(np.asarray(a), a)  # a view, not a copy
    assert float(np.linalg.norm(a)) == pytest.approx(np.sqrt(15.0))
    np.testing.assert_allclose(np.linalg.solve(a, np.ones(2)), [0.4, 0.2])
    np.testing.assert_allclose(np.linalg.eigvalsh(a), np.linalg.eigvalsh(np.array(a)))
    for out in (np.sin(a), np.concatenate([a, a]), np.where(a > 1, a, 0.0), a.copy()):
        assert type(out) is np.ndarray and out.flags.writeable  # fresh, the caller's
    np.testing.assert_array_equal(np.sort(a, axis=None), [1.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.median(a, axis=0), [1.5, 2.0])
    np.testing.assert_array_equal(np.percentile(a, 50), 1.5)
    v = mnp.array([3.0, 1.0, 2.0, 1.0])
    for fn in (
        np.gradient, np.unique, np.diff, np.cumsum, np.argsort, np.nan_to_num, np.trapezoid,
        lambda t: np.partition(t, 1), lambda t: np.histogram(t, 3)[0], lambda t: np.interp(
            0.5, t, t), lambda t: np.clip(t, 1.5, 2.5), lambda t: np.round(t, 1), np.cov,
        lambda t: np.polyfit(t, t, 1), lambda t: np.convolve(t, t), lambda t: np.einsum(
            "i,i", t, t), lambda t: np.sort(t), lambda t: np.linalg.lstsq(
            np.stack([t, t**2], 1), t)[0], np.ptp, np.std, np.fft.fft,
    ):  # fmt: skip
        np.testing.assert_allclose(fn(v), fn(np.array(v)), atol=1e-12)
    np.testing.assert_array_equal(v, [3.0, 1.0, 2.0, 1.0])
    assert np.allclose(a, a) and np.array_equal(a, np.array(a))


def test_scipy_accepts_arrays():
    linalg = pytest.importorskip("scipy.linalg")
    a = mnp.array([[0.0, 1.0], [-1.0, 0.0]])
    np.testing.assert_allclose(
        linalg.expm(a), [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], atol=1e-14
    )
    x = mnp.linspace(0.0, 1.0, 5)
    special = pytest.importorskip("scipy.special")
    np.testing.assert_allclose(special.erf(x), special.erf(np.array(x)))
    optimize = pytest.importorskip("scipy.optimize")
    fun = ad.jit(lambda v: mnp.sum((v - 2.0) ** 2))
    result = optimize.minimize(fun, np.zeros(2), jac=ad.jit(ad.grad(fun)), method="BFGS")
    np.testing.assert_allclose(result.x, [2.0, 2.0], atol=1e-6)


def test_matplotlib_plots_arrays_without_copying():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    x = mnp.linspace(0.0, 3.0, 50)
    y = ad.vmap(ad.grad(mnp.sin))(x)
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    (line,) = ax.plot(x, y)
    ax.imshow(mnp.outer(x, y) if hasattr(mnp, "outer") else np.outer(x, y))
    fig.canvas.draw()
    assert np.shares_memory(np.asarray(line.get_xdata()), x)
    np.testing.assert_allclose(line.get_ydata(), np.cos(np.array(x)))


def test_arrays_pickle_and_stay_immutable():
    import copy
    import pickle

    a = mnp.arange(3.0)
    b = pickle.loads(pickle.dumps(a))
    assert type(b) is ad.Array and not b.flags.writeable
    np.testing.assert_array_equal(b, a)
    assert copy.copy(a) is a and copy.deepcopy(a) is a  # immutable: no copy needed


# --- traced indexing into closed-over arrays ----------------------------------------------------

C = mnp.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    "index_fn",
    [
        lambda i: C[i],
        lambda i: C[i] * C[-1 - i],
        lambda i: mnp.array([[1.0, 2.0], [3.0, 4.0]])[i, 1],
        lambda i: C[mnp.array([i, 0])],
        lambda i: C[[i, i]],
    ],
)
def test_traced_index_into_a_closed_over_array(index_fn):
    expected = [np.asarray(index_fn(i)) for i in range(2)]
    for i in range(2):
        np.testing.assert_array_equal(ad.jit(index_fn)(i), expected[i])
        np.testing.assert_array_equal(
            ad.make_jaxpr(index_fn)(i).out_avals[0].shape, expected[i].shape
        )
    np.testing.assert_array_equal(ad.vmap(index_fn)(np.arange(2)), np.stack(expected))


def test_traced_index_under_grad_and_vmap_of_grad():
    def f(w, i):
        return C[i] * w**2

    assert ad.grad(f)(3.0, 2) == 18.0
    assert ad.jit(ad.grad(f))(3.0, 1) == 12.0
    np.testing.assert_array_equal(
        ad.vmap(ad.grad(f), in_axes=(None, 0))(3.0, np.arange(3)), [6.0, 12.0, 18.0]
    )


def test_a_plain_numpy_array_indexed_by_a_tracer_names_the_fix():
    """NumPy's own ``__getitem__`` cannot take a tracer: the error says mnp.asarray(v)[i]."""
    v = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TracerArrayConversionError, match=r"mnp\.asarray\(v\)\[i\]"):
        ad.jit(lambda i: v[i])(1)
    with pytest.raises(TracerIntegerConversionError, match=r"mnp\.asarray\(v\)\[i\]"):
        ad.vmap(lambda i: [1.0, 2.0, 3.0][i])(np.arange(2))
    assert ad.jit(lambda i: mnp.asarray(v)[i])(1) == 2.0


# --- float(), int(), complex(), math.*, .item(), .tolist() under differentiation ------------------

CONVERSIONS = {
    "float": lambda x: float(x) * 2.0,
    "math.sin": lambda x: math.sin(x),
    "math.exp": lambda x: math.exp(x) + x,
    "int": lambda x: int(x) * x,
    "complex": lambda x: complex(x).real,
    "item": lambda x: x.item() * x,
    "tolist": lambda x: mnp.sum(mnp.asarray(x.tolist())),
}


@pytest.mark.parametrize("name", CONVERSIONS)
@pytest.mark.parametrize(
    "transform",
    [
        lambda f: ad.grad(f)(3.0),
        lambda f: ad.jvp(f, (3.0,), (1.0,)),
        lambda f: ad.vjp(f, 3.0),
        lambda f: ad.jacrev(f)(3.0),
        lambda f: ad.jacfwd(f)(3.0),
        lambda f: ad.grad(ad.grad(f))(3.0),
        lambda f: ad.value_and_grad(f)(np.float64(3.0)),
    ],
    ids=["grad", "jvp", "vjp", "jacrev", "jacfwd", "grad_grad", "value_and_grad"],
)
def test_converting_a_value_with_a_derivative_raises(name, transform):
    with pytest.raises(ConcretizationTypeError, match="derivative") as info:
        transform(CONVERSIONS[name])
    message = str(info.value)
    assert "mnp" in message and "stop_gradient" in message


def test_must_show_grad_of_float_and_math_sin_raise():
    with pytest.raises(ConcretizationTypeError, match=r"float\(\).*derivative under grad"):
        ad.grad(lambda x: float(x))(3.0)
    with pytest.raises(ConcretizationTypeError, match="derivative under grad"):
        ad.grad(lambda x: math.sin(x))(3.0)


def test_conversions_without_a_derivative_keep_working():
    # Python control flow on values is a feature under grad
    assert ad.grad(lambda x: x**2 if x > 0 else -x)(3.0) == 6.0
    assert ad.grad(lambda x: x * 2.0 if bool(x > 1.0) else x)(3.0) == 2.0
    # a value whose derivative is symbolically zero converts
    assert ad.grad(lambda x: x * float(ad.stop_gradient(x)))(3.0) == 3.0
    assert ad.grad(lambda x, n: x * int(n))(3.0, 4) == 4.0
    assert ad.grad(lambda x: x * math.sin(mnp.floor(x)))(3.5) == pytest.approx(math.sin(3.0))
    assert ad.grad(lambda x, y: x * y.item(), argnums=0)(3.0, np.float64(2.0)) == 2.0
    assert ad.grad(lambda x: x * len(mnp.zeros(3).tolist()))(1.0) == 3.0


def test_conversions_under_staging_raise_concretization_errors():
    for f in (lambda x: float(x), lambda x: x.item(), lambda x: x.tolist()):
        with pytest.raises(ConcretizationTypeError):
            ad.jit(f)(1.0)
        with pytest.raises(ConcretizationTypeError):
            ad.vmap(f)(np.ones(2))
    with pytest.raises(TracerIntegerConversionError):
        ad.jit(lambda i: range(i))(3)
