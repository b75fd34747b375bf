"""The Bessel functions (``_special_bessel.py``) and the exponential and trigonometric
integrals with Owen's T (``_special_expint.py``) of ``mini_ad.scipy.special``, gathered
so that ``special.py`` imports them in one line."""

from __future__ import annotations

from mini_ad.scipy import _special_bessel, _special_expint
from mini_ad.scipy._special_bessel import *  # noqa: F403 - its names, listed in its __all__
from mini_ad.scipy._special_expint import *  # noqa: F403 - likewise

__all__ = [*_special_bessel.__all__, *_special_expint.__all__]
