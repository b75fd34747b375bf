"""Every registered primitive's derivative rules, row by row (rows: ``autodiff_cases``).

Each differentiable row is checked against central finite differences (``check_grads``
to order 2, forward and reverse), by the exact ``vjp``/``jvp`` dot-product test, by the
transpose dot-product test when it is linear, and against JAX's grad, jvp, vjp, jacfwd,
jacrev and hessian. A primitive in the registry without a row fails the coverage test.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from autodiff_cases import INTEGER_OUTPUT, ROWS  # noqa: E402
from autodiff_checks import (  # noqa: E402
    assert_like_jax,
    check_linear_transpose,
    check_transforms_against_jax,
    check_vjp_against_jvp,
    random_like,
)

import mini_ad as ad  # noqa: E402
from mini_ad.core.avals import float0  # noqa: E402
from mini_ad.core.typecheck import typecheck_jaxpr  # noqa: E402
from mini_ad.testing import check_grads  # noqa: E402

# The library's own primitives, listed in a fresh interpreter: tests and doctests register
# throwaway primitives in this one (``no_taylor_rule_example``, ``twice_example``), which
# would otherwise make the coverage test depend on the order tests ran in.
_LIST_PRIMITIVES = """
import importlib, pkgutil
import mini_ad
from mini_ad.core.primitive import registry
for info in pkgutil.walk_packages(mini_ad.__path__, "mini_ad."):
    if info.name != "mini_ad.demo":
        try:
            importlib.import_module(info.name)
        except ImportError:  # an optional dependency the module needs is missing
            pass
print(" ".join(sorted(registry)))
"""


def test_every_registered_primitive_has_a_row():
    out = subprocess.run([sys.executable, "-c", _LIST_PRIMITIVES], capture_output=True, text=True)
    assert out.returncode == 0, f"importing mini_ad's modules failed:\n{out.stderr}"
    library = set(out.stdout.split())
    assert len(library) > 80
    covered = {r.primitive for r in ROWS} | {r.primitive for r in INTEGER_OUTPUT}
    missing = sorted(library - covered)
    assert not missing, f"primitives without a row in tests/autodiff_cases.py: {missing}"


def test_integer_output_rows_really_have_integer_outputs():
    """The rows exempt from differentiation are exactly the non-float-valued primitives."""
    for r in INTEGER_OUTPUT:
        out = r.mini(*r.args())
        assert not np.issubdtype(np.asarray(out).dtype, np.inexact), r.id
    for r in ROWS:
        assert np.issubdtype(np.asarray(r.mini(*r.args())).dtype, np.inexact), r.id


@pytest.mark.parametrize("row", ROWS + INTEGER_OUTPUT, ids=lambda r: r.id)
def test_row_binds_its_primitive(row):
    fn = row.mini
    if row.staged_in_linearize:  # look in the linear program instead
        fn = lambda *a: ad.linearize(row.mini, *a)[1](*a)
    closed = ad.make_jaxpr(fn)(*row.args())
    typecheck_jaxpr(closed.jaxpr)
    assert row.primitive in {e.primitive.name for e in closed.eqns}


@pytest.mark.parametrize("row", [r for r in ROWS if r.finite_differences], ids=lambda r: r.id)
def test_finite_differences(row):
    check_grads(row.mini, row.args(), order=row.max_order, modes=row.modes)


@pytest.mark.parametrize("row", [r for r in ROWS if len(r.modes) == 2], ids=lambda r: r.id)
def test_vjp_is_the_transpose_of_jvp(row):
    check_vjp_against_jvp(row.mini, row.args())


@pytest.mark.parametrize("row", [r for r in ROWS if r.linear], ids=lambda r: r.id)
def test_linear_transpose(row):
    check_linear_transpose(row.mini, row.args())


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_against_jax(row):
    check_transforms_against_jax(
        row.mini, row.jax, row.args(), row.modes, row.jax_modes, hessian=row.max_order >= 2
    )


@pytest.mark.parametrize("row", [r for r in ROWS if r.staged_reverse], ids=lambda r: r.id)
def test_staged_backward_pass_typechecks(row):
    args = row.args()
    weights = np.ones(np.shape(row.mini(*args)))
    scalar = lambda *a: ad.numpy.sum(row.mini(*a) * weights)
    closed = ad.make_jaxpr(ad.grad(scalar, tuple(range(len(args)))))(*args)
    typecheck_jaxpr(closed.jaxpr)
    for got, want in zip(
        closed(*args), ad.grad(scalar, tuple(range(len(args))))(*args), strict=True
    ):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("row", INTEGER_OUTPUT, ids=lambda r: r.id)
def test_integer_outputs_have_float0_tangents(row):
    args = row.args()
    tangents = random_like(np.random.default_rng(0), args)
    out, t_out = ad.jvp(row.mini, args, tangents)
    j_out, j_t_out = jax.jit(lambda a, t: jax.jvp(row.jax, a, t))(args, tangents)
    assert_like_jax(out, j_out, "value")
    assert np.asarray(t_out).dtype == float0 and np.shape(t_out) == np.shape(out)
    assert_like_jax(t_out, j_t_out, "tangent")
    # reverse mode: a float0 cotangent, zero cotangents for the float inputs
    _, vjp_fn = ad.vjp(row.mini, *args)
    cts = vjp_fn(np.zeros(np.shape(out), float0))
    for x, ct in zip(args, cts, strict=True):
        expected = np.zeros(x.shape, x.dtype if np.issubdtype(x.dtype, np.inexact) else float0)
        assert np.asarray(ct).dtype == expected.dtype and np.shape(ct) == x.shape


@pytest.mark.parametrize("row", [r for r in ROWS if not r.staged_reverse], ids=lambda r: r.id)
def test_staged_backward_pass_needs_concrete_values(row):
    """The documented limit: reverse mode of while_loop counts its trips at linearize time."""
    scalar = lambda *a: ad.numpy.sum(row.mini(*a))
    with pytest.raises(Exception, match="Reverse-mode differentiation does not work"):
        ad.make_jaxpr(ad.grad(scalar))(*row.args())
