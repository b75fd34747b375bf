"""Cross-checking mini_ad against JAX and finite differences.

``compare_programs(mini_fun, jax_fun, args)`` runs the same program through mini_ad's
transforms and JAX's (x64) and compares every result leaf by leaf; beside JAX it computes
central finite differences of mini_ad's program, so a disagreement says who is wrong.
``check_against_jax(f, *args)`` does this for a function written with ``mini_ad.numpy``,
using ``to_jax(f)`` (the bridge) as the JAX side.

The transforms are listed in ``mini_ad.interop.transforms``; ``order`` is the highest
derivative order checked (the default 2 keeps ``hessian``; 3 and 4 add ``d3_fwd``,
``d3_rev``, ``d4_fwd`` and ``d4_rev``).

Positional arguments whose leaves are all floating are differentiated; the others are
held fixed. ``NotImplementedError`` (or ``Unsupported``) raised by mini_ad marks a check
*unsupported*, never passed.
"""

from __future__ import annotations

import time

import numpy as np

from mini_ad import tree_util
from mini_ad.core.avals import concrete_aval
from mini_ad.interop.compare_libs import Unsupported, _jax_lib, _mini_lib, _to_numpy
from mini_ad.interop.finite_differences import Program
from mini_ad.interop.report import Check, Report, compare_leaves, compare_trees
from mini_ad.interop.transforms import DEFAULT_TRANSFORMS, apply_transform, transform_order

_SCALAR_ONLY = {"grad", "hessian"}

# (rtol, atol) by the lowest floating precision involved; atol is scaled by max(1, max|ref|).
JAX_TOLERANCE = {8: (1e-8, 1e-10), 4: (1e-4, 1e-6), 2: (1e-2, 1e-3)}
FD_TOLERANCE = {8: (1e-5, 1e-7), 4: (1e-3, 1e-4), 2: (1e-1, 1e-2)}
FD_EPS = 1e-4


UNSUPPORTED = (NotImplementedError, Unsupported)


# --- the driver ------------------------------------------------------------------------------------


def _split(args):
    """Positions of the arguments to differentiate: those whose leaves are all floating."""
    dyn_pos = []
    for i, arg in enumerate(args):
        leaves = tree_util.tree_leaves(arg)
        if leaves and all(concrete_aval(x).dtype.kind == "f" for x in leaves):
            dyn_pos.append(i)
    return dyn_pos


def _bind(fun, args, dyn_pos):
    def f(*dyn):
        full = list(args)
        for i, value in zip(dyn_pos, dyn, strict=True):
            full[i] = value
        return fun(*full)

    return f


def _random_like(tree, rng):
    def draw(x):
        aval = concrete_aval(x)
        value = rng.standard_normal(aval.shape)
        return float(value) if isinstance(x, float) else np.asarray(value, dtype=aval.dtype)

    return tree_util.tree_map(draw, tree)


def precision_of(leaves) -> int:
    """The smallest itemsize among floating leaves (8 for float64, 4 for float32)."""
    sizes = [concrete_aval(x).dtype.itemsize for x in leaves if concrete_aval(x).dtype.kind == "f"]
    return min(sizes, default=8)


def _applicable(transform, out_leaves, dyn) -> str:
    """Why ``transform`` does not apply to this program ('' when it does)."""
    if transform == "value":
        return ""
    if not dyn:
        return "no floating-point arguments to differentiate"
    if not out_leaves or any(concrete_aval(y).dtype.kind != "f" for y in out_leaves):
        return "the output has non-floating leaves"
    scalar = len(out_leaves) == 1 and np.shape(out_leaves[0]) == ()
    if transform in _SCALAR_ONLY and not scalar:
        return f"{transform} needs a scalar output"
    return ""


def compare_programs(
    mini_fun,
    jax_fun,
    args,
    *,
    transforms=DEFAULT_TRANSFORMS,
    order: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    fd_rtol: float | None = None,
    fd_atol: float | None = None,
    eps: float = FD_EPS,
    finite_differences=True,
    seed: int = 0,
    name: str = "program",
) -> Report:
    """Check ``mini_fun`` (mini_ad) against ``jax_fun`` (JAX) at ``args``.

    Both programs go through the same transforms; every result is compared leaf by leaf
    with JAX's (in x64), and beside JAX with central finite differences of mini_ad's
    program, so a disagreement says who is wrong. ``NotImplementedError`` (or
    ``Unsupported``) raised by mini_ad marks a check *unsupported*, never passed; other
    exceptions are reported as errors, not raised.

    Args:
      mini_fun: the program written with mini_ad.
      jax_fun: the same program written with JAX.
      args: the tuple of positional arguments; those whose leaves are all floating are
        differentiated, the others held fixed.
      transforms: the names of the transforms to check (see ``mini_ad.interop.transforms``).
      order: the highest derivative order checked (3 and 4 add ``d3_*``/``d4_*``).
      rtol: the relative tolerance against JAX; None picks one by the lowest floating
        precision involved (1e-8 for float64, 1e-4 for float32).
      atol: the absolute tolerance against JAX (scaled by ``max(1, max|reference|)``);
        None picks one by precision (1e-10 for float64, 1e-6 for float32).
      fd_rtol: the relative tolerance against finite differences; None picks one by
        precision (1e-5 for float64).
      fd_atol: the absolute tolerance against finite differences (1e-7 for float64).
      eps: the finite-difference step.
      finite_differences: True, False, or a collection of transform names to check
        against finite differences (leave out the ones evaluated at a kink).
      seed: the seed of the random tangents and cotangents.
      name: the program's name in the report.

    Returns:
      A ``Report`` of one ``Check`` per transform.

    Example:
      >>> import numpy as np
      >>> import jax.numpy as jnp
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.interop import compare_programs
      >>> report = compare_programs(
      ...     lambda x: mnp.sum(mnp.tanh(x)), lambda x: jnp.sum(jnp.tanh(x)),
      ...     (np.array([0.1, -0.7]),), transforms=("value", "grad", "jvp"))
      >>> report.passed, report["grad"].status
      (True, 'pass')
    """
    mini, jax = _mini_lib(), _jax_lib()
    args = tuple(args)
    transforms = [t for t in transforms if transform_order(t) <= order]
    transforms += [f"d{k}_{m}" for k in range(3, order + 1) for m in ("fwd", "rev")]
    start = time.perf_counter()
    try:
        value = mini_fun(*args)
    except UNSUPPORTED as e:
        msg = f"mini_ad does not support this yet: {type(e).__name__}: {e}"
        return Report(name, [Check(t, "unsupported", message=msg) for t in transforms])
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        msg = f"mini_ad raised {type(e).__name__}: {e}" + _jax_also_raises(jax, jax_fun, args)
        return Report(name, [Check(t, "error", message=msg) for t in transforms])
    value_seconds = time.perf_counter() - start

    dyn_pos = _split(args)
    dyn = [args[i] for i in dyn_pos]
    out_leaves = tree_util.tree_leaves(value)
    precision = precision_of(tree_util.tree_leaves(tuple(dyn)) + out_leaves)
    rng = np.random.default_rng(seed)
    checker = _Checker(
        mini=mini,
        program=Program(_bind(mini_fun, args, dyn_pos), dyn),
        value=value,
        tangents=_random_like(tuple(dyn), rng),
        cotangent=_random_like(value, rng),
        tol=_pick((rtol, atol), JAX_TOLERANCE[precision]),
        fd_tol=_pick((fd_rtol, fd_atol), FD_TOLERANCE[precision]),
        eps=eps,
    )
    applicable = {t: _applicable(t, out_leaves, dyn) for t in transforms}
    checker.jax_side = _JaxSide(jax, _bind(jax_fun, args, dyn_pos), checker)
    checker.jax_side.run_all([t for t in transforms if not applicable[t]])

    checks = []
    for t in transforms:
        if applicable[t]:
            checks.append(Check(t, "skip", message=applicable[t]))
            continue
        use_fd = t != "value" and (
            finite_differences is True or (finite_differences and t in finite_differences)
        )
        check = checker.check(t, use_fd)
        if t == "value":
            check.seconds += value_seconds
        checks.append(check)
    return Report(name, checks)


def _pick(given, defaults) -> tuple:
    return tuple(d if g is None else g for g, d in zip(given, defaults, strict=True))


def _jax_also_raises(jax, jax_fun, args) -> str:
    try:
        with jax.disable_jit():
            jax_fun(*args)
    except Exception as e:  # noqa: BLE001
        return f" (JAX raised too, so the program itself is wrong: {type(e).__name__}: {e})"
    return " (JAX runs it)"


def _float_leaves(tree):
    return [x for x in tree_util.tree_leaves(tree) if np.asarray(x).dtype.kind in "fc"]


class _Checker:
    """One program's checks: mini_ad's result for a transform against JAX's and against
    finite differences. ``seconds`` is the time mini_ad and the references took."""

    def __init__(self, *, mini, program, value, tangents, cotangent, tol, fd_tol, eps):
        self.mini, self.program, self.value = mini, program, value
        self.tangents, self.cotangent = tangents, cotangent
        self.tol, self.fd_tol, self.eps = tol, fd_tol, eps
        self.jax_side = None

    def ours(self, t):
        if t == "value":
            return self.value
        p = self.program
        return apply_transform(self.mini, t, p.f, p.dyn, self.tangents, self.cotangent)

    def check(self, t, use_fd) -> Check:
        start = time.perf_counter()
        seconds = lambda: time.perf_counter() - start  # noqa: E731
        try:
            ours = self.ours(t)
        except UNSUPPORTED as e:
            return Check(t, "unsupported", message=f"mini_ad: {type(e).__name__}: {e}")
        except Exception as e:  # noqa: BLE001
            return Check(t, "error", message=f"mini_ad raised {type(e).__name__}: {e}")
        try:
            theirs = self.jax_side.result(t)
        except Exception as e:  # noqa: BLE001
            return Check(
                t, "error", message=f"JAX raised {type(e).__name__}: {e}", seconds=seconds()
            )
        vs_jax = compare_trees(ours, theirs, rtol=self.tol[0], atol=self.tol[1], reference="jax")
        vs_fd = None
        if use_fd:
            try:
                ref = self.program.fd_reference(
                    self.mini, t, self.tangents, self.cotangent, self.eps, self.value
                )
            except Exception as e:  # noqa: BLE001
                msg = f"finite differences raised {type(e).__name__}: {e}"
                return Check(t, "error", vs_jax, message=msg, seconds=seconds())
            rtol, atol = self.fd_tol
            leaves = tree_util.tree_leaves(ours)
            vs_fd = compare_leaves(
                leaves, ref, rtol=rtol, atol=atol, reference="fd", check_dtype=False
            )
        passed = vs_jax.passed and (vs_fd is None or vs_fd.passed)
        return Check(t, "pass" if passed else "fail", vs_jax, vs_fd, seconds=seconds())


class _JaxSide:
    """JAX's results: all transforms in one jitted program (one XLA compilation per
    program), or, if that fails (a program JAX cannot stage, or one transform JAX rejects),
    transform by transform and op by op, so that an error is attributed to its transform.
    """

    def __init__(self, jax, f, checker):
        self.jax, self.f = jax, f
        self.dyn, self.tangents = checker.program.dyn, checker.tangents
        self.cotangent = checker.cotangent
        self.results = {}

    def _apply(self, t, dyn, tangents, cotangent):
        return apply_transform(self.jax, t, self.f, list(dyn), tangents, cotangent)

    def run_all(self, transforms):
        def everything(dyn, tangents, cotangent):
            return {t: self._apply(t, dyn, tangents, cotangent) for t in transforms}

        try:
            out = self.jax.jit(everything)(tuple(self.dyn), self.tangents, self.cotangent)
            self.results = _to_numpy(out)
        except Exception:  # noqa: BLE001 - redone transform by transform in result()
            self.results = {}

    def result(self, t):
        # Where a result is not finite, XLA's algebraic simplifier may have rewritten
        # 0 * inf (e.g. jacfwd's one-hot products); op by op is then the reference.
        done = self.results.get(t)
        if done is not None and all(np.all(np.isfinite(x)) for x in _float_leaves(done)):
            return done
        with self.jax.disable_jit():  # op by op: XLA compiles each primitive once per signature
            return _to_numpy(self._apply(t, self.dyn, self.tangents, self.cotangent))


def check_against_jax(
    fun,
    *args,
    transforms=DEFAULT_TRANSFORMS,
    order: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    finite_differences=True,
    raise_on_failure: bool = True,
    seed: int = 0,
) -> Report:
    """Compare mini_ad's transforms of ``fun`` with JAX's transforms of the same program.

    ``fun`` is written with ``mini_ad.numpy``; JAX runs it through the bridge
    (``to_jax(fun)``: mini_ad's Jaxpr evaluated with ``jax.lax``). Each transform is also
    compared with central finite differences. Positional arguments whose leaves are all
    floating are differentiated; the others are held fixed.

    Args:
      fun: a function written with ``mini_ad.numpy``.
      args: its positional arguments (pytrees of arrays).
      transforms: the names of the transforms to check (see
        ``mini_ad.interop.transforms``); those above ``order`` are dropped.
      order: the highest derivative order checked (2 keeps ``hessian``; 3 and 4 add
        ``d3_fwd``, ``d3_rev``, ``d4_fwd`` and ``d4_rev``).
      rtol: the relative tolerance against JAX; None picks one by the lowest floating
        precision involved (1e-8 for float64, 1e-4 for float32).
      atol: the absolute tolerance against JAX (scaled by ``max(1, max|reference|)``);
        None picks one by precision (1e-10 for float64, 1e-6 for float32).
      finite_differences: True, False, or a collection of transform names to also
        check against finite differences (leave out the ones evaluated at a kink).
      raise_on_failure: raise on a mismatch (or an unsupported transform) instead of
        only reporting it.
      seed: the seed of the random tangents and cotangents.

    Returns:
      A ``Report`` (print it for a table; ``report.passed``, ``report[name].status``).

    Raises:
      AssertionError: with ``raise_on_failure``, a mismatch or an unsupported transform,
        naming the transforms.

    Example:
      >>> import numpy as np
      >>> import mini_ad.numpy as mnp
      >>> from mini_ad.interop import check_against_jax
      >>> report = check_against_jax(lambda x: mnp.sum(mnp.tanh(x) ** 2), np.array([0.1, -0.7]))
      >>> report.passed, report["hessian"].status
      (True, 'pass')
    """
    from mini_ad.interop.jax import to_jax

    name = getattr(fun, "__name__", "function")
    report = compare_programs(
        fun, to_jax(fun), args, transforms=transforms, order=order, rtol=rtol, atol=atol,
        finite_differences=finite_differences, seed=seed, name=name,
    )  # fmt: skip
    unsupported = [c.transform for c in report.checks if c.status == "unsupported"]
    if raise_on_failure and (report.failures or unsupported):
        problems = []
        if report.failures:
            failed = ", ".join(c.transform for c in report.failures)
            problems.append(f"mini_ad disagrees with JAX on {name} in: {failed}")
        if unsupported:
            problems.append(f"unsupported by mini_ad for {name}: {', '.join(unsupported)}")
        raise AssertionError("; ".join(problems) + f"\n{report}")
    return report


__all__ = [
    "DEFAULT_TRANSFORMS",
    "Unsupported",
    "apply_transform",
    "check_against_jax",
    "compare_programs",
]
