"""W9, ``mini_ad.numpy`` used as NumPy: W1's forward chain ``x = sin(x)*1.01 + 0.1*x`` with
no transform at all, on a NumPy scalar and on a 1000-element array.

Each library runs its own NumPy look-alike on plain inputs: mini_ad's ``mnp``, HIPS
autograd's ``autograd.numpy`` (which calls NumPy directly when nothing is traced) and
NumPy itself. The time is divided by the number of library calls (4 a step: sin, two
multiplications, one addition, all through the library's functions).
"""

from __future__ import annotations

import numpy as np

from mini_ad.benchmarks.harness import Case, impl, measure
from mini_ad.benchmarks.results import WorkloadResult, at_most, fmt_time, ratio

STEPS = 100
INPUTS = {"scalar": np.float64(0.5), "1000 elements": np.linspace(-1.0, 1.0, 1000)}


def chain(lib, x):
    for _ in range(STEPS):
        x = lib.add(lib.multiply(lib.sin(x), 1.01), lib.multiply(0.1, x))
    return x


def run(env, cfg) -> WorkloadResult:
    res = WorkloadResult(
        "W9",
        "mini_ad.numpy used as NumPy (no transform)",
        note=f"{STEPS} steps of sin(x)*1.01 + 0.1*x through each library's functions",
    )
    ops = 4 * STEPS
    res.extra_md.append("Time per library call:\n")
    res.extra_md.append("| input | mini_ad.numpy | autograd.numpy | NumPy |")
    res.extra_md.append("|---|---|---|---|")
    for label, x in INPUTS.items():
        impls = {
            "mini_ad": impl(lambda x=x: chain(env.mnp, x)),
            "numpy": impl(lambda x=x: chain(np, x)),
        }
        if env.anp is not None:
            impls["autograd"] = impl(lambda x=x: chain(env.anp, x))
        case = Case("W9", f"forward, {label}", impls, lambda x=x: chain(np, x), rtol=1e-12)
        row = measure(case, cfg, env.skipped)
        res.rows.append(row)
        per_op = {b: s.median / ops for b, s in row.stats.items()}
        res.metrics[f"per_op_s[{label}]"] = per_op
        cells = [fmt_time(per_op.get(b)) for b in ("mini_ad", "autograd", "numpy")]
        res.extra_md.append(f"| {label} | " + " | ".join(cells) + " |")
        res.targets.append(
            at_most(
                "W9",
                f"mnp as NumPy ({label})",
                "per call <= 1.5x autograd.numpy's",
                ratio(per_op.get("mini_ad"), per_op.get("autograd")),
                1.5,
                env.skipped.get("autograd", ""),
            )
        )
    return res
