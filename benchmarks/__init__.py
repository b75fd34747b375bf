"""Kept so that ``python -m benchmarks`` still works from the repository root; the harness
lives in ``mini_ad.benchmarks`` (``python -m mini_ad.benchmarks`` works from anywhere)."""
