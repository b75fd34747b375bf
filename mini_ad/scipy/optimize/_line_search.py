"""A line search satisfying the strong Wolfe conditions, as ``jax.scipy.optimize``'s.

Nocedal and Wright, *Numerical Optimization* (1999), algorithms 3.5 (bracketing) and 3.6
(zoom), written as two nested ``lax.while_loop``s over dicts of arrays so that the search
stages under ``jit``. Each step follows JAX's choices, so that iterates agree: the first
trial step is ``min(1, 2.02 (φ(0) - f_prev) / φ'(0))``, then steps double; the zoom tries
the cubic interpolant through ``lo``, ``hi`` and the previous ``hi`` (from its second
step), then the quadratic through ``lo`` and ``hi``, then bisection; it gives up after 30
steps or once its interval is shorter than 1e-10 (1e-5 below 64 bits).

With φ(a) = f(x + a p): Wolfe 1 (sufficient decrease) φ(a) <= φ(0) + c1 a φ'(0);
strong Wolfe 2 (curvature) |φ'(a)| <= -c2 φ'(0).
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.api import value_and_grad
from mini_ad.control_flow import while_loop

_ZOOM_MAX_STEPS = 30
_CUBIC_MARGIN, _QUAD_MARGIN = 0.2, 0.1


def _choose(pred, new: dict, state: dict) -> dict:
    """``state`` with the entries of ``new`` taken where ``pred`` holds."""
    return {**state, **{k: mnp.where(pred, v, state[k]) for k, v in new.items()}}


def _cubic_min(a, fa, dfa, b, fb, c, fc):
    """The minimiser of the cubic through ``(a, fa)`` with slope ``dfa``, ``(b, fb)``, ``(c, fc)``."""
    db, dc = b - a, c - a
    denom = (db * dc) ** 2 * (db - dc)
    rb, rc = fb - fa - dfa * db, fc - fa - dfa * dc
    cubic = (dc**2 * rb + (-(db**2)) * rc) / denom
    quad = ((-(dc**3)) * rb + db**3 * rc) / denom
    return a + (-quad + mnp.sqrt(quad * quad - 3.0 * cubic * dfa)) / (3.0 * cubic)


def _quad_min(a, fa, dfa, b, fb):
    """The minimiser of the parabola through ``(a, fa)`` with slope ``dfa`` and ``(b, fb)``."""
    db = b - a
    curvature = (fb - fa - dfa * db) / (db**2)
    return a - dfa / (2.0 * curvature)


class _Search:
    """φ(a) = f(x + a p), its slope and the Wolfe tests for one search direction."""

    def __init__(self, fun, x, p, phi_0, dphi_0, c1, c2):
        self.fun, self.x, self.p = fun, x, p
        self.phi_0, self.dphi_0, self.c1, self.c2 = phi_0, dphi_0, c1, c2
        self.dtype = mnp.asarray(p).dtype

    def evaluate(self, a):
        """``(φ(a), φ'(a), ∇f(x + a p))``."""
        a = mnp.asarray(a, dtype=self.dtype)
        phi, g = value_and_grad(self.fun)(self.x + a * self.p)
        return phi, mnp.real(mnp.dot(g, self.p)), g

    def too_high(self, a, phi):
        """Wolfe 1 fails."""
        return phi > self.phi_0 + self.c1 * a * self.dphi_0

    def flat_enough(self, dphi):
        """Strong Wolfe 2 holds."""
        return mnp.abs(dphi) <= -self.c2 * self.dphi_0


def _zoom(search: _Search, lo, hi, g_0, skip):
    """Algorithm 3.6 on the bracket ``lo = (a, φ, φ')``, ``hi = (a, φ, φ')``; no step when
    ``skip``. Returns the loop's final state (``a_star``, ``phi_star``, ``dphi_star``,
    ``g_star``, ``done``, ``failed``, ``evals``)."""
    dtype = search.dtype
    threshold = 1e-10 if np.finfo(dtype).bits >= 64 else 1e-5
    state = {
        "done": mnp.asarray(False), "failed": mnp.asarray(False), "j": mnp.asarray(0),
        "a_lo": lo[0], "phi_lo": lo[1], "dphi_lo": lo[2],
        "a_hi": hi[0], "phi_hi": hi[1], "dphi_hi": hi[2],
        "a_rec": (lo[0] + hi[0]) / 2.0, "phi_rec": (lo[1] + hi[1]) / 2.0,
        "a_star": mnp.asarray(1.0, dtype=dtype), "phi_star": lo[1], "dphi_star": lo[2],
        "g_star": g_0, "evals": mnp.asarray(0),
    }  # fmt: skip

    def step(s):
        width = s["a_hi"] - s["a_lo"]
        left, right = mnp.minimum(s["a_hi"], s["a_lo"]), mnp.maximum(s["a_hi"], s["a_lo"])
        failed = s["failed"] | (width <= threshold)
        cubic = _cubic_min(s["a_lo"], s["phi_lo"], s["dphi_lo"], s["a_hi"], s["phi_hi"],
                           s["a_rec"], s["phi_rec"])  # fmt: skip
        use_cubic = (s["j"] > 0) & (cubic > left + _CUBIC_MARGIN * width)
        use_cubic = use_cubic & (cubic < right - _CUBIC_MARGIN * width)
        quad = _quad_min(s["a_lo"], s["phi_lo"], s["dphi_lo"], s["a_hi"], s["phi_hi"])
        use_quad = ~use_cubic & (quad > left + _QUAD_MARGIN * width)
        use_quad = use_quad & (quad < right - _QUAD_MARGIN * width)
        bisect = (s["a_lo"] + s["a_hi"]) / 2.0
        a_j = mnp.where(use_cubic, cubic, mnp.where(use_quad, quad, bisect))
        phi_j, dphi_j, g_j = search.evaluate(a_j)
        phi_j = mnp.astype(phi_j, s["phi_lo"].dtype)
        dphi_j = mnp.astype(dphi_j, s["dphi_lo"].dtype)
        g_j = mnp.astype(g_j, s["g_star"].dtype)

        j_is_hi = search.too_high(a_j, phi_j) | (phi_j >= s["phi_lo"])
        j_is_star = search.flat_enough(dphi_j) & ~j_is_hi
        j_is_lo = ~j_is_hi & ~j_is_star
        lo_becomes_hi = j_is_lo & (dphi_j * (s["a_hi"] - s["a_lo"]) >= 0.0)
        j_values = {"a": a_j, "phi": phi_j, "dphi": dphi_j}
        new = dict(s, failed=failed, done=s["done"] | j_is_star, evals=s["evals"] + 1)
        # j replaces hi; the old hi is remembered for the next cubic
        new = _choose(j_is_hi, {f"{k}_hi": v for k, v in j_values.items()}
                      | {"a_rec": s["a_hi"], "phi_rec": s["phi_hi"]}, new)  # fmt: skip
        new = _choose(j_is_star, {f"{k}_star": v for k, v in j_values.items()}
                      | {"g_star": g_j}, new)  # fmt: skip
        # j replaces lo; hi becomes the old lo when the slope at j points away from hi
        new = _choose(lo_becomes_hi, {"a_hi": s["a_lo"], "phi_hi": s["phi_lo"],
                      "dphi_hi": s["dphi_lo"], "a_rec": s["a_hi"], "phi_rec": s["phi_hi"]},
                      new)  # fmt: skip
        new = _choose(j_is_lo & ~lo_becomes_hi, {"a_rec": s["a_lo"], "phi_rec": s["phi_lo"]}, new)
        new = _choose(j_is_lo, {f"{k}_lo": v for k, v in j_values.items()}, new)
        new["j"] = s["j"] + 1
        new["failed"] = new["failed"] | (new["j"] >= _ZOOM_MAX_STEPS)
        return new

    return while_loop(lambda s: ~s["done"] & ~skip & ~s["failed"], step, state)


def line_search(fun, x, p, f_x, f_prev, g_x, maxiter: int, c1=1e-4, c2=0.9) -> dict:
    """Algorithm 3.5 from ``x`` along the descent direction ``p``, given ``f(x)``, the
    previous iterate's value ``f_prev`` and ``∇f(x)``. Returns a dict: ``failed``,
    ``status`` (0 found, 1 zoom failed, 3 out of steps), ``evals``, ``a`` (the step),
    ``f``, ``g`` (value and gradient at ``x + a p``)."""
    dtype = mnp.asarray(p).dtype
    dphi_0 = mnp.real(mnp.dot(g_x, p))
    search = _Search(fun, x, p, f_x, dphi_0, c1, c2)
    first = 1.01 * 2 * (f_x - f_prev) / dphi_0
    first = mnp.where(first > 1, mnp.ones_like(first), first)
    zero = mnp.asarray(0.0, dtype=dtype)
    state = {
        "done": mnp.asarray(False), "failed": mnp.asarray(False), "i": mnp.asarray(1),
        "a_prev": zero, "phi_prev": f_x, "dphi_prev": dphi_0, "evals": mnp.asarray(0),
        "a_star": zero, "phi_star": f_x, "dphi_star": dphi_0, "g_star": g_x,
    }  # fmt: skip
    star_keys = ("a_star", "phi_star", "dphi_star", "g_star")

    def step(s):
        a_i = mnp.where(s["i"] == 1, first, s["a_prev"] * 2.0)
        phi_i, dphi_i, g_i = search.evaluate(a_i)
        prev, here = (s["a_prev"], s["phi_prev"], s["dphi_prev"]), (a_i, phi_i, dphi_i)
        # the minimum is bracketed by [prev, here] (zoom with lo = prev) ...
        zoom_prev = search.too_high(a_i, phi_i) | ((phi_i >= s["phi_prev"]) & (s["i"] > 1))
        accept = search.flat_enough(dphi_i) & ~zoom_prev
        # ... or, the slope being non-negative, by [here, prev] (lo = here)
        zoom_here = (dphi_i >= 0.0) & ~zoom_prev & ~accept
        first_zoom = _zoom(search, prev, here, g_x, ~zoom_prev)
        second_zoom = _zoom(search, here, prev, g_x, ~zoom_here)
        new = dict(s, evals=s["evals"] + 1 + first_zoom["evals"] + second_zoom["evals"])
        new["done"] = s["done"] | zoom_prev | accept | zoom_here
        new["failed"] = s["failed"] | (zoom_prev & first_zoom["failed"])
        new["failed"] = new["failed"] | (zoom_here & second_zoom["failed"])
        new = _choose(zoom_prev, {k: first_zoom[k] for k in star_keys}, new)
        new = _choose(accept, dict(zip(star_keys, (a_i, phi_i, dphi_i, g_i), strict=True)), new)
        new = _choose(zoom_here, {k: second_zoom[k] for k in star_keys}, new)
        return dict(new, i=s["i"] + 1, a_prev=a_i, phi_prev=phi_i, dphi_prev=dphi_i)

    s = while_loop(lambda s: ~s["done"] & (s["i"] <= maxiter) & ~s["failed"], step, state)
    status = mnp.where(s["failed"], 1, mnp.where(s["i"] > maxiter, 3, 0))
    a = s["a_star"]
    if np.finfo(dtype).bits != 64:  # a floor on the step below 64 bits, as JAX
        a = mnp.where(mnp.abs(a) < 1e-8, mnp.sign(a) * 1e-8, a)
    return {"failed": s["failed"] | ~s["done"], "status": status, "evals": s["evals"],
            "a": a, "f": s["phi_star"], "g": s["g_star"]}  # fmt: skip
