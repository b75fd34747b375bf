"""The Bessel functions (``_special_bessel.py``) and the exponential and trigonometric
integrals with Owen's T (``_special_expint.py``), ``hyp1f1``, ``hyp2f1`` and ``wofz``
(``_special_hyp.py``) and ``sph_harm_y`` (``_special_sph.py``) of ``mini_ad.scipy.special``, gathered
so that ``special.py`` imports them in one line."""

from __future__ import annotations

from mini_ad.scipy import _special_bessel, _special_expint, _special_hyp, _special_sph
from mini_ad.scipy._special_bessel import *  # noqa: F403 - its names, listed in its __all__
from mini_ad.scipy._special_expint import *  # noqa: F403 - likewise
from mini_ad.scipy._special_hyp import *  # noqa: F403 - likewise
from mini_ad.scipy._special_sph import *  # noqa: F403 - likewise

__all__ = [
    *_special_bessel.__all__,
    *_special_expint.__all__,
    *_special_hyp.__all__,
    *_special_sph.__all__,
]
