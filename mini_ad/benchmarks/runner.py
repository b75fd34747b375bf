"""Run a selection of workloads and collect their results into one report."""

from __future__ import annotations

import gc
import os
import sys
import time
import traceback

from mini_ad.benchmarks.backends import BACKENDS, load_env
from mini_ad.benchmarks.harness import Config
from mini_ad.benchmarks.report import machine_info, to_markdown
from mini_ad.benchmarks.workloads import LARGE_WORKLOADS, WORKLOADS

ALL_WORKLOADS = {**WORKLOADS, **LARGE_WORKLOADS}


def select(only: str | None, large: bool = False) -> list[str]:
    """``"W1,W3"`` -> ``["W1", "W3"]``, checked against the known workloads; by default
    W1..W7, plus the large-array ones (W8) when ``large``."""
    if not only:
        return list(ALL_WORKLOADS if large else WORKLOADS)
    keys = [k.strip().upper() for k in only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in ALL_WORKLOADS]
    if unknown:
        raise ValueError(f"unknown workload(s) {unknown}; choose from {list(ALL_WORKLOADS)}")
    return keys


def run_benchmarks(
    cfg: Config, only: str | None = None, skip=(), log=sys.stderr, large: bool = False
):
    """Run the selected workloads; returns ``(report_dict, markdown_text)``.

    ``skip`` names backends to leave out; ``large`` adds the large-array workloads. A
    workload that raises is recorded under ``workload_errors`` and the others still run.
    """
    env = load_env()
    for backend in skip:
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}; choose from {list(BACKENDS)}")
        env.skipped.setdefault(backend, "left out on request (--skip)")
    report = {"config": dict(cfg.__dict__), "machine": machine_info(env), "workloads": {}}
    report["skipped_backends"] = dict(env.skipped)
    report["workload_errors"] = {}
    if cfg.mode == "quick":
        report["label"] = "Quick run: 3 repeats of about 30 ms blocks; sizes as in the full run."
    elif cfg.mode == "smoke":
        report["label"] = "Smoke run: tiny sizes, one repeat; the times mean nothing."
    results = []
    started = time.perf_counter()
    gc.collect()
    gc.freeze()  # the libraries' own objects: keeps the collections between blocks cheap
    try:
        for key in select(only, large):
            _run_one(key, env, cfg, report, results, log)
    finally:
        gc.unfreeze()
    report["total_wall_s"] = time.perf_counter() - started
    report["load_average_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    return report, to_markdown(report, results, env)


def _run_one(key, env, cfg, report, results, log) -> None:
    print(f"[benchmarks] {key} ...", file=log, flush=True)
    t0 = time.perf_counter()
    try:
        res = ALL_WORKLOADS[key](env, cfg)
    except Exception as e:  # noqa: BLE001 - one broken workload must not hide the others
        report["workload_errors"][key] = f"{type(e).__name__}: {e}"
        traceback.print_exc(file=log)
        return
    results.append(res)
    report["workloads"][key] = res.as_dict()
    print(f"[benchmarks] {key} done in {time.perf_counter() - t0:.1f} s", file=log, flush=True)
