"""``poisson``: JAX's two float32 samplers, operation for operation.

``lam`` is rounded to float32 and every element runs both of JAX's loops on the same
key, each over the whole array (one draw per element per iteration), keeping the one
its ``lam`` selects:

* Knuth (``lam < 10`` or NaN): multiply uniforms until the product falls below
  ``exp(-lam)``, in logs: count the steps while ``sum(log u) > -lam``, minus one.
* Hörmann's transformed rejection, PTRS (``lam >= 10``): ``b = 0.931 + 2.53 sqrt(lam)``,
  ``a = -0.059 + 0.02483 b``; from ``u`` uniform in ``[-1/2, 1/2)`` and ``v`` in
  ``[0, 1)``, with ``us = 1/2 - |u|``, propose ``k = floor((2a/us + b) u + lam + 0.43)``
  and accept it when ``us >= 0.07`` and ``v <= v_r``, or, unless ``k < 0`` or
  (``us < 0.013`` and ``v > us``), when ``log(v inv_alpha / (a/us² + b)) <=
  -lam + k log(lam) - lgamma(k + 1)``. The loop runs until every element has accepted
  once; a later acceptance replaces an earlier one (as in JAX).

The arithmetic is XLA's on CPU: its float32 ``log`` and ``log1p`` (``_xla_math``), its
Lanczos ``lgamma`` (below) and the fused multiply-adds its code generator contracts.
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import fma
from mini_ad.random._keys import canonical_shape, check_key, split
from mini_ad.random._samplers import _as, _uniform
from mini_ad.random._xla_math import log, log1p

F32 = np.dtype(np.float32)

# Lanczos (g = 7) coefficients of lgamma, as XLA writes them (its leading 0.99999... is 1
# in float32)
_LANCZOS = (
    676.520368121885098567009190444019, -1259.13921672240287047156078755283,
    771.3234287776530788486528258894, -176.61502916214059906584551354,
    12.507343278686904814458936853, -0.13857109526572011689554707,
    9.984369578019570859563e-6, 1.50563273514931155834e-7,
)  # fmt: skip


def _f(value: float) -> np.ndarray:
    return np.array(value, F32)


def _lgamma32(x):
    """XLA's float32 ``lgamma`` on CPU for ``x >= 1/2`` (no reflection), bit for bit.

    With ``z = x - 1`` and ``t = z + 7.5``: ``log Γ(x) = log sqrt(2 pi) + (z + 1/2 -
    t / log t) log t + log(1 + sum c_i / (z + i))``, ``log t = log 7.5 + log1p(z / 7.5)``,
    in XLA's order of operations (its division by 7.5 is a multiplication).
    """
    z = lax.sub(x, _f(1.0))
    acc = lax.add(lax.div(_f(_LANCZOS[0]), lax.add(z, _f(1.0))), _f(1.0))
    for i, c in enumerate(_LANCZOS[1:], start=2):
        acc = lax.add(acc, lax.div(_f(c), lax.add(z, _f(i))))
    t = lax.add(z, _f(7.5))
    log_t = lax.add(log1p(lax.mul(z, _f(1 / 7.5))), _f(math.log(7.5)))
    scale = lax.sub(lax.add(z, _f(0.5)), lax.div(t, log_t))
    return lax.add(fma(scale, log_t, _f(0.5 * math.log(2 * math.pi))), log(acc))


def _full(value, dtype, shape: tuple):
    return (
        lax.broadcast_in_dim(np.array(value, dtype), shape, ()) if shape else np.array(value, dtype)
    )


def _knuth(key, lam, shape: tuple, dtype: np.dtype, max_iters):
    neg_lam = lax.neg(lam)

    def go_on(state):
        i, _, _, log_prod = state
        return lax.bitwise_and(mnp.any(lax.gt(log_prod, neg_lam)), lax.lt(i, max_iters))

    def step(state):
        i, k, key, log_prod = state
        key, subkey = split(key)
        k = lax.select(lax.gt(log_prod, neg_lam), lax.add(k, np.array(1, dtype)), k)
        u = _uniform(subkey, shape, F32, 0.0, 1.0)
        return lax.add(i, np.array(1, np.int64)), k, key, lax.add(log_prod, log(u))

    init = (np.array(0, np.int64), _full(0, dtype, shape), key, _full(0.0, F32, shape))
    k = lax.while_loop(go_on, step, init)[1]
    return lax.sub(k, np.array(1, dtype))


def _rejection(key, lam, shape: tuple, dtype: np.dtype, max_iters):
    log_lam = log(lam)
    b = fma(_f(2.53), lax.sqrt(lam), _f(0.931))
    a = fma(_f(0.02483), b, _f(-0.059))
    inv_alpha = lax.add(_f(1.1239), lax.div(_f(1.1328), lax.sub(b, _f(3.4))))
    v_r = lax.sub(_f(0.9277), lax.div(_f(3.6224), lax.sub(b, _f(2.0))))

    def go_on(state):
        i, _, accepted, _ = state
        return lax.bitwise_and(mnp.any(lax.bitwise_not(accepted)), lax.lt(i, max_iters))

    def step(state):
        i, k_out, accepted, key = state
        key, key_u, key_v = split(key, 3)
        u = lax.sub(_uniform(key_u, shape, F32, 0.0, 1.0), _f(0.5))
        v = _uniform(key_v, shape, F32, 0.0, 1.0)
        us = lax.sub(_f(0.5), lax.abs(u))
        slope = lax.add(lax.div(lax.mul(_f(2.0), a), us), b)
        k = lax.floor(lax.add(fma(slope, u, lam), _f(0.43)))
        s = log(lax.div(lax.mul(v, inv_alpha), lax.add(lax.div(a, lax.mul(us, us)), b)))
        t = lax.sub(fma(k, log_lam, lax.neg(lam)), _lgamma32(lax.add(k, _f(1.0))))
        accept_fast = lax.bitwise_and(lax.ge(us, _f(0.07)), lax.le(v, v_r))
        reject = lax.bitwise_or(
            lax.lt(k, _f(0.0)), lax.bitwise_and(lax.lt(us, _f(0.013)), lax.gt(v, us))
        )
        accept = lax.bitwise_or(accept_fast, lax.bitwise_and(lax.bitwise_not(reject), lax.le(s, t)))
        k_out = lax.select(accept, k, k_out)
        return lax.add(i, np.array(1, np.int64)), k_out, lax.bitwise_or(accepted, accept), key

    init = (np.array(0, np.int64), _full(-1.0, F32, shape), _full(False, np.bool_, shape), key)
    k = lax.while_loop(go_on, step, init)[1]
    return lax.convert_element_type(k, dtype)


def _int_dtype(dtype) -> np.dtype:
    dtype = np.dtype(np.int64 if dtype is None or dtype is int else dtype)
    if dtype.kind not in "iu":
        raise ValueError(f"Invalid integer data type {dtype.char!r}.")
    return dtype


def poisson(key, lam, shape=None, dtype=int):
    """Poisson draws of mean ``lam`` (JAX: ``jax.random.poisson``), bit for bit.

    Knuth's multiplication method for ``lam < 10`` and Hörmann's transformed rejection
    (PTRS) beyond, both in float32 as JAX runs them (see the module docstring). Every
    operation reproduces XLA's on CPU (its float32 ``log``, ``log1p`` and ``lgamma``
    included), so the draws are JAX's exactly. ``lam == 0`` gives 0; a negative or NaN
    ``lam`` gives -1, as in JAX.

    Args:
        key: a single key.
        lam: the rate (mean), a scalar or array broadcastable to ``shape``; converted to
            float32.
        shape: the result shape; default ``lam``'s shape.
        dtype: an integer dtype; default int64 (JAX's with x64 on).

    Returns:
        An array of ``shape`` and ``dtype``; not differentiable (integers).

    Raises:
        ValueError: if ``dtype`` is not an integer dtype or ``lam`` does not broadcast
            to ``shape``.

    >>> from mini_ad.random import key
    >>> poisson(key(0), 3.0, (4,)).shape
    (4,)
    """
    key = check_key("poisson", key)
    dtype = _int_dtype(dtype)
    if not hasattr(lam, "dtype"):
        lam = np.asarray(lam)
    shape = aval_of(lam).shape if shape is None else canonical_shape(shape)
    lam = _as(mnp.broadcast_to(lam, shape), F32)
    lam = lax.stop_gradient(lam)
    use_knuth = lax.bitwise_or(lax.ne(lam, lam), lax.lt(lam, _f(10.0)))
    lam_knuth = lax.select(use_knuth, lam, _full(0.0, F32, shape))
    lam_rejection = lax.select(use_knuth, _full(1e5, F32, shape), lam)
    max_iters = np.array(min(np.iinfo(dtype).max, np.iinfo(np.int64).max), np.int64)
    result = lax.select(
        use_knuth,
        _knuth(key, lam_knuth, shape, dtype, max_iters),
        _rejection(key, lam_rejection, shape, dtype, max_iters),
    )
    return lax.select(lax.eq(lam, _f(0.0)), _full(0, dtype, shape), result)
