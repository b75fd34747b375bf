"""``mini_ad.lax``: the primitives as functions, and structured control flow.

A ``jax.lax`` look-alike. Unlike ``mini_ad.numpy`` these functions neither promote
dtypes nor broadcast: operands must already agree (or be rank 0). Each submodule
holds one family and lists its names in ``__all__``.

>>> import mini_ad.numpy as mnp
>>> from mini_ad import lax
>>> lax.fori_loop(0, 3, lambda i, x: x * 2.0, 1.0)
array(8.)
>>> lax.cond(True, lambda x: x + 1.0, lambda x: x - 1.0, 1.0)
array(2.)
"""

from __future__ import annotations

from mini_ad.lax import (
    _bessel,
    _bits,
    _building,
    _conv,
    _core,
    _gather,
    _reduce,
    _scans,
    _scatter,
    _slicing,
    _special,
    _windowed,
)
from mini_ad.lax._bessel import *  # noqa: F403 - the Bessel functions, in its __all__
from mini_ad.lax._bits import *  # noqa: F403
from mini_ad.lax._building import *  # noqa: F403
from mini_ad.lax._conv import *  # noqa: F403 - the convolutions, listed in its __all__
from mini_ad.lax._core import *  # noqa: F403 - the family's names, listed in its __all__
from mini_ad.lax._gather import *  # noqa: F403
from mini_ad.lax._reduce import *  # noqa: F403
from mini_ad.lax._scans import *  # noqa: F403
from mini_ad.lax._scatter import *  # noqa: F403
from mini_ad.lax._slicing import *  # noqa: F403
from mini_ad.lax._special import *  # noqa: F403 - the special functions of lax
from mini_ad.lax._windowed import *  # noqa: F403

__all__ = [
    *_core.__all__, *_bits.__all__, *_building.__all__, *_reduce.__all__, *_scans.__all__,
    *_slicing.__all__, *_windowed.__all__, *_gather.__all__, *_scatter.__all__,
    *_conv.__all__, *_special.__all__, *_bessel.__all__,
]  # fmt: skip
