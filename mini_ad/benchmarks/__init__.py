"""mini_ad's benchmark harness: ``python -m mini_ad.benchmarks [--quick] [--only W1,W2]``.

Importing this package pins BLAS, OpenMP and XLA to one thread. The variables only take
effect if they are set before NumPy and JAX are first imported. ``import mini_ad`` imports
NumPy first, so the command line (``python -m mini_ad.benchmarks`` or ``mini-ad-benchmarks``)
restarts itself once with the variables set when they were not already in the environment;
``THREADS_PINNED`` records whether they were in effect. See ``README.md`` beside this file for
the workloads, the method and the latest table.
"""

import os
import sys

PINNED_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
XLA_SINGLE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

XLA_PINNED = XLA_SINGLE_THREAD in os.environ.get("XLA_FLAGS", "")
ENV_PINNED = all(os.environ.get(k) == v for k, v in PINNED_ENV.items()) and XLA_PINNED
THREADS_PINNED = ENV_PINNED or ("numpy" not in sys.modules and "jax" not in sys.modules)

os.environ.update(PINNED_ENV)
if XLA_SINGLE_THREAD not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_SINGLE_THREAD}".strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")
