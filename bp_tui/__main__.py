"""`python -m bp_tui` is the same as the `bp-tui` command."""

import sys

from .cli import main

sys.exit(main())
