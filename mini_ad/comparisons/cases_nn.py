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


# jax.nn's newer activations (elementwise): sum(act(x)) away from kinks
NEWER_ACTIVATIONS = [
    ("hard_sigmoid", {}), ("hard_silu", {}), ("sparse_plus", {}), ("sparse_sigmoid", {}),
    ("squareplus", {"b": 0.5}), ("mish", {}), ("identity", {}), ("tanh", {}),
]  # fmt: skip

for _name, _kw in NEWER_ACTIVATIONS:
    register(Case(
        _name, "nn", lambda np, x, f=_name, kw=_kw: np.sum(getattr(np.nn, f)(x, **kw) * np.arange(1.0, 9.0)),
        (onp.array([-4.5, -2.2, -0.7, -0.1, 0.2, 0.9, 2.4, 7.0]),),
    ))  # fmt: skip


@case("nn", A(6, lo=0.05, hi=3.0))
def log1mexp(np, x):
    return np.sum(np.nn.log1mexp(x) * np.arange(1.0, 7.0))  # JAX's custom JVP: 1 / expm1(x)


@case("nn", A(4, 6, lo=-2, hi=2))
def glu_both_axes(np, x):
    return np.sum(np.nn.glu(x) ** 2) + np.sum(np.nn.glu(x, axis=0))


@case("nn", A(3, 4, lo=-3, hi=3))
def logmeanexp_axes(np, x):
    mask = onp.array([[True, False, True, True]] * 3)
    by_column = np.nn.logmeanexp(x, axis=0) @ np.arange(4.0)
    return np.nn.logmeanexp(x) + by_column + np.sum(np.nn.logmeanexp(x, axis=1, where=mask))


@case("nn", A(3, 5, lo=-2, hi=2))
def standardize_fast_and_stable(np, x):
    fast = np.nn.standardize(x, axis=-1)
    stable = np.nn.standardize(x, axis=0, algorithm="stable", epsilon=0.1)
    return np.sum(fast * np.arange(5.0)) + np.sum(stable**2 * np.arange(5.0))


# JAX takes the softmax in float32 (and so does mini_ad): agreement to float32 accuracy
@case("nn", A(1, 3, 2, 4), A(1, 5, 1, 4), A(1, 5, 1, 4), rtol=1e-6, atol=1e-6, fd=False,
      transforms=("value", "grad", "jvp", "vjp"))  # fmt: skip
def dot_product_attention_causal(np, q, k, v):
    out = np.nn.dot_product_attention(q, k, v, is_causal=True, scale=0.8)
    return np.sum(out * np.arange(1.0, 5.0))


@case("nn", A(4, 3), transforms=("value", "grad"))
def initialized_linear_layer(np, x):
    key = np.ad.random.key(42)
    w = np.nn.initializers.glorot_uniform()(key, (3, 2))
    b = np.nn.initializers.normal(0.1)(np.ad.random.fold_in(key, 1), (2,))
    return np.sum(np.nn.relu(x @ w + b))
