"""``mini_ad.scipy``: the ``jax.scipy`` look-alike (``special``, ``linalg``, ``signal``
and ``stats``).

>>> import mini_ad.scipy as msp
>>> float(msp.special.erf(0.0))
0.0
"""

from mini_ad.scipy import linalg, signal, special, stats  # noqa: F401

__all__ = ["linalg", "signal", "special", "stats"]
