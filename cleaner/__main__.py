"""`python -m cleaner` runs the command line."""

import sys

from cleaner.cli import main

if __name__ == "__main__":
    sys.exit(main())
