"""``mini_ad.scipy``: the ``jax.scipy`` look-alike (``special``, ``linalg`` and ``signal``).

>>> import mini_ad.scipy as msp
>>> float(msp.special.erf(0.0))
0.0
"""

from mini_ad.scipy import linalg, signal, special  # noqa: F401

__all__ = ["linalg", "signal", "special"]
