"""mini_ad's benchmark harness: ``python -m benchmarks [--quick] [--only W1,W2]``.

Importing this package pins BLAS, OpenMP and XLA to one thread. The variables only take
effect if they are set before NumPy and JAX are first imported, which is the case for
``python -m benchmarks`` (this file runs first); ``THREADS_PINNED`` records whether it was.
See ``benchmarks/README.md`` for the workloads, the method and the latest table.
"""

import os
import sys

PINNED_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
XLA_SINGLE_THREAD = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

THREADS_PINNED = "numpy" not in sys.modules and "jax" not in sys.modules

os.environ.update(PINNED_ENV)
if XLA_SINGLE_THREAD not in os.environ.get("XLA_FLAGS", ""):
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_SINGLE_THREAD}".strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")
