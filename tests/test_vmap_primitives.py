"""Every primitive batched by ``vmap`` equals a Python loop over the examples.

One row per primitive (or variant): a lax-level function binding the primitive with
all its operands as arguments, and a generator per operand. Each row runs with each
operand batched alone and with all of them batched, at batch axis 0 and at the last
axis (``check_batched_like_loop``). A last test enumerates the primitive registry and
fails for any primitive without a batch rule (control flow excepted, see below).
"""

from __future__ import annotations

import sys
import zlib
from dataclasses import dataclass

import numpy as np
import pytest
from autodiff_cases import INTEGER_OUTPUT
from autodiff_cases import ROWS as AUTODIFF_ROWS
from batching_checks import check_batched_like_loop
from domains import away0, boolean, gt1, pos, real, unit

import mini_ad  # noqa: F401 - registers every primitive
from mini_ad.core.primitive import Primitive, registry
from mini_ad.primitives import decompositions as dec
from mini_ad.primitives import determinants as dets
from mini_ad.primitives import elementwise as ew
from mini_ad.primitives import indexing as ix
from mini_ad.primitives import linalg as la
from mini_ad.primitives import linalg_ops as lo
from mini_ad.primitives import reductions as rd
from mini_ad.primitives import sorting as so
from mini_ad.primitives import special as sp
from mini_ad.primitives import structural as st

AXIS_SIZE = 3

# --- operand generators -------------------------------------------------------------------------


def ints(low, high, *shape):
    return lambda rng: rng.integers(low, high, size=shape)


def perm(n):
    """Distinct indices (a scatter with repeats would depend on the write order)."""
    return lambda rng: rng.permutation(n)


@dataclass
class Row:
    primitive: str
    fun: object
    operands: list
    variant: str = ""

    @property
    def id(self) -> str:
        return f"{self.primitive}-{self.variant}" if self.variant else self.primitive

    def examples(self) -> list:
        rng = np.random.default_rng(zlib.crc32(self.id.encode()))
        return [[make(rng) for make in self.operands] for _ in range(AXIS_SIZE)]


def unary(p, make=real, **params):
    return Row(p.name, lambda x: p.bind(x, **params), [make(2, 3)])


def binary(p, make=real, make_y=None):
    return Row(p.name, lambda x, y: p.bind(x, y), [make(2, 3), (make_y or make)(2, 3)])


ROWS = [
    unary(p)
    for p in (ew.sin_p, ew.cos_p, ew.tan_p, ew.atan_p, ew.sinh_p, ew.cosh_p, ew.tanh_p,
              ew.asinh_p, ew.exp_p, ew.exp2_p, ew.expm1_p, ew.cbrt_p, ew.logistic_p,
              ew.square_p, ew.abs_p, ew.sign_p, ew.floor_p, ew.ceil_p, ew.neg_p,
              ew.stop_gradient_p, ew.is_finite_p)
]  # fmt: skip
ROWS += [unary(p, unit) for p in (ew.asin_p, ew.acos_p, ew.atanh_p)]
ROWS += [unary(p, pos) for p in (ew.log_p, ew.log1p_p, ew.sqrt_p, ew.rsqrt_p)]
ROWS += [
    unary(ew.acosh_p, gt1),
    unary(ew.round_p, rounding_method=0),
    Row("round", lambda x: ew.round(x, 1), [real(4)], "to-even"),
    Row("not", ew.bitwise_not, [boolean(2, 3)], "bool"),
    Row("not", ew.bitwise_not, [ints(-5, 5, 2, 3)], "int"),
    Row("integer_pow", lambda x: ew.integer_pow(x, 3), [real(2, 3)]),
    Row("integer_pow", lambda x: ew.integer_pow(x, -2), [away0(4)], "negative"),
    Row("convert_element_type", lambda x: ew.convert_element_type(x, np.int32), [real(2, 3)]),
    Row("convert_element_type", lambda x: ew.convert_element_type(x, np.float32), [real(3)], "f32"),
]
ROWS += [unary(sp.erf_p), unary(sp.erfc_p), unary(sp.erf_inv_p, unit)]
ROWS += [unary(sp.lgamma_p, pos), unary(sp.digamma_p, pos)]
ROWS += [binary(sp.polygamma_p, lambda *shape: lambda rng: rng.integers(0, 4, shape) * 1.0, pos)]
ROWS += [binary(p) for p in (ew.add_p, ew.add_any_p, ew.sub_p, ew.mul_p, ew.max_p, ew.min_p)]
ROWS += [binary(p) for p in (ew.atan2_p, ew.eq_p, ew.ne_p, ew.lt_p, ew.le_p, ew.gt_p, ew.ge_p)]
ROWS += [binary(p, boolean) for p in (ew.and_p, ew.or_p, ew.xor_p)]
ROWS += [
    binary(ew.div_p, real, away0),
    binary(ew.pow_p, pos, real),
    binary(ew.rem_p, real, away0),
    Row("and", ew.bitwise_and, [ints(-8, 8, 4), ints(-8, 8, 4)], "int"),
    Row("mul", ew.mul, [real(2, 3), real()], "scalar-y"),
    Row("add", ew.add, [real(), real(2, 3)], "scalar-x"),
    Row("sub", ew.sub, [real(), real()], "scalars"),
    Row("select_n", lambda p, a, b: ew.select_n(p, a, b), [boolean(2, 3), real(2, 3), real(2, 3)]),
    Row("select_n", lambda p, a, b: ew.select_n(p, a, b), [boolean(), real(4), real(4)], "scalar-pred"),
    Row("select_n", lambda p, a, b: ew.select_n(p, a, b), [boolean(), real(), real()], "scalars"),
    Row(
        "select_n",
        lambda i, a, b, c: ew.select_n(i, a, b, c),
        [ints(0, 3, 4), real(4), real(4), real(4)],
        "int-which",
    ),
    # structural
    Row("broadcast_in_dim", lambda x: st.broadcast_in_dim(x, (2, 3), (1,)), [real(3)]),
    Row("broadcast_in_dim", lambda x: st.broadcast_in_dim(x, (3, 4, 2), (0, 1)), [real(3, 1)], "grow"),
    Row("broadcast_in_dim", lambda x: st.broadcast_in_dim(x, (2, 3), ()), [real()], "scalar"),
    Row("reshape", lambda x: st.reshape(x, (2, 6)), [real(3, 4)]),
    Row("reshape", lambda x: st.reshape(x, ()), [real(1, 1)], "to-scalar"),
    Row("transpose", lambda x: st.transpose(x, (2, 0, 1)), [real(2, 3, 4)]),
    Row("squeeze", lambda x: st.squeeze(x, (1, 3)), [real(3, 1, 4, 1)]),
    Row("concatenate", lambda a, b, c: st.concatenate([a, b, c], 0), [real(2, 3), real(1, 3), real(4, 3)]),
    Row("concatenate", lambda a, b: st.concatenate([a, b], 1), [real(2, 3), real(2, 1)], "dim1"),
    Row("pad", lambda x, v: st.pad(x, v, ((1, 2, 0), (0, 1, 1))), [real(3, 4), real()]),
    Row("pad", lambda x, v: st.pad(x, v, ((0, 0, 2),)), [real(3), real()], "interior"),
    Row("slice", lambda x: st.slice(x, (1, 0), (4, 6)), [real(5, 6)]),
    Row("slice", lambda x: st.slice(x, (1, 0), (5, 6), (2, 3)), [real(5, 6)], "strided"),
    Row("rev", lambda x: st.rev(x, (0, 2)), [real(2, 3, 4)]),
    Row("iota", lambda x: ew.add(x, st.iota(np.float64, (3, 4), 1)), [real(3, 4)]),
    Row("dynamic_slice", lambda x, i, j: st.dynamic_slice(x, (i, j), (2, 3)), [real(5, 6), ints(-2, 7), ints(-2, 7)]),
    Row("dynamic_slice", lambda x, i: st.dynamic_slice(x, (i,), (0,)), [real(4), ints(0, 4)], "empty"),
    Row(
        "dynamic_update_slice",
        lambda x, u, i, j: st.dynamic_update_slice(x, u, (i, j)),
        [real(5, 6), real(2, 3), ints(-2, 7), ints(-2, 7)],
    ),
    # gather / scatter: adjacent index axes first or inside, and non-adjacent ones
    Row("gather", lambda x, i: ix.gather(x, [i], (0,)), [real(5, 3), ints(-5, 7, 2, 2)], "axis0"),
    Row("gather", lambda x, i: ix.gather(x, [i], (1,)), [real(2, 5, 3), ints(-5, 7, 4)], "axis1"),
    Row("gather", lambda x, i, j: ix.gather(x, [i, j], (1, 2)), [real(2, 4, 5, 3), ints(0, 4, 2, 1), ints(0, 5, 3)], "adjacent"),
    Row("gather", lambda x, i, j: ix.gather(x, [i, j], (0, 2)), [real(4, 2, 5), ints(0, 4, 3), ints(0, 5)], "apart"),
    Row("scatter-add", lambda x, u, i: ix.scatter_add(x, u, [i], (1,)), [real(2, 5), real(2, 4), ints(-5, 5, 4)]),
    Row("scatter-add", lambda x, u, i, j: ix.scatter_add(x, u, [i, j], (0, 2)), [real(4, 2, 5), real(3, 2), ints(0, 4, 3), ints(0, 5, 3)], "apart"),
    Row("scatter", lambda x, u, i: ix.scatter(x, u, [i], (0,)), [real(5, 2), real(3, 2), perm(3)]),
    Row("scatter", lambda x, u, i: ix.scatter(x, u, [i], (1,)), [real(2, 4, 3), real(2, 4, 3), perm(4)], "axis1"),
    Row("scatter", lambda x, u, i, j: ix.scatter(x, u, [i, j], (0, 2)), [real(3, 2, 3), real(3, 2), perm(3), perm(3)], "apart"),
    # reductions
    Row("reduce_sum", lambda x: rd.reduce_sum(x, (0, 2)), [real(3, 4, 5)]),
    Row("reduce_sum", lambda x: rd.reduce_sum(x, ()), [real(3)], "no-axes"),
    Row("reduce_max", lambda x: rd.reduce_max(x, (1,)), [real(3, 4, 5)]),
    Row("reduce_min", lambda x: rd.reduce_min(x, (0, 1)), [real(3, 4)]),
    Row("reduce_prod", lambda x: rd.reduce_prod(x, (2,)), [real(2, 3, 4)]),
    Row("argmax", lambda x: rd.argmax(x, 1), [real(3, 4)]),
    Row("argmin", lambda x: rd.argmin(x, 0, np.int32), [real(3, 4)]),
    Row("cumsum", lambda x: rd.cumsum(x, 1), [real(3, 4)]),
    Row("cumsum", lambda x: rd.cumsum(x, 0, reverse=True), [real(3, 4)], "reverse"),
    # contractions
    Row("dot_general", lambda x, y: la.dot_general(x, y, (((1,), (0,)), ((), ()))), [real(3, 4), real(4, 5)]),
    Row("dot_general", lambda x, y: la.dot_general(x, y, (((0,), (0,)), ((), ()))), [real(4), real(4)], "vdot"),
    Row(
        "dot_general",
        lambda x, y: la.dot_general(x, y, (((2,), (1,)), ((0,), (0,)))),
        [real(2, 3, 4), real(2, 4, 5)],
        "batch-dims",
    ),
    Row(
        "dot_general",
        lambda x, y: la.dot_general(x, y, (((0,), (2,)), ((2,), (0,)))),
        [real(4, 3, 2), real(2, 5, 4)],
        "mixed-dims",
    ),
]  # fmt: skip


def wellcond(*shape):
    return lambda rng: 2.0 * np.eye(shape[-1]) + 0.3 * rng.normal(size=shape)


# sorting and dense linear algebra (mini_ad/primitives/sorting.py, linalg_ops.py)
ROWS += [
    Row("sort", lambda x: so.sort([x], 1)[0], [real(3, 4)]),
    Row("sort", lambda k, v: so.sort([k, v], 0), [ints(0, 3, 5, 2), real(5, 2)], "two-operands"),
    Row("solve", lo.solve, [wellcond(3, 3), real(3, 2)]),
    Row("solve", lo.solve, [wellcond(2, 3, 3), real(2, 3, 1)], "stacked"),
    Row("det", dets.det, [wellcond(3, 3)]),
    Row("slogdet", dets.slogdet, [wellcond(2, 3, 3)]),
    Row("triangular_solve", lambda a, b: lo.triangular_solve(a, b, left_side=True, lower=True), [wellcond(3, 3), real(3, 2)]),
    Row("triangular_solve", lambda a, b: lo.triangular_solve(a, b, transpose_a=True, unit_diagonal=True), [wellcond(3, 3), real(2, 3)], "right"),
    Row("cholesky", lambda a: dec.cholesky(la.dot_general(a, a, (((1,), (1,)), ((), ())))), [wellcond(3, 3)]),
    Row("eigh", lambda a: dec.eigh(a)[1], [wellcond(3, 3)]),
]  # fmt: skip

# A primitive with a row in the autodiff table (tests/autodiff_cases_*.py) and none here
# is batched on that row's function and operands: adding a primitive takes one row.
_LISTED = {row.primitive for row in ROWS}
ROWS += [
    Row(r.primitive, r.mini, list(r.arg_specs), r.variant or "autodiff-row")
    for r in AUTODIFF_ROWS + INTEGER_OUTPUT
    if r.primitive not in _LISTED
]


def _variants():
    for row in ROWS:
        n = len(row.operands)
        subsets = [(i,) for i in range(n)] + ([tuple(range(n))] if n > 1 else [])
        for subset in subsets:
            for where in ("first", "last"):
                yield pytest.param(row, subset, where, id=f"{row.id}-{subset}-{where}")


@pytest.mark.parametrize("row, batched, where", list(_variants()))
def test_batched_equals_loop(row, batched, where):
    examples = row.examples()
    in_axes = [0 if where == "first" else -1] * len(row.operands)
    check_batched_like_loop(row.fun, examples, batched, in_axes)


@pytest.mark.parametrize("row", ROWS[:: max(1, len(ROWS) // 12)], ids=lambda r: r.id)
def test_batch_axis_moved_to_output_last(row):
    examples = row.examples()
    all_operands = tuple(range(len(row.operands)))
    check_batched_like_loop(
        row.fun, examples, all_operands, [1 if np.ndim(x) else 0 for x in examples[0]], out_axis=-1
    )


# Control-flow primitives belong to mini_ad/control_flow (a package); their batch rules
# are built there with the primitives and tested by its tests. These names may lack a
# rule only if a mini_ad.control_flow module defines them. (custom_lin: the linear
# half of a custom_vjp under linearize; JAX does not batch it either.)
CONTROL_FLOW = {
    "cond", "while", "scan", "jit", "pjit", "custom_jvp_call", "custom_vjp_call",
    "custom_lin", "checkpoint", "remat", "remat2",
}  # fmt: skip


def _defined_in_control_flow(primitive) -> bool:
    return any(
        any(v is primitive for v in vars(module).values())
        for name, module in list(sys.modules.items())
        if module is not None and (name + ".").startswith("mini_ad.control_flow.")
    )


def _library_primitives() -> list[Primitive]:
    """The registry's primitives that some mini_ad module defines (tests may add others)."""
    modules = [m for name, m in list(sys.modules.items()) if name.split(".")[0] == "mini_ad" and m]
    defined = {id(v) for m in modules for v in vars(m).values() if isinstance(v, Primitive)}
    return [p for p in registry.values() if id(p) in defined]


def test_every_primitive_has_a_batch_rule():
    try:
        import mini_ad.control_flow  # noqa: F401
    except ImportError:
        pass
    library = _library_primitives()
    assert len(library) >= 70, sorted(p.name for p in library)
    missing = [
        p.name
        for p in library
        if p.batch is None and not (p.name in CONTROL_FLOW and _defined_in_control_flow(p))
    ]
    assert not missing, f"primitives without a batch rule: {sorted(missing)}"


def test_every_primitive_has_a_row():
    tested = {row.primitive for row in ROWS}
    untested = [
        p.name for p in _library_primitives() if p.name not in tested and p.name not in CONTROL_FLOW
    ]
    assert not untested, f"primitives without a batching row: {sorted(untested)}"
