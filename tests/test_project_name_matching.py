"""Names match the same way on SQLite, PostgreSQL and in Python: stored keys, not SQL lower().

The REFI fixtures are built here in the shape NVivo exports (Users, a nested CodeBook,
TextSources in `Sources/<GUID>.txt` with a BOM and CRLF, codings by a user), with our own
Hungarian text. Mac and Windows exports of one project carry different GUIDs, so names are
all that ties their codes together.
"""

from __future__ import annotations

import unicodedata
import uuid
import zipfile
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from lo_codebook.core.codebook import create_code, find_code, import_codebook, rename_code
from lo_codebook.core.coding import import_codings
from lo_codebook.core.importing import import_files
from lo_codebook.core.project import Project
from lo_codebook.core.refi_mapping import import_qdpx
from lo_codebook.db.engine import alembic_config, make_engine
from lo_codebook.db.lookup import codes_named, find_case, find_coder
from lo_codebook.db.models import Case, Code, Coder
from lo_codebook.db.names import name_key, same_name
from lo_codebook.errors import UserError

#: (as created, as looked up later): one name each.
SAME = [
    ("4. Értékek", "4. ÉRTÉKEK"),  # Hungarian: SQLite's lower() leaves É alone
    ("Őszinteség", "ŐSZINTESÉG"),
    ("ılık", "ILIK"),  # Turkish dotless i and its capital
    ("İzmir", "izmir"),  # Turkish dotted capital İ
    ("Straße", "STRASSE"),  # German ß folds to ss
    ("IJsselmeer", "ijsselmeer"),  # Dutch ij
    ("\u0132sselmeer", "IJsselmeer"),  # the Dutch ligature Ĳ
    ("E\u0301rte\u0301k", "Érték"),  # decomposed (NFD, as macOS writes) vs composed
]
#: Different names that a careless fold would join.
DIFFERENT = [("kır", "kir"), ("ızgara", "İzgara"), ("Strasse", "Strase")]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_names(a: str, b: str) -> None:
    assert same_name(a, b) and same_name(b, a)
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names(a: str, b: str) -> None:
    assert not same_name(a, b)


def test_keys_are_nfc_and_casefolded() -> None:
    key = name_key("  ÉRTÉKEK\u00a0és  Straße ")
    assert key == "értékek és strasse"
    assert unicodedata.is_normalized("NFC", name_key("E\u0301RTE\u0301K"))


@pytest.mark.parametrize(("a", "b"), SAME)
def test_codes_cases_and_coders_are_found_by_either_spelling(
    project: Project, a: str, b: str
) -> None:
    a = unicodedata.normalize("NFC", a)
    create_code(project, a)
    with project.write("names") as unit:
        Project.ensure_coder(unit.session, a)
    with project.read() as session:
        assert find_code(session, b) is not None and find_code(session, b).name == a
        assert [c.name for c in codes_named(session, b)] == [a]
        assert find_coder(session, b) is not None and find_coder(session, b).name == a
        # What the database holds is what Python computes, on either backend.
        stored = session.execute(text("SELECT name_key FROM code")).scalar()
        assert stored == name_key(a) == name_key(b)
    with pytest.raises(UserError, match="already exists"):
        create_code(project, b)
    with project.write("names") as unit:
        assert Project.ensure_coder(unit.session, b).name == a
    with project.read() as session:
        assert session.scalar(select(Coder).where(Coder.name == b)) is None or a == b


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_stay_apart(project: Project, a: str, b: str) -> None:
    create_code(project, a)
    create_code(project, b)
    with project.read() as session:
        assert find_code(session, a).name == a
        assert find_code(session, b).name == b


def test_rename_to_another_spelling_of_itself_and_of_a_sibling(project: Project) -> None:
    code_id = create_code(project, "Straße")
    rename_code(project, code_id, "STRASSE")  # its own name, respelt: allowed
    create_code(project, "Értékek")
    with pytest.raises(UserError, match="already exists"):
        rename_code(project, code_id, "ÉRTÉKEK")


def test_cases_match_by_name_on_import_and_in_codings_csv(project: Project, tmp_path: Path) -> None:
    first = tmp_path / "elso.txt"
    first.write_text("Kérdező: Mi fontos?\n\nVálaszadó: A biztonság.\n", encoding="utf-8")
    second = tmp_path / "masodik.txt"
    second.write_text("Kérdező: És még?\n\nVálaszadó: A szabadság.\n", encoding="utf-8")
    import_files(project, [first], case="Győr Önkormányzat")
    import_files(project, [second], case="GYŐR ÖNKORMÁNYZAT")
    with project.read() as session:
        assert [c.name for c in session.scalars(select(Case))] == ["Győr Önkormányzat"]
        assert find_case(session, "győr önkormányzat") is not None
    create_code(project, "Biztonság")
    codings = tmp_path / "codings.csv"
    codings.write_text("document,code\nelso,BIZTONSÁG\n", encoding="utf-8")
    assert import_codings(project, codings, coder="Ágnes").codings == 1


def test_survey_ids_spelt_two_ways_in_one_file_stay_two_cases(
    project: Project, tmp_path: Path
) -> None:
    """Respondent ids are identifiers: R_aB and R_Ab in one file are two respondents."""
    from lo_codebook.core.importing import import_survey

    survey = tmp_path / "survey.csv"
    survey.write_text("id,answer\nR_aB,Első válasz\nR_Ab,Második válasz\n", encoding="utf-8")
    import_survey(project, survey, id_col="id", text_cols=["answer"])
    with project.read() as session:
        names = sorted(session.scalars(select(Case.name)))
        keys = set(session.scalars(select(Case.name_key)))
    assert names == ["R_Ab", "R_aB"] and keys == {"r_ab"}  # Core bulk insert filled the key


def test_codebook_csv_matches_existing_codes_in_another_case(
    project: Project, tmp_path: Path
) -> None:
    create_code(project, "4. Értékek")
    book = tmp_path / "codebook.csv"
    book.write_text(
        "name,parent,description,keywords\n4. ÉRTÉKEK,,,érték\nBiztonság,4. értékek,,\n",
        encoding="utf-8",
    )
    assert import_codebook(project, book) == (1, 1)
    with project.read() as session:
        values = find_code(session, "4. Értékek")
        assert values.keywords == ["érték"] and [c.name for c in values.children] == ["Biztonság"]


# -- the migration ---------------------------------------------------------------------


def test_migration_backfills_keys_of_existing_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    config = alembic_config(engine)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO coder (name, created) VALUES ('ÁGNES', '2025-01-01')"))
        conn.execute(text("INSERT INTO cases (name, created) VALUES ('Straße 1', '2025-01-01')"))
        for name in ["4. ÉRTÉKEK", "ILIK", "\u0132sselmeer"]:
            conn.execute(
                text(
                    "INSERT INTO code (name, description, keywords, position, created) "
                    "VALUES (:n, '', '[]', 0, '2025-01-01')"
                ),
                {"n": name},
            )
    engine.dispose()
    project = Project.open(db_url, "tester")
    try:
        with project.read() as session:
            assert {c.name: c.name_key for c in session.scalars(select(Code))} == {
                "4. ÉRTÉKEK": "4. értékek",
                "ILIK": "ilik",
                "\u0132sselmeer": "ijsselmeer",
            }
            assert find_coder(session, "Ágnes").name == "ÁGNES"
            assert find_case(session, "STRASSE 1").name == "Straße 1"
            assert find_code(session, "ılık").name == "ILIK"
    finally:
        project.close()


# -- NVivo exports of one Hungarian project, Mac then Windows --------------------------

TREE = [
    ("1. Hozzáállás", ["Elutasító", "Bizonytalan", "Támogató"]),
    ("2. Érvek", ["Személyes történet", "Szakértői vélemény", "Gúnyolódás"]),
    ("4. Értékek", ["Biztonság", "Szabadság, önrendelkezés", "Közösség"]),
    ("5. Identitások", ["Vallás", "Szülő"]),
]
TEXT = (
    "Nekem a biztonság a legfontosabb, a gyerekeimé is.\r\n"
    "Szerintem mindenki maga döntsön erről.\r\n"
    "Az orvosom is ezt javasolta, úgyhogy beadattam.\r\n"
)


def _guid(seed: str, *parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([seed, *map(str, parts)])))


def nvivo_export(
    path: Path, *, origin: str, ns: str, seed: str, spell=lambda name: name, nfd: bool = False
) -> Path:
    """A .qdpx as NVivo writes it; `seed` makes the GUIDs of this export, `spell` the names."""
    user = "eaac2cd0-0000-4000-8000-00000000000a"

    def name(value: str) -> str:
        value = spell(value)
        return unicodedata.normalize("NFD", value) if nfd else value

    codes, first_line = [], TEXT.split("\r\n")[0]
    for top, children in TREE:
        kids = "".join(
            f'<Code guid="{_guid(seed, top, kid)}" name="{name(kid)}" isCodable="true" />'
            for kid in children
        )
        codes.append(
            f'<Code guid="{_guid(seed, top)}" name="{name(top)}" isCodable="true">{kids}</Code>'
        )
    source = _guid(seed, "source")
    selections = "".join(
        f'<PlainTextSelection guid="{_guid(seed, "sel", top)}" name="{first_line}" startPosition="0" '
        f'endPosition="{len(first_line)}" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00Z">'
        f'<Coding guid="{_guid(seed, "coding", top)}" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00Z">'
        f'<CodeRef targetGUID="{_guid(seed, top, children[0])}" /></Coding></PlainTextSelection>'
        for top, children in TREE
    )
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Oltás" origin="{origin}" creatingUserGUID="{user}" creationDateTime="2024-03-01T10:00:00Z" xmlns="{ns}">
  <Users><User guid="{user}" name="Kovács Anna" /></Users>
  <CodeBook><Codes>{"".join(codes)}</Codes></CodeBook>
  <Sources><TextSource guid="{source}" name="interju_01" plainTextPath="internal://{source}.txt" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00Z">{selections}</TextSource></Sources>
</Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"Sources/{source}.txt", b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    return path


N_CODES = sum(1 + len(children) for _, children in TREE)


def test_mac_then_windows_then_older_export_merge_into_one_codebook(
    project: Project, tmp_path: Path
) -> None:
    mac = nvivo_export(
        tmp_path / "mac.qdpx",
        origin="NVivo 12 for Mac",
        ns="urn:QDA-XML:project:1:0",
        seed="mac",
        nfd=True,
    )
    windows = nvivo_export(
        tmp_path / "win.qdpx",
        origin="NVivo for Windows 12.6",
        ns="urn:QDA-XML:project:1.0",
        seed="win",
    )
    # An older export: the categories still written in capitals, other GUIDs again.
    older = nvivo_export(
        tmp_path / "old.qdpx",
        origin="NVivo for Windows 12.6",
        ns="urn:QDA-XML:project:1.0",
        seed="old",
        spell=lambda n: n.upper() if n[0].isdigit() else n,
    )
    first = import_qdpx(project, mac)
    assert (len(first.codes_added), first.codings_added) == (N_CODES, len(TREE))
    for path in (windows, older):
        report = import_qdpx(project, path)
        print(path.name, report.summary())
        assert (len(report.codes_added), report.codes_matched) == (0, N_CODES)
        assert (report.codings_added, report.codings_present) == (0, len(TREE))
    with project.read() as session:
        names = sorted(session.scalars(select(Code.name)))
    assert len(names) == N_CODES and "4. Értékek" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
