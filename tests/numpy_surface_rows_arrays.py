"""The second half of the ``mini_ad.numpy`` table (see ``numpy_surface_rows``): shapes,
joining and splitting, products and ``einsum``, polynomials, signals, grids, functional
updates, creation; and ``NAMES``, the names that are not functions of arrays (dtypes,
constants, index tricks, NumPy's I/O), each with a check of its own."""

from __future__ import annotations

import numpy as np
from numpy_surface_rows import (
    B,
    I,
    K,
    P,
    R,
    Sorted,
    jnp,
    row,
    same,
)

import mini_ad.numpy as mnp

S = (2, 3)

# --- shapes, joining, splitting --------------------------------------------------------------
same("reshape", R(2, 6), K((3, -1)))
same("ravel", R(2, 3))
same("transpose", R(2, 3, 4), K((2, 0, 1)))
same("swapaxes", R(2, 3, 4), K(0), K(2))
same("moveaxis", R(2, 3, 4), K([0, 1]), K([1, 0]))
same("moveaxis", R(2, 3, 4), K(-1), K(0), variant="int")
same("rollaxis", R(2, 3, 4), K(2), K(1))
same("permute_dims", R(2, 3, 4), axes=(1, 2, 0))
same("matrix_transpose", R(4, 2, 3))
same("expand_dims", R(2, 3), K((0, 3)))
same("squeeze", R(1, 3, 1), axis=2)
for name in ["atleast_1d", "atleast_2d", "atleast_3d"]:
    same(name, R(3))
same("flip", R(2, 3), axis=1)
same("fliplr", R(2, 3))
same("flipud", R(2, 3))
same("rot90", R(2, 3, 4), k=3, axes=(2, 0))
same("roll", R(2, 3), K(2), axis=1)
same("tile", R(2, 3), K((2, 1, 2)))
same("repeat", R(2, 3), K(2), axis=1)
same("resize", R(2, 3), K((4, 2)))
same("broadcast_to", R(3), K((2, 3)))
same("broadcast_arrays", R(3), R(2, 1), vmap=False)
same("concatenate", K([np.ones((2, 2)), np.arange(6.0).reshape(3, 2)]), diff=False, vmap=False)
row("concatenate", lambda a, b: mnp.concatenate([a, b], 1), lambda a, b: jnp.concatenate([a, b], 1),
    lambda a, b: np.concatenate([a, b], 1), R(2, 3), R(2, 1), variant="traced")  # fmt: skip
for name in ["stack", "hstack", "vstack", "dstack", "column_stack", "concat"]:
    row(name, lambda a, b, name=name: getattr(mnp, name)([a, b]),
        lambda a, b, name=name: getattr(jnp, name)([a, b]),
        lambda a, b, name=name: getattr(np, "concatenate" if name == "concat" else name)([a, b]),
        R(3), R(3))  # fmt: skip
row("block", lambda a, b: mnp.block([[a, b], [b, a]]), lambda a, b: jnp.block([[a, b], [b, a]]),
    lambda a, b: np.block([[a, b], [b, a]]), R(2, 2), R(2, 1))  # fmt: skip
for name, spec, sections in [("split", R(6, 2), [1, 4]), ("array_split", R(7, 2), 3),
                             ("hsplit", R(2, 4), 2), ("vsplit", R(4, 2), [1]),
                             ("dsplit", R(1, 2, 4), 2)]:  # fmt: skip
    same(name, spec, K(sections), vmap=False)
same("unstack", R(3, 2), axis=1, vmap=False)
same("append", R(2, 3), R(1, 3), axis=0)
same("append", R(3), K(np.array([1.0, 2.0])), variant="flat")
same("append", R(3), K([1.0, 2.0]), variant="list", jax=False)
same("insert", R(3, 4), K(np.array([1, 3])), R(3, 2), axis=1)
same("insert", R(3, 4), K([1, 3]), K([[1.0], [2.0], [3.0]]), axis=1, variant="lists", jax=False)
same("insert", R(4), K(2), K(9.0), variant="scalar")
same("delete", R(3, 4), K(np.array([0, 2])), axis=1)
same("delete", R(3, 4), K([0, 2]), axis=1, variant="list", jax=False)
same("delete", R(5), K(slice(1, 4)), variant="slice")
same("diag", R(3), k=1)
same("diagonal", R(3, 4), offset=1)
same("diagflat", R(2, 2))
same("tril", R(3, 3), k=-1)
same("triu", R(3, 3))
same("trace", R(3, 4), offset=1)
same("pad", R(2, 3), K(((1, 0), (2, 1))), mode="reflect")
same("take", R(5), K(np.array([4, 0, 2])))
same("take_along_axis", R(3, 4), K(np.array([[1], [0], [3]])), axis=1)
same("put_along_axis", R(3, 4), K(np.array([[1], [0], [3]])), R(3, 1), K(1), inplace=False,
     numpy=False)  # fmt: skip
same("put", R(5), K(np.array([0, 3])), R(2), inplace=False, numpy=False)
same("place", R(5), K(np.array([True, False, True, False, False])), R(2), inplace=False,
     numpy=False, jax=False, vmap=False)  # fmt: skip
same("fill_diagonal", R(3, 3), R(3), inplace=False, numpy=False)
same("copy", R(2, 3))
same("astype", R(2, 3), K(np.float32), numpy=False, f32=False, fd=False)
same("stop_gradient", R(3), numpy=False, diff=False)
row("getitem", lambda x: mnp.getitem(x, (slice(None), [0, 0])), lambda x: x[:, jnp.array([0, 0])],
    lambda x: x[:, [0, 0]], R(2, 3))  # fmt: skip
row("at", lambda x: mnp.at(x)[1].add(2.0), lambda x: x.at[1].add(2.0), None, R(3))

# --- products, einsum ------------------------------------------------------------------------
for name, a, b in [("dot", R(2, 3), R(3, 4)), ("matmul", R(2, 2, 3), R(3, 4)), ("inner", R(2, 3), R(4, 3)),
                   ("outer", R(3), R(2)), ("vdot", R(2, 3), R(2, 3)), ("kron", R(2, 2), R(1, 3)),
                   ("vecdot", R(2, 3), R(3)), ("matvec", R(4, 2, 3), R(3)), ("vecmat", R(3), R(4, 3, 2)),
                   ("tensordot", R(2, 3, 4), R(4, 3)), ("cross", R(2, 3), R(3))]:  # fmt: skip
    same(name, a, b, **({"axes": ([1, 2], [1, 0])} if name == "tensordot" else {}))
for subscripts, shapes in [("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]), ("ii->i", [(3, 3)]),
                           ("ii", [(3, 3)]), ("...ij,...jk->...ik", [(2, 1, 2, 3), (5, 3, 2)]),
                           ("iij,jk", [(2, 2, 3), (3, 2)]), ("i,i,i->", [(4,), (4,), (4,)])]:  # fmt: skip
    row("einsum", lambda *ops, s=subscripts: mnp.einsum(s, *ops),
        lambda *ops, s=subscripts: jnp.einsum(s, *ops), lambda *ops, s=subscripts: np.einsum(s, *ops),
        *[R(*shape) for shape in shapes], variant=subscripts)  # fmt: skip
row("einsum_path", lambda a, b, c: mnp.einsum_path("ij,jk,kl->il", a, b, c)[0],
    None, lambda a, b, c: np.einsum_path("ij,jk,kl->il", a, b, c)[0], R(2, 3), R(3, 4), R(4, 2),
    diff=False, vmap=False, f32=False)  # fmt: skip

# --- polynomials, signals --------------------------------------------------------------------
same("polyval", R(4), R(5))
for name in ["polyadd", "polysub", "polymul"]:
    same(name, R(4), R(2))
same("polydiv", R(4), P(2), numpy=False)
same("polyder", R(5), m=2)
same("polyint", R(3), m=2, k=np.array([1.0, 2.0]))
same("polyfit", R(8), R(8), K(2), vmap=False)
same("vander", R(4), K(3), increasing=True)
same("poly", R(3))
same("roots", K(np.array([1.0, -3.0, 2.0])), diff=False, vmap=False, canon=np.sort)
same("convolve", R(5), R(3))
same("convolve", R(4), R(6), mode="same")
same("correlate", R(5), R(3), mode="full")
same("correlate", R(6), R(3))
same("interp", R(6), K(np.array([-1.0, 0.0, 0.5, 2.0])), R(4))
same("interp", R(6), Sorted(4), R(4), period=2.0, variant="period")
same("trapezoid", R(3, 5), axis=1)
same("trapezoid", R(5), K(np.array([0.0, 0.5, 1.5, 2.0, 4.0])), variant="x")
same("gradient", R(3, 5), axis=1)
same("gradient", R(6), K(0.5), edge_order=2, variant="order2", jax=False)
same("ediff1d", R(5), to_begin=K(0.0).value)
same("diff", R(2, 5), n=2)
same("unwrap", lambda rng: rng.uniform(-10, 10, size=(2, 6)))
for name in ["bartlett", "blackman", "hamming", "hanning"]:
    same(name, K(6), diff=False, vmap=False, f32=False)
same("kaiser", K(6), P(), vmap=False, f32=False)

# --- grids, indices, creation ----------------------------------------------------------------
same("meshgrid", R(3), R(2), indexing="ij", vmap=False)
same("meshgrid", R(3), R(2), R(4), variant="xy", vmap=False)
same("ix_", K(np.array([0, 1])), K(np.array([2, 0, 1])), diff=False, vmap=False)
same(
    "ravel_multi_index",
    K((np.array([0, 1, 2]), np.array([3, 0, 1]))),
    K((3, 4)),
    diff=False,
    vmap=False,
)
same("unravel_index", I(0, 12, 5), K((3, 4)), diff=False)
for name, args in [("indices", (K((2, 3)),)), ("tri", (K(3), K(4), K(1))), ("tril_indices", (K(3),)),
                   ("triu_indices", (K(3), K(1))), ("diag_indices", (K(3),)), ("eye", (K(3),)),
                   ("identity", (K(2),)), ("arange", (K(1), K(7), K(2))), ("linspace", (K(0.0), K(1.0), K(5))),
                   ("logspace", (K(0.0), K(2.0), K(3))), ("geomspace", (K(1.0), K(8.0), K(4))),
                   ("zeros", (K((2, 3)),)), ("ones", (K(3),)), ("full", (K((2,)), K(1.5))),
                   ("empty", (K(2),))]:  # fmt: skip
    same(name, *args, diff=False, vmap=False, f32=False, numpy=name != "empty")
for name in ["tril_indices_from", "triu_indices_from", "diag_indices_from", "zeros_like",
             "ones_like", "empty_like"]:  # fmt: skip
    same(name, R(3, 3), diff=False, vmap=False, numpy=name != "empty_like")
same("full_like", R(2, 3), K(2.5), diff=False, vmap=False)
same("mask_indices", K(3), K(np.triu), diff=False, vmap=False, jax=False)
same("fromfunction", K(lambda i, j: i * 2 + j), K((2, 3)), diff=False, vmap=False, jax=False)
same("packbits", B(2, 11), axis=1, diff=False, f32=False)
same("unpackbits", lambda rng: rng.integers(0, 256, (2, 3)).astype(np.uint8), axis=1, count=20,
     diff=False, f32=False)  # fmt: skip
same("array", R(2, 3), numpy=True, diff=False)
same("asarray", R(2, 3))
row("asarray", lambda x: mnp.asarray([x, x + 2]), lambda x: jnp.asarray([x, x + 2]),
    lambda x: np.asarray([x, x + 2]), R(3), variant="list")  # fmt: skip
same("apply_along_axis", K(lambda v: v[0] * v[-1]), K(1), R(3, 4), jax=False, numpy=False)
row("apply_along_axis", lambda x: mnp.apply_along_axis(lambda v: v[0] * v[-1], 1, x),
    lambda x: jnp.apply_along_axis(lambda v: v[0] * v[-1], 1, x),
    lambda x: np.apply_along_axis(lambda v: v[0] * v[-1], 1, x), R(3, 4), variant="jax")  # fmt: skip
row("apply_over_axes", lambda x: mnp.apply_over_axes(mnp.sum, x, [0, 2]),
    lambda x: jnp.apply_over_axes(jnp.sum, x, [0, 2]),
    lambda x: np.apply_over_axes(np.sum, x, [0, 2]), R(2, 3, 4))  # fmt: skip
row("vectorize", lambda a, b: mnp.vectorize(lambda u, v: u * mnp.sin(v))(a, b),
    lambda a, b: jnp.vectorize(lambda u, v: u * jnp.sin(v))(a, b),
    lambda a, b: np.vectorize(lambda u, v: u * np.sin(v))(a, b), R(2, 3), R(3))  # fmt: skip
row("vectorize", lambda a, b: mnp.vectorize(lambda u, v: u @ v, signature="(n),(n)->()")(a, b),
    lambda a, b: jnp.vectorize(lambda u, v: u @ v, signature="(n),(n)->()")(a, b),
    lambda a, b: np.vectorize(lambda u, v: u @ v, signature="(n),(n)->()")(a, b),
    R(4, 3), R(3), variant="signature")  # fmt: skip

# --- names that are not functions of arrays --------------------------------------------------
DTYPES = ["bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
          "uint64", "float16", "float32", "float64", "complex64", "complex128", "int_", "uint",
          "float_", "double", "single", "complex_", "cdouble", "csingle"]  # fmt: skip
ABSTRACT = ["generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
            "floating", "complexfloating", "character", "flexible", "object_"]  # fmt: skip
DTYPE_QUERIES = {  # name -> (mini call, expected)
    "iinfo": (lambda: int(mnp.iinfo(mnp.int16).max), 32767),
    "finfo": (lambda: float(mnp.finfo(mnp.float32).eps), float(np.finfo(np.float32).eps)),
    "promote_types": (lambda: mnp.promote_types(mnp.int8, "float32"), np.dtype("float32")),
    "result_type": (lambda: mnp.result_type(np.ones(2, np.float32), 2.0, mnp.int8), np.dtype("float32")),
    "can_cast": (lambda: (mnp.can_cast(mnp.int32, mnp.float64), mnp.can_cast(np.ones(1), "int8")), (True, False)),
    "issubdtype": (lambda: (mnp.issubdtype(mnp.float32, mnp.floating), mnp.issubdtype("i4", np.floating)), (True, False)),
    "isdtype": (lambda: (mnp.isdtype(mnp.int8, "integral"), mnp.isdtype("f4", "complex floating")), (True, False)),
    "isscalar": (lambda: (mnp.isscalar(1.0), mnp.isscalar(np.ones(2))), (True, False)),
    "iscomplexobj": (lambda: (mnp.iscomplexobj(np.ones(2) * 1j), mnp.iscomplexobj([1.0])), (True, False)),
    "isrealobj": (lambda: mnp.isrealobj(np.ones(2)), True),
    "iterable": (lambda: (mnp.iterable([1]), mnp.iterable(1)), (True, False)),
    "shape": (lambda: mnp.shape(np.ones((2, 3))), (2, 3)),
    "ndim": (lambda: mnp.ndim([[1.0]]), 2),
    "size": (lambda: mnp.size(np.ones((2, 3))), 6),
    "broadcast_shapes": (lambda: mnp.broadcast_shapes((2, 1), (3,)), (2, 3)),
    "dtype": (lambda: mnp.dtype("float32"), np.dtype("float32")),
    "logical_and_or_bitwise": (lambda: mnp.logical_and_or_bitwise(np.array([1, 3]), 1, "and").tolist(), [1, 1]),
}  # fmt: skip
ALIASES = {  # name -> the object it must be
    "pi": np.pi, "e": np.e, "inf": np.inf, "euler_gamma": np.euler_gamma, "newaxis": None,
    "ndarray": np.ndarray, "ComplexWarning": np.exceptions.ComplexWarning,
    "printoptions": np.printoptions, "get_printoptions": np.get_printoptions,
    "set_printoptions": np.set_printoptions, "array_repr": np.array_repr, "array_str": np.array_str,
    "load": np.load, "save": np.save, "savez": np.savez, "frombuffer": np.frombuffer,
    "fromfile": np.fromfile, "fromiter": np.fromiter, "fromstring": np.fromstring,
    "from_dlpack": np.from_dlpack, "mgrid": np.mgrid, "ogrid": np.ogrid, "s_": np.s_,
    "index_exp": np.index_exp,
}  # fmt: skip
INDEX_TRICKS = {  # name -> (mini result, NumPy's)
    "r_": (lambda: mnp.r_[1:4, 0, np.array([5, 6])], np.r_[1:4, 0, np.array([5, 6])]),
    "c_": (lambda: mnp.c_[np.array([1, 2]), np.array([3, 4])], np.c_[np.array([1, 2]), np.array([3, 4])]),
}  # fmt: skip
NAN_NAMES = ["nan"]
