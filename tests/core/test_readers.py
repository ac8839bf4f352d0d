"""Readers per format: fixtures written by the same libraries (fpdf2, python-docx, odfpy,
ebooklib) and saved pages written by hand; text, offsets, every metadata field, refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kzpk_desktop.core import annotations as ann
from kzpk_desktop.core.articles import Article, ImportRefused, read_article
from kzpk_desktop.core.importer import import_paths
from kzpk_desktop.core.store import Store
from kzpk_desktop.core.store.article_metadata import article_metadata

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Kazakhstan, Pakistan sign transit deal | Dawn</title>
<meta property="og:site_name" content="Dawn">
<meta property="og:title" content="Kazakhstan, Pakistan sign transit deal">
<meta property="article:published_time" content="2025-03-14T09:30:00+05:00">
<link rel="canonical" href="https://www.dawn.com/news/1900001/kazakhstan-pakistan-sign-transit-deal">
<meta name="author" content="Baqir Sajjad Syed">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Kazakhstan, Pakistan sign transit deal", "datePublished": "2025-03-14T09:30:00+05:00",
 "dateModified": "2025-03-16T10:00:00+05:00", "author": {"@type": "Person", "name": "Baqir Sajjad Syed"},
 "publisher": {"@type": "Organization", "name": "Dawn"}}</script>
<script>window.ads = {slot: "top"};</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/pakistan">Pakistan</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="ad-slot">Advertisement: Gold prices crash, buy now!</div>
<main><article>
<h1>Kazakhstan, Pakistan sign transit deal</h1>
<p class="byline">Baqir Sajjad Syed | Published March 14, 2025</p>
<p>ISLAMABAD: Pakistan and Kazakhstan on Friday signed an agreement on transit trade that will let Kazakh goods reach Karachi and Gwadar through Afghanistan.</p>
<p>The agreement was signed by the commerce ministers of the two countries at a ceremony in Islamabad attended by senior officials.</p>
<p>Officials said the deal would cut transport times by a third and open new markets for Pakistani textiles in Central Asia.</p>
</article></main>
<section id="comments"><h3>Comments (2)</h3>
<div class="comment"><p>Great news for Pakistan, finally some progress! — Ali</p></div>
<div class="comment"><p>What about the security situation in Afghanistan? — Sana</p></div></section>
<footer><p>© Dawn Media Group 2025. Contact: newsroom@dawn.com</p></footer>
</body></html>
"""
PAGE_TEXT = (
    "Kazakhstan, Pakistan sign transit deal\n"
    "ISLAMABAD: Pakistan and Kazakhstan on Friday signed an agreement on transit trade that will let Kazakh goods "
    "reach Karachi and Gwadar through Afghanistan.\n"
    "The agreement was signed by the commerce ministers of the two countries at a ceremony in Islamabad attended by "
    "senior officials.\n"
    "Officials said the deal would cut transport times by a third and open new markets for Pakistani textiles in "
    "Central Asia."
)


def _fields(a: Article) -> dict[str, object]:
    return {
        k: getattr(a, k)
        for k in (
            "title",
            "title_source",
            "date",
            "date_precision",
            "date_source",
            "source",
            "url",
            "language",
            "author",
            "format",
            "extractor",
        )
    }


def test_saved_page_main_text_without_navigation_ads_or_comments(tmp_path: Path) -> None:
    page = tmp_path / "dawn.html"
    page.write_text(PAGE, encoding="utf-8")
    a = read_article(page)
    assert a.text == PAGE_TEXT
    assert _fields(a) == {
        "title": "Kazakhstan, Pakistan sign transit deal",
        "title_source": "html-meta",
        "date": "2025-03-14",
        "date_precision": "day",
        "date_source": "html-meta",
        "source": "Dawn",
        "url": "https://www.dawn.com/news/1900001/kazakhstan-pakistan-sign-transit-deal",
        "language": "en",
        "author": "Baqir Sajjad Syed",
        "format": "html",
        "extractor": "trafilatura+htmldate",
    }
    import hashlib

    assert a.original_sha256 == hashlib.sha256(page.read_bytes()).hexdigest() != a.sha256
    assert a.extractor_version and a.extractor_version[0].isdigit()


def test_page_without_markup_dates_takes_the_printed_date_and_never_a_guess(tmp_path: Path) -> None:
    body = (
        "<p>ISLAMABAD: Officials from Pakistan and Kazakhstan met on Thursday to review the Quadrilateral "
        "Traffic in Transit Agreement and the planned railway through Afghanistan.</p>" * 3
    )
    page = tmp_path / "radio.htm"
    page.write_text(
        f"<html><head><title>Officials review transit agreement</title></head><body><article>"
        f"<h1>Officials review transit agreement</h1><p>09 Jan 2025</p>{body}</article></body></html>",
        encoding="utf-8",
    )
    a = read_article(page)
    assert (a.date, a.date_source, a.format, a.url, a.source) == ("2025-01-09", "text", "html", None, None)
    page.write_text(page.read_text(encoding="utf-8").replace("<p>09 Jan 2025</p>", ""), encoding="utf-8")
    a = read_article(page)
    assert (a.date, a.date_source, a.notes) == (None, None, ("no publication date found", "no source recognised"))


def test_cp1251_page_with_only_json_ld_gives_date_and_publisher(tmp_path: Path) -> None:
    body = (
        "<p>Президент Казахстана Касым-Жомарт Токаев провел переговоры с премьер-министром Пакистана "
        "Шахбазом Шарифом в Астане.</p>"
    )
    page = tmp_path / "ru.html"
    page.write_bytes(
        f"""<html lang="ru"><head><meta charset="windows-1251"><title>Токаев и Шариф</title>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "Токаев провел переговоры с Шарифом",
"datePublished": "2025-03-14T12:30:00+05:00", "publisher": {{"@type": "Organization", "name": "Kazinform"}}}}
</script></head><body><article><h1>Токаев провел переговоры с Шарифом</h1>{body}</article></body></html>
""".encode("cp1251")
    )
    a = read_article(page)
    assert a.text == "Токаев провел переговоры с Шарифом\n" + body[3:-4]
    assert (a.date, a.date_source, a.source, a.language) == ("2025-03-14", "html-meta", "Kazinform", "ru")


def test_page_with_no_main_text_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "menu.html"
    page.write_text(
        "<html><head><title>Dawn</title><script>var x = 1;</script></head><body><nav><a href='/'>Home"
        "</a></nav></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(ImportRefused, match=r"^the page has no main text \(only navigation, scripts or markup\)$"):
        read_article(page)


def _pdf(
    path: Path,
    lines: list[str],
    *,
    created: datetime | None = None,
    title: str | None = None,
    password: str | None = None,
) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    if created:
        pdf.set_creation_date(created)
    if title:
        pdf.set_title(title)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.output(str(path))
    return path


def test_pdf_printed_date_wins_over_creation_date(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "statement.pdf",
        [
            "Kazakhstan offers Pakistan uranium supplies",
            "14 March 2025",
            "",
            "ASTANA: Kazakhstan is ready to supply uranium to Pakistan.",
        ],
        created=datetime(2020, 1, 2, tzinfo=UTC),
        title="Microsoft Word - draft.docx",
    )
    a = read_article(path)
    assert a.text == (
        "Kazakhstan offers Pakistan uranium supplies\n14 March 2025\n"
        "ASTANA: Kazakhstan is ready to supply uranium to Pakistan."
    )
    assert _fields(a) == {
        "title": "Kazakhstan offers Pakistan uranium supplies",
        "title_source": "text",
        "date": "2025-03-14",
        "date_precision": "day",
        "date_source": "text",
        "source": None,
        "url": None,
        "language": "en",
        "author": None,
        "format": "pdf",
        "extractor": "pypdf",
    }


def test_pdf_without_a_printed_date_falls_back_to_creation_date_and_says_so(tmp_path: Path) -> None:
    path = _pdf(
        tmp_path / "note.pdf",
        ["Uranium talks continue between the two ministries this week."],
        created=datetime(2020, 1, 2, tzinfo=UTC),
        title="Uranium talks: briefing note",
    )
    a = read_article(path)
    assert (a.title, a.title_source, a.date, a.date_precision, a.date_source) == (
        "Uranium talks continue between the two ministries this week.",
        "text",
        "2020-01-02",
        "day",
        "pdf-info",
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda p: _pdf(p, ["secret"], password="pw"),
            "it is an encrypted PDF that needs a password; save an unprotected copy",
        ),
        (lambda p: _scan(p), "the PDF has 1 page(s) but no text layer (a scan?); run OCR on it first"),
        (lambda p: _no_pages(p), "the PDF has no pages"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj garbage") and p, "it is a damaged PDF"),
    ],
)
def test_bad_pdfs_are_refused_with_a_sentence(tmp_path: Path, make: object, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    make(path)  # type: ignore[operator]
    with pytest.raises(ImportRefused) as err:
        read_article(path)
    assert str(err.value).startswith(reason)


def _scan(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 80, 120, style="F")  # an image-only page: no text layer
    pdf.output(str(path))
    return path


def _no_pages(path: Path) -> Path:
    from pypdf import PdfWriter

    PdfWriter().write(str(path))
    return path


def _docx(path: Path, *, dated: bool = True) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Pakistan and Kazakhstan agree on rail corridor", level=1)
    d.add_paragraph("By Sara Khan")
    if dated:
        d.add_paragraph("Published: 3 February 2025")
    d.add_paragraph("")
    d.add_paragraph("ISLAMABAD: The two countries agreed to build a rail corridor through Afghanistan.")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Trade 2024"
    table.cell(0, 1).text = "$300 million"
    d.core_properties.created = datetime(2019, 5, 6)
    d.core_properties.title = "Template"
    d.core_properties.author = "Administrator"
    d.save(str(path))
    return path


def test_docx_text_and_printed_date_win_over_core_properties(tmp_path: Path) -> None:
    a = read_article(_docx(tmp_path / "a.docx"))
    assert a.text == (
        "Pakistan and Kazakhstan agree on rail corridor\n\nBy Sara Khan\n\nPublished: 3 February 2025\n\n"
        "ISLAMABAD: The two countries agreed to build a rail corridor through Afghanistan.\n\n"
        "Trade 2024\t$300 million"
    )
    assert _fields(a) == {
        "title": "Pakistan and Kazakhstan agree on rail corridor",
        "title_source": "text",
        "date": "2025-02-03",
        "date_precision": "day",
        "date_source": "text",
        "source": None,
        "url": None,
        "language": "en",
        "author": "Sara Khan",
        "format": "docx",
        "extractor": "python-docx",
    }
    undated = read_article(_docx(tmp_path / "b.docx", dated=False))
    assert (undated.date, undated.date_source, undated.author) == ("2019-05-06", "docx-core", "Sara Khan")


def _odt(path: Path) -> Path:
    from odf import dc, meta
    from odf import text as odftext
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    doc.meta.addElement(dc.Title(text="Visa talks"))
    doc.meta.addElement(meta.CreationDate(text="2018-07-01T10:00:00"))
    doc.text.addElement(odftext.H(outlinelevel=1, text="Visa talks in Astana"))
    doc.text.addElement(odftext.P(text="Обновлено 5 февраля 2025 года, 10:15"))
    doc.text.addElement(odftext.P(text="Interior ministers met in Astana to discuss visas for traders."))
    doc.save(str(path))
    return path


def test_odt_headings_and_paragraphs_in_order(tmp_path: Path) -> None:
    a = read_article(_odt(tmp_path / "a.odt"))
    assert a.text == (
        "Visa talks in Astana\n\nОбновлено 5 февраля 2025 года, 10:15\n\n"
        "Interior ministers met in Astana to discuss visas for traders."
    )
    assert _fields(a) == {
        "title": "Visa talks in Astana",
        "title_source": "text",
        "date": "2025-02-05",
        "date_precision": "day",
        "date_source": "text",
        "source": None,
        "url": None,
        "language": "en",
        "author": None,
        "format": "odt",
        "extractor": "odfpy",
    }


def _epub(path: Path) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("kzpk-test-1")
    book.set_title("Silk Road Letters")
    book.set_language("en")
    book.add_author("Aigerim Seitova")
    book.add_metadata("DC", "date", "2024-11")
    book.add_metadata("DC", "publisher", "Steppe Press")
    one = epub.EpubHtml(title="One", file_name="c1.xhtml", lang="en")
    one.content = "<h1>Chapter One</h1><p>The caravan left <b>Almaty</b> at dawn.</p>"
    two = epub.EpubHtml(title="Two", file_name="c2.xhtml", lang="en")
    two.content = "<h1>Chapter Two</h1><p>It reached Lahore in spring.</p>"
    for item in (one, two, epub.EpubNcx(), epub.EpubNav()):
        book.add_item(item)
    book.toc = (one, two)
    book.spine = ["nav", one, two]
    epub.write_epub(str(path), book)
    return path


def test_epub_is_one_article_with_its_chapters_in_spine_order(tmp_path: Path) -> None:
    a = read_article(_epub(tmp_path / "book.epub"))
    assert a.text == "Chapter One\n\nThe caravan left Almaty at dawn.\n\nChapter Two\n\nIt reached Lahore in spring."
    assert _fields(a) == {
        "title": "Silk Road Letters",
        "title_source": "epub-dc",
        "date": "2024-11",
        "date_precision": "month",
        "date_source": "epub-dc",
        "source": "Steppe Press",
        "url": None,
        "language": "en",
        "author": "Aigerim Seitova",
        "format": "epub",
        "extractor": "ebooklib",
    }


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad.docx", "it is not a readable Word document"),
        ("bad.odt", "it is not a readable OpenDocument file"),
        ("bad.epub", "it is not a readable EPUB"),
    ],
)
def test_corrupt_zips_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04\x14\x00broken archive")
    with pytest.raises(ImportRefused) as err:
        read_article(path)
    assert str(err.value).startswith(reason)


def _mixed_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    (folder / "dawn.html").write_text(PAGE, encoding="utf-8")
    _pdf(
        folder / "statement.pdf",
        [
            "Kazakhstan offers Pakistan uranium supplies",
            "14 March 2025",
            "",
            "ASTANA: Kazakhstan is ready to supply uranium to Pakistan.",
        ],
    )
    _docx(folder / "corridor.docx")
    _odt(folder / "visas.odt")
    _epub(folder / "book.epub")
    (folder / "note.txt").write_text("Envoy meets Astana mayor\n12.05.2025\n\nBody text.\n", encoding="utf-8")
    _scan(folder / "scan.pdf")
    return folder


def test_import_a_mixed_folder_keeps_provenance_and_offsets(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    store = Store.open(tmp_path / "p.db")
    report = import_paths(store, [folder])
    assert sorted(Path(n).name for n, _ in report.imported) == [
        "book.epub",
        "corridor.docx",
        "dawn.html",
        "note.txt",
        "statement.pdf",
        "visas.odt",
    ]
    assert [(Path(n).name, r) for n, r in report.refused] == [
        ("scan.pdf", "the PDF has 1 page(s) but no text layer (a scan?); run OCR on it first")
    ]
    rows = {r.file_name: r for r in store.articles.iter_articles()}
    assert {n: (r.format, r.extractor, r.date_source) for n, r in rows.items()} == {
        "book.epub": ("epub", "ebooklib", "epub-dc"),
        "corridor.docx": ("docx", "python-docx", "text"),
        "dawn.html": ("html", "trafilatura+htmldate", "html-meta"),
        "note.txt": ("txt", "kzpk-text", "text"),
        "statement.pdf": ("pdf", "pypdf", "text"),
        "visas.odt": ("odt", "odfpy", "text"),
    }
    html_row = rows["dawn.html"]
    assert html_row.text == PAGE_TEXT and html_row.author == "Baqir Sajjad Syed"
    assert html_row.original_sha256 != html_row.sha256
    # Offsets are code points into the stored text.
    start = PAGE_TEXT.index("Gwadar")
    row = ann.create_annotation(store, html_row.id, start, start + 6, "actor", annotator="t")
    assert store.articles.text(html_row.id)[row.start : row.end] == "Gwadar"
    assert article_metadata(store, html_row.id).url == (
        "https://www.dawn.com/news/1900001/kazakhstan-pakistan-sign-transit-deal"
    )
    # The same files again are duplicates (the stored text's hash), renamed or not.
    shutil.copy(folder / "corridor.docx", folder / "corridor copy.docx")
    again = import_paths(store, [folder])
    assert (len(again.imported), len(again.duplicates)) == (0, 7)
    store.close()


def test_kzpk_import_accepts_every_format_in_one_folder(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    db = tmp_path / "cli.db"
    r = subprocess.run(
        [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "import", str(folder)],
        capture_output=True,
        text=True,
        timeout=180,
        encoding="utf-8",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("6 imported, 1 refused")
    assert "scan.pdf: the PDF has 1 page(s) but no text layer (a scan?); run OCR on it first" in r.stderr
    listing = json.loads(
        subprocess.run(
            [sys.executable, "-m", "kzpk_desktop.cli", "--db", str(db), "articles", "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            encoding="utf-8",
        ).stdout
    )
    assert sorted(a["format"] for a in listing) == ["docx", "epub", "html", "odt", "pdf", "txt"]
