"""The machine description, and the markdown and JSON renderings of a run."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

from mini_ad.benchmarks import PINNED_ENV, THREADS_PINNED
from mini_ad.benchmarks.backends import JIT_BACKENDS, LABELS
from mini_ad.benchmarks.results import WorkloadResult, fmt_ratio, fmt_time, ratio

TIME_COLUMNS = (
    "mini_ad", "mini_ad_jit", "mini_ad_xla", "autograd", "jax", "jax_jit", "torch", "numpy"
)  # fmt: skip
RATIOS = (  # (label, numerator, denominator)
    ("eager / autograd", "mini_ad", "autograd"),
    ("eager / JAX eager", "mini_ad", "jax"),
    ("eager / hand NumPy", "mini_ad", "numpy"),
    ("jit / autograd", "mini_ad_jit", "autograd"),
    ("jit / jax.jit", "mini_ad_jit", "jax_jit"),
    ("jit / hand NumPy", "mini_ad_jit", "numpy"),
    ("jit(xla) / jax.jit", "mini_ad_xla", "jax_jit"),
)


def machine_info(env) -> dict:
    """Cores, CPU model, library versions, mini_ad's commit, and how the run was pinned."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                (ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), model
            )
    except OSError:
        pass
    commit = _git("rev-parse", "--short", "HEAD")
    if commit and _git("status", "--porcelain", "--", "mini_ad"):
        commit += " + uncommitted changes to mini_ad/"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": env.versions,
        "mini_ad_commit": commit or "unknown",
        "threads_pinned": THREADS_PINNED,
        "thread_env": {k: os.environ.get(k) for k in (*PINNED_ENV, "XLA_FLAGS")},
        "load_average_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""


def _cell(row, backend: str, skipped: dict) -> str:
    status = row.status.get(backend)
    if status is None:
        return "—"
    if status.startswith("skipped"):
        return "n/a (not built)" if "not built" in status else "skipped"
    if status.startswith("error"):
        return "**ERROR**"
    s = row.stats[backend]
    return f"{fmt_time(s.median)} [{fmt_time(s.min)}] ±{100 * s.spread:.0f}%"


def to_markdown(report: dict, results: list[WorkloadResult], env) -> str:
    m, cfg = report["machine"], report["config"]
    # optional columns appear only when a workload ran them (the XLA backend: --large)
    ran = {b for res in results for row in res.rows for b in row.status}
    columns = [b for b in TIME_COLUMNS if b not in ("torch", "mini_ad_xla") or b in ran]
    ratios = [r for r in RATIOS if r[1] in columns]
    lines = [
        f"# mini_ad benchmarks: `{cfg['mode']}` run",
        "",
        f"* Machine: {m['cpu_model']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['platform']}; load average at start {_load(m['load_average_start'])}, at end "
        f"{_load(report.get('load_average_end'))}.",
        f"* Python {m['python']}; "
        + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
        + f"; mini_ad at commit {m['mini_ad_commit']}.",
        f"* Clock: {'process CPU time' if cfg['clock'] == 'process' else 'wall time'}; threads "
        f"pinned to 1: {'yes' if m['threads_pinned'] else 'NO (numpy/jax imported first)'}; "
        f"{cfg['repeats']} interleaved blocks of about {1000 * cfg['block_s']:.0f} ms per "
        "backend after a warm-up.",
    ]
    for backend, why in env.skipped.items():
        lines.append(f"* {LABELS[backend]}: {why}.")
    if report.get("label"):
        lines.append(f"* {report['label']}")
    lines += ["", "## Times", ""]
    lines.append(
        "Median time per call [min] ± spread ((max - min) / median). *compile* is the jit's "
        "first call (trace + compile + run), reported apart from the steady state."
    )
    lines.append("")
    head = ["workload", "case"] + [LABELS[b] for b in columns]
    head[head.index(LABELS["jax_jit"]) + 1 : head.index(LABELS["jax_jit"]) + 1] = [
        "jax.jit compile"
    ]
    for b in ("mini_ad_jit", "mini_ad_xla"):
        if b in columns:
            head.insert(head.index(LABELS[b]) + 1, f"{LABELS[b]} compile")
    lines += ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for res in results:
        for row in res.rows:
            cells = [res.key, f"{row.case} ({row.note})" if row.note else row.case]
            for b in columns:
                cells.append(_cell(row, b, env.skipped))
                if b in JIT_BACKENDS:
                    first = row.first_s.get(b) if row.report_first and row.stats.get(b) else None
                    cells.append(fmt_time(first))
            lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Ratios",
        "",
        "mini_ad's median over the other backend's (below 1: mini_ad is faster).",
        "",
    ]
    head = ["workload", "case"] + [label for label, _, _ in ratios]
    lines += ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for res in results:
        for row in res.rows:
            cells = [res.key, row.case]
            cells += [fmt_ratio(ratio(row.median(a), row.median(b))) for _, a, b in ratios]
            lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Targets",
        "",
        "| target | criterion | measured | status |",
        "|---|---|---|---|",
    ]
    for res in results:
        for t in res.targets:
            status = {True: "met", False: "**not met**", None: f"n/a ({t.why_na})"}[t.met]
            lines.append(f"| {t.goal} | {t.criterion} | {t.measured} | {status} |")
    lines += ["", "## Workload details", ""]
    for res in results:
        lines.append(f"### {res.key}: {res.title}")
        lines.append("")
        if res.note:
            lines += [res.note, ""]
        lines += res.extra_md + [""]
    errors = [
        f"* {res.key} {row.case}, {LABELS[b]}: {status}"
        for res in results
        for row in res.rows
        for b, status in row.status.items()
        if status.startswith("error")
    ]
    errors += [
        f"* {w}: the workload failed: {e}" for w, e in report.get("workload_errors", {}).items()
    ]
    lines += ["## Errors", ""] + (
        errors or ["None: every backend that ran agreed with the reference."]
    )
    lines += ["", "Correctness tolerances (`np.allclose(value, reference, rtol, atol)`):", ""]
    for res in results:
        tols = "; ".join(f"{row.case}: rtol={row.rtol:g}, atol={row.atol:g}" for row in res.rows)
        lines.append(f"* {res.key}: {tols}")
    lines.append("")
    return "\n".join(lines)


def _load(value) -> str:
    return "n/a" if not value else "/".join(f"{v:.1f}" for v in value)
