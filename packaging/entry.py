"""Entry point of the PyInstaller bundle: ``kzpk-desktop`` starts the GUI, ``kzpk`` the CLI.

Both executables are this script; the name it was started under picks the program.
"""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if Path(sys.argv[0]).stem.startswith("kzpk-desktop"):
        from kzpk_desktop.app import main
    else:
        from kzpk_desktop.cli import main
    sys.exit(main())
