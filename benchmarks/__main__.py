"""``python -m benchmarks [--quick] [--only W1,W2] [--json PATH] [--markdown PATH]``."""

import argparse
import json
import sys

import benchmarks  # noqa: F401 - pins BLAS/XLA threads before numpy or jax is imported


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time mini_ad against HIPS autograd, JAX and hand-written NumPy (issue 7).",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="fewer, shorter repeats (< 5 min)")
    mode.add_argument("--smoke", action="store_true", help="tiny sizes, one repeat (for tests)")
    parser.add_argument("--only", help="comma-separated workloads, e.g. W1,W3")
    parser.add_argument(
        "--large", action="store_true",
        help="add W8: large arrays, mini_ad jit(backend=\"xla\") against jax.jit (minutes)",
    )  # fmt: skip
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--markdown", metavar="PATH", help="also write the markdown report")
    parser.add_argument("--skip", default="", help="comma-separated backends to leave out")
    parser.add_argument("--repeats", type=int, help="override the number of timed blocks")
    parser.add_argument("--wall", action="store_true", help="wall time instead of CPU time")
    args = parser.parse_args(argv)

    from benchmarks.backends import BACKENDS
    from benchmarks.harness import Config
    from benchmarks.runner import run_benchmarks, select

    cfg = Config.preset("quick" if args.quick else "smoke" if args.smoke else "full")
    if args.repeats:
        cfg.repeats = args.repeats
    if args.wall:
        cfg.clock = "wall"
    skip = [b.strip() for b in args.skip.split(",") if b.strip()]
    try:
        select(args.only)
    except ValueError as e:
        parser.error(str(e))
    unknown = [b for b in skip if b not in BACKENDS]
    if unknown:
        parser.error(f"unknown backend(s) {unknown}; choose from {list(BACKENDS)}")
    report, markdown = run_benchmarks(cfg, args.only, skip, large=args.large)
    print(markdown)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1, default=str)
    return 1 if report["workload_errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
