"""Run several ``kzpk`` commands on one database, each in a process of its own, cheaply.

    python -m tests.reliability.cli_batch JSON   ->  JSON list of {rc, stdout, stderr}

The CLI is imported once; each command then runs in a forked child (a fresh process with
its own descriptors and locks, as ``kzpk`` itself would be) whose stdout and stderr go to
files, and whose exit status is what ``sys.exit(main())`` would give. An exception that
escapes ``main`` prints its traceback there, exactly as the ``kzpk`` script would.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import traceback

import kzpk_desktop.cli as cli


def run_one(argv: list[str], folder: str) -> dict[str, object]:
    out_path, err_path = os.path.join(folder, "out"), os.path.join(folder, "err")
    pid = os.fork()
    if pid == 0:
        rc = 120
        try:
            out = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(out, 1)
            os.dup2(err, 2)
            rc = int(cli.main(argv) or 0)
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            rc = 1
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(rc)
    _, status = os.waitpid(pid, 0)
    with open(out_path, encoding="utf-8", errors="replace") as fh:
        stdout = fh.read()
    with open(err_path, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    return {"rc": os.waitstatus_to_exitcode(status), "stdout": stdout, "stderr": stderr}


def main() -> None:
    job = json.loads(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        results = [run_one(argv, folder) for argv in job["commands"]]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
