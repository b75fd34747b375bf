"""``python -m mini_ad.benchmarks [--quick] [--only W1,W2] [--json PATH] [--markdown PATH]``."""

import argparse
import json
import os
import sys

import mini_ad.benchmarks as benchmarks  # sets the one-thread environment variables

DESCRIPTION = (
    "Time mini_ad (eager and jit) against HIPS autograd, JAX (eager and jit) and hand-written "
    "NumPy gradients on seven workloads, after checking that every backend computes the same "
    "numbers, and print the results as a Markdown report."
)


def prog_name() -> str:
    """How the user started us: ``mini-ad-benchmarks`` or ``python -m mini_ad.benchmarks``."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    name = os.environ.get("MINI_AD_BENCHMARKS_RESTARTED", name)  # the name before ``cli``
    return name if name.startswith("mini-ad") else "python -m mini_ad.benchmarks"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=prog_name(), description=DESCRIPTION, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="Show this help message and exit.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick",
        action="store_true",
        help="Run fewer, shorter repeats (under 5 minutes on 2 cores).",
    )
    mode.add_argument(
        "--smoke", action="store_true", help="Run tiny sizes once, to check the plumbing only."
    )
    parser.add_argument("--only", help="Run only these workloads (comma-separated, e.g. W1,W3).")
    parser.add_argument(
        "--large",
        action="store_true",
        help='Also run W8: large arrays, mini_ad jit(backend="xla") against jax.jit (~1 min).',
    )
    parser.add_argument("--json", metavar="PATH", help="Also write the results as JSON to PATH.")
    parser.add_argument(
        "--markdown", metavar="PATH", help="Also write the Markdown report to PATH."
    )
    parser.add_argument(
        "--skip", default="", help="Leave out these backends (comma-separated, e.g. jax,autograd)."
    )
    parser.add_argument("--repeats", type=int, help="Override the number of timed blocks per case.")
    parser.add_argument(
        "--wall", action="store_true", help="Measure wall-clock time instead of process CPU time."
    )
    args = parser.parse_args(argv)

    from mini_ad.benchmarks.backends import BACKENDS
    from mini_ad.benchmarks.harness import Config
    from mini_ad.benchmarks.runner import run_benchmarks, select

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


def cli() -> int:
    """The command line: restart once with the one-thread environment if NumPy was loaded
    before it was set (``import mini_ad`` loads NumPy), then run ``main``."""
    if not benchmarks.THREADS_PINNED and not os.environ.get("MINI_AD_BENCHMARKS_RESTARTED"):
        os.environ["MINI_AD_BENCHMARKS_RESTARTED"] = os.path.basename(sys.argv[0]) or "1"
        sys.stdout.flush()
        os.execv(sys.executable, [sys.executable, "-m", "mini_ad.benchmarks", *sys.argv[1:]])
    return main()


if __name__ == "__main__":
    sys.exit(cli())
