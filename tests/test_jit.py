"""``jit``: tracing once per signature, static arguments, errors, and composition.

Caching is observed through a Python side effect (a trace counter), which runs only
while tracing. Compositions with the autodiff transforms are compared with JAX's
same compositions (x64).
"""

import functools

import numpy as np
import pytest
from control_flow_checks import assert_trees_allclose

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad.errors import TracerBoolConversionError

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X = np.array([0.3, -1.2, 2.0])


def counted(fun):
    """``fun`` with a trace counter (a Python side effect) in ``calls[0]``."""
    calls = [0]

    def wrapped(*args, **kwargs):
        calls[0] += 1
        return fun(*args, **kwargs)

    wrapped.__name__ = fun.__name__
    return wrapped, calls


def test_second_call_with_the_same_types_does_not_retrace():
    f, calls = counted(lambda x: mnp.sin(x) * 2.0)
    jf = ad.jit(f)
    np.testing.assert_allclose(jf(X), np.sin(X) * 2.0)
    np.testing.assert_allclose(jf(X + 1.0), np.sin(X + 1.0) * 2.0)
    assert calls[0] == 1 and jf._cache_size() == 1


@pytest.mark.parametrize(
    "first, second",
    [
        (np.ones(3), np.ones(4)),  # shape
        (np.ones(3), np.ones(3, np.float32)),  # dtype
        (1.0, np.float64(1.0)),  # weak type (Python scalar) vs strong
        (np.ones(3), (np.ones(3),)),  # tree structure
    ],
    ids=["shape", "dtype", "weak-type", "tree"],
)
def test_a_changed_signature_retraces(first, second):
    f, calls = counted(lambda x: x)
    jf = ad.jit(f)
    jf(first)
    jf(second)
    jf(second)
    assert calls[0] == 2 and jf._cache_size() == 2


def test_side_effects_run_at_trace_time_only():
    log = []
    jf = ad.jit(lambda x: (log.append("traced"), x * 2.0)[1])
    for _ in range(3):
        jf(1.0)
    assert log == ["traced"]


def test_static_argnums_and_argnames():
    f, calls = counted(lambda x, n, mode="sin": (mnp.sin(x) if mode == "sin" else mnp.cos(x)) * n)
    jf = ad.jit(f, static_argnums=1, static_argnames="mode")
    np.testing.assert_allclose(jf(X, 3), np.sin(X) * 3)
    np.testing.assert_allclose(jf(X, 3), np.sin(X) * 3)
    np.testing.assert_allclose(jf(X, 4, mode="cos"), np.cos(X) * 4)
    assert calls[0] == 2
    np.testing.assert_allclose(jf(X, n=4, mode="cos"), np.cos(X) * 4)  # by name: a new key
    assert calls[0] == 3
    # a static Python value may drive Python control flow
    g = ad.jit(lambda x, k: x**2 if k > 0 else -x, static_argnums=(1,))
    assert float(g(3.0, 1)) == 9.0 and float(g(3.0, -1)) == -3.0


def test_unhashable_static_argument_is_a_clear_error():
    jf = ad.jit(lambda x, shape: x, static_argnums=1)
    with pytest.raises(
        ValueError, match=r"Non-hashable static arguments are not supported.*<class 'list'>"
    ):
        jf(1.0, [3])


def test_python_control_flow_on_a_traced_value_names_function_and_argument():
    def positive_part(x, y):
        if x > 0:
            return x
        return y

    with pytest.raises(TracerBoolConversionError) as info:
        ad.jit(positive_part)(1.0, 2.0)
    message = str(info.value)
    assert "Attempted boolean conversion of traced array with shape bool[]" in message
    assert "positive_part" in message and "for jit" in message
    assert "argument x" in message and "argument y" not in message


def test_make_jaxpr_of_jit_shows_a_jit_equation():
    def f(x):
        return mnp.sin(x) * 2.0

    ours = str(ad.make_jaxpr(ad.jit(f))(1.0))
    assert ours == (
        "{ lambda ; a:f64[]. let\n"
        "    b:f64[] = jit[\n"
        "      name=f\n"
        "      jaxpr={ lambda ; c:f64[]. let\n"
        "          d:f64[] = sin c\n"
        "          e:f64[] = mul d 2.0:f64[]\n"
        "        in (e,) }\n"
        "    ] a\n"
        "  in (b,) }"
    )  # JAX prints the same, except that it names the inner variables like the outer ones
    theirs = jax.make_jaxpr(jax.jit(lambda x: jnp.sin(x) * 2.0))(1.0)
    assert [e.primitive.name for e in theirs.eqns] == ["jit"]


def test_lower_and_compiled_source():
    lowered = ad.jit(lambda x, y: mnp.sin(x) * y).lower(1.0, X)
    assert lowered.as_text() == str(ad.make_jaxpr(lambda x, y: mnp.sin(x) * y)(1.0, X))
    compiled = lowered.compile()
    np.testing.assert_allclose(compiled(1.0, X), np.sin(1.0) * X)
    assert "np.sin(a0)" in compiled.as_text()


def test_compiled_code_is_simplified():
    """Common subexpressions, dead code and literal-only arithmetic are removed."""

    def f(x):
        unused = mnp.exp(x) * 3.0  # dead code  # noqa: F841
        scale = ad.lax.mul(np.float64(2.0), np.float64(3.0))  # folded to 6.0
        return mnp.sin(x) * mnp.sin(x) * scale

    source = ad.jit(f).lower(X).compile().as_text()
    assert source.count("np.sin") == 1
    assert "exp" not in source and "np.multiply(np.float64(2.0)" not in source
    code = [line for line in source.splitlines() if not line.strip().startswith("del ")]
    assert len(code) == 5  # def, sin, two multiplies, return
    np.testing.assert_allclose(ad.jit(f)(X), np.sin(X) ** 2 * 6.0)


def test_nested_jit_is_inlined_and_outputs_are_arrays():
    inner = ad.jit(lambda x: mnp.cos(x) + 1.0)
    outer = ad.jit(lambda x: inner(x) * inner(x))
    source = outer.lower(X).compile().as_text()
    assert source.count("np.cos") == 1  # inlined, then deduplicated
    out = outer(2.0)
    assert type(out) is ad.Array and out.shape == ()
    np.testing.assert_allclose(out, (np.cos(2.0) + 1.0) ** 2)


def test_jit_on_a_method_and_with_kwargs():
    class Model:
        scale = 3.0

        @functools.partial(ad.jit, static_argnums=0)  # self is hashed by identity
        def apply(self, x, *, bias):
            return x * self.scale + bias

    np.testing.assert_allclose(Model().apply(X, bias=1.0), X * 3.0 + 1.0)
    with pytest.raises(TypeError, match="not a valid mini_ad type"):
        ad.jit(lambda m, x: x)(Model(), X)  # as in JAX, a non-array needs static_argnums
    np.testing.assert_allclose(ad.jit(lambda x, *, bias: x + bias)(X, bias=2.0), X + 2.0)


def test_closed_over_tracer_is_an_input_not_a_constant():
    def outer(y):
        return ad.jit(lambda x: x * y)(2.0)

    np.testing.assert_allclose(ad.grad(outer)(5.0), 2.0)
    np.testing.assert_allclose(
        ad.jacfwd(lambda y: ad.jit(lambda x: x * y)(X))(X), np.diag(X * 0 + X)
    )


def test_grad_of_jit_traces_once_and_stages_jit_equations():
    f, calls = counted(lambda x: mnp.sum(mnp.tanh(x) ** 2))
    expected = 2.0 * np.tanh(X) * (1.0 - np.tanh(X) ** 2)
    g = ad.grad(ad.jit(f))
    for _ in range(3):
        np.testing.assert_allclose(g(X), expected)
    assert calls[0] == 1
    jaxpr = ad.make_jaxpr(g)(X)  # as in JAX: a known jit and a linear (transposed) one
    assert [e.primitive.name for e in jaxpr.eqns] == ["jit", "jit"]
    assert calls[0] == 1


# --- composition with the autodiff transforms, in both orders, against JAX -----------------


def _loss(np_):
    return lambda x: np_.sum(np_.sin(x) * np_.exp(-x * x)) + np_.prod(np_.tanh(x))


def _vector_fn(np_):
    return lambda x: np_.sin(x) * np_.sum(x**2)


T = np.array([0.5, 1.0, -2.0])
COMPOSITIONS = [
    ("grad", lambda ad_, f: ad_.grad(f), _loss),
    ("value_and_grad", lambda ad_, f: ad_.value_and_grad(f), _loss),
    ("jvp", lambda ad_, f: lambda x: ad_.jvp(f, (x,), (T,)), _vector_fn),
    ("vjp", lambda ad_, f: lambda x: ad_.vjp(f, x)[1](T), _vector_fn),
    ("jacfwd", lambda ad_, f: ad_.jacfwd(f), _vector_fn),
    ("jacrev", lambda ad_, f: ad_.jacrev(f), _vector_fn),
    ("hessian", lambda ad_, f: ad_.hessian(f), _loss),
    ("grad-grad", lambda ad_, f: ad_.grad(lambda x: ad_.grad(f)(x)[0]), _loss),
]


# Every composition runs on both backends: NumPy code, and XLA through the JAX bridge.
BACKENDS = pytest.mark.parametrize("backend", ["numpy", "xla"])


@BACKENDS
@pytest.mark.parametrize("name, transform, program", COMPOSITIONS, ids=[c[0] for c in COMPOSITIONS])
def test_jit_composes_with_autodiff_in_both_orders(name, transform, program, backend):
    expected = jax.jit(transform(jax, program(jnp)))(X)
    inside = ad.jit(transform(ad, program(mnp)), backend=backend)(X)  # jit(transform(f))
    outside = transform(ad, ad.jit(program(mnp), backend=backend))(X)  # transform(jit(f))
    assert_trees_allclose(inside, expected, what=f"jit({name})")
    assert_trees_allclose(outside, expected, what=f"{name}(jit)")


@BACKENDS
def test_vmap_of_jit_and_jit_of_vmap(backend):
    xs = np.arange(6.0).reshape(2, 3)
    f = lambda x: mnp.sum(mnp.sin(x) ** 2)
    jit = functools.partial(ad.jit, backend=backend)
    expected = jax.vmap(jax.grad(lambda x: jnp.sum(jnp.sin(x) ** 2)))(xs)
    assert_trees_allclose(ad.vmap(jit(ad.grad(f)))(xs), expected)
    assert_trees_allclose(jit(ad.vmap(ad.grad(f)))(xs), expected)
    assert_trees_allclose(ad.vmap(ad.grad(jit(f)))(xs), expected)


def test_buffer_reuse_never_overwrites_inputs_or_views():
    """``out=`` reuse is limited to private intermediates: arguments, constants and
    arrays that a view (reshape, transpose, broadcast) still refers to stay intact."""
    const = np.arange(6.0)

    def f(x):
        a = mnp.exp(x)  # private
        b = a.reshape(2, 3)  # a view of a: a must not be overwritten afterwards
        c = mnp.sin(a) * 2.0 + const
        return c.sum() + b.sum() * (x * x).sum()

    x = np.linspace(-1.0, 1.0, 6)
    x_before, const_before = x.copy(), const.copy()
    expected = f(x)
    jitted = ad.jit(f)
    np.testing.assert_allclose(jitted(x), expected, rtol=1e-14)
    np.testing.assert_allclose(ad.jit(ad.grad(f))(x), ad.grad(f)(x), rtol=1e-14)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(const, const_before)
    assert "out=" in jitted.lower(x).compile().as_text()


def test_exact_identities_and_commuted_duplicates_are_simplified():
    """``x * 1``, ``-(-x)``, same-type conversions vanish; ``a*b`` and ``b*a`` are one."""

    def f(x):
        y = -(-(x * 1.0)).astype(np.float64)
        return mnp.sin(y) * mnp.cos(y) + mnp.cos(y) * mnp.sin(y)

    x = np.linspace(0.0, 1.0, 4)
    source = ad.jit(f).lower(x).compile().as_text()
    assert "negative" not in source and "asarray(a0, " not in source
    assert source.count("np.multiply") == 1 and source.count("np.add") == 1
    np.testing.assert_allclose(ad.jit(f)(x), f(x), rtol=1e-15)
    np.testing.assert_allclose(
        ad.jit(ad.grad(lambda v: f(v).sum()))(x), ad.grad(lambda v: f(v).sum())(x), rtol=1e-14
    )


def test_float64_scalar_programs_run_on_python_floats_with_numpy_fallback():
    """All-scalar float64 programs run on Python floats: IEEE-exact operators (+ - * /)
    in Python, every other primitive through its own ufunc; where Python would raise
    (1/0) the NumPy version runs. Either way the bits are eager mini_ad's."""

    def f(x):
        return mnp.log(x) + 1.0 / x + mnp.exp(x) * mnp.tanh(x) ** 2

    jitted = ad.jit(f)
    source = jitted.lower(0.5).compile().as_text()
    assert "a0 = _f(a0)" in source and "np.log(a0)" in source and "1.0 / a0" in source
    assert "_m.log" not in source  # math.log differs from np.log in the last bit
    for x in (0.5, 3.0, 0.0, -1.0, 1000.0):
        with np.errstate(divide="ignore"):  # (NumPy's own scalar 1.0 / x warns at 0)
            expected = f(np.float64(x))  # eager on a NumPy scalar: 1/0 is inf, not an exception
        got = jitted(x)
        assert isinstance(got, np.ndarray) and got.dtype == np.float64
        np.testing.assert_array_equal(got, expected)
    chain = ad.grad(lambda x: mnp.sin(mnp.sin(x) * 1.01 + 0.1 * x))
    np.testing.assert_array_equal(ad.jit(chain)(0.3), chain(0.3))
    # float32 and array programs keep the NumPy code (exact dtypes)
    assert ad.jit(f)(np.float32(0.5)).dtype == np.float32
    assert "_f(a0)" not in ad.jit(f).lower(X).compile().as_text()


def test_scheduled_code_keeps_few_arrays_alive():
    """The generated code is reordered so arrays die early: the grad of an elementwise
    loss holds at most four input-sized arrays at once (eager mini_ad holds eight)."""
    import tracemalloc

    def loss(x):
        return mnp.sum(mnp.tanh(x) ** 2 + x * mnp.exp(-(x**2)))

    x = np.linspace(-2.0, 2.0, 100_000)
    jitted = ad.jit(ad.grad(loss))
    np.testing.assert_allclose(jitted(x), ad.grad(loss)(x), rtol=1e-13)
    tracemalloc.start()
    try:
        jitted(x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 4.5 * x.nbytes
