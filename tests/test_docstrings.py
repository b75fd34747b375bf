"""Every public function of mini_ad has a docstring with an example and its parameters.

One row per public name of each public module: a function's docstring must be non-empty,
hold a doctest example (``>>>``) and name every parameter of its signature (``self``,
``*args`` and ``**kwargs`` excepted); a class (NamedTuples and exceptions included) needs
a non-empty docstring of its own only (not a base class's, nor the ``Name(a, b)`` that
``NamedTuple`` generates). Names not defined in mini_ad (NumPy dtypes such as
``float32``, ``typing.NamedTuple``) are exempt. Modules that do not exist yet (planned
ones such as ``mini_ad.numpy.fft``) are skipped.
"""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

PUBLIC_MODULES = [
    "mini_ad",
    "mini_ad.numpy",
    "mini_ad.numpy.linalg",
    "mini_ad.numpy.fft",
    "mini_ad.lax",
    "mini_ad.nn",
    "mini_ad.nn.initializers",
    "mini_ad.scipy.special",
    "mini_ad.scipy.linalg",
    "mini_ad.scipy.signal",
    "mini_ad.scipy.optimize",
    "mini_ad.scipy.integrate",
    "mini_ad.scipy.stats",
    *(
        f"mini_ad.scipy.stats.{name}"
        for name in [
            "bernoulli",
            "beta",
            "betabinom",
            "binom",
            "cauchy",
            "chi2",
            "dirichlet",
            "expon",
            "gamma",
            "gennorm",
            "geom",
            "gumbel_l",
            "gumbel_r",
            "laplace",
            "logistic",
            "multinomial",
            "multivariate_normal",
            "nbinom",
            "norm",
            "pareto",
            "poisson",
            "t",
            "truncnorm",
            "uniform",
            "vonmises",
            "wrapcauchy",
        ]
    ),  # fmt: skip
    "mini_ad.random",
    "mini_ad.tree",
    "mini_ad.tree_util",
    "mini_ad.optim",
    "mini_ad.testing",
    "mini_ad.viz",
    "mini_ad.interop",
]

# the parameters a docstring need not name
UNNAMED_PARAMETERS = {"self", "cls"}


def _import(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name is not None and name.startswith(e.name):  # the module itself is missing
            return None
        raise


def _public_names(module) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return list(names)


def _defined_in_mini_ad(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").startswith("mini_ad")


def _rows() -> list:
    rows = []
    for module_name in PUBLIC_MODULES:
        module = _import(module_name)
        if module is None:
            continue
        for name in _public_names(module):
            obj = getattr(module, name, None)
            if obj is None or inspect.ismodule(obj) or not callable(obj):
                continue
            if not _defined_in_mini_ad(obj):
                continue
            rows.append(pytest.param(obj, id=f"{module_name}.{name}"))
    return rows


def _named_parameters(obj) -> list[str]:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in UNNAMED_PARAMETERS
    ]


def _is_generated(obj) -> bool:
    """Whether a class's docstring is the one ``NamedTuple`` writes (``Name(a, b)``)."""
    generated = rf"{re.escape(obj.__name__)}\([\w, ]*\)"  # also "P(a,)" for one field
    return hasattr(obj, "_fields") and re.fullmatch(generated, obj.__doc__ or "") is not None


def docstring_problems(obj) -> list[str]:
    """What is missing from ``obj``'s docstring (empty when nothing is)."""
    if isinstance(obj, type):  # its own docstring: classes inherit their bases' in getdoc
        own = obj.__dict__.get("__doc__") or ""
        return ["no docstring"] if not own.strip() or _is_generated(obj) else []
    doc = inspect.getdoc(obj) or ""
    if not doc.strip():
        return ["no docstring"]
    problems = []
    if ">>>" not in doc:
        problems.append("no example (>>>)")
    missing = [p for p in _named_parameters(obj) if not re.search(rf"\b{re.escape(p)}\b", doc)]
    if missing:
        problems.append(f"parameters not named: {missing}")
    return problems


@pytest.mark.parametrize("obj", _rows())
def test_public_docstring(obj):
    problems = docstring_problems(obj)
    assert not problems, f"{obj.__module__}.{obj.__qualname__}: {'; '.join(problems)}"


def test_the_table_is_not_empty():
    assert len(_rows()) > 300
