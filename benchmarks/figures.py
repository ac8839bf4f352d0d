"""A figure of the report: samples grouped by run, summarised the same way for ours and the baseline.

Every figure is the median and p99 of all its samples pooled over the runs, with the min and
max of the per-run medians beside it, so one lucky or unlucky run shows as a spread rather than
moving the headline.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

Runs = tuple[tuple[float, ...], ...]


def p99(xs: Sequence[float]) -> float:
    """Nearest-rank p99 (with few samples: the slowest but one per hundred, i.e. the max)."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, -(-99 * len(s) // 100) - 1))]


@dataclass(frozen=True)
class Summary:
    n: int
    runs: int
    median: float
    p99: float
    run_min: float  # the smallest per-run median
    run_max: float

    @classmethod
    def of(cls, runs: Runs) -> Summary:
        pooled = [x for run in runs for x in run]
        if not pooled:
            raise ValueError("a figure needs at least one sample")
        per_run = [statistics.median(run) for run in runs if run]
        return cls(len(pooled), len(per_run), statistics.median(pooled), p99(pooled), min(per_run), max(per_run))


@dataclass(frozen=True)
class Figure:
    """One line of the report. Times are in seconds, rates in files/s, memory in MB."""

    what: str
    unit: str  # "s", "files/s" or "MB"
    ours: Runs
    target: str
    met: bool
    base: Runs = ()
    base_name: str = ""
    note: str = ""
    stat: str = "median"  # which statistic the target is about: "median" or "p99"
    extra: dict[str, str] = field(default_factory=dict)
    informational: bool = False  # no target (a peer's figure, the HTML import rate): not counted

    @property
    def summary(self) -> Summary:
        return Summary.of(self.ours)

    @property
    def base_summary(self) -> Summary | None:
        return Summary.of(self.base) if self.base and any(self.base) else None

    def fmt(self, v: float) -> str:
        if self.unit == "files/s":
            return f"{v:,.0f}/s"
        if self.unit == "MB":
            return f"{v:,.0f} MB"
        if v < 0.001:
            return f"{v * 1000:.3f} ms"  # a commit without fsync: tenths of a millisecond would read 0.0
        return f"{v * 1000:,.1f} ms" if v < 10 else f"{v:,.1f} s"

    def fmt_summary(self, s: Summary) -> str:
        spread = f"runs {self.fmt(s.run_min)}–{self.fmt(s.run_max)}" if s.runs > 1 else "1 run"
        if s.n > s.runs:  # several samples per run: p99 means something
            return f"{self.fmt(s.median)} (p99 {self.fmt(s.p99)}; {spread}; n={s.n})"
        return f"{self.fmt(s.median)} ({spread})"

    def ratio(self) -> float | None:
        b = self.base_summary
        if b is None or not b.median:
            return None
        a = self.summary
        key = "p99" if self.stat == "p99" else "median"
        ours, base = getattr(a, key), getattr(b, key)
        return base / ours if self.unit == "files/s" else ours / base


def table(figures: Sequence[Figure], header: str) -> str:
    out = [header, "", "| operation | ours | baseline | ours / baseline | target | met |", "|---|---|---|---|---|---|"]
    for f in figures:
        b = f.base_summary
        base = f"{f.fmt_summary(b)}: {f.base_name}" if b is not None else (f.base_name or "—")
        r = f.ratio()
        ratio = "—" if r is None else f"{r:.2f}x" if r >= 0.1 else f"{r:.2g}x"
        note = f"; {f.note}" if f.note else ""
        out.append(
            f"| {f.what} | {f.fmt_summary(f.summary)}{note} | {base} | {ratio} | {f.target} | "
            f"{'—' if f.informational else 'yes' if f.met else '**no**'} |"
        )
    return "\n".join(out)
