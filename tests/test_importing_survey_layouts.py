"""Survey exports with more than one header row: Qualtrics (legacy V1…, 2016 Insights, current),
SurveyMonkey and LimeSurvey, as csv and xlsx. Their shapes follow the tools' exports; the
answers are our own. No header row may ever become a respondent."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from lo_codebook.ingest.survey import read_survey

from .conftest import run_cli

THEMES = "Wat zijn belangrijke thema's voor het L&O-aanbod?"
MISSING = "Wat mist u in het huidige aanbod?"
ANSWERS = [
    ("Vitaliteit en werkdruk", "Meer tijd om te leren"),
    ("Leiderschap, ook voor teamleiders", ""),
    ("Hybride werken", "Coaching op de werkvloer"),
]


def rows_to_csv(rows: list[list[str]], *, quote_all: bool = False, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue()


def save(tmp_path: Path, name: str, rows: list[list[str]], **kwargs: object) -> Path:
    path = tmp_path / name
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        for row in rows:
            workbook.active.append(row)
        workbook.save(path)
    else:
        path.write_text(rows_to_csv(rows, **kwargs), encoding="utf-8-sig")  # type: ignore[arg-type]
    return path


# -- Qualtrics legacy (before 2016): V1… ids in row 1, field names and questions in row 2 ----

LEGACY_FIELDS = [
    "ResponseID", "ResponseSet", "Name", "ExternalDataReference", "EmailAddress",
    "IPAddress", "Status", "StartDate", "EndDate", "Finished",
]  # fmt: skip


def legacy_rows() -> list[list[str]]:
    header = [f"V{i}" for i in range(1, 11)] + ["Q1", "Q2", "Q3", "LocationLatitude"]
    questions = [
        *LEGACY_FIELDS,
        "In welke provincie ligt uw gemeente?",
        THEMES,
        MISSING,
        "LocationLatitude",
    ]
    rows = [header, questions]
    for n, (themes, missing) in enumerate(ANSWERS, start=1):
        rows.append(
            [f"R_0legacy{n}", "Default Response Set", "Anonymous", "", "", "", "0",
             "2015-05-04 10:00:00", "2015-05-04 10:09:00", "1", "Utrecht", themes, missing, "52.09"]
        )  # fmt: skip
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("qualtrics", [None, True])
def test_qualtrics_legacy_layout(tmp_path: Path, suffix: str, qualtrics: bool | None) -> None:
    path = save(tmp_path, f"legacy{suffix}", legacy_rows())
    result = read_survey(path, "V1", ["Q2", "Q3"], ["Q1=provincie"], qualtrics=qualtrics)
    assert result.layout == "qualtrics-legacy" and result.qualtrics
    assert [c.name for c in result.cases] == ["R_0legacy1", "R_0legacy2", "R_0legacy3"]
    assert result.header_rows == [2]
    assert result.question_labels["Q2"] == THEMES and result.question_labels["V1"] == "ResponseID"
    assert [d.name for d in result.documents][:2] == ["R_0legacy1/Q2", "R_0legacy1/Q3"]
    # Row 2's names work as column names too: the field name, and a question text.
    by_label = read_survey(path, "ResponseID", [THEMES], qualtrics=qualtrics)
    assert [d.name for d in by_label.documents] == ["R_0legacy1", "R_0legacy2", "R_0legacy3"]


def test_v_columns_without_qualtrics_field_names_are_data(tmp_path: Path) -> None:
    """An SPSS-style sheet with V1, V2 columns is not a legacy Qualtrics export."""
    path = save(tmp_path, "spss.csv", [["V1", "V2"], ["r1", "Goed"], ["r2", "Slecht"]])
    result = read_survey(path, "V1", ["V2"])
    assert result.layout == "plain" and [c.name for c in result.cases] == ["r1", "r2"]


# -- Qualtrics 2016 ("Insights"): ImportId dicts with single quotes -------------------------


def qualtrics_rows(quote: str) -> list[list[str]]:
    ids = ["StartDate", "EndDate", "Status", "Progress", "Finished", "ResponseId", "Q1", "Q3", "Q4"]
    texts = ["Start Date", "End Date", "Response Type", "Progress", "Finished", "Response ID",
             "In welke provincie ligt uw gemeente?", THEMES, MISSING]  # fmt: skip
    imports = [
        "startDate",
        "endDate",
        "status",
        "progress",
        "finished",
        "_recordId",
        "QID1",
        "QID3_TEXT",
        "QID4_TEXT",
    ]
    q = quote
    import_row = [
        f"{{{q}ImportId{q}: {q}{value}{q}, {q}timeZone{q}: {q}Europe/Amsterdam{q}}}"
        if value.endswith("Date") else f"{{{q}ImportId{q}: {q}{value}{q}}}"
        for value in imports
    ]  # fmt: skip
    rows = [ids, texts, import_row]
    for n, (themes, missing) in enumerate(ANSWERS, start=1):
        rows.append(
            [
                "2016-09-01 09:00:00",
                "2016-09-01 09:07:00",
                "0",
                "100",
                "1",
                f"R_2016x{n}",
                "Drenthe",
                themes,
                missing,
            ]
        )
    return rows


@pytest.mark.parametrize(("quote", "kind"), [("'", "qualtrics-2016"), ('"', "qualtrics")])
@pytest.mark.parametrize("qualtrics", [None, True])
def test_qualtrics_2016_and_current_import_id_rows(
    tmp_path: Path, quote: str, kind: str, qualtrics: bool | None
) -> None:
    path = save(tmp_path, "export.csv", qualtrics_rows(quote))
    result = read_survey(path, "ResponseId", ["Q3"], ["Q1=provincie"], qualtrics=qualtrics)
    assert result.layout == kind
    assert [c.name for c in result.cases] == ["R_2016x1", "R_2016x2", "R_2016x3"]
    assert result.header_rows == [2, 3]
    assert result.documents[0].question == THEMES


def test_qualtrics_2016_xlsx(tmp_path: Path) -> None:
    path = save(tmp_path, "export.xlsx", qualtrics_rows("'"))
    result = read_survey(path, "Response ID", ["Q4"])  # the row-2 text names the column too
    assert result.layout == "qualtrics-2016"
    assert [d.name for d in result.documents] == ["R_2016x1", "R_2016x3"]


# -- SurveyMonkey: questions in row 1, answer labels in row 2 -------------------------------

SM_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
           "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip
HEARD = "Hoe hoorde u van het aanbod?"


def surveymonkey_rows() -> list[list[str]]:
    header = [*SM_META, "Voor welke gemeente werkt u?", THEMES, HEARD, "", "", MISSING]
    labels = [""] * len(SM_META) + [
        "Response",
        "Open-Ended Response",
        "Intranet",
        "Collega",
        "Other (please specify)",
        "Open-Ended Response",
    ]
    rows = [header, labels]
    heard = [("Intranet", "", ""), ("", "Collega", ""), ("", "", "Via de nieuwsbrief van de VNG")]
    for n, ((themes, missing), how) in enumerate(zip(ANSWERS, heard, strict=True), start=1):
        rows.append(
            [f"1149382500{n}", "402938111", "03/04/2024 09:12:44 AM", "03/04/2024 09:20:02 AM",
             "", "", "", "", "", f"Gemeente {n}", themes, *how, missing]
        )  # fmt: skip
    return rows


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_surveymonkey_two_header_rows(tmp_path: Path, suffix: str) -> None:
    path = save(tmp_path, f"monkey{suffix}", surveymonkey_rows())
    result = read_survey(
        path, "Respondent ID", [THEMES, MISSING, HEARD], ["Voor welke gemeente werkt u?=gemeente"]
    )
    assert result.layout == "surveymonkey" and not result.qualtrics
    assert [c.name for c in result.cases] == ["11493825001", "11493825002", "11493825003"]
    assert result.header_rows == [2]
    assert result.cases[0].attributes == {"gemeente": "Gemeente 1"}
    by_name = {d.name: d for d in result.documents}
    # The question alone names its "Other (please specify)" column, the only one with text.
    other = by_name[f"11493825003/{HEARD} - Other (please specify)"]
    assert other.text == "Via de nieuwsbrief van de VNG"
    assert other.question == f"{HEARD} (Other (please specify))"
    assert by_name[f"11493825001/{THEMES}"].question == THEMES
    choice = read_survey(path, "Respondent ID", [f"{HEARD} - Intranet"])
    assert [d.name for d in choice.documents] == ["11493825001"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_surveymonkey_last_question_keeps_its_unnamed_columns(tmp_path: Path, suffix: str) -> None:
    """Row 1 ends in blank cells there (a spreadsheet drops them); row 2 still fills them."""
    rows = [
        [*SM_META, HEARD, "", ""],
        [""] * len(SM_META) + ["Intranet", "Collega", "Other (please specify)"],
        [
            "11493825009",
            "402938111",
            *[""] * (len(SM_META) - 2),
            "",
            "",
            "Via een collega van een andere gemeente",
        ],
    ]
    result = read_survey(save(tmp_path, f"last{suffix}", rows), "Respondent ID", [HEARD])
    assert [(d.name, d.text) for d in result.documents] == [
        ("11493825009", "Via een collega van een andere gemeente")
    ]


def test_surveymonkey_label_row_is_never_a_respondent_even_unrecognised(tmp_path: Path) -> None:
    """A SurveyMonkey-like export whose metadata columns were deleted by hand."""
    rows = [["id", THEMES], ["", "Open-Ended Response"], ["r1", "Werkdruk"]]
    result = read_survey(save(tmp_path, "cut.csv", rows), "id", [THEMES])
    assert [c.name for c in result.cases] == ["r1"] and result.header_rows == [2]


# -- LimeSurvey: codes or texts as headings -------------------------------------------------

LIME_CODES = [
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "G01Q01",
    "G01Q02",
    "G01Q03",
]
LIME_TEXTS = ["Response ID", "Date submitted", "Last page", "Start language", "Seed", "Date started",
              "Date last action", "In welke provincie ligt uw gemeente?", THEMES, MISSING]  # fmt: skip


def lime_rows(header: list[str]) -> list[list[str]]:
    rows = [header]
    for n, (themes, missing) in enumerate(ANSWERS, start=1):
        rows.append([str(n), "2024-02-01 10:00:00", "2", "nl", f"98765{n}", "2024-02-01 09:51:00",
                     "2024-02-01 10:00:00", "Friesland", themes, missing])  # fmt: skip
    return rows


@pytest.mark.parametrize("header", [LIME_CODES, LIME_TEXTS], ids=["codes", "texts"])
def test_limesurvey_headings(tmp_path: Path, header: list[str]) -> None:
    path = save(tmp_path, "lime.csv", lime_rows(header), quote_all=True)
    text_col = "G01Q02" if header is LIME_CODES else THEMES
    for id_col in ("id", "Response ID"):
        result = read_survey(path, id_col, [text_col])
        assert result.layout == "limesurvey"
        assert [c.name for c in result.cases] == ["1", "2", "3"]
        assert result.header_rows == []


def test_repeated_header_rows_are_skipped(tmp_path: Path) -> None:
    """Two LimeSurvey exports pasted together: the second header is no respondent."""
    rows = (
        lime_rows(LIME_CODES)
        + lime_rows(LIME_CODES)[:1]
        + [["4", "", "1", "nl", "", "", "", "Fryslân", "Taal", ""]]
    )
    result = read_survey(save(tmp_path, "twice.csv", rows, delimiter=";"), "id", ["G01Q02"])
    assert [c.name for c in result.cases] == ["1", "2", "3", "4"]
    assert result.header_rows == [5]


# -- through the command line, on both databases --------------------------------------------


@pytest.mark.parametrize(
    ("name", "rows", "args", "note"),
    [
        (
            "legacy.csv",
            legacy_rows,
            ["--id-col", "V1", "--text-col", "Q2"],
            "Qualtrics legacy layout",
        ),
        (
            "insights.csv",
            lambda: qualtrics_rows("'"),
            ["--id-col", "ResponseId", "--text-col", "Q3", "--qualtrics"],
            "Qualtrics 2016",
        ),
        (
            "monkey.csv",
            surveymonkey_rows,
            ["--id-col", "Respondent ID", "--text-col", THEMES],
            "SurveyMonkey layout",
        ),
        (
            "lime.csv",
            lambda: lime_rows(LIME_CODES),
            ["--id-col", "id", "--text-col", "G01Q02"],
            "LimeSurvey export",
        ),
    ],
)
def test_cli_imports_only_respondents(
    db_url: str, tmp_path: Path, name: str, rows, args: list[str], note: str
) -> None:  # type: ignore[no-untyped-def]
    path = save(tmp_path, name, rows())
    result = run_cli("--db", db_url, "--coder", "tester", "import-survey", path, *args)
    print(result.out, result.err)
    assert result.code == 0, result.err
    assert note in result.out
    cases = json.loads(run_cli("--db", db_url, "status", "--format", "json").out)["cases"]
    assert cases == 3
    docs = json.loads(run_cli("--db", db_url, "documents", "--format", "json").out)
    assert all(not d["case"].lower().startswith(("response", "{", "v1")) for d in docs)
