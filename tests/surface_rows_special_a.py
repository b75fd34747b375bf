"""Surface rows for ``mini_ad.scipy.special`` (its first 20 names and the gamma, beta and
zeta family) and for ``mini_ad.lax``'s incomplete gamma/beta and zeta functions: value
against SciPy (float32 kept), value/jvp/vjp against JAX (x64), jvp against finite
differences, vmap against a loop, jit against eager (``surface_checks.check_row``).

Accuracy over wide domains is tested in ``test_scipy_special.py`` and
``test_scipy_special_gamma.py``; these rows check the wiring on moderate arguments.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from numpy_surface_rows import K, P, R, U, jax
from surface_table import Table

import mini_ad.lax
import mini_ad.scipy.special

S = (2, 3)


def between(lo, hi, *shape):
    return lambda rng: rng.uniform(lo, hi, size=shape)


special = Table("mini_ad.scipy.special", mini_ad.scipy.special, jax.scipy.special, scipy.special)
for name in ["erf", "erfc", "expit", "ndtr", "log_ndtr", "gammasgn"]:
    special.same(name, R(*S))
special.same("erfinv", U(*S))
for name in ["gammaln", "digamma", "gamma", "entr", "loggamma", "psi"]:
    special.same(name, P(*S))
special.same("factorial", P(*S), f32=False)  # SciPy returns float64 for float32 input
special.same("polygamma", K(2), P(*S), f32=False)  # SciPy: float64 for an int n
special.same("logit", between(0.1, 0.9, *S))
for name in ["xlogy", "xlog1py", "rel_entr", "kl_div", "gammainc", "gammaincc", "beta", "betaln",
             "poch"]:  # fmt: skip
    special.same(name, P(*S), P(3))
special.same("logsumexp", R(*S), axis=1)
special.same("softmax", R(*S), axis=1)
special.same("log_softmax", R(*S), axis=0)
special.same("betainc", K(np.array([0.7, 2.5, 9.0])), K(1.5), between(0.05, 0.95, *S))
special.same("multigammaln", between(2.0, 5.0, *S), K(3), f32=False)  # SciPy: float64
special.same("zeta", between(1.5, 6.0, *S), P(3))
special.same("comb", between(3.0, 6.0, *S), between(0.5, 2.5, 3))
special.same("comb", between(3.0, 6.0, *S), between(0.5, 2.5, 3), repetition=True)
special.same("bernoulli", K(8), jax=False)  # JAX's B_4 is off by 2e-6; SciPy's are exact
special.same("boxcox", P(*S), R(3))
special.same("boxcox1p", between(-0.5, 2.0, *S), R(3))
special.same("ndtri", between(0.01, 0.99, *S))
special.same("erfcx", R(*S))
special.same("erfcinv", between(0.1, 1.9, *S))

lax = Table("mini_ad.lax", mini_ad.lax, jax.lax, None)
lax.same("igamma", P(*S), P(*S))
lax.same("igammac", P(*S), P(*S))
lax.same("igamma_grad_a", P(*S), P(*S), diff=False)  # JAX: not differentiable either
lax.same("random_gamma_grad", P(*S), P(*S), diff=False)
lax.same("betainc", K(np.full(S, 2.5)), K(np.full(S, 0.7)), between(0.05, 0.95, *S))
lax.same("zeta", between(1.5, 6.0, *S), P(*S), diff=False)  # jax.lax.zeta has no rule

TABLES = [special, lax]
