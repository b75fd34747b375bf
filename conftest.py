"""Test-session setup shared by ``tests/`` and the doctests.

XLA's CPU code for a few operations depends on the CPU: with AVX-512 its ``rsqrt`` starts
from the hardware's 14-bit estimate (``vrsqrt14pd``) and its vectorised reductions use
wider lanes, so JAX's own last bits differ between machines. The tests compare mini_ad
with JAX bit for bit, so they pin XLA to its portable code path (at most AVX2), which
``mini_ad.random`` reproduces. The flag must be set before JAX starts its CPU backend.
"""

import os

_PORTABLE = "--xla_cpu_max_isa=AVX2"
if "xla_cpu_max_isa" not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {_PORTABLE}".strip()
