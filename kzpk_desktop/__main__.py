"""``python -m kzpk_desktop`` starts the desktop app (``python -m kzpk_desktop.cli`` is the CLI)."""

import sys

from .app import main

sys.exit(main())
