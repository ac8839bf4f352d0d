"""Import sqlite-utils without letting it import numpy and pandas.

sqlite-utils imports numpy and pandas at load time, when installed, only to map their
scalar types to column types; this application never writes them. On the benchmark
machine that import costs ~0.2 s of a 1.5 s start-up budget. The two names are blocked
only while sqlite-utils loads, and only if nothing imported them already (then it
uses them as usual).
"""

from __future__ import annotations

import sys

_BLOCK = ("numpy", "pandas")
_blocked = [name for name in _BLOCK if name not in sys.modules]
for _name in _blocked:
    sys.modules[_name] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
try:
    from sqlite_utils import Database, Migrations
finally:
    for _name in _blocked:
        if sys.modules.get(_name) is None:
            del sys.modules[_name]

__all__ = ["Database", "Migrations"]
