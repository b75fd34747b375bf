"""The registry of comparison cases, and the argument specs cases are declared with.

A case is a function ``fun(np, *args)`` plus its arguments. Arguments are pytrees whose
leaves are concrete values or ``A(...)`` specs, drawn reproducibly from a generator
seeded by the case's name.
"""

from __future__ import annotations

import importlib
import zlib

import numpy as np

from mini_ad import tree_util
from mini_ad.interop.compare import DEFAULT_TRANSFORMS

CATEGORIES = (
    "elementwise", "kinks", "broadcasting", "reductions", "linalg", "shape", "indexing", "nn",
    "special", "transforms", "higher_order", "control_flow", "seeds", "statistics", "signal",
    "optimize",
)  # fmt: skip
_MODULES = (
    "cases_elementwise", "cases_arrays", "cases_linalg", "cases_nn", "cases_transforms",
    "cases_control_flow", "cases_seeds", "cases_surface", "cases_decompositions", "cases_conv",
    "cases_lax",
    "cases_special_b", "cases_special_c",
    "cases_optimize",
    "cases_stats",
    "cases_random",
)  # fmt: skip


class A:
    """A random array argument: uniform in ``[lo, hi)`` with the given shape and dtype."""

    def __init__(self, *shape, lo=-1.0, hi=1.0, dtype="float64"):
        self.shape, self.lo, self.hi, self.dtype = shape, lo, hi, np.dtype(dtype)

    def draw(self, rng):
        if self.dtype.kind in "iu":
            return rng.integers(int(self.lo), int(self.hi), size=self.shape).astype(self.dtype)
        return rng.uniform(self.lo, self.hi, size=self.shape).astype(self.dtype)

    def __repr__(self):
        return f"A{self.shape}[{self.lo}, {self.hi}) {self.dtype.name}"


class Case:
    """One named program: ``fun(np, *args)`` with the transforms that apply to it."""

    def __init__(self, name, category, fun, args, transforms=DEFAULT_TRANSFORMS, order=2,
                 fd=True, rtol=None, atol=None, note=""):  # fmt: skip
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r} for case {name!r}")
        self.name = name
        self.category = category
        self.fun = fun
        self.args = tuple(args)
        self.transforms = tuple(transforms)
        self.order = order
        self.fd = fd  # True, False (kinks: finite differences cross the kink), or transform names
        self.rtol = rtol
        self.atol = atol
        self.note = note

    @property
    def full_name(self) -> str:
        return f"{self.category}/{self.name}"

    def make_args(self) -> tuple:
        rng = np.random.default_rng(zlib.crc32(self.full_name.encode()))
        return tree_util.tree_map(
            lambda leaf: leaf.draw(rng) if isinstance(leaf, A) else leaf, self.args
        )

    def __repr__(self):
        return f"Case({self.full_name})"


_CASES: dict[str, Case] = {}


def register(case_: Case) -> Case:
    if case_.full_name in _CASES:
        raise ValueError(f"duplicate comparison case {case_.full_name}")
    _CASES[case_.full_name] = case_
    return case_


def case(category, *args, name=None, **options):
    """Decorator: register ``fun(np, *args)`` as a case named after the function."""

    def decorate(fun):
        register(Case(name or fun.__name__, category, fun, args, **options))
        return fun

    return decorate


def all_cases() -> list[Case]:
    """Every registered case, in category order (importing the case modules once)."""
    for module in _MODULES:
        importlib.import_module(f"mini_ad.comparisons.{module}")
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(_CASES.values(), key=lambda c: order[c.category])
