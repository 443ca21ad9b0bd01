"""`python -m bench` (full) and `python -m bench --quick`; `--help` lists the options."""

import sys

from .runner import main

sys.exit(main())
