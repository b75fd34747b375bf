"""Write the support table of mini_ad's array libraries (``docs/support.md``).

    python docs/support_table.py > docs/support.md

For every public function of ``mini_ad.numpy`` and of every module the surface tables
cover (``.numpy.linalg``, ``.numpy.fft``, ``.lax``, ``.nn``, ``.scipy.*``) it finds example arguments (the first of a few standard argument
lists that the function accepts), stages it with ``make_jaxpr`` and reads the cards of
the primitives its jaxpr uses (all arguments traced, or else only the first): **jvp** (every card has a jvp rule), **vjp** (and every
card is transposable or nonlinear), **vmap** (every card has a batching rule), **jit**
(it stages at all: no concrete values needed; otherwise "concrete" — JAX's ``size=``
or static arguments apply). **JAX row** says whether a table row checks it against JAX
(``tests/numpy_surface_rows*.py``, ``tests/surface_rows_*.py``, ``tests/autodiff_cases*.py``). The last section
lists ``jax.numpy``'s names mini_ad.numpy still lacks. ``tests/test_support_table.py``
fails when the committed file differs from this script's output.
"""

from __future__ import annotations

import importlib
import pathlib
import sys
import types
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import mini_ad as ad  # noqa: E402


def modules() -> list:
    """``mini_ad.numpy`` and every module whose public names the surface tables cover
    (``tests/test_module_surface.py``'s ``COVERED_MODULES``)."""
    import test_module_surface

    return ["mini_ad.numpy", *test_module_surface.COVERED_MODULES]


_RNG = np.random.default_rng(0)
_SQUARE = _RNG.uniform(0.5, 1.5, (3, 3)) + 3 * np.eye(3)
CANDIDATES = [
    (_SQUARE,),
    (_SQUARE, _SQUARE),
    (_RNG.uniform(0.2, 0.8, 3),),
    (_RNG.uniform(0.2, 0.8, 3), _RNG.uniform(0.2, 0.8, 3)),
    (_SQUARE, 0.5),
    (_SQUARE, 1),
    (_SQUARE, _SQUARE, _SQUARE),
    (np.array([1, 0, 2]),),
]


def _examples() -> dict:
    """Example calls for functions no standard argument list fits (``size=`` variants
    stage where the plain call needs concrete values)."""
    import mini_ad.lax as lax
    import mini_ad.numpy as mnp

    x = (_SQUARE,)
    return {
        "mini_ad.numpy.einsum": (lambda a, b: mnp.einsum("ij,jk->ik", a, b), x * 2),
        "mini_ad.numpy.unique": (lambda a: mnp.unique(a, size=4), x),
        "mini_ad.numpy.nonzero": (lambda a: mnp.take(a[0], mnp.nonzero(a[0] > 1, size=4)[0]), x),
        "mini_ad.numpy.flatnonzero": (lambda a: mnp.take(a, mnp.flatnonzero(a > 1, size=4)), x),
        "mini_ad.numpy.argwhere": (lambda a: mnp.take(a[0], mnp.argwhere(a[0] > 1, size=4)), x),
        "mini_ad.numpy.where": (lambda a: mnp.where(a > 1, a, 0.0), x),
        "mini_ad.numpy.intersect1d": (lambda a, b: mnp.intersect1d(a, b, size=3), x * 2),
        "mini_ad.numpy.union1d": (lambda a, b: mnp.union1d(a, b, size=3), x * 2),
        "mini_ad.numpy.bincount": (lambda a: mnp.bincount(mnp.astype(a, int), length=5), x),
        "mini_ad.lax.cond": (lambda a: lax.cond(True, lambda v: v * 2, lambda v: -v, a), x),
        "mini_ad.lax.scan": (lambda a: lax.scan(lambda c, v: (c + v, c * v), a[0], a)[1], x),
        "mini_ad.lax.fori_loop": (lambda a: lax.fori_loop(0, 3, lambda i, v: v * a, a), x),
    }


def _primitives(jaxpr, found):
    for eqn in jaxpr.eqns:
        found[eqn.primitive.name] = eqn.primitive
        for value in eqn.params.values():
            for sub in value if isinstance(value, (tuple, list)) else (value,):
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    _primitives(inner, found)
    return found


def _example(fn):
    for args in CANDIDATES:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                fn(*args)
            return args
        except Exception:  # noqa: BLE001 - any failure: try the next argument list
            continue
    return None


def describe(fn, example=None) -> tuple:
    """``(jvp, vjp, vmap, jit)`` marks for one function."""
    if example is not None:
        fn, args = example
    else:
        args = _example(fn)
    if args is None:
        return ("?", "?", "?", "?")
    closed = None
    for traced in (fn, lambda x: fn(x, *args[1:])):  # all arguments traced, or the first
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                closed = ad.make_jaxpr(traced)(*(args if traced is fn else args[:1]))
            break
        except Exception:  # noqa: BLE001 - needs concrete values (data-dependent shapes)
            continue
    if closed is None:
        return ("?", "?", "?", "concrete")
    cards = _primitives(getattr(closed, "jaxpr", closed), {}).values()

    def mark(ok):
        return "yes" if ok else "no"

    jvp = all(p.jvp is not None for p in cards)
    vjp = jvp and all(p.transpose is not None or "transpose" in p.opt_outs for p in cards)
    vmap = all(p.batch is not None for p in cards)
    return (mark(jvp), mark(vjp), mark(vmap), "yes")


def jax_checked() -> set:
    """Qualified names (``mini_ad.lax.conv``) a surface-table row compares with JAX (or a
    dedicated JAX-checking test covers), and bare primitive names of the primitive table."""
    import numpy_surface_rows
    import numpy_surface_rows_arrays  # noqa: F401 - adds its rows
    import test_module_surface

    names = {f"mini_ad.numpy.{r.name}" for r in numpy_surface_rows.ROWS if r.jax is not None}
    names |= {f"{r.module}.{r.name}" for r in test_module_surface.ROWS if r.jax is not None}
    for t in test_module_surface.TABLES:
        names |= {f"{t.module}.{name}" for name in t.checked_elsewhere}
    for module in ["autodiff_cases_elementwise", "autodiff_cases_arrays",
                   "autodiff_cases_sorting_linalg", "autodiff_cases_control"]:  # fmt: skip
        try:
            rows = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a table that cannot load counts nothing
            continue
        for r in getattr(rows, "ROWS", []):
            names.add(r.primitive)
    import autodiff_rows

    names |= {r.primitive for r in autodiff_rows.ROWS}
    return names


def public_functions(module) -> list:
    return sorted(
        name for name in dir(module)
        if not name.startswith("_") and callable(getattr(module, name))
        and not isinstance(getattr(module, name), (type, types.ModuleType))
    )  # fmt: skip


def table() -> str:
    checked = jax_checked()
    examples = _examples()
    lines = [
        "# Support table",
        "",
        "Generated by `python docs/support_table.py > docs/support.md`; do not edit.",
        "jvp/vjp/vmap: every primitive card in the function's jaxpr has the rule; jit:",
        'it stages without concrete values ("concrete": it needs them, as JAX without',
        '`size=`); "?": no standard example argument fits. JAX row: a test-table row',
        "compares it with JAX.",
        "",
    ]
    for module_name in modules():
        module = importlib.import_module(module_name)
        lines += [f"## `{module_name}`", "", "| name | jvp | vjp | vmap | jit | JAX row |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for name in public_functions(module):
            marks = describe(getattr(module, name), examples.get(f"{module_name}.{name}"))
            primitive_row = module_name in ("mini_ad.numpy", "mini_ad.lax") and name in checked
            row = "yes" if f"{module_name}.{name}" in checked or primitive_row else "no"
            lines.append(f"| `{name}` | " + " | ".join(marks) + f" | {row} |")
        lines.append("")
    import jax.numpy as jnp

    import mini_ad.numpy as mnp

    missing = sorted(n for n in dir(jnp) if not n.startswith("_") and not hasattr(mnp, n))
    present = sum(1 for n in dir(jnp) if not n.startswith("_") and hasattr(mnp, n))
    lines += ["## `jax.numpy` names missing from `mini_ad.numpy`", "",
              f"{present} of `jax.numpy`'s public names are present; missing:", "",
              ", ".join(f"`{n}`" for n in missing), ""]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(table())
