"""``python -m mini_ad.comparisons``: run the registry, print a table per category, write JSON or
Markdown, and exit non-zero on any failed check.

Checks are counted: a case contributes one check per transform (plus ``bridge``). A check
whose feature mini_ad does not have yet is *unsupported* and one that does not apply is
*skipped*; neither counts as passed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time

import numpy as np

from mini_ad.comparisons.registry import CATEGORIES, all_cases
from mini_ad.comparisons.runner import run_case

DEFAULT_CACHE = "~/.cache/mini_ad/jax_compilation_cache"
COLUMNS = ("category", "cases", "checks", "max rel err vs JAX", "max rel err vs FD",
           "passed", "failed", "unsupported", "skipped")  # fmt: skip


def _max_rel(checks, side) -> float | None:
    values = [getattr(c, side).max_rel for c in checks if getattr(c, side) is not None]
    return max(values) if values else None


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.1e}"


def category_rows(results) -> list[tuple]:
    """One row per category (COLUMNS), then a total row."""
    rows = []
    groups = [(cat, [r for c, r in results if c.category == cat]) for cat in CATEGORIES]
    groups.append(("total", [r for _, r in results]))
    for cat, reports in groups:
        if not reports:
            continue
        checks = [c for r in reports for c in r.checks]
        count = {
            s: sum(c.status == s for c in checks)
            for s in ("pass", "fail", "error", "unsupported", "skip")
        }
        rows.append((
            cat, len(reports), len(checks), _fmt(_max_rel(checks, "jax")), _fmt(_max_rel(checks, "fd")),
            count["pass"], count["fail"] + count["error"], count["unsupported"], count["skip"],
        ))  # fmt: skip
    return rows


def case_rows(results, category) -> list[tuple]:
    rows = []
    for case, report in results:
        if case.category != category:
            continue
        counts = report.counts()
        status = (
            "FAIL" if not report.passed else ("unsupported" if counts["unsupported"] else "pass")
        )
        rows.append((case.name, len(report.checks), _fmt(_max_rel(report.checks, "jax")),
                     _fmt(_max_rel(report.checks, "fd")), status))  # fmt: skip
    return rows


def text_table(header, rows) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(
        str(v).rjust(w) if i else str(v).ljust(w)
        for i, (v, w) in enumerate(zip(r, widths, strict=True))
    )
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def markdown_table(header, rows) -> str:
    out = ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    return "\n".join(out)


def totals(results) -> dict:
    checks = [c for _, r in results for c in r.checks]
    return {
        "cases": len(results),
        "checks": len(checks),
        "passed": sum(c.status == "pass" for c in checks),
        "failed": sum(c.status in ("fail", "error") for c in checks),
        "unsupported": sum(c.status == "unsupported" for c in checks),
        "skipped": sum(c.status == "skip" for c in checks),
    }


def final_line(t, seconds) -> str:
    return (f"{t['passed']} passed, {t['failed']} failed, {t['unsupported']} unsupported, "
            f"{t['skipped']} skipped ({t['checks']} checks in {t['cases']} cases, {seconds:.1f} s)")  # fmt: skip


def _progress(i, n, name):
    bar = "#" * int(30 * i / n)
    sys.stderr.write(f"\r[{bar:<30}] {i}/{n} {name[:50]:<50}")
    sys.stderr.flush()


def enable_jax_cache(path: str) -> None:
    """Keep XLA's compiled kernels on disk: most of a run's time is XLA compiling JAX's
    primitives, so later runs are several times faster."""
    import jax

    jax.config.update("jax_compilation_cache_dir", os.path.expanduser(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)


def run(cases, show_progress=True):
    results = []
    for i, case in enumerate(cases):
        if show_progress:
            _progress(i, len(cases), case.full_name)
        with np.errstate(all="ignore"):  # kink cases compute inf and nan on purpose
            results.append((case, run_case(case)))
    if show_progress:
        _progress(len(cases), len(cases), "done")
        sys.stderr.write("\n")
    return results


def write_json(path, results, t, seconds):
    data = {
        "summary": dict(t, seconds=round(seconds, 2)),
        "cases": [
            dict(report.to_dict(), category=case.category, note=case.note, order=case.order)
            for case, report in results
        ],
    }
    with open(path, "w") as f:
        json.dump(
            data, f, indent=1, default=lambda o: o.item() if isinstance(o, np.generic) else str(o)
        )


def write_markdown(path, results, t, seconds):
    parts = ["# mini_ad against JAX and finite differences", "", final_line(t, seconds), ""]
    parts += ["## By category", "", markdown_table(COLUMNS, category_rows(results)), ""]
    for cat in CATEGORIES:
        rows = case_rows(results, cat)
        if rows:
            header = ("case", "checks", "max rel err vs JAX", "max rel err vs FD", "status")
            parts += [f"## {cat}", "", markdown_table(header, rows), ""]
    failures = [r for _, r in results if not r.passed]
    if failures:
        parts += ["## Failures", ""] + [f"```\n{r}\n```\n" for r in failures]
    with open(path, "w") as f:
        f.write("\n".join(parts))


DESCRIPTION = (
    "Run the comparison suite: named programs, each run through mini_ad's transforms (value, "
    "grad, jvp, vjp, jacfwd, jacrev, hessian), through JAX's (x64) and by central finite "
    "differences. Print a table per category and a final 'N passed, M failed' line, and exit "
    "with status 1 if any check failed. JAX must be installed (pip install 'mini_ad[jax]')."
)


def prog_name() -> str:
    """How the user started us: ``mini-ad-comparisons`` or ``python -m mini_ad.comparisons``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return name if name.startswith("mini-ad") else "python -m mini_ad.comparisons"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=prog_name(), description=DESCRIPTION, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="Show this help message and exit.")
    parser.add_argument("--filter", default=None, metavar="REGEX",
                        help="Run only the cases whose 'category/name' matches REGEX.")  # fmt: skip
    parser.add_argument("--json", metavar="PATH", help="Write every check with its errors as JSON to PATH.")  # fmt: skip
    parser.add_argument("--markdown", metavar="PATH", help="Write the tables as Markdown to PATH.")
    parser.add_argument("--list", action="store_true", help="List the cases and exit.")
    parser.add_argument("-v", "--verbose", action="store_true", help="Also print a row per case.")
    parser.add_argument("-q", "--quiet", action="store_true", help="Do not show the progress bar.")
    parser.add_argument("--jax-cache", metavar="DIR", default=os.environ.get("MINI_AD_JAX_CACHE", DEFAULT_CACHE),
                        help="Keep XLA's compiled kernels in DIR, which makes later runs faster; "
                             "pass '' to disable (default: %(default)s).")  # fmt: skip
    options = parser.parse_args(argv)

    cases = all_cases()
    if options.filter:
        pattern = re.compile(options.filter)
        cases = [c for c in cases if pattern.search(c.full_name)]
    if options.list:
        print("\n".join(c.full_name for c in cases))
        return 0
    if not cases:
        print("no cases match", file=sys.stderr)
        return 2
    if importlib.util.find_spec("jax") is None:
        print("The comparison suite needs JAX: pip install 'mini_ad[jax]'.", file=sys.stderr)
        return 2
    if options.jax_cache:
        enable_jax_cache(options.jax_cache)
    start = time.perf_counter()
    results = run(cases, show_progress=not options.quiet)
    seconds = time.perf_counter() - start
    t = totals(results)

    print(text_table(COLUMNS, category_rows(results)))
    if options.verbose:
        header = ("case", "checks", "max rel err vs JAX", "max rel err vs FD", "status")
        for cat in CATEGORIES:
            rows = case_rows(results, cat)
            if rows:
                print(f"\n{cat}\n" + text_table(header, rows))
    for _, report in results:
        if not report.passed:
            print(f"\n{report}")
    unsupported = [case.full_name for case, r in results if r.counts()["unsupported"]]
    if unsupported:
        print(f"\nunsupported (not built in mini_ad yet): {', '.join(unsupported)}")
    print("\n" + final_line(t, seconds))
    if options.json:
        write_json(options.json, results, t, seconds)
    if options.markdown:
        write_markdown(options.markdown, results, t, seconds)
    return 1 if t["failed"] else 0
