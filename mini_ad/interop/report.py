"""Results of a cross-check: one ``Check`` per transform, each holding mini_ad's error
against JAX and against finite differences, gathered in a printable ``Report``.

Errors are measured the same way everywhere (``compare_trees``): the pytree structures,
shapes and dtypes must match; values must satisfy, element by element,
``|actual - expected| <= atol * scale + rtol * |expected|`` with
``scale = max(1, max |expected|)`` (an absolute tolerance that grows with the result's
magnitude, so cancellation in large numbers is not a failure). NaNs agree with NaNs and
infinities with infinities of the same sign. The reported relative error is
``max |actual - expected| / max(|expected|, atol * scale / rtol)``: relative where the
expected value is large enough for relative error to mean something, and measured
against that floor where it is (nearly) zero. A check passes when it is about ``rtol``.
"""

from __future__ import annotations

import numpy as np

from mini_ad import tree_util

STATUSES = ("pass", "fail", "error", "unsupported", "skip")


class Comparison:
    """mini_ad's result against one reference (``"jax"`` or ``"fd"``)."""

    __slots__ = ("reference", "max_abs", "max_rel", "worst", "passed", "note")

    def __init__(self, reference, max_abs, max_rel, worst, passed, note=""):
        self.reference = reference
        self.max_abs = max_abs
        self.max_rel = max_rel
        self.worst = worst  # "leaf 1 [0, 2]": where the tolerance is exceeded most
        self.passed = passed
        self.note = note

    def to_dict(self) -> dict:
        return {
            "reference": self.reference,
            "max_abs_error": _json_float(self.max_abs),
            "max_rel_error": _json_float(self.max_rel),
            "worst_index": self.worst,
            "passed": self.passed,
            "note": self.note,
        }

    def __repr__(self):
        verdict = "ok" if self.passed else "MISMATCH"
        return f"Comparison({self.reference}: {verdict}, abs={self.max_abs:.2e}, rel={self.max_rel:.2e})"


def _json_float(x):
    return None if x is None or not np.isfinite(x) else float(x)


def _mismatch(reference, note) -> Comparison:
    return Comparison(reference, np.inf, np.inf, None, False, note)


def compare_trees(actual, expected, *, rtol, atol, reference, check_dtype=True) -> Comparison:
    """Compare two pytrees of arrays (NumPy or anything ``np.asarray`` accepts)."""
    a_leaves, a_tree = tree_util.tree_flatten(actual)
    e_leaves, e_tree = tree_util.tree_flatten(expected)
    if a_tree != e_tree:
        return _mismatch(reference, f"pytree structures differ: {a_tree} vs {e_tree}")
    return compare_leaves(
        a_leaves, e_leaves, rtol=rtol, atol=atol, reference=reference, check_dtype=check_dtype
    )


def compare_leaves(actual, expected, *, rtol, atol, reference, check_dtype=True) -> Comparison:
    """Compare two equal-length lists of array leaves (see the module docstring)."""
    if len(actual) != len(expected):
        return _mismatch(reference, f"{len(actual)} leaves vs {len(expected)}")
    actual = [np.asarray(x) for x in actual]
    expected = [np.asarray(x) for x in expected]
    for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
        if a.shape != e.shape:
            return _mismatch(reference, f"leaf {i}: shape {a.shape} vs {e.shape}")
        if check_dtype and a.dtype != e.dtype:
            return _mismatch(reference, f"leaf {i}: dtype {a.dtype} vs {e.dtype}")
    numeric = [
        (i, a, e)
        for i, (a, e) in enumerate(zip(actual, expected, strict=True))
        if a.dtype.kind in "biufc"
    ]
    finite = [np.abs(e[np.isfinite(e)]) for _, _, e in numeric]
    ref_max = max((float(f.max()) for f in finite if f.size), default=0.0)
    scale = max(1.0, ref_max)
    floor = atol * scale / rtol
    max_abs, max_rel, worst, worst_excess = 0.0, 0.0, None, -np.inf
    for i, a, e in numeric:
        diff = _abs_diff(a, e)
        if not diff.size:
            continue
        magnitude = np.where(np.isfinite(e), np.abs(e), 0.0)
        excess = diff - (atol * scale + rtol * magnitude)
        k = int(np.argmax(excess))
        if excess.flat[k] > worst_excess:
            worst_excess = float(excess.flat[k])
            where = [int(j) for j in np.unravel_index(k, diff.shape)]
            worst = f"leaf {i} {where}" if diff.ndim else f"leaf {i}"
        max_abs = max(max_abs, float(diff.max()))
        max_rel = max(max_rel, float(np.max(diff / np.maximum(magnitude, floor))))
    return Comparison(reference, max_abs, max_rel, worst, bool(worst_excess <= 0))


def _abs_diff(a, e) -> np.ndarray:
    a = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    e = e.astype(np.complex128 if e.dtype.kind == "c" else np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.abs(a - e)
    same = (np.isnan(a) & np.isnan(e)) | (np.isinf(a) & (a == e))
    diff = np.where(same, 0.0, diff)
    return np.where(np.isnan(diff), np.inf, diff)


class Check:
    """One transform of one program: its status and its errors.

    ``status`` is one of ``pass``, ``fail`` (a reference disagrees), ``error`` (mini_ad or
    JAX raised), ``unsupported`` (mini_ad lacks the feature) or ``skip`` (the transform does
    not apply, e.g. ``grad`` of a non-scalar output).
    """

    __slots__ = ("transform", "status", "jax", "fd", "message", "seconds")

    def __init__(self, transform, status, jax=None, fd=None, message="", seconds=0.0):
        assert status in STATUSES, status
        self.transform = transform
        self.status = status
        self.jax = jax
        self.fd = fd
        self.message = message
        self.seconds = seconds

    @property
    def verdict(self) -> str:
        """Who is likely wrong when a check fails."""
        if self.status != "fail":
            return self.message
        if self.jax is not None and not self.jax.passed and self.fd is not None:
            if self.fd.passed:
                return "JAX disagrees with mini_ad and finite differences (a convention, or JAX)"
            return "mini_ad disagrees with JAX and with finite differences: mini_ad is wrong"
        if self.jax is not None and not self.jax.passed:
            return "mini_ad disagrees with JAX" + (f": {self.jax.note}" if self.jax.note else "")
        return "mini_ad and JAX agree but differ from finite differences" + (
            f": {self.fd.note}" if self.fd.note else ""
        )

    def to_dict(self) -> dict:
        return {
            "transform": self.transform,
            "status": self.status,
            "vs_jax": None if self.jax is None else self.jax.to_dict(),
            "vs_fd": None if self.fd is None else self.fd.to_dict(),
            "message": self.verdict,
            "seconds": round(self.seconds, 4),
        }


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.1e}"


class Report:
    """All checks of one program; ``str(report)`` is a table."""

    __slots__ = ("name", "checks")

    def __init__(self, name: str, checks: list[Check]):
        self.name = name
        self.checks = checks

    @property
    def passed(self) -> bool:
        """True when no check failed or errored (skipped and unsupported ones do not count)."""
        return not self.failures

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status in ("fail", "error")]

    def __getitem__(self, transform: str) -> Check:
        for c in self.checks:
            if c.transform == transform:
                return c
        raise KeyError(transform)

    def counts(self) -> dict:
        return {s: sum(c.status == s for c in self.checks) for s in STATUSES}

    def summary(self) -> str:
        words = {
            "pass": "passed",
            "fail": "failed",
            "error": "errors",
            "unsupported": "unsupported",
            "skip": "skipped",
        }
        return ", ".join(f"{n} {words[s]}" for s, n in self.counts().items() if n)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "passed": self.passed,
            "checks": [c.to_dict() for c in self.checks],
        }

    def __str__(self):
        head = ("transform", "status", "abs err/jax", "rel err/jax", "rel err/fd", "worst", "note")
        rows = [head]
        for c in self.checks:
            worst = next((r.worst for r in (c.jax, c.fd) if r is not None and not r.passed), None)
            rows.append((
                c.transform, c.status.upper() if c.status in ("fail", "error") else c.status,
                _fmt(c.jax.max_abs if c.jax else None), _fmt(c.jax.max_rel if c.jax else None),
                _fmt(c.fd.max_rel if c.fd else None), worst or "", c.verdict,
            ))  # fmt: skip
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(head) - 1)]
        lines = [f"{self.name}: {self.summary()}"]
        for r in rows:
            cells = [str(v).ljust(w) for v, w in zip(r, widths, strict=False)]
            lines.append("  " + "  ".join(cells + [str(r[-1])]).rstrip())
        return "\n".join(lines)

    __repr__ = __str__
