"""Taylor-mode (``jet``) rule builders for families of primitives.

A rule sees ``primals`` and, per operand, the list ``series[i] = [x1, ..., xK]`` of its
*normalized* Taylor coefficients (``x(t) = x0 + x1 t + ... + xK t^K``; ``None`` is a zero
coefficient), and returns ``(primal_out, series_out)`` in the same form. Every rule binds
primitives, so a jet can be jitted, vmapped, differentiated and staged.

* ``zero_jet``: piecewise constant (comparisons, ``floor``, ``argmax``): a zero series.
* ``linear_jet``: linear in the operands named by ``linear``, the others held at their
  primal: coefficient k is the primitive applied to coefficient k of each linear operand.
* ``bilinear_jet``: ``mul``, ``dot_general``: the Cauchy product
  ``z_k = Σ_{j=0..k} p(x_j, y_{k-j})``.
* ``jet_from_jvp``: any primitive with a jvp: ``y'(t) = jvp(x(t), x'(t))``, so one jet of
  the jvp at order ``K - 1`` gives ``y_1 .. y_K``. That needs a jet trace, which lives a
  layer up: ``transforms/jet.py`` fills ``derived.from_jvp`` when it is imported (as
  ``mini_ad.numpy`` fills the tracers' ``array_ops``); the rule runs only under that trace.

This module imports no other primitive module, so every card file may use it.
"""

from __future__ import annotations

from types import SimpleNamespace

from mini_ad.core.ad_util import zeros_like
from mini_ad.core.primitive import Primitive


def zero_jet(p: Primitive):
    """The rule of a piecewise-constant primitive: its output series is zero."""

    def rule(primals, series, **params):
        return p.bind(*primals, **params), None

    return rule


def linear_jet(p: Primitive, linear: slice = slice(None)):
    """The rule of a primitive linear in the operands ``linear`` (a slice; default: all).

    ``y_k = p(x_k of the linear operands, the other operands' primals)``; a coefficient
    is zero when it is zero in every linear operand.
    """

    def rule(primals, series, **params):
        out = p.bind(*primals, **params)
        which = range(len(primals))[linear]
        terms = []
        for k in range(len(series[0])):
            if all(series[i][k] is None for i in which):
                terms.append(None)
                continue
            args = list(primals)
            for i in which:
                t = series[i][k]
                args[i] = zeros_like(primals[i]) if t is None else t
            terms.append(p.bind(*args, **params))
        return out, terms

    return rule


def bilinear_jet(p: Primitive, add):
    """The rule of a bilinear primitive: the Cauchy product, summed with ``add``."""

    def rule(primals, series, **params):
        (x0, y0), (xs, ys) = primals, series
        x, y = [x0, *xs], [y0, *ys]
        terms = []
        for k in range(1, len(x)):
            total = None
            for j in range(k + 1):
                if x[j] is None or y[k - j] is None:
                    continue
                z = p.bind(x[j], y[k - j], **params)
                total = z if total is None else add(total, z)
            terms.append(total)
        return p.bind(x0, y0, **params), terms

    return rule


# Filled by mini_ad.transforms.jet when it is imported: from_jvp(p, primals, series, params).
derived = SimpleNamespace(from_jvp=None)


def jet_from_jvp(p: Primitive):
    """The rule derived from ``p``'s jvp (exact; O(K²) work per step of a derivative chain)."""

    def rule(primals, series, **params):
        return derived.from_jvp(p, primals, series, params)

    rule.__name__ = f"{p.name}_jet_from_jvp"
    return rule
