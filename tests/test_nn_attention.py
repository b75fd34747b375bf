"""``mini_ad.nn.dot_product_attention`` against ``jax.nn.dot_product_attention`` (x64).

JAX's XLA implementation takes the softmax in float32 even for float64 inputs, and so does
mini_ad's. Hence two references:

* a NumPy reference with the same float32 softmax: values agree to float64 rounding of the
  surrounding float64 arithmetic (``RTOL``), which checks every mask and shape rule;
* JAX itself, at float32 accuracy (``F32_TOL``: a few ulps of float32, the precision of
  JAX's own softmax), for values, jvp and vjp.

Derivatives are also checked against central differences of the NumPy reference computed
*without* the float32 step (exact up to float32 rounding of mini_ad's softmax).
"""

from __future__ import annotations

import numpy as np
import pytest

import mini_ad as ad
from mini_ad import nn

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jnp = jax.numpy

RTOL = 1e-12
F32_TOL = 8 * np.finfo(np.float32).eps  # JAX's float32 softmax, a few ulps
B, T, S, N, K, H = 2, 3, 4, 4, 2, 5


def reference(q, k, v, bias=None, mask=None, scale=None, is_causal=False, q_lengths=None,
              kv_lengths=None, window=None, float32_softmax=True):  # fmt: skip
    """Attention written out in NumPy, head by head."""
    b, t_len, n, h = q.shape
    s_len, n_kv = k.shape[1], k.shape[2]
    scale = 1 / np.sqrt(h) if scale is None else scale
    out = np.zeros_like(q)
    for bi in range(b):
        for ni in range(n):
            kv = ni // (n // n_kv)
            logits = scale * (q[bi, :, ni] @ k[bi, :, kv].T)
            if bias is not None:
                logits = logits + np.broadcast_to(bias, (b, n, t_len, s_len))[bi, ni]
            keep = np.ones((t_len, s_len), bool)
            if mask is not None:
                keep &= np.broadcast_to(mask, (b, n, t_len, s_len))[bi, ni]
            rows, cols = np.arange(t_len)[:, None], np.arange(s_len)[None, :]
            if is_causal:
                keep &= cols <= rows
            if window is not None:
                keep &= (cols >= rows - window[0]) & (cols <= rows + window[1])
            if q_lengths is not None:
                keep &= rows < q_lengths[bi]
            if kv_lengths is not None:
                keep &= cols < kv_lengths[bi]
            logits = np.where(keep, logits, -0.7 * np.finfo(np.float32).max)
            if float32_softmax:
                logits = logits.astype(np.float32)
            e = np.exp(logits - logits.max(axis=-1, keepdims=True))
            probs = (e / e.sum(axis=-1, keepdims=True)).astype(q.dtype)
            out[bi, :, ni] = probs @ v[bi, :, kv]
            if q_lengths is not None:
                out[bi, q_lengths[bi] :, ni] = 0.0
    return out


def _draw(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    q = rng.normal(size=(B, T, N, H))
    k, v = rng.normal(size=(B, S, K, H)), rng.normal(size=(B, S, K, H))
    return [x.astype(dtype) for x in (q, k, v)]


_rng = np.random.default_rng(1)
BIAS = _rng.normal(size=(1, N, T, S))
MASK = _rng.uniform(size=(B, 1, T, S)) > 0.3
OPTIONS = {
    "plain": ({}, {}),
    "bias": ({"bias": BIAS}, {"bias": BIAS}),
    "mask": ({"mask": MASK}, {"mask": MASK}),
    "causal,scale": ({"is_causal": True, "scale": 0.7}, {"is_causal": True, "scale": 0.7}),
    "all masks": ({"bias": BIAS, "mask": MASK, "is_causal": True},
                  {"bias": BIAS, "mask": MASK, "is_causal": True}),
    "seq lengths": ({"query_seq_lengths": np.array([2, 3], np.int32),
                     "key_value_seq_lengths": np.array([4, 2], np.int32)},
                    {"q_lengths": [2, 3], "kv_lengths": [4, 2]}),
    "window": ({"local_window_size": (1, 0)}, {"window": (1, 0)}),
    "window int": ({"local_window_size": 1}, {"window": (1, 1)}),
}  # fmt: skip


@pytest.mark.parametrize("option", OPTIONS)
def test_values_and_derivatives(option):
    kw, ref_kw = OPTIONS[option]
    q, k, v = _draw()
    out = nn.dot_product_attention(q, k, v, **kw)
    assert out.dtype == np.float64 and out.shape == q.shape
    np.testing.assert_allclose(out, reference(q, k, v, **ref_kw), rtol=RTOL, atol=RTOL)
    np.testing.assert_allclose(out, jax.nn.dot_product_attention(q, k, v, **kw), rtol=F32_TOL,
                               atol=F32_TOL)  # fmt: skip

    rng = np.random.default_rng(2)
    tangents = [rng.normal(size=x.shape) for x in (q, k, v)]
    _, t_out = ad.jvp(lambda *a: nn.dot_product_attention(*a, **kw), (q, k, v), tangents)
    _, jax_t_out = jax.jvp(lambda *a: jax.nn.dot_product_attention(*a, **kw), (q, k, v),
                           tuple(tangents))  # fmt: skip
    scale = np.abs(jax_t_out).max()
    np.testing.assert_allclose(t_out, jax_t_out, rtol=F32_TOL, atol=F32_TOL * scale)
    eps = 1e-6
    up = reference(*[x + eps * t for x, t in zip((q, k, v), tangents, strict=True)], **ref_kw,
                   float32_softmax=False)  # fmt: skip
    down = reference(*[x - eps * t for x, t in zip((q, k, v), tangents, strict=True)], **ref_kw,
                     float32_softmax=False)  # fmt: skip
    np.testing.assert_allclose(t_out, (up - down) / (2 * eps), rtol=1e-5, atol=1e-5 * scale)

    cotangent = rng.normal(size=q.shape)
    grads = ad.vjp(lambda *a: nn.dot_product_attention(*a, **kw), q, k, v)[1](cotangent)
    jax_grads = jax.vjp(lambda *a: jax.nn.dot_product_attention(*a, **kw), q, k, v)[1](cotangent)
    for g, jg in zip(grads, jax_grads, strict=True):
        np.testing.assert_allclose(g, jg, rtol=F32_TOL, atol=F32_TOL * np.abs(jg).max())


def test_float32_inputs_stay_float32():
    q, k, v = _draw(dtype=np.float32)
    out = nn.dot_product_attention(q, k, v, mask=MASK)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, reference(q, k, v, mask=MASK), rtol=F32_TOL, atol=F32_TOL)
    np.testing.assert_allclose(out, jax.nn.dot_product_attention(q, k, v, mask=MASK),
                               rtol=F32_TOL, atol=F32_TOL)  # fmt: skip


def test_unbatched_shapes():
    q, k, v = _draw()
    args = [x[0] for x in (q, k, v)]  # (T, N, H): a batch axis of 1 is added
    out = nn.dot_product_attention(*args)
    assert out.shape == args[0].shape
    np.testing.assert_allclose(out, jax.nn.dot_product_attention(*args), rtol=F32_TOL,
                               atol=F32_TOL)  # fmt: skip


def test_residual_is_the_row_logsumexp_without_gradient():
    q, k, v = _draw()
    out, residual = nn.dot_product_attention(q, k, v, is_causal=True, return_residual=True)
    jax_out, jax_residual = jax.nn.dot_product_attention(q, k, v, is_causal=True,
                                                         return_residual=True)  # fmt: skip
    assert residual.shape == jax_residual.shape == (B, T, N)
    np.testing.assert_allclose(residual, jax_residual, rtol=F32_TOL, atol=F32_TOL)
    grad = ad.grad(lambda q: nn.dot_product_attention(q, k, v, return_residual=True)[1].sum())(q)
    np.testing.assert_array_equal(grad, np.zeros_like(q))


def test_vmap_and_jit():
    q, k, v = _draw()
    q2 = _draw(seed=3)[0]
    fn = lambda q: nn.dot_product_attention(q, k, v, mask=MASK, is_causal=True)  # noqa: E731
    batched = ad.vmap(fn)(np.stack([q, q2]))
    np.testing.assert_allclose(batched, np.stack([fn(q), fn(q2)]), rtol=RTOL, atol=RTOL)
    np.testing.assert_array_equal(ad.jit(fn)(q), fn(q))


@pytest.mark.parametrize(
    "kw, error",
    [
        ({"mask": MASK.astype(np.float64)}, ValueError),  # a mask must be bool
        ({"implementation": "fast"}, ValueError),
        ({"query_seq_lengths": np.array([1, 2])}, ValueError),  # int32 only
    ],
    ids=["float mask", "unknown implementation", "int64 lengths"],
)
def test_errors_as_jax(kw, error):
    q, k, v = _draw()
    with pytest.raises(error):
        jax.nn.dot_product_attention(q, k, v, **kw)
    with pytest.raises(error):
        nn.dot_product_attention(q, k, v, **kw)


def test_shape_errors_as_jax():
    q, k, v = _draw()
    for args in [(q[..., :3, :], k, v), (q, k, v[:, :3]), (q, k, v.astype(np.float32))]:
        with pytest.raises(ValueError):
            jax.nn.dot_product_attention(*args)
        with pytest.raises(ValueError):
            nn.dot_product_attention(*args)


def test_cudnn_is_not_provided():
    q, k, v = _draw()
    with pytest.raises(NotImplementedError, match="XLA"):
        nn.dot_product_attention(q, k, v, implementation="cudnn")
