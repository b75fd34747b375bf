"""Every public name of mini_ad's array modules beside ``mini_ad.numpy`` has a table row
(``surface_rows_*.py``, found by name), and every row passes ``surface_checks.check_row``:
value against NumPy/SciPy (dtype too, float32 preserved), value/jvp/vjp against JAX (x64),
jvp against central finite differences (and the jvp of the jvp against central differences
of the jvp: order 2, where twice differentiable), vmap against a Python loop, jit against eager.
A name may instead be recorded as checked by a dedicated test (``Table.elsewhere``).
"""

from __future__ import annotations

import importlib
import pathlib
import types

import pytest
from surface_checks import check_row

HERE = pathlib.Path(__file__).parent
TABLE_MODULES = [importlib.import_module(p.stem) for p in sorted(HERE.glob("surface_rows_*.py"))]
TABLES = [t for m in TABLE_MODULES for t in m.TABLES]
ROWS = [r for t in TABLES for r in t.rows]

STATS_MODULES = [n for n in importlib.import_module("mini_ad.scipy.stats").__all__
                 if isinstance(getattr(importlib.import_module("mini_ad.scipy.stats"), n),
                               types.ModuleType)]  # fmt: skip

# the modules whose every public name needs a row
COVERED_MODULES = [
    "mini_ad.numpy.linalg", "mini_ad.numpy.fft", "mini_ad.lax", "mini_ad.nn",
    "mini_ad.scipy.special", "mini_ad.scipy.linalg", "mini_ad.scipy.signal",
    "mini_ad.scipy.optimize", "mini_ad.scipy.integrate", "mini_ad.nn.initializers",
    "mini_ad.scipy.stats", *(f"mini_ad.scipy.stats.{name}" for name in STATS_MODULES),
]  # fmt: skip


def public_names(module_name) -> list:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return sorted(n for n in names if not isinstance(getattr(module, n), types.ModuleType))


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.module}.{r.id}" for r in ROWS])
def test_row(row):
    check_row(row)


@pytest.mark.parametrize("module", COVERED_MODULES)
def test_every_public_name_has_a_row(module):
    covered = {r.name for r in ROWS if r.module == module}
    for table in TABLES:
        if table.module == module:
            covered |= set(table.checked_elsewhere)
    missing = sorted(set(public_names(module)) - covered)
    assert not missing, f"public names of {module} without a table row: {missing}"
