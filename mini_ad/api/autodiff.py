"""The derivative transforms on pytrees: ``jvp``, ``linearize``, ``vjp`` and
``linear_transpose`` (``grad`` and friends build on ``vjp`` in ``gradients``).

Each is a pytree shell over a flat core: ``jvp_flat`` (forward mode),
``linearize_flat`` (forward mode with the tangent program staged) and
``backward_pass`` (its transpose). Reverse mode is always linearize + transpose,
at concrete inputs and under other transforms alike.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import (
    aux_out,
    aval_or_error,
    check_callable,
    flat_fun,
    unflatten_results,
    zeros_for,
)
from mini_ad.core.avals import ShapedArray, float0, is_inexact
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.core.tracing import Tracer, get_aval
from mini_ad.transforms.jvp import jvp_flat
from mini_ad.transforms.partial_eval import linearize_flat, tangent_aval
from mini_ad.transforms.transpose import backward_pass, linear_transpose_flat
from mini_ad.tree_util import register_pytree_node, tree_flatten

# --- forward mode -----------------------------------------------------------------------------


def jvp(fun: Callable, primals, tangents, has_aux: bool = False):
    """Forward mode: ``jvp : (a -> b) -> (a, T a) -> (b, T b)``.

    Args:
      fun: the function to differentiate; takes ``len(primals)`` positional pytree
        arguments and returns a pytree (with ``has_aux``, a pair ``(out, aux)``).
      primals: a tuple or list with one pytree per argument of ``fun``.
      tangents: a tuple or list of the same structure; each leaf has its primal's
        shape and dtype (``float0`` for integer and boolean primals).
      has_aux: whether ``fun`` returns ``(out, aux)``; ``aux`` is returned, not
        differentiated.

    Returns:
      ``(fun(*primals), J·tangents)``, and ``aux`` third with ``has_aux``.

    Raises:
      TypeError: ``fun`` is not callable, ``primals``/``tangents`` are not tuples or
        lists or differ in structure, or a tangent's dtype does not match its primal's.
      ValueError: a tangent's shape differs from its primal's.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> ad.jvp(mnp.sin, (0.0,), (2.0,))
      (array(0.), array(2.))
    """
    check_callable(fun, "jvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "primal and tangent arguments to jvp must be tuples or lists; found "
            f"{type(primals).__name__} and {type(tangents).__name__}."
        )
    flat_primals, in_tree = tree_flatten(tuple(primals))
    flat_tangents, tangent_tree = tree_flatten(tuple(tangents))
    if in_tree != tangent_tree:
        raise TypeError(
            "primal and tangent arguments to jvp must have the same tree structure; primals "
            f"have tree structure {in_tree} whereas tangents have tree structure {tangent_tree}."
        )
    checked = [_check_tangent(p, t) for p, t in zip(flat_primals, flat_tangents, strict=True)]
    flat, store = flat_fun(lambda *a: fun(*a), in_tree, has_aux)
    out_primals, out_tangents = jvp_flat(flat, flat_primals, checked)
    n_out = store["n_out"]
    out_tangents = [
        zeros_for(get_aval(p)) if t is None else t
        for p, t in zip(out_primals[:n_out], out_tangents[:n_out], strict=True)
    ]
    primal_out = unflatten_results(store["out"], out_primals[:n_out])
    tangent_out = unflatten_results(store["out"], out_tangents)
    if has_aux:
        return primal_out, tangent_out, aux_out(store, out_primals[n_out:])
    return primal_out, tangent_out


def _check_tangent(primal, tangent):
    """``tangent`` checked against ``primal`` (and cast to its tangent dtype); ``None``
    for the float0 tangent of an integer primal."""
    p_aval = aval_or_error(primal)
    t_aval = aval_or_error(tangent)
    expected = tangent_aval(p_aval)
    expected_name = "float0" if expected.dtype == float0 else expected.dtype.name
    mismatch = (
        "primal and tangent arguments to jvp do not match; dtypes must be equal, or in case "
        "of int/bool primal dtype the tangent dtype must be float0. Got primal dtype "
        f"{p_aval.dtype.name} and so expected tangent dtype {expected_name}, but got "
        f"tangent dtype {t_aval.dtype.name} instead."
    )
    if expected.dtype == float0:
        if t_aval.dtype != float0:
            raise TypeError(mismatch)
        return None
    weak_number = t_aval.weak_type and (is_inexact(t_aval.dtype) or t_aval.dtype.kind in "iu")
    if t_aval.dtype != expected.dtype and not weak_number:
        raise TypeError(mismatch)
    if t_aval.shape != p_aval.shape:
        raise ValueError(
            "jvp called with different primal and tangent shapes; Got primal shape "
            f"{p_aval.shape} and tangent shape as {t_aval.shape}"
        )
    if t_aval.dtype != expected.dtype and not isinstance(tangent, Tracer):
        tangent = np.asarray(tangent, dtype=expected.dtype)
    return tangent


def linearize(fun: Callable, *primals, has_aux: bool = False):
    """``linearize : (a -> b) -> a -> (b, T a -o T b)``: the value and the linear map.

    The primal computation runs now (Python control flow on values works); the
    tangent computation is staged into a linear program that ``f_jvp`` evaluates.

    Args:
      fun: the function to linearize; positional pytree arguments, pytree output
        (with ``has_aux``, a pair ``(out, aux)``).
      *primals: the point to linearize at, one pytree per argument of ``fun``.
      has_aux: whether ``fun`` returns ``(out, aux)``; ``aux`` is returned as is.

    Returns:
      ``(fun(*primals), f_jvp)``, and ``aux`` third with ``has_aux``.
      ``f_jvp(*tangents)`` takes tangents structured like ``primals`` and returns the
      output tangent; it raises TypeError for a wrong structure or dtype.

    Raises:
      TypeError: ``fun`` is not callable or a primal is not an array or scalar.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> y, f_jvp = ad.linearize(mnp.sin, 0.0)
      >>> f_jvp(3.0)
      array(3.)
    """
    check_callable(fun, "linearize")
    flat_primals, in_tree = tree_flatten(primals)
    in_avals = [aval_or_error(p) for p in flat_primals]
    flat, store = flat_fun(fun, in_tree, has_aux)
    out_primals, jaxpr, residuals = linearize_flat(flat, flat_primals)
    n_out = store["n_out"]

    def f_jvp(*tangents):
        flat_tangents, tangent_tree = tree_flatten(tangents)
        if tangent_tree != in_tree:
            raise TypeError(
                f"linearized function called with tangents of tree structure {tangent_tree}, "
                f"expected {in_tree}."
            )
        checked = [_check_tangent(p, t) for p, t in zip(flat_primals, flat_tangents, strict=True)]
        checked = [zeros_for(a) if c is None else c for a, c in zip(in_avals, checked, strict=True)]
        outs = eval_jaxpr(jaxpr, residuals, checked)
        return unflatten_results(store["out"], outs[:n_out])

    primal_out = unflatten_results(store["out"], out_primals[:n_out])
    if has_aux:
        return primal_out, f_jvp, aux_out(store, out_primals[n_out:])
    return primal_out, f_jvp


# --- reverse mode -----------------------------------------------------------------------------


def vjp(fun: Callable, *primals, has_aux: bool = False):
    """Reverse mode: ``vjp : (a -> b) -> a -> (b, T b -o T a)``.

    ``vjp`` = ``linearize`` + transpose: the linear program is walked backwards
    from the output cotangent each time ``vjp_fn`` is called.

    Args:
      fun: the function to differentiate; positional pytree arguments, pytree output
        (with ``has_aux``, a pair ``(out, aux)``).
      *primals: the point to differentiate at, one pytree per argument of ``fun``.
      has_aux: whether ``fun`` returns ``(out, aux)``; ``aux`` is returned as is.

    Returns:
      ``(fun(*primals), vjp_fn)``, and ``aux`` third with ``has_aux``. ``vjp_fn(ct)``
      takes a cotangent structured like the output and returns a tuple with one
      cotangent per primal; it raises ValueError for a wrong structure, shape or dtype.

    Raises:
      TypeError: ``fun`` is not callable or a primal is not an array or scalar.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> y, vjp_fn = ad.vjp(mnp.sin, 0.0)
      >>> vjp_fn(1.0)
      (array(1.),)
    """
    check_callable(fun, "vjp")
    flat_primals, in_tree = tree_flatten(primals)
    in_avals = [aval_or_error(p) for p in flat_primals]
    flat, store = flat_fun(fun, in_tree, has_aux)
    out_primals, jaxpr, residuals = linearize_flat(flat, flat_primals)
    n_out = store["n_out"]
    out_tree = store["out"]
    out_avals = [get_aval(p) for p in out_primals[:n_out]]

    vjp_fn = VJPFunction(
        list(residuals),
        (jaxpr, in_tree, out_tree, tuple(in_avals), tuple(out_avals), len(out_primals)),
    )

    primal_out = unflatten_results(out_tree, out_primals[:n_out])
    if has_aux:
        return primal_out, vjp_fn, aux_out(store, out_primals[n_out:])
    return primal_out, vjp_fn


class VJPFunction:
    """The function ``vjp`` returns: ``vjp_fn(ct)`` runs the backward pass. It is a pytree
    whose leaves are its residuals (JAX's is a ``Partial``), so it can be passed through
    ``jit`` or ``vmap`` as an argument.

    Args:
      residuals: the linear program's constants (the pytree's leaves).
      static: ``(jaxpr, in_tree, out_tree, in_avals, out_avals, n_linear_outputs)``.

    Examples:
      >>> import mini_ad as ad, mini_ad.numpy as mnp
      >>> _, vjp_fn = ad.vjp(mnp.sin, 0.0)
      >>> ad.jit(lambda f, ct: f(ct))(vjp_fn, 2.0)
      (array(2.),)
    """

    __slots__ = ("residuals", "static")

    def __init__(self, residuals, static):
        self.residuals = residuals
        self.static = static

    def __call__(self, ct):
        jaxpr, in_tree, out_tree, in_avals, out_avals, n_linear_out = self.static
        flat_cts, ct_tree = tree_flatten(ct)
        if ct_tree != out_tree:
            raise ValueError(
                f"unexpected tree structure of the cotangent passed to the VJP function: got "
                f"{ct_tree}, but expected {out_tree} (the structure of the differentiated "
                "function's output)."
            )
        cts = [_check_cotangent(c, a) for c, a in zip(flat_cts, out_avals, strict=True)]
        cts_in = backward_pass(jaxpr, self.residuals, cts + [None] * (n_linear_out - len(cts)))
        cts_in = [zeros_for(a) if c is None else c for c, a in zip(cts_in, in_avals, strict=True)]
        return tuple(unflatten_results(in_tree, cts_in))

    def __repr__(self):
        return f"<vjp function with {len(self.residuals)} residuals>"


register_pytree_node(
    VJPFunction,
    lambda f: (f.residuals, f.static),
    lambda static, res: VJPFunction(list(res), static),
)


def _check_cotangent(ct, out_aval: ShapedArray):
    """``ct`` checked against the output it is the cotangent of (and cast to its dtype);
    ``None`` (a zero) for an integer output."""
    ct_aval = aval_or_error(ct)
    expected = tangent_aval(out_aval)
    if expected.dtype == float0:
        return None
    same_kind = (
        ct_aval.dtype == expected.dtype
        or (ct_aval.weak_type and ct_aval.dtype.kind in "fiu" and expected.dtype.kind == "f")
        or (isinstance(ct, np.generic) and ct_aval.dtype.kind == "f" and expected.dtype.kind == "f")
    )
    if ct_aval.shape != expected.shape or not same_kind:
        raise ValueError(
            "unexpected type (e.g. shape/dtype) for argument to VJP function: got "
            f"{ct_aval.str_short()}, but expected {expected.strip_weak_type().str_short()} because "
            "the corresponding output of the differentiated function had type "
            f"{out_aval.strip_weak_type().str_short()}"
        )
    if ct_aval.dtype != expected.dtype and not isinstance(ct, Tracer):
        ct = np.asarray(ct, dtype=expected.dtype)
    return ct


def linear_transpose(fun: Callable, *primals):
    """The transpose of a linear function at the types of ``primals``.

    Args:
      fun: a function linear in its positional pytree arguments.
      *primals: example arguments; only their structure, shapes and dtypes are used.

    Returns:
      ``transposed(ct)``: takes a cotangent structured like ``fun``'s output and
      returns a tuple with one cotangent per primal; it raises ValueError for a
      wrong structure, shape or dtype.

    Raises:
      TypeError: ``fun`` is not callable or a primal is not an array or scalar.

    Examples:
      >>> import mini_ad as ad
      >>> ad.linear_transpose(lambda x: 3.0 * x, 1.0)(1.0)
      (array(3.),)
    """
    check_callable(fun, "linear_transpose")
    flat_primals, in_tree = tree_flatten(primals)
    in_avals = [aval_or_error(p) for p in flat_primals]
    flat, store = flat_fun(fun, in_tree)
    out_avals, transposed_flat = linear_transpose_flat(flat, in_avals)

    def transposed(ct):
        flat_cts, ct_tree = tree_flatten(ct)
        if ct_tree != store["out"]:
            raise ValueError(f"unexpected tree structure {ct_tree}, expected {store['out']}.")
        cts = [_check_cotangent(c, a) for c, a in zip(flat_cts, out_avals, strict=True)]
        cts_in = transposed_flat(cts)
        cts_in = [zeros_for(a) if c is None else c for c, a in zip(cts_in, in_avals, strict=True)]
        return tuple(unflatten_results(in_tree, cts_in))

    return transposed
