"""Primitive table rows: the effects and host callbacks (``debug_callback``, ``name``,
``pure_callback``), each inside a function whose derivative is known."""

from __future__ import annotations

import numpy as np
from autodiff_rows import S, jax, real, row

import mini_ad as ad
from mini_ad.ad_checkpoint import checkpoint_name


def _with_callback(x):
    ad.debug.callback(lambda v: None, x)  # an effect: kept by jit, no derivative of its own
    return x * 2.0


def _host_sin(x):
    # the callback sees no tangent (stop_gradient on its input), as JAX requires
    spec = jax.ShapeDtypeStruct(np.shape(x), x.dtype)
    sin = ad.pure_callback(np.sin, spec, ad.stop_gradient(x), vmap_method="sequential")
    return x * 2.0 + sin


def _jax_host_sin(x):
    spec = jax.ShapeDtypeStruct(np.shape(x), x.dtype)
    sin = jax.pure_callback(np.sin, spec, jax.lax.stop_gradient(x), vmap_method="sequential")
    return x * 2.0 + sin


row("debug_callback", _with_callback, lambda x: x * 2.0, real(*S))
row("name", lambda x: checkpoint_name(x, "h") * 3.0, lambda x: x * 3.0, real(*S))
row("pure_callback", _host_sin, _jax_host_sin, real(*S), finite_differences=False)
