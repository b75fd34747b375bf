"""``mini_ad.scipy``: the ``jax.scipy`` look-alike (``special``, ``linalg``, ``signal``,
``optimize``, ``integrate`` and ``stats``).

>>> import mini_ad.scipy as msp
>>> float(msp.special.erf(0.0))
0.0
"""

from mini_ad.scipy import integrate, linalg, optimize, signal, special, stats  # noqa: F401

__all__ = ["integrate", "linalg", "optimize", "signal", "special", "stats"]
