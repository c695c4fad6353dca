from __future__ import annotations

import sys

from hgsite.cli import main

if __name__ == "__main__":  # worker processes import this module again; only the first one runs
    sys.exit(main())
