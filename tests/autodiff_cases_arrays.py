"""Primitive table rows: indexing, shapes, contractions and reductions."""

from __future__ import annotations

import numpy as np
from autodiff_rows import (
    C23,
    S,
    away0,
    jnp,
    lax,
    real,
    row,
)

from mini_ad.primitives import indexing as ix
from mini_ad.primitives import linalg as la
from mini_ad.primitives import reductions as rd
from mini_ad.primitives import structural as st

# --- indexing ---------------------------------------------------------------------------------

IDX = np.array([2, -1, 0, 2])  # a repeat and a negative index
UNIQUE = np.array([3, 0])
row("gather", lambda x: ix.gather(x, [IDX], (0,)), lambda x: x[IDX], real(4, 3), linear=True)
row(
    "gather",
    lambda x: ix.gather(x, [IDX[:2], UNIQUE], (0, 1)),
    lambda x: x[IDX[:2], UNIQUE],
    real(4, 5),
    linear=True,
    variant="2d",
)
row(
    "scatter-add",
    lambda x, u: ix.scatter_add(x, u, [IDX], (0,)),
    lambda x, u: x.at[IDX].add(u),
    real(4, 3),
    real(4, 3),
    linear=True,
)
row(
    "scatter",
    lambda x, u: ix.scatter(x, u, [UNIQUE], (0,)),
    lambda x, u: x.at[UNIQUE].set(u),
    real(4, 3),
    real(2, 3),
    linear=True,
)

# --- structural -------------------------------------------------------------------------------

row(
    "broadcast_in_dim",
    lambda x: st.broadcast_in_dim(x, (2, 3), (1,)),
    lambda x: lax.broadcast_in_dim(x, (2, 3), (1,)),
    real(3),
    linear=True,
)
row(
    "broadcast_in_dim",
    lambda x: st.broadcast_in_dim(x, (2, 3, 4), (1, 2)),
    lambda x: lax.broadcast_in_dim(x, (2, 3, 4), (1, 2)),
    real(3, 1),
    linear=True,
    variant="grow",
)
row(
    "reshape",
    lambda x: st.reshape(x, (3, 2)),
    lambda x: lax.reshape(x, (3, 2)),
    real(*S),
    linear=True,
)
row(
    "transpose",
    lambda x: st.transpose(x, (2, 0, 1)),
    lambda x: lax.transpose(x, (2, 0, 1)),
    real(2, 3, 4),
    linear=True,
)
row(
    "squeeze",
    lambda x: st.squeeze(x, (1,)),
    lambda x: lax.squeeze(x, (1,)),
    real(2, 1, 3),
    linear=True,
)
row(
    "concatenate",
    lambda x, y: st.concatenate([x, y], 1),
    lambda x, y: lax.concatenate([x, y], 1),
    real(2, 3),
    real(2, 1),
    linear=True,
)
PAD = ((1, 0, 1), (0, 2, 0))
row(
    "pad",
    lambda x, v: st.pad(x, v, PAD),
    lambda x, v: lax.pad(x, v, PAD),
    real(*S),
    real(),
    linear=True,
)
row(
    "slice",
    lambda x: st.slice(x, (1, 0), (4, 5), (2, 2)),
    lambda x: lax.slice(x, (1, 0), (4, 5), (2, 2)),
    real(4, 5),
    linear=True,
)
row("rev", lambda x: st.rev(x, (0, 1)), lambda x: lax.rev(x, (0, 1)), real(*S), linear=True)
# start 4 along a dim of 5 with size 2 is clamped to 3, as in JAX
row(
    "dynamic_slice",
    lambda x: st.dynamic_slice(x, (1, 4), (2, 2)),
    lambda x: lax.dynamic_slice(x, (1, 4), (2, 2)),
    real(4, 5),
    linear=True,
)
row(
    "dynamic_update_slice",
    lambda x, u: st.dynamic_update_slice(x, u, (2, 1)),
    lambda x, u: lax.dynamic_update_slice(x, u, (2, 1)),
    real(4, 5),
    real(2, 2),
    linear=True,
)
# negative starts count from the end once, then clamp: (-1, -9) -> (3, -4) -> (2, 0)
row(
    "dynamic_slice",
    lambda x: st.dynamic_slice(x, (-1, -9), (2, 2)),
    lambda x: lax.dynamic_slice(x, (-1, -9), (2, 2)),
    real(4, 5),
    linear=True,
    variant="negative",
)
row(
    "dynamic_update_slice",
    lambda x, u: st.dynamic_update_slice(x, u, (-3, -1)),
    lambda x, u: lax.dynamic_update_slice(x, u, (-3, -1)),
    real(4, 5),
    real(2, 2),
    linear=True,
    variant="negative",
)

# --- contractions and reductions --------------------------------------------------------------

BATCHED = (((2,), (1,)), ((0,), (0,)))
MATMUL = (((1,), (0,)), ((), ()))
row(
    "dot_general",
    lambda x, y: la.dot_general(x, y, BATCHED),
    lambda x, y: lax.dot_general(x, y, BATCHED),
    real(2, 3, 4),
    real(2, 4, 5),
)
row(
    "dot_general",
    lambda x, y: la.dot_general(x, y, MATMUL),
    lambda x, y: lax.dot_general(x, y, MATMUL),
    real(3, 4),
    real(4, 2),
    variant="matmul",
)
row(
    "dot_general",
    lambda x: la.dot_general(x, C23, MATMUL),
    lambda x: lax.dot_general(x, C23, MATMUL),
    real(4, 2),
    linear=True,
    variant="const",
)
row(
    "reduce_sum",
    lambda x: rd.reduce_sum(x, (0, 2)),
    lambda x: jnp.sum(x, axis=(0, 2)),
    real(2, 3, 4),
    linear=True,
)
row("reduce_max", lambda x: rd.reduce_max(x, (1,)), lambda x: jnp.max(x, axis=1), real(*S))
row("reduce_min", lambda x: rd.reduce_min(x, (0, 1)), lambda x: jnp.min(x, axis=(0, 1)), real(*S))
row("reduce_prod", lambda x: rd.reduce_prod(x, (1,)), lambda x: jnp.prod(x, axis=1), away0(2, 5))
ZERO_IN = np.array([[0.0, 1.5, -2.0], [0.7, 0.0, 0.0]])
row(
    "reduce_prod",
    lambda x: rd.reduce_prod(x, (1,)),
    lambda x: jnp.prod(x, axis=1),
    lambda rng: ZERO_IN,
    variant="zeros",
)
row("cumsum", lambda x: rd.cumsum(x, 1), lambda x: lax.cumsum(x, 1), real(*S), linear=True)
row(
    "cumsum",
    lambda x: rd.cumsum(x, 0, reverse=True),
    lambda x: lax.cumsum(x, 0, reverse=True),
    real(*S),
    linear=True,
    variant="reverse",
)
