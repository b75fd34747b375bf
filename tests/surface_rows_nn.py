"""Rows for every public name of ``mini_ad.nn`` (and ``mini_ad.nn.initializers``), checked
by ``test_module_surface.py``. Where SciPy or NumPy computes the same function it is the
value reference (``row``); otherwise JAX (x64) is."""

from __future__ import annotations

import numpy as np
import scipy.special as sps
from numpy_surface_rows import I, K, P, R, jax
from surface_table import Table

import mini_ad.nn as nn
import mini_ad.nn.initializers as initializers

S = (3, 4)
jnn = jax.nn

nn_table = Table("mini_ad.nn", nn, jnn, None)
same, row = nn_table.same, nn_table.row


def both(name, **kw):
    """``mini_ad.nn.<name>`` and ``jax.nn.<name>`` with ``kw`` bound."""
    return (lambda *a: getattr(nn, name)(*a, **kw)), (lambda *a: getattr(jnn, name)(*a, **kw))


def ref(name, reference):
    """A row whose value reference is ``reference`` (SciPy or NumPy)."""
    mini, jax_fn = both(name)
    row(name, mini, jax_fn, reference, R(*S))


# --- elementwise, with a SciPy or NumPy reference -------------------------------------------
ref("sigmoid", sps.expit)
ref("log_sigmoid", sps.log_expit)
ref("tanh", np.tanh)
ref("relu", lambda x: np.maximum(x, 0))
ref("softplus", lambda x: np.logaddexp(x, np.zeros((), x.dtype)))
ref("silu", lambda x: x * sps.expit(x))
ref("swish", lambda x: x * sps.expit(x))
ref("identity", lambda x: x)
row("gelu", *both("gelu", approximate=False), lambda x: x * sps.ndtr(x), R(*S),
    variant="approximate=False")  # fmt: skip

# --- elementwise, JAX the reference ----------------------------------------------------------
for name in ["relu6", "hard_tanh", "soft_sign", "gelu", "elu", "celu", "selu", "mish",
             "hard_sigmoid", "hard_silu", "hard_swish", "sparse_plus", "sparse_sigmoid",
             "squareplus"]:  # fmt: skip
    same(name, lambda rng: 4 * rng.normal(size=S))  # wide enough to reach every piece
same("leaky_relu", R(*S), negative_slope=0.2)
same("elu", R(*S), alpha=0.5)
same("celu", R(*S), alpha=1.7)
same("squareplus", R(*S), b=0.3)
same("log1mexp", lambda rng: rng.uniform(0.05, 3.0, size=S))  # both sides of log 2
same("glu", R(3, 4))
same("glu", R(4, 3), axis=0)

# --- normalising ------------------------------------------------------------------------------
row("softmax", *both("softmax", axis=0), lambda x: sps.softmax(x, axis=0), R(*S), variant="axis=0")
row("log_softmax", *both("log_softmax"), lambda x: sps.log_softmax(x, axis=-1), R(*S))
row("logsumexp", *both("logsumexp", axis=1), lambda x: sps.logsumexp(x, axis=1), R(*S),
    variant="axis=1")  # fmt: skip
row("logsumexp", lambda x, b: nn.logsumexp(x, b=b, axis=0, return_sign=True),
    lambda x, b: jnn.logsumexp(x, b=b, axis=0, return_sign=True),
    lambda x, b: sps.logsumexp(x, b=b, axis=0, return_sign=True), R(*S), R(*S),
    variant="b,return_sign")  # fmt: skip
_MASK = np.array([[True, False, True, True], [False, True, True, False], [True] * 4])
same("softmax", R(*S), K(-1), K(_MASK), variant="where")
same("log_softmax", R(*S), K(-1), K(_MASK), variant="where", fd=False)  # -inf where masked
same("logsumexp", R(*S), K(1), K(None), K(False), K(False), K(_MASK), variant="where")
same("logmeanexp", R(*S))
same("logmeanexp", R(*S), axis=0, keepdims=True)
same("logmeanexp", R(*S), K(1), K(_MASK), variant="where")
same("standardize", R(*S))
same("standardize", R(*S), axis=0, algorithm="stable", epsilon=0.1)
same("standardize", R(*S), K(1), P(3, 1), P(3, 1), variant="mean,variance")
same("standardize", R(*S), K(-1), K(None), K(None), K(1e-5), K(_MASK), variant="where")
same("one_hot", I(0, 5, 6), K(5), diff=False)
same("one_hot", I(-1, 4, 2, 3), K(3), axis=0, dtype=np.float32, diff=False)
nn_table.elsewhere(
    "tests/test_nn_attention.py: against JAX at float32 accuracy (JAX takes the softmax in "
    "float32), masks, grouped heads, padding, derivatives, vmap and jit",
    "dot_product_attention",
)

# --- initializers -----------------------------------------------------------------------------
init_table = Table("mini_ad.nn.initializers", initializers, jnn.initializers, None)
init_table.elsewhere(
    "tests/test_nn_initializers.py: bit for bit against jax.nn.initializers for the same key",
    *initializers.__all__,
)

TABLES = [nn_table, init_table]
