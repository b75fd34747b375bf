"""What a workload hands back: its timed rows, extra metrics, and its targets (met or not)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mini_ad.benchmarks.harness import Row


@dataclass
class Target:
    """One line of the targets table; ``met`` is ``None`` when it could not be measured."""

    workload: str
    goal: str
    criterion: str
    measured: str
    met: bool | None
    why_na: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class WorkloadResult:
    key: str
    title: str
    note: str = ""
    rows: list[Row] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)
    extra_md: list[str] = field(default_factory=list)  # markdown lines after the main table
    targets: list[Target] = field(default_factory=list)

    def row(self, case: str) -> Row | None:
        return next((r for r in self.rows if r.case == case), None)

    def as_dict(self) -> dict:
        return {
            "key": self.key, "title": self.title, "note": self.note,
            "rows": [r.as_dict() for r in self.rows], "metrics": self.metrics,
            "targets": [t.as_dict() for t in self.targets],
        }  # fmt: skip


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def at_most(
    workload: str, goal: str, criterion: str, value: float | None, limit: float, why_na: str = ""
) -> Target:
    """A target ``value <= limit`` (a ratio); n/a when the value could not be measured."""
    if value is None:
        return Target(workload, goal, criterion, "n/a", None, why_na or "not measured")
    return Target(workload, goal, criterion, f"{value:.3g}x", value <= limit)


def all_of(workload: str, goal: str, parts: list[Target]) -> Target:
    """Several criteria that must all hold (met only if each is; n/a if any is n/a)."""
    criterion = "; ".join(p.criterion for p in parts)
    measured = "; ".join(p.measured for p in parts)
    if any(p.met is False for p in parts):
        met = False
    elif any(p.met is None for p in parts):
        met = None
    else:
        met = True
    why = "; ".join(dict.fromkeys(p.why_na for p in parts if p.why_na))
    return Target(workload, goal, criterion, measured, met, why)


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}x"
