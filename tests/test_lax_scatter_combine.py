"""``lax.scatter_mul``, ``scatter_min``, ``scatter_max`` and ``scatter_apply`` against JAX (x64):
values for unique, repeated and out-of-bounds indices in every mode, eagerly and under ``jit``
and ``vmap``; derivatives against JAX's where JAX's are defined (unique indices, no clipping)
and against finite differences everywhere (JAX's ``scatter_min``/``max`` derivatives with
``mode="clip"`` and clipped indices come out wrong, ``inf`` among them; JAX's ``scatter_mul``
has none for repeated indices)."""

import numpy as np
import pytest

import mini_ad as ad
import mini_ad.lax as ml
import mini_ad.numpy as mnp
from mini_ad.testing import check_grads

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jl, jnp = jax.lax, jax.numpy

RNG = np.random.default_rng(0)
OP = RNG.normal(size=(5, 3)) + 2
ROWS = dict(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
POINTS = dict(
    update_window_dims=(), inserted_window_dims=(0, 1), scatter_dims_to_operand_dims=(0, 1)
)
CASES = {  # id: (indices, updates, dimension numbers, unique and in bounds)
    "rows": (np.array([[0], [3]]), RNG.normal(size=(2, 3)), ROWS, True),
    "rows-repeated": (np.array([[1], [1], [4]]), RNG.normal(size=(3, 3)), ROWS, False),
    "rows-out-of-bounds": (np.array([[1], [7], [-1]]), RNG.normal(size=(3, 3)), ROWS, False),
    "points-repeated": (
        np.array([[0, 0], [2, 1], [2, 1], [4, 2]]),
        RNG.normal(size=4),
        POINTS,
        False,
    ),
    "points-out-of-bounds": (np.array([[0, 5], [2, 1], [9, 1]]), RNG.normal(size=3), POINTS, False),
}
KINDS = ["scatter_mul", "scatter_min", "scatter_max"]
MODES = [None, "clip", "drop", "promise_in_bounds"]


def _ours(kind, idx, dn, mode):
    dnums = ml.ScatterDimensionNumbers(**dn)
    return lambda o, u: getattr(ml, kind)(o, idx, u, dnums, mode=mode)


def _theirs(kind, idx, dn, mode):
    dnums = jl.ScatterDimensionNumbers(**dn)
    return lambda o, u: getattr(jl, kind)(o, idx, u, dnums, mode=mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", KINDS)
def test_values_match_jax_eager_jit_and_vmap(kind, case, mode):
    idx, upd, dn, _ = CASES[case]
    ours, theirs = _ours(kind, idx, dn, mode), _theirs(kind, idx, dn, mode)
    want = np.asarray(theirs(OP, upd))
    got = ours(OP, upd)
    np.testing.assert_array_equal(np.asarray(got), want)
    np.testing.assert_array_equal(np.asarray(ad.jit(ours)(OP, upd)), want)
    batch = np.stack([OP, OP * 0.5, -OP])
    looped = np.stack([np.asarray(ours(o, upd)) for o in batch])
    np.testing.assert_array_equal(np.asarray(ad.vmap(ours, (0, None))(batch, upd)), looped)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", KINDS)
def test_derivatives(kind, case):
    idx, upd, dn, unique = CASES[case]
    for mode in (None, "clip"):
        check_grads(_ours(kind, idx, dn, mode), (OP, upd), order=2, modes=("fwd", "rev"))
    if unique:  # JAX's own derivatives are defined and right here (scatter_mul: if told)
        dnums = jl.ScatterDimensionNumbers(**dn)

        def jax_f(o, u):
            return jnp.sum(jnp.sin(getattr(jl, kind)(o, idx, u, dnums, unique_indices=True)))

        ours = ad.grad(lambda o, u: mnp.sum(mnp.sin(_ours(kind, idx, dn, None)(o, u))), (0, 1))
        theirs = jax.grad(jax_f, (0, 1))
        for a, b in zip(ours(OP, upd), theirs(OP, upd), strict=True):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-13)


@pytest.mark.parametrize("mode", [None, "clip"])
@pytest.mark.parametrize("case", list(CASES))
def test_scatter_apply_matches_jax(case, mode):
    idx, upd, dn, _ = CASES[case]
    got = ml.scatter_apply(
        OP, idx, mnp.exp, ml.ScatterDimensionNumbers(**dn), update_shape=upd.shape, mode=mode
    )
    want = jl.scatter_apply(
        OP, idx, jnp.exp, jl.ScatterDimensionNumbers(**dn), update_shape=upd.shape, mode=mode
    )
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-15)
