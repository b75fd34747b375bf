"""Primitive table rows: the window reductions (``reduce_window_sum`` / ``_max`` /
``_min``) and the running reductions (``cumprod``, ``cummax``, ``cummin``,
``cumlogsumexp``).

Max/min rows draw distinct values, so no window or prefix has a tie and finite
differences apply; ties are checked against JAX by the ``Ties`` rows of
``tests/surface_rows_lax.py``.
JAX cannot reverse-differentiate ``reduce_window_max`` with a window dilation, so the
max/min rows use base dilation and padding but no window dilation.
"""

from __future__ import annotations

import numpy as np
from autodiff_cases_sorting_linalg import distinct
from autodiff_rows import lax, real, row

from mini_ad.primitives import cumulative as cu
from mini_ad.primitives import windowed as wi

# window (2, 3), strides (1, 2), padding ((1, 0), (0, 1)), base dilation (1, 2),
# window dilation (2, 1)
SUM = ((2, 3), (1, 2), ((1, 0), (0, 1)), (1, 2), (2, 1))
CHOOSE = ((2, 2), (1, 2), ((1, 0), (0, 1)), (2, 1), (1, 1))

row(
    "reduce_window_sum",
    lambda x: wi.reduce_window_sum(x, *SUM),
    lambda x: lax.reduce_window(x, 0.0, lax.add, *SUM),
    real(4, 5),
    linear=True,
)
row(
    "reduce_window_max",
    lambda x: wi.reduce_window_max(x, *CHOOSE),
    lambda x: lax.reduce_window(x, -np.inf, lax.max, *CHOOSE),
    distinct(4, 5),
)
row(
    "reduce_window_min",
    lambda x: wi.reduce_window_min(x, *CHOOSE),
    lambda x: lax.reduce_window(x, np.inf, lax.min, *CHOOSE),
    distinct(4, 5),
)
row(
    "cumprod",
    lambda x: cu.cumprod_p.bind(x, axis=1, reverse=True),
    lambda x: lax.cumprod(x, 1, reverse=True),
    real(3, 5),
)
row(
    "cummax",
    lambda x: cu.cummax_p.bind(x, axis=1, reverse=False),
    lambda x: lax.cummax(x, 1),
    distinct(3, 5),
)
row(
    "cummin",
    lambda x: cu.cummin_p.bind(x, axis=0, reverse=True),
    lambda x: lax.cummin(x, 0, reverse=True),
    distinct(5, 3),
)
row(
    "cumlogsumexp",
    lambda x: cu.cumlogsumexp_p.bind(x, axis=1, reverse=False),
    lambda x: lax.cumlogsumexp(x, 1),
    real(3, 5),
)
