"""``mini_ad.random``: ``jax.random``'s threefry2x32 generator, bit for bit.

Each function gives exactly the numbers ``jax.random`` gives (JAX 0.10, default
configuration: threefry2x32, ``jax_threefry_partitionable`` on, ``mode="low"``) for the
same key, shape and dtype, with JAX's x64 defaults (float64 and int64). They are written
with mini_ad primitives, so they work under ``jit``, ``vmap`` and ``grad``.

Keys are raw: ``key`` and ``PRNGKey`` both return a ``uint32`` array of shape ``(2,)``
(JAX's typed keys are not modelled; ``key_data`` and ``wrap_key_data`` are identities
that check their argument). A batch of keys, as from ``split(k, n)``, has shape
``(n, 2)``; ``vmap`` over it.

Continuous samplers go through XLA's ``log``, ``log1p``, ``exp``, ``erf`` and ``erf_inv``,
which ``_xla_math`` reproduces rounding for rounding in float32 and float64 (XLA's versions
differ from NumPy's and the C library's in the last bits). float16 is supported by
``uniform``, ``bits``-based and integer samplers only.

Bit for bit (besides the samplers above): ``poisson`` (JAX's float32 Knuth and PTRS
loops with XLA's float32 ``log``, ``log1p`` and ``lgamma``; 10^5 draws, lam from 0 to
10^6, all equal), ``truncated_normal``, ``orthogonal`` (float32 through LAPACK's
single-precision QR, as XLA), and in float64 ``gamma``, ``loggamma``, ``beta``,
``dirichlet`` (up to 8 categories) and ``multivariate_normal`` (all three methods).

XLA's own results depend on the CPU in two places, which mini_ad follows on the
portable path (any CPU without AVX-512, or ``XLA_FLAGS=--xla_cpu_max_isa=AVX2``; the
tests pin it):

* ``rsqrt`` in ``gamma``'s ``c = rsqrt(a - 1/3)/3``: with AVX-512, XLA starts from the
  hardware's 14-bit estimate (``vrsqrt14pd``) and takes Newton steps, 1–2 ulp off the
  correctly rounded value for ~31% of inputs, and then ~4% of float64 gamma samples
  differ from mini_ad's, by up to ~40 ulps (loggamma near 0: more ulps, the same
  absolute size). float32 ``rsqrt`` starts from the ``rsqrtps`` estimate on every x86
  CPU, so float32 ``gamma`` (~3.5% of draws, ≤ 27 ulps), ``loggamma``, ``beta`` and
  ``dirichlet`` are near JAX's, not equal. No accept/reject flip was seen in 10^4 draws.
* The order of a vectorised sum: ``dirichlet``'s normalising sum over more than 8
  categories, and float32 ``multivariate_normal``'s ``F z`` with more than 3 terms,
  differ in the last bits (within ``eps (|mean| + sqrt(diag cov) sum|z|)`` for the
  latter).

None of the gamma family is differentiable in its parameters (JAX's
``random_gamma_grad`` is not implemented): differentiating raises. float32
``multivariate_normal`` with ``eigh``/``svd`` raises (NumPy runs them in float64, whose
eigenvector signs can differ from JAX's).

>>> import mini_ad
>>> from mini_ad import random
>>> k1, k2 = random.split(random.key(0))
>>> mini_ad.vmap(lambda k: random.uniform(k, (2,)))(random.split(k1, 3)).shape
(3, 2)
"""

from mini_ad.random._continuous import exponential, laplace, logistic, normal, truncated_normal
from mini_ad.random._gamma import beta, dirichlet, gamma, loggamma
from mini_ad.random._keys import (
    PRNGKey,
    bits,
    fold_in,
    key,
    key_data,
    split,
    wrap_key_data,
)
from mini_ad.random._multivariate import multivariate_normal, orthogonal
from mini_ad.random._poisson import poisson
from mini_ad.random._samplers import bernoulli, categorical, cauchy, randint, uniform
from mini_ad.random._shuffle import choice, permutation

__all__ = [
    "PRNGKey", "bernoulli", "bits", "categorical", "cauchy", "choice", "fold_in", "key",
    "key_data", "permutation", "randint", "split", "uniform", "wrap_key_data", "exponential",
    "laplace", "logistic", "normal", "truncated_normal", "beta", "dirichlet", "gamma", "loggamma",
    "multivariate_normal", "orthogonal", "poisson",
]  # fmt: skip
