"""Open-survey import: Qualtrics csv, Excel-NL csv, xlsx, and the errors a researcher can fix."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from lo_codebook.errors import UserError
from lo_codebook.ingest.survey import detect_delimiter, read_survey

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
THEMES = "Wat zijn belangrijke thema's voor het L&O-aanbod?"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- Qualtrics


def test_qualtrics_fixture_detected() -> None:
    result = read_survey(
        FIXTURES / "qualtrics.csv", "ResponseId", ["Q3", "Q4"], ["Q1=provincie", "Q2=size_class"]
    )
    assert result.qualtrics is True
    assert result.encoding == "utf-8-sig"
    assert result.delimiter == ","
    assert result.question_labels["Q3"] == THEMES
    assert [(c.name, c.row) for c in result.cases] == [("R_1aBc", 4), ("R_2dEf", 6), ("R_3gHi", 7)]
    assert result.cases[0].attributes == {"provincie": "Utrecht", "size_class": "20.000-50.000"}
    by_name = {d.name: d for d in result.documents}
    assert sorted(by_name) == ["R_1aBc/Q3", "R_2dEf/Q3", "R_2dEf/Q4"]
    multiline = by_name["R_1aBc/Q3"]
    assert multiline.text == 'Vitaliteit, leiderschap\nen "hybride" werken'
    assert multiline.kind == "survey"
    assert multiline.case == "R_1aBc"
    assert multiline.question == THEMES
    assert [(s.start, s.end, s.speaker) for s in multiline.segments] == [
        (0, len(multiline.text), None)
    ]
    assert by_name["R_2dEf/Q3"].text == "Duurzame inzetbaarheid in Súdwest-Fryslân"
    assert by_name["R_2dEf/Q4"].text == "n.v.t."  # an answer, not empty
    assert result.skipped_empty == 3  # R_1aBc/Q4, R_3gHi/Q3, R_3gHi/Q4 ("  ")


def test_qualtrics_single_text_column_names_documents_by_id() -> None:
    result = read_survey(FIXTURES / "qualtrics.csv", "ResponseId", ["Q3"], [])
    assert [d.name for d in result.documents] == ["R_1aBc", "R_2dEf"]


def test_qualtrics_can_be_switched_off() -> None:
    """No question texts are taken, but the header rows are still no respondents."""
    result = read_survey(FIXTURES / "qualtrics.csv", "ResponseId", ["Q3"], [], qualtrics=False)
    assert result.qualtrics is False
    assert result.question_labels == {}
    assert [c.name for c in result.cases] == ["R_1aBc", "R_2dEf", "R_3gHi"]
    assert result.header_rows == [2, 3]


def test_qualtrics_forced_on_legacy_two_row_export(tmp_path: Path) -> None:
    path = write(tmp_path, "legacy.csv", "id,Q1\nRespondent,Wat vindt u?\nr1,Goed\nr2,Slecht\n")
    result = read_survey(path, "id", ["Q1"], [], qualtrics=True)
    assert result.qualtrics is True
    assert result.question_labels == {"id": "Respondent", "Q1": "Wat vindt u?"}
    assert [d.question for d in result.documents] == ["Wat vindt u?", "Wat vindt u?"]
    assert [c.name for c in result.cases] == ["r1", "r2"]


def test_missing_column_lists_columns_and_question_labels() -> None:
    with pytest.raises(UserError) as info:
        read_survey(FIXTURES / "qualtrics.csv", "ResponseId", ["Q9"], [])
    message = info.value.message
    assert message.startswith("no column 'Q9'")
    assert "columns are: StartDate" in message
    assert 'Q3 ("Wat zijn belangrijke thema\'s voor het L…")' in message
    assert "\n" not in str(info.value)


# --------------------------------------------------------------------------- csv


def test_excel_nl_semicolon_cp1252_fixture() -> None:
    result = read_survey(
        FIXTURES / "excel_nl.csv", "respondent", ["antwoord"], ["gemeente", "grootte=size_class"]
    )
    assert result.encoding == "cp1252"
    assert result.delimiter == ";"
    assert result.qualtrics is False
    assert [c.attributes for c in result.cases] == [
        {"gemeente": "Súdwest-Fryslân", "size_class": "50.000-100.000"},
        {"gemeente": "Zoeterwoude", "size_class": "<20.000"},
        {"gemeente": "Eindhoven", "size_class": ">100.000"},
    ]
    assert [d.text for d in result.documents] == [
        "Vitaliteit; werkgeluk",
        "Coördinatie en één aanpak",
    ]
    assert result.skipped_empty == 1


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ('"id","naam; voornaam"\n"1","Jansen; Jan"\n', ","),
        ("alleen\n1\n", ","),
    ],
)
def test_detect_delimiter(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


def test_case_insensitive_columns_and_attribute_names(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "ID,Antwoord,Grootte\n7,Ja,G4\n8,,<20.000\n")
    result = read_survey(path, "id", ["antwoord"], ["grootte", "GROOTTE=klasse"])
    assert result.cases[0].attributes == {"Grootte": "G4", "klasse": "G4"}
    assert result.documents[0].name == "7"
    assert result.documents[0].question == "Antwoord"


def test_blank_lines_and_trailing_delimiters(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id;txt;\r\n\r\n1;hallo;\r\n;;\r\n2;daar;;\r\n")
    result = read_survey(path, "id", ["txt"], [])
    assert [(c.name, c.row) for c in result.cases] == [("1", 3), ("2", 5)]


def test_csv_missing_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "respondent,gemeente,antwoord\n1,Ede,Ja\n")
    with pytest.raises(UserError) as info:
        read_survey(path, "ResponseId", ["answer"], ["size"])
    assert info.value.message.startswith("no columns 'ResponseId', 'answer', 'size'")
    assert info.value.message.endswith("columns are: respondent, gemeente, antwoord")
    assert info.value.file == str(path)


def test_ragged_row(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", 'id,txt,x\n1,"twee\nregels",a\n2,b\n')
    with pytest.raises(UserError, match="row has 2 fields but the header has 3") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 4"  # physical line, after the two-line field


def test_too_many_fields(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,txt\n1,a,extra\n")
    with pytest.raises(UserError, match="row has 3 fields but the header has 2") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 2"


def test_unterminated_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", 'id,txt\n1,ok\n2,"nooit gesloten\n3,x\n')
    with pytest.raises(UserError, match="unterminated quoted field") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 3"


def test_bad_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", 'id,txt\n1,"te"veel\n')
    with pytest.raises(UserError, match="malformed quoted field") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 2"


def test_duplicate_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,txt\nr1,a\nr2,b\nr1,c\n")
    with pytest.raises(UserError, match="'r1' appears twice: lines 2 and 4") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 4, column 'id'"


def test_empty_id(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,txt\nr1,a\n ,b\n")
    with pytest.raises(UserError, match="empty respondent id") as info:
        read_survey(path, "id", ["txt"], [])
    assert info.value.where == "line 3, column 'id'"


def test_duplicate_header_column(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "id,txt,txt\n1,a,b\n")
    with pytest.raises(UserError, match="appears more than once"):
        read_survey(path, "id", ["txt"], [])


def test_empty_and_binary_csv(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file is empty"):
        read_survey(write(tmp_path, "e.csv", ""), "id", ["t"], [])
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
    with pytest.raises(UserError, match="binary file"):
        read_survey(binary, "id", ["t"], [])


def test_missing_and_unsupported_files(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="file not found"):
        read_survey(tmp_path / "weg.csv", "id", ["t"], [])
    with pytest.raises(UserError, match=r"save it as \.xlsx or \.csv"):
        read_survey(write(tmp_path, "oud.xls", "x"), "id", ["t"], [])
    with pytest.raises(UserError, match="unsupported survey file type"):
        read_survey(write(tmp_path, "s.json", "{}"), "id", ["t"], [])
    with pytest.raises(UserError, match="at least one text column"):
        read_survey(write(tmp_path, "s.csv", "id\n1\n"), "id", [], [])


def test_ten_thousand_rows_parse_quickly(tmp_path: Path) -> None:
    import time

    lines = ["ResponseId;Q1;Q2;Q3"]
    lines += [
        f'R_{i};"Antwoord nummer {i}, met; tekens";G4;"regel 1\nregel 2"' for i in range(10_000)
    ]
    path = write(tmp_path, "big.csv", "\n".join(lines) + "\n")
    started = time.process_time()  # CPU, not wall time: a busy machine must not fail it
    result = read_survey(path, "ResponseId", ["Q1", "Q3"], ["Q2=size_class"])
    elapsed = time.process_time() - started
    assert len(result.cases) == 10_000
    assert len(result.documents) == 20_000
    assert result.cases[-1].row == 20_000  # 1 header line + 2 lines per record
    assert elapsed < 8.0  # catches a pathological parser, not a slow machine


# --------------------------------------------------------------------------- xlsx


def test_xlsx_fixture() -> None:
    result = read_survey(
        FIXTURES / "survey.xlsx",
        "id",
        ["thema", "toelichting"],
        ["gemeente", "inwoners=size_class", "ingevuld"],
    )
    assert result.encoding is None and result.delimiter is None
    assert [(c.name, c.row) for c in result.cases] == [("1001", 2), ("1002", 3), ("1003", 5)]
    assert result.cases[0].attributes == {
        "gemeente": "Zeewolde",
        "size_class": "20.000-50.000",
        "ingevuld": "2024-03-01",
    }
    assert result.cases[1].attributes["ingevuld"] == "2024-03-02 10:30:00"
    assert "ingevuld" not in result.cases[2].attributes  # empty cells set no attribute
    assert [(d.name, d.text) for d in result.documents] == [
        ("1001/thema", "Vitaliteit en\nleiderschap"),
        ("1002/thema", "Hybride werken"),
        ("1002/toelichting", "Vooral teams"),
        ("1003/thema", "n.v.t."),
        ("1003/toelichting", "-"),
    ]
    assert result.documents[0].source_format == "xlsx"
    assert result.skipped_empty == 1


def test_xlsx_duplicate_id_names_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["id", "t"], [1, "a"], [2, "b"], [1, "c"]):
        sheet.append(row)
    path = tmp_path / "dup.xlsx"
    workbook.save(path)
    with pytest.raises(UserError, match="'1' appears twice: rows 2 and 4") as info:
        read_survey(path, "id", ["t"], [])
    assert info.value.where == "row 4, column 'id'"


def test_xlsx_qualtrics_layout(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ResponseId", "Q3"])
    sheet.append(["Response ID", THEMES])
    sheet.append(['{"ImportId":"_recordId"}', '{"ImportId":"QID3_TEXT"}'])
    sheet.append(["R_1", "Vitaliteit"])
    path = tmp_path / "q.xlsx"
    workbook.save(path)
    result = read_survey(path, "ResponseId", ["Q3"], [])
    assert result.qualtrics is True
    assert [(d.name, d.question) for d in result.documents] == [("R_1", THEMES)]
    assert result.cases[0].row == 4


@pytest.mark.parametrize(
    "data", [b"dit is geen excel", b"PK\x03\x04garbage", b"PK\x05\x06" + bytes(18)]
)
def test_fake_xlsx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "nep.xlsx"
    path.write_bytes(data)
    with pytest.raises(UserError, match=r"not a valid \.xlsx") as info:
        read_survey(path, "id", ["t"], [])
    assert info.value.file == str(path)


def test_docx_renamed_to_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlsx"
    path.write_bytes((FIXTURES / "interview.docx").read_bytes())
    with pytest.raises(UserError, match=r"not a valid \.xlsx"):
        read_survey(path, "id", ["t"], [])


def test_ambiguous_header_uses_sniffer() -> None:
    text = 'id;naam, voornaam;antwoord\n1;"Jansen, Jan";ja\n2;"Vries, M. de";nee\n'
    assert detect_delimiter(text) == ";"


def test_adversarial_quotes_sniff_quickly() -> None:
    import time

    started = time.process_time()  # CPU, not wall time: a busy machine must not fail it
    detect_delimiter("a,b;c\n" + ',"a' * 20_000)
    assert time.process_time() - started < 4.0  # catastrophic backtracking would take minutes


def test_excel_sep_line(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "sep=;\nid;txt\n1;a,b\n2;\n3;c\n")
    result = read_survey(path, "id", ["txt"], [])
    assert result.delimiter == ";"
    assert [(d.name, d.text) for d in result.documents] == [("1", "a,b"), ("3", "c")]
    assert [c.row for c in result.cases] == [3, 4, 5]


def test_missing_column_lists_every_column_on_one_line_up_to_the_open_question() -> None:
    """Newcomer trial: the list stopped at 'Q3 ("Hoeveel medewer… (497 characters)', before Q4."""
    sample = (
        Path(__file__).resolve().parents[1] / "transcripts" / "survey" / "lo_enquete_qualtrics.csv"
    )
    with pytest.raises(UserError) as info:
        read_survey(sample, "ResponseId", ["Q9"], [])
    text = str(info.value)
    assert "\n" not in text and "characters)" not in text
    listed = text.split("columns are: ", 1)[1]
    for column in ("StartDate", "ResponseId", "Q1", "Q2", "Q3", "Q4", "Q5"):
        assert column in listed, column
    assert "Q4 (\"Wat zijn belangrijke thema's" in listed  # the open question, recognisable


def test_missing_column_of_a_very_wide_export_still_fits_one_line(tmp_path: Path) -> None:
    header = ",".join(f"Q{i}" for i in range(1, 301))
    labels = ",".join(
        f"Vraag nummer {i} over een onderwerp dat lang beschreven wordt?" for i in range(1, 301)
    )
    path = write(tmp_path, "wide.csv", f"id,{header}\nid,{labels}\nr1,{','.join('x' * 300)}\n")
    with pytest.raises(UserError) as info:
        read_survey(path, "id", ["Q999"], [], qualtrics=True)
    text = str(info.value)
    assert "characters)" not in text and "more)" in text and "Q1" in text
