"""``np.nn`` (mini_ad.nn / jax.nn): activations, the softmax family and small networks;
``np.scipy.special`` (mini_ad.scipy.special / jax.scipy.special)."""

from __future__ import annotations

import numpy as onp

from mini_ad.comparisons.registry import A, Case, case, register

# (name, keyword arguments): sum(act(x)) away from kinks
ACTIVATIONS = [
    ("relu", {}), ("relu6", {}), ("leaky_relu", {"negative_slope": 0.1}), ("hard_tanh", {}),
    ("sigmoid", {}), ("log_sigmoid", {}), ("softplus", {}), ("soft_sign", {}), ("silu", {}),
    ("gelu", {"approximate": True}), ("gelu", {"approximate": False}), ("elu", {"alpha": 0.7}),
    ("celu", {"alpha": 1.3}), ("selu", {}),
]  # fmt: skip

for _name, _kw in ACTIVATIONS:
    _label = _name if "approximate" not in _kw else f"{_name}_approximate_{_kw['approximate']}"
    register(Case(
        _label, "nn", lambda np, x, f=_name, kw=_kw: np.sum(getattr(np.nn, f)(x, **kw) * np.arange(1.0, 9.0)),
        (onp.array([-2.5, -1.2, -0.7, -0.1, 0.2, 0.9, 1.4, 7.0]),),
    ))  # fmt: skip


@case("nn", onp.array([-1.0, 0.0, 0.0, 2.0]), fd=False, note="kinks at 0: relu'(0) = 0")
def relu_at_zero(np, x):
    return np.sum(np.nn.relu(x) + np.nn.leaky_relu(x) + np.nn.relu6(x + 6.0) + np.nn.elu(x))


@case("nn", A(3, 4, lo=-3, hi=3))
def softmax_axes(np, x):
    return np.nn.softmax(x, axis=-1) * np.nn.softmax(x, axis=0)


@case("nn", A(3, 4, lo=-3, hi=3))
def log_softmax(np, x):
    return np.nn.log_softmax(x, axis=1)


@case("nn", A(3, 4, lo=-3, hi=3), A(4, lo=0.5, hi=2))
def logsumexp_options(np, x, b):
    return (np.nn.logsumexp(x) + np.nn.logsumexp(x, axis=0) @ b
            + np.nn.logsumexp(x, axis=1, b=b, keepdims=True).sum())  # fmt: skip


@case("nn", onp.array([[1000.0, 1000.5, 999.0], [-1000.0, -1001.0, -999.5]]))
def softmax_large_logits(np, x):
    return np.nn.log_softmax(x) + np.nn.softmax(x)  # the max shift keeps it finite


@case("nn", A(4, 5, lo=-2, hi=2), onp.array([0, 3, 4, 1]))
def softmax_cross_entropy(np, logits, labels):
    onehot = np.nn.one_hot(labels, 5)
    return -np.mean(np.sum(onehot * np.nn.log_softmax(logits), axis=-1))


@case("nn", A(3, 4), A(4), A(4, 2), A(2), A(5, 3))
def mlp_tanh(np, w1, b1, w2, b2, x):
    h = np.tanh(x @ w1 + b1)
    return np.mean(np.nn.logsumexp(h @ w2 + b2, axis=-1))


@case("nn", A(3, 4), A(4, 1), A(6, 3))
def mlp_gelu_softplus(np, w1, w2, x):
    return np.sum(np.nn.softplus(np.nn.gelu(x @ w1) @ w2))


@case("nn", A(2, 6, lo=-2, hi=2))
def standardize_by_hand(np, x):
    mu = np.mean(x, axis=-1, keepdims=True)
    var = np.var(x, axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + 1e-5)


@case("nn", A(4, 3, lo=-2, hi=2))
def attention_scores(np, q):
    scores = q @ q.T / np.sqrt(3.0)
    return np.nn.softmax(scores, axis=-1) @ q


# --- scipy.special: sum(f(x)) on each function's domain ---------------------------------------
SPECIAL = [
    ("erf", -2, 2), ("erfc", -2, 2), ("expit", -4, 4), ("logit", 0.1, 0.9), ("gammaln", 0.5, 4),
    ("digamma", 0.5, 4), ("ndtr", -2, 2), ("log_ndtr", -3, 3), ("erfinv", -0.9, 0.9),
]  # fmt: skip

for _name, _lo, _hi in SPECIAL:
    register(Case(
        _name, "special", lambda np, x, f=_name: np.sum(getattr(np.scipy.special, f)(x)),
        (A(2, 3, lo=_lo, hi=_hi),),
    ))  # fmt: skip


@case("special", A(4, lo=0.1, hi=2), A(4, lo=-1, hi=2))
def xlogy_xlog1py(np, x, y):
    return np.sum(np.scipy.special.xlogy(x, y + 1.5) + np.scipy.special.xlog1py(x, y))


@case("special", A(3, 4, lo=-3, hi=3))
def special_logsumexp(np, x):
    return np.scipy.special.logsumexp(x, axis=1) + np.scipy.special.logsumexp(x)


# the gamma, beta and zeta family: sum(f(a, x)) on each function's domain
# (betaln: JAX's own betaln is accurate to only ~1e-8 once an argument passes 8 or so)
SPECIAL_2 = [("betaln", 0.5, 3), ("poch", 0.5, 3)]
for _name, _lo, _hi in SPECIAL_2:
    register(Case(
        _name, "special",
        lambda np, a, x, f=_name: np.sum(getattr(np.scipy.special, f)(a, x)),
        (A(2, 3, lo=_lo, hi=_hi), A(2, 3, lo=_lo, hi=_hi)),
    ))  # fmt: skip


# gammainc/gammaincc in x only: second derivatives in a need igamma_grad_a's, as in JAX
@case("special", A(2, 3, lo=0.1, hi=0.9), A(2, 3, lo=1.5, hi=4), A(2, 3, lo=-2, hi=2))
def special_gammainc_in_x(np, x, s, y):
    sp = np.scipy.special
    return np.sum(sp.gammainc(2.5, x * s) + sp.gammaincc(0.7, s) * y)


@case("special", A(2, 3, lo=0.1, hi=0.9), A(2, 3, lo=1.5, hi=4), A(2, 3, lo=-2, hi=2))
def special_betainc_zeta_ndtri_erfcx(np, x, s, y):
    sp = np.scipy.special
    return np.sum(sp.betainc(2.5, 0.7, x) + sp.zeta(s, x + 0.5) + sp.ndtri(x) + sp.erfcx(y))
