"""mini_ad.optim: SGD (plain, momentum, Nesterov) and Adam against the textbook update
formulas, written out here leaf by leaf in NumPy, over 100 steps on a pytree of parameters;
state, purity, jit and grad. Every optimizer and schedule against optax: test_optim_optax.py."""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.numpy as mnp
from mini_ad import optim
from mini_ad.tree_util import tree_leaves, tree_map, tree_structure

STEPS = 100


def make_params():
    rng = np.random.default_rng(0)
    return {
        "dense": (rng.normal(size=(3, 2)), rng.normal(size=2)),
        "scale": np.float64(0.7),
        "layers": [rng.normal(size=4), rng.normal(size=(2, 2))],
    }


def oracle_grads(params):
    """The gradient of sum(cos(p) + 0.3 p**2) over all leaves, in plain NumPy; it varies
    with the parameters, so a wrong update shows up in every later step."""
    return tree_map(lambda p: -np.sin(p) + 0.6 * p, params)


def run_optimizer(opt, params, steps=STEPS):
    state = opt.init(params)
    trajectory = [params]
    for _ in range(steps):
        updates, state = opt.update(oracle_grads(params), state, params)
        params = optim.apply_updates(params, updates)
        trajectory.append(params)
    return trajectory


def run_textbook(step_leaf, init_leaf, params, steps=STEPS):
    """Apply ``step_leaf(p, g, state, t) -> (p, state)`` to every leaf for ``steps`` steps."""
    leaves = tree_leaves(params)
    states = [init_leaf(p) for p in leaves]
    treedef = tree_structure(params)
    trajectory = [params]
    for t in range(1, steps + 1):
        grads = tree_leaves(oracle_grads(treedef.unflatten(leaves)))
        stepped = [step_leaf(p, g, s, t) for p, g, s in zip(leaves, grads, states, strict=True)]
        leaves = [p for p, _ in stepped]
        states = [s for _, s in stepped]
        trajectory.append(treedef.unflatten(leaves))
    return trajectory


def assert_same_trajectory(ours, reference, rtol=1e-12):
    assert len(ours) == len(reference) == STEPS + 1
    for step, (a, b) in enumerate(zip(ours, reference, strict=True)):
        assert tree_structure(a) == tree_structure(b), step
        for x, y in zip(tree_leaves(a), tree_leaves(b), strict=True):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=1e-14, err_msg=f"step {step}")
    # The parameters really moved: the test would be vacuous otherwise.
    first, last = tree_leaves(ours[0]), tree_leaves(ours[-1])
    assert all(np.max(np.abs(np.asarray(x) - y)) > 1e-3 for x, y in zip(first, last, strict=True))


def test_sgd_plain_matches_textbook():
    lr = 0.05

    def step(p, g, state, t):
        return p - lr * g, state  # p <- p - lr * g

    params = make_params()
    ours = run_optimizer(optim.sgd(lr), params)
    assert_same_trajectory(ours, run_textbook(step, lambda p: None, params))


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_matches_textbook(nesterov):
    lr, mu = 0.05, 0.9

    def step(p, g, buf, t):
        buf = g + mu * buf  # b_t = g_t + mu b_{t-1}, b_0 = 0
        direction = g + mu * buf if nesterov else buf
        return p - lr * direction, buf

    params = make_params()
    ours = run_optimizer(optim.sgd(lr, momentum=mu, nesterov=nesterov), params)
    reference = run_textbook(step, np.zeros_like, params)
    assert_same_trajectory(ours, reference)


def test_adam_matches_textbook():
    lr, b1, b2, eps = 0.02, 0.8, 0.99, 1e-6

    def step(p, g, state, t):
        m, v = state
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        return p - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v)

    params = make_params()
    ours = run_optimizer(optim.adam(lr, b1=b1, b2=b2, eps=eps), params)
    reference = run_textbook(step, lambda p: (np.zeros_like(p), np.zeros_like(p)), params)
    assert_same_trajectory(ours, reference)


def test_learning_rate_schedule_is_called_with_the_step_count():
    seen = []

    def schedule(count):
        seen.append(count)
        return 0.1 / (1 + count)

    params = make_params()
    ours = run_optimizer(optim.sgd(schedule, momentum=0.5), params)
    assert seen == list(range(STEPS))

    def step(p, g, buf, t):
        buf = g + 0.5 * buf
        return p - (0.1 / t) * buf, buf

    assert_same_trajectory(ours, run_textbook(step, np.zeros_like, params))


def test_state_is_a_pytree_and_inputs_are_not_mutated():
    params = make_params()
    before = tree_map(np.copy, params)
    opt = optim.adam(0.1)
    state = opt.init(params)
    updates, new_state = opt.update(oracle_grads(params), state, params)
    optim.apply_updates(params, updates)
    for x, y in zip(tree_leaves(params), tree_leaves(before), strict=True):
        np.testing.assert_array_equal(x, y)
    adam_state, new_adam_state = state[0], new_state[0]  # (ScaleByAdamState, EmptyState)
    assert isinstance(adam_state, optim.ScaleByAdamState)
    assert adam_state.count == 0 and new_adam_state.count == 1
    assert adam_state.count.dtype == np.int32  # as optax
    assert all(np.all(m == 0) for m in tree_leaves(adam_state.mu))  # the old state is untouched
    assert tree_structure(new_adam_state.mu) == tree_structure(params)
    assert optim.sgd(0.1).init(params) == (optim.EmptyState(), optim.EmptyState())
    assert tree_leaves(optim.sgd(0.1).init(params)) == []


def test_apply_updates_keeps_float32():
    params = {"w": np.ones(3, np.float32)}
    opt = optim.sgd(0.1)
    updates, _ = opt.update({"w": np.ones(3, np.float32)}, opt.init(params))
    new = optim.apply_updates(params, updates)
    assert new["w"].dtype == np.float32
    np.testing.assert_allclose(new["w"], 0.9, rtol=1e-6)


def test_update_step_is_differentiable():
    """d/d lr of L(p - lr * g) is -<g, grad L(p - lr * g)>: the update is traceable."""

    def loss(p):
        return mnp.sum(mnp.sin(p) * p)

    p = np.array([0.3, -1.2, 2.0])
    g = ad.grad(loss)(p)

    def loss_after_step(lr):
        opt = optim.sgd(lr)
        updates, _ = opt.update(g, opt.init(p))
        return loss(optim.apply_updates(p, updates))

    lr = 0.1
    expected = -np.dot(g, ad.grad(loss)(p - lr * g))
    np.testing.assert_allclose(ad.grad(loss_after_step)(lr), expected, rtol=1e-12)


def test_adam_minimizes_a_quadratic_with_mini_ad_grad():
    target = {"a": np.array([1.0, -2.0]), "b": np.float64(3.0)}

    def loss(p):
        return mnp.sum((p["a"] - target["a"]) ** 2) + (p["b"] - target["b"]) ** 2

    params = {"a": np.zeros(2), "b": np.float64(0.0)}
    opt = optim.adam(0.1)
    state = opt.init(params)
    for _ in range(500):
        updates, state = opt.update(ad.grad(loss)(params), state, params)
        params = optim.apply_updates(params, updates)
    assert loss(params) < 1e-8


def test_bad_arguments():
    with pytest.raises(ValueError, match="momentum"):
        optim.sgd(0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="nesterov"):
        optim.sgd(0.1, nesterov=True)


JIT_OPTIMIZERS = [
    (
        "clip-adamw-warmup-cosine",
        lambda: optim.chain(
            optim.clip_by_global_norm(1.0),
            optim.adamw(optim.warmup_cosine_decay_schedule(0.0, 0.1, 5, 50), weight_decay=0.01),
        ),
    ),
    ("lamb", lambda: optim.lamb(0.05, weight_decay=0.01)),
    ("lion", lambda: optim.lion(0.01)),
    ("rmsprop-centered", lambda: optim.rmsprop(0.05, centered=True, momentum=0.5)),
    ("adagrad", lambda: optim.adagrad(0.2)),
    ("sgd-piecewise", lambda: optim.sgd(optim.piecewise_constant_schedule(0.1, {5: 0.5}))),
    (
        "adam-staircase",
        lambda: optim.adam(optim.exponential_decay(0.1, 3, 0.5, staircase=True, end_value=0.01)),
    ),
]


@pytest.mark.parametrize("make", [m for _, m in JIT_OPTIMIZERS], ids=[n for n, _ in JIT_OPTIMIZERS])
def test_update_step_under_jit_equals_eager(make):
    """A whole training step -- gradient, optimizer (schedules included), apply -- traced
    once by mini_ad.jit and run 20 times gives the eager trajectory bit for bit."""
    target = np.array([1.0, -2.0, 0.5])

    def loss(p):
        return mnp.sum((p["w"] - target) ** 2) + p["b"] ** 2

    opt = make()

    def step(params, state):
        updates, state = opt.update(ad.grad(loss)(params), state, params)
        return optim.apply_updates(params, updates), state

    params = {"w": np.zeros(3), "b": np.float64(1.0)}
    jitted = ad.jit(step)
    eager_p, eager_s = params, opt.init(params)
    jit_p, jit_s = params, opt.init(params)
    for _ in range(20):
        eager_p, eager_s = step(eager_p, eager_s)
        jit_p, jit_s = jitted(jit_p, jit_s)
    for a, b in zip(tree_leaves((eager_p, eager_s)), tree_leaves((jit_p, jit_s)), strict=True):
        np.testing.assert_array_equal(a, b)
    assert loss(jit_p) < loss(params)
