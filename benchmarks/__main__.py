import sys

from mini_ad.benchmarks.__main__ import cli

sys.exit(cli())
