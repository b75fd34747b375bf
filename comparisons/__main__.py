import sys

from mini_ad.comparisons.cli import main

sys.exit(main())
