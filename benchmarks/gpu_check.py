"""Kept so that ``python benchmarks/gpu_check.py`` works from the repository root; the
script is ``mini_ad.benchmarks.gpu_check`` (``python -m mini_ad.benchmarks.gpu_check``)."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # the checkout

from mini_ad.benchmarks.gpu_check import main  # noqa: E402

sys.exit(main())
