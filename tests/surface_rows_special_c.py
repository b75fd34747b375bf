"""Table rows for ``hyp1f1``, ``hyp2f1``, ``wofz`` and ``sph_harm_y`` of ``mini_ad.scipy.special`` (``_special_hyp.py``),
checked by ``test_module_surface.py`` against SciPy (values, float32 kept) and JAX x64
(values, jvp, vjp). The rows keep to JAX's accurate domains (``hyp1f1``: ``x`` not far
below 0; ``hyp2f1``: ``|x| < 0.9``); ``test_scipy_special_hyp.py`` checks the rest against mpmath.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from numpy_surface_rows import K, P, R, jax
from surface_table import Table

import mini_ad.scipy.special

S = (2, 3)


def Unit(*shape):  # noqa: N802 - JAX's hyp2f1 is accurate for |x| < 0.9
    return lambda rng: rng.uniform(-0.8, 0.8, size=shape)


def Angle(*shape, top):  # noqa: N802
    return lambda rng: rng.uniform(0.1, top, size=shape)


def Complex(*shape):  # noqa: N802 - a spec, like R and P
    return lambda rng: rng.normal(size=shape) + 1j * rng.normal(size=shape)


special = Table("mini_ad.scipy.special", mini_ad.scipy.special, jax.scipy.special, scipy.special)
special.same("hyp1f1", P(*S), P(*S), R(*S))
special.same("hyp1f1", P(3), P(1), P(2, 3), variant="broadcast")
special.same("hyp2f1", P(*S), P(*S), P(*S), Unit(*S))
# degrees 0..4 with every kind of order (negative, zero, |m| = n); angles off the poles
_N, _M = np.array([0, 1, 2, 3, 4, 4]), np.array([0, -1, 2, -2, 3, -4])
special.same("sph_harm_y", K(_N), K(_M), Angle(6, top=3.0), Angle(6, top=6.2))


def _scipy_wofz(z):
    """SciPy's wofz in JAX's dtype: complex64 for float32 and complex64 (SciPy: complex128)."""
    return scipy.special.wofz(z).astype(np.result_type(z, np.complex64))


for _spec, _variant in [(R(*S), ""), (Complex(*S), "complex")]:
    special.row("wofz", mini_ad.scipy.special.wofz, jax.scipy.special.wofz, _scipy_wofz, _spec,
                variant=_variant)  # fmt: skip

TABLES = [special]
