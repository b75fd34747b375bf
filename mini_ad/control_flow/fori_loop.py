"""``fori_loop``: a counted loop, lowered to ``scan`` when its bounds are Python ints (so reverse
mode works, as in JAX) and to ``while_loop`` otherwise."""

from __future__ import annotations

import numpy as np

from mini_ad.control_flow.scan import scan
from mini_ad.control_flow.while_loop import while_loop
from mini_ad.core.tracing import Tracer


def fori_loop(lower, upper, body_fun, init_val, *, unroll=None):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``, as ``jax.lax.fori_loop``.

    With Python-int (concrete) bounds this is a ``scan`` (so reverse mode works, as in
    JAX); with traced bounds a ``while_loop`` (see there for reverse mode).

    Args:
      lower: the first ``i`` (an int or integer scalar, possibly traced).
      upper: the end of the range (excluded).
      body_fun: a function ``(i, val) -> val`` keeping ``val``'s structure, shapes and
        dtypes.
      init_val: the initial value, a pytree of arrays.
      unroll: for concrete bounds, the ``scan``'s ``unroll`` (None means 1).

    Returns:
      The final value, of ``init_val``'s structure.

    Raises:
      TypeError: ``body_fun`` is not callable, or it changes ``val``'s type.

    Example:
      >>> from mini_ad import lax
      >>> print(lax.fori_loop(0, 4, lambda i, x: x + i, 0.0))
      6.0
    """
    if not callable(body_fun):
        raise TypeError("lax.fori_loop: body_fun argument should be callable.")
    if not isinstance(lower, Tracer) and not isinstance(upper, Tracer):
        lower_, upper_ = _static_bound(lower), _static_bound(upper)
        if lower_ is not None and upper_ is not None:

            def scan_body(carry, _):
                i, x = carry
                return (i + 1, body_fun(i, x)), None

            length = max(upper_ - lower_, 0)
            (_, result), _ = scan(
                scan_body, (lower, init_val), None, length=length, unroll=unroll or 1
            )
            return result

    def cond_fun(carry):
        i, stop, _ = carry
        return i < stop

    def while_body(carry):
        i, stop, x = carry
        return i + 1, stop, body_fun(i, x)

    _, _, result = while_loop(cond_fun, while_body, (lower, upper, init_val))
    return result


def _static_bound(x):
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, np.ndarray) and x.shape == () and x.dtype.kind in "iu":
        return int(x)
    return None
