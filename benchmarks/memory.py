"""Peak resident memory of a child process, sampled from outside while it works, and the
"flat memory" check for a streaming export (which a leaking exporter fails).

The sampler reads ``/proc/PID/status`` every few milliseconds; the child also prints its own
high-water mark (``VmHWM``) when done, and the peak is the larger of the two, so a spike
between two samples is not missed.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_S = 0.005
# Streaming means the same peak for twice the rows. Allowed: a fixed allowance for allocator and
# page-cache noise plus a few bytes per extra row (a leak keeps ~1 KB per CSV row).
FLAT_NOISE_KB = 4 * 1024
FLAT_BYTES_PER_ROW = 64


def rss_kb(pid: int) -> int:
    """Current resident set (VmRSS) of ``pid`` in KB; 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass(frozen=True)
class ChildRun:
    ready_s: float  # process start to the line starting with the token
    fields: tuple[str, ...]  # the rest of that line, split on spaces
    line: str  # that line
    peak_kb: int  # sampled during the whole run (and the child's own VmHWM, if it printed one)


def run_sampled(
    cmd: Sequence[str],
    token: str,
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout: float = 1800,
) -> ChildRun:
    """Run ``cmd``; time it to its ``token`` line and sample its RSS until it exits.

    The line's last field, if numeric, is taken as the child's own VmHWM in KB.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb(proc.pid))
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    line, ready = "", 0.0
    try:
        for ln in proc.stdout:
            if ln.startswith(token):
                ready, line = time.perf_counter() - t0, ln
                break
        _out, err = proc.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if proc.returncode or not line:
        raise RuntimeError(f"{' '.join(cmd[:4])} … failed (exit {proc.returncode}): {err[-3000:]}")
    fields = tuple(line.split()[1:])
    own = int(fields[-1]) if fields and fields[-1].isdigit() else 0
    return ChildRun(ready, fields, line.rstrip("\n"), max(peak[0], own))


@dataclass(frozen=True)
class FlatCheck:
    """Two exports of the same kind, one over about half the rows: did the peak grow with rows?

    SQLite's own allocations (its page cache, capped by ``cache_size``) are left out: on a
    corpus smaller than the cap the cache grows with the rows read, whatever the exporter does.
    """

    full_rows: int
    half_rows: int
    full_peak_kb: int
    half_peak_kb: int
    full_sqlite_kb: int = 0
    half_sqlite_kb: int = 0

    @property
    def growth_kb(self) -> int:
        return (self.full_peak_kb - self.full_sqlite_kb) - (self.half_peak_kb - self.half_sqlite_kb)

    @property
    def allowed_kb(self) -> int:
        return FLAT_NOISE_KB + FLAT_BYTES_PER_ROW * max(0, self.full_rows - self.half_rows) // 1024

    @property
    def flat(self) -> bool:
        return self.full_rows > self.half_rows and self.growth_kb <= self.allowed_kb

    def describe(self) -> str:
        return (
            f"peak {self.full_peak_kb / 1024:,.0f} MB at {self.full_rows:,} rows "
            f"(SQLite {self.full_sqlite_kb / 1024:,.0f} MB), {self.half_peak_kb / 1024:,.0f} MB at "
            f"{self.half_rows:,} (SQLite {self.half_sqlite_kb / 1024:,.0f} MB): outside SQLite "
            f"{self.growth_kb / 1024:+,.1f} MB (allowed {self.allowed_kb / 1024:,.1f} MB)"
        )


def export_memory_check(
    full_cmd: Sequence[str],
    half_cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
) -> FlatCheck:
    """Run both export commands (each prints ``DONE <rows> <SQLite peak KB> <VmHWM KB>``) and
    compare their peaks outside SQLite."""
    half = run_sampled(half_cmd, "DONE", env=env, cwd=cwd)
    full = run_sampled(full_cmd, "DONE", env=env, cwd=cwd)
    return FlatCheck(
        int(full.fields[0]), int(half.fields[0]), full.peak_kb, half.peak_kb, int(full.fields[1]), int(half.fields[1])
    )
