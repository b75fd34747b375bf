"""``gamma`` and ``loggamma``: JAX's Marsaglia–Tsang sampler, operation for operation.

Each element gets its own key (``split(key, size)``) and runs JAX's ``_gamma_one``
(vmapped, as JAX lowers it on CPU): with ``alpha' = alpha`` (``alpha >= 1``) or
``alpha + 1`` (boosted), ``d = alpha' - 1/3`` and ``c = (1/3) rsqrt(d)``; repeat
``x ~ normal`` until ``v = 1 + x c > 0`` (XLA fuses it: ``fma(x, c, 1)``), draw
``u ~ uniform`` and accept unless ``u >= 1 - 0.0331 x⁴`` and
``log u >= x²/2 + d (1 - v³ + log v³)``; the sample is ``d v³``, times
``(1 - u')^(1/alpha)`` when boosted (``loggamma``: the same in logs).

Not bit for bit: ``c``. XLA computes ``rsqrt`` from the CPU's hardware estimate, which
``_xla_math.rsqrt`` does not reproduce, so ``c`` is 1 ulp off XLA's for about 17% of
``alpha`` values; those samples then differ from JAX's by a few ulps (see ``gamma``).
Every other operation (normal and uniform draws, XLA's ``log``, the C library's
``pow``, the loop structure and keys) is JAX's exactly.
"""

from __future__ import annotations

import math

import numpy as np

import mini_ad.numpy as mnp
from mini_ad import lax
from mini_ad.api import custom_jvp, vmap
from mini_ad.core.tracing import get_aval as aval_of
from mini_ad.primitives.bits import fma
from mini_ad.primitives.libm_pow import libm_pow
from mini_ad.random._continuous import _normal
from mini_ad.random._keys import canonical_shape, check_key, split
from mini_ad.random._samplers import _as, _float32_or_64, _float_dtype, _uniform
from mini_ad.random._xla_math import log, log1p, rsqrt


def _gamma_one(key, alpha, log_space: bool):
    """One gamma draw for a scalar ``alpha`` (JAX's ``_gamma_one``)."""
    dtype = aval_of(alpha).dtype

    def c_(value):
        return np.array(value, dtype)

    one, zero = c_(1.0), c_(0.0)
    boost_mask = lax.ge(alpha, one)
    alpha_orig = alpha
    alpha = lax.select_n(boost_mask, lax.add(alpha, one), alpha)
    d = lax.sub(alpha, c_(1.0 / 3.0))
    c = lax.mul(c_(1.0 / 3.0), rsqrt(d))  # XLA's rewrite of (1/3) / sqrt(d)

    def rejected(state):
        _, x2, v3, u = state
        squeeze = fma(lax.neg(lax.mul(x2, x2)), c_(0.0331), one)
        tail = lax.add(lax.mul(x2, c_(0.5)), lax.mul(d, lax.add(lax.sub(one, v3), log(v3))))
        return lax.bitwise_and(lax.ge(u, squeeze), lax.ge(log(u), tail))

    def draw(state):
        key = state[0]
        key, x_key, u_key = split(key, 3)

        def next_x(kxv):
            k, subkey = split(kxv[0])
            x = _normal(subkey, (), dtype)
            return k, x, fma(x, c, one)

        _, x, v = lax.while_loop(lambda kxv: lax.le(kxv[2], zero), next_x, (x_key, zero, c_(-1.0)))
        u = _uniform(u_key, (), dtype, 0.0, 1.0)
        return key, lax.mul(x, x), lax.mul(lax.mul(v, v), v), u

    key, subkey = split(key)
    _, _, v3, _ = lax.while_loop(rejected, draw, (key, zero, one, c_(2.0)))
    if log_space:
        u = _uniform(subkey, (), dtype, 0.0, 1.0)
        log_samples = log1p(lax.neg(u))  # -exponential(subkey)
        keep = lax.bitwise_or(boost_mask, lax.eq(log_samples, zero))
        boost = lax.select_n(keep, lax.mul(log_samples, lax.div(one, alpha_orig)), zero)
        return lax.add(lax.add(log(d), log(v3)), boost)
    samples = lax.sub(one, _uniform(subkey, (), dtype, 0.0, 1.0))
    boost = lax.select_n(boost_mask, _flush(libm_pow(samples, lax.div(one, alpha_orig))), one)
    return _flush(lax.mul(lax.mul(d, v3), boost))


def _flush(x):
    """Subnormal ``x`` as zero: XLA on CPU runs with denormals flushed (FTZ and DAZ)."""
    tiny = np.array(np.finfo(aval_of(x).dtype).tiny, aval_of(x).dtype)
    return lax.select_n(lax.lt(lax.abs(x), tiny), x, lax.mul(x, np.zeros((), aval_of(x).dtype)))


def _check_shape(name: str, shape: tuple, *param_shapes) -> None:
    if shape != mnp.broadcast_shapes(shape, *param_shapes):
        raise ValueError(
            f"{name} parameter shapes must be broadcast-compatible with shape argument, and "
            f"the result of broadcasting the shapes must equal the shape argument, but got "
            f"result {mnp.broadcast_shapes(shape, *param_shapes)} for shape argument {shape}."
        )


def _gamma_samples(name: str, key, a, shape, dtype, log_space: bool):
    key = check_key(name, key)
    dtype = _float_dtype(name, dtype)
    _float32_or_64(name, dtype)
    a = _as(a, dtype)
    shape = aval_of(a).shape if shape is None else canonical_shape(shape)
    _check_shape(name, shape, aval_of(a).shape)
    a = mnp.broadcast_to(a, shape)
    size = math.prod(shape)
    if size == 0:
        return mnp.zeros(shape, dtype)
    keys = split(key, size)
    flat = vmap(lambda k, alpha: _gamma_one(k, alpha, log_space))(keys, mnp.reshape(a, (size,)))
    return mnp.reshape(flat, shape)


def _not_differentiable(name: str, log_space: bool):
    """``_gamma_samples`` whose derivative in ``a`` raises (JAX's is ``random_gamma_grad``)."""

    def sample(key, a, shape, dtype):
        return _gamma_samples(name, key, a, shape, dtype, log_space)

    sample = custom_jvp(sample, nondiff_argnums=(2, 3))

    @sample.defjvp
    def _jvp(shape, dtype, primals, tangents):
        raise NotImplementedError(
            f"mini_ad.random.{name} is not differentiable in `a`: JAX's implicit "
            "reparameterisation gradient (random_gamma_grad) is not implemented."
        )

    return sample


_gamma = _not_differentiable("gamma", log_space=False)
_loggamma = _not_differentiable("loggamma", log_space=True)


def gamma(key, a, shape=None, dtype=None):
    """Standard gamma draws of shape parameter ``a`` (JAX: ``jax.random.gamma``).

    JAX's algorithm and keys exactly, but not always its last bits: XLA's ``rsqrt``
    starts from a hardware estimate that mini_ad does not reproduce, so for about 17%
    of ``a`` values (those where ``rsqrt(a - 1/3)``, or ``rsqrt(a + 2/3)`` for
    ``a < 1``, is 1 ulp off) the sample differs from JAX's by a few ulps (at most 8
    in 10^4 float64 draws; a flipped accept/reject step, which would change a whole
    sample, was never seen). For the other ``a`` values the samples are JAX's bit for bit.

    Args:
        key: a single key.
        a: the shape parameter (positive), a scalar or array broadcastable to ``shape``.
        shape: the result shape; default ``a``'s shape.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``.

    Raises:
        ValueError: if ``a`` does not broadcast to ``shape`` or ``dtype`` is not a float.
        NotImplementedError: for float16, and under differentiation in ``a``.

    >>> from mini_ad.random import key
    >>> gamma(key(0), 2.0, (3,))
    array([1.3520308 , 1.12435945, 3.73240416])
    """
    return _gamma(key, a, shape if shape is None else canonical_shape(shape), dtype)


def loggamma(key, a, shape=None, dtype=None):
    """Logs of standard gamma draws, computed in log space (JAX: ``jax.random.loggamma``).

    Accurate for tiny ``a`` where ``gamma`` underflows to 0. The same caveat as
    ``gamma``: samples differ from JAX's by a few ulps for about 17% of ``a`` values.

    Args:
        key: a single key.
        a: the shape parameter (positive), a scalar or array broadcastable to ``shape``.
        shape: the result shape; default ``a``'s shape.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype``: ``log`` of gamma draws.

    Raises:
        ValueError: if ``a`` does not broadcast to ``shape`` or ``dtype`` is not a float.
        NotImplementedError: for float16, and under differentiation in ``a``.

    >>> from mini_ad.random import key
    >>> loggamma(key(0), 0.01, (2,)).shape
    (2,)
    """
    return _loggamma(key, a, shape if shape is None else canonical_shape(shape), dtype)


def beta(key, a, b, shape=None, dtype=None):
    """Beta draws, ``G_a / (G_a + G_b)`` from two ``loggamma`` draws (JAX: ``jax.random.beta``).

    JAX's algorithm and keys, not always its last bits: besides ``loggamma``'s caveat,
    XLA's ``exp`` is its own polynomial, which mini_ad does not reproduce (it uses
    NumPy's), so samples may differ from JAX's in the last few bits.

    Args:
        key: a single key.
        a, b: the two shape parameters (positive), broadcastable to ``shape``.
        shape: the result shape; default the broadcast shape of ``a`` and ``b``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of ``shape`` and ``dtype`` in ``[0, 1]``.

    Raises:
        ValueError: if the parameters do not broadcast to ``shape``.
        NotImplementedError: for float16, and under differentiation in ``a`` or ``b``.

    >>> from mini_ad.random import key
    >>> beta(key(0), 2.0, 3.0, (2,)).shape
    (2,)
    """
    key = check_key("beta", key)
    dtype = _float_dtype("beta", dtype)
    for param in (a, b):  # JAX: TypePromotionError, a ValueError
        if hasattr(param, "dtype") and aval_of(param).dtype.itemsize > dtype.itemsize:
            raise ValueError(
                f"In arguments to beta, cannot safely cast argument of type "
                f"{aval_of(param).dtype} to {dtype}"
            )
    a, b = _as(a, dtype), _as(b, dtype)
    param_shapes = (aval_of(a).shape, aval_of(b).shape)
    if shape is None:
        shape = mnp.broadcast_shapes(*param_shapes)
    else:
        shape = canonical_shape(shape)
        _check_shape("beta", shape, *param_shapes)
    key_a, key_b = split(key)
    log_a = loggamma(key_a, mnp.broadcast_to(a, shape), shape, dtype)
    log_b = loggamma(key_b, mnp.broadcast_to(b, shape), shape, dtype)
    log_max = lax.max(log_a, log_b)
    scaled_a = lax.exp(lax.sub(log_a, log_max))
    scaled_b = lax.exp(lax.sub(log_b, log_max))
    return lax.div(scaled_a, lax.add(scaled_a, scaled_b))


def dirichlet(key, alpha, shape=None, dtype=None):
    """Dirichlet draws: the softmax of ``loggamma`` draws (JAX: ``jax.random.dirichlet``).

    JAX's algorithm and keys, not always its last bits (``loggamma``'s caveat, and
    XLA's ``exp``, which mini_ad does not reproduce).

    Args:
        key: a single key.
        alpha: the concentrations, an array with at least one axis (the last one
            indexes the categories).
        shape: the batch shape; default ``alpha.shape[:-1]``.
        dtype: float64 (the default) or float32.

    Returns:
        An array of shape ``shape + alpha.shape[-1:]`` whose last axis sums to 1.

    Raises:
        ValueError: if ``alpha`` is a scalar or does not broadcast to ``shape``.
        NotImplementedError: for float16, and under differentiation in ``alpha``.

    >>> from mini_ad.random import key
    >>> dirichlet(key(0), mnp.array([1.0, 2.0, 3.0])).shape
    (3,)
    """
    key = check_key("dirichlet", key)
    dtype = _float_dtype("dirichlet", dtype)
    alpha = _as(alpha, dtype)
    alpha_shape = aval_of(alpha).shape
    if not alpha_shape:
        raise ValueError("dirichlet requires alpha.ndim >= 1, got alpha.ndim == 0")
    if shape is None:
        shape = alpha_shape[:-1]
    else:
        shape = canonical_shape(shape)
        _check_shape("dirichlet", shape, alpha_shape[:-1])
    full = shape + alpha_shape[-1:]
    logs = loggamma(key, mnp.broadcast_to(alpha, full), full, dtype)
    shifted = lax.exp(mnp.subtract(logs, mnp.max(logs, axis=-1, keepdims=True)))
    return mnp.divide(shifted, mnp.sum(shifted, axis=-1, keepdims=True))
