"""Every public name of ``mini_ad.numpy`` has a row, and every row passes one checker.

For a row (``numpy_surface_rows*.py``) on its drawn arguments:

* value: equal to NumPy's (shape, dtype and values; a tuple of arrays stays one), and
  with float32 inputs NumPy's float32 result dtype;
* value and, where differentiable, ``jvp`` and ``vjp`` equal JAX's (x64);
* ``jvp`` equals central finite differences along a random direction;
* ``vmap`` over a batch of the first drawn argument equals a Python loop;
* ``jit`` equals eager evaluation (or, for data-dependent shapes without ``size=``,
  raises the concretization error, as JAX does).

``test_every_public_name_has_a_row`` collects the names covered by these rows and by
``test_numpy_values.py``'s tables, and fails on a public name covered by none.
Binary elementwise functions also get ``grad`` checked against JAX for every pair of
shapes among (), (3,), (1, 3), (2, 3), (2, 1, 3).
"""

from __future__ import annotations

import itertools
import types
import zlib

import numpy as np
import numpy_surface_rows_arrays as arrays_table
import pytest
import test_numpy_values
from numpy_surface_rows import ROWS, jax, jnp
from surface_checks import _assert_close, check_row

import mini_ad as ad
import mini_ad.numpy as mnp

ALL_ROWS = ROWS  # numpy_surface_rows_arrays appends to the same list when imported
assert arrays_table  # imported for its rows


@pytest.mark.parametrize("row", ALL_ROWS, ids=[r.id for r in ALL_ROWS])
def test_row(row):
    check_row(row)


# --- coverage --------------------------------------------------------------------------------


def _covered_names() -> set:
    names = {row.name for row in ALL_ROWS}
    names |= {name for name, _ in test_numpy_values.UNARY + test_numpy_values.BINARY}
    names |= set(arrays_table.DTYPES) | set(arrays_table.ABSTRACT)
    names |= set(arrays_table.DTYPE_QUERIES) | set(arrays_table.ALIASES)
    names |= set(arrays_table.INDEX_TRICKS) | set(arrays_table.NAN_NAMES)
    return names


def public_names() -> list:
    return sorted(
        n for n in dir(mnp)
        if not n.startswith("_") and not isinstance(getattr(mnp, n), types.ModuleType)
    )  # fmt: skip


def test_every_public_name_has_a_row():
    missing = sorted(set(public_names()) - _covered_names())
    assert not missing, f"public names of mini_ad.numpy without a table row: {missing}"


@pytest.mark.parametrize("name", arrays_table.DTYPES)
def test_dtype_names_are_dtypes_and_converters(name):
    t = getattr(mnp, name)
    dtype = np.dtype(t)
    assert np.dtype(getattr(jnp, name)) == dtype or name in ("int_", "uint", "float_")
    out = t(np.array([1.5, 2.0]) if dtype.kind in "fc" else np.array([1, 0]))
    assert np.asarray(out).dtype == dtype
    grad_ok = dtype.kind == "f"
    if grad_ok:
        assert float(ad.grad(lambda x: mnp.sum(t(x) * 3.0))(np.float64(2.0))) == 3.0


@pytest.mark.parametrize("name", arrays_table.ABSTRACT)
def test_abstract_types_are_numpys(name):
    assert getattr(mnp, name) is getattr(np, name)
    assert mnp.issubdtype(mnp.float32, mnp.inexact)


@pytest.mark.parametrize("name", sorted(arrays_table.DTYPE_QUERIES))
def test_dtype_queries(name):
    call, expected = arrays_table.DTYPE_QUERIES[name]
    assert call() == expected


@pytest.mark.parametrize("name", sorted(arrays_table.ALIASES))
def test_aliases(name):
    expected = arrays_table.ALIASES[name]
    assert getattr(mnp, name) is expected or getattr(mnp, name) == expected


@pytest.mark.parametrize("name", sorted(arrays_table.INDEX_TRICKS))
def test_index_tricks(name):
    call, expected = arrays_table.INDEX_TRICKS[name]
    np.testing.assert_array_equal(call(), expected)


def test_nan_is_nan():
    assert np.isnan(mnp.nan)


# --- broadcasting of binary functions --------------------------------------------------------

BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "power", "pow", "float_power",
          "maximum", "minimum", "fmax", "fmin", "arctan2", "atan2", "hypot", "logaddexp",
          "logaddexp2", "copysign", "heaviside", "remainder", "mod", "fmod"]  # fmt: skip
BROADCAST_SHAPES = [(), (3,), (1, 3), (2, 3), (2, 1, 3)]


def _unbroadcast(g, shape):
    """Sum ``g`` over the axes broadcasting added or stretched, back to ``shape``."""
    g = np.asarray(g)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    return g.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True).reshape(shape)


@pytest.mark.parametrize("name", BINARY)
def test_binary_grad_broadcasts(name):
    """For every pair of shapes, the gradient equals the same-shape gradient (at the
    broadcast operands) summed back over the broadcast axes; the same-shape gradient
    is checked against JAX once."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    positive = name in ("power", "pow", "float_power", "remainder", "mod", "fmod")
    f = getattr(mnp, name)

    def draw(shape):
        return rng.uniform(0.5, 2.0, shape) if positive else rng.normal(size=shape)

    def grads(x, y):
        return ad.grad(lambda a, b: mnp.sum(f(a, b)), argnums=(0, 1))(x, y)

    x, y = draw((2, 1, 3)), draw((1, 3))
    g = getattr(jnp, name)
    expected = jax.grad(lambda a, b: jnp.sum(g(a, b)), argnums=(0, 1))(
        jnp.asarray(x), jnp.asarray(y)
    )
    _assert_close(grads(x, y), expected, f"{name} grad vs JAX", check_dtype=False)
    for sx, sy in itertools.product(BROADCAST_SHAPES, repeat=2):
        x, y = draw(sx), draw(sy)
        full = np.broadcast_shapes(sx, sy)
        gx, gy = grads(np.broadcast_to(x, full).copy(), np.broadcast_to(y, full).copy())
        _assert_close(grads(x, y), (_unbroadcast(gx, sx), _unbroadcast(gy, sy)),
                      f"{name} grad with shapes {sx}, {sy}", check_dtype=False)  # fmt: skip
