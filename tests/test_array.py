"""mini_ad.Array: immutable, JAX's ``.at`` with every method and mode, NumPy-compatible.

Every ``.at`` case runs eagerly and under jit, grad (through a sum of the result), vmap
(over a batch of operands), and against JAX with x64 on.
"""

import operator

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import nn
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

X = np.array([1.5, -2.0, 3.0, 0.5, 4.0])

# --- immutability -----------------------------------------------------------------------------

AUGMENTED = [
    ("+=", operator.iadd, 2.0),
    ("-=", operator.isub, 2.0),
    ("*=", operator.imul, 2.0),
    ("/=", operator.itruediv, 2.0),
    ("//=", operator.ifloordiv, 2.0),
    ("%=", operator.imod, 2.0),
    ("**=", operator.ipow, 2.0),
    ("@=", operator.imatmul, np.eye(5)),
    ("&=", operator.iand, 6),
    ("|=", operator.ior, 6),
    ("^=", operator.ixor, 6),
    ("<<=", operator.ilshift, 1),
    (">>=", operator.irshift, 1),
]


@pytest.mark.parametrize("name,op,other", AUGMENTED, ids=[a[0] for a in AUGMENTED])
def test_augmented_assignment_rebinds_and_never_mutates(name, op, other):
    """``b = a; b op= y`` binds a new Array to ``b``; ``a`` is unchanged (JAX's behaviour:
    its arrays have no in-place operators, so Python falls back to ``b = b op y``)."""
    a = mnp.arange(5) if isinstance(other, int) else mnp.array(X)
    before = np.array(a)
    b = a
    b = op(b, other)
    assert b is not a and type(b) is ad.Array and not b.flags.writeable
    np.testing.assert_array_equal(a, before)
    expected = op(before.copy(), other)
    np.testing.assert_array_equal(b, expected)
    j = jnp.asarray(before)
    np.testing.assert_allclose(b, op(j, jnp.asarray(other)), rtol=1e-15)


def test_item_assignment_raises_with_the_at_hint():
    x = mnp.arange(3)
    with pytest.raises(TypeError, match=r"x\.at\[idx\]\.set\(y\)"):
        x[0] = 10
    with pytest.raises(TypeError, match="immutable"):
        x[1:] = 0
    np.testing.assert_array_equal(x, [0, 1, 2])


def test_no_write_path_into_an_array():
    x = mnp.sin(np.ones(4))
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(x)[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        np.add(x, 1.0, out=x)
    with pytest.raises(TypeError, match="immutable"):
        x.reshape(2, 2)[0, 0] = 1.0  # views of an Array are Arrays, read-only too
    with pytest.raises(ValueError, match="read-only"):
        np.asarray(x.reshape(2, 2))[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        x.fill(0.0)
    fancy = x[[0, 0]]  # advanced indexing copies; the copy is immutable all the same
    assert type(fancy) is ad.Array and not fancy.flags.writeable


def test_copies_are_the_callers_plain_arrays():
    x = mnp.sin(np.ones(3))
    for y in (x.copy(), np.array(x), np.sin(x), np.add(x, 1.0)):
        assert type(y) is np.ndarray and y.flags.writeable
        assert not np.shares_memory(y, x)
        y[0] = 7.0
    np.testing.assert_array_equal(x, np.sin(np.ones(3)))


def test_array_methods_return_arrays_like_jax():
    x = mnp.array([[3.0, 1.0], [2.0, 5.0]])
    for y in (x + 1, -x, x @ x, x.sum(0), x.mean(), x.T, x.reshape(4), x[0], x.astype(np.float32)):
        assert type(y) is ad.Array and not y.flags.writeable
    assert x.block_until_ready() is x
    assert x.item(1) == 1.0 and x.tolist() == [[3.0, 1.0], [2.0, 5.0]]
    np.testing.assert_array_equal(x.sort(), [[1.0, 3.0], [2.0, 5.0]])  # a sorted copy (JAX)
    np.testing.assert_array_equal(x, [[3.0, 1.0], [2.0, 5.0]])
    np.testing.assert_array_equal(np.sort(x, axis=0), [[2.0, 1.0], [3.0, 5.0]])  # NumPy's
    assert repr(x) == repr(np.array(x))


def test_every_result_kind_is_an_array():
    x = np.linspace(0.1, 1.0, 4)
    results = [
        mnp.sin(x), mnp.zeros(3), mnp.arange(3), mnp.asarray(x), mnp.array([1.0]),
        mnp.linspace(0, 1, 3), mnp.eye(2), ad.lax.sin(x), nn.relu(x),
        ad.jit(mnp.cos)(x), ad.grad(lambda v: mnp.sum(v**2))(x), ad.vmap(mnp.sin)(x),
        ad.jvp(mnp.sin, (x,), (x,))[1], ad.vjp(mnp.sin, x)[1](x)[0], ad.jacfwd(mnp.sin)(x),
        ad.jacrev(mnp.sin)(x), ad.hessian(lambda v: mnp.sum(v**3))(x), mnp.linalg.norm(x),
    ]  # fmt: skip
    for r in results:
        assert type(r) is ad.Array and not r.flags.writeable


# --- .at: every method, repeated indices, every mode, under every transform -------------------

IDX = np.array([0, 2, 0, 4])  # position 0 repeated
V = np.array([2.0, 0.5, -3.0, 1.5])
AT_CASES = [
    ("set", lambda x, v: x.at[IDX].set(v)),
    ("add", lambda x, v: x.at[IDX].add(v)),
    ("multiply", lambda x, v: x.at[IDX].multiply(v)),
    ("divide", lambda x, v: x.at[IDX].divide(v)),
    ("power", lambda x, v: x.at[IDX].power(v)),
    ("min", lambda x, v: x.at[IDX].min(v)),
    ("max", lambda x, v: x.at[IDX].max(v)),
    ("apply", lambda x, v: x.at[IDX].apply(lambda t: t * 3.0)),
    ("get", lambda x, v: x.at[IDX].get() * v),
    ("slice", lambda x, v: x.at[1:4].multiply(v[:3])),
    ("step", lambda x, v: x.at[::-2].add(v[:3])),
    ("int", lambda x, v: x.at[-1].divide(v[0])),
    ("mask", lambda x, v: x.at[np.array([True, False, True, False, False])].max(v[:2])),
    ("scalar_value", lambda x, v: x.at[IDX].multiply(2.0)),
    ("drop", lambda x, v: x.at[np.array([1, 9, -7, -1])].add(v)),
    ("drop_mul", lambda x, v: x.at[np.array([1, 9, 1])].multiply(v[:3], mode="drop")),
    ("fill_update", lambda x, v: x.at[np.array([9, 2])].set(v[:2], mode="fill")),
    ("clip", lambda x, v: x.at[np.array([9, -9])].set(v[:2], mode="clip")),
    ("promise", lambda x, v: x.at[np.array([3, 1])].add(v[:2], mode="promise_in_bounds")),
    ("get_clamped", lambda x, v: x.at[np.array([9, -9, 2])].get() * v[:3]),
    ("get_fill", lambda x, v: x.at[np.array([9, 2])].get(mode="fill", fill_value=-1.0) * v[:2]),
]
AT_IDS = [c[0] for c in AT_CASES]


def _jax_value(fn, x, v):
    return np.asarray(fn(jnp.asarray(x), jnp.asarray(v)))


@pytest.mark.parametrize("name,fn", AT_CASES, ids=AT_IDS)
def test_at_matches_jax_eager_and_jit(name, fn):
    expected = _jax_value(fn, X, V)
    x = mnp.asarray(X)
    eager = fn(x, V)
    assert type(eager) is ad.Array
    np.testing.assert_allclose(eager, expected, rtol=1e-14)
    np.testing.assert_allclose(ad.jit(fn)(X, V), expected, rtol=1e-14)
    np.testing.assert_array_equal(x, X)  # the operand is unchanged


# JAX cannot differentiate these (scatter_mul with repeated indices, scatter_apply):
# finite differences check them instead.
NO_JAX_GRAD = {"multiply", "divide", "power", "apply", "drop_mul"}


@pytest.mark.parametrize("name,fn", AT_CASES, ids=AT_IDS)
def test_at_gradients_match_jax(name, fn):
    def scalar(lib):  # finite differences call it on plain NumPy arrays: asarray first
        return lambda x, v: lib.sum(lib.sin(fn(lib.asarray(x), v)))

    if name == "get_clamped":
        pytest.skip("a clamped out-of-bounds read: see test_clamped_read_gradient")
    if name in NO_JAX_GRAD:
        check_grads(scalar(mnp), (X, V), order=2)
        check_grads(ad.jit(scalar(mnp)), (X, V), order=1)
        return
    expected = jax.grad(scalar(jnp), argnums=(0, 1))(jnp.asarray(X), jnp.asarray(V))
    got = ad.grad(scalar(mnp), argnums=(0, 1))(X, V)
    jitted = ad.jit(ad.grad(scalar(mnp), argnums=(0, 1)))(X, V)
    for g, j, e in zip(got, jitted, expected, strict=True):
        np.testing.assert_allclose(g, np.asarray(e), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(j, np.asarray(e), rtol=1e-12, atol=1e-14)
    t_expected = jax.jvp(scalar(jnp), (jnp.asarray(X), jnp.asarray(V)), (jnp.ones(5), jnp.ones(4)))
    t_got = ad.jvp(scalar(mnp), (X, V), (np.ones(5), np.ones(4)))
    np.testing.assert_allclose(t_got[1], np.asarray(t_expected[1]), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,fn", AT_CASES, ids=AT_IDS)
def test_at_under_vmap_matches_jax(name, fn):
    xs = np.stack([X, X[::-1] * 2.0, -X])
    expected = np.asarray(jax.vmap(fn, in_axes=(0, None))(jnp.asarray(xs), jnp.asarray(V)))
    np.testing.assert_allclose(ad.vmap(fn, in_axes=(0, None))(xs, V), expected, rtol=1e-14)
    vs = np.stack([V, V + 1.0])
    expected = np.asarray(jax.vmap(fn, in_axes=(None, 0))(jnp.asarray(X), jnp.asarray(vs)))
    np.testing.assert_allclose(ad.vmap(fn, in_axes=(None, 0))(X, vs), expected, rtol=1e-14)


TRACED_CASES = [
    ("set", lambda x, i, v: x.at[i].set(v)),
    ("add", lambda x, i, v: x.at[i].add(v)),
    ("multiply", lambda x, i, v: x.at[i].multiply(v)),
    ("divide", lambda x, i, v: x.at[i].divide(v)),
    ("power", lambda x, i, v: x.at[i].power(v)),
    ("min", lambda x, i, v: x.at[i].min(v)),
    ("max", lambda x, i, v: x.at[i].max(v)),
    ("apply", lambda x, i, v: x.at[i].apply(lambda t: t * v)),
    ("get", lambda x, i, v: x.at[i].get() * v),
    ("get_fill", lambda x, i, v: x.at[i].get(mode="fill", fill_value=7.0) * v),
    ("clip", lambda x, i, v: x.at[i].set(v, mode="clip")),
]


@pytest.mark.parametrize("name,fn", TRACED_CASES, ids=[c[0] for c in TRACED_CASES])
@pytest.mark.parametrize("index", [1, -1, 7, -9, np.array([0, 3, 0]), np.array([9, 0, -1])])
def test_at_with_traced_indices_matches_jax(name, fn, index):
    """Indices traced by jit and vmap (repeats unknown while tracing) and in-bounds,
    negative and out-of-bounds entries."""
    v = 1.25  # no ties with X (min and max have kinks there)
    index = np.asarray(index)
    expected = np.asarray(fn(jnp.asarray(X), jnp.asarray(index), v))
    np.testing.assert_allclose(ad.jit(fn)(X, index, v), expected, rtol=1e-14)
    np.testing.assert_allclose(fn(mnp.asarray(X), index, v), expected, rtol=1e-14)
    if name == "apply" or (name == "get" and np.any((index >= 5) | (index < -5))):
        return  # JAX has no derivative of scatter_apply; clamped reads: see below
    batch = np.stack([index, np.zeros_like(index)])
    expected = np.asarray(jax.vmap(fn, in_axes=(None, 0, None))(jnp.asarray(X), batch, v))
    np.testing.assert_allclose(ad.vmap(fn, in_axes=(None, 0, None))(X, batch, v), expected)
    g = ad.jit(ad.grad(lambda x, i: mnp.sum(fn(x, i, v) ** 2)))(X, index)
    expected = jax.grad(lambda x, i: jnp.sum(fn(x, i, v) ** 2))(jnp.asarray(X), index)
    np.testing.assert_allclose(g, np.asarray(expected), rtol=1e-12)


def test_clamped_read_gradient():
    """An out-of-bounds read (clamped) returns the edge element, and its derivative goes
    to that element: d x.at[9].get() / dx = e_4. JAX returns the same value but drops the
    derivative (its gather transposes to a dropping scatter). Documented in README."""
    g = ad.grad(lambda x: x.at[np.array([9, 4])].get().sum())(X)
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0, 0.0, 2.0])
    g = ad.jit(ad.grad(lambda x, i: x[i]))(X, 9)
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0, 0.0, 1.0])


def test_at_fill_defaults_and_dtypes_match_jax():
    for x in (np.arange(4), np.arange(4, dtype=np.uint8), np.array([True, False])):
        got = mnp.asarray(x).at[np.array([1, 9])].get(mode="fill")
        expected = jnp.asarray(x).at[jnp.array([1, 9])].get(mode="fill")
        np.testing.assert_array_equal(got, np.asarray(expected))
        assert got.dtype == x.dtype
    got = mnp.arange(4).at[1].multiply(2.5)  # updates are cast to the operand's dtype
    assert got.dtype == np.arange(4).dtype
    with pytest.raises(ValueError, match="mode"):
        mnp.zeros(3).at[0].set(1.0, mode="wrap")


def test_at_exists_on_every_tracer_and_result():
    def f(x):
        return mnp.sum(x.at[1].set(x[0] * 2.0).at[np.array([0, 0])].multiply(x[2]))

    x = np.array([1.0, 2.0, 3.0])
    # f(x) = x0 x2^2 + 2 x0 + x2 (x[1] is overwritten by 2 x0, x[0] multiplied twice by x2)
    expected = np.array([x[2] ** 2 + 2.0, 0.0, 2.0 * x[0] * x[2] + 1.0])
    for transformed in (ad.grad(f), ad.jit(ad.grad(f)), ad.jacrev(f), ad.jacfwd(f)):
        np.testing.assert_allclose(transformed(x), expected, rtol=1e-14)
    np.testing.assert_allclose(ad.vmap(ad.grad(f))(np.stack([x, x])), np.stack([expected] * 2))
    assert mnp.zeros(3).at[1].set(1.0).tolist() == [0.0, 1.0, 0.0]


def test_array_operators_with_mismatched_shapes_raise_jaxs_type_error():
    """Array operators call NumPy's ufuncs directly; a shape mismatch is still a TypeError
    (JAX's class) that NumPy-style ``except ValueError`` handlers also catch."""
    from mini_ad.errors import ShapeError

    for op in (lambda: mnp.ones((2, 3)) @ mnp.ones((2, 3)), lambda: mnp.ones(3) + mnp.ones(4)):
        with pytest.raises(ShapeError) as info:
            op()
        assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)


# --- methods: the same function eagerly as under a transform ------------------------------------

SPECIAL = np.array([[np.nan, np.inf, -np.inf], [1e20, -3.7, 300.5]])
COMPLEX = np.array([[1 + 2j, -3 + 0.5j, 2 - 1j], [0.25 + 4j, -1 - 1j, 3 + 3j]], np.complex64)
METHOD_CASES = [
    ("astype-int32", SPECIAL, lambda a: a.astype(np.int32)),  # NumPy's cast gave INT_MIN
    ("astype-uint8", SPECIAL.astype(np.float32), lambda a: a.astype(np.uint8)),
    ("astype-int64", SPECIAL, lambda a: a.astype(np.int64)),
    ("cumprod", np.linspace(0.3, 2.9, 24).reshape(4, 6), lambda a: a.cumprod()),
    (
        "cumsum-axis-dtype",
        np.arange(6, dtype=np.int8).reshape(2, 3),
        lambda a: a.cumsum(1, np.int32),
    ),
    ("mean-complex", COMPLEX, lambda a: a.mean()),
    ("var-complex-axis", COMPLEX, lambda a: a.var(axis=1)),
    ("std-complex-ddof", COMPLEX, lambda a: a.std(ddof=1)),
    ("mean-dtype", np.arange(6, dtype=np.int32), lambda a: a.mean(dtype=np.float32)),
    ("conj", COMPLEX, lambda a: a.conj()),
    ("conjugate", COMPLEX, lambda a: a.conjugate()),
]


@pytest.mark.parametrize(
    "x, method", [c[1:] for c in METHOD_CASES], ids=[c[0] for c in METHOD_CASES]
)
def test_array_methods_equal_their_traced_selves(x, method):
    """An Array's method is the mini_ad.numpy function a tracer's method calls, so eager and
    jit agree bit for bit (NumPy's cast of NaN to int32 is INT_MIN, XLA's 0, for example)."""
    eager = np.asarray(method(mnp.asarray(x)))
    jitted = np.asarray(ad.jit(method)(mnp.asarray(x)))
    assert eager.dtype == jitted.dtype
    np.testing.assert_array_equal(eager, jitted)


def test_float_to_int_astype_is_jax_s():
    for dtype in (np.int32, np.uint8, np.int64):
        got = mnp.asarray(SPECIAL).astype(dtype)
        np.testing.assert_array_equal(got, np.asarray(jnp.asarray(SPECIAL).astype(dtype)))


def test_numpy_functions_and_numpy_only_arguments_still_work():
    a = mnp.arange(10.0)
    assert np.mean(a) == 4.5 and np.var(a, ddof=1) == np.var(np.arange(10.0), ddof=1)
    assert np.std(a, where=a > 2) == np.std(np.arange(3.0, 10.0))  # NumPy's method runs
    assert a.astype(np.float32, copy=True).dtype == np.float32
    assert np.cumsum(a)[-1] == 45.0 and type(np.cumsum(a)) is ad.Array
