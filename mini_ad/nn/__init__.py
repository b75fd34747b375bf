"""``mini_ad.nn``: activations and friends, with ``jax.nn``'s names and semantics.

Every function is a composition of ``mini_ad.numpy`` calls, so it differentiates (to
any order) without a custom rule, except ``log1mexp``, which has JAX's custom JVP.
Where JAX fixes a derivative at a kink with a custom JVP, the same value comes here from
a ``where`` on the matching predicate: ``relu'(0) = 0``, ``leaky_relu'(0) = 1``,
``elu'(0) = alpha``, ``relu6'(0) = relu6'(6) = 0``. ``initializers`` holds JAX's
parameter initializers.

>>> import mini_ad as ad, mini_ad.nn as nn
>>> ad.grad(nn.relu)(0.0)
array(0.)
"""

from __future__ import annotations

from mini_ad.nn import initializers  # noqa: F401
from mini_ad.nn._attention import dot_product_attention
from mini_ad.nn._normalize import (
    log_softmax,
    logmeanexp,
    logsumexp,
    one_hot,
    softmax,
    standardize,
)
from mini_ad.nn._piecewise import (
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    identity,
    leaky_relu,
    relu,
    relu6,
    sparse_plus,
    sparse_sigmoid,
)
from mini_ad.nn._smooth import (
    celu,
    elu,
    gelu,
    glu,
    log1mexp,
    log_sigmoid,
    mish,
    selu,
    sigmoid,
    silu,
    soft_sign,
    softplus,
    squareplus,
    swish,
    tanh,
)

__all__ = [
    "celu", "dot_product_attention", "elu", "gelu", "glu", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "identity", "leaky_relu", "log1mexp", "log_sigmoid",
    "log_softmax", "logmeanexp", "logsumexp", "mish", "one_hot", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_sign", "softmax", "softplus", "sparse_plus", "sparse_sigmoid",
    "squareplus", "standardize", "swish", "tanh",
]  # fmt: skip
