"""``scan``: a loop with a carry, mapping over the leading axis of its inputs.

``scan : (c -> a -> (c, b)) -> c -> [n]a -> (c, [n]b)``. ``scan`` checks its
arguments, traces the body once into a Jaxpr ``(consts, carry, x) -> (carry, y)`` and
binds ``scan_p``, whose rules (jvp, partial_eval, transpose, batch) are in
``scan_rules.py``.
"""

from __future__ import annotations

from mini_ad.control_flow.common import (
    check_valid_args,
    debug_info,
    flatten_fun,
    trace_hoisted,
    types_match,
)
from mini_ad.control_flow.scan_rules import scan_p, scan_partial_eval  # noqa: F401 - re-exported
from mini_ad.primitives import elementwise as ew
from mini_ad.transforms.staging import aval_of
from mini_ad.tree_util import tree_flatten, tree_unflatten


def scan(f, init, xs=None, length: int | None = None, reverse: bool = False, unroll=1):
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``, as ``jax.lax.scan``.

    ``f`` is traced once; the loop is one ``scan`` primitive, differentiable in forward
    and reverse mode and batchable. Returns the final carry and the ``y`` values stacked
    along a new leading axis. In Python terms::

        carry = init
        for x in xs:                 # reversed(xs) with reverse=True
            carry, y = f(carry, x)   # the ys are stacked in xs's order

    Args:
      f: a function ``(carry, x) -> (carry, y)``; the carry keeps its structure, shapes
        and dtypes (a weakly typed Python-scalar ``init`` takes the carry's dtype).
      init: the initial carry, a pytree of arrays.
      xs: a pytree of arrays sharing their leading axis, or None (then ``x`` is None and
        ``length`` is required).
      length: the number of iterations; must agree with ``xs``' leading axis if both given.
      reverse: iterate from the end of ``xs`` (the ``ys`` still line up with ``xs``).
      unroll: how many iterations one loop step runs when evaluated (an int, or True for
        all); it changes speed, never results.

    Returns:
      ``(final_carry, ys)``.

    Raises:
      TypeError: ``f`` is not callable, or the carry changes structure, shape or dtype.
      ValueError: ``xs`` has no leading axis, or the lengths disagree.

    Example:
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad import lax
      >>> carry, ys = lax.scan(lambda c, x: (c + x, c * x), 0.0, mnp.arange(4.0))
      >>> print(carry, ys)
      6.0 [0. 0. 2. 9.]
    """
    if not callable(f):
        raise TypeError("lax.scan: f argument should be a callable.")
    xs_flat, xs_tree = tree_flatten(xs)
    length = _scan_length(xs_flat, length)
    init_flat, init_tree = tree_flatten(init)
    carry_avals = check_valid_args(init_flat, "lax.scan init")
    x_avals = [a.update(shape=a.shape[1:]) for a in check_valid_args(xs_flat, "lax.scan xs")]
    closed, consts, out_tree = _trace_body(f, init_tree, xs_tree, carry_avals, x_avals)
    carry_out = closed.out_avals[: len(carry_avals)]
    if any(a.weak_type and a.dtype != b.dtype for a, b in zip(carry_avals, carry_out, strict=True)):
        # A weakly typed init (a Python scalar) takes the carry's type, as in JAX.
        init_flat = [
            ew.convert_element_type(x, b.dtype) if a.weak_type and a.dtype != b.dtype else x
            for x, a, b in zip(init_flat, carry_avals, carry_out, strict=True)
        ]
        carry_avals = [aval_of(x) for x in init_flat]
        closed, consts, out_tree = _trace_body(f, init_tree, xs_tree, carry_avals, x_avals)
    _check_carry(carry_avals, closed.out_avals[: len(carry_avals)], init_tree, out_tree)
    outs = scan_p.bind(
        *consts, *init_flat, *xs_flat, jaxpr=closed, length=length, reverse=bool(reverse),
        num_consts=len(consts), num_carry=len(init_flat), unroll=_unroll(unroll, length),
    )  # fmt: skip
    carry_tree, ys_tree = out_tree.children()
    n = len(init_flat)
    return tree_unflatten(carry_tree, outs[:n]), tree_unflatten(ys_tree, outs[n:])


def map(f, xs):  # noqa: A001 - lax's name
    """``f`` applied to each slice of ``xs`` along its leading axis, stacked.

    >>> import mini_ad.numpy as mnp
    >>> map(lambda x: x * 2.0, mnp.arange(3.0))
    array([0., 2., 4.])
    """
    _, ys = scan(lambda carry, x: ((), f(x)), (), xs)
    return ys


def _unroll(unroll, length):
    if unroll is True:
        return max(length, 1)
    if unroll is False:
        return 1
    return int(unroll)


def _scan_length(xs_flat, length):
    lengths = []
    for x in xs_flat:
        shape = check_valid_args([x], "lax.scan xs")[0].shape
        if not shape:
            raise ValueError(f"scan got value with no leading axis to scan over: {x!r}.")
        lengths.append(shape[0])
    if length is not None:
        length = int(length)
        if any(n != length for n in lengths):
            raise ValueError(
                f"scan got `length` argument of {length} which disagrees with leading axis "
                f"sizes {lengths}."
            )
        return length
    if not lengths:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    if len(set(lengths)) > 1:
        raise ValueError(f"scan got values with different leading axis sizes: {lengths}.")
    return lengths[0]


def _trace_body(f, init_tree, xs_tree, carry_avals, x_avals):
    placeholder = (
        init_tree.unflatten([0] * init_tree.num_leaves),
        xs_tree.unflatten([0] * xs_tree.num_leaves),
    )
    in_tree = tree_flatten(placeholder)[1]

    def body(carry, x):
        out = f(carry, x)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(f"scan body output must be a pair, got {out!r}.")
        return tuple(out)

    flat, store = flatten_fun(body, in_tree)
    debug = debug_info("scan", f, len(carry_avals) + len(x_avals), "carry/x")
    closed, consts = trace_hoisted(flat, carry_avals + x_avals, debug)
    return closed, consts, store["out"]


def _check_carry(in_avals, out_avals, in_tree, out_tree):
    carry_tree = out_tree.children()[0]
    if carry_tree != in_tree:
        raise TypeError(
            "scan body function carry input and carry output must have the same pytree "
            f"structure, but they differ: the input carry is {in_tree} and the output "
            f"carry is {carry_tree}."
        )
    diffs = [
        f"  carry[{k}]: input {a.str_short()}, output {b.str_short()}"
        for k, (a, b) in enumerate(zip(in_avals, out_avals, strict=True))
        if not types_match(a, b)
    ]
    if diffs:
        raise TypeError(
            "scan body function carry input and carry output must have equal types (e.g. "
            "shapes and dtypes of arrays), but they differ:\n" + "\n".join(diffs)
        )


__all__ = ["map", "scan", "scan_p"]
