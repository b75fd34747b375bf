"""Row tables for the public modules beside ``mini_ad.numpy`` (``surface_rows_*.py``).

A table belongs to one module: ``Table("mini_ad.lax", lax, jax.lax, reference)`` and its
``same(name, *specs, **kw)`` builds a row from ``<mini module>.<name>``, ``<jax
module>.<name>`` and ``<reference>.<name>`` (NumPy or SciPy; ``None``: no reference),
with the keyword arguments ``kw`` bound; ``row(...)`` takes the three callables
explicitly. Every row is checked by ``surface_checks.check_row`` (value against the
reference and JAX, jvp against finite differences, vjp against JAX, vmap against a loop,
jit against eager). ``elsewhere(reason, *names)`` records names a dedicated test checks
instead (control flow, say), naming that test. ``test_module_surface.py`` fails on a
public name with neither.
"""

from __future__ import annotations

import functools

from numpy_surface_rows import Row


class Table:
    def __init__(self, module, mini, jax_module, reference):
        self.module = module
        self.mini, self.jax, self.reference = mini, jax_module, reference
        self.rows: list[Row] = []
        self.checked_elsewhere: dict[str, str] = {}

    def row(self, name, mini, jax_fn, ref_fn, *specs, variant="", **flags):
        self.rows.append(Row(name, mini, jax_fn, ref_fn, list(specs), variant=variant,
                             module=self.module, **flags))  # fmt: skip

    def same(self, name, *specs, variant="", diff=True, vmap=True, f32=True, canon=None,
             ref_name=None, jax=True, reference=True, fd=True, jax_diff=True, **kw):  # fmt: skip
        def bound(module, attr):
            fn = None if module is None else getattr(module, attr, None)
            return None if fn is None else functools.partial(fn, **kw)

        self.rows.append(Row(
            name, bound(self.mini, name), bound(self.jax, name) if jax else None,
            bound(self.reference, ref_name or name) if reference else None, list(specs),
            diff, fd, jax_diff, vmap, f32, canon,
            variant or ",".join(f"{k}={v}" for k, v in kw.items()), module=self.module,
        ))  # fmt: skip

    def elsewhere(self, reason, *names):
        """``names`` are checked against JAX by the test named in ``reason``."""
        for name in names:
            self.checked_elsewhere[name] = reason
