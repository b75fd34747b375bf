"""The transforms a cross-check runs, written once for both libraries (``mini_ad`` or
``jax``, passed as ``lib``).

    value              f(*args)
    grad               grad(f, argnums=all)            scalar outputs only
    jvp                jvp(f, args, v)                 v: random tangents
    vjp                vjp(f, *args)[1](u)             u: random cotangents
    jacfwd, jacrev     the full Jacobian
    hessian            jacfwd(jacrev(f))               scalar outputs only
    dK_fwd             K nested jvps along v: the K-th directional derivative
    dK_rev             vjp with u of the (K-1)-th directional derivative
"""

from __future__ import annotations

DEFAULT_TRANSFORMS = ("value", "grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian")
_ORDER = {"value": 0, "grad": 1, "jvp": 1, "vjp": 1, "jacfwd": 1, "jacrev": 1, "hessian": 2}


def nested_jvp(lib, f, tangents, depth):
    """The ``depth``-th directional derivative of f along ``tangents`` (f itself at 0)."""
    g = f
    for _ in range(depth):
        g = (lambda h: lambda *xs: lib.jvp(h, xs, tangents)[1])(g)
    return g


def apply_transform(lib, transform, f, dyn, tangents, cotangent):
    """Run ``transform`` of ``f`` at ``dyn`` (positional args) with library ``lib``."""
    argnums = 0 if len(dyn) == 1 else tuple(range(len(dyn)))
    if transform == "value":
        return f(*dyn)
    if transform == "grad":
        return lib.grad(f, argnums)(*dyn)
    if transform == "jvp":
        return lib.jvp(f, tuple(dyn), tuple(tangents))
    if transform == "vjp":
        out, vjp_fn = lib.vjp(f, *dyn)
        return out, vjp_fn(cotangent)
    if transform in ("jacfwd", "jacrev", "hessian"):
        return getattr(lib, transform)(f, argnums)(*dyn)
    depth = int(transform[1:].split("_")[0])
    if transform.endswith("_fwd"):
        return nested_jvp(lib, f, tangents, depth)(*dyn)
    _, vjp_fn = lib.vjp(nested_jvp(lib, f, tangents, depth - 1), *dyn)
    return vjp_fn(cotangent)


def transform_order(transform: str) -> int:
    return _ORDER[transform] if transform in _ORDER else int(transform[1:].split("_")[0])


__all__ = ["DEFAULT_TRANSFORMS", "apply_transform", "nested_jvp", "transform_order"]
