"""Run one case: mini_ad against JAX and finite differences, plus the bridge.

Besides the transforms, every case gets a ``bridge`` check: the mini_ad program, traced
to a Jaxpr and run on XLA as ``jax.jit(to_jax(f))``, must give mini_ad's value. It is
skipped for programs that cannot be staged (Python control flow on values).
"""

from __future__ import annotations

import functools
import time

from mini_ad import tree_util
from mini_ad.comparisons.namespaces import jax_namespace, mini_namespace
from mini_ad.errors import (
    ConcretizationTypeError,
    NonConcreteBooleanIndexError,
    TracerIntegerConversionError,
)
from mini_ad.interop.compare import JAX_TOLERANCE, UNSUPPORTED, compare_programs, precision_of
from mini_ad.interop.report import Check, Report, compare_trees


@functools.cache
def namespaces():
    return mini_namespace(), jax_namespace()


def run_case(case, bridge: bool = True) -> Report:
    mini_ns, jax_ns = namespaces()
    mini_fun = functools.partial(case.fun, mini_ns)
    jax_fun = functools.partial(case.fun, jax_ns)
    args = case.make_args()
    report = compare_programs(
        mini_fun, jax_fun, args, transforms=case.transforms, order=case.order,
        rtol=case.rtol, atol=case.atol, finite_differences=case.fd, name=case.full_name,
    )  # fmt: skip
    if bridge:
        report.checks.append(bridge_check(mini_fun, args, case.rtol))
    return report


def bridge_check(mini_fun, args, rtol=None) -> Check:
    """``jax.jit(to_jax(f))(*args)`` against mini_ad's ``f(*args)``."""
    import jax

    from mini_ad.interop.jax import to_jax

    start = time.perf_counter()
    try:
        expected = mini_fun(*args)
    except UNSUPPORTED as e:
        return Check("bridge", "unsupported", message=f"mini_ad: {type(e).__name__}: {e}")
    except Exception as e:  # noqa: BLE001 - reported by the value check already
        return Check("bridge", "error", message=f"mini_ad raised {type(e).__name__}: {e}")
    try:
        out = jax.tree_util.tree_map(lambda x: x.__array__(), jax.jit(to_jax(mini_fun))(*args))
    except (
        ConcretizationTypeError,
        TracerIntegerConversionError,
        NonConcreteBooleanIndexError,
    ) as e:
        first = str(e).splitlines()[0]
        return Check(
            "bridge",
            "skip",
            message=f"not stageable (value-dependent Python control flow): {first}",
        )
    except UNSUPPORTED as e:
        return Check("bridge", "unsupported", message=f"mini_ad: {type(e).__name__}: {e}")
    except Exception as e:  # noqa: BLE001
        return Check("bridge", "error", message=f"the bridge raised {type(e).__name__}: {e}")
    tol = JAX_TOLERANCE[precision_of(tree_util.tree_leaves((args, expected)))]
    result = compare_trees(out, expected, rtol=rtol or tol[0], atol=tol[1], reference="jax")
    # the comparison is "mini_ad's value vs the bridged program on XLA": report it as vs JAX
    status = "pass" if result.passed else "fail"
    return Check("bridge", status, result, None, result.note, time.perf_counter() - start)
