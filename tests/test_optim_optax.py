"""mini_ad.optim against optax, side by side, in float64.

Each row builds the same optimizer (or schedule) from both libraries with one line of
code, ``make(lib)``, where ``lib`` is ``mini_ad.optim`` or ``optax``: names, arguments and
defaults are the same. Both run 100 steps from the same parameters on the same problem,
each computing its gradients at its own iterates, and the trajectories must agree to
1e-12.

One known difference: optax's step count is int32, and under JAX's promotion rules
``int32 / int`` is float32 even with x64 on, so optax's linear, polynomial, exponential
and warmup schedules are evaluated in float32 inside its optimizers. mini_ad follows
NumPy (``int32 / int`` is float64), so its schedules stay float64. To compare at 1e-12,
optax's schedules are handed the count as int64 here (:func:`int64_count`).
"""

import numpy as np
import pytest

from mini_ad import optim
from mini_ad.tree_util import tree_leaves, tree_map, tree_structure

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")

STEPS = 100
RTOL = ATOL = 1e-12


@pytest.fixture(scope="module", autouse=True)
def x64():
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)


def make_params():
    rng = np.random.default_rng(0)
    return {
        "w": rng.normal(size=(3, 2)),
        "b": rng.normal(size=2),
        "scale": np.array(0.7),
    }


def oracle_grads(params):
    """The gradient, in plain NumPy, of a small coupled problem: a one-hidden-unit
    regression ``sum((tanh(x @ w + b) * scale - y)**2)`` plus ``0.05 |params|²``."""
    x = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7], [-0.2, 0.8, 0.1], [1.0, 1.0, 1.0]])
    y = np.array([[0.3, -0.5], [0.1, 0.9], [-0.4, 0.2], [0.7, 0.0]])
    w, b, s = params["w"], params["b"], params["scale"]
    h = np.tanh(x @ w + b)
    r = 2 * (h * s - y)  # d loss / d prediction
    dz = r * s * (1 - h * h)
    return {
        "w": x.T @ dz + 0.1 * w,
        "b": dz.sum(0) + 0.1 * b,
        "scale": np.asarray(np.sum(r * h) + 0.1 * s),
    }


def run(opt, apply_updates, params):
    state = opt.init(params)
    trajectory = [params]
    for _ in range(STEPS):
        updates, state = opt.update(oracle_grads(params), state, params)
        params = tree_map(np.asarray, apply_updates(params, updates))
        trajectory.append(params)
    return trajectory


def run_optax(opt, params):
    """``run`` for optax, its step compiled by jax.jit (eager JAX would compile each
    operation on its own and dispatch it from Python, several times slower here)."""

    @jax.jit
    def step(grads, state, params):
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    state = opt.init(params)
    trajectory = [params]
    for _ in range(STEPS):
        params, state = step(oracle_grads(params), state, params)
        params = tree_map(np.asarray, params)
        trajectory.append(params)
    return trajectory


def assert_same_trajectory(ours, theirs):
    assert len(ours) == len(theirs) == STEPS + 1
    for step, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert tree_structure(a) == tree_structure(b), step
        for x, y in zip(tree_leaves(a), tree_leaves(b), strict=True):
            assert np.asarray(x).dtype == np.float64
            np.testing.assert_allclose(x, y, rtol=RTOL, atol=ATOL, err_msg=f"step {step}")
    first, last = tree_leaves(ours[0]), tree_leaves(ours[-1])
    moved = [np.max(np.abs(x - y)) for x, y in zip(first, last, strict=True)]
    assert max(moved) > 1e-3, "the parameters did not move: the comparison would be vacuous"


def int64_count(lib, schedule):
    """optax's ``schedule`` evaluated at an int64 count (see the module docstring)."""
    if lib is optim:
        return schedule
    return lambda count: schedule(jax.numpy.asarray(count, jax.numpy.int64))


def decay_schedule(lib):
    return int64_count(lib, lib.exponential_decay(0.05, transition_steps=10, decay_rate=0.7))


def no_bias(params):
    return tree_map(lambda p: np.ndim(p) > 1, params)


# id, make(lib) -> GradientTransformation
OPTIMIZERS = [
    ("sgd", lambda lib: lib.sgd(0.05)),
    ("sgd-momentum", lambda lib: lib.sgd(0.05, momentum=0.9)),
    ("sgd-nesterov", lambda lib: lib.sgd(0.05, momentum=0.9, nesterov=True)),
    ("sgd-schedule", lambda lib: lib.sgd(decay_schedule(lib), momentum=0.5)),
    ("adam", lambda lib: lib.adam(0.02)),
    ("adam-args", lambda lib: lib.adam(0.02, b1=0.8, b2=0.99, eps=1e-6, eps_root=1e-10)),
    ("nadam", lambda lib: lib.adam(0.02, nesterov=True)),
    ("adam-schedule", lambda lib: lib.adam(lambda t: 0.02 / (1 + t))),
    ("adamw", lambda lib: lib.adamw(0.02, weight_decay=0.1)),
    ("adamw-mask", lambda lib: lib.adamw(0.02, weight_decay=0.3, mask=no_bias)),
    ("adamw-decay-schedule", lambda lib: lib.adamw(0.02, weight_decay=decay_schedule(lib))),
    ("rmsprop", lambda lib: lib.rmsprop(0.01)),
    (
        "rmsprop-centered-momentum",
        lambda lib: lib.rmsprop(0.01, decay=0.8, centered=True, momentum=0.5, nesterov=True),
    ),
    (
        "rmsprop-eps-outside-bias-corrected",
        lambda lib: lib.rmsprop(0.01, eps=1e-4, eps_in_sqrt=False, bias_correction=True),
    ),
    ("adagrad", lambda lib: lib.adagrad(0.1)),
    ("lamb", lambda lib: lib.lamb(0.01)),
    ("lamb-weight-decay", lambda lib: lib.lamb(0.01, weight_decay=0.1)),
    ("lion", lambda lib: lib.lion(0.003)),
    ("lion-args", lambda lib: lib.lion(0.003, b1=0.8, b2=0.9, weight_decay=0.1)),
    (
        "chain-clip-global-norm-adam",
        lambda lib: lib.chain(lib.clip_by_global_norm(0.5), lib.adam(0.02)),
    ),
    ("chain-clip-sgd", lambda lib: lib.chain(lib.clip(0.2), lib.sgd(0.05, momentum=0.9))),
    (
        "chain-pieces",
        lambda lib: lib.chain(
            lib.scale_by_adam(b1=0.85),
            lib.add_decayed_weights(0.01),
            # not 0.99**t: JAX recompiles float ** concrete int for every new t
            lib.scale_by_schedule(lambda t: -0.02 / (1 + 0.05 * t)),
            lib.scale(0.5),
        ),
    ),
]


@pytest.mark.parametrize("name, make", OPTIMIZERS, ids=[row[0] for row in OPTIMIZERS])
def test_optimizer_matches_optax(name, make):
    params = make_params()
    ours = run(make(optim), optim.apply_updates, params)
    theirs = run_optax(make(optax), params)
    assert_same_trajectory(ours, theirs)


# id, make(lib) -> schedule; each is checked on its own and driving sgd
SCHEDULES = [
    ("constant", lambda lib: lib.constant_schedule(0.03)),
    ("linear", lambda lib: lib.linear_schedule(0.0, 0.05, 30, transition_begin=5)),
    ("polynomial", lambda lib: lib.polynomial_schedule(0.05, 0.001, 2.0, 60, 10)),
    ("exponential", lambda lib: lib.exponential_decay(0.05, 10, 0.7)),
    (
        "exponential-staircase-end",
        lambda lib: lib.exponential_decay(
            0.05, 7, 0.5, transition_begin=3, staircase=True, end_value=0.01
        ),
    ),
    ("exponential-growth-end", lambda lib: lib.exponential_decay(0.01, 10, 1.5, end_value=0.04)),
    ("cosine", lambda lib: lib.cosine_decay_schedule(0.05, 80)),
    ("cosine-alpha-exponent", lambda lib: lib.cosine_decay_schedule(0.05, 60, 0.1, 2.0)),
    ("warmup-cosine", lambda lib: lib.warmup_cosine_decay_schedule(0.0, 0.05, 10, 90, 0.005)),
    ("piecewise", lambda lib: lib.piecewise_constant_schedule(0.05, {20: 0.5, 50: 0.2, 70: 3.0})),
    (
        "join",
        lambda lib: lib.join_schedules(
            [lib.linear_schedule(0.0, 0.05, 20), lib.cosine_decay_schedule(0.05, 50)], [20]
        ),
    ),
]
SCHEDULE_IDS = [row[0] for row in SCHEDULES]


@pytest.mark.parametrize("name, make", SCHEDULES, ids=SCHEDULE_IDS)
def test_schedule_values_match_optax(name, make):
    """Schedules are elementwise in the count, so one call on 150 counts checks them all;
    ours is also called count by count, with Python ints and with int32 scalars."""
    ours, theirs = make(optim), make(optax)
    counts = np.arange(150)
    expected = np.broadcast_to(theirs(counts), counts.shape)
    np.testing.assert_allclose(np.broadcast_to(ours(counts), counts.shape), expected, RTOL, ATOL)
    one_by_one = [float(ours(int(t))) for t in counts]
    np.testing.assert_allclose(one_by_one, expected, rtol=RTOL, atol=ATOL)
    as_int32 = [float(ours(np.int32(t))) for t in counts]
    np.testing.assert_allclose(as_int32, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name, make", SCHEDULES, ids=SCHEDULE_IDS)
def test_sgd_with_schedule_matches_optax(name, make):
    params = make_params()
    ours = run(optim.sgd(make(optim)), optim.apply_updates, params)
    theirs = run_optax(optax.sgd(int64_count(optax, make(optax))), params)
    assert_same_trajectory(ours, theirs)


def test_short_schedule_names_are_aliases():
    assert optim.constant is optim.constant_schedule
    assert optim.cosine_decay is optim.cosine_decay_schedule
    assert optim.warmup_cosine_decay is optim.warmup_cosine_decay_schedule
    assert optim.piecewise_constant is optim.piecewise_constant_schedule


def test_global_norm_matches_optax():
    tree = make_params()
    np.testing.assert_allclose(optim.global_norm(tree), optax.tree.norm(tree), rtol=RTOL)


@pytest.mark.parametrize("name, make", OPTIMIZERS[:10], ids=[row[0] for row in OPTIMIZERS[:10]])
def test_state_has_optax_structure(name, make):
    params = make_params()
    ours, theirs = make(optim).init(params), make(optax).init(params)
    if "mask" in name:  # optax wraps a masked stage's state in MaskedState; we do not
        return
    assert [type(s).__name__ for s in ours] == [type(s).__name__ for s in theirs]
    assert len(tree_leaves(ours)) == len(jax.tree.leaves(theirs))
