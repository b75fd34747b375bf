"""Numerical checking of derivatives: ``check_grads`` (finite differences) and
``check_against_jax`` (the same program through real JAX)."""

from __future__ import annotations


def check_against_jax(fun, *args, **kwargs):
    """Compare mini_ad's transforms of ``fun`` with JAX's (see ``mini_ad.interop.compare``)."""
    from mini_ad.interop.compare import check_against_jax as check

    return check(fun, *args, **kwargs)
