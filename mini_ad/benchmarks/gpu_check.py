"""GPU check for mini_ad's XLA backend (issue 20): ``python -m mini_ad.benchmarks.gpu_check``
(or ``python benchmarks/gpu_check.py`` from the repository root).

On a machine whose JAX sees a GPU, it

1. runs the XLA backend's tests (``tests/test_xla_backend.py``, ``tests/test_sharding.py``
   and the ``backend="xla"`` rows of ``tests/test_jit.py`` and
   ``tests/test_composition_stress.py``) with pytest, on JAX's default device (the GPU);
2. times the large-array workload W8 (W5 at 10^7, W2 at batch 4096, a 10-layer MLP
   training step) with the benchmark harness, wall clock, quick repeats;
3. prints a compact table: steady-state and compile time per backend, mini_ad→XLA over
   ``jax.jit`` (also against ``jax.jit`` whose results are copied to NumPy, as mini_ad's
   are), and the targets (1.10x steady state, 1.5x compile).

Without a GPU (no NVIDIA device, or a CPU-only jaxlib) it says which devices JAX sees and
exits with status 0 without running anything; ``--allow-cpu`` runs the same steps on the
CPU. It exits 1 if the tests fail or a benchmark errors. The tests need a source checkout
(``tests/`` beside ``mini_ad/``); an installed mini_ad only runs the benchmarks. Budget: about 5 minutes on a GPU
machine (``--skip-tests`` or ``--skip-bench`` halves it).

>>> parse_args(["--allow-cpu"]).allow_cpu
True
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: mini_ad/benchmarks/gpu_check.py
TESTS = [
    "tests/test_xla_backend.py",
    "tests/test_sharding.py",
    "tests/test_jit.py::test_jit_composes_with_autodiff_in_both_orders",
    "tests/test_jit.py::test_vmap_of_jit_and_jit_of_vmap",
    "tests/test_composition_stress.py::test_sequences_with_jit_match_jax_on_the_xla_backend",
]
COLUMNS = ("mini_ad", "mini_ad_jit", "mini_ad_xla", "jax_jit", "numpy")

# Importing mini_ad.benchmarks pins JAX to the CPU (JAX_PLATFORMS=cpu) for the default
# benchmarks; this check is for the GPU, so it lets JAX choose, unless JAX already started.
if os.environ.get("JAX_PLATFORMS") == "cpu" and "jax" not in sys.modules:
    del os.environ["JAX_PLATFORMS"]


def parse_args(argv=None) -> argparse.Namespace:
    """The command line: ``--allow-cpu``, ``--skip-tests``, ``--skip-bench``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--allow-cpu", action="store_true", help="run even without a GPU")
    parser.add_argument("--skip-tests", action="store_true", help="only the benchmarks")
    parser.add_argument("--skip-bench", action="store_true", help="only the tests")
    return parser.parse_args(argv)


def describe_jax() -> tuple[bool, str]:
    """``(has_gpu, a line naming JAX's version, backend and devices)``."""
    try:
        import jax
    except ImportError as err:
        return False, f"JAX is not installed ({err}): pip install 'mini_ad[jax]' 'jax[cuda12]'"
    try:
        devices = jax.devices()
        backend = jax.default_backend()
    except RuntimeError as err:  # a broken CUDA install
        return False, f"jax {jax.__version__}: no usable backend ({err})"
    from jax import version as jax_version

    has_gpu = any(d.platform in ("gpu", "cuda", "rocm") for d in devices)
    names = ", ".join(f"{d.platform}:{getattr(d, 'device_kind', '?')}" for d in devices)
    jaxlib = getattr(jax_version, "_version", "?")
    line = f"jax {jax.__version__} (jaxlib {jaxlib}); default backend {backend}; devices: {names}"
    return has_gpu, line


def run_tests() -> bool:
    """pytest on the XLA backend's tests, on JAX's default device; True if they pass."""
    if not (ROOT / "tests" / "test_xla_backend.py").exists():
        print(f"tests: no source checkout at {ROOT} (tests/ missing): skipped")
        return True
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", *TESTS]
    print("$", " ".join(cmd[2:]), flush=True)
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, timeout=300, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        print("tests: TIMEOUT after 300 s")
        return False
    print("\n".join(done.stdout.strip().splitlines()[-8:]))
    return done.returncode == 0


def run_benchmarks() -> bool:
    """W8 with the harness (wall clock, quick repeats); prints the table. True if no errors."""
    from mini_ad.benchmarks.backends import LABELS, load_env
    from mini_ad.benchmarks.harness import Config
    from mini_ad.benchmarks.results import fmt_ratio, fmt_time, ratio
    from mini_ad.benchmarks.workloads import w8_large

    cfg = Config.preset("quick")
    cfg.clock = "wall"  # process CPU time does not see the GPU working
    env = load_env()
    res = w8_large.run(env, cfg)
    host = _jax_jit_to_numpy(env, cfg)
    head = ["case"] + [LABELS[b] for b in COLUMNS] + ["jax.jit, NumPy out"]
    head += ["xla / jax.jit", "xla / jax.jit, NumPy out", "compile ratio", "target"]
    print("| " + " | ".join(head) + " |\n" + "|---" * len(head) + "|")
    errors = []
    for row, target in zip(res.rows, res.targets, strict=True):
        cells = [f"{row.case} ({row.note})"]
        for b in COLUMNS:
            status = row.status.get(b, "—")
            if status == "ok":
                first = fmt_time(row.first_s.get(b)) if b.endswith(("jit", "xla")) else ""
                cells.append(fmt_time(row.median(b)) + (f" (1st {first})" if first else ""))
            else:
                cells.append(status.split(":")[0])
                if status.startswith("error"):
                    errors.append(f"{row.case}, {LABELS[b]}: {status}")
        cells.append(fmt_time(host.get(row.case)))
        cells.append(fmt_ratio(ratio(row.median("mini_ad_xla"), row.median("jax_jit"))))
        cells.append(fmt_ratio(ratio(row.median("mini_ad_xla"), host.get(row.case))))
        first = row.first_s
        cells.append(fmt_ratio(ratio(first.get("mini_ad_xla"), first.get("jax_jit"))))
        cells.append({True: "met", False: "NOT MET", None: "n/a"}[target.met])
        print("| " + " | ".join(cells) + " |")
    for line in errors:
        print("ERROR", line)
    return not errors


def _jax_jit_to_numpy(env, cfg, calls: int = 5) -> dict:
    """Median wall time of ``jax.jit`` with its results copied to NumPy, per W8 case: what
    mini_ad's XLA backend does on every call (on a GPU, the device-to-host copy)."""
    import numpy as np

    from mini_ad.benchmarks.workloads import w8_large

    if env.jax is None:
        return {}
    times = {}
    for case in w8_large.cases(env, cfg):
        call = case.impls["jax_jit"].prepare()
        run = lambda: [np.asarray(leaf) for leaf in env.jax.tree_util.tree_leaves(call())]  # noqa: B023
        run()  # compile
        samples = []
        for _ in range(calls):
            start = time.perf_counter()
            run()
            samples.append(time.perf_counter() - start)
        times[case.name] = float(np.median(samples))
    return times


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    has_gpu, line = describe_jax()
    print(f"[gpu_check] {line}", flush=True)
    if not has_gpu and not args.allow_cpu:
        print("[gpu_check] no GPU visible to JAX: skipping (a CPU-only jaxlib? install "
              "jax[cuda12]); --allow-cpu runs the checks on the CPU")  # fmt: skip
        return 0
    ok = True
    if not args.skip_tests:
        ok = run_tests() and ok
        print(f"[gpu_check] tests {'passed' if ok else 'FAILED'}", flush=True)
    if not args.skip_bench:
        ok = run_benchmarks() and ok
    print(f"[gpu_check] done in {time.perf_counter() - started:.0f} s; {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
