"""Whole-answer coding (`toggle_whole_document_coding`) and the survey grid's queries.

The toggle is one core operation (the grid's number keys and code picker call it): it adds
one coding over the whole answer for the current coder, or removes that coder's codings of
the code from the answer; never another coder's; one undoable log entry each time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from lo_codebook.core import codebook, coding, grid, queries
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.db.models import AuditEntry, Coder, Coding, Suggestion
from lo_codebook.errors import UserError

SURVEY = """ResponseId,Q1,Q4
R_1,<20.000,Digitalisering en de arbeidsmarkt
R_2,20.000-50.000,"Leiderschap   en
hybride werken"
R_3,20.000-50.000,digitalisering van processen
R_4,>100.000,Omgevingswet
"""

CODEBOOK = """name,parent,description,keywords
Context,,,
Digitalisering,Context,,digitalisering
Arbeidsmarkt,Context,,arbeidsmarkt
Omgevingswet,Context,,
Organisatie,,,
Leiderschap,Organisatie,,
"""


@pytest.fixture
def survey(project: Project, tmp_path: Path) -> tuple[Project, dict[str, int], dict[str, int]]:
    (tmp_path / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "interview.txt").write_text(
        "Interviewer: Hoe gaat het?\n\nRespondent: Goed.\n", encoding="utf-8"
    )
    codebook.import_codebook(project, tmp_path / "codebook.csv")
    import_survey(
        project,
        tmp_path / "survey.csv",
        id_col="ResponseId",
        text_cols=["Q4"],
        attr_cols=["Q1=size_class"],
    )
    import_files(
        project,
        [tmp_path / "interview.txt"],
        case="Gemeente A",
        attributes={"size_class": "<20.000"},
    )
    with project.read() as session:
        docs = {d.name: d.id for d in queries.document_summaries(session)}
        codes = {c.name: c.id for c in queries.codebook_tree(session)}
    return project, docs, codes


def codings(project: Project, document_id: int) -> list[tuple[str, str, int, int]]:
    with project.read() as session:
        rows = session.execute(
            select(Coder.name, Coding.code_id, Coding.start, Coding.end)
            .join(Coder, Coder.id == Coding.coder_id)
            .where(Coding.document_id == document_id)
            .order_by(Coding.id)
        ).all()
    return [(coder, code, start, end) for coder, code, start, end in rows]


def test_toggle_adds_a_whole_answer_coding_and_removes_it_again(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    answer = "Digitalisering en de arbeidsmarkt"
    first = coding.toggle_whole_document_coding(project, docs["R_1"], codes["Digitalisering"])
    assert (
        first.coded
        and first.removed == 0
        and first.code == "Digitalisering"
        and first.document == "R_1"
    )
    assert codings(project, docs["R_1"]) == [("tester", codes["Digitalisering"], 0, len(answer))]
    second = coding.toggle_whole_document_coding(project, docs["R_1"], codes["Digitalisering"])
    assert not second.coded and second.removed == 1
    assert codings(project, docs["R_1"]) == []
    with project.read() as session:
        actions = [
            a
            for (a,) in session.execute(
                select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(2)
            )
        ]
    assert actions == ["uncode", "code"]


def test_toggle_is_undoable_and_redoable(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    coding.toggle_whole_document_coding(project, docs["R_3"], codes["Digitalisering"])
    assert len(codings(project, docs["R_3"])) == 1
    assert "R_3 (whole): Digitalisering" in project.undo()
    assert codings(project, docs["R_3"]) == []
    project.undo(redo=True)
    assert len(codings(project, docs["R_3"])) == 1
    coding.toggle_whole_document_coding(project, docs["R_3"], codes["Digitalisering"])  # off
    assert codings(project, docs["R_3"]) == []
    project.undo()  # the removal is undone: the coding is back
    assert len(codings(project, docs["R_3"])) == 1


def test_toggle_off_removes_own_spans_but_never_another_coders(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    bram = Project(project.engine, "bram", project.url)
    coding.toggle_whole_document_coding(bram, docs["R_1"], codes["Arbeidsmarkt"])
    start = "Digitalisering en de arbeidsmarkt".index("arbeidsmarkt")
    coding.code_span(
        project, docs["R_1"], start, start + len("arbeidsmarkt"), codes["Arbeidsmarkt"]
    )
    # tester has a span of the code: the answer counts as coded; toggling takes it off (only tester's)
    result = coding.toggle_whole_document_coding(project, docs["R_1"], codes["Arbeidsmarkt"])
    assert not result.coded and result.removed == 1
    assert [c[0] for c in codings(project, docs["R_1"])] == ["bram"]
    # and on again: a whole-answer coding for tester beside bram's
    assert coding.toggle_whole_document_coding(project, docs["R_1"], codes["Arbeidsmarkt"]).coded
    assert sorted(c[0] for c in codings(project, docs["R_1"])) == ["bram", "tester"]
    # bram's undo takes back bram's coding only
    bram.undo()
    assert [c[0] for c in codings(project, docs["R_1"])] == ["tester"]


def test_toggle_refuses_missing_document_or_code(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    with pytest.raises(UserError, match="no longer exists"):
        coding.toggle_whole_document_coding(project, 99_999, codes["Digitalisering"])
    with pytest.raises(UserError, match="no longer exists"):
        coding.toggle_whole_document_coding(project, docs["R_1"], 99_999)
    assert codings(project, docs["R_1"]) == []


def test_grid_ids_filter_by_attribute_code_status(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    with project.read() as session:
        everything = grid.answer_ids(session, "tester")
        assert everything == [docs[n] for n in ("R_1", "R_2", "R_3", "R_4")]  # no interview
        assert grid.answer_count(session) == 4
        mid = grid.GridFilter(attribute=("size_class", "20.000-50.000"))
        assert grid.answer_ids(session, "tester", mid) == [docs["R_2"], docs["R_3"]]
    coding.toggle_whole_document_coding(project, docs["R_3"], codes["Digitalisering"])
    bram = Project(project.engine, "bram", project.url)
    coding.toggle_whole_document_coding(bram, docs["R_4"], codes["Omgevingswet"])
    with project.write("seed", undoable=False) as unit:
        unit.session.add(
            Suggestion(
                document_id=docs["R_2"],
                code_id=codes["Leiderschap"],
                start=0,
                end=11,
                score=90.0,
                method="keyword",
                status="pending",
            )
        )
    with project.read() as session:
        ids = grid.answer_ids
        assert ids(session, "tester", grid.GridFilter(status=grid.CODED)) == [docs["R_3"]]
        # "no code yet" is the current coder's: bram's coding of R_4 does not count
        assert ids(session, "tester", grid.GridFilter(status=grid.UNCODED)) == [
            docs["R_1"],
            docs["R_2"],
            docs["R_4"],
        ]
        assert ids(session, "bram", grid.GridFilter(status=grid.UNCODED)) == [
            docs["R_1"],
            docs["R_2"],
            docs["R_3"],
        ]
        assert ids(session, "tester", grid.GridFilter(status=grid.PENDING)) == [docs["R_2"]]
        assert ids(session, "tester", grid.GridFilter(code_id=codes["Digitalisering"])) == [
            docs["R_3"]
        ]
        # a category stands for its themes
        assert ids(session, "tester", grid.GridFilter(code_id=codes["Context"])) == [docs["R_3"]]
        assert ids(
            session,
            "tester",
            grid.GridFilter(attribute=("size_class", "20.000-50.000"), status=grid.UNCODED),
        ) == [docs["R_2"]]
        assert ids(session, "nobody", grid.GridFilter(status=grid.UNCODED)) == [
            docs[n] for n in ("R_1", "R_2", "R_3", "R_4")
        ]
        with pytest.raises(UserError, match="unknown grid filter"):
            ids(session, "tester", grid.GridFilter(status="nope"))


def test_grid_rows_and_shape(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    coding.toggle_whole_document_coding(project, docs["R_1"], codes["Arbeidsmarkt"])
    coding.toggle_whole_document_coding(project, docs["R_1"], codes["Digitalisering"])
    with project.write("seed", undoable=False) as unit:
        for code, score in (
            ("Leiderschap", 70.0),
            ("Digitalisering", 95.0),
            ("Omgevingswet", 80.0),
        ):
            unit.session.add(
                Suggestion(
                    document_id=docs["R_1"],
                    code_id=codes[code],
                    start=0,
                    end=5,
                    score=score,
                    method="keyword",
                    status="pending",
                )
            )
    with project.read() as session:
        rows = grid.answer_rows(session, [docs["R_1"], docs["R_2"]], "tester")
        shape = grid.grid_shape(session)
    r1, r2 = rows[docs["R_1"]], rows[docs["R_2"]]
    assert (r1.name, r1.case, r1.attributes) == ("R_1", "R_1", {"size_class": "<20.000"})
    assert r1.codes == (codes["Arbeidsmarkt"], codes["Digitalisering"])  # in the order given
    # pending: highest score first; codes the coder already gave are not repeated
    assert r1.pending == (codes["Omgevingswet"], codes["Leiderschap"])
    assert r2.preview == "Leiderschap en hybride werken" and r2.length == len(
        "Leiderschap   en\nhybride werken"
    )
    assert r2.codes == () and r2.pending == ()
    assert shape.attributes == {"size_class": len("20.000-50.000")}
    assert shape.name_width == 3 and shape.total == 4
    with project.read() as session:
        assert grid.existing(session, [docs["R_1"], docs["interview"], 99_999]) == {docs["R_1"]}
        assert grid.answer_rows(session, [], "tester") == {}


def test_number_keys_first_nine_themes_or_pinned(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    with project.read() as session:
        tree = queries.codebook_tree(session)
        keys, pinned = grid.key_codes(session, "tester", tree)
    assert not pinned
    assert keys == [
        codes[n] for n in ("Digitalisering", "Arbeidsmarkt", "Omgevingswet", "Leiderschap")
    ]
    assert grid.set_pinned_codes(
        project, [codes["Omgevingswet"], codes["Context"], codes["Omgevingswet"]]
    ) == [
        codes["Omgevingswet"],
        codes["Context"],
    ]
    with project.read() as session:
        assert grid.key_codes(session, "tester", tree) == (
            [codes["Omgevingswet"], codes["Context"]],
            True,
        )
        assert grid.key_codes(session, "bram", tree)[1] is False  # pins are per coder
    # pinning is a preference: undo skips it and takes back the last coding instead
    coding.toggle_whole_document_coding(project, docs["R_2"], codes["Leiderschap"])
    grid.set_pinned_codes(project, [codes["Leiderschap"]])
    project.undo()
    assert codings(project, docs["R_2"]) == []
    with project.read() as session:
        assert grid.pinned_codes(session, "tester") == [codes["Leiderschap"]]
    with pytest.raises(UserError, match="at most 9"):
        grid.set_pinned_codes(project, range(1, 11))
    with pytest.raises(UserError, match="no longer exists"):
        grid.set_pinned_codes(project, [99_999])
    grid.set_pinned_codes(project, [])
    with project.read() as session:
        assert grid.key_codes(session, "tester", tree)[1] is False


def test_sticky_ids_keep_shown_rows_and_the_change_mark_moves(survey) -> None:  # type: ignore[no-untyped-def]
    project, docs, codes = survey
    uncoded = grid.GridFilter(status=grid.UNCODED)
    with project.read() as session:
        shown = grid.answer_ids(session, "tester", uncoded)
        mark = grid.change_mark(session)
    assert shown == [docs[n] for n in ("R_1", "R_2", "R_3", "R_4")]
    coding.toggle_whole_document_coding(project, docs["R_1"], codes["Digitalisering"])
    with project.read() as session:
        assert grid.change_mark(session) > mark
        assert grid.answer_ids(session, "tester", uncoded) == shown[1:]
        # the coded answer stays on screen until the filters change
        assert grid.sticky_ids(session, "tester", uncoded, shown) == shown
        # a row that no longer exists (or is no survey answer) goes
        assert (
            grid.sticky_ids(session, "tester", uncoded, [*shown, docs["interview"], 99_999])
            == shown
        )


def test_grid_core_imports_without_textual() -> None:
    """The grid's core (and the coding it calls) must not need the UI: the CLI uses it too."""
    import subprocess
    import sys

    code = "import sys\nsys.modules['textual'] = None\nsys.modules['rich'] = None\nimport lo_codebook.core.grid, lo_codebook.core.coding"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
