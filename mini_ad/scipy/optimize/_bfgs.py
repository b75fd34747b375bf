"""BFGS (Nocedal and Wright, *Numerical Optimization*, 1999, algorithm 6.1), as
``jax.scipy.optimize``'s: the inverse-Hessian estimate starts at the identity and each
step ``s = a p`` along ``p = -H g`` (``a`` from the strong-Wolfe line search) updates it
to ``(I - ρ s yᵀ) H (I - ρ y sᵀ) + ρ s sᵀ`` with ``y`` the change of gradient and
``ρ = 1 / yᵀs`` (the update is skipped when ``ρ`` is not finite). The loop is a
``lax.while_loop`` over a dict of arrays, so it stages under ``jit``.
"""

from __future__ import annotations

import numpy as np

import mini_ad.numpy as mnp
from mini_ad.api import value_and_grad
from mini_ad.control_flow import while_loop
from mini_ad.scipy.optimize._line_search import line_search


def minimize_bfgs(fun, x0, maxiter=None, norm=np.inf, gtol=1e-5, line_search_maxiter=10) -> dict:
    """Run BFGS from ``x0`` until ``‖∇f‖_norm < gtol``, a line search fails or ``maxiter``
    steps (default ``200 * x0.size``). Returns the final state as a dict."""
    if maxiter is None:
        maxiter = np.size(x0) * 200
    n = x0.shape[0]
    f_0, g_0 = value_and_grad(fun)(x0)
    state = {
        "converged": mnp.linalg.norm(g_0, ord=norm) < gtol, "failed": mnp.asarray(False),
        "k": mnp.asarray(0), "evals": mnp.asarray(1), "x": x0, "f": f_0, "g": g_0,
        "H": mnp.eye(n, dtype=x0.dtype), "f_prev": f_0 + mnp.linalg.norm(g_0) / 2,
        "line_search_status": mnp.asarray(0),
    }  # fmt: skip

    def step(s):
        p = -mnp.dot(s["H"], s["g"])
        found = line_search(fun, s["x"], p, s["f"], s["f_prev"], s["g"], line_search_maxiter)
        step = found["a"] * p
        y = found["g"] - s["g"]
        rho = mnp.reciprocal(mnp.dot(y, step))
        w = mnp.eye(n, dtype=rho.dtype) - rho * (step[:, None] * y[None, :])
        h_new = mnp.matmul(mnp.matmul(w, s["H"]), w.T) + rho * step[:, None] * step[None, :]
        return {
            "converged": mnp.linalg.norm(found["g"], ord=norm) < gtol,
            "failed": found["failed"], "k": s["k"] + 1, "evals": s["evals"] + found["evals"],
            "x": s["x"] + step, "f": found["f"], "g": found["g"],
            "H": mnp.where(mnp.isfinite(rho), h_new, s["H"]), "f_prev": s["f"],
            "line_search_status": found["status"],
        }  # fmt: skip

    def keep_going(s):
        return ~s["converged"] & ~s["failed"] & (s["k"] < maxiter)

    s = while_loop(keep_going, step, state)
    failed_status = mnp.where(s["failed"], 2 + s["line_search_status"], -1)
    s["status"] = mnp.where(s["converged"], 0, mnp.where(s["k"] == maxiter, 1, failed_status))
    return s
