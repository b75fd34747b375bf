import sys

from mini_ad.comparisons.cli import main

if __name__ == "__main__":
    sys.exit(main())
