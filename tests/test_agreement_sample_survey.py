"""Inter-coder agreement on the sample survey: kappa and alpha checked by hand, JSON, CLI, segments."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from sqlalchemy import select

from lo_codebook.core.agreement_service import (
    compute_agreement,
    compute_cooccurrence,
    sentence_spans,
)
from lo_codebook.core.codebook import create_code, import_codebook
from lo_codebook.core.coding import import_codings
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.db.models import Code, Document
from lo_codebook.errors import UserError

from .conftest import SAMPLE, run_cli

# The assertions read the English lines of the CLI (see `english_output`).
pytestmark = pytest.mark.usefixtures("english_output")

SURVEY = SAMPLE / "survey" / "lo_enquete_qualtrics.csv"
GOLD = SAMPLE / "survey" / "gold.csv"
CODEBOOK = SAMPLE / "codebook.csv"
GENERAL = "Algemeen"  # coded by both coders on every document: kappa undefined (no variation)
NEITHER = "Projectmatig werken"  # left out by both coders: kappa undefined (no variation)


def _gold() -> list[tuple[str, str]]:
    with GOLD.open(encoding="utf-8", newline="") as handle:
        return [(r["respondent_id"], r["code"]) for r in csv.DictReader(handle)]


def coder_sets() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Coder A = gold; coder B = gold with systematic differences (as in real double coding)."""
    gold = [(r, c) for r, c in _gold() if c != NEITHER]
    respondents = sorted({r for r, _ in gold})
    a = set(gold) | {(r, GENERAL) for r in respondents}
    skipped = set(respondents[::5])  # B did not get to every fifth respondent
    b: set[tuple[str, str]] = set()
    leader = 0
    agile = 0
    for r, c in sorted(gold):
        if r in skipped:
            continue
        if c == "Integriteit":
            continue  # B never uses Integriteit
        if c == "Leiderschap":
            leader += 1
            if leader % 3 == 0:
                continue  # B misses every third Leiderschap
        if c == "Wendbaarheid":
            agile += 1
            if agile % 2 == 0:
                b.add((r, "Digitale vaardigheden"))  # B reads half of them as a skill
                continue
        if c == "Communicatieve vaardigheden":
            b.add((r, "Samenwerken"))  # B adds Samenwerken wherever communication is coded
        b.add((r, c))
    b |= {(r, GENERAL) for r in respondents if r not in skipped}
    return a, b


def _write(path: Path, pairs: set[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", "code"])
        writer.writerows(sorted(pairs))
    return path


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    import_survey(project, SURVEY, id_col="ResponseId", text_cols=["Q4"])
    import_codebook(project, CODEBOOK)
    create_code(project, GENERAL)
    a, b = coder_sets()
    import_codings(project, _write(tmp_path / "a.csv", a), coder="Anna")
    import_codings(project, _write(tmp_path / "b.csv", b), coder="Bram")
    return project


def textbook_kappa(a_docs: set[str], b_docs: set[str], units: list[str]) -> float | None:
    """Cohen's kappa from the 2x2 table: (p_o - p_e) / (1 - p_e); None when p_e = 1."""
    n = len(units)
    both = sum(1 for u in units if u in a_docs and u in b_docs)
    only_a = sum(1 for u in units if u in a_docs and u not in b_docs)
    only_b = sum(1 for u in units if u not in a_docs and u in b_docs)
    neither = n - both - only_a - only_b
    p_o = (both + neither) / n
    p_yes = ((both + only_a) / n) * ((both + only_b) / n)
    p_no = ((only_b + neither) / n) * ((only_a + neither) / n)
    p_e = p_yes + p_no
    if abs(1 - p_e) < 1e-15:
        return None
    return (p_o - p_e) / (1 - p_e)


def _leaf_codes(project: Project) -> list[str]:
    with project.read() as session:
        codes = session.scalars(select(Code)).all()
        return [c.name for c in codes if not c.children]


def test_kappa_and_alpha_match_hand_computation(coded: Project) -> None:
    a, b = coder_sets()
    report = compute_agreement(coded, ("Anna", "Bram"))
    result = report.result
    common = sorted({r for r, _ in a} & {r for r, _ in b})
    assert report.documents == common
    assert len(common) < len({r for r, _ in a})  # B skipped some: only shared documents count
    codes = list(result.per_code)
    assert set(codes) == set(_leaf_codes(coded))  # every theme, categories left out
    for code in codes:
        a_docs = {r for r, c in a if c == code}
        b_docs = {r for r, c in b if c == code}
        expected = textbook_kappa(a_docs, b_docs, common)
        got = result.per_code[code]
        assert got.n == len(common)
        if expected is None:
            assert got.kappa is None and got.kappa_note, code
        else:
            assert got.kappa == pytest.approx(expected, abs=1e-9), code
        agreement = sum(1 for u in common if (u in a_docs) == (u in b_docs)) / len(common)
        assert got.agreement == pytest.approx(agreement, abs=1e-12)
    # The systematic differences show up where they were made.
    assert result.per_code["Integriteit"].kappa == pytest.approx(0.0, abs=1e-12)
    assert 0 < result.per_code["Leiderschap"].kappa < 1
    assert result.per_code["Omgevingswet"].kappa == pytest.approx(1.0)
    # Undefined: a code neither coder used, and a code both used on every document.
    for code in (NEITHER, GENERAL):
        assert result.per_code[code].kappa is None
        assert "no variation" in (result.per_code[code].kappa_note or "")
    # Krippendorff's alpha over document x code presence values, computed independently:
    # `alpha` over the codes at least one coder applied on the common documents,
    # `alpha_all_codes` over every compared code.
    used = [code for code in codes if any((doc, code) in a | b for doc in common)]
    assert NEITHER not in used and GENERAL in used and len(used) < len(codes)

    def package_alpha(over: list[str]) -> float:
        data = np.array(
            [
                [1.0 if (doc, code) in coder else 0.0 for doc in common for code in over]
                for coder in (a, b)
            ]
        )
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))

    assert result.alpha == pytest.approx(package_alpha(used), abs=1e-9)
    assert result.alpha_all_codes == pytest.approx(package_alpha(codes), abs=1e-9)
    assert list(result.codes_used) == used
    assert (
        report.describe_unit()
        == f"unit: document x code, {len(common)} documents, {len(used)} codes used of {len(codes)}"
    )
    print(
        f"survey: alpha={result.alpha:.6f} (codes used: {len(used)}), alpha_all_codes={result.alpha_all_codes:.6f} "
        f"({len(codes)} codes), kappa Leiderschap={result.per_code['Leiderschap'].kappa:.6f}"
    )


def test_unused_codes_change_alpha_all_codes_not_alpha(coded: Project) -> None:
    before = compute_agreement(coded, ("Anna", "Bram")).result
    for name in ("Ongebruikt 1", "Ongebruikt 2", "Ongebruikt 3", "Ongebruikt 4", "Ongebruikt 5"):
        create_code(coded, name)
    after = compute_agreement(coded, ("Anna", "Bram")).result
    assert after.n_codes == before.n_codes + 5
    assert after.codes_used == before.codes_used
    assert after.alpha == pytest.approx(before.alpha, abs=1e-12)
    assert after.alpha_all_codes is not None and before.alpha_all_codes is not None
    assert after.alpha_all_codes > before.alpha_all_codes
    print(
        f"5 unused codes added: alpha {before.alpha:.6f} -> {after.alpha:.6f}; "
        f"alpha_all_codes {before.alpha_all_codes:.6f} -> {after.alpha_all_codes:.6f}"
    )


def test_json_shape_and_cli(coded: Project) -> None:
    db = coded.url
    out = run_cli("--db", db, "agreement", "--coders", "Anna,Bram", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert {"alpha", "alpha_all_codes", "n_documents", "per_code"} <= set(data)
    assert isinstance(data["alpha"], float) and isinstance(data["n_documents"], int)
    assert isinstance(data["alpha_all_codes"], float)
    report = compute_agreement(coded, ("Anna", "Bram"))
    assert data["n_documents"] == len(report.documents)
    assert data["alpha"] == pytest.approx(report.result.alpha, abs=1e-12)
    assert data["alpha_all_codes"] == pytest.approx(report.result.alpha_all_codes, abs=1e-12)
    assert data["unit_description"] == report.describe_unit()
    assert data["unit_description"].startswith("unit: document x code, ")
    for code, values in data["per_code"].items():
        assert {"kappa", "agreement", "n"} <= set(values), code
        assert isinstance(values["n"], int)
        assert values["kappa"] is None or isinstance(values["kappa"], float)
    assert data["per_code"][NEITHER]["kappa"] is None
    assert data["per_code"][GENERAL]["kappa"] is None
    assert all({"document", "code", "coded_by"} <= set(d) for d in data["disagreements"])
    assert any(
        d["code"] == "Integriteit" and d["coded_by"] == "Anna" for d in data["disagreements"]
    )

    table = run_cli("--db", db, "agreement", "--coders", "Anna,Bram", "--disagreements")
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert any(line.startswith(NEITHER) and "undefined (no variation)" in line for line in lines)
    assert any(line.startswith(GENERAL) and "undefined (no variation)" in line for line in lines)
    assert "Krippendorff's alpha (nominal), codes used: 0." in table.out
    assert "Krippendorff's alpha (nominal), all codes: 0." in table.out
    assert report.describe_unit() in lines
    assert "To discuss:" in table.out
    doc_with_integrity = next(
        d["document"] for d in data["disagreements"] if d["code"] == "Integriteit"
    )
    assert any(doc_with_integrity in line and "Integriteit" in line for line in lines)


@pytest.mark.parametrize(
    ("coders", "needle"),
    [
        ("Anna,Nobody", "unknown coder 'Nobody'"),
        ("Anna", "two different coder names"),
        ("Anna,Anna", "two different"),
    ],
)
def test_cli_errors_are_one_line(coded: Project, coders: str, needle: str) -> None:
    out = run_cli("--db", coded.url, "agreement", "--coders", coders)
    assert out.code == 1
    assert out.err.count("\n") == 1 and needle in out.err and "Traceback" not in out.err
    assert out.out == ""


def test_coders_without_shared_documents(project: Project, tmp_path: Path) -> None:
    import_survey(project, SURVEY, id_col="ResponseId", text_cols=["Q4"])
    import_codebook(project, CODEBOOK)
    gold = _gold()
    first = sorted({r for r, _ in gold})[:10]
    import_codings(
        project, _write(tmp_path / "a.csv", {p for p in gold if p[0] in first[:5]}), coder="A"
    )
    import_codings(
        project, _write(tmp_path / "b.csv", {p for p in gold if p[0] in first[5:]}), coder="B"
    )
    with pytest.raises(UserError, match="no coded document in common"):
        compute_agreement(project, ("A", "B"))
    out = run_cli("--db", project.url, "agreement", "--coders", "A,B")
    assert out.code == 1 and out.err.count("\n") == 1


def test_segment_units_on_transcripts(project: Project) -> None:
    import_files(
        project,
        [
            SAMPLE / "interviews" / "interview_01_lindewaard.txt",
            SAMPLE / "interviews" / "interview_02_oosterbroek.txt",
        ],
    )
    a_code = create_code(project, "Werkdruk")
    b_code = create_code(project, "Leren")
    with project.read() as session:
        docs = session.scalars(select(Document).order_by(Document.name)).all()
        segs = {d.id: [(s.start, s.end) for s in d.segments] for d in docs}
        doc_ids = [d.id for d in docs]
    d1, d2 = doc_ids
    # Anna codes Werkdruk on turns 2 and 3 of doc 1 (one coding spanning both), and doc 2 turn 1.
    # Bram codes Werkdruk inside turn 3 only and on doc 2 turn 1; Leren by both on doc 1 turn 5.
    s1, s2 = segs[d1], segs[d2]
    anna = Project(project.engine, "Anna", project.url)
    bram = Project(project.engine, "Bram", project.url)
    from lo_codebook.core.coding import code_span

    code_span(anna, d1, s1[2][0], s1[3][1], a_code)
    code_span(anna, d2, s2[1][0], s2[1][0] + 5, a_code)
    code_span(anna, d1, s1[5][0], s1[5][1], b_code)
    code_span(bram, d1, s1[3][0] + 1, s1[3][0] + 3, a_code)
    code_span(bram, d2, s2[1][0], s2[1][1], a_code)
    code_span(bram, d1, s1[5][0] + 2, s1[5][1], b_code)
    report = compute_agreement(project, ("Anna", "Bram"), unit="segment")
    result = report.result
    units = [(d, s, e) for d in (d1, d2) for s, e in segs[d]]
    assert result.n_units == len(units)
    a_units = {(d1, *s1[2]), (d1, *s1[3]), (d2, *s2[1])}
    b_units = {(d1, *s1[3]), (d2, *s2[1])}
    expected = textbook_kappa(
        {str(u) for u in a_units}, {str(u) for u in b_units}, [str(u) for u in units]
    )
    assert result.per_code["Werkdruk"].kappa == pytest.approx(expected, abs=1e-9)
    assert result.per_code["Leren"].kappa == pytest.approx(1.0)
    (only,) = report.disagreements()
    assert (
        only["document"] == docs[0].name
        and only["code"] == "Werkdruk"
        and only["coded_by"] == "Anna"
    )
    assert (only["start"], only["end"]) == s1[2]
    data = report.to_json()
    assert data["n_documents"] == 2 and data["n_units"] == len(units)
    assert (
        data["unit_description"]
        == f"unit: segment x code, {len(units)} segments in 2 documents, 2 codes used of 2"
    )


def test_documents_without_segments_use_sentences(project: Project) -> None:
    text = (
        "Eerste zin over werkdruk. Tweede zin over leren!\nDerde regel zonder punt\n\nVierde? Ja."
    )
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Eerste zin over werkdruk.",
        "Tweede zin over leren!",
        "Derde regel zonder punt",
        "Vierde?",
        "Ja.",
    ]
    assert sentence_spans("   ") == [(0, 3)]
    code = create_code(project, "Werkdruk")
    with project.write("test") as unit:
        doc = Document(
            name="memo", kind="text", source_format="txt", text=text, content_hash="x", words=14
        )
        unit.session.add(doc)
        unit.session.flush()
        doc_id = doc.id
    from lo_codebook.core.coding import code_span

    code_span(Project(project.engine, "A", project.url), doc_id, 0, 10, code)
    code_span(Project(project.engine, "B", project.url), doc_id, 27, 30, code)
    result = compute_agreement(project, ("A", "B"), unit="segment").result
    assert result.n_units == 5
    ca = result.per_code["Werkdruk"]
    assert (ca.both, ca.only_a, ca.only_b, ca.neither) == (0, 1, 1, 3)


def test_cooccurrence_per_coder(coded: Project) -> None:
    a, b = coder_sets()
    co_b = compute_cooccurrence(coded, coder="Bram")
    labels = co_b.labels
    for i, label in enumerate(labels):
        assert co_b.matrix.iat[i, i] == len({r for r, c in b if c == label})
    sw, cv = labels.index("Samenwerken"), labels.index("Communicatieve vaardigheden")
    both_b = {r for r, c in b if c == "Samenwerken"} & {
        r for r, c in b if c == "Communicatieve vaardigheden"
    }
    assert co_b.matrix.iat[sw, cv] == len(both_b)
    out = run_cli("--db", coded.url, "cooccurrence", "--coder", "Anna", "--format", "json")
    assert out.code == 0, out.err
    data = json.loads(out.out)
    assert data["coder"] == "Anna" and data["codes"]["Integriteit"] == len(
        {r for r, c in a if c == "Integriteit"}
    )
    assert all(set(p) == {"code_a", "code_b", "documents"} for p in data["pairs"])
    missing = run_cli("--db", coded.url, "cooccurrence", "--coder", "Nobody")
    assert missing.code == 1 and "unknown coder" in missing.err
