"""`lo-codebook report` on the bundled sample study: the results chapter as a researcher hands it in.

The demo project (survey of 132 answers, 7 interviews, coded by accepting the engine's
suggestions) is built once per module; tests that change a project work on a copy.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core.demo import build_demo
from lo_codebook.core.project import Project
from lo_codebook.core.report import build_report
from lo_codebook.db.models import Code, Coder, Coding, Document, ValidationDocument

from .conftest import SAMPLE, run_cli

SIZE_CLASSES = ["<20.000", "20.000-50.000", "50.000-100.000", ">100.000", "G4"]
DATE_LINE = re.compile(r"^.*(Datum|Date): \d{4}-\d{2}-\d{2}.*$", re.M)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def gold_above_ten() -> set[str]:
    with (SAMPLE / "survey" / "gold.csv").open(encoding="utf-8") as handle:
        counts: dict[str, int] = {}
        for row in csv.DictReader(handle):
            counts[row["code"]] = counts.get(row["code"], 0) + 1
    return {code for code, n in counts.items() if n > 10}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report_demo")
    db = folder / "demo.db"
    result = build_demo(str(db), coder="demo", echo=lambda _line: None)
    result.project.close()
    return db


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project (the SQLite backup API: WAL content included)."""
    target = tmp_path / "studie.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


@pytest.fixture(scope="module")
def demo_html(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report_html") / "resultaten.html"
    result = run_cli("--db", demo_db, "report", "-o", out)
    assert result.code == 0, result.err
    return out


class _Page(HTMLParser):
    """What a reader sees: headings, tables (rows of cell texts), images."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.images: list[dict[str, str | None]] = []
        self.external: list[str] = []
        self._heading: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img":
            self.images.append(values)
        for key in ("src", "href"):
            value = values.get(key) or ""
            if value and not value.startswith("data:"):
                self.external.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _table_after(page: _Page, header_start: str, contains: str) -> list[list[str]]:
    for table in page.tables:
        if (
            table
            and table[0]
            and table[0][0] == header_start
            and any(contains in c for c in table[0])
        ):
            return table
    raise AssertionError(f"no table with {header_start!r} and {contains!r}")


# --------------------------------------------------------------------------- the three files


def test_report_writes_html_markdown_and_docx(demo_db: Path, tmp_path: Path) -> None:
    for name in ("resultaten.html", "resultaten.md", "resultaten.docx"):
        result = run_cli("--db", demo_db, "report", "-o", tmp_path / name)
        assert result.code == 0, result.err
        assert (tmp_path / name).stat().st_size > 1000
        assert "survey: 15 themes (above 10, N=132)" in result.out
    charts = sorted(p.name for p in tmp_path.glob("resultaten-*.png"))
    assert charts == [
        "resultaten-1-survey-by-size-class.png",
        "resultaten-1-survey-themes.png",
        "resultaten-2-transcript-by-size-class.png",
        "resultaten-2-transcript-themes.png",
    ]
    markdown = (tmp_path / "resultaten.md").read_text(encoding="utf-8")
    for chart in charts:
        assert f"]({chart})" in markdown
        assert (tmp_path / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| Digitalisering | 38 |" in markdown or "| Digitalisering |" in markdown

    from docx import Document as Docx

    document = Docx(str(tmp_path / "resultaten.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert gold_above_ten() <= cells
    assert "Methode" in text and "Bijlage: codeboek" in text
    assert len(document.inline_shapes) == 4  # the charts
    # no temporary file is left beside the reports
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_html_shows_the_15_themes_above_ten_by_size_class_with_both_charts(demo_html: Path) -> None:
    page = parse(demo_html)
    assert page.external == []  # one self-contained file
    survey = _table_after(page, "Thema", "Aandeel")
    themes = {row[0] for row in survey[1:] if len(row) == 4}
    categories = {row[0] for row in survey[1:] if len(row) == 1}
    assert themes == gold_above_ten() and len(themes) == 15
    assert categories == {"Context & opgaven", "Organisatie", "Vaardigheden van de medewerker"}
    assert "Enquête: thema's die meer dan 10 keer genoemd worden (N = 132)" in page.headings

    by = _table_after(page, "Thema", "(n=33)")
    assert [h.rsplit(" (n=", 1)[0] for h in by[0][2:]] == SIZE_CLASSES
    assert by[0][1] == "Documenten (n=132)"
    assert {row[0] for row in by[1:]} == themes
    for row in by[1:]:  # each group's count adds up to the theme's documents
        assert sum(int(c.split(" ")[0]) for c in row[2:]) == int(row[1])

    charts = [
        img for img in page.images if (img.get("src") or "").startswith("data:image/png;base64,")
    ]
    assert len(charts) >= 2
    alts = [img.get("alt") or "" for img in charts]
    assert any("per size_class" in a for a in alts) and any(
        "naar aantal antwoorden" in a for a in alts
    )
    assert all(int(img["width"] or 0) > 300 and int(img["height"] or 0) > 300 for img in charts)
    methods = demo_html.read_text(encoding="utf-8")
    assert "Eén codeur heeft gecodeerd" in methods and "lo-codebook 0.1.0" in methods


def test_quotes_are_real_spans_of_coded_texts(demo_db: Path, demo_html: Path) -> None:
    project = Project.open(demo_db, "demo")
    try:
        report = build_report(project)
        html = demo_html.read_text(encoding="utf-8")
        with project.read() as session:
            texts = {
                name: text for name, text in session.execute(select(Document.name, Document.text))
            }
            codings = {
                (doc, code, start, end)
                for doc, code, start, end in session.execute(
                    select(Document.name, Code.id, Coding.start, Coding.end)
                    .join(Document, Document.id == Coding.document_id)
                    .join(Code, Code.id == Coding.code_id)
                )
            }
    finally:
        project.close()
    survey = report.sections[0]
    assert survey.kind == "survey" and len(survey.table) == 15
    shown = 0
    for section in report.sections:
        for code_id, quotes in section.quotes.items():
            assert 1 <= len(quotes) <= 3 or not quotes
            assert len({q.document for q in quotes}) == len(quotes)  # one per document
            for quote in quotes:
                text = texts[quote.document]
                assert quote.text in text
                assert text[quote.start : quote.end] == quote.text
                # inside a coding of that theme
                assert any(
                    doc == quote.document
                    and code == code_id
                    and start <= quote.start
                    and quote.end <= end
                    for doc, code, start, end in codings
                )
                from html import escape

                assert escape(quote.text, quote=True) in html
                shown += 1
    assert shown >= 2 * 15  # two or three per theme of the survey at least
    assert all(len(survey.quotes[int(c)]) >= 2 for c in survey.table.rows["code_id"])


def test_same_project_same_report_apart_from_its_date(demo_db: Path, tmp_path: Path) -> None:
    for suffix in (".html", ".md", ".docx"):
        first, second, other_day = (
            tmp_path / run / f"resultaten{suffix}" for run in ("a", "b", "c")
        )
        for path, epoch in (
            (first, "1700000000"),
            (second, "1700000000"),
            (other_day, "1800000000"),
        ):
            path.parent.mkdir(exist_ok=True)
            result = run_cli(
                "--db", demo_db, "report", "-o", path, env={"SOURCE_DATE_EPOCH": epoch}
            )
            assert result.code == 0, result.err
        assert first.read_bytes() == second.read_bytes()
        for chart in first.parent.glob("*.png"):
            assert chart.read_bytes() == (other_day.parent / chart.name).read_bytes()
        if suffix == ".docx":
            continue
        a, c = first.read_text(encoding="utf-8"), other_day.read_text(encoding="utf-8")
        assert a != c
        assert len(DATE_LINE.findall(a)) == 1
        assert DATE_LINE.sub("", a) == DATE_LINE.sub("", c)


# --------------------------------------------------------------------------- coders, consensus, agreement


def _second_coder(db: Path, tmp_path: Path) -> None:
    """bram codes the first 40 survey answers: the demo coder's codes, but one theme left out."""
    project = Project.open(db, "demo")
    try:
        with project.read() as session:
            rows = session.execute(
                select(Document.name, Code.name, Coding.start, Coding.end)
                .join(Document, Document.id == Coding.document_id)
                .join(Code, Code.id == Coding.code_id)
                .join(Coder, Coder.id == Coding.coder_id)
                .where(Document.kind == "survey")
                .order_by(Document.name, Coding.start)
            ).all()
    finally:
        project.close()
    documents = sorted({r[0] for r in rows})[:40]
    path = tmp_path / "bram.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code", "start", "end"])
        for doc, code, start, end in rows:
            if doc in documents and code != "Hybride werken":
                writer.writerow([doc, code, start, end])
    result = run_cli("--db", db, "import-codings", path, "--coder", "bram")
    assert result.code == 0, result.err


def test_consensus_is_used_when_there_is_one_and_agreement_is_reported(
    demo_copy: Path, tmp_path: Path
) -> None:
    _second_coder(demo_copy, tmp_path)
    out = tmp_path / "r.html"
    before = run_cli("--db", demo_copy, "--coder", "demo", "report", "-o", out)
    assert before.code == 0, before.err
    text = out.read_text(encoding="utf-8")
    assert "Overeenstemming tussen bram en demo over de 40 documenten" in text
    assert re.search(r"Krippendorffs alfa \(nominaal\) = 0,\d{3} over de \d+ codes", text)
    assert re.search(r"\(\d,\d{3} over alle 19 codes\)", text)  # the all-codes variant beside it
    assert "gemiddelde Cohens kappa per code = " in text
    assert "Gerapporteerd zijn de coderingen van demo." in text

    consensus = run_cli("--db", demo_copy, "consensus", "--coders", "demo,bram", "--take", "demo")
    assert consensus.code == 0, consensus.err
    assert run_cli("--db", demo_copy, "--coder", "demo", "report", "-o", out).code == 0
    text = out.read_text(encoding="utf-8")
    assert "Gerapporteerd is de consensuscodering consensus (demo + bram)" in text
    assert "De consensuscodering is gebruikt omdat het project er een heeft" in text
    assert "Overeenstemming tussen demo en bram" in text
    # the consensus covers the 40 answers both coded: the survey table counts those
    survey = _table_after(parse(out), "Thema", "Aandeel")
    assert max(int(r[1]) for r in survey[1:] if len(r) == 4) <= 40

    chosen = run_cli("--db", demo_copy, "report", "-o", out, "--coder", "demo")
    assert chosen.code == 0, chosen.err
    text = out.read_text(encoding="utf-8")
    assert "Gerapporteerd zijn de coderingen van demo." in text
    assert "--coder demo" in text
    assert "Andere codeurs met coderingen: bram, consensus." in text


# --------------------------------------------------------------------------- language, privacy, validation


def test_english_project_gets_an_english_report(demo_copy: Path, tmp_path: Path) -> None:
    assert run_cli("--db", demo_copy, "settings", "set", "language", "en").code == 0
    out = tmp_path / "results.md"
    result = run_cli("--db", demo_copy, "report", "-o", out, "--above", "20", "--by", "functie")
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "## Survey: themes mentioned more than 20 times (N = 132)" in text
    assert "## Methods" in text and "## Appendix: codebook" in text
    assert "28.8%" in text and "28,8%" not in text
    assert "### Survey by functie" in text
    assert "(n=132)" in text
    assert "threshold more than 20" in text and "breakdown functie" in text
    assert "Datum" not in text


def test_pseudonymise_hides_listed_names_in_quotes_and_sources(
    demo_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    refused = run_cli("--db", demo_copy, "report", "-o", out, "--pseudonymise")
    assert refused.code == 1 and "name list is empty" in refused.err and not out.exists()

    assert run_cli("--db", demo_copy, "names", "add", "Lindewaard", "--as", "Gemeente A").code == 0
    assert run_cli("--db", demo_copy, "report", "-o", out).code == 0
    assert "Lindewaard" in out.read_text(encoding="utf-8")
    result = run_cli("--db", demo_copy, "report", "-o", out, "--pseudonymise")
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert "lindewaard" not in text.casefold()
    assert "Gemeente A" in text
    assert "Namen van personen op de namenlijst zijn vervangen door pseudoniemen." in text


def test_validation_results_appear_when_the_project_has_them(
    demo_copy: Path, tmp_path: Path
) -> None:
    from lo_codebook.core.validation import draw_validation, mark_done

    out = tmp_path / "r.html"
    assert run_cli("--db", demo_copy, "report", "-o", out).code == 0
    assert "Precisie" not in out.read_text(encoding="utf-8")  # no validation yet: left out
    project = Project.open(demo_copy, "anna")
    try:
        draw_validation(project, size=12, seed=3)
        with project.read() as session:
            sampled = list(session.scalars(select(ValidationDocument.document_id)))
        for document_id in sampled:
            mark_done(project, document_id)
    finally:
        project.close()
    assert run_cli("--db", demo_copy, "report", "-o", out).code == 0
    page = parse(out)
    table = _table_after(page, "Code", "Precisie")
    assert len(table) > 1 and all(len(row) == 6 for row in table[1:])
    assert "anna codeerde een steekproef van 12 documenten blind" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/r.pdf"], "unknown report format '.pdf'"),
        (["-o", "{tmp}/r.html", "--by", "nope"], "no case attribute 'nope'"),
        (["-o", "{tmp}/r.html", "--coder", "nobody"], "unknown coder 'nobody'"),
        (["-o", "{tmp}/missing/r.html"], "folder does not exist"),
    ],
)
def test_bad_options_give_one_line_and_no_file(
    demo_db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli("--db", demo_db, "report", *[a.format(tmp=tmp_path) for a in args])
    assert result.code == 1
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_hostile_text_is_escaped_in_every_format(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    codebook = tmp_path / "codebook.csv"
    codebook.write_text(
        'name,parent,description,keywords\nCat <b>,,"<script>alert(1)</script> | pipe",\nTheme & co,Cat <b>,"=cmd|x",x\n',
        encoding="utf-8",
    )
    answers = tmp_path / "answers.csv"
    with answers.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "group"])
        for i in range(3):
            writer.writerow(
                [f"r{i}", f"Answer <img src=x onerror=alert({i})> **bold** | cell\x1b[2J end", "A"]
            )
    assert run_cli("--db", db, "codebook", "import", codebook).code == 0
    assert (
        run_cli(
            "--db",
            db,
            "import-survey",
            answers,
            "--id-col",
            "id",
            "--text-col",
            "text",
            "--attr-col",
            "group",
        ).code
        == 0
    )
    codings = tmp_path / "codings.csv"
    codings.write_text(
        "document,code\nr0,Theme & co\nr1,Theme & co\nr2,Theme & co\n", encoding="utf-8"
    )
    assert run_cli("--db", db, "import-codings", codings, "--coder", "x").code == 0
    for suffix in (".html", ".md", ".docx"):
        result = run_cli("--db", db, "report", "-o", tmp_path / f"r{suffix}", "--above", "1")
        assert result.code == 0, result.err
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img src=x" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(0)&gt;" in html and "\x1b" not in html
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)<(img|script|b>|/script)", markdown) is None  # all escaped
    assert "\\<img src=x" in markdown and "\\*\\*bold\\*\\*" in markdown
    assert "\\| cell" in markdown
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(str(tmp_path / "r.docx")).paragraphs)
    assert "<img src=x onerror=alert(0)> **bold** | cell[2J end" in text


# --------------------------------------------------------------------------- in a real browser


def _chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--mute-audio",
            *args,
        ],
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def browser_page(demo_html: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the report with a probe that writes what the browser laid out into the DOM."""
    if CHROMIUM is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); the browser test needs it"
        )
    probe = (
        "<script>window.addEventListener('load',()=>{for(const i of document.images){"
        "i.setAttribute('data-shown',i.naturalWidth+'x'+i.naturalHeight+':'+i.width+'x'+i.height)}"
        "const t=document.querySelectorAll('table');document.body.setAttribute('data-tables',t.length)})</script>"
    )
    page = tmp_path / "page.html"
    page.write_text(
        demo_html.read_text(encoding="utf-8").replace("</body>", probe + "</body>"),
        encoding="utf-8",
    )
    yield page


def test_chromium_renders_the_themes_table_and_both_charts(
    browser_page: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "profile"
    dom = _chromium(
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        browser_page.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr.decode("utf-8", "replace")[-500:]
    html = dom.stdout.decode("utf-8")
    page = _Page()
    page.feed(html)
    shown = [str(img.get("data-shown")) for img in page.images]
    assert len(shown) >= 2
    for size in shown:  # every chart decoded and laid out with a nonzero size
        natural, laid_out = size.split(":")
        assert all(int(n) > 100 for n in natural.split("x")), size
        assert all(int(n) > 100 for n in laid_out.split("x")), size
    survey = _table_after(page, "Thema", "Aandeel")
    assert {row[0] for row in survey[1:] if len(row) == 4} == gold_above_ten()
    assert _table_after(page, "Thema", "G4 (n=4)")

    shot = tmp_path / "shot.png"
    result = _chromium(
        f"--user-data-dir={profile}",
        "--window-size=1200,2400",
        f"--screenshot={shot}",
        browser_page.as_uri(),
    )
    assert result.returncode == 0 and shot.exists(), result.stderr.decode("utf-8", "replace")[-500:]
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(shot.read_bytes()), format="png")
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1100
    rgb = pixels[..., :3]
    assert rgb.std() > 0.05  # not a blank page
    # the first chart's coloured bars (category blue, orange, green) are on screen
    colours = {tuple((c * 255).round().astype(int)) for c in rgb.reshape(-1, 3)[::7]}
    assert (31, 119, 180) in colours and (255, 127, 14) in colours


def test_validation_table_marks_uncertain_themes_like_themes(
    demo_copy: Path, tmp_path: Path
) -> None:
    """A theme whose estimated interval straddles the threshold is marked "> 10: onzeker" in
    the report's validation table, exactly as `themes --above 10` marks it."""
    from lo_codebook.core.validation import draw_validation, mark_done

    project = Project.open(demo_copy, "demo")  # the demo's coder: their codings are the hand coding
    try:
        draw_validation(project, size=40, seed=3)
        with project.read() as session:
            sampled = list(session.scalars(select(ValidationDocument.document_id)))
        for document_id in sampled:
            mark_done(project, document_id)
    finally:
        project.close()
    env = {"LO_CODEBOOK_CODER": "demo"}
    estimates = json.loads(
        run_cli("--db", demo_copy, "validate", "--report", "--format", "json", env=env).out
    )
    straddling = {r["code"] for r in estimates if r["low"] <= 10 < r["high"]}
    assert straddling, estimates  # the case this test is about exists
    out = tmp_path / "r.md"
    result = run_cli("--db", demo_copy, "report", "-o", out, "--above", "10", env=env)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    start = text.index("| Code | Precisie")
    table = [line for line in text[start:].split("\n\n", 1)[0].splitlines()[2:]]
    marked = {line.split("|")[1].strip() for line in table if "> 10: onzeker" in line}
    assert len(table) == len(estimates) and marked == straddling
    assert "10: onzeker': het interval loopt van 10 of minder tot meer dan 10" in text
    themes = json.loads(
        run_cli("--db", demo_copy, "themes", "--above", "10", "--format", "json", env=env).out
    )
    assert {r["code"] for r in themes if r["uncertain"]} <= marked
