"""Idioms from JAX's documentation, run side by side with JAX (x64).

Each idiom is written once, in the spirit of a snippet of the JAX "quickstart", "automatic
differentiation", "thinking in JAX", "pytrees", "random numbers" and "jit" tutorials,
against the names ``jax``, ``jnp`` and ``random``; the test runs it with
``(jax, jax.numpy, jax.random)`` and with ``(mini_ad, mini_ad.numpy, mini_ad.random)`` —
the only difference is the import line — and asserts equal results. An idiom that expects
an error returns the error's class name.
"""

from __future__ import annotations

import collections
import functools
import math

import numpy as np
import pytest

jax_lib = pytest.importorskip("jax")
import jax.numpy as jax_numpy  # noqa: E402
import jax.random as jax_random  # noqa: E402

import mini_ad  # noqa: E402
import mini_ad.interop.jax  # noqa: E402, F401 - JAX with x64, as mini_ad computes
import mini_ad.numpy as mini_numpy  # noqa: E402
import mini_ad.random as mini_random  # noqa: E402

IDIOMS = []


def idiom(fn=None, *, xfail: str | None = None):
    """Register an idiom; ``xfail`` names the parallel work it waits for."""
    if fn is None:
        return functools.partial(idiom, xfail=xfail)
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    IDIOMS.append(pytest.param(fn, id=fn.__name__, marks=marks))
    return fn


def error_name(thunk) -> str:
    try:
        thunk()
    except Exception as e:  # noqa: BLE001 - the idiom reports which error it got
        return type(e).__name__
    return "no error"


# --- quickstart -----------------------------------------------------------------------------


@idiom
def quickstart_selu_jit(jax, jnp, random):
    def selu(x, alpha=1.67, lmbda=1.05):
        return lmbda * jnp.where(x > 0, x, alpha * jnp.exp(x) - alpha)

    x = jnp.arange(5.0) - 2.0
    return jax.jit(selu)(x), selu(x)


@idiom
def quickstart_grad_sum_logistic(jax, jnp, random):
    def sum_logistic(x):
        return jnp.sum(1.0 / (1.0 + jnp.exp(-x)))

    x_small = jnp.arange(3.0)
    return jax.grad(sum_logistic)(x_small)


@idiom
def quickstart_finite_differences(jax, jnp, random):
    def sum_logistic(x):
        return jnp.sum(1.0 / (1.0 + jnp.exp(-x)))

    def first_finite_differences(f, x, eps=1e-3):
        return jnp.array([(f(x + eps * v) - f(x - eps * v)) / (2 * eps) for v in jnp.eye(len(x))])

    return first_finite_differences(sum_logistic, jnp.arange(3.0))


@idiom
def quickstart_nested_grad_jit(jax, jnp, random):
    def sum_logistic(x):
        return jnp.sum(1.0 / (1.0 + jnp.exp(-x)))

    return jax.grad(jax.jit(jax.grad(jax.jit(jax.grad(sum_logistic)))))(1.0)


@idiom
def quickstart_hessian_jacfwd_jacrev(jax, jnp, random):
    def hessian(fun):
        return jax.jit(jax.jacfwd(jax.jacrev(fun)))

    return hessian(lambda x: jnp.sum(jnp.sin(x) * x**2))(jnp.array([0.5, 1.0, 2.0]))


@idiom
def quickstart_vmap_matvec(jax, jnp, random):
    key = random.key(1701)
    key1, key2 = random.split(key)
    mat = random.normal(key1, (15, 10))
    batched_x = random.normal(key2, (4, 10))

    def apply_matrix(x):
        return jnp.dot(mat, x)

    naive = jnp.stack([apply_matrix(v) for v in batched_x])
    return jax.jit(jax.vmap(apply_matrix))(batched_x), naive


@idiom
def quickstart_vmap_in_axes(jax, jnp, random):
    mat = jnp.arange(12.0).reshape(3, 4)
    xs = jnp.arange(8.0).reshape(2, 4)
    return jax.vmap(jnp.dot, in_axes=(None, 0))(mat, xs)


# --- automatic differentiation --------------------------------------------------------------


@idiom
def autodiff_higher_derivatives_tanh(jax, jnp, random):
    grad_tanh = jax.grad(jnp.tanh)
    return grad_tanh(2.0), jax.grad(jax.grad(jax.grad(jnp.tanh)))(2.0)


@idiom
def autodiff_logistic_regression(jax, jnp, random):
    def sigmoid(x):
        return 0.5 * (jnp.tanh(x / 2) + 1)

    def predict(W, b, inputs):
        return sigmoid(jnp.dot(inputs, W) + b)

    inputs = jnp.array([[0.52, 1.12, 0.77], [0.88, -1.08, 0.15], [0.52, 0.06, -1.30]])
    targets = jnp.array([True, True, False])

    def loss(W, b):
        preds = predict(W, b, inputs)
        label_probs = preds * targets + (1 - preds) * (1 - targets)
        return -jnp.sum(jnp.log(label_probs))

    W = jnp.array([0.1, -0.2, 0.3])
    b = 0.5
    W_grad, b_grad = jax.grad(loss, (0, 1))(W, b)
    return W_grad, b_grad, jax.grad(loss, argnums=1)(W, b)


@idiom
def autodiff_dict_params(jax, jnp, random):
    def loss(params):
        return jnp.sum(jnp.tanh(params["W"] * 2.0 + params["b"]) ** 2)

    return jax.grad(loss)({"W": jnp.array([0.1, -0.2]), "b": 0.5})


@idiom
def autodiff_value_and_grad(jax, jnp, random):
    def loss(w):
        return jnp.sum((w * jnp.arange(3.0) - 1.0) ** 2)

    return jax.value_and_grad(loss)(jnp.array([0.5, 1.0, 1.5]))


@idiom
def autodiff_has_aux(jax, jnp, random):
    def loss(w):
        pred = jnp.sin(w)
        return jnp.sum(pred**2), {"pred": pred}

    (value, aux), grads = jax.value_and_grad(loss, has_aux=True)(jnp.array([0.1, 0.2]))
    return value, aux, grads, jax.grad(loss, has_aux=True)(jnp.array([0.3]))


@idiom
def autodiff_jvp_vjp(jax, jnp, random):
    def f(x):
        return jnp.sin(x) * jnp.cos(x[::-1])

    x = jnp.array([0.1, 0.2, 0.3])
    y, y_dot = jax.jvp(f, (x,), (jnp.ones(3),))
    y2, f_vjp = jax.vjp(f, x)
    return y, y_dot, y2, f_vjp(jnp.ones(3))


@idiom
def autodiff_hessian_vector_product(jax, jnp, random):
    def f(x):
        return jnp.sum(jnp.exp(x) * x[0])

    def hvp(f, x, v):
        return jax.grad(lambda x: jnp.vdot(jax.grad(f)(x), v))(x)

    def hvp_fwd_over_rev(f, primals, tangents):
        return jax.jvp(jax.grad(f), primals, tangents)[1]

    x, v = jnp.array([0.3, 0.4]), jnp.array([1.0, -1.0])
    return hvp(f, x, v), hvp_fwd_over_rev(f, (x,), (v,)), jax.hessian(f)(x) @ v


@idiom
def autodiff_jacfwd_jacrev(jax, jnp, random):
    def f(x):
        return jnp.tanh(jnp.outer(x, x)).ravel()

    x = jnp.array([0.1, 0.5, -0.4])
    return jax.jacfwd(f)(x), jax.jacrev(f)(x), jax.jacobian(f)(x)


@idiom
def autodiff_per_example_gradients(jax, jnp, random):
    def loss(w, x, y):
        return (jnp.dot(x, w) - y) ** 2

    w = jnp.array([0.5, -0.5])
    xs = jnp.arange(6.0).reshape(3, 2)
    ys = jnp.array([1.0, 0.0, -1.0])
    return jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))(w, xs, ys)


@idiom
def autodiff_stop_gradient_td0(jax, jnp, random):
    def value_fn(theta, state):
        return jnp.dot(theta, state)

    def td_loss(theta, s_tm1, r_t, s_t):
        v_tm1 = value_fn(theta, s_tm1)
        target = r_t + value_fn(theta, s_t)
        return -0.5 * ((jax.lax.stop_gradient(target) - v_tm1) ** 2)

    theta = jnp.array([0.1, -0.5, 0.1])
    s_tm1, r_t, s_t = jnp.array([1.0, 2.0, -1.0]), jnp.array(1.0), jnp.array([2.0, 1.0, 0.0])
    return jax.grad(td_loss)(theta, s_tm1, r_t, s_t)


@idiom
def autodiff_straight_through_estimator(jax, jnp, random):
    def f(x):
        return jnp.round(x)

    def straight_through_f(x):
        zero = x - jax.lax.stop_gradient(x)
        return zero + jax.lax.stop_gradient(f(x))

    x = jnp.arange(3.0) + 0.3
    return f(x), straight_through_f(x), jax.jacobian(f)(x), jax.jacobian(straight_through_f)(x)


@idiom
def autodiff_custom_jvp_log1pexp(jax, jnp, random):
    @jax.custom_jvp
    def log1pexp(x):
        return jnp.log(1.0 + jnp.exp(x))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        (x,), (x_dot,) = primals, tangents
        ans = log1pexp(x)
        return ans, (1 - 1 / (1 + jnp.exp(x))) * x_dot

    return jax.grad(log1pexp)(100.0), jax.jit(jax.vmap(jax.grad(log1pexp)))(jnp.arange(3.0))


@idiom
def autodiff_custom_vjp_clip_gradient(jax, jnp, random):
    @functools.partial(jax.custom_vjp, nondiff_argnums=(0, 1))
    def clip_gradient(lo, hi, x):
        return x

    def clip_gradient_fwd(lo, hi, x):
        return x, None

    def clip_gradient_bwd(lo, hi, _, g):
        return (jnp.clip(g, lo, hi),)

    clip_gradient.defvjp(clip_gradient_fwd, clip_gradient_bwd)

    def clip_sin(x):
        return clip_gradient(-0.75, 0.75, jnp.sin(x))

    return jax.vmap(jax.grad(clip_sin))(jnp.linspace(0.0, 10.0, 5)), jax.grad(jnp.sin)(5.0)


@idiom
def autodiff_python_control_flow_under_grad(jax, jnp, random):
    def f(x):
        if x < 3:
            return 3.0 * x**2
        return -4 * x

    return jax.grad(f)(2.0), jax.grad(f)(4.0)


@idiom
def autodiff_custom_jvp_python_control_flow(jax, jnp, random):
    @jax.custom_jvp
    def f(x):
        if x > 0:
            return jnp.sin(x)
        return x

    f.defjvps(lambda t, ans, x: 2.0 * t)
    return jax.grad(f)(1.0), jax.grad(f)(-1.0)


@idiom
def autodiff_custom_gradient(jax, jnp, random):
    @jax.custom_gradient
    def scaled_square(x):
        return x**2, lambda g: (3.0 * g,)

    return jax.grad(scaled_square)(2.0), jax.jit(jax.grad(scaled_square))(5.0)


@idiom
def autodiff_checkpoint_policy(jax, jnp, random):
    def layer(W, x):
        return jnp.sin(jnp.dot(W, x))

    def loss(W, x):
        f = jax.checkpoint(layer, policy=jax.checkpoint_policies.dots_saveable)
        return jnp.sum(f(W, f(W, x)))

    W = jnp.arange(9.0).reshape(3, 3) / 10
    return jax.grad(loss)(W, jnp.ones(3))


@idiom
def autodiff_float_of_tracer_raises(jax, jnp, random):
    return error_name(lambda: jax.grad(lambda x: float(x) * 2.0)(3.0))


@idiom
def autodiff_math_sin_of_tracer_raises(jax, jnp, random):
    return error_name(lambda: jax.grad(lambda x: math.sin(x))(3.0))


# --- thinking in JAX -------------------------------------------------------------------------


@idiom
def thinking_arrays_are_immutable(jax, jnp, random):
    def assign():
        x = jnp.arange(10)
        x[0] = 10

    return error_name(assign)


@idiom
def thinking_at_set(jax, jnp, random):
    x = jnp.arange(10)
    y = x.at[0].set(10)
    return x, y


@idiom
def thinking_at_set_under_jit(jax, jnp, random):
    return jax.jit(lambda x: x.at[0].set(10.0).at[1].add(5.0))(jnp.arange(4.0))


@idiom
def thinking_python_scalars_are_weakly_typed(jax, jnp, random):
    x32 = jnp.ones(2, dtype=jnp.float32)
    return (x32 * 2.0).dtype.name, (jnp.int8(1) + 2).dtype.name, jax.lax.add(1.0, 2.0)


@idiom
def thinking_numpy_style_smoothing(jax, jnp, random):
    x = jnp.linspace(0, 10, 20)
    y = jnp.sin(x)
    window = jnp.ones(5) / 5
    windows = jnp.stack([y[i : i + 5] for i in range(len(y) - 4)])
    return windows @ window, jnp.cumsum(y)[-1]


@idiom
def thinking_if_under_jit_raises(jax, jnp, random):
    def f(x):
        if x > 0:
            return x
        return -x

    return error_name(lambda: jax.jit(f)(1.0))


@idiom
def thinking_static_argnums(jax, jnp, random):
    def f(x, neg):
        return -x if neg else x

    f_jit = jax.jit(f, static_argnums=(1,))
    return f_jit(1.0, True), f_jit(2.0, False)


@idiom
def thinking_make_jaxpr(jax, jnp, random):
    return str(jax.make_jaxpr(lambda x: jax.lax.sin(jax.lax.cos(x)))(1.0))


# --- jit --------------------------------------------------------------------------------------


@idiom
def jit_side_effects_run_at_trace_time(jax, jnp, random):
    calls = []

    def f(x):
        calls.append(1)
        return x * 2.0

    g = jax.jit(f)
    g(1.0)
    g(2.0)
    g(jnp.ones(2))
    return len(calls)


@idiom
def jit_decorator_factory(jax, jnp, random):
    @jax.jit(static_argnames=["n"])
    def power(x, n):
        y = x
        for _ in range(n - 1):
            y = y * x
        return y

    @functools.partial(jax.jit, static_argnums=0)
    def scaled(k, x):
        return k * x

    return power(2.0, n=5), scaled(3, 2.0)


@idiom
def jit_fori_loop_and_cond(jax, jnp, random):
    def body(i, total):
        return total + jax.lax.cond(i % 2 == 0, lambda: i * 1.0, lambda: -1.0)

    return jax.jit(lambda n: jax.lax.fori_loop(0, n, body, 0.0))(6)


@idiom
def jit_scan_cumsum(jax, jnp, random):
    def step(carry, x):
        carry = carry + x
        return carry, carry * 2.0

    return jax.lax.scan(step, 0.0, jnp.arange(5.0))


@idiom
def jit_while_loop(jax, jnp, random):
    return jax.jit(lambda x: jax.lax.while_loop(lambda v: v < 100.0, lambda v: v * 3.0, x))(1.0)


@idiom
def jit_eval_shape(jax, jnp, random):
    def f(params, x):
        return {"out": jnp.dot(x, params["W"]), "norm": jnp.linalg.norm(x)}

    spec = jax.ShapeDtypeStruct((8, 3), jnp.float32)
    out = jax.eval_shape(f, {"W": jnp.ones((3, 5))}, spec)
    return [(leaf.shape, leaf.dtype.name) for leaf in jax.tree.leaves(out)]


@idiom
def jit_pure_callback(jax, jnp, random):
    def host_sinh(x):
        return np.sinh(x)

    def f(x):
        spec = jax.ShapeDtypeStruct(x.shape, x.dtype)
        return jax.pure_callback(host_sinh, spec, x, vmap_method="sequential")

    x = jnp.arange(3.0)
    return jax.jit(f)(x), jax.vmap(f)(x)


@idiom
def jit_vjp_function_as_argument(jax, jnp, random):
    _, f_vjp = jax.vjp(lambda x: jnp.sin(x) * x, jnp.arange(3.0))
    return jax.jit(lambda f, ct: f(ct))(f_vjp, jnp.ones(3))


# --- pytrees ----------------------------------------------------------------------------------


@idiom
def pytrees_leaves(jax, jnp, random):
    example_trees = [
        [1, "a", object()][:1],
        (1, (2, 3), ()),
        [1, {"k1": 2, "k2": (3, 4)}, 5],
        {"a": 2, "b": (2, 3)},
        jnp.array([1, 2, 3]),
    ]
    return [len(jax.tree.leaves(t)) for t in example_trees]


@idiom
def pytrees_tree_map(jax, jnp, random):
    list_of_lists = [[1, 2, 3], [1, 2], [1, 2, 3, 4]]
    doubled = jax.tree.map(lambda x: x * 2, list_of_lists)
    summed = jax.tree.map(lambda x, y: x + y, list_of_lists, list_of_lists)
    return doubled, summed


@idiom
def pytrees_none_is_an_empty_node(jax, jnp, random):
    return jax.tree.leaves([None, None, None]), jax.tree.structure([None, 1]).num_leaves


@idiom
def pytrees_mlp_training(jax, jnp, random):
    def init_mlp_params(layer_widths):
        params = []
        key = random.key(0)
        for n_in, n_out in zip(layer_widths[:-1], layer_widths[1:], strict=True):
            key, subkey = random.split(key)
            params.append(
                dict(
                    weights=random.normal(subkey, (n_in, n_out)) * np.sqrt(2 / n_in),
                    biases=jnp.ones(shape=(n_out,)),
                )
            )
        return params

    def forward(params, x):
        *hidden, last = params
        for layer in hidden:
            x = jax.nn.relu(x @ layer["weights"] + layer["biases"])
        return x @ last["weights"] + last["biases"]

    def loss_fn(params, x, y):
        return jnp.mean((forward(params, x) - y) ** 2)

    @jax.jit
    def update(params, x, y):
        grads = jax.grad(loss_fn)(params, x, y)
        return jax.tree.map(lambda p, g: p - 0.0001 * g, params, grads)

    params = init_mlp_params([1, 16, 16, 1])
    xs = np.linspace(-1.0, 1.0, 16).reshape(16, 1)
    ys = xs**2
    for _ in range(3):
        params = update(params, xs, ys)
    return params


@idiom
def pytrees_custom_class(jax, jnp, random):
    @jax.tree_util.register_pytree_node_class
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def tree_flatten(self):
            return (self.x, self.y), None

        @classmethod
        def tree_unflatten(cls, aux_data, children):
            return cls(*children)

    def norm2(p):
        return p.x**2 + p.y**2

    g = jax.grad(norm2)(Point(1.0, 2.0))
    moved = jax.tree.map(lambda v: v + 1.0, Point(1.0, 2.0))
    return g.x, g.y, moved.x, moved.y, jax.vmap(norm2)(Point(jnp.arange(2.0), jnp.ones(2)))


@idiom
def pytrees_namedtuple(jax, jnp, random):
    Params = collections.namedtuple("Params", ["w", "b"])

    def loss(p):
        return jnp.sum(p.w**2) + p.b

    g = jax.grad(loss)(Params(jnp.array([1.0, 2.0]), 3.0))
    return type(g).__name__, g.w, g.b


@idiom
def pytrees_key_paths(jax, jnp, random):
    tree = {"layer": [jnp.ones(2), {"bias": 0.5}], "scale": 2.0}
    flat, _ = jax.tree_util.tree_flatten_with_path(tree)
    return [jax.tree_util.keystr(path) for path, _ in flat]


@idiom
def pytrees_transpose(jax, jnp, random):
    episode_steps = [dict(t=1, obs=3), dict(t=2, obs=4)]
    return jax.tree.transpose(
        outer_treedef=jax.tree.structure([0 for e in episode_steps]),
        inner_treedef=jax.tree.structure(episode_steps[0]),
        pytree_to_transpose=episode_steps,
    )


# --- random numbers ---------------------------------------------------------------------------


@idiom
def random_split_and_draw(jax, jnp, random):
    key = random.PRNGKey(42)
    key, subkey = random.split(key)
    first = random.normal(subkey, (3,))
    key, subkey = random.split(key)
    second = random.uniform(subkey, (2, 2))
    return first, second, random.key_data(random.split(random.key(0), 3))


@idiom
def random_same_key_same_numbers(jax, jnp, random):
    key = random.key(7)
    return random.normal(key, (2,)), random.normal(key, (2,))


@idiom
def random_fold_in_and_distributions(jax, jnp, random):
    key = random.fold_in(random.key(0), 3)
    k1, k2, k3, k4 = random.split(key, 4)
    return (
        random.bernoulli(k1, 0.3, (5,)),
        random.randint(k2, (4,), 0, 10),
        random.permutation(k3, 6),
        random.categorical(k4, jnp.log(jnp.array([0.2, 0.3, 0.5])), shape=(6,)),
    )


@idiom
def random_under_vmap(jax, jnp, random):
    keys = random.split(random.key(3), 4)
    return jax.vmap(lambda k: random.normal(k, (2,)))(keys)


# --- the test -----------------------------------------------------------------------------------


def assert_same(ours, theirs, path="result"):
    if isinstance(theirs, (list, tuple)) and not hasattr(theirs, "_fields"):
        assert isinstance(ours, (list, tuple)), f"{path}: {type(ours)} vs {type(theirs)}"
        assert len(ours) == len(theirs), f"{path}: lengths {len(ours)} vs {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(theirs), path
        for k in theirs:
            assert_same(ours[k], theirs[k], f"{path}[{k!r}]")
    elif isinstance(theirs, (str, type(None))):
        assert ours == theirs, f"{path}: {ours!r} vs {theirs!r}"
    else:
        a, b = np.asarray(ours), np.asarray(theirs)
        assert a.shape == b.shape, f"{path}: shapes {a.shape} vs {b.shape}"
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=path)


@pytest.mark.parametrize("snippet", IDIOMS)
def test_idiom_matches_jax(snippet):
    theirs = snippet(jax_lib, jax_numpy, jax_random)
    ours = snippet(mini_ad, mini_numpy, mini_random)
    assert_same(ours, theirs)


def test_at_least_forty_idioms():
    assert len(IDIOMS) >= 40
