"""The special functions of ``mini_ad.lax`` beyond ``_core``'s erf/lgamma/digamma family:
incomplete gamma and beta functions and the Hurwitz zeta function (``jax.lax``'s names).

>>> import numpy as np
>>> from mini_ad import lax
>>> print(lax.igamma(np.array([1.0]), np.array([1.0])))
[0.63212056]
"""

from __future__ import annotations

from mini_ad.primitives.special_gamma import (
    betainc,
    igamma,
    igamma_grad_a,
    igammac,
    random_gamma_grad,
    zeta,
)

__all__ = ["betainc", "igamma", "igamma_grad_a", "igammac", "random_gamma_grad", "zeta"]
