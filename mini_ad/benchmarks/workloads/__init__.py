"""The workloads W1..W9: each module has ``run(env, cfg) -> WorkloadResult``. The
large-array W8 runs only when asked for (``--large`` or ``--only W8``)."""

from mini_ad.benchmarks.workloads import (
    w1_overhead,
    w2_mlp,
    w3_nested,
    w4_hessian,
    w5_bandwidth,
    w6_tracing,
    w7_matrix,
    w8_large,
    w9_numpy_as_numpy,
)

WORKLOADS = {
    "W1": w1_overhead.run,
    "W2": w2_mlp.run,
    "W3": w3_nested.run,
    "W4": w4_hessian.run,
    "W5": w5_bandwidth.run,
    "W6": w6_tracing.run,
    "W7": w7_matrix.run,
    "W9": w9_numpy_as_numpy.run,
}
LARGE_WORKLOADS = {"W8": w8_large.run}
