"""``gamma`` and ``loggamma``: JAX's Marsaglia–Tsang sampler, operation for operation.

Each element gets its own key (``split(key, size)``) and runs JAX's ``_gamma_one``
(vmapped, as JAX lowers it on CPU): with ``alpha' = alpha`` (``alpha >= 1``) or
``alpha + 1`` (boosted), ``d = alpha' - 1/3`` and ``c = (1/3) rsqrt(d)``; repeat
``x ~ normal`` until ``v = 1 + x c > 0`` (XLA fuses it: ``fma(x, c, 1)``), draw
``u ~ uniform`` and accept unless ``u >= 1 - 0.0331 x⁴`` and
``log u >= x²/2 + d (1 - v³ + log v³)``; the sample is ``d v³``, times
``(1 - u')^(1/alpha)`` when boosted (``loggamma``: the same in logs).

Every operation (normal and uniform draws, XLA's ``log`` and ``exp``, the C library's
``pow``, the loop structure and keys) is JAX's exactly, and float64 samples are JAX's
bit for bit. One operation depends on the CPU in XLA: ``rsqrt`` (see
``_xla_math.rsqrt``), which mini_ad computes as XLA's portable path does.
"""

from __future__ import annotations

import functools
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
from mini_ad.random._xla_math import exp, log, log1p, rsqrt


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

    float64: JAX's samples bit for bit, as XLA computes them without AVX-512. With
    AVX-512, XLA's ``rsqrt(a - 1/3)`` starts from a hardware estimate, and about 4% of
    JAX's samples differ from these by a few ulps (at most 36 in 10^4 draws; a flipped
    accept/reject step, which would change a whole sample, was never seen). float32:
    XLA's ``rsqrt`` always starts from the CPU's estimate, so about 3.5% of samples
    differ by at most 27 ulps.

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

    Accurate for tiny ``a`` where ``gamma`` underflows to 0. As ``gamma``: float64
    samples are JAX's bit for bit without AVX-512; float32 ones are near JAX's.

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

    JAX's algorithm and keys, with XLA's ``exp``: float64 samples are JAX's bit for bit
    (``loggamma``'s caveat applies); float32 ones are near JAX's (about 2% differ, by at
    most 49 ulps in 10^4 draws).

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
    scaled_a = exp(lax.sub(log_a, log_max))
    scaled_b = exp(lax.sub(log_b, log_max))
    return lax.div(scaled_a, lax.add(scaled_a, scaled_b))


def dirichlet(key, alpha, shape=None, dtype=None):
    """Dirichlet draws: the softmax of ``loggamma`` draws (JAX: ``jax.random.dirichlet``).

    JAX's algorithm and keys, with XLA's ``exp`` and its reciprocal-times-entries
    division: float64 draws with up to 8 categories are JAX's bit for bit
    (``loggamma``'s caveat applies). With more categories XLA sums in vector lanes whose
    width depends on the CPU, and entries differ in the last bits (up to ~40 ulps);
    float32 draws are near JAX's (``loggamma``'s float32 caveat).

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
    shifted = exp(mnp.subtract(logs, mnp.max(logs, axis=-1, keepdims=True)))
    if full[-1] <= 8:  # XLA sums up to 8 elements in order; longer rows in vector lanes
        total = functools.reduce(lax.add, [shifted[..., k] for k in range(full[-1])])
    else:
        total = mnp.sum(shifted, axis=-1)
    # XLA turns the division by a broadcast into a multiplication by its reciprocal
    return mnp.multiply(shifted, mnp.expand_dims(lax.div(np.array(1, dtype), total), -1))
