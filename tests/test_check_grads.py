"""``check_grads`` on composite functions (to third order, forward and reverse), and
proof that it catches wrong rules: a wrong jvp, a wrong transpose, a rule that is
right at first order only, and a finite-difference step too coarse for the tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad.nn as nn
import mini_ad.numpy as mnp
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives.helpers import defjvp
from mini_ad.testing import check_grads

rng = np.random.default_rng(42)
X23 = rng.normal(size=(2, 3))
Y23 = rng.normal(size=(2, 3))
V3 = rng.normal(size=3)
POS3 = rng.uniform(0.5, 2.0, size=3)
LABELS = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def mlp_loss(params, x, y):
    (w1, b1), (w2, b2) = params
    h = mnp.tanh(x @ w1 + b1)
    return mnp.mean((h @ w2 + b2 - y) ** 2)


MLP_PARAMS = (
    (rng.normal(size=(3, 4)), rng.normal(size=4)),
    (rng.normal(size=(4, 2)), rng.normal(size=2)),
)


def softmax_cross_entropy(logits):
    return -mnp.sum(LABELS * nn.log_softmax(logits))


def python_branch(x):
    if mnp.sum(x) > 0:  # concrete under jvp/vjp: Python control flow is fine
        return x**3
    return mnp.sin(x)


def attention(q, k, v):
    weights = nn.softmax(q @ k.T / np.sqrt(3.0), axis=-1)
    return weights @ v


def dict_tree(tree):
    return tree["a"] * tree["b"][0] + mnp.sin(tree["b"][1])


COMPOSITES = [
    ("mlp_loss", lambda p: mlp_loss(p, X23, Y23[:, :2]), (MLP_PARAMS,)),
    ("mlp_loss_wrt_inputs", lambda x: mlp_loss(MLP_PARAMS, x, Y23[:, :2]), (X23,)),
    ("softmax_cross_entropy", softmax_cross_entropy, (X23,)),
    ("polynomial", lambda x: 3 * x**4 - 2 * x**2 + x - 5, (V3,)),
    ("trig_chain", lambda x: mnp.sin(mnp.cos(mnp.tan(x))), (V3 * 0.5,)),
    ("broadcasting_mix", lambda x, y, z: (x + y * z) ** 2, (X23, V3, 0.7)),
    ("broadcast_column", lambda x, c: x * c[:, None] - c[:, None] ** 2, (X23, V3[:2])),
    ("basic_indexing", lambda x: x[1:, ::2] * x[0, None, :2] + x[-1, 1], (X23,)),
    ("integer_indexing", lambda x: mnp.sum(x[np.array([0, 2, 2])] ** 2), (V3,)),
    (
        "at_set_and_add",
        lambda x, u: mnp.at(mnp.at(x)[1].set(u * 2))[0, 1].add(u[0] ** 2),
        (X23, V3),
    ),
    ("reductions", lambda x: mnp.max(x, axis=1) * mnp.prod(x, axis=1) + mnp.mean(x**2), (X23,)),
    ("logsumexp", lambda x: nn.logsumexp(x, axis=0), (X23,)),
    ("einsum_trace", lambda a, b: mnp.trace(mnp.einsum("ij,jk->ik", a, b)), (X23, Y23.T)),
    ("matmul_chain", lambda a, b: mnp.tanh(a @ b) @ a, (X23, Y23.T)),
    ("outer", lambda u, v: mnp.outer(mnp.sin(u), v), (V3, V3[:2])),
    ("log_of_exp", lambda x: mnp.log(1.0 + mnp.exp(x)), (V3,)),
    ("norm", lambda x: mnp.sqrt(mnp.sum(x**2)), (V3,)),
    ("rational", lambda x, y: x / (1.0 + y**2), (X23, Y23)),
    ("power_both_args", lambda x, y: x**y, (POS3, V3)),
    ("python_if", python_branch, (V3,)),
    ("cumsum", lambda x: mnp.cumsum(x * x, axis=1)[:, ::-1], (X23,)),
    (
        "stack_and_concatenate",
        lambda x, y: mnp.concatenate([mnp.stack([x, y]), x[None] * y], 0),
        (V3, V3[::-1]),
    ),
    ("reshape_transpose", lambda x: mnp.reshape(x.T, (2, 3)) * x, (X23,)),
    (
        "smooth_activations",
        lambda x: nn.sigmoid(x) + nn.silu(x) * nn.gelu(x) + nn.softplus(x),
        (X23,),
    ),
    ("elu_celu_away_from_0", lambda x: nn.elu(x) + nn.celu(x, 0.5), (X23 + np.sign(X23) * 0.1,)),
    ("arctan2_hypot", lambda y, x: mnp.arctan2(y, x) * mnp.hypot(x, y), (V3, POS3)),
    ("variance", lambda x: mnp.var(x, axis=0) + mnp.std(x), (X23,)),
    ("pytree_dict", dict_tree, ({"a": V3, "b": (POS3, V3)},)),
    ("attention", attention, (X23, Y23, X23[:, :2])),
    ("abs_clip_away_from_kinks", lambda x: mnp.abs(x) * mnp.clip(x, -5.0, 5.0), (V3,)),
    ("integer_argument_held_fixed", lambda x, n: x**2 * n + mnp.sin(x), (V3, np.arange(3))),
]


@pytest.mark.parametrize("fun, args", [c[1:] for c in COMPOSITES], ids=[c[0] for c in COMPOSITES])
def test_composite_third_order(fun, args):
    check_grads(fun, args, order=3, modes=("fwd", "rev"))


def test_enough_composites():
    assert len(COMPOSITES) >= 25


def test_lin_mode():
    check_grads(lambda x: mnp.sin(x) * x**2, (V3,), order=2, modes=("lin",))


def test_float32_is_checked_with_float32_tolerances():
    check_grads(lambda x: mnp.tanh(x) ** 2, (V3.astype(np.float32),), order=2)


# --- check_grads must fail on wrong rules ------------------------------------------------------


def test_wrong_jvp_rule_fails_in_every_mode(monkeypatch):
    original = ew.sin_p.jvp
    defjvp(ew.sin_p, lambda t, ans, x: ew.mul(t, ew.sin(x)))  # wrong: d sin = sin
    wrong = ew.sin_p.jvp
    ew.sin_p.jvp = original
    monkeypatch.setattr(ew.sin_p, "jvp", wrong)
    for mode, name in [("fwd", "JVP"), ("rev", "VJP"), ("lin", "linearize")]:
        with pytest.raises(AssertionError, match=rf"{name} \(derivative order 1 of 3\)"):
            check_grads(mnp.sin, (0.3,), order=3, modes=(mode,))


def test_wrong_rule_is_restored_after_the_test():
    check_grads(mnp.sin, (0.3,), order=3)


def test_wrong_transpose_fails_only_in_reverse_mode(monkeypatch):
    monkeypatch.setattr(ew.neg_p, "transpose", lambda ct, x: [ct])  # wrong sign
    fun = lambda x: -mnp.sin(x)
    check_grads(fun, (V3,), order=1, modes=("fwd",))
    with pytest.raises(AssertionError, match=r"VJP \(derivative order 1 of 1\)"):
        check_grads(fun, (V3,), order=1, modes=("rev",))


def test_rule_right_only_at_first_order_fails_at_second(monkeypatch):
    # d sin = stop_gradient(cos): the right tangent, but its own derivative is lost
    original = ew.sin_p.jvp
    defjvp(ew.sin_p, lambda t, ans, x: ew.mul(t, ew.stop_gradient(ew.cos(x))))
    first_order_only = ew.sin_p.jvp
    ew.sin_p.jvp = original
    monkeypatch.setattr(ew.sin_p, "jvp", first_order_only)
    check_grads(mnp.sin, (0.3,), order=1)
    with pytest.raises(AssertionError, match=r"JVP of JVP \(derivative order 2 of 2\)"):
        check_grads(mnp.sin, (0.3,), order=2, modes=("fwd",))
    with pytest.raises(AssertionError, match=r"VJP of VJP \(derivative order 2 of 2\)"):
        check_grads(mnp.sin, (0.3,), order=2, modes=("rev",))


def test_rule_changing_the_tangent_dtype_fails(monkeypatch):
    original = ew.sin_p.jvp
    defjvp(ew.sin_p, lambda t, ans, x: ew.convert_element_type(ew.mul(t, ew.cos(x)), np.float32))
    float32_tangent = ew.sin_p.jvp
    ew.sin_p.jvp = original
    monkeypatch.setattr(ew.sin_p, "jvp", float32_tangent)
    with pytest.raises(AssertionError, match="dtype float32, expected float64"):
        check_grads(mnp.sin, (0.3,), order=1, modes=("fwd",))


def test_coarse_step_fails_and_atol_rtol_are_used():
    cube = lambda x: x**3  # central difference error = eps² v³ (exactly, for a cubic)
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        check_grads(cube, (1.0,), order=1, eps=0.1)
    check_grads(cube, (1.0,), order=1, eps=0.1, atol=0.1, rtol=0.1)


def test_unknown_mode_is_rejected():
    with pytest.raises(ValueError, match="'fwd', 'rev' or 'lin'"):
        check_grads(mnp.sin, (0.3,), order=1, modes=("backward",))
