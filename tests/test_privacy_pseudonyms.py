"""Privacy: nothing leaves the machine, and pseudonymised exports hide every listed person."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from lo_codebook.core.coding import code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.privacy import (
    Pseudonymiser,
    add_name,
    apply_replacements,
    export_quotes,
    import_names,
    list_names,
    name_variants,
    next_pseudonym,
    remove_name,
)
from lo_codebook.core.project import Project
from lo_codebook.db.models import Code, Document
from lo_codebook.errors import UserError

from .conftest import run_cli

REPO = Path(__file__).resolve().parents[1]

# ----------------------------------------------------------------------------- no network

SOCKET_GUARD = '''
"""Installed by test_privacy_pseudonyms: every network attempt raises and is recorded."""
import os
import socket

_LOG = os.environ["LO_CODEBOOK_NET_LOG"]


def _record(what, args):
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{what} {args!r}\\n")


def _blocked(what):
    def guard(*args, **kwargs):
        _record(what, args[1:] if what.startswith("socket.") else args)
        raise OSError(f"network blocked by test: {what}")
    return guard


socket.socket.connect = _blocked("socket.connect")
socket.socket.connect_ex = _blocked("socket.connect_ex")
socket.socket.sendto = _blocked("socket.sendto")
socket.getaddrinfo = _blocked("getaddrinfo")
socket.gethostbyname = _blocked("gethostbyname")
socket.gethostbyname_ex = _blocked("gethostbyname_ex")
socket.create_connection = _blocked("create_connection")
'''


def _guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(SOCKET_GUARD, encoding="utf-8")
    log = tmp_path / "network_attempts.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LO_CODEBOOK_", "PYTHON"))
    }
    env.update(
        PYTHONPATH=str(guard_dir),
        LO_CODEBOOK_NET_LOG=str(log),
        LO_CODEBOOK_CODER="privacy",
        # Libraries that might phone home must not even try (they would be caught anyway).
        HF_HUB_OFFLINE="1",
        MPLBACKEND="Agg",
        HOME=str(tmp_path / "home"),
    )
    (tmp_path / "home").mkdir()
    return env, log


def test_the_guard_itself_catches_a_connection(tmp_path: Path) -> None:
    env, log = _guarded_env(tmp_path)
    code = "import socket\ntry:\n    socket.create_connection(('example.org', 80), 1)\nexcept OSError as e:\n    print('blocked', e)\n"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert "blocked" in result.stdout, result.stderr
    assert "create_connection" in log.read_text()


@pytest.mark.slow
def test_demo_runs_without_any_network_attempt(tmp_path: Path) -> None:
    env, log = _guarded_env(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lo_codebook",
            "--lang",
            "en",
            "--db",
            str(work / "demo.db"),
            "demo",
            "--no-tui",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network attempts:\n{attempts}"
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    # The demo really ran: documents imported, suggestions made, theme table printed.
    assert "survey:" in result.stdout and "suggest" in result.stdout
    assert (work / "demo.db").exists()


# ----------------------------------------------------------------------------- pure rules

PEOPLE = [
    ("Marieke de Vries", "Respondent A"),
    ("Jan Willem Bakker", "Respondent B"),
    ("Marieke Jansen", "Respondent C"),
    ("Roos", "Respondent D"),
]


def test_variants_of_a_dutch_name() -> None:
    texts = [v.text for v in name_variants("Marieke  de Vries")]
    assert texts[0] == "Marieke de Vries"
    assert {"M. de Vries", "de Vries", "Marieke"} <= set(texts)
    assert [v.text for v in name_variants("Roos")] == ["Roos"]
    assert {"Jan", "Jan Willem", "Bakker", "J. Bakker"} <= {
        v.text for v in name_variants("Jan Willem Bakker")
    }
    assert "van den Berg" in {v.text for v in name_variants("Anne-Marie van den Berg")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Marieke de Vries zei het.", "Respondent A zei het."),
        ("MARIEKE DE VRIES zei het.", "Respondent A zei het."),
        ("Volgens mevrouw De Vries klopt dat.", "Volgens mevrouw Respondent A klopt dat."),
        ("M. de Vries schreef.", "Respondent A schreef."),
        ("Marieke de Vries' team", "Respondent A' team"),
        ("Marieke de Vries's team", "Respondent A's team"),
        ("Jan Willem Bakkers fiets", "Respondent B's fiets"),
        ("Jan Willem’s idee", "Respondent B’s idee"),
        ("Bakker vond van wel", "Respondent B vond van wel"),
        # Shared first name: never guess, never leak.
        ("Marieke vond van wel", "[naam] vond van wel"),
        ("Mariekes idee", "[naam]'s idee"),
        # Words that merely look like a listed one-word name keep their lower case.
        ("de roos bloeit; Roos niet", "de roos bloeit; Respondent D niet"),
        ("de bakker bakt", "de bakker bakt"),
        ("Jansenius en Bakkerij", "Jansenius en Bakkerij"),
        ("Marieke\nde  Vries", "Respondent A"),
    ],
)
def test_mentions_are_replaced_consistently(text: str, expected: str) -> None:
    assert Pseudonymiser(PEOPLE).apply(text) == expected


def test_labels_and_file_names_ignore_case_and_underscores() -> None:
    p = Pseudonymiser(PEOPLE)
    assert p.label("interview_marieke_de_vries") == "interview_Respondent A"
    assert p.label("marieke de vries") == "Respondent A"
    assert p.label("Interviewer") == "Interviewer"
    assert p.label(None) is None


def test_explicit_entry_wins_over_a_shared_first_name() -> None:
    p = Pseudonymiser([*PEOPLE, ("Marieke", "Respondent E")])
    assert p.apply("Marieke lacht") == "Respondent E lacht"


def test_a_cut_name_is_replaced_whole() -> None:
    p = Pseudonymiser(PEOPLE)
    text = "Toen zei Marieke de Vries dat het goed ging."
    mentions = p.find(text)
    start = text.index("ieke")  # a coding that starts inside the name
    end = text.index("dat") + 3
    assert apply_replacements(text, mentions, start, end) == "Respondent A dat"
    assert apply_replacements(text, mentions, 0, text.index("Vri")) == "Toen zei Respondent A"


def test_next_pseudonym_skips_used_letters() -> None:
    assert next_pseudonym([]) == "Persoon A"
    assert next_pseudonym(["Persoon A", "persoon b"]) == "Persoon C"
    assert next_pseudonym([], "en") == "Person A"
    used = [f"Persoon {chr(65 + i)}" for i in range(26)]
    assert next_pseudonym(used) == "Persoon AA"


name_text = st.text(
    alphabet=st.sampled_from(list("AaBbEeIiJjKkMmNnOoRrSsVvéë -'")), min_size=2, max_size=20
)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(name_text, min_size=1, max_size=4),
    filler=st.lists(
        st.text(alphabet=st.sampled_from(list("abc xyz.,\n'’s")), max_size=10),
        min_size=1,
        max_size=6,
    ),
)
def test_no_listed_full_name_survives(names: list[str], filler: list[str]) -> None:
    """Whatever the names and the text around them, the full names never come out again."""
    entries = [(n, f"Pseudo{i}") for i, n in enumerate(names) if any(c.isalpha() for c in n)]
    if not entries:
        return
    p = Pseudonymiser(entries)
    pieces = []
    for i, fill in enumerate(filler):
        pieces.append(fill)
        pieces.append(" " + entries[i % len(entries)][0] + " ")
    text = "".join(pieces)
    out = p.apply(text)
    for name, _ in p.entries:
        # A name can only survive as part of another word (no word boundary), or, for a
        # one-word name, written without its capital ("Roos" the person, "roos" the flower).
        tokens = [re.escape(t) for t in name.split()]
        if len(tokens) == 1 and name[0].isupper():
            tokens[0] = f"(?-i:{re.escape(name[0])}){re.escape(name[1:])}"
        pattern = r"(?<![^\W_])" + r"[\s_]+".join(tokens) + r"(?![^\W_])"
        assert not re.search(pattern, out, re.IGNORECASE), (name, text, out)
    # Every span, however cut, keeps no character of a mention (naive reference: character by
    # character, a mention's pseudonym written once where the span first touches it).
    mentions = p.find(text)
    owner = {i: m for m in mentions for i in range(m.start, m.end)}
    for start in range(0, len(text), 5):
        for end in range(start + 1, len(text) + 1, 9):
            expected, last = [], None
            for i in range(start, end):
                m = owner.get(i)
                if m is None:
                    expected.append(text[i])
                elif m is not last:
                    expected.append(m.by)
                last = m
            assert apply_replacements(text, mentions, start, end) == "".join(expected)


# ----------------------------------------------------------------------------- project operations


INTERVIEW = textwrap.dedent(
    """\
    Interviewer: Welkom. Kunt u zich voorstellen?

    Marieke de Vries: Ik ben Marieke de Vries, adviseur L&O bij de gemeente. Marieke's team doet vitaliteit.

    Interviewer: En uw collega?

    Jan Willem Bakker: Ik werk met Marieke aan leiderschap. Mevrouw De Vries is de trekker.

    Marieke de Vries: Dat klopt.

    Jan Willem Bakker: Tot zover.
    """
)


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """An interview with named speakers, coded twice, on both databases."""
    path = tmp_path / "interview_marieke_de_vries.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    import_files(project, [path], case="Marieke de Vries")
    from lo_codebook.core.codebook import create_code

    vit = create_code(project, "Vitaliteit")
    lead = create_code(project, "Leiderschap")
    with project.read() as session:
        doc = session.scalars(select(Document)).one()
    text = doc.text
    s1 = text.index("Ik ben Marieke")
    code_span(project, doc.id, s1, text.index("vitaliteit.") + len("vitaliteit."), vit)
    s2 = text.index("Ik werk met")
    code_span(project, doc.id, s2, text.index("trekker.") + len("trekker."), lead)
    return project


def test_name_list_operations_are_audited_and_undoable(project: Project) -> None:
    entry = add_name(project, "  Marieke   de Vries ", "Respondent A")
    assert entry.name == "Marieke de Vries"
    assert add_name(project, "Jan Bakker").pseudonym == "Persoon A"
    with pytest.raises(UserError, match="already on the name list"):
        add_name(project, "marieke de vries", "X")
    with pytest.raises(UserError, match="itself a listed name"):
        add_name(project, "Piet", "Jan Bakker")
    with pytest.raises(UserError, match="empty"):
        add_name(project, "   ")
    remove_name(project, "JAN BAKKER")
    with project.read() as session:
        assert [e.name for e in list_names(session)] == ["Marieke de Vries"]
    project.undo()  # the removal
    with project.read() as session:
        assert [e.name for e in list_names(session)] == ["Jan Bakker", "Marieke de Vries"]


def test_names_import_is_all_or_nothing(project: Project, tmp_path: Path) -> None:
    good = tmp_path / "namen.csv"
    good.write_text(
        "naam;pseudoniem\nMarieke de Vries;Respondent A\nJan Bakker;\n", encoding="utf-8"
    )
    report = import_names(project, good)
    assert [e.pseudonym for e in report.added] == ["Respondent A", "Persoon A"]
    bad = tmp_path / "dubbel.csv"
    bad.write_text("name,pseudonym\nKees Smit,R1\nkees smit,R2\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"listed twice \(lines 2 and 3\)"):
        import_names(project, bad)
    with project.read() as session:
        assert len(list_names(session)) == 2
    again = import_names(project, good)
    assert again.unchanged == 2 and not again.added


def _read_quotes(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_export_quotes_without_pseudonyms_is_verbatim(coded: Project, tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    report = export_quotes(coded, out)
    rows = _read_quotes(out)
    assert report.quotes == 2 and len(rows) == 2
    assert rows[0]["speaker"] == "Marieke de Vries"
    assert rows[0]["text"].startswith("Ik ben Marieke de Vries")
    assert rows[0]["case"] == "Marieke de Vries"


@pytest.mark.parametrize("suffix", [".csv", ".md", ".xlsx"])
def test_pseudonymised_export_hides_every_listed_person(
    coded: Project, tmp_path: Path, suffix: str
) -> None:
    add_name(coded, "Marieke de Vries", "Respondent A")
    add_name(coded, "Jan Willem Bakker", "Respondent B")
    out = tmp_path / f"quotes{suffix}"
    report = export_quotes(coded, out, pseudonymise=True)
    assert report.quotes == 2 and report.replaced >= 4
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(out, read_only=True)
        text = "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for row in book.active.iter_rows(values_only=True)
        )
        book.close()
    else:
        text = out.read_text(encoding="utf-8")
    lowered = text.lower()
    for leaked in ("marieke", "vries", "bakker", "jan willem"):
        assert leaked not in lowered, (leaked, text)
    assert "Respondent A" in text and "Respondent B" in text
    assert "Respondent A's team" in text
    if suffix == ".csv":
        rows = _read_quotes(out)
        assert [r["speaker"] for r in rows] == ["Respondent A", "Respondent B"]
        assert rows[0]["document"] == "interview_Respondent A" and rows[0]["case"] == "Respondent A"
        assert (
            rows[1]["text"]
            == "Ik werk met Respondent A aan leiderschap. Mevrouw Respondent A is de trekker."
        )
    # The stored text is never touched.
    with coded.read() as session:
        assert "Marieke de Vries" in session.scalars(select(Document.text)).one()


def test_export_filters_and_errors(coded: Project, tmp_path: Path) -> None:
    out = tmp_path / "q.csv"
    assert export_quotes(coded, out, code="Leiderschap").quotes == 1
    with pytest.raises(UserError, match="unknown code"):
        export_quotes(coded, out, code="Bestaat niet")
    with pytest.raises(UserError, match="unknown coder 'nobody'"):
        export_quotes(coded, out, coder="nobody")
    with pytest.raises(UserError, match="name list is empty"):
        export_quotes(coded, tmp_path / "p.csv", pseudonymise=True)
    with pytest.raises(UserError, match=r"\.csv, \.md, \.xlsx"):
        export_quotes(coded, tmp_path / "q.pdf")
    assert not (tmp_path / "p.csv").exists() and not (tmp_path / "q.pdf").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_category_exports_its_themes(coded: Project, tmp_path: Path) -> None:
    from lo_codebook.core.codebook import create_code, move_code

    parent = create_code(coded, "Mensen")
    with coded.read() as session:
        ids = [
            c.id
            for c in session.scalars(
                select(Code).where(Code.name.in_(["Vitaliteit", "Leiderschap"]))
            )
        ]
    for code_id in ids:
        move_code(coded, code_id, parent)
    assert export_quotes(coded, tmp_path / "q.md", code="Mensen").quotes == 2


def test_xlsx_quotes_never_become_formulas(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "formule.txt"
    path.write_text('=HYPERLINK("http://example.org","klik")\n', encoding="utf-8")
    import_files(sqlite_project, [path])
    from lo_codebook.core.codebook import create_code

    code_id = create_code(sqlite_project, "X")
    with sqlite_project.read() as session:
        doc = session.scalars(select(Document)).one()
    code_span(sqlite_project, doc.id, 0, len(doc.text), code_id)
    out = tmp_path / "q.xlsx"
    export_quotes(sqlite_project, out)
    import openpyxl

    book = openpyxl.load_workbook(out)
    cell = book.active.cell(row=2, column=6)
    # A string cell, and escaped as OWASP advises (a leading '), so that a copy saved as CSV
    # from the spreadsheet is still no formula.
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")


# ----------------------------------------------------------------------------- command line


def test_names_and_export_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    interview = tmp_path / "gesprek.txt"
    interview.write_text(INTERVIEW, encoding="utf-8")
    assert run_cli("import", interview, "--case", "Lindewaard", env=cli_env).code == 0
    codes = tmp_path / "codes.csv"
    codes.write_text("name,parent,description,keywords\nVitaliteit,,,\n", encoding="utf-8")
    assert run_cli("codebook", "import", codes, env=cli_env).code == 0
    codings = tmp_path / "codings.csv"
    codings.write_text("document,code\ngesprek,Vitaliteit\n", encoding="utf-8")
    assert run_cli("import-codings", codings, "--coder", "anna", env=cli_env).code == 0

    result = run_cli("names", "add", "Marieke de Vries", "--as", "Respondent A", env=cli_env)
    assert result.code == 0 and "Respondent A" in result.out
    names_csv = tmp_path / "namen.csv"
    names_csv.write_text("name,pseudonym\nJan Willem Bakker,Respondent B\n", encoding="utf-8")
    assert run_cli("names", "import", names_csv, env=cli_env).code == 0
    listed = json.loads(run_cli("names", "list", "--format", "json", env=cli_env).out)
    assert listed == [
        {"name": "Jan Willem Bakker", "pseudonym": "Respondent B"},
        {"name": "Marieke de Vries", "pseudonym": "Respondent A"},
    ]
    plain = run_cli("export-quotes", tmp_path / "q.csv", env=cli_env)
    assert plain.code == 0 and "--pseudonymise" in plain.err  # a reminder, not an error
    result = run_cli("export-quotes", tmp_path / "p.md", "--pseudonymise", env=cli_env)
    assert result.code == 0, result.err
    text = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "Marieke" not in text and "Bakker" not in text and "Respondent A" in text

    # The theme table never carries names: only codes, counts and attributes.
    for fmt in ("json", "csv", "md"):
        themes = run_cli("themes", "--format", fmt, env=cli_env)
        assert themes.code == 0, themes.err
        assert "Marieke" not in themes.out and "Bakker" not in themes.out

    removed = run_cli("names", "remove", "marieke de vries", env=cli_env)
    assert removed.code == 0 and "Respondent A" in removed.out
    missing = run_cli("names", "remove", "Niemand", env=cli_env)
    assert missing.code == 1 and "Niemand" in missing.err
    log = json.loads(run_cli("log", "--format", "json", "--limit", "5", env=cli_env).out)
    assert log[0]["action"] == "names-remove" and log[0]["coder"] == "tester"
    assert run_cli("undo", env=cli_env).code == 0
    assert len(json.loads(run_cli("names", "list", "--format", "json", env=cli_env).out)) == 2


@pytest.mark.parametrize("entries", [[("iA", "P0"), ("IA", "P1")], [("IA", "P1"), ("iA", "P0")]])
def test_one_name_listed_in_two_cases_is_found_in_both(entries: list[tuple[str, str]]) -> None:
    """Found by Hypothesis: listing "IA" after "iA" made "iA" survive (the capital-bound form
    replaced the one that needs no capital)."""
    out = Pseudonymiser(entries).apply(" iA  IA ")
    assert "iA" not in out and "IA" not in out
