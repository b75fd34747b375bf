"""Gradients of scalar functions: ``grad``, ``value_and_grad``, and ``stop_gradient``.

``grad`` is ``vjp`` seeded with a cotangent of one, with ``argnums`` choosing the
differentiated arguments and the output checked to be a real (or, with
``holomorphic``, complex) scalar.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from mini_ad.api._shell import check_callable, check_grad_inputs, normalize_argnums, split_args
from mini_ad.api.autodiff import vjp
from mini_ad.core.avals import ShapedArray, is_inexact
from mini_ad.core.tracing import get_aval
from mini_ad.primitives import elementwise as ew
from mini_ad.tree_util import tree_map


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

    Args:
      fun: a function with a real scalar output (with ``has_aux``, ``(scalar, aux)``).
      argnums: the position, or tuple of positions, of the arguments to
        differentiate with respect to.
      has_aux: whether ``fun`` returns ``(scalar, aux)``; ``aux`` is returned as is.
      holomorphic: differentiate a complex function holomorphically (complex inputs).
      allow_int: allow integer and boolean inputs (their gradients are float0 zeros).

    Returns:
      A function of ``fun``'s arguments returning ``(value, gradient)`` (with
      ``has_aux``, ``((value, aux), gradient)``); the gradient has the structure of
      the argument, or a tuple of them for a tuple ``argnums``. Calling it raises
      TypeError for a bad ``argnums``, a non-float input or a non-scalar output.

    Raises:
      TypeError: ``fun`` is not callable.

    Examples:
      >>> import mini_ad as ad
      >>> ad.value_and_grad(lambda x: x ** 3)(2.0)
      (array(8.), array(12.))
    """
    check_callable(fun, "value_and_grad")

    @functools.wraps(fun)
    def value_and_grad_f(*args, **kwargs):
        return _value_and_grad(fun, argnums, has_aux, holomorphic, allow_int, "grad", args, kwargs)

    return value_and_grad_f


def _value_and_grad(fun, argnums, has_aux, holomorphic, allow_int, transform, args, kwargs):
    nums = normalize_argnums(argnums, len(args))
    dyn, merge = split_args(args, nums)
    check_grad_inputs(dyn, transform, allow_int, holomorphic)
    results = vjp(lambda *d: fun(*merge(d), **kwargs), *dyn, has_aux=has_aux)
    out, vjp_fn = results[0], results[1]
    aval = _check_scalar_output(out, transform, holomorphic)
    grads = vjp_fn(np.ones((), aval.dtype))
    grads = grads[0] if isinstance(argnums, (int, np.integer)) else tuple(grads)
    if has_aux:
        return (out, results[2]), grads
    return out, grads


def grad(
    fun: Callable,
    argnums=0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable:
    """The gradient of a scalar function, with the structure of its argument(s).

    Args:
      fun: a function with a real scalar output (with ``has_aux``, ``(scalar, aux)``).
      argnums: the position, or tuple of positions, of the arguments to
        differentiate with respect to.
      has_aux: whether ``fun`` returns ``(scalar, aux)``; then ``(gradient, aux)``
        is returned.
      holomorphic: differentiate a complex function holomorphically (complex inputs).
      allow_int: allow integer and boolean inputs (their gradients are float0 zeros).

    Returns:
      A function of ``fun``'s arguments returning the gradient: the structure of the
      argument, or a tuple of them for a tuple ``argnums``. Calling it raises
      TypeError for a bad ``argnums``, a non-float input or a non-scalar output.

    Raises:
      TypeError: ``fun`` is not callable.

    Examples:
      >>> import mini_ad as ad
      >>> ad.grad(ad.grad(ad.grad(lambda x: x ** 3)))(4.0)
      array(6.)
    """
    check_callable(fun, "grad")

    @functools.wraps(fun)
    def grad_f(*args, **kwargs):
        value, g = _value_and_grad(
            fun, argnums, has_aux, holomorphic, allow_int, "grad", args, kwargs
        )
        return (g, value[1]) if has_aux else g

    return grad_f


def stop_gradient(x):
    """Identity on the value, zero derivative, on every inexact leaf of a pytree.

    Args:
      x: a pytree of arrays, scalars or tracers.

    Returns:
      ``x`` with each float or complex leaf wrapped so that no derivative flows
      through it; integer and boolean leaves are returned as they are.

    Raises:
      TypeError: a leaf is not an array, scalar or tracer.

    Examples:
      >>> import mini_ad as ad
      >>> ad.grad(lambda x: x * ad.stop_gradient(x))(3.0)
      array(3.)
    """
    return tree_map(
        lambda leaf: ew.stop_gradient(leaf) if is_inexact(get_aval(leaf).dtype) else leaf, x
    )
