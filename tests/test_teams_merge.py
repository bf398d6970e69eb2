"""Merging two coders' work: fuzzy codebook merge, exact unmerge, lossless idempotent project merge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lo_codebook.core.agreement_service import compute_agreement
from lo_codebook.core.codebook import code_path, create_code, export_codebook
from lo_codebook.core.coding import add_memo, code_span
from lo_codebook.core.importing import import_files
from lo_codebook.core.merge import (
    MergePlan,
    SourceCode,
    _TargetCode,
    apply_codebook_merge,
    match_codes,
    merge_project,
    name_score,
    plan_codebook_merge,
    unmerge,
)
from lo_codebook.core.project import Project
from lo_codebook.db.models import AuditEntry, Base, Case, Code, Coding, Document, Memo, Suggestion
from lo_codebook.errors import UserError

from .conftest import SAMPLE, run_cli, sibling_project

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

INTERVIEWS = SAMPLE / "interviews"


def dump(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the audit log (which records the merge and its undo)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with project.read() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_entry":
                continue
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(row) for row in rows]
    return out


def codes_of(project: Project) -> dict[str, Code]:
    with project.read() as session:
        return {code_path(c): c for c in session.scalars(select(Code))}


def add_codes(
    project: Project, spec: list[tuple[str, str | None, str, list[str]]]
) -> dict[str, int]:
    ids = {}
    for name, parent, description, keywords in spec:
        ids[f"{parent}/{name}" if parent else name] = create_code(
            project, name, parent=parent, description=description, keywords=keywords
        )
    return ids


ANNA_CODES = [
    ("Werkdruk", None, "Te veel werk", ["drukte"]),
    ("Leiderschap", None, "", []),
    ("Vaardigheid", None, "", []),
    ("Thuiswerken", None, "", []),
    ("Werving", None, "", ["vacatures"]),
    ("Organisatie", None, "", []),
    ("Cultuur", "Organisatie", "", []),
    ("Overig", "Organisatie", "", []),
    ("Mensen", None, "", []),
    ("Overig", "Mensen", "", []),
    ("Teamgeest", "Mensen", "", []),
]
BRAM_CODES = [
    ("werkdruk", None, "Hoge werkdruk", ["overbelasting"]),
    ("Leiderschp", None, "", []),
    ("Vaardigheden", None, "", ["skills"]),
    ("Thuis werken", None, "", []),
    ("Organisatie", None, "", []),  # a theme here, a category at Anna's: review, not automatic
    ("Mensen", None, "", []),
    ("Overig", "Mensen", "", []),
    ("Teamgeest", "Mensen", "", []),
    ("Vitaliteit", "Mensen", "", []),
    ("Krapte", None, "", []),
]
EXPECTED_AUTO = {
    "werkdruk": "Werkdruk",
    "Leiderschp": "Leiderschap",
    "Vaardigheden": "Vaardigheid",
    "Thuis werken": "Thuiswerken",
    "Mensen": "Mensen",
    "Mensen/Overig": "Mensen/Overig",
    "Mensen/Teamgeest": "Mensen/Teamgeest",
}


def turns_of(project: Project, name: str) -> tuple[int, list[tuple[int, int]]]:
    with project.read() as session:
        doc = session.scalar(select(Document).where(Document.name == name))
        assert doc is not None
        return doc.id, [(s.start, s.end) for s in doc.segments]


def test_names_that_should_and_should_not_match() -> None:
    for a, b in [
        ("Werkdruk", "werkdruk"),
        ("Leiderschap", "Leiderschp"),
        ("Vaardigheid", "Vaardigheden"),
        ("Thuiswerken", "Thuis werken"),
        ("Thema's", "thema"),
        ("Café", "cafe"),
        ("Teams", "team"),
    ]:
        assert name_score(a, b)[0] >= 90, (a, b)
    for a, b in [
        ("Werving", "Werkdruk"),
        ("Leiderschap", "Leidinggeven"),
        ("Vitaliteit", "Vaardigheid"),
    ]:
        assert name_score(a, b)[0] < 60, (a, b)
    # Werving and Werkdruk are different codes: no pair at all, Werkdruk is added.
    pairs = match_codes(
        [SourceCode(key="Werkdruk", name="Werkdruk")],
        [_TargetCode(1, "Werving", "Werving", None, ("vacatures",), False)],
        auto_score=90,
        review_floor=60,
    )
    assert pairs == []


def test_plan_merges_the_right_pairs(project: Project, tmp_path: Path) -> None:
    add_codes(project, ANNA_CODES)
    with sibling_project(project, tmp_path, "bram") as bram:
        add_codes(bram, BRAM_CODES)
        plan = plan_codebook_merge(project, bram.url)
    assert isinstance(plan, MergePlan) and plan.source_kind == "project"
    assert {p.source_key: p.target_path for p in plan.auto_pairs} == EXPECTED_AUTO
    (review,) = plan.review_pairs
    assert (review.source_key, review.target_path) == ("Organisatie", "Organisatie")
    assert "category vs theme" in review.reasons and review.score < 90
    assert {c.key for c in plan.unmatched} == {"Mensen/Vitaliteit", "Krapte"}
    assert all(p.target_path != "Werving" for p in plan.pairs)
    assert all(p.target_path != "Organisatie/Overig" for p in plan.pairs)  # hierarchy-aware


def test_merge_from_project_codings_follow_and_unmerge_restores_exactly(
    project: Project, tmp_path: Path
) -> None:
    import_files(project, [INTERVIEWS / "interview_01_lindewaard.txt"])
    anna_ids = add_codes(project, ANNA_CODES)
    anna = Project(project.engine, "Anna", project.url)
    doc_a, turns = turns_of(project, "interview_01_lindewaard")
    code_span(anna, doc_a, *turns[1], anna_ids["Werkdruk"])
    with sibling_project(project, tmp_path, "bram") as bram_db:
        import_files(
            bram_db,
            [INTERVIEWS / "interview_01_lindewaard.txt", INTERVIEWS / "interview_03_hazelveen.txt"],
        )
        bram_ids = add_codes(bram_db, BRAM_CODES)
        bram = Project(bram_db.engine, "Bram", bram_db.url)
        doc_b, turns_b = turns_of(bram_db, "interview_01_lindewaard")
        assert turns_b == turns
        doc_b3, turns_b3 = turns_of(bram_db, "interview_03_hazelveen")
        code_span(bram, doc_b, *turns[1], bram_ids["werkdruk"])
        code_span(bram, doc_b, *turns[2], bram_ids["werkdruk"])
        code_span(bram, doc_b, turns[3][0] + 2, turns[3][1], bram_ids["Mensen/Vitaliteit"])
        code_span(bram, doc_b, *turns[4], bram_ids["Mensen/Overig"])
        code_span(bram, doc_b3, *turns_b3[1], bram_ids["Krapte"])  # document Anna does not have
        before = dump(project)
        entries = _entries(project)
        dry = run_cli(
            "--db",
            project.url,
            "--coder",
            "tester",
            "merge-codebook",
            bram_db.url,
            "--dry-run",
            "--format",
            "json",
        )
        assert dry.code == 0, dry.err
        assert json.loads(dry.out)["dry_run"] is True
        assert dump(project) == before and _entries(project) == entries  # dry run: nothing at all

        plan = plan_codebook_merge(project, bram_db.url)
        report = apply_codebook_merge(project, plan, plan.auto_pairs)
    assert report.codings_added == 4 and report.codings_without_document == 1
    assert set(report.codes_added) == {"Mensen/Vitaliteit", "Krapte"}
    codes = codes_of(project)
    assert "werkdruk" not in codes and "Leiderschp" not in codes and "Thuis werken" not in codes
    assert codes["Werkdruk"].keywords == ["drukte", "overbelasting"]
    assert (
        codes["Werkdruk"].description == "Te veel werk\n\nHoge werkdruk"
    )  # code_absorb: a new paragraph
    assert "Leiderschp" in codes["Leiderschap"].keywords
    assert codes["Mensen/Vitaliteit"].parent is not None
    with project.read() as session:
        rows = {
            (code_path(c.code), c.coder.name, c.start, c.end)
            for c in session.scalars(select(Coding))
        }
    assert rows == {
        ("Werkdruk", "Anna", *turns[1]),
        ("Werkdruk", "Bram", *turns[1]),
        ("Werkdruk", "Bram", *turns[2]),
        ("Mensen/Vitaliteit", "Bram", turns[3][0] + 2, turns[3][1]),
        ("Mensen/Overig", "Bram", *turns[4]),
    }
    # Anna and Bram can now be compared.
    result = compute_agreement(project, ("Anna", "Bram"), unit="segment").result
    assert result.per_code["Werkdruk"].both == 1 and result.per_code["Werkdruk"].only_b == 1

    message = unmerge(project)
    assert f"#{report.entry_id} merge-codebook" in message
    assert dump(project) == before


def _entries(project: Project) -> int:
    with project.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_merge_from_codebook_files_and_cli(project: Project, tmp_path: Path) -> None:
    add_codes(project, ANNA_CODES)
    with sibling_project(project, tmp_path, "bram") as bram_db:
        add_codes(bram_db, BRAM_CODES)
        export_codebook(bram_db, tmp_path / "bram.qdc")
        export_codebook(bram_db, tmp_path / "bram.csv")
    for source in ("bram.qdc", "bram.csv"):
        plan = plan_codebook_merge(project, tmp_path / source)
        assert plan.source_kind == source[-3:]
        assert {p.source_key: p.target_path for p in plan.auto_pairs} == EXPECTED_AUTO, source
    before = dump(project)
    table = run_cli(
        "--db",
        project.url,
        "--coder",
        "tester",
        "merge-codebook",
        tmp_path / "bram.qdc",
        "--dry-run",
    )
    assert table.code == 0, table.err
    assert "review" in table.out and "Leiderschp" in table.out and "95.2" in table.out
    assert dump(project) == before

    out = run_cli(
        "--db",
        project.url,
        "--coder",
        "tester",
        "merge-codebook",
        tmp_path / "bram.csv",
        "--auto",
        "92",
        "--accept",
        "Organisatie",
        "--format",
        "json",
    )
    assert out.code == 0, out.err
    data = json.loads(out.out)
    merged = {m["source"]: m["target"] for m in data["result"]["codes_merged"]}
    assert merged["Organisatie"] == "Organisatie" and merged["Leiderschp"] == "Leiderschap"
    assert set(data["result"]["codes_added"]) == {"Mensen/Vitaliteit", "Krapte"}
    assert "Mensen/Vitaliteit" in codes_of(project)
    undo = run_cli("--db", project.url, "--coder", "tester", "unmerge")
    assert undo.code == 0, undo.err
    assert dump(project) == before
    again = run_cli("--db", project.url, "--coder", "tester", "unmerge")
    assert again.code == 1 and again.err.count("\n") == 1 and "no merge" in again.err
    missing = run_cli(
        "--db", project.url, "--coder", "tester", "merge-codebook", tmp_path / "nope.qdc"
    )
    assert missing.code == 1 and "file not found" in missing.err
    bad_accept = run_cli(
        "--db",
        project.url,
        "--coder",
        "tester",
        "merge-codebook",
        tmp_path / "bram.csv",
        "--accept",
        "Werving",
    )
    assert bad_accept.code == 1 and "--accept" in bad_accept.err
    assert dump(project) == before


def test_unmerge_refuses_entries_that_are_not_merges(project: Project) -> None:
    create_code(project, "X")
    with project.read() as session:
        entry = session.scalar(select(AuditEntry.id).where(AuditEntry.action == "code-add"))
    with pytest.raises(UserError, match="not a merge"):
        unmerge(project, entry)
    out = run_cli("--db", project.url, "--coder", "tester", "unmerge", "999999")
    assert out.code == 1 and "does not exist" in out.err


# -- project merge --------------------------------------------------------------------------


def build_pair(anna_db: Project, bram_db: Project) -> None:
    """Anna's and Bram's projects: shared interview, extra documents, clashing names, memos."""
    import_files(
        anna_db,
        [INTERVIEWS / "interview_01_lindewaard.txt"],
        case="Lindewaard",
        attributes={"size_class": "<20.000"},
    )
    import_files(
        anna_db,
        [INTERVIEWS / "interview_02_oosterbroek.txt"],
        case="Oosterbroek",
        attributes={"size_class": "20.000-50.000"},
    )
    anna_ids = add_codes(anna_db, ANNA_CODES)
    anna = Project(anna_db.engine, "Anna", anna_db.url)
    doc, turns = turns_of(anna_db, "interview_01_lindewaard")
    code_span(anna, doc, *turns[1], anna_ids["Werkdruk"])
    code_span(anna, doc, *turns[2], anna_ids["Leiderschap"])
    add_memo(anna, "Anna's eigen memo", document_id=doc)
    with anna_db.write("test") as unit:  # a note file with the same name but another text
        unit.session.add(
            Document(
                name="notities",
                kind="text",
                source_format="txt",
                text="Anna's notities",
                content_hash="a" * 64,
                words=2,
            )
        )

    import_files(
        bram_db,
        [INTERVIEWS / "interview_01_lindewaard.txt"],
        case="Lindewaard",
        attributes={"size_class": "<20.000", "province": "Gelderland"},
    )
    import_files(
        bram_db,
        [INTERVIEWS / "interview_03_hazelveen.txt"],
        case="Hazelveen",
        attributes={"size_class": "20.000-50.000", "province": "Noord-Brabant"},
    )
    bram_ids = add_codes(bram_db, BRAM_CODES)
    bram = Project(bram_db.engine, "Bram", bram_db.url)
    cees = Project(bram_db.engine, "Cees", bram_db.url)
    doc1, turns1 = turns_of(bram_db, "interview_01_lindewaard")
    doc3, turns3 = turns_of(bram_db, "interview_03_hazelveen")
    code_span(bram, doc1, *turns1[1], bram_ids["werkdruk"])
    code_span(bram, doc1, turns1[2][0] + 3, turns1[2][1] - 1, bram_ids["Leiderschp"])
    code_span(bram, doc3, *turns3[2], bram_ids["Mensen/Vitaliteit"])
    code_span(
        bram, doc3, turns3[4][0], turns3[4][0] + 12, bram_ids["Krapte"], memo="krapte of werving?"
    )
    code_span(cees, doc3, *turns3[2], bram_ids["Mensen/Vitaliteit"])
    with bram_db.read() as session:
        case3 = session.scalar(select(Case.id).where(Case.name == "Hazelveen"))
    add_memo(bram, "Transcript is onvolledig", document_id=doc3, title="Let op")
    add_memo(bram, "Vitaliteit = fit blijven", code_id=bram_ids["Mensen/Vitaliteit"])
    add_memo(bram, "Grote ambities", case_id=case3)
    add_memo(bram, "Projectmemo van Bram")
    with bram_db.write("test") as unit:
        unit.session.add(
            Document(
                name="notities",
                kind="text",
                source_format="txt",
                text="Brams notities",
                content_hash="b" * 64,
                words=2,
            )
        )
        unit.session.add(
            Suggestion(
                document_id=doc3,
                code_id=bram_ids["Krapte"],
                start=0,
                end=5,
                score=80.0,
                method="keyword",
            )
        )


def coding_rows(
    project: Project, coders: set[str]
) -> set[tuple[str, str, str, int, int, str, str | None]]:
    """(document, code, coder, start, end, coded text, memo): offsets checked through the text."""
    with project.read() as session:
        return {
            (
                c.document.name,
                code_path(c.code),
                c.coder.name,
                c.start,
                c.end,
                c.document.text[c.start : c.end],
                c.memo,
            )
            for c in session.scalars(select(Coding))
            if c.coder.name in coders
        }


def test_merge_project_loses_nothing_and_is_idempotent(project: Project, tmp_path: Path) -> None:
    with sibling_project(project, tmp_path, "bram") as bram_db:
        build_pair(project, bram_db)
        before = dump(project)
        bram_rows = coding_rows(bram_db, {"Bram", "Cees"})
        report = merge_project(project, bram_db.url)
        assert (report.backup is not None) == project.url.startswith("sqlite")
        if report.backup is not None:
            assert report.backup.exists()
        first = dump(project)
        second = merge_project(project, bram_db.url)
        assert dump(project) == first  # twice -> the same
        assert second.codings_added == 0 and second.memos_added == 0 and not second.documents_added
        assert second.cases_added == 0 and second.attributes_added == 0
        # The CLI agrees (and still adds nothing).
        cli = run_cli(
            "--db",
            project.url,
            "--coder",
            "tester",
            "merge-project",
            bram_db.url,
            "--format",
            "json",
        )
        assert cli.code == 0, cli.err
        assert json.loads(cli.out)["codings_added"] == 0
        assert dump(project) == first
        same = run_cli("--db", project.url, "--coder", "tester", "merge-project", project.url)
        assert same.code == 1 and "this project itself" in same.err

    assert sorted(report.documents_added) == ["interview_03_hazelveen", "notities (2)"]
    assert report.documents_matched == 1 and report.documents_renamed == [
        ("notities", "notities (2)")
    ]
    with project.read() as session:
        docs = {d.name: d for d in session.scalars(select(Document))}
        assert (
            docs["notities"].text == "Anna's notities"
            and docs["notities (2)"].text == "Brams notities"
        )
        # Case links and attributes: the new interview sits in its case, attributes united.
        cases = {
            c.name: {a.key: a.value for a in c.attributes} for c in session.scalars(select(Case))
        }
        assert docs["interview_03_hazelveen"].case.name == "Hazelveen"
        assert cases["Hazelveen"] == {"size_class": "20.000-50.000", "province": "Noord-Brabant"}
        assert cases["Lindewaard"] == {"size_class": "<20.000", "province": "Gelderland"}
        assert cases["Oosterbroek"] == {"size_class": "20.000-50.000"}
        # Transcript segments came along.
        assert len(docs["interview_03_hazelveen"].segments) > 5
        # Memos: all of Bram's, attached to the right things.
        memos = {m.text: m for m in session.scalars(select(Memo))}
        assert memos["Transcript is onvolledig"].document_id == docs["interview_03_hazelveen"].id
        assert memos["Transcript is onvolledig"].title == "Let op"
        vitaliteit = session.scalar(select(Code).where(Code.name == "Vitaliteit"))
        assert memos["Vitaliteit = fit blijven"].code_id == vitaliteit.id
        assert memos["Grote ambities"].case_id == session.scalar(
            select(Case.id).where(Case.name == "Hazelveen")
        )
        assert "Projectmemo van Bram" in memos and "Anna's eigen memo" in memos
        # Suggestions are not copied.
        assert session.scalar(select(func.count()).select_from(Suggestion)) == 0
    # Every coding of Bram and Cees is there, on the same text, with its offsets and memo;
    # their codes are Anna's where the names match (werkdruk -> Werkdruk, Leiderschp -> Leiderschap).
    rename = {"werkdruk": "Werkdruk", "Leiderschp": "Leiderschap"}
    expected = {
        (d, rename.get(c, c), who, s, e, text, memo) for d, c, who, s, e, text, memo in bram_rows
    }
    assert coding_rows(project, {"Bram", "Cees"}) == expected
    assert len(expected) == 5
    assert coding_rows(project, {"Anna"})  # Anna's own codings untouched
    # The coders can be compared on the shared interview.
    agreement = compute_agreement(project, ("Anna", "Bram"), unit="segment")
    assert agreement.documents == ["interview_01_lindewaard"]
    # Unmerge of the first merge gives back exactly the project before it.
    unmerge(project, report.entry_id)
    assert dump(project) == before


def test_merge_project_needs_a_project(project: Project, tmp_path: Path) -> None:
    add_codes(project, ANNA_CODES[:2])
    export_codebook(project, tmp_path / "cb.csv")
    with pytest.raises(UserError, match="merge-project needs another project"):
        merge_project(project, tmp_path / "cb.csv")
    missing = run_cli(
        "--db", project.url, "--coder", "tester", "merge-project", tmp_path / "nobody.db"
    )
    assert missing.code == 1 and missing.err.count("\n") == 1


def test_names_that_differ_in_a_number_or_letter_are_never_merged_unasked() -> None:
    """`--auto 90` merged "Werkdruk 2024" into "Werkdruk 2023" and "Niveau B" into "Niveau A"."""
    for a, b in [
        ("Werkdruk 2024", "Werkdruk 2023"),
        ("Niveau B", "Niveau A"),
        ("Fase 2", "Fase 3"),
        ("Werkdruk 2024", "Werkdruk"),
    ]:
        score, why = name_score(a, b)
        assert score <= 60 and "number or letter" in why, (a, b, score, why)
    assert name_score("Werkdruk 2024", "werkdruk 2024")[0] == 100
    pairs = match_codes(
        [SourceCode(key="Werkdruk 2024", name="Werkdruk 2024", keywords=("werkdruk", "overuren"))],
        [_TargetCode(1, "Werkdruk 2023", "Werkdruk 2023", None, ("werkdruk", "overuren"), False)],
        auto_score=90,
        review_floor=60,
    )
    assert not [p for p in pairs if p.auto], pairs
