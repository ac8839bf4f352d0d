"""Peers in the same run: Taguette, started locally, driven through its HTTP API.

    python -m benchmarks.peers --taguette .taguette-venv/bin/taguette     # alone: prints the table

Taguette (``pip install taguette`` in a separate venv; it pins its own SQLAlchemy) runs in
single-user mode on a free local port with a fresh SQLite database. The same documents (the
benchmark's generated articles) and the same spans go into a fresh kzpk database through the
core and into a Taguette project through its API; then each side exports its highlights as
CSV. What is timed:

- *highlight*: one span created. Ours: ``create_annotation`` (validate, one transaction with
  its history row). Taguette: one ``POST /api/project/P/document/D/highlight/new`` from this
  process over localhost (its request handling, SQLAlchemy, commit): the HTTP round trip is part
  of what its users wait for, none of ours is.
- *CSV export*: all highlights. Ours: ``write_csv`` to a file; Taguette: ``GET
  /project/P/export/highlights/.csv`` read to the end.

Taguette converts .txt uploads with Calibre's ``ebook-convert``, which is not installed here, so
the documents are uploaded as HTML (each paragraph a ``<p>``), which it reads without Calibre.
Its offsets count the text of the paragraphs, joined without separators; ours count the stored
text; the spans are the same words on both sides (the exported span texts are compared).
"""

from __future__ import annotations

import argparse
import csv
import html
import http.cookiejar
import io
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TAGUETTE = ROOT / ".taguette-venv" / "bin" / "taguette"


@dataclass(frozen=True)
class Doc:
    name: str
    paragraphs: tuple[str, ...]
    spans: tuple[tuple[int, int, int], ...]  # (paragraph, start, end) within the paragraph

    @property
    def plain(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"

    def plain_offsets(self, para: int, start: int, end: int) -> tuple[int, int]:
        base = sum(len(p) + 2 for p in self.paragraphs[:para])
        return base + start, base + end

    def taguette_offsets(self, para: int, start: int, end: int) -> tuple[int, int]:
        base = sum(len(p) for p in self.paragraphs[:para])
        return base + start, base + end

    def span_text(self, para: int, start: int, end: int) -> str:
        return self.paragraphs[para][start:end]


def make_docs(n_docs: int, spans_per_doc: int, seed: int = 5) -> list[Doc]:
    """The benchmark's generated articles (ASCII paragraphs), with word-aligned spans of 1-6 words."""
    from benchmarks.make_corpus import sentence

    rnd = random.Random(seed)
    docs = []
    for i in range(n_docs):
        paras = tuple(" ".join(sentence(rnd) for _ in range(rnd.randint(2, 5))) for _ in range(rnd.randint(4, 8)))
        spans = []
        for _ in range(spans_per_doc):
            p = rnd.randrange(len(paras))
            starts = [m.start() for m in re.finditer(r"\S+", paras[p])]
            a = rnd.randrange(len(starts) - 6)
            words = list(re.finditer(r"\S+", paras[p][starts[a] :]))[: rnd.randint(1, 6)]
            spans.append((p, starts[a], starts[a] + words[-1].end()))
        docs.append(Doc(f"doc{i:04d}", paras, tuple(spans)))
    return docs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Taguette:
    """A local single-user Taguette and a logged-in client of its API."""

    def __init__(self, exe: Path, workdir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "taguette.log"
        self._log_fh = open(self.log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [str(exe), "--no-browser", "--port", str(self.port), "--database", str(workdir / "taguette.sqlite3")],
            stdout=self._log_fh,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env={**os.environ, "HOME": str(workdir)},
        )
        token = self._wait_for_token()
        jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.http.open(f"{self.base}/?token={token}").read()
        page = self.http.open(f"{self.base}/project/new").read().decode()
        found = re.search(r'name="_xsrf" value="([^"]+)"', page)
        if not found:
            raise RuntimeError("Taguette's new-project page has no _xsrf field")
        self.xsrf = found.group(1)
        self.version = re.search(r"Taguette (\S+) is now running", self.log.read_text())
        self.version_text = self.version.group(1) if self.version else "?"

    def _wait_for_token(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Taguette exited at start: {self.log.read_text()[-800:]}")
            m = re.search(r"\?token=([0-9a-f]+)", self.log.read_text())
            if m:
                return m.group(1)
            time.sleep(0.1)
        raise RuntimeError("Taguette did not print its login link within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log_fh.close()

    def _send(self, path: str, body: bytes, content_type: str) -> Any:
        req = urllib.request.Request(
            f"{self.base}{path}", data=body, headers={"X-XSRFToken": self.xsrf, "Content-Type": content_type}
        )
        return json.loads(self.http.open(req).read())

    def api(self, path: str, obj: object) -> Any:
        return self._send(path, json.dumps(obj).encode(), "application/json")

    def new_project(self, name: str) -> int:
        data = urllib.parse.urlencode({"_xsrf": self.xsrf, "name": name, "description": ""}).encode()
        r = self.http.open(f"{self.base}/project/new", data)
        m = re.search(r"/project/(\d+)", r.url)
        if not m:
            raise RuntimeError(f"Taguette did not create the project (landed on {r.url})")
        return int(m.group(1))

    def add_document(self, project: int, name: str, page: str) -> int:
        b = uuid.uuid4().hex
        head = (
            f'--{b}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="description"\r\n\r\n\r\n'
            f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="{name}.html"\r\n'
            "Content-Type: text/html\r\n\r\n"
        )
        body = head.encode() + page.encode("utf-8") + f"\r\n--{b}--\r\n".encode()
        made = self._send(f"/api/project/{project}/document/new", body, f"multipart/form-data; boundary={b}")
        return int(made["created"])

    def export_csv(self, project: int) -> bytes:
        return bytes(self.http.open(f"{self.base}/project/{project}/export/highlights/.csv").read())


@dataclass(frozen=True)
class PeerRun:
    ours_highlight: tuple[float, ...]
    peer_highlight: tuple[float, ...]
    ours_export: tuple[float, ...]
    peer_export: tuple[float, ...]
    rows: int
    same_spans: bool
    version: str


def run_taguette(exe: Path, n_docs: int, spans_per_doc: int, exports: int, workdir: Path) -> PeerRun:
    from kzpk_desktop.core.annotations import create_annotation
    from kzpk_desktop.core.exporters.csv_export import write_csv
    from kzpk_desktop.core.importer import import_paths
    from kzpk_desktop.core.store import Store

    docs = make_docs(n_docs, spans_per_doc)
    files = workdir / "docs"
    files.mkdir()
    for d in docs:
        (files / f"{d.name}.txt").write_text(d.plain, encoding="utf-8")
    store = Store.open(workdir / "ours.db")
    report = import_paths(store, [files])
    ids = {Path(name).stem: aid for name, aid in report.imported}
    ours_hl: list[float] = []
    for d in docs:
        for para, s, e in d.spans:
            start, end = d.plain_offsets(para, s, e)
            t = time.perf_counter()
            create_annotation(store, ids[d.name], start, end, "claim", annotator="bench")
            ours_hl.append(time.perf_counter() - t)
    ours_ex: list[float] = []
    for i in range(exports):
        t = time.perf_counter()
        rows = write_csv(store, workdir / f"ours{i}.csv", columns=("annotation_id", "article_file", "label", "text"))
        ours_ex.append(time.perf_counter() - t)
    ours_texts = sorted(r["text"] for r in csv.DictReader(io.StringIO((workdir / "ours0.csv").read_text("utf-8"))))
    store.close()

    peer = Taguette(exe, workdir)
    try:
        project = peer.new_project("bench")
        tag = int(peer.api(f"/api/project/{project}/tag/new", {"path": "claim", "description": ""})["id"])
        peer_hl: list[float] = []
        for d in docs:
            page = "<html><body>" + "".join(f"<p>{html.escape(p)}</p>" for p in d.paragraphs) + "</body></html>"
            doc_id = peer.add_document(project, d.name, page)
            for para, s, e in d.spans:
                start, end = d.taguette_offsets(para, s, e)
                t = time.perf_counter()
                peer.api(
                    f"/api/project/{project}/document/{doc_id}/highlight/new",
                    {"start_offset": start, "end_offset": end, "tags": [tag]},
                )
                peer_hl.append(time.perf_counter() - t)
        peer_ex: list[float] = []
        data = b""
        for _ in range(exports):
            t = time.perf_counter()
            data = peer.export_csv(project)
            peer_ex.append(time.perf_counter() - t)
        version = peer.version_text
    finally:
        peer.stop()
    peer_rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    peer_texts = sorted(r["content"] for r in peer_rows)
    return PeerRun(
        tuple(ours_hl),
        tuple(peer_hl),
        tuple(ours_ex),
        tuple(peer_ex),
        rows,
        peer_texts == ours_texts and len(peer_rows) == rows,
        version,
    )


def taguette_figures(exe: Path, n_docs: int, spans_per_doc: int, runs: int, tmp: Path) -> tuple[list[Figure], str]:
    """The peer figures (informational: no target), or none and the reason Taguette did not run."""
    if not exe.exists():
        return [], f"Taguette is not installed at {exe} (pip install taguette into a separate venv there)"
    results: list[PeerRun] = []
    try:
        for i in range(runs):
            workdir = tmp / f"taguette{i}"
            workdir.mkdir(parents=True)
            results.append(run_taguette(exe, n_docs, spans_per_doc, 3, workdir))
            shutil.rmtree(workdir, ignore_errors=True)
    except (OSError, RuntimeError, ValueError, KeyError) as err:
        return [], f"Taguette did not run: {err}"
    r0 = results[0]
    peer_name = f"Taguette {r0.version} (peer)"
    same = all(r.same_spans for r in results)
    note = f"{r0.rows:,} highlights in {n_docs} documents" + ("" if same else "; span texts DIFFER from the peer's")
    return [
        Figure(
            "peer: create one highlight (ours: core call; Taguette: HTTP API over localhost)",
            "s",
            tuple(r.ours_highlight for r in results),
            "— (peer comparison)",
            True,
            tuple(r.peer_highlight for r in results),
            f"{peer_name}: POST highlight/new",
            note=note,
            stat="median",
            informational=True,
        ),
        Figure(
            f"peer: CSV export of the same {r0.rows:,} highlights",
            "s",
            tuple(r.ours_export for r in results),
            "— (peer comparison)",
            True,
            tuple(r.peer_export for r in results),
            f"{peer_name}: GET export/highlights/.csv",
            informational=True,
        ),
    ], ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--taguette", type=Path, default=DEFAULT_TAGUETTE, help="the taguette executable")
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--spans", type=int, default=50, help="highlights per document")
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kzpk-peers-"))
    try:
        figures, why = taguette_figures(args.taguette, args.docs, args.spans, args.runs, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not figures:
        print(why, file=sys.stderr)
        return 1
    print(table(figures, "peers"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
