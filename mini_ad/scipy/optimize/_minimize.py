"""``minimize`` and its result type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import mini_ad.numpy as mnp
from mini_ad.core.tracing import get_aval
from mini_ad.scipy.optimize._bfgs import minimize_bfgs

_BFGS_OPTIONS = ("maxiter", "norm", "gtol", "line_search_maxiter")


class OptimizeResults(NamedTuple):
    """What ``minimize`` returns (``jax.scipy.optimize.OptimizeResults``'s fields).

    ``x``: the last iterate; ``success``: converged without a failed line search;
    ``status``: 0 converged, 1 out of iterations, 3 a zoom failed, 5 a line search ran
    out of steps, -1 otherwise; ``fun``, ``jac``: value and gradient at ``x``;
    ``hess_inv``: the inverse-Hessian estimate; ``nfev``, ``njev``: evaluations of the
    function and of its gradient (always together); ``nit``: iterations.
    """

    x: Any
    success: Any
    status: Any
    fun: Any
    jac: Any
    hess_inv: Any
    nfev: Any
    njev: Any
    nit: Any


def minimize(
    fun: Callable,
    x0,
    args: tuple = (),
    *,
    method: str,
    tol: float | None = None,
    options: Mapping[str, Any] | None = None,
) -> OptimizeResults:
    """Minimise ``fun(x, *args)`` over a vector ``x`` from ``x0``, as
    ``jax.scipy.optimize.minimize``.

    Only ``method="BFGS"`` exists (any case): BFGS with a line search satisfying the strong
    Wolfe conditions (``c1 = 1e-4``, ``c2 = 0.9``), the gradient by ``grad``. It runs as
    ``lax.while_loop``s, so it works under ``jit`` and ``vmap``, and gives JAX's iterates.

    Args:
      fun: the objective, ``fun(x, *args)`` a real scalar for a 1-D array ``x``.
      x0: the starting point, a 1-D array (integers become float64).
      args: a tuple of further positional arguments of ``fun``.
      method: the solver's name; only ``"BFGS"``.
      tol: accepted and ignored, as in JAX (set ``options["gtol"]`` instead).
      options: a dict of BFGS options: ``maxiter`` (default ``200 * x0.size``), ``norm``
        (the order of the gradient norm tested, default ``inf``), ``gtol`` (stop once that
        norm is below it, default ``1e-5``), ``line_search_maxiter`` (default 10).

    Returns:
      An ``OptimizeResults``.

    Raises:
      TypeError: ``args`` is not a tuple, or an option is unknown.
      ValueError: ``method`` is not BFGS, or ``x0`` is not 1-D.

    Examples:
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.scipy.optimize import minimize
      >>> def rosenbrock(x, a):
      ...     return (a - x[0]) ** 2 + 100.0 * (x[1] - x[0] ** 2) ** 2
      >>> result = minimize(rosenbrock, mnp.array([0.5, 0.5]), args=(1.0,), method="BFGS")
      >>> print(result.x.round(6), bool(result.success), int(result.nit))
      [1. 1.] True 14
    """
    del tol  # JAX ignores it too
    options = {} if options is None else dict(options)
    if not isinstance(args, tuple):
        raise TypeError(f"args argument to minimize must be a tuple, got {args!r}")
    if method.lower() != "bfgs":
        raise ValueError(f"Method {method} not recognized (mini_ad's minimize has only BFGS)")
    unknown = sorted(set(options) - set(_BFGS_OPTIONS))
    if unknown:
        raise TypeError(f"minimize: unknown BFGS options {unknown}; known: {list(_BFGS_OPTIONS)}")
    (x0,) = mnp._core.promote_dtypes_inexact(mnp.asarray(x0))
    if get_aval(x0).ndim != 1:
        raise ValueError(f"minimize: x0 must be a 1-D array, got shape {get_aval(x0).shape}")
    state = minimize_bfgs(lambda x: fun(x, *args), x0, **options)
    return OptimizeResults(
        x=state["x"], success=state["converged"] & ~state["failed"], status=state["status"],
        fun=state["f"], jac=state["g"], hess_inv=state["H"], nfev=state["evals"],
        njev=state["evals"], nit=state["k"],
    )  # fmt: skip
