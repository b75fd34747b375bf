"""Timing and checking one benchmark case on every backend.

The method, per case:

1. Every backend's first call (preparation included, so for ``jax.jit`` and ``mini_ad``'s
   jit it is the compile time) is compared with the case's reference values by
   ``np.allclose(value, reference, rtol, atol)``. A backend that raises or disagrees is
   reported as an error for that case and is never timed.
2. One more call per backend is the warm-up and estimates the cost of a call (for a call
   that took over max(10 block_s, 0.2 s) and compiles nothing, the checked call stands in
   for it); from it each backend gets ``inner`` calls per block (a block lasts about
   ``block_s``) and up to ``repeats`` blocks (fewer if they would exceed ``budget_s``).
3. Blocks are interleaved: repeat r times backends in an order rotated by r, so drift in the
   machine's load is shared out rather than landing on one backend.
4. Each backend reports the median, min and spread ((max - min) / median) of its per-call
   times. The clock is process CPU time (``time.process_time``) unless told otherwise.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from mini_ad.benchmarks.backends import BACKENDS, JIT_BACKENDS, block, to_numpy_leaves


@dataclass
class Config:
    """Sizes and repeat counts for one run (``full``, ``quick`` or ``smoke``)."""

    mode: str = "full"
    repeats: int = 7
    block_s: float = 0.1  # aim for blocks this long (seconds of the clock)
    max_inner: int = 10_000
    budget_s: float = 20.0  # fewer repeats for a backend whose blocks would exceed this
    clock: str = "process"
    warmup: bool = True  # one untimed call after the checked one, before calibrating
    w1_steps: tuple[int, ...] = (100, 1000)
    w2_sizes: tuple[int, ...] = (784, 512, 512, 10)
    w2_batch: int = 128
    w3_max_order: int = 6
    w4_n: int = 100
    w5_n: int = 1_000_000
    w6_steps: int = 250  # 4 ops a step plus a sum: 1001 ops
    w6_width: int = 16
    w7_n: int = 200
    w8_w5_n: int = 10_000_000  # W8 (--large): W5 at 10^7, W2 at batch 4096, a 10-layer MLP
    w8_w2_batch: int = 4096
    w8_mlp_layers: int = 10
    w8_mlp_width: int = 256
    w8_mlp_batch: int = 1024

    @classmethod
    def preset(cls, mode: str) -> Config:
        if mode == "full":
            return cls()
        if mode == "quick":
            return cls(mode="quick", repeats=3, block_s=0.03, budget_s=6.0)
        if mode == "smoke":
            return cls(
                mode="smoke", repeats=1, block_s=0.0, max_inner=1, budget_s=1.0, warmup=False,
                w1_steps=(5, 10), w2_sizes=(12, 8, 8, 3), w2_batch=4, w3_max_order=3,
                w4_n=6, w5_n=50, w6_steps=5, w6_width=3, w7_n=5, w8_w5_n=50, w8_w2_batch=4,
                w8_mlp_layers=3, w8_mlp_width=6, w8_mlp_batch=4,
            )  # fmt: skip
        raise ValueError(f"unknown mode {mode!r}: expected full, quick or smoke")

    def now(self) -> float:
        return time.process_time() if self.clock == "process" else time.perf_counter()


@dataclass
class Impl:
    """How one backend runs a case.

    ``prepare()`` builds the zero-argument call to time (jit wrappers are made here, so the
    first call pays for tracing and compiling); ``check`` maps that call's result to the
    values compared with the reference (default: the result itself).
    """

    prepare: Callable[[], Callable[[], object]]
    check: Callable[[object], object] | None = None


def impl(call: Callable[[], object], check=None) -> Impl:
    """An ``Impl`` whose call needs no preparation."""
    return Impl(lambda: call, check)


@dataclass
class Case:
    workload: str
    name: str
    impls: dict[str, Impl]
    reference: Callable[[], object]  # the values every backend must reproduce
    rtol: float = 1e-9
    atol: float = 0.0
    note: str = ""
    report_first: bool = True  # False when every call re-traces (the first is not special)


@dataclass
class Stats:
    median: float
    min: float
    max: float
    repeats: int
    inner: int

    @property
    def spread(self) -> float:
        return (self.max - self.min) / self.median if self.median > 0 else 0.0

    def as_dict(self) -> dict:
        return {
            "median_s": self.median, "min_s": self.min, "max_s": self.max,
            "spread": self.spread, "repeats": self.repeats, "inner": self.inner,
        }  # fmt: skip


@dataclass
class Row:
    """One case's results: ``status[b]`` is ``ok``, ``error: ...`` or ``skipped: ...``."""

    workload: str
    case: str
    note: str
    rtol: float
    atol: float
    status: dict[str, str] = field(default_factory=dict)
    stats: dict[str, Stats] = field(default_factory=dict)
    first_s: dict[str, float] = field(default_factory=dict)
    report_first: bool = True

    def median(self, backend: str) -> float | None:
        s = self.stats.get(backend)
        return s.median if s else None

    def as_dict(self) -> dict:
        return {
            "workload": self.workload, "case": self.case, "note": self.note,
            "rtol": self.rtol, "atol": self.atol, "status": self.status,
            "stats": {b: s.as_dict() for b, s in self.stats.items()},
            "first_call_s": self.first_s if self.report_first else {},
        }  # fmt: skip


def compare(value, reference, rtol: float, atol: float) -> str | None:
    """``None`` if ``value`` matches ``reference`` leaf by leaf, else what differs."""
    got, want = to_numpy_leaves(value), to_numpy_leaves(reference)
    if len(got) != len(want):
        return f"{len(got)} output arrays, expected {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        if np.shape(g) != np.shape(w):
            return f"output {i} has shape {np.shape(g)}, expected {np.shape(w)}"
        if not np.allclose(g, w, rtol=rtol, atol=atol):
            err = np.abs(np.asarray(g, np.float64) - w)
            rel = err / np.maximum(np.abs(w), np.finfo(np.float64).tiny)
            return (
                f"output {i} differs: max abs err {np.max(err):.3g}, max rel err "
                f"{np.max(rel):.3g} (rtol={rtol:g}, atol={atol:g})"
            )
    return None


def _blocking(call):
    return lambda: block(call())


def measure(case: Case, cfg: Config, skipped: dict[str, str]) -> Row:
    """Check, then time, ``case`` on every backend it has an ``Impl`` for."""
    row = Row(case.workload, case.name, case.note, case.rtol, case.atol)
    row.report_first = case.report_first
    reference = case.reference()
    calls = {}
    for backend in BACKENDS:
        if backend not in case.impls:
            continue
        if backend in skipped:
            row.status[backend] = f"skipped: {skipped[backend]}"
            continue
        try:
            gc.collect()
            start = cfg.now()
            call = case.impls[backend].prepare()
            if backend.startswith("jax"):
                call = _blocking(call)
            out = call()
            row.first_s[backend] = cfg.now() - start
            check = case.impls[backend].check
            problem = compare(check(out) if check else out, reference, case.rtol, case.atol)
        except Exception as e:  # noqa: BLE001 - any failure is this backend's error
            problem = f"raised {type(e).__name__}: {_short(str(e))}"
        if problem:
            row.status[backend] = f"error: {problem}"
        else:
            row.status[backend] = "ok"
            calls[backend] = call
    _time_interleaved(calls, row, cfg)
    return row


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _time_interleaved(calls: dict, row: Row, cfg: Config) -> None:
    inner, repeats = {}, {}
    for backend, call in calls.items():
        first = row.first_s[backend]
        compiled_first = backend in JIT_BACKENDS and row.report_first
        if not cfg.warmup or (not compiled_first and first > max(10 * cfg.block_s, 0.2)):
            estimate = first  # a long call: the checked call was warm-up enough
        else:
            start = cfg.now()
            call()  # warm-up
            estimate = cfg.now() - start
        n = int(cfg.block_s / estimate) if estimate > 0 else cfg.max_inner
        inner[backend] = max(1, min(cfg.max_inner, n))
        block_cost = max(estimate * inner[backend], 1e-9)
        repeats[backend] = max(1, min(cfg.repeats, int(cfg.budget_s / block_cost)))
    samples = {b: [] for b in calls}
    names = list(calls)
    for r in range(max(repeats.values(), default=0)):
        order = names[r % len(names) :] + names[: r % len(names)]
        for backend in order:
            if len(samples[backend]) >= repeats[backend]:
                continue
            call, n = calls[backend], inner[backend]
            gc.collect()
            start = cfg.now()
            for _ in range(n):
                call()
            samples[backend].append((cfg.now() - start) / n)
    for backend, times in samples.items():
        row.stats[backend] = Stats(
            float(np.median(times)), min(times), max(times), len(times), inner[backend]
        )


def peak_memory(call: Callable[[], object]) -> int:
    """Peak bytes traced by ``tracemalloc`` during one call (NumPy reports its buffers)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        out = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del out
    return peak
