"""NumPy indexing of mini_ad values equals NumPy's: ints, slices with any step (negative
included), ``None``, ``...``, integer arrays and concrete boolean masks.

Each index runs through ``check_like_numpy`` (eagerly via ``mnp.getitem`` on an ndarray,
and staged as ``x[index]`` on a tracer, evaluated with ``eval_jaxpr``).
"""

import itertools

import numpy as np
import pytest
from core_checks import check_like_numpy, random_array

import mini_ad as ad
import mini_ad.numpy as mnp


def check_index(x, index):
    check_like_numpy(lambda x: mnp.getitem(x, index), lambda x: x[index], x)


BASIC_INDICES = [
    0, -1, 2, (1, 2), (-2, -1, 0), (1, 2, 3), slice(None), slice(1, None), slice(None, -1),
    slice(None, None, 2), slice(None, None, -1), slice(3, 0, -1), slice(-1, -5, -2),
    slice(10, -10, -3), slice(5, 1), (slice(None), 1), (0, slice(None, None, -1)),
    (slice(1, 3), slice(None, None, -2), 0), None, (None, 0), (1, None, slice(None), None),
    Ellipsis, (Ellipsis, 0), (0, Ellipsis), (0, Ellipsis, 1), (Ellipsis, None),
    (None, Ellipsis, None), (slice(None), Ellipsis, slice(None, None, -1)), (),
    (np.int64(1), np.int32(-1)), (-3, slice(None, 2), slice(-2, None)),
]  # fmt: skip


@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.int32], ids=lambda d: np.dtype(d).name
)
@pytest.mark.parametrize("index", BASIC_INDICES, ids=repr)
def test_basic_indexing_matches_numpy(index, dtype):
    check_index(random_array((3, 4, 5), dtype, seed=40), index)


# start and stop from before the start to past the end, every step sign
SLICE_BOUNDS = [None, -7, -5, -2, 0, 1, 3, 5, 7]
SLICE_STEPS = [None, 1, 2, 3, -1, -2, -3]


def test_every_slice_of_a_short_axis_matches_numpy():
    x = np.arange(5.0)
    for start, stop, step in itertools.product(SLICE_BOUNDS, SLICE_BOUNDS, SLICE_STEPS):
        check_index(x, slice(start, stop, step))


def test_slices_on_two_axes_at_once():
    x = random_array((4, 5), np.float64, seed=41)
    for steps in itertools.product([1, 2, -1, -3], repeat=2):
        check_index(x, (slice(None, None, steps[0]), slice(1, None, steps[1])))
        check_index(x, (slice(-1, 0, steps[0]), slice(None, 2, steps[1])))


def test_indexing_a_0d_array():
    x = np.array(2.5)
    for index in [(), Ellipsis, None, (None, None), (Ellipsis, None)]:
        check_index(x, index)


ADVANCED_INDICES = [
    np.array([0, 2]), np.array([[1], [0]]), [2, 0, 1], np.array([-1, 0]),
    (np.array([0, 1]), np.array([1, 2])), (slice(None), np.array([3, 0])),
    (1, np.array([0, 0, 2])), (np.array([0, 2]), slice(1, 3)),
    np.array([True, False, True]), (slice(None), np.array([True, False, True, True])),
    np.ones((3, 4), bool),
]  # fmt: skip


@pytest.mark.parametrize("index", ADVANCED_INDICES, ids=repr)
def test_integer_array_and_concrete_mask_indexing_matches_numpy(index):
    check_index(random_array((3, 4, 5), np.float64, seed=42), index)


@pytest.mark.parametrize("index", [3, -4, (0, 0, 0, 0), (Ellipsis, Ellipsis), (0, 5)], ids=repr)
def test_bad_indices_raise_index_error_like_numpy(index):
    x = np.zeros((3, 4, 5))
    with pytest.raises(IndexError):
        x[index]
    with pytest.raises(IndexError):
        mnp.getitem(x, index)


def test_traced_integer_index_uses_its_value():
    x = random_array((4, 3), np.float64, seed=43)
    check_like_numpy(lambda x, i: x[i], lambda x, i: x[i], x, np.int64(2))
    check_like_numpy(lambda x, i: x[i, 1:], lambda x, i: x[i, 1:], x, np.int32(-1))


def test_at_set_add_get_match_numpy_updates():
    x = random_array((4, 3), np.float64, seed=44)

    def np_set(x):
        y = x.copy()
        y[1] = 7.0
        return y

    def np_add(x):
        y = x.copy()
        np.add.at(y, (np.array([0, 2, 0]),), 1.5)
        return y

    check_like_numpy(lambda x: mnp.at(x)[1].set(7.0), np_set, x)
    check_like_numpy(lambda x: mnp.at(x)[np.array([0, 2, 0])].add(1.5), np_add, x)
    check_like_numpy(lambda x: mnp.at(x)[2].get(), lambda x: x[2], x)


AT_INDICES = [
    1,
    (slice(None), 1),
    (slice(0, 2), slice(1, 3)),
    (Ellipsis, -1),
    np.array([0, 0, 2]),
    (None, 1, slice(None, None, -2)),
]


@pytest.mark.parametrize("index", AT_INDICES, ids=repr)
def test_at_updates_with_static_indices_of_any_form_match_jax(index):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    x = np.arange(12.0).reshape(3, 4)
    repeats = isinstance(index, np.ndarray) and len(set(index.tolist())) < index.size
    # With a repeated index JAX multiplies once per occurrence; mini_ad follows NumPy's
    # `x[i] *= v` (once), a documented difference, so multiply is compared without repeats.
    for method in ("set", "add") if repeats else ("set", "add", "multiply"):
        ours = getattr(mnp.at(x)[index], method)(2.5)
        theirs = getattr(jax.numpy.asarray(x).at[index], method)(2.5)
        np.testing.assert_array_equal(ours, np.asarray(theirs))
    loss = lambda v: (mnp.at(v)[index].add(3.0 * v[index]) ** 2).sum()
    jax_loss = lambda v: (v.at[index].add(3.0 * v[index]) ** 2).sum()
    np.testing.assert_allclose(ad.grad(loss)(x), jax.grad(jax_loss)(x), rtol=1e-14)
