"""Table rows for the Bessel functions and exponential integrals of
``mini_ad.scipy.special`` (``_special_bessel.py``, ``_special_expint.py``), checked by
``test_module_surface.py`` against SciPy (values, float32 kept) and JAX x64 (values,
jvp, vjp). ``jn``, ``yn``, ``iv``, ``ive``, ``j0``, ``j1``, ``y0`` and ``y1`` are not in
``jax.scipy.special`` (HIPS autograd has them): their rows compare with SciPy and finite
differences only; ``test_scipy_special_bessel.py`` checks their derivatives against
autograd's. An integer order is a float32 constant so that SciPy keeps float32 too.
"""

from __future__ import annotations

import numpy as np
import scipy.special
from numpy_surface_rows import K, P, R, jax
from surface_table import Table

import mini_ad.lax
import mini_ad.scipy.special

S = (2, 3)


def Below1(*shape):  # noqa: N802 - JAX's spence derivative is nan on (1, 2]
    return lambda rng: rng.uniform(0.1, 0.95, size=shape)


special = Table("mini_ad.scipy.special", mini_ad.scipy.special, jax.scipy.special, scipy.special)

for _name in ["i0", "i0e", "i1", "i1e", "dawsn", "sici", "fresnel", "expi"]:
    special.same(_name, R(*S))
for _name in ["exp1"]:
    special.same(_name, P(*S))
special.same("spence", Below1(*S))
special.same("owens_t", R(*S), R(3))
special.same("expn", K(np.float32(3.0)), P(*S))
special.same("bessel_jn", P(*S), v=3, reference=False)

# not in jax.scipy.special: SciPy and finite differences
for _name in ["j0", "j1", "y0", "y1"]:
    special.same(_name, P(*S), jax=False)
special.same("jn", K(np.float32(3.0)), R(*S), jax=False)
special.same("yn", K(np.float32(2.0)), P(*S), jax=False)
special.same("iv", K(np.float32(1.5)), P(*S), jax=False)
special.same("iv", K(np.float32(-2.0)), R(*S), jax=False, variant="integer")
special.same("ive", K(np.float32(0.5)), P(*S), jax=False)

# mini_ad.lax's Bessel functions (reference: SciPy's i0e, i1e)
lax = Table("mini_ad.lax", mini_ad.lax, jax.lax, scipy.special)
lax.same("bessel_i0e", R(*S), ref_name="i0e")
lax.same("bessel_i1e", R(*S), ref_name="i1e")

TABLES = [special, lax]
