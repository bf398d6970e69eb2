"""Undo and unmerge take back only what their log entry still owns.

When later work (anyone's) builds on it, they refuse with one line naming that work, and
nothing changes. Two undos at once by one coder reverse two actions, one after the other.
On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lo_codebook.core.codebook import create_code, delete_code, rename_code, update_code
from lo_codebook.core.coding import code_span, import_codings, remove_coding
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.merge import merge_codebook, unmerge
from lo_codebook.core.project import Project
from lo_codebook.core.suggest_service import decide
from lo_codebook.db.engine import WRITE_OPTION
from lo_codebook.db.models import (
    AuditEntry,
    Case,
    Code,
    Coder,
    Coding,
    Document,
    Suggestion,
)
from lo_codebook.errors import UserError

from .conftest import SAMPLE, run_cli

INTERVIEW = SAMPLE / "interviews" / "interview_01_lindewaard.txt"


@pytest.fixture
def team(db_url: str) -> Iterator[dict[str, Project]]:
    """Anna and Bram (and Carla) on one project, each with their own connections."""
    people = {name: Project.open(db_url, name) for name in ("anna", "bram", "carla")}
    yield people
    for project in people.values():
        project.close()


def count(project: Project, model: type) -> int:
    with project.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def entries(project: Project) -> list[tuple[int, str, str, bool]]:
    with project.read() as session:
        return [
            tuple(row)  # type: ignore[misc]
            for row in session.execute(
                select(
                    AuditEntry.id, AuditEntry.coder, AuditEntry.action, AuditEntry.undone
                ).order_by(AuditEntry.id)
            )
        ]


def last_id(project: Project) -> int:
    with project.read() as session:
        return int(session.scalar(select(func.max(AuditEntry.id))) or 0)


def survey(tmp_path: Path) -> Path:
    path = tmp_path / "enquete.csv"
    path.write_text(
        "id,antwoord\nR1,Meer aandacht voor vitaliteit en werkdruk\nR2,Leiderschap en digitalisering\n",
        encoding="utf-8",
    )
    return path


def documents(project: Project) -> dict[str, int]:
    with project.read() as session:
        return dict(session.execute(select(Document.name, Document.id)).all())


def test_undo_refuses_to_remove_another_coders_codings(
    team: dict[str, Project], tmp_path: Path
) -> None:
    anna, bram = team["anna"], team["bram"]
    code = create_code(anna, "Vitaliteit")
    import_survey(anna, survey(tmp_path), id_col="id", text_cols=["antwoord"])
    imported = last_id(anna)
    bram_entries = []
    for doc_id in documents(anna).values():
        code_span(bram, doc_id, 0, 5, code)
        bram_entries.append(last_id(bram))
    log = entries(anna)

    expected = (
        f"undo #{imported} would remove 2 codings by bram (#{bram_entries[0]}, #{bram_entries[1]}); "
        "undo those first"
    )
    with pytest.raises(UserError) as refused:
        anna.undo()
    assert str(refused.value) == expected
    assert (count(anna, Document), count(anna, Case), count(anna, Coding)) == (2, 2, 2)
    assert entries(anna) == log  # nothing undone, nothing logged

    cli = run_cli("--db", anna.url, "--coder", "anna", "undo")
    assert cli.code == 1 and cli.err == f"lo-codebook: error: {expected}\n", cli.err
    assert entries(anna) == log

    # Once Bram has taken back his codings, Anna's undo goes through, and redo restores it.
    bram.undo()
    bram.undo()
    assert "import-survey" in anna.undo()
    assert (count(anna, Document), count(anna, Case), count(anna, Coding)) == (0, 0, 0)
    anna.undo(redo=True)
    assert (count(anna, Document), count(anna, Case)) == (2, 2)


def test_unmerge_refuses_to_remove_another_coders_codings(
    team: dict[str, Project], tmp_path: Path
) -> None:
    anna, bram = team["anna"], team["bram"]
    import_files(anna, [INTERVIEW])
    werkdruk = create_code(anna, "Werkdruk", keywords=["drukte"])
    source = tmp_path / "bram.csv"
    source.write_text(
        "name,parent,description,keywords\nwerkdruk,,,overbelasting\nThuiswerken,,,thuis\n",
        encoding="utf-8",
    )
    _plan, report = merge_codebook(anna, source)
    assert report.codes_added == ["Thuiswerken"] and report.entry_id is not None
    with anna.read() as session:
        thuis = session.scalars(select(Code.id).where(Code.name == "Thuiswerken")).one()
    doc_id = documents(anna)["interview_01_lindewaard"]
    code_span(bram, doc_id, 0, 10, werkdruk)  # on a code the merge only changed
    code_span(bram, doc_id, 20, 30, thuis)  # on a code the merge added
    on_added = last_id(bram)
    log = entries(anna)

    with pytest.raises(UserError) as refused:
        unmerge(anna)
    assert str(refused.value) == (
        f"unmerge #{report.entry_id} would remove 1 coding by bram (#{on_added}); undo those first"
    )
    assert count(anna, Coding) == 2 and entries(anna) == log

    bram.undo()
    assert f"#{report.entry_id} merge-codebook" in unmerge(anna)
    with anna.read() as session:
        names = set(session.scalars(select(Code.name)))
        kept = session.execute(select(Coding.code_id, Coding.start, Coding.end)).all()
        keywords = session.get(Code, werkdruk).keywords  # type: ignore[union-attr]
    assert names == {"Werkdruk"} and keywords == ["drukte"]
    assert kept == [(werkdruk, 0, 10)]  # Bram's coding on the merged code stays


def test_undo_refuses_to_overwrite_or_remove_what_others_changed(team: dict[str, Project]) -> None:
    anna, bram = team["anna"], team["bram"]
    code = create_code(anna, "Werkdruk")
    created = last_id(anna)
    rename_code(anna, code, "Werkbelasting")
    renamed = last_id(anna)
    update_code(bram, code, description="te veel werk")  # another column: no conflict
    rename_code(bram, code, "Druk")
    bram_rename = last_id(bram)
    log = entries(anna)
    with pytest.raises(UserError) as refused:
        anna.undo()
    assert str(refused.value) == (
        f"undo #{renamed} would overwrite 1 code changed by bram (#{bram_rename}); undo those first"
    )
    with pytest.raises(UserError) as refused:
        anna.undo(entry_id=created)
    assert str(refused.value).startswith(f"undo #{created} would remove 1 code changed by bram (#")
    assert entries(anna) == log
    bram.undo()  # his rename
    anna.undo()  # her rename: his description stays
    with anna.read() as session:
        row = session.get(Code, code)
        assert row is not None and (row.name, row.description) == ("Werkdruk", "te veel werk")


def test_what_others_undid_again_does_not_block(team: dict[str, Project]) -> None:
    anna, bram = team["anna"], team["bram"]
    kept = create_code(anna, "Werkdruk")
    code = create_code(anna, "Thuiswerken")
    rename_code(bram, code, "Thuis werken")
    bram.undo()  # his rename is taken back: the code is Anna's as she made it
    delete_code(bram, code)
    bram.undo()  # put back as it was
    assert "code-add" in anna.undo()
    with anna.read() as session:
        assert list(session.scalars(select(Code.id))) == [kept]


def test_undo_refuses_to_restore_into_what_others_deleted(team: dict[str, Project]) -> None:
    anna, bram = team["anna"], team["bram"]
    import_files(anna, [INTERVIEW])
    doc_id = documents(anna)["interview_01_lindewaard"]
    code = create_code(anna, "Werkdruk")
    coding = code_span(anna, doc_id, 0, 10, code)
    remove_coding(anna, coding)
    removed = last_id(anna)
    delete_code(bram, code)
    deleted = last_id(bram)
    with pytest.raises(UserError) as refused:
        anna.undo()
    assert str(refused.value) == (
        f"undo #{removed} would need 1 code deleted by bram (#{deleted}); undo those first"
    )
    bram.undo()
    anna.undo()
    assert count(anna, Coding) == 1


def test_undo_refuses_to_remove_others_decisions_but_takes_pending_suggestions_along(
    team: dict[str, Project],
) -> None:
    anna, bram = team["anna"], team["bram"]
    code = create_code(anna, "Werkdruk")
    import_files(anna, [INTERVIEW])
    imported = last_id(anna)
    doc_id = documents(anna)["interview_01_lindewaard"]
    with anna.write("suggest", undoable=False) as unit:  # what `suggest` stores: not undoable
        unit.session.add_all(
            Suggestion(
                document_id=doc_id, code_id=code, start=k, end=k + 5, score=80.0, method="keyword"
            )
            for k in range(0, 30, 10)
        )
    with anna.read() as session:
        first = session.scalars(select(Suggestion.id).order_by(Suggestion.id)).first()
    assert first is not None
    decide(bram, [first], accept=False)
    rejected = last_id(bram)
    with pytest.raises(UserError) as refused:
        anna.undo(entry_id=imported)
    assert str(refused.value) == (
        f"undo #{imported} would remove 1 decided suggestion by bram (#{rejected}); undo those first"
    )
    assert count(anna, Suggestion) == 3
    bram.undo()
    anna.undo()  # the import: the pending suggestions are derived data and go with it
    assert (count(anna, Document), count(anna, Suggestion)) == (0, 0)
    anna.undo(redo=True)  # ...and come back with it
    assert (count(anna, Document), count(anna, Suggestion)) == (1, 3)


def test_undo_keeps_a_coder_who_has_other_work(team: dict[str, Project], tmp_path: Path) -> None:
    anna, carla = team["anna"], team["carla"]
    import_files(anna, [INTERVIEW])
    code = create_code(anna, "Werkdruk")
    codings = tmp_path / "codings.csv"
    codings.write_text(
        "document,code,start,end\ninterview_01_lindewaard,Werkdruk,0,10\n", encoding="utf-8"
    )
    with anna.read() as session:
        assert session.scalar(select(Coder).where(Coder.name == "dirk")) is None
    import_codings(anna, codings, coder="dirk")  # makes coder dirk
    imported = last_id(anna)
    dirk = Project(anna.engine, "dirk", anna.url)
    code_span(dirk, documents(anna)["interview_01_lindewaard"], 20, 30, code)
    anna.undo(entry_id=imported)  # dirk's own coding, and so dirk, stay
    with anna.read() as session:
        rows = session.execute(
            select(Coder.name, Coding.start).join(Coding, Coding.coder_id == Coder.id)
        ).all()
    assert rows == [("dirk", 20)]
    assert carla  # unused third coder


def test_merge_unmerge_redo_unmerge(team: dict[str, Project], tmp_path: Path) -> None:
    anna = team["anna"]
    create_code(anna, "Werkdruk")
    source = tmp_path / "bram.csv"
    source.write_text("name,parent,description,keywords\nThuiswerken,,,thuis\n", encoding="utf-8")
    _plan, report = merge_codebook(anna, source)
    unmerge(anna)
    anna.undo(redo=True)
    assert count(anna, Code) == 2
    message = unmerge(anna)  # the merge is in effect again (through the redo): unmerge it
    assert f"#{report.entry_id} merge-codebook" in message
    assert count(anna, Code) == 1
    log = entries(anna)
    merge, undo, redo, again = log[-4:]
    assert (merge[2], undo[2], redo[2], again[2]) == ("merge-codebook", "undo", "redo", "undo")
    # The merge and its redo are undone; the first unmerge is in effect again.
    assert (merge[3], undo[3], redo[3], again[3]) == (True, False, True, False)
    with pytest.raises(UserError, match="no merge"):
        unmerge(anna)
    anna.undo(redo=True)
    assert count(anna, Code) == 2


def _holder(project: Project) -> Session:
    """A write transaction of someone else: SQLite's write lock, row locks on PostgreSQL."""
    return Session(project.engine.execution_options(**{WRITE_OPTION: True}))


def test_two_undos_at_once_undo_two_actions(team: dict[str, Project], db_url: str) -> None:
    anna = team["anna"]
    first_code = create_code(anna, "Werkdruk")
    first = last_id(anna)
    second_code = create_code(anna, "Thuiswerken")
    second = last_id(anna)
    # Two of Anna's windows press undo at the same moment, while a third write holds things up.
    windows = [Project.open(db_url, "anna"), Project.open(db_url, "anna")]
    results: list[str] = []
    errors: list[BaseException] = []

    def press(window: Project) -> None:
        try:
            results.append(window.undo())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    holder = _holder(anna)
    holder.execute(select(AuditEntry).where(AuditEntry.id == second).with_for_update())
    holder.execute(select(Code).where(Code.id.in_([first_code, second_code])).with_for_update())
    threads = [threading.Thread(target=press, args=(w,)) for w in windows]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    holder.rollback()
    holder.close()
    for thread in threads:
        thread.join(timeout=60)
    for window in windows:
        window.close()
    assert not errors, errors
    # Undo messages say in words what they reversed, ending with the log line: (#12 code-add).
    assert sorted(r.rpartition("(")[2].split(" ")[0] for r in results) == [
        f"#{first}",
        f"#{second}",
    ]
    with anna.read() as session:
        undone = sorted(
            session.scalars(select(AuditEntry.undoes_id).where(AuditEntry.action == "undo"))
        )
    assert undone == [first, second]
    assert count(anna, Code) == 0
    anna.undo(redo=True)
    anna.undo(redo=True)
    assert count(anna, Code) == 2


def test_undo_waits_for_a_coding_in_progress_and_then_refuses(team: dict[str, Project]) -> None:
    """Bram is coding Anna's document (not committed yet) when she presses undo: her undo waits
    for him (row lock / write lock), then sees his coding and refuses; nothing is lost."""
    anna, bram = team["anna"], team["bram"]
    code = create_code(anna, "Werkdruk")
    import_files(anna, [INTERVIEW])
    imported = last_id(anna)
    doc_id = documents(anna)["interview_01_lindewaard"]
    outcome: list[str] = []

    def press() -> None:
        try:
            outcome.append("undone: " + anna.undo())
        except UserError as exc:
            outcome.append(str(exc))

    with bram.write("code") as unit:
        unit.session.add(
            Coding(document_id=doc_id, code_id=code, coder_id=unit.coder.id, start=0, end=9)
        )
        unit.session.flush()
        unit.summary = "interview_01_lindewaard 0-9: Werkdruk"
        thread = threading.Thread(target=press)
        thread.start()
        time.sleep(1.0)
        assert thread.is_alive()  # Anna's undo waits for Bram's transaction
    thread.join(timeout=60)
    assert outcome == [
        f"undo #{imported} would remove 1 coding by bram (#{imported + 1}); undo those first"
    ]
    assert (count(anna, Document), count(anna, Coding)) == (1, 1)
