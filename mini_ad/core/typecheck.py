"""The Jaxpr type checker: every equation's inputs are defined before use and its outputs have the
types its primitive's shape rule gives."""

from __future__ import annotations

from mini_ad.core.jaxpr import ClosedJaxpr, Jaxpr, Literal, Var


class JaxprTypeError(TypeError):
    pass


def typecheck_jaxpr(jaxpr: Jaxpr) -> None:
    """Check that ``jaxpr`` is well formed and well typed.

    Every variable is defined once before use and every equation's output types are
    what its primitive's ``abstract_eval`` says (recursively into sub-jaxprs). Tests run
    it on every staged program (JAX: ``jax.core.check_jaxpr``).

    Args:
      jaxpr: an open ``Jaxpr``.

    Returns:
      None.

    Raises:
      JaxprTypeError: a variable is used before being defined or defined twice, or an
        equation's output types are wrong.

    Example:
      >>> import mini_ad as ad
      >>> import mini_ad.numpy as mnp
      >>> closed = ad.make_jaxpr(lambda x: mnp.sin(x) * 2.0)(1.0)
      >>> ad.typecheck_jaxpr(closed.jaxpr)  # well typed: returns None
    """
    defined = set()

    def define(v):
        if not isinstance(v, Var):
            raise JaxprTypeError(f"binder {v!r} is not a Var")
        if id(v) in defined:
            raise JaxprTypeError(f"variable {v!r} defined twice")
        defined.add(id(v))

    def read(x):
        if isinstance(x, Literal):
            return x.aval
        if id(x) not in defined:
            raise JaxprTypeError(f"variable {x!r} used before it is defined")
        return x.aval

    for v in jaxpr.constvars + jaxpr.invars:
        define(v)
    for eqn in jaxpr.eqns:
        in_avals = [read(x) for x in eqn.inputs]
        out = eqn.primitive.abstract_eval(*in_avals, **eqn.params)
        out_avals = out if eqn.primitive.multiple_results else [out]
        if len(out_avals) != len(eqn.outputs):
            raise JaxprTypeError(
                f"{eqn.primitive} has {len(eqn.outputs)} binders, expected {len(out_avals)}"
            )
        for v, aval in zip(eqn.outputs, out_avals, strict=True):
            if v.aval.shape != aval.shape or v.aval.dtype != aval.dtype:
                raise JaxprTypeError(
                    f"{eqn.primitive}: binder has type {v.aval.str_short()} but the "
                    f"primitive produces {aval.str_short()}"
                )
            define(v)
        for sub in _sub_jaxprs(eqn.params):
            typecheck_jaxpr(sub)
    for x in jaxpr.outvars:
        read(x)


def _sub_jaxprs(params):
    for value in params.values():
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, ClosedJaxpr):
                yield item.jaxpr
            elif isinstance(item, Jaxpr):
                yield item
