"""Kept so that ``python -m comparisons`` still works from the repository root; the suite
lives in ``mini_ad.comparisons`` (``python -m mini_ad.comparisons`` works from anywhere)."""
