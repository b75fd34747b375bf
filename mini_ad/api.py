"""The public transforms: argument checks, pytrees, ``argnums`` and ``has_aux``.

Each transform here is a thin shell: it checks its arguments, flattens pytrees,
calls a flat core from ``mini_ad.transforms`` and unflattens the result. Return
structures and error types follow JAX (see ``shared/JAX_FACTS.md``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from mini_ad.control_flow import checkpoint, custom_jvp, custom_vjp, jit, remat  # noqa: F401
from mini_ad.core.avals import ShapedArray, float0, is_float, is_inexact
from mini_ad.core.jaxpr import ClosedJaxpr
from mini_ad.core.tracing import Tracer, current_trace, get_aval
from mini_ad.primitives import structural as st
from mini_ad.transforms.batching import vmap_flat
from mini_ad.transforms.jvp import jvp_flat
from mini_ad.transforms.partial_eval import linearize_flat, tangent_aval
from mini_ad.transforms.staging import DebugInfo, StagingTrace, trace_to_jaxpr
from mini_ad.transforms.transpose import backward_pass
from mini_ad.tree_util import tree_flatten, tree_map, tree_structure, tree_unflatten

# --- argument handling ------------------------------------------------------------------------


def _check_callable(fun, transform: str) -> None:
    if not callable(fun):
        raise TypeError(f"{transform} expected a callable function, got {fun!r}.")


def _aval_or_error(x, name="argument"):
    try:
        return get_aval(x)
    except TypeError:
        raise TypeError(
            f"Argument '{x}' of type {type(x)} is not a valid mini_ad type: pass NumPy "
            "arrays, Python scalars, or pytrees (tuples, lists, dicts) of them."
        ) from None


def _normalize_argnums(argnums, nargs: int) -> tuple[int, ...]:
    many = isinstance(argnums, (tuple, list))
    nums = tuple(argnums) if many else (argnums,)
    for n in nums:
        if not isinstance(n, (int, np.integer)):
            raise TypeError(f"argnums must be an int or a tuple of ints, got {argnums!r}.")
        if not -nargs <= n < nargs:
            raise TypeError(
                f"differentiating with respect to argnums={argnums} requires at least "
                f"{(n if n >= 0 else -n - 1) + 1} positional arguments to be passed by the "
                f"caller, but got only {nargs} positional arguments."
            )
    return tuple(int(n) % nargs for n in nums)


def _split_args(args, argnums):
    """The differentiated arguments, and a function rebuilding the full argument list."""
    dyn = [args[i] for i in argnums]

    def merge(dyn_values):
        full = list(args)
        for i, value in zip(argnums, dyn_values, strict=True):
            full[i] = value
        return full

    return dyn, merge


def _flat_fun(fun, in_tree, has_aux=False):
    """Wrap a pytree function as one on flat lists; its output treedefs land in ``store``."""
    store = {}

    def flat(*leaves):
        args = tree_unflatten(in_tree, leaves)
        out = fun(*args)
        if has_aux:
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise TypeError(
                    "expected function with aux output to return a two-element tuple, but "
                    f"got type {type(out)} with value {out!r}"
                )
            out, aux = out
            out_flat, store["out"] = tree_flatten(out)
            aux_flat, store["aux"] = tree_flatten(aux)
            store["n_out"] = len(out_flat)
            # non-array aux leaves (strings, objects) skip the transform, returned untouched
            store["aux_static"] = [None if _is_value(x) else x for x in aux_flat]
            return out_flat + [x for x in aux_flat if _is_value(x)]
        out_flat, store["out"] = tree_flatten(out)
        store["n_out"] = len(out_flat)
        return out_flat

    return flat, store


def _is_value(x) -> bool:
    try:
        get_aval(x)
    except TypeError:
        return False
    return True


def _aux_out(store, values):
    """The aux pytree from the transformed array leaves and the untouched other leaves."""
    values = iter(values)
    leaves = [next(values) if x is None else x for x in store["aux_static"]]
    return tree_unflatten(store["aux"], leaves)


def _zeros_for(aval: ShapedArray):
    t = tangent_aval(aval)
    return np.zeros(t.shape, t.dtype)


# --- make_jaxpr -------------------------------------------------------------------------------


def make_jaxpr(fun: Callable, static_argnums=(), return_shape: bool = False) -> Callable:
    """Trace ``fun`` into a ``ClosedJaxpr`` (the IR) without running it on data.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> print(ad.make_jaxpr(lambda x: mnp.sum(mnp.sin(x) * 2.0))(mnp.ones(3)))
    { lambda ; a:f64[3]. let
        b:f64[3] = sin a
        c:f64[3] = mul b 2.0:f64[]
        d:f64[] = reduce_sum[axes=(0,) out_sharding=None] c
      in (d,) }
    """
    _check_callable(fun, "make_jaxpr")
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def make(*args, **kwargs):
        static_pos = {i % len(args) for i in static} if args else set()
        dyn_pos = [i for i in range(len(args)) if i not in static_pos]
        dyn_args = [args[i] for i in dyn_pos]
        flat_args, in_tree = tree_flatten((dyn_args, kwargs))
        in_avals = [_aval_or_error(x) for x in flat_args]

        def call(dyn, kw):
            full = list(args)
            for i, value in zip(dyn_pos, dyn, strict=True):
                full[i] = value
            return fun(*full, **kw)

        flat, store = _flat_fun(call, in_tree)
        names = _arg_names(fun, dyn_pos, len(flat_args), in_tree)
        jaxpr, consts = trace_to_jaxpr(flat, in_avals, DebugInfo("make_jaxpr", fun, names))
        closed = ClosedJaxpr(jaxpr, consts)
        if return_shape:
            shapes = [ShapeDtypeStruct(a.shape, a.dtype) for a in jaxpr.out_avals]
            return closed, tree_unflatten(store["out"], shapes)
        return closed

    return make


class ShapeDtypeStruct:
    """The shape and dtype of a value (JAX: ``jax.ShapeDtypeStruct``)."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    def __eq__(self, other):
        return isinstance(other, ShapeDtypeStruct) and (self.shape, self.dtype) == (
            other.shape,
            other.dtype,
        )

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def __repr__(self):
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name})"


def _arg_names(fun, positions, n_leaves, in_tree) -> list[str]:
    """One name per flat argument (the parameter name; pytree leaves get a path suffix)."""
    import inspect

    try:
        params = list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        params = []
    names = []
    dyn_tree = in_tree.children()[0] if in_tree.num_nodes > 1 else None
    children = dyn_tree.children() if dyn_tree is not None else []
    for pos, child in zip(positions, children, strict=True):
        base = params[pos] if pos < len(params) else f"args[{pos}]"
        count = child.num_leaves
        names.extend([base] * count if count == 1 else [f"{base}[{k}]" for k in range(count)])
    return names + [f"kwargs[{k}]" for k in range(n_leaves - len(names))]


# --- forward mode -----------------------------------------------------------------------------


def _tree_type_name(x) -> str:
    return type(x).__name__


def jvp(fun: Callable, primals, tangents, has_aux: bool = False):
    """Forward mode: ``(fun(*primals), J·tangents)``.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ad.jvp(mnp.sin, (0.0,), (2.0,))
    (array(0.), array(2.))
    """
    _check_callable(fun, "jvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "primal and tangent arguments to jvp must be tuples or lists; found "
            f"{_tree_type_name(primals)} and {_tree_type_name(tangents)}."
        )
    flat_primals, in_tree = tree_flatten(tuple(primals))
    flat_tangents, tangent_tree = tree_flatten(tuple(tangents))
    if in_tree != tangent_tree:
        raise TypeError(
            "primal and tangent arguments to jvp must have the same tree structure; primals "
            f"have tree structure {in_tree} whereas tangents have tree structure {tangent_tree}."
        )
    checked = [_check_tangent(p, t) for p, t in zip(flat_primals, flat_tangents, strict=True)]
    flat, store = _flat_fun(lambda *a: fun(*a), in_tree, has_aux)
    out_primals, out_tangents = jvp_flat(flat, flat_primals, checked)
    n_out = store["n_out"]
    out_tangents = [
        _zeros_for(get_aval(p)) if t is None else t
        for p, t in zip(out_primals[:n_out], out_tangents[:n_out], strict=True)
    ]
    primal_out = tree_unflatten(store["out"], out_primals[:n_out])
    tangent_out = tree_unflatten(store["out"], out_tangents)
    if has_aux:
        return primal_out, tangent_out, _aux_out(store, out_primals[n_out:])
    return primal_out, tangent_out


def _check_tangent(primal, tangent):
    p_aval = _aval_or_error(primal)
    t_aval = _aval_or_error(tangent)
    expected = tangent_aval(p_aval)
    if expected.dtype == float0:
        if t_aval.dtype != float0:
            raise TypeError(
                "primal and tangent arguments to jvp do not match; dtypes must be equal, or in "
                f"case of int/bool primal dtype the tangent dtype must be float0. Got primal "
                f"dtype {p_aval.dtype.name} and so expected tangent dtype float0, but got "
                f"tangent dtype {t_aval.dtype.name} instead."
            )
        return None
    if t_aval.dtype != expected.dtype and not (
        t_aval.weak_type
        and is_inexact(t_aval.dtype)
        or t_aval.weak_type
        and t_aval.dtype.kind in "iu"
    ):
        raise TypeError(
            "primal and tangent arguments to jvp do not match; dtypes must be equal, or in "
            f"case of int/bool primal dtype the tangent dtype must be float0. Got primal dtype "
            f"{p_aval.dtype.name} and so expected tangent dtype {expected.dtype.name}, but got "
            f"tangent dtype {t_aval.dtype.name} instead."
        )
    if t_aval.shape != p_aval.shape:
        raise ValueError(
            "jvp called with different primal and tangent shapes; Got primal shape "
            f"{p_aval.shape} and tangent shape as {t_aval.shape}"
        )
    if t_aval.dtype != expected.dtype and not isinstance(tangent, Tracer):
        tangent = np.asarray(tangent, dtype=expected.dtype)
    return tangent


# --- reverse mode -----------------------------------------------------------------------------


def linearize(fun: Callable, *primals, has_aux: bool = False):
    """``(fun(*primals), f_jvp)`` where ``f_jvp`` evaluates the staged linear map.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> y, f_jvp = ad.linearize(mnp.sin, 0.0)
    >>> f_jvp(3.0)
    array(3.)
    """
    _check_callable(fun, "linearize")
    flat_primals, in_tree = tree_flatten(primals)
    for p in flat_primals:
        _aval_or_error(p)
    flat, store = _flat_fun(fun, in_tree, has_aux)
    out_primals, jaxpr, residuals = linearize_flat(flat, flat_primals)
    n_out = store["n_out"]
    in_avals = [get_aval(p) for p in flat_primals]

    def f_jvp(*tangents):
        flat_tangents, tangent_tree = tree_flatten(tangents)
        if tangent_tree != in_tree:
            raise TypeError(
                f"linearized function called with tangents of tree structure {tangent_tree}, "
                f"expected {in_tree}."
            )
        checked = [
            _zeros_for(a) if c is None else c
            for a, c in zip(
                in_avals,
                (_check_tangent(p, t) for p, t in zip(flat_primals, flat_tangents, strict=True)),
                strict=True,
            )
        ]
        from mini_ad.core.jaxpr import eval_jaxpr

        outs = eval_jaxpr(jaxpr, residuals, checked)
        return tree_unflatten(store["out"], outs[:n_out])

    primal_out = tree_unflatten(store["out"], out_primals[:n_out])
    if has_aux:
        return primal_out, f_jvp, _aux_out(store, out_primals[n_out:])
    return primal_out, f_jvp


def vjp(fun: Callable, *primals, has_aux: bool = False):
    """Reverse mode: ``(fun(*primals), vjp_fn)``; ``vjp_fn(ct)`` returns a tuple with one
    cotangent per primal.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> y, vjp_fn = ad.vjp(mnp.sin, 0.0)
    >>> vjp_fn(1.0)
    (array(1.),)
    """
    _check_callable(fun, "vjp")
    return _vjp(fun, primals, has_aux)


def _vjp(fun, primals, has_aux):
    """``vjp`` without the callable check: linearize, then transpose on demand."""
    flat_primals, in_tree = tree_flatten(primals)
    in_avals = [_aval_or_error(p) for p in flat_primals]
    flat, store = _flat_fun(fun, in_tree, has_aux)
    out_primals, jaxpr, residuals = linearize_flat(flat, flat_primals)
    backward = functools.partial(backward_pass, jaxpr, residuals)
    n_out = store["n_out"]
    out_tree = store["out"]
    out_avals = [get_aval(p) for p in out_primals[:n_out]]

    def vjp_fn(ct):
        flat_cts, ct_tree = tree_flatten(ct)
        if ct_tree != out_tree:
            raise ValueError(
                f"unexpected tree structure of the cotangent passed to the VJP function: got "
                f"{ct_tree}, but expected {out_tree} (the structure of the differentiated "
                "function's output)."
            )
        cts = [_check_cotangent(c, a) for c, a in zip(flat_cts, out_avals, strict=True)]
        cts_in = backward(cts + [None] * (len(out_primals) - n_out))
        cts_in = [_zeros_for(a) if c is None else c for c, a in zip(cts_in, in_avals, strict=True)]
        return tuple(tree_unflatten(in_tree, cts_in))

    primal_out = tree_unflatten(out_tree, out_primals[:n_out])
    if has_aux:
        return primal_out, vjp_fn, _aux_out(store, out_primals[n_out:])
    return primal_out, vjp_fn


def _check_cotangent(ct, out_aval: ShapedArray):
    ct_aval = _aval_or_error(ct)
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
    """The transpose of a linear ``fun`` at the types of ``primals``: ``ct -> tuple``.

    >>> import mini_ad as ad
    >>> ad.linear_transpose(lambda x: 3.0 * x, 1.0)(1.0)
    (array(3.),)
    """
    _check_callable(fun, "linear_transpose")
    flat_primals, in_tree = tree_flatten(primals)
    in_avals = [_aval_or_error(p) for p in flat_primals]
    flat, store = _flat_fun(fun, in_tree)
    trace = StagingTrace(current_trace(), partial=True)
    from mini_ad.core.tracing import set_current_trace

    with set_current_trace(trace, end=True):
        ins = [trace.new_arg(a) for a in in_avals]
        jaxpr, consts = trace.build(flat(*ins))
    out_avals = jaxpr.out_avals

    def transposed(ct):
        flat_cts, ct_tree = tree_flatten(ct)
        if ct_tree != store["out"]:
            raise ValueError(f"unexpected tree structure {ct_tree}, expected {store['out']}.")
        cts = [_check_cotangent(c, a) for c, a in zip(flat_cts, out_avals, strict=True)]
        cts_in = backward_pass(jaxpr, consts, cts)
        cts_in = [_zeros_for(a) if c is None else c for c, a in zip(cts_in, in_avals, strict=True)]
        return tuple(tree_unflatten(in_tree, cts_in))

    return transposed


def _check_grad_inputs(
    dyn_args, transform: str, allow_int: bool, holomorphic: bool, real_only=False
):
    for leaf in tree_flatten(dyn_args)[0]:
        aval = _aval_or_error(leaf)
        dtype = aval.dtype
        if holomorphic and dtype.kind != "c":
            raise TypeError(
                f"{transform} with holomorphic=True requires inputs with complex dtype, but got {dtype.name}."
            )
        if real_only and not is_float(dtype) and not (allow_int and dtype.kind in "biu"):
            raise TypeError(
                f"{transform} requires real-valued inputs (input dtype that is a sub-dtype of "
                f"np.floating), but got {dtype.name}. For differentiation of non-floating inputs, "
                "use jvp or vjp directly."
            )
        if not is_inexact(dtype) and not allow_int:
            raise TypeError(
                f"{transform} requires real- or complex-valued inputs (input dtype that is a "
                f"sub-dtype of np.inexact), but got {dtype.name}. If you want to use Boolean- or "
                "integer-valued inputs, use vjp or set allow_int to True."
            )


def _check_scalar_output(out, transform: str, holomorphic: bool) -> ShapedArray:
    try:
        aval = get_aval(out)
    except TypeError:
        raise TypeError(
            f"Gradient only defined for scalar-output functions. Output was {out!r}."
        ) from None
    if aval.shape != ():
        raise TypeError(
            f"Gradient only defined for scalar-output functions. Output had shape: {aval.shape}."
        )
    dtype = aval.dtype
    if dtype.kind == "c" and not holomorphic:
        raise TypeError(
            f"{transform} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            "holomorphic=True. For differentiation of non-holomorphic functions involving "
            "complex outputs, use vjp directly."
        )
    if dtype.kind not in "fc":
        raise TypeError(
            f"{transform} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For differentiation of functions with integer "
            "outputs, use vjp directly."
        )
    return aval


def value_and_grad(
    fun: Callable,
    argnums=0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable:
    """``(fun(*args), grad(fun)(*args))`` in one pass.

    >>> import mini_ad as ad
    >>> ad.value_and_grad(lambda x: x ** 3)(2.0)
    (array(8.), array(12.))
    """
    _check_callable(fun, "value_and_grad")

    @functools.wraps(fun)
    def value_and_grad_f(*args, **kwargs):
        return _value_and_grad(fun, argnums, has_aux, holomorphic, allow_int, "grad", args, kwargs)

    return value_and_grad_f


def _value_and_grad(fun, argnums, has_aux, holomorphic, allow_int, transform, args, kwargs):
    nums = _normalize_argnums(argnums, len(args))
    dyn, merge = _split_args(args, nums)
    _check_grad_inputs(dyn, transform, allow_int, holomorphic)
    results = _vjp(lambda *d: fun(*merge(d), **kwargs), dyn, has_aux)
    out, vjp_fn, aux = results[0], results[1], results[2] if has_aux else None
    aval = _check_scalar_output(out, transform, holomorphic)
    grads = vjp_fn(np.ones((), aval.dtype))
    grads = grads[0] if isinstance(argnums, (int, np.integer)) else tuple(grads)
    if has_aux:
        return (out, aux), grads
    return out, grads


def grad(
    fun: Callable,
    argnums=0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable:
    """The gradient of a scalar function, with the structure of its argument(s).

    >>> import mini_ad as ad
    >>> ad.grad(ad.grad(ad.grad(lambda x: x ** 3)))(4.0)
    array(6.)
    """
    _check_callable(fun, "grad")

    @functools.wraps(fun)
    def grad_f(*args, **kwargs):
        value, g = _value_and_grad(
            fun, argnums, has_aux, holomorphic, allow_int, "grad", args, kwargs
        )
        return (g, value[1]) if has_aux else g

    return grad_f


# --- vectorizing --------------------------------------------------------------------------------


def vmap(fun: Callable, in_axes=0, out_axes=0, axis_size: int | None = None) -> Callable:
    """Vectorize ``fun`` over an axis of its arguments: ``vmap(f)(xs)[i] == f(xs[i])``.

    ``in_axes`` is an int, ``None`` (not mapped) or a tuple with one entry per
    positional argument, each a prefix pytree of that argument with int/``None``
    leaves; negative axes count from the end. Keyword arguments are mapped over axis
    0. ``out_axes`` is a prefix pytree of the output: where the batch axis goes
    (``None``: the output must not depend on the mapped axis). ``axis_size`` is needed
    when nothing is mapped.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ad.vmap(lambda x, y: mnp.dot(x, y), in_axes=(0, None))(mnp.eye(2), mnp.array([3.0, 4.0]))
    array([3., 4.])
    >>> ad.vmap(lambda x: x.sum(), in_axes=1)(mnp.ones((2, 3)))
    array([2., 2., 2.])
    """
    _check_callable(fun, "vmap")
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)
    if not (in_axes is None or isinstance(in_axes, (int, tuple))) or isinstance(in_axes, bool):
        raise TypeError(
            "vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
            f"positional arguments passed to the function, but got {in_axes!r}."
        )
    _check_axis_spec(in_axes, "in_axes")
    _check_axis_spec(out_axes, "out_axes")
    if axis_size is not None and not isinstance(axis_size, (int, np.integer)):
        raise TypeError(f"vmap axis_size must be an int, got {axis_size!r}.")

    @functools.wraps(fun)
    def vmapped(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(
                "vmap in_axes must be an int, None, or a tuple of entries corresponding to the "
                f"positional arguments passed to the function, but got len(in_axes)="
                f"{len(in_axes)}, len(args)={len(args)}"
            )
        if not args and not kwargs and axis_size is None:
            raise ValueError(
                "vmap wrapped function must be passed at least one argument containing an "
                "array or axis_size must be specified, got empty *args=() and **kwargs={}"
            )
        flat_args, in_tree = tree_flatten((args, kwargs))
        spec = (
            in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args),
            {k: 0 for k in kwargs},
        )
        in_dims = _broadcast_prefix(spec, in_tree, "in_axes", shown=in_axes)
        names = _vmap_arg_names(fun, args, kwargs, len(flat_args))
        in_dims, size = _mapped_axes(flat_args, in_dims, names, axis_size)
        flat, store = _flat_fun(lambda a, kw: fun(*a, **kw), in_tree)

        def out_dims():
            return _broadcast_prefix(out_axes, store["out"], "out_axes")

        debug = DebugInfo("vmap", fun, names)
        outs = vmap_flat(flat, flat_args, in_dims, out_dims, size, debug)
        return tree_unflatten(store["out"], outs)

    return vmapped


def _check_axis_spec(spec, what: str) -> None:
    for leaf in tree_flatten(spec, is_leaf=lambda x: x is None)[0]:
        if leaf is not None and (not isinstance(leaf, (int, np.integer)) or isinstance(leaf, bool)):
            raise TypeError(
                f"vmap {what} must be an int, None, or (nested) container with those types as "
                f"leaves, but got {spec!r}."
            )


def _broadcast_prefix(spec, tree_def, what: str, shown=None) -> list:
    """One axis per leaf of ``tree_def``: each leaf of the prefix ``spec`` applies to
    every leaf of the matching subtree (``shown``: the spec as the user wrote it)."""
    spec_leaves, spec_tree = tree_flatten(spec, is_leaf=lambda x: x is None)
    positions = tree_unflatten(tree_def, list(range(tree_def.num_leaves)))
    try:
        subtrees = spec_tree.flatten_up_to(positions)
    except ValueError as e:
        raise ValueError(
            f"vmap {what} specification must be a tree prefix of the corresponding value, got "
            f"specification {spec if shown is None else shown!r} for value tree {tree_def}. {e}"
        ) from None
    axes = [None] * tree_def.num_leaves
    for axis, subtree in zip(spec_leaves, subtrees, strict=True):
        for i in tree_flatten(subtree)[0]:
            axes[i] = axis
    return axes


def _vmap_arg_names(fun, args, kwargs, n_leaves) -> list[str]:
    """``argument x``, ``argument y['a']``, ``kwargs['z']``: one name per flat leaf."""
    import inspect

    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    try:
        params = [
            p.name for p in inspect.signature(fun).parameters.values() if p.kind in positional
        ]
    except (TypeError, ValueError):
        params = []
    names = {}
    for i, arg in enumerate(args):
        base = params[i] if i < len(params) else f"args[{i}]"
        names.update(_leaf_paths(arg, f"argument {base}", len(names)))
    for k in sorted(kwargs):
        names.update(_leaf_paths(kwargs[k], f"kwargs[{k!r}]", len(names)))
    if len(names) != n_leaves:
        return [f"argument {i}" for i in range(n_leaves)]
    return [names[i] for i in range(n_leaves)]


def _leaf_paths(tree, base: str, start: int) -> dict:
    """``{flat position: path}`` for the leaves of ``tree`` (numbered from ``start``)."""
    leaves, treedef = tree_flatten(tree)
    marked = tree_unflatten(treedef, list(range(start, start + len(leaves))))
    out = {}

    def walk(node, path):
        if isinstance(node, int) and not isinstance(node, bool):
            out[node] = path
        elif isinstance(node, dict):
            for key, child in node.items():
                walk(child, f"{path}[{key!r}]")
        elif isinstance(node, tuple) and hasattr(node, "_fields"):
            for field, child in zip(node._fields, node, strict=True):
                walk(child, f"{path}.{field}")
        elif isinstance(node, (tuple, list)):
            for k, child in enumerate(node):
                walk(child, f"{path}[{k}]")
        elif node is not None:  # a registered custom node: number its leaves
            for k, i in enumerate(tree_flatten(node)[0]):
                out[i] = f"{path}[{k}]"

    walk(marked, base)
    return out


def _mapped_axes(flat_args, in_dims, names, axis_size):
    """Normalize negative axes, check ranks, and find the one mapped size."""
    dims, sizes = [], []
    for x, d, name in zip(flat_args, in_dims, names, strict=True):
        if d is None:
            dims.append(None)
            continue
        aval = _aval_or_error(x)
        if not -aval.ndim <= d < aval.ndim:
            raise ValueError(
                f"vmap was requested to map its {name} along axis {d}, which implies that its "
                f"rank should be at least {d + 1 if d >= 0 else -d}, but is only {aval.ndim} "
                f"(its shape is {aval.shape})"
            )
        dims.append(d % aval.ndim)
        sizes.append((aval.shape[d], d % aval.ndim, name, aval))
    if not sizes and axis_size is None:
        raise ValueError(
            "vmap must have at least one non-None value in in_axes or axis_size must be specified"
        )
    distinct = {n for n, *_ in sizes} | ({axis_size} if axis_size is not None else set())
    if len(distinct) > 1:
        lines = [f"  * the `axis_size` argument was {axis_size};"] if axis_size is not None else []
        lines += [
            f"  * axis {d} of {name} of type {aval.str_short()} had size {n};"
            for n, d, name, aval in sizes
        ]
        lines[-1] = lines[-1].rstrip(";")
        raise ValueError(
            "vmap got inconsistent sizes for array axes to be mapped:\n" + "\n".join(lines)
        )
    size = axis_size if axis_size is not None else sizes[0][0]
    return dims, int(size)


# --- jacobians --------------------------------------------------------------------------------


def _stacked_basis(avals):
    """The standard basis of the flattened leaves, stacked: leaf j gets an array of shape
    ``(total,) + shape_j`` whose row k is leaf j's part of the k-th basis vector."""
    sizes = [a.size for a in avals]
    total = sum(sizes)
    leaves = []
    offset = 0
    for a, n in zip(avals, sizes, strict=True):
        rows = np.zeros((total, n), a.dtype)
        rows[np.arange(offset, offset + n), np.arange(n)] = 1
        leaves.append(rows.reshape((total,) + tuple(a.shape)))
        offset += n
    return leaves, total


def _map_over_basis(linear_fun, avals):
    """``linear_fun`` (flat lists in and out) applied to every basis vector of ``avals``
    at once by ``vmap``: each output gets a leading axis of length ``sum(sizes)``."""
    basis, total = _stacked_basis(avals)
    if total == 0:
        return None
    n_out = []

    def counted(*vectors):
        outs = linear_fun(*vectors)
        n_out.append(len(outs))
        return outs

    return vmap_flat(counted, basis, [0] * len(basis), lambda: [0] * n_out[0], total)


def jacfwd(fun: Callable, argnums=0, has_aux: bool = False, holomorphic: bool = False) -> Callable:
    """The Jacobian by forward mode: ``vmap`` of the linearized function over the
    standard basis of the inputs (one jvp per input element, all at once).

    Output pytree outside, input pytree inside: ``J[out_leaf][in_leaf]`` has shape
    ``out.shape + in.shape``.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ad.jacfwd(lambda x: x ** 2)(mnp.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    _check_callable(fun, "jacfwd")

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        nums = _normalize_argnums(argnums, len(args))
        dyn, merge = _split_args(args, nums)
        _check_grad_inputs(dyn, "jacfwd", False, holomorphic, real_only=not holomorphic)
        results = linearize(lambda *d: fun(*merge(d), **kwargs), *dyn, has_aux=has_aux)
        out, f_jvp = results[0], results[1]
        flat_in, in_tree = tree_flatten(tuple(dyn))
        in_avals = [get_aval(x) for x in flat_in]
        flat_out, out_tree = tree_flatten(out)
        columns = _map_over_basis(
            lambda *ts: tree_flatten(f_jvp(*tree_unflatten(in_tree, ts)))[0], in_avals
        )
        inner_tree = _inner_tree(dyn, in_tree, argnums)
        jac = _assemble(flat_out, in_avals, columns, out_tree, inner_tree, forward=True)
        return (jac, results[2]) if has_aux else jac

    return jacfun


def jacrev(
    fun: Callable,
    argnums=0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable:
    """The Jacobian by reverse mode: ``vmap`` of the vjp function over the standard
    basis of the output cotangents (one vjp per output element, all at once).

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ad.jacrev(lambda x: x ** 2)(mnp.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    _check_callable(fun, "jacrev")

    @functools.wraps(fun)
    def jacfun(*args, **kwargs):
        nums = _normalize_argnums(argnums, len(args))
        dyn, merge = _split_args(args, nums)
        _check_grad_inputs(dyn, "jacrev", allow_int, holomorphic)
        results = vjp(lambda *d: fun(*merge(d), **kwargs), *dyn, has_aux=has_aux)
        out, vjp_fn = results[0], results[1]
        flat_in, in_tree = tree_flatten(tuple(dyn))
        in_avals = [get_aval(x) for x in flat_in]
        flat_out, out_tree = tree_flatten(out)
        out_avals = [get_aval(x) for x in flat_out]
        rows = _map_over_basis(
            lambda *cts: tree_flatten(vjp_fn(tree_unflatten(out_tree, cts)))[0], out_avals
        )
        inner_tree = _inner_tree(dyn, in_tree, argnums)
        jac = _assemble(flat_out, in_avals, rows, out_tree, inner_tree, forward=False)
        return (jac, results[2]) if has_aux else jac

    return jacfun


def _assemble(flat_out, in_avals, stacked, out_tree, in_tree, forward: bool):
    """Build ``{out_leaf: {in_leaf: block}}`` from stacked jvp columns or vjp rows.

    Forward: ``stacked[i]`` is output i's tangent for every input element, shape
    ``(n_in,) + out_i.shape``. Reverse: ``stacked[j]`` is input j's cotangent for every
    output element, shape ``(n_out,) + in_j.shape``. ``None``: there are no elements.
    """
    out_avals = [get_aval(x) for x in flat_out]
    blocks = []
    for i, o in enumerate(out_avals):
        row = []
        for j, a in enumerate(in_avals):
            if stacked is None or (a.size if forward else o.size) == 0:
                row.append(np.zeros(o.shape + a.shape, o.dtype if forward else a.dtype))
            elif forward:
                offset = sum(b.size for b in in_avals[:j])
                part = _leading_rows(stacked[i], offset, a.size)  # (a.size,) + o.shape
                row.append(_move_leading_to_back(part, a.size, o.shape, a.shape))
            else:
                offset = sum(b.size for b in out_avals[:i])
                part = _leading_rows(stacked[j], offset, o.size)  # (o.size,) + a.shape
                row.append(st.reshape(part, o.shape + a.shape))
        blocks.append(tree_unflatten(in_tree, row))
    return tree_unflatten(out_tree, blocks)


def _leading_rows(x, start: int, count: int):
    """``x[start:start + count]`` along the leading axis (a ``slice`` unless it is all)."""
    shape = get_aval(x).shape
    if start == 0 and count == shape[0]:
        return x
    return st.slice(x, (start,) + (0,) * (len(shape) - 1), (start + count,) + shape[1:])


def _move_leading_to_back(stacked, n, out_shape, in_shape):
    """``(n,) + out_shape`` -> ``out_shape + in_shape`` with n = prod(in_shape)."""
    k = len(out_shape)
    if k:
        stacked = st.transpose(stacked, tuple(range(1, k + 1)) + (0,))
    return st.reshape(stacked, tuple(out_shape) + tuple(in_shape))


def _inner_tree(dyn, in_tree, argnums):
    """The input structure inside a Jacobian: the argument's tree for an int argnums."""
    return tree_structure(dyn[0]) if isinstance(argnums, (int, np.integer)) else in_tree


def hessian(fun: Callable, argnums=0, has_aux: bool = False, holomorphic: bool = False) -> Callable:
    """The Hessian: ``jacfwd(jacrev(fun))``.

    >>> import mini_ad as ad, mini_ad.numpy as mnp
    >>> ad.hessian(lambda x: mnp.sum(x ** 3))(mnp.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacfwd(
        jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic),
        argnums,
        has_aux=has_aux,
        holomorphic=holomorphic,
    )


def stop_gradient(x):
    """Identity on the value, zero derivative; applies to every leaf of a pytree."""
    from mini_ad.primitives.elementwise import stop_gradient as stop

    return tree_map(lambda leaf: stop(leaf) if is_inexact(get_aval(leaf).dtype) else leaf, x)


__all__ = [
    "checkpoint", "custom_jvp", "custom_vjp", "jit", "remat",
    "ShapeDtypeStruct", "grad", "hessian", "jacfwd", "jacrev", "jvp", "linear_transpose",
    "linearize", "make_jaxpr", "stop_gradient", "value_and_grad", "vjp",
]  # fmt: skip
