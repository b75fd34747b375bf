"""``dot_product_attention``: the XLA implementation of ``jax.nn.dot_product_attention``.

``softmax(scale · q kᵀ + bias, masked) v`` per batch and head, with grouped-query heads
(``N`` query heads share ``K`` key/value heads, ``N % K == 0``). As in JAX, the logits are
computed in ``promote(dtype, float32)``, the softmax is taken in **float32** and the
probabilities are cast back to the keys' dtype, so float64 inputs give float64 outputs
of float32 accuracy. Masked logits become ``-0.7 × (the float32 maximum)``, not ``-inf``,
so a fully masked row averages the values uniformly.
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.api import stop_gradient
from mini_ad.core.tracing import get_aval
from mini_ad.nn._normalize import logsumexp, softmax


def _as_4d(name, t):
    t = mnp.asarray(t)
    ndim = get_aval(t).ndim
    if ndim > 4:
        raise ValueError(f"dot_product_attention: {name} has {ndim} dimensions, at most 4")
    return mnp.reshape(t, (1,) * (4 - ndim) + get_aval(t).shape)


def _check(t, shape, dtype, name):
    if t is None:
        return
    aval = get_aval(t)
    if aval.ndim != len(shape):
        raise ValueError(f"{name} ndim should be {len(shape)}, but got {aval.ndim}")
    if dtype is not None and aval.dtype != dtype:
        raise ValueError(f"{name} dtype should be {dtype}, but got {aval.dtype}")
    if any(want not in (-1, got) for want, got in zip(shape, aval.shape, strict=True)):
        raise ValueError(f"{name} shape should be {shape}: but got {aval.shape}")


def _grouped(t, num_kv_heads, group):
    """A ``(B, N, T, S)`` bias or mask as ``(B, K, G, T, S)`` (a head axis of 1 broadcast)."""
    b, n, t_len, s_len = get_aval(t).shape
    if n == 1:
        return mnp.reshape(t, (b, 1, 1, t_len, s_len))
    return mnp.reshape(t, (b, num_kv_heads, group, t_len, s_len))


def _keep_mask(t_len, s_len, mask, is_causal, q_lengths, kv_lengths, window):
    """Where the logits ``(B, K, G, T, S)`` are kept (None: everywhere)."""
    keep = mask
    rows = mnp.arange(t_len)[:, None]
    cols = mnp.arange(s_len)[None, :]
    extra = []
    if is_causal:
        extra.append(rows >= cols)
    if window is not None:
        left, right = window
        extra.append((rows <= cols + left) & (rows >= cols - right))
    for part in extra:
        keep = part if keep is None else keep & part
    if q_lengths is not None or kv_lengths is not None:
        padding = mnp.ones((1, t_len, s_len), dtype=bool)
        if q_lengths is not None:
            padding = padding & (rows[None] < q_lengths[:, None, None])
        if kv_lengths is not None:
            padding = padding & (cols[None] < kv_lengths[:, None, None])
        padding = padding[:, None, None]
        keep = padding if keep is None else keep & padding
    return keep


def dot_product_attention(query, key, value, bias=None, mask=None, *, scale=None,
                          is_causal: bool = False, query_seq_lengths=None,
                          key_value_seq_lengths=None, local_window_size=None,
                          implementation=None, return_residual: bool = False):  # fmt: skip
    """Scaled dot-product attention, as ``jax.nn.dot_product_attention`` (its XLA
    implementation; see the module docstring for its float32 softmax).

    Shapes: ``query (B, T, N, H)``, ``key`` and ``value (B, S, K, H)`` (leading axes may
    be left out), ``bias`` and ``mask`` broadcasting against ``(B, N, T, S)``.

    Args:
      query: the queries.
      key: the keys.
      value: the values (``key``'s shape and dtype).
      bias: added to the scaled logits, or None.
      mask: a bool array: where False, the logit is masked out; or None.
      scale: the logits' factor; None means ``1 / sqrt(H)``.
      is_causal: mask out keys after each query (``s > t``).
      query_seq_lengths: int32 ``(B,)``: queries past it are masked out and their
        outputs set to 0.
      key_value_seq_lengths: int32 ``(B,)``: keys past it are masked out.
      local_window_size: an int ``w`` or a pair ``(left, right)``: keep only keys with
        ``t - left <= s <= t + right``.
      implementation: None or ``"xla"`` (the only one; ``"cudnn"`` raises).
      return_residual: also return the logsumexp of each row, ``(B, T, N)``, without
        gradient.

    Returns:
      An array of ``query``'s shape (and the residual, with ``return_residual``).

    Raises:
      ValueError: mismatched shapes or dtypes, a non-bool mask, or an unknown
        ``implementation``.
      NotImplementedError: ``implementation="cudnn"``.

    Examples:
      >>> import numpy as np
      >>> from mini_ad import nn
      >>> q = np.array([[[1.0, 0.0]], [[0.0, 1.0]]])  # T=2, N=1, H=2
      >>> v = np.array([[[1.0, 2.0]], [[3.0, 4.0]]])
      >>> print(nn.dot_product_attention(q, q, v, is_causal=True).round(4))
      [[[1.     2.    ]]
      <BLANKLINE>
       [[2.3395 3.3395]]]
      >>> print(nn.dot_product_attention(q, q, v, scale=0.0).round(4))
      [[[2. 3.]]
      <BLANKLINE>
       [[2. 3.]]]
    """
    if implementation == "cudnn":
        raise NotImplementedError("dot_product_attention: mini_ad has only the XLA "
                                  "implementation (implementation=None or 'xla')")  # fmt: skip
    if implementation not in (None, "xla"):
        raise ValueError(f"Unsupported implementation option: {implementation}")
    out_shape = get_aval(mnp.asarray(query)).shape
    query, key, value = (_as_4d(n, t) for n, t in (("query", query), ("key", key),
                                                    ("value", value)))  # fmt: skip
    bias = None if bias is None else _as_4d("bias", bias)
    mask = None if mask is None else _as_4d("mask", mask)
    q_lengths = None if query_seq_lengths is None else mnp.asarray(query_seq_lengths)
    kv_lengths = None if key_value_seq_lengths is None else mnp.asarray(key_value_seq_lengths)
    if isinstance(local_window_size, int):
        local_window_size = (local_window_size, local_window_size)
    b, s_len, k_heads, h = get_aval(key).shape
    key_dtype = get_aval(key).dtype
    _check(value, [b, s_len, k_heads, h], key_dtype, "value")
    _check(query, [b, -1, -1, h], key_dtype, "query")
    _check(mask, [-1] * 4, np.dtype(bool), "mask")
    _check(bias, [-1] * 4, None, "bias")
    _check(q_lengths, [b], np.dtype("int32"), "query_seq_lengths")
    _check(kv_lengths, [b], np.dtype("int32"), "key_value_seq_lengths")
    _, t_len, n_heads, _ = get_aval(query).shape
    if n_heads % k_heads != 0:
        raise ValueError(f"The number of query heads must be a multiple of key/value heads, "
                         f"but got {n_heads} vs {k_heads}")  # fmt: skip
    group = n_heads // k_heads
    scale = 1.0 / np.sqrt(h) if scale is None else scale

    logits_dtype = np.promote_types(get_aval(query).dtype, np.float32)
    grouped_q = mnp.reshape(query, (b, t_len, k_heads, group, h))
    logits = mnp.einsum("btkgh,bskh->bkgts", grouped_q, key, preferred_element_type=logits_dtype)
    logits = logits * mnp.asarray(scale, dtype=logits_dtype)
    if bias is not None:
        logits = mnp.astype(logits + _grouped(bias, k_heads, group), logits_dtype)
    grouped_mask = None if mask is None else _grouped(mask, k_heads, group)
    keep = _keep_mask(t_len, s_len, grouped_mask, is_causal, q_lengths, kv_lengths,
                      local_window_size)  # fmt: skip
    if keep is not None:
        large_negative = -0.7 * min(np.finfo(logits_dtype).max, np.finfo(np.float32).max)
        logits = mnp.where(keep, logits, mnp.asarray(large_negative, dtype=logits_dtype))
    logits = mnp.astype(logits, np.float32)  # JAX's softmax is in float32
    probs = mnp.astype(softmax(logits, axis=-1), key_dtype)
    encoded = mnp.einsum("bkgts,bskh->btkgh", probs, value)
    if q_lengths is not None:
        valid = mnp.arange(t_len)[None, :] < q_lengths[:, None]
        encoded = encoded * mnp.astype(valid, get_aval(encoded).dtype)[:, :, None, None, None]
    encoded = mnp.reshape(encoded, out_shape)
    if not return_residual:
        return encoded
    residual = mnp.astype(logsumexp(logits, axis=-1), key_dtype)  # (B, K, G, T)
    residual = mnp.reshape(mnp.transpose(residual, (0, 3, 1, 2)), out_shape[:-1])
    return encoded, stop_gradient(residual)
