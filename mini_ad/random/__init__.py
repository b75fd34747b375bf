"""``mini_ad.random``: ``jax.random``'s threefry2x32 generator, bit for bit.

Each function gives exactly the numbers ``jax.random`` gives (JAX 0.10, default
configuration: threefry2x32, ``jax_threefry_partitionable`` on, ``mode="low"``) for the
same key, shape and dtype, with JAX's x64 defaults (float64 and int64). They are written
with mini_ad primitives, so they work under ``jit``, ``vmap`` and ``grad``.

Keys are raw: ``key`` and ``PRNGKey`` both return a ``uint32`` array of shape ``(2,)``
(JAX's typed keys are not modelled; ``key_data`` and ``wrap_key_data`` are identities
that check their argument). A batch of keys, as from ``split(k, n)``, has shape
``(n, 2)``; ``vmap`` over it.

Continuous samplers go through XLA's ``log``, ``log1p``, ``erf`` and ``erf_inv``, which
``_xla_math`` reproduces rounding for rounding in float32 and float64 (XLA's versions
differ from NumPy's and the C library's in the last bits). float16 is supported by
``uniform``, ``bits``-based and integer samplers only.

Bit for bit (besides the samplers above): ``poisson`` (JAX's float32 Knuth and PTRS
loops with XLA's float32 ``log``, ``log1p`` and ``lgamma``; 10^5 draws, lam from 0 to
10^6, all equal), ``truncated_normal`` in float32 and float64, and ``orthogonal`` in
float64 (NumPy's LAPACK QR gave XLA's bits at every size tried, 1 to 33).

Not bit for bit (JAX's algorithm, keys and loop structure, but not always its last
bits): ``gamma`` and ``loggamma`` (XLA's ``rsqrt`` starts from the CPU's hardware
estimate, ``vrsqrt14``, which is not reproduced: ``c = rsqrt(a - 1/3)/3`` is 1 ulp off
for ~15% of float64 ``a`` values (~20% float32), and then about 2% of float64 samples
(3% float32) differ from JAX's, by at most ~15 ulps; no accept/reject flip was seen in
10^4 draws), and ``beta``, ``dirichlet`` (built on ``loggamma``; XLA's ``exp`` is its own
polynomial, not reproduced: ~9% of float64 beta samples and ~30% of dirichlet entries
differ, by at most ~30 ulps). None of the four is differentiable in its parameters
(JAX's ``random_gamma_grad`` is not implemented): differentiating raises.
``multivariate_normal``: its normal draws are JAX's, but ``mean + F z`` is summed in
another order than XLA's dot kernels (and NumPy's LAPACK may round ``F`` differently):
draws differ by at most about ``eps (|mean| + sqrt(diag cov) sum|z|)``; float32
``eigh``/``svd`` raise (NumPy runs them in float64, whose eigenvector signs can differ
from JAX's). ``orthogonal`` in float32: NumPy's QR runs in float64, entries differ by
up to 8 float32 eps.

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
