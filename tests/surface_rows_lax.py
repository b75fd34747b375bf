"""Rows for every public name of ``mini_ad.lax``: value and dtype against NumPy where
NumPy has the same function, value/jvp/vjp against ``jax.lax`` (x64), jvp against finite
differences, vmap against a loop, jit against eager (``surface_checks.check_row``).

lax functions neither broadcast nor promote, so each row draws operands of one shape
and dtype. Functions that take a ``computation`` (``lax.add`` here, ``jax.lax.add``
there) get explicit ``row``s. Control flow is checked against JAX by its own tests.
"""

from __future__ import annotations

import numpy as np
from numpy_surface_rows import B, I, K, P, R, Ties, U, jax
from surface_table import Table

from mini_ad import lax as ml

jl = jax.lax
table = Table("mini_ad.lax", ml, jl, np)
S = (2, 3)


def Distinct(*shape):  # noqa: N802 - a spec name, like R and P
    """A permutation of spread-out values: no ties (max/min/sort derivatives are smooth)."""
    n = int(np.prod(shape))
    return lambda rng: (rng.permutation(n) * 0.5 + rng.uniform(0, 0.1, n)).reshape(shape)


def C(*shape):  # noqa: N802
    return lambda rng: rng.normal(size=shape) + 1j * rng.normal(size=shape)


# --- elementwise: name -> (domain, differentiable, NumPy's name or None) ----------------------
UNARY = {
    "abs": (R, True, "abs"), "acos": (U, True, "arccos"), "asin": (U, True, "arcsin"),
    "atan": (R, True, "arctan"), "asinh": (R, True, "arcsinh"), "atanh": (U, True, "arctanh"),
    "acosh": (lambda *s: lambda r: r.uniform(1.2, 3.0, s), True, "arccosh"),
    "cbrt": (P, True, "cbrt"), "ceil": (R, False, "ceil"), "floor": (R, False, "floor"),
    "cos": (R, True, "cos"), "cosh": (R, True, "cosh"), "sin": (R, True, "sin"),
    "sinh": (R, True, "sinh"), "tan": (U, True, "tan"), "tanh": (R, True, "tanh"),
    "exp": (R, True, "exp"), "exp2": (R, True, "exp2"), "expm1": (R, True, "expm1"),
    "log": (P, True, "log"), "log1p": (P, True, "log1p"), "logistic": (R, True, None),
    "neg": (R, True, "negative"), "round": (R, False, None), "rsqrt": (P, True, None),
    "sign": (R, False, "sign"), "sqrt": (P, True, "sqrt"), "square": (R, True, "square"),
    "is_finite": (R, False, "isfinite"), "reciprocal": (P, True, "reciprocal"),
    "erf": (R, True, None), "erfc": (R, True, None), "erf_inv": (U, True, None),
    "lgamma": (P, True, None), "digamma": (P, True, None),
}  # fmt: skip
for name, (domain, smooth, np_name) in UNARY.items():
    table.same(name, domain(*S), diff=smooth, ref_name=np_name, reference=np_name is not None)
table.same("stop_gradient", R(*S), reference=False, fd=False)
table.same("integer_pow", R(*S), y=3, reference=False)
table.same("polygamma", K(np.array(1.0)), P(*S), reference=False)

BINARY = {
    "add": (R, "add"), "sub": (R, "subtract"), "mul": (R, "multiply"), "div": (P, "divide"),
    "max": (Distinct, "maximum"), "min": (Distinct, "minimum"), "pow": (P, "power"),
    "atan2": (R, "arctan2"), "rem": (P, "fmod"),
}  # fmt: skip
for name, (domain, np_name) in BINARY.items():
    table.same(name, domain(*S), domain(*S), ref_name=np_name)
table.same("nextafter", R(*S), R(*S), diff=False)
for name, np_name in [("eq", "equal"), ("ne", "not_equal"), ("lt", "less"),
                      ("le", "less_equal"), ("gt", "greater"), ("ge", "greater_equal")]:  # fmt: skip
    table.same(name, Ties(*S), Ties(*S), diff=False, ref_name=np_name)
for name, np_name in [("bitwise_and", "bitwise_and"), ("bitwise_or", "bitwise_or"),
                      ("bitwise_xor", "bitwise_xor"), ("and_", "bitwise_and"),
                      ("or_", "bitwise_or"), ("xor", "bitwise_xor")]:  # fmt: skip
    table.same(name, I(-9, 9, *S), I(-9, 9, *S), diff=False, ref_name=np_name)
    table.same(name, B(*S), B(*S), diff=False, ref_name=np_name, variant="bool")
for name, np_name in [("bitwise_not", "invert"), ("not_", "invert")]:
    table.same(name, I(-9, 9, *S), diff=False, ref_name=np_name)
for name in ["shift_left", "shift_right_logical", "shift_right_arithmetic"]:
    table.same(name, I(-99, 99, *S), I(0, 70, *S), diff=False,
               ref_name="right_shift" if name == "shift_right_arithmetic" else None,
               reference=name == "shift_right_arithmetic")  # fmt: skip
table.same("population_count", I(-99, 99, *S), diff=False, reference=False)
table.same("clz", I(-99, 99, *S), diff=False, reference=False)
table.same("bitcast_convert_type", R(*S), new_dtype=np.int64, diff=False, reference=False)
table.same("convert_element_type", R(*S), new_dtype=np.float32, reference=False, fd=False)
table.same("real", C(*S), diff=False)
table.same("imag", C(*S), diff=False)
table.same("conj", C(*S), diff=False)
table.same("conj", R(*S), variant="real", reference=False)
table.same("complex", R(*S), R(*S), reference=False)
table.same("select_n", B(*S), R(*S), R(*S), reference=False)
table.same("select", B(*S), R(*S), R(*S), reference=False)
table.same("clamp", K(np.float64(-0.5)), R(*S), K(np.float64(0.5)), reference=False)

# --- structural ---------------------------------------------------------------------------
table.same("broadcast_in_dim", R(3), shape=(2, 3), broadcast_dimensions=(1,), reference=False)
table.same("broadcast", R(*S), sizes=(2,), reference=False)
table.same("broadcast_to_rank", R(3), rank=3, reference=False)
table.same("broadcasted_iota", K(np.int32), K((2, 3)), K(1), reference=False)
table.same("iota", K(np.int32), K((2, 3)), K(1), jax=False, reference=False)
table.row("iota", ml.iota, lambda d, s, dim: jl.broadcasted_iota(d, s, dim), None,
          K(np.int64), K((4,)), K(0), variant="jax-1d")  # fmt: skip
table.row("concatenate", lambda a, b: ml.concatenate([a, b], 0),
          lambda a, b: jl.concatenate([a, b], 0), None, R(2, 3), R(1, 3))  # fmt: skip
table.same("pad", R(2, 3), K(np.float64(0.0)), padding_config=[(1, 0, 1), (0, 2, 0)],
           reference=False)  # fmt: skip
table.same("reshape", R(*S), new_sizes=(3, 2), reference=False)
table.same("rev", R(*S), dimensions=(1,), reference=False)
table.same("slice", R(3, 4), start_indices=(1, 0), limit_indices=(3, 4), strides=(1, 2),
           reference=False)  # fmt: skip
table.same("squeeze", R(1, 3), dimensions=(0,), reference=False)
table.same("transpose", R(*S), permutation=(1, 0), reference=False)
table.same("expand_dims", R(*S), dimensions=(0, 3), reference=False)
table.same("collapse", R(2, 3, 4), start_dimension=1, stop_dimension=3, reference=False)
table.same("tile", R(*S), reps=(2, 1), reference=False)
table.same("split", R(5, 2), sizes=(2, 3), axis=0, reference=False)
table.same("full", K((2, 3)), R(), reference=False)
table.same("full_like", R(*S), K(np.float64(2.5)), reference=False)
table.same("slice_in_dim", R(5, 2), start_index=-4, limit_index=None, stride=2, axis=0,
           reference=False)  # fmt: skip
table.same("index_in_dim", R(3, 4), index=-1, axis=1, keepdims=False, reference=False)
table.same("dynamic_slice", R(4, 5), K((np.int64(1), np.int64(3))), K((2, 3)),
           reference=False)  # fmt: skip
table.same("dynamic_update_slice", R(4, 5), R(2, 3), K((np.int64(3), np.int64(-1))),
           reference=False)  # fmt: skip
table.same("dynamic_slice_in_dim", R(4, 5), I(-5, 5), K(3), K(1), reference=False)
table.same("dynamic_index_in_dim", R(4, 5), I(-4, 4), K(0), K(False), reference=False)
table.same("dynamic_update_slice_in_dim", R(4, 5), R(4, 2), I(-5, 5), K(1), reference=False)
table.same("dynamic_update_index_in_dim", R(4, 5), R(5), I(-4, 4), K(0), reference=False)
table.same("index_take", R(3, 4, 2), K((np.array([0, 2, -1, 5]), np.array([1, 0, 3, 3]))),
           K((0, 1)), reference=False)  # fmt: skip

# --- reductions, scans, sorting -----------------------------------------------------------
for name in ["reduce_sum", "reduce_prod"]:
    table.same(name, R(3, 4), axes=(1,), reference=False)
for name in ["reduce_max", "reduce_min"]:
    table.same(name, Distinct(3, 4), axes=(0, 1), reference=False)
    table.same(name, Ties(3, 4), axes=(1,), reference=False, fd=False, variant="ties")
for name in ["argmax", "argmin"]:
    table.same(name, Ties(3, 4), axis=1, index_dtype=np.int32, diff=False, reference=False)
for name in ["reduce_and", "reduce_or", "reduce_xor"]:
    table.same(name, I(-99, 99, 3, 4), axes=(0,), diff=False, reference=False)
    table.same(name, B(3, 4), axes=(0, 1), diff=False, reference=False, variant="bool")
table.row("reduce", lambda x: ml.reduce(x, 0.0, ml.add, (1,)),
          lambda x: jl.reduce(x, 0.0, jl.add, (1,)), None, R(3, 4))  # fmt: skip
table.row("reduce", lambda x: ml.reduce(x, -np.inf, ml.max, (0,)),
          lambda x: jl.reduce(x, -np.inf, jl.max, (0,)), None, Ties(3, 4), fd=False,
          variant="max-ties")  # fmt: skip
table.row("reduce", lambda x, y: ml.reduce((x, y), (0.0, 1.0),
                                           lambda a, b: (a[0] + b[0], a[1] * b[1]), (0,)),
          lambda x, y: jl.reduce((x, y), (0.0, 1.0), lambda a, b: (a[0] + b[0], a[1] * b[1]),
                                 (0,)), None, R(5, 2), R(5, 2), variant="pytree",
          jax_diff=False)  # fmt: skip
table.same("cumsum", R(3, 4), axis=1, reverse=True, ref_name="cumsum", reference=False)
table.same("cumprod", R(3, 4), axis=1, reverse=False, reference=False)
table.same("cummax", Ties(4, 3), axis=0, reverse=True, fd=False, reference=False)
table.same("cummin", Distinct(4, 3), axis=0, reverse=False, reference=False)
table.same("cumlogsumexp", R(3, 4), axis=1, reverse=True, reference=False)
table.row("associative_scan", lambda x, y: ml.associative_scan(
    lambda a, b: (a[0] * b[0], a[1] * b[0] + b[1]), (x, y), reverse=True, axis=1),
    lambda x, y: jl.associative_scan(lambda a, b: (a[0] * b[0], a[1] * b[0] + b[1]),
                                     (x, y), reverse=True, axis=1), None, R(2, 5), R(2, 5))  # fmt: skip
table.same("sort", Distinct(3, 4), dimension=0, reference=False)
table.row("sort", lambda k, v: ml.sort((k, v), dimension=1, num_keys=1),
          lambda k, v: jl.sort((k, v), dimension=1, num_keys=1), None, Ties(3, 4), R(3, 4),
          variant="tuple", fd=False)  # fmt: skip
table.same("sort_key_val", Distinct(3, 4), R(3, 4), dimension=-1, reference=False)
table.same("top_k", Distinct(3, 5), k=2, reference=False)
table.same("top_k", Ties(3, 5), k=3, axis=0, reference=False, fd=False, variant="ties-axis0")
table.same("dot_general", R(2, 3, 4), R(2, 4, 5), dimension_numbers=(((2,), (1,)), ((0,), (0,))),
           reference=False)  # fmt: skip
table.same("dot", R(2, 3), R(3, 4), ref_name="dot")
table.same("dot", R(2, 3), R(3), ref_name="dot", variant="matvec")
table.same("batch_matmul", R(2, 3, 4), R(2, 4, 5), ref_name="matmul")
table.same("optimization_barrier", R(*S), reference=False)

# --- windows ------------------------------------------------------------------------------
WINDOWS = [
    ((2, 2), (2, 2), "VALID", None, None),
    ((2, 3), (1, 2), [(1, 0), (0, 2)], (2, 1), (1, 1)),
    ((3, 2), (1, 1), "SAME", None, (1, 2)),
]
for i, params in enumerate(WINDOWS):
    dilated = params[4] not in (None, (1, 1))  # JAX has no vjp of max with window dilation
    for comp, init, spec in [("add", 0.0, R), ("max", -np.inf, Distinct), ("min", np.inf, Ties)]:
        table.row("reduce_window",
                  lambda x, c=comp, v=init, p=params: ml.reduce_window(x, v, getattr(ml, c), *p),
                  lambda x, c=comp, v=init, p=params: jl.reduce_window(x, v, getattr(jl, c), *p),
                  None, spec(4, 5), variant=f"{comp}-{i}", fd=spec is not Ties,
                  jax_diff=comp == "add" or not dilated)  # fmt: skip
table.row("reduce_window", lambda x: ml.reduce_window(x, 1.0, ml.mul, (2, 2), (1, 1), "SAME"),
          lambda x: jl.reduce_window(x, 1.0, jl.mul, (2, 2), (1, 1), "SAME"), None, R(3, 4),
          variant="mul", jax_diff=False)  # fmt: skip
table.row("reduce_window", lambda x: ml.reduce_window(x, 0.5, ml.max, (2,), (1,), [(1, 1)]),
          lambda x: jl.reduce_window(x, 0.5, jl.max, (2,), (1,), [(1, 1)]), None, R(5),
          variant="max-init", jax_diff=False)  # fmt: skip
table.same("reduce_window_shape_tuple", K((5, 6)), K((2, 3)), K((1, 3)), K(((0, 0), (1, 2))),
           reference=False)  # fmt: skip

# --- gather / scatter with XLA's dimension numbers ---------------------------------------
G_IDX = np.array([[0, 1], [3, 4], [-1, 2], [2, 5]])  # rows 2 and 3 are out of bounds
G_DN = {"offset_dims": (1, 2), "collapsed_slice_dims": (0,), "start_index_map": (0, 1)}
for mode in ["clip", "fill"]:
    table.row("gather",
              lambda x, m=mode: ml.gather(x, G_IDX, ml.GatherDimensionNumbers(**G_DN), (1, 2, 3),
                                          mode=m),
              lambda x, m=mode: jl.gather(x, G_IDX, jl.GatherDimensionNumbers(**G_DN), (1, 2, 3),
                                          mode=m),
              None, R(4, 5, 3), variant=mode, fd=mode == "clip")  # fmt: skip
B_DN = {"offset_dims": (2,), "collapsed_slice_dims": (1,), "start_index_map": (1,),
        "operand_batching_dims": (0,), "start_indices_batching_dims": (0,)}  # fmt: skip
table.row("gather", lambda x: ml.gather(x, np.array([[[1], [4]], [[0], [2]]]),
                                        ml.GatherDimensionNumbers(**B_DN), (1, 1, 2)),
          lambda x: jl.gather(x, np.array([[[1], [4]], [[0], [2]]]),
                              jl.GatherDimensionNumbers(**B_DN), (1, 1, 2)),
          None, R(2, 5, 3), variant="batching-dims")  # fmt: skip
S_IDX = np.array([[0, 1], [3, 2], [-1, 2], [0, 1], [2, 5]])  # repeats; two out of bounds
S_DN = {"update_window_dims": (1, 2), "inserted_window_dims": (0,),
        "scatter_dims_to_operand_dims": (0, 1)}  # fmt: skip
for name in ["scatter_add", "scatter_sub"]:
    for mode in [None, "clip"]:
        table.row(name,
                  lambda x, u, n=name, m=mode: getattr(ml, n)(
                      x, S_IDX, u, ml.ScatterDimensionNumbers(**S_DN), mode=m),
                  lambda x, u, n=name, m=mode: getattr(jl, n)(
                      x, S_IDX, u, jl.ScatterDimensionNumbers(**S_DN), mode=m),
                  None, R(4, 5, 3), R(5, 2, 3), variant=str(mode))  # fmt: skip
U_IDX = np.array([[0, 1], [3, 2], [2, 5]])  # distinct windows (replacement order is moot)
table.row("scatter", lambda x, u: ml.scatter(x, U_IDX, u, ml.ScatterDimensionNumbers(**S_DN)),
          lambda x, u: jl.scatter(x, U_IDX, u, jl.ScatterDimensionNumbers(**S_DN)),
          None, R(4, 5, 3), R(3, 2, 3))  # fmt: skip
for name in ["scatter_mul", "scatter_min", "scatter_max"]:  # (JAX: scatter_mul's derivative
    for mode in [None, "clip"]:  # needs unique_indices; clipped, its min/max ones are wrong)
        table.row(name,
                  lambda x, u, n=name, m=mode: getattr(ml, n)(
                      x, U_IDX, u, ml.ScatterDimensionNumbers(**S_DN), mode=m),
                  lambda x, u, n=name, m=mode: getattr(jl, n)(
                      x, U_IDX, u, jl.ScatterDimensionNumbers(**S_DN), mode=m,
                      unique_indices=True),
                  None, R(4, 5, 3), R(3, 2, 3), variant=str(mode),
                  jax_diff=mode is None)  # fmt: skip
table.row("scatter_apply",
          lambda x: ml.scatter_apply(x, S_IDX, ml.sin, ml.ScatterDimensionNumbers(**S_DN),
                                     update_shape=(5, 2, 3)),
          lambda x: jl.scatter_apply(x, S_IDX, jl.sin, jl.ScatterDimensionNumbers(**S_DN),
                                     update_shape=(5, 2, 3)),
          None, R(4, 5, 3), jax_diff=False)  # (JAX: "scatter_apply JVP not implemented")  # fmt: skip
table.elsewhere("the gather/scatter rows of tests/surface_rows_lax.py build them and compare "
                "with JAX", "GatherDimensionNumbers", "ScatterDimensionNumbers",
                "GatherScatterMode")  # fmt: skip

table.elsewhere("tests/test_control_flow_{cond,scan,while}.py compare values, jaxprs and "
                "derivatives with JAX", "cond", "fori_loop", "map", "scan", "switch",
                "while_loop")  # fmt: skip

TABLES = [table]
