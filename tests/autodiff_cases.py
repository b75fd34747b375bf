"""The primitive table for the autodiff tests: one row per primitive (or variant).

A row names the primitive it exercises, a mini_ad function written with that
primitive (lax level, ``mini_ad.primitives``), the same function in ``jax.lax`` /
``jax.numpy``, and generators for its differentiable arguments; non-differentiable
operands (indices, predicates, static params) are closed over. ``linear`` rows are
linear in all their arguments jointly and also get the transpose dot-product test.

``INTEGER_OUTPUT`` rows are the primitives whose outputs are integers or bools: they
have no derivative to compare, only a float0 tangent.
"""

from __future__ import annotations

import autodiff_cases_arrays  # noqa: F401 - each module appends its rows
import autodiff_cases_bits  # noqa: F401
import autodiff_cases_callbacks  # noqa: F401
import autodiff_cases_complex  # noqa: F401
import autodiff_cases_control  # noqa: F401
import autodiff_cases_conv  # noqa: F401
import autodiff_cases_decompositions  # noqa: F401
import autodiff_cases_elementwise  # noqa: F401
import autodiff_cases_sorting_linalg  # noqa: F401
import autodiff_cases_special_b  # noqa: F401
import autodiff_cases_special_gamma  # noqa: F401
import autodiff_cases_windowed  # noqa: F401
from autodiff_rows import INTEGER_OUTPUT, ROWS, Row

__all__ = ["INTEGER_OUTPUT", "ROWS", "Row"]
