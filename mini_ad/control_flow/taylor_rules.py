"""The Taylor-mode (``jet``) rules of ``while`` and ``jit``, kept apart only because their
card modules are at the line limit.

* ``while``: a while loop of the body carrying dense series, the condition reading only the
  primal carries (JAX's jet has no rule for it);
* ``jit``: a jit of the body carrying series (JAX: ``_pjit_jet_rule``).
"""

from __future__ import annotations

from mini_ad.control_flow.common import closed_from, split_list
from mini_ad.control_flow.jit import jit_p
from mini_ad.control_flow.while_loop import while_p
from mini_ad.core.jaxpr import eval_jaxpr
from mini_ad.transforms.jet import jet_jaxpr, pack, unpack
from mini_ad.transforms.staging import aval_of


def _while_jet(primals, series, *, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts):
    order = len(series[0])
    cond_consts, body_consts, carry = split_list(primals, [cond_nconsts, body_nconsts])
    _, bconst_s, carry_s = split_list(series, [cond_nconsts, body_nconsts])
    n_bc, n_c = body_nconsts, len(carry)
    body = jet_jaxpr(body_jaxpr, order, [n_bc, n_c], [n_c])
    packed_consts = pack(body_consts, bconst_s, [n_bc])
    packed_carry = pack(carry, carry_s, [n_c])
    cond_avals = cond_jaxpr.in_avals
    cond = closed_from(
        lambda *a: eval_jaxpr(cond_jaxpr.jaxpr, cond_jaxpr.consts, a[: len(cond_avals)]),
        cond_avals + [aval_of(x) for x in packed_carry[n_c:]],
    )
    outs = while_p.bind(
        *cond_consts, *packed_consts, *packed_carry, cond_jaxpr=cond, body_jaxpr=body,
        cond_nconsts=cond_nconsts, body_nconsts=len(packed_consts),
    )  # fmt: skip
    return unpack(outs, body_jaxpr.out_avals, order, [n_c])


while_p.jet = _while_jet


def _jit_jet(primals, series, *, jaxpr, name):
    order = len(series[0])
    n_in, n_out = len(primals), len(jaxpr.out_avals)
    body = jet_jaxpr(jaxpr, order)
    outs = jit_p.bind(*pack(primals, series, [n_in]), jaxpr=body, name=name)
    return unpack(outs, jaxpr.out_avals, order, [n_out])


jit_p.jet = _jit_jet
