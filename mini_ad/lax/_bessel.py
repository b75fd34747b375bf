"""The Bessel functions of ``mini_ad.lax``: ``bessel_i0e`` and ``bessel_i1e``.

>>> from mini_ad import lax
>>> print(round(float(lax.bessel_i0e(0.0)), 6))
1.0
"""

from __future__ import annotations

from mini_ad.primitives.bessel import bessel_i0e, bessel_i1e

__all__ = ["bessel_i0e", "bessel_i1e"]
