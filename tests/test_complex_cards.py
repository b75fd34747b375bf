"""Every primitive card on complex inputs: JAX's values and derivatives, or a TypeError.

Each row of the primitive table (``autodiff_cases``) is run on complex128 and complex64
arguments built from its real ones (``x + 0.3j·N(0, 1)``; integer operands stay as they
are). The outcome must be one of two:

* mini_ad computes it, JAX (x64) computes it too, and the value, a ``jvp`` along a
  complex tangent and a ``vjp`` of a complex cotangent all equal JAX's (JAX's convention:
  ``vjp`` is the plain transpose, no conjugation);
* mini_ad raises a ``TypeError`` naming a primitive and the complex dtype.

Anything else (a silently dropped imaginary part, an accepted input JAX computes
differently, another exception) is the third outcome, and fails.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from autodiff_cases import INTEGER_OUTPUT, ROWS  # noqa: E402
from autodiff_checks import assert_like_jax  # noqa: E402

import mini_ad as ad  # noqa: E402
from mini_ad.core.primitive import registry  # noqa: E402
from mini_ad.tree_util import tree_leaves, tree_map  # noqa: E402

jnp = jax.numpy
COMPLEX = {np.dtype(np.complex128): np.float64, np.dtype(np.complex64): np.float32}


def _complexify(args, dtype, rng):
    out = []
    for x in args:
        x = np.asarray(x)
        if np.issubdtype(x.dtype, np.inexact):
            x = (x + 0.3j * rng.normal(size=x.shape)).astype(dtype)
        out.append(x)
    return tuple(out)


def _random_like(rng, tree):
    def leaf(x):
        x = np.asarray(x)
        if np.issubdtype(x.dtype, np.complexfloating):
            return (rng.normal(size=x.shape) + 1j * rng.normal(size=x.shape)).astype(x.dtype)
        if np.issubdtype(x.dtype, np.floating):
            return rng.normal(size=x.shape).astype(x.dtype)
        return np.zeros(x.shape, jax.dtypes.float0)

    return tree_map(leaf, tree)


def _names_a_primitive_and_complex(message: str) -> bool:
    words = message.replace(",", " ").replace(":", " ").replace("'", " ").split()
    return "complex" in message and any(w in registry for w in words)


def dtype_name(dtype) -> str:
    return {np.complex128: "c128", np.complex64: "c64"}[np.dtype(dtype).type]


def _ids(params):
    row, dtype = params
    return f"{row.id}-{np.dtype(dtype).name}"


CASES = [(r, d) for r in ROWS + INTEGER_OUTPUT for d in COMPLEX]


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_card_on_complex_inputs(case):
    row, dtype = case
    rng = np.random.default_rng(3)
    args = _complexify(row.args(), dtype, rng)
    if not any(np.iscomplexobj(a) for a in args):
        pytest.skip("no inexact operand")
    try:
        closed = ad.make_jaxpr(row.mini)(*args)  # abstract evaluation: dtype rules
        out = row.mini(*args)
    except TypeError as e:
        assert _names_a_primitive_and_complex(str(e)), f"TypeError without the facts: {e}"
        return
    j_out = jax.jit(row.jax)(*args)
    rtol, atol = (1e-9, 1e-11) if dtype == np.complex128 else (2e-4, 2e-5)
    assert_like_jax(out, j_out, "value", rtol, atol)
    if not any(np.issubdtype(np.asarray(o).dtype, np.inexact) for o in tree_leaves(out)):
        return
    assert dtype_name(dtype) in str(closed), "make_jaxpr prints complex types as c128/c64"
    tangents = _random_like(rng, args)
    if "fwd" in row.modes and "fwd" in row.jax_modes:
        _, t_out = ad.jvp(row.mini, args, tangents)
        _, j_t_out = jax.jit(lambda a, t: jax.jvp(row.jax, a, t))(args, tangents)
        assert_like_jax(t_out, j_t_out, "jvp", rtol, atol)
    cotangent = _random_like(rng, out)
    if "rev" in row.modes and "rev" in row.jax_modes:
        mini_cts = ad.vjp(row.mini, *args)[1](cotangent)
        j_cts = jax.jit(lambda a, c: jax.vjp(row.jax, *a)[1](c))(args, cotangent)
        for m, j, x in zip(mini_cts, j_cts, args, strict=True):
            if np.issubdtype(np.asarray(x).dtype, np.inexact):
                assert_like_jax(m, j, "vjp", rtol, atol)
