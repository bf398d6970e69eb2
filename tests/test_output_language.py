"""One output language at a time: CLI tables, CSV/XLSX headers, charts and numbers follow
`ui_language` (default: the project's language), `--lang` and $LO_CODEBOOK_LANG; JSON keys
stay English."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from lo_codebook.analysis.charts import theme_figure
from lo_codebook.analysis.labels import fmt_decimal, fmt_percent
from lo_codebook.core.project import Project
from lo_codebook.core.settings import output_language
from lo_codebook.core.themes_service import build_theme_table
from lo_codebook.i18n import count, format_int, format_number, format_share, t

from .conftest import run_cli
from .helpers import words_found

CODEBOOK = """name,parent,description,keywords
Organisatie,,Hoe de organisatie werkt,
Werkdruk,Organisatie,Druk en stress,werkdruk
Leiderschap,Organisatie,Leidinggevenden,leiderschap
"""
SURVEY = "id,klasse,antwoord\n" + "".join(
    f"R{i},{'G1' if i <= 3 else 'G2'},Antwoord nummer {i} over het werk en de organisatie hier\n"
    for i in range(1, 7)
)
# Werkdruk in 4 of 6 answers (66.7%), Leiderschap in 1 (16.7%).
CODINGS = "document,code\n" + "".join(f"R{i},Werkdruk\n" for i in range(1, 5)) + "R5,Leiderschap\n"

# Words that give away the other language in a table or a caption.
ENGLISH = [
    "Theme",
    "Themes",
    "Documents",
    "Mentions",
    "Share",
    "Category",
    "threshold",
    "documents in scope",
    "coder",
]
DUTCH = [
    "Thema",
    "Thema's",
    "Documenten",
    "Vermeldingen",
    "Aandeel",
    "Categorie",
    "drempel",
    "documenten in scope",
    "codeur",
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = {
        "LO_CODEBOOK_DB": str(tmp_path / "lang.db"),
        "LO_CODEBOOK_CODER": "anna",
        "LO_CODEBOOK_LANG": "",
    }
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "survey.csv").write_text(SURVEY, encoding="utf-8")
    (tmp_path / "codings.csv").write_text(CODINGS, encoding="utf-8")
    for args in (
        ("init", "--language", "nl"),
        ("codebook", "import", tmp_path / "codebook.csv"),
        (
            "import-survey",
            tmp_path / "survey.csv",
            "--id-col",
            "id",
            "--text-col",
            "antwoord",
            "--attr-col",
            "klasse",
        ),
        ("import-codings", tmp_path / "codings.csv", "--coder", "anna"),
    ):
        result = run_cli(*args, env=env)
        assert result.code == 0, (args, result.err)
    return env


def themes(env: dict[str, str], *args: str | Path) -> str:
    result = run_cli("themes", *args, env=env)
    assert result.code == 0, result.err
    return result.out


# -- number formats ----------------------------------------------------------------------------


def test_number_formats_follow_the_language() -> None:
    assert format_share(0.293, "nl") == "29,3%" and format_share(0.308, "en") == "30.8%"
    assert format_share(2 / 3, "nl", 0) == "67%"
    assert format_number(0.7312, "nl") == "0,73" and format_number(0.7312, "en") == "0.73"
    assert format_number(None, "nl") == "-"
    assert format_int(12345, "nl") == "12.345" and format_int(12345, "en") == "12,345"
    assert format_number(1234.5, "nl", 1) == "1234,5"  # no thousands mark in fixed-point numbers
    assert (
        count(1, "document", "nl") == "1 document" and count(2, "document", "nl") == "2 documenten"
    )
    assert count(2, "document", "en") == "2 documents"
    # The analysis tables use the same formats.
    assert fmt_percent(0.293, "nl") == format_share(0.293, "nl")
    assert fmt_decimal(0.5, "en") == format_number(0.5, "en")
    assert t("main.documents", "nl") == "Documenten" and t("main.documents", "en") == "Documents"


def test_every_message_has_both_languages() -> None:
    from lo_codebook.i18n import MESSAGES, NOUNS

    for key, texts in MESSAGES.items():
        assert set(texts) == {"nl", "en"}, key
        fields = [set(re.findall(r"{(\w+)}", text)) for text in texts.values()]
        assert fields[0] == fields[1], key  # the same blanks to fill in both languages
    assert all(set(forms) == {"nl", "en"} for forms in NOUNS.values())


# -- CLI: theme table, CSV, XLSX, JSON ------------------------------------------------------------


def test_dutch_project_gives_dutch_tables_csv_and_xlsx(env: dict[str, str], tmp_path: Path) -> None:
    table = themes(env, "--above", "0")
    assert table.startswith("Thema's: 6 documenten in scope")
    assert "66,7%" in table and "16,7%" in table and "66.7%" not in table
    assert words_found(table, ENGLISH) == []

    rows = list(csv.reader(io.StringIO(themes(env, "--format", "csv"))))
    assert rows[0] == ["Thema", "Categorie", "Documenten", "Vermeldingen", "Aandeel", "codeurs"]
    assert rows[1][:5] == ["Werkdruk", "Organisatie", "4", "4", str(4 / 6)]  # numbers stay numbers

    by = list(csv.reader(io.StringIO(themes(env, "--format", "csv", "--by", "klasse"))))
    assert "klasse=G1 aandeel" in by[0] and not words_found(",".join(by[0]), ["share"])

    out = tmp_path / "t.xlsx"
    run_cli("themes", "--format", "xlsx", "-o", out, env=env)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Thema's", "Metadata"]
    assert [c.value for c in book["Thema's"][1]][:5] == [
        "Thema",
        "Categorie",
        "Documenten",
        "Vermeldingen",
        "Aandeel",
    ]
    meta = [r[0] for r in book["Metadata"].iter_rows(min_row=2, values_only=True)]
    assert "drempel" in meta and "threshold" not in meta

    markdown = themes(env, "--format", "md")
    assert markdown.startswith("| Thema | Categorie | Documenten | Vermeldingen | Aandeel |")


def test_ui_language_en_switches_every_table_and_keeps_json_keys(
    env: dict[str, str], tmp_path: Path
) -> None:
    dutch_json = json.loads(themes(env, "--format", "json"))
    changed = run_cli("settings", "set", "ui_language", "en", env=env)
    assert changed.code == 0 and changed.out.strip() == "ui_language: en"

    table = themes(env, "--above", "0")
    assert table.startswith("Themes: 6 documents in scope")
    assert "66.7%" in table and "66,7%" not in table
    assert words_found(table, DUTCH) == []
    rows = list(csv.reader(io.StringIO(themes(env, "--format", "csv"))))
    assert rows[0] == ["Theme", "Category", "Documents", "Mentions", "Share", "coders"]
    out = tmp_path / "t.xlsx"
    run_cli("themes", "--format", "xlsx", "-o", out, env=env)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Themes", "Metadata"]
    assert [c.value for c in book["Themes"][1]][:5] == [
        "Theme",
        "Category",
        "Documents",
        "Mentions",
        "Share",
    ]

    english_json = json.loads(themes(env, "--format", "json"))
    assert english_json == dutch_json  # an API: the same keys and numbers in any language
    assert set(english_json[0]) >= {"code", "category", "documents", "mentions", "share"}

    # The texts' language is untouched; settings list both.
    listed = json.loads(run_cli("settings", "--format", "json", env=env).out)
    assert listed == {"language": "nl", "ui_language": "en"}


def test_lang_option_and_environment_override_the_setting(env: dict[str, str]) -> None:
    assert themes(env, "--above", "0").startswith("Thema's")
    english = run_cli("--lang", "en", "themes", "--above", "0", env=env)
    assert english.code == 0 and english.out.startswith("Themes: 6 documents in scope")
    from_env = run_cli("themes", "--above", "0", env={**env, "LO_CODEBOOK_LANG": "en"})
    assert from_env.code == 0 and from_env.out.startswith("Themes")
    # --lang wins over the environment.
    both = run_cli("--lang", "nl", "themes", env={**env, "LO_CODEBOOK_LANG": "en"})
    assert both.out.startswith("Thema's")

    bad = run_cli("themes", env={**env, "LO_CODEBOOK_LANG": "de"})
    assert bad.code == 1 and "LO_CODEBOOK_LANG" in bad.err and bad.err.count("\n") == 1
    bad_option = run_cli("--lang", "de", "themes", env=env)
    assert bad_option.code == 1 and "'de' is not one of 'nl', 'en'" in bad_option.err
    bad_setting = run_cli("settings", "set", "ui_language", "fr", env=env)
    assert bad_setting.code == 1 and "ui_language must be one of nl, en" in bad_setting.err


def test_other_cli_tables_follow_the_language(env: dict[str, str]) -> None:
    settings = run_cli("settings", env=env).out
    assert settings.splitlines()[0].split() == ["instelling", "waarde", "bron", "betekenis"]
    assert re.search(r"^ui_language +nl +standaard ", settings, re.M)
    status = run_cli("status", env=env).out
    assert "codeur: anna" in status and re.search(r"^documenten +6$", status, re.M)
    documents = run_cli("documents", env=env).out
    assert (
        documents.splitlines()[0].split()[:3] == ["naam", "casus", "soort"]
        and "enquête" in documents
    )
    log = run_cli("log", "--limit", "2", env=env).out
    assert log.splitlines()[0].split() == ["#", "wanneer", "codeur", "actie", "samenvatting"]

    english = {**env, "LO_CODEBOOK_LANG": "en"}
    assert run_cli("settings", env=english).out.splitlines()[0].split() == [
        "setting",
        "value",
        "source",
        "meaning",
    ]
    status_en = run_cli("status", env=english).out
    assert "coder: anna" in status_en and re.search(r"^documents +6$", status_en, re.M)
    assert "survey" in run_cli("documents", env=english).out
    # JSON of status keeps its keys.
    assert json.loads(run_cli("status", "--format", "json", env=env).out)["documents"] == 6


def test_english_texts_default_to_english_output(tmp_path: Path) -> None:
    env = {
        "LO_CODEBOOK_DB": str(tmp_path / "en.db"),
        "LO_CODEBOOK_CODER": "anna",
        "LO_CODEBOOK_LANG": "",
    }
    assert run_cli("init", "--language", "en", env=env).code == 0
    table = run_cli("themes", env=env)
    assert table.code == 0 and table.out.startswith("Themes: 0 documents in scope"), table.out
    assert run_cli("settings", "--format", "json", env=env).out.count('"en"') == 2


# -- charts --------------------------------------------------------------------------------------


def test_chart_titles_and_axes_follow_the_language(env: dict[str, str], tmp_path: Path) -> None:
    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        assert output_language(project) == "nl"
        table = build_theme_table(project, above=0)
        by_table = build_theme_table(project, above=0, by="klasse")
    finally:
        project.close()
    for lang, other in (("nl", "en"), ("en", "nl")):
        fig = theme_figure(table, lang=lang)
        ax = fig.axes[0]
        assert ax.get_title(loc="left") == f"{_title(lang)} (N = 6)"
        assert ax.get_xlabel() == _axis(lang)
        labels = [text.get_text() for text in fig.findobj(lambda a: hasattr(a, "get_text"))]
        assert not [w for w in labels if w in (_axis(other), _title(other))]
        grouped = theme_figure(by_table, lang=lang)
        shares = [x.get_text() for x in grouped.axes[0].texts]
        assert sorted(shares) == [
            "0%",
            "100%",
            "33%",
            "33%",
        ]  # G1: 3 of 3, G2: 1 of 3 (whole percents)
        assert grouped.axes[0].get_xlabel() == _axis_percent(lang)

    # The CLI draws in the output language: SVG keeps each text as a comment beside its glyphs.
    svg = tmp_path / "c.svg"
    assert run_cli("themes", "--above", "0", "--chart", svg, env=env).code == 0
    drawn = svg.read_text(encoding="utf-8")
    assert "Aantal respondenten (documenten)" in drawn and "Number of respondents" not in drawn
    assert run_cli("--lang", "en", "themes", "--above", "0", "--chart", svg, env=env).code == 0
    drawn = svg.read_text(encoding="utf-8")
    assert "Number of respondents (documents)" in drawn and "Aantal respondenten" not in drawn


def _title(lang: str) -> str:
    from lo_codebook.analysis.labels import t as word

    return word("themes_title", lang)


def _axis(lang: str) -> str:
    from lo_codebook.analysis.labels import t as word

    return word("axis_document", lang)


def _axis_percent(lang: str) -> str:
    from lo_codebook.analysis.labels import t as word

    return word("axis_percent", lang)


# -- CLI: agreement, consensus, merge-codebook, names, import and suggest lines --------------------

# bram coded R1, R2 and R6 with Werkdruk and R3 with Leiderschap (anna: R1-R4 Werkdruk, R5 Leiderschap)
BRAM = "document,code\nR1,Werkdruk\nR2,Werkdruk\nR3,Leiderschap\nR6,Werkdruk\n"
TEAM_EN = [
    "Agreement", "agreement", "both coded", "mean kappa", "pooled", "disagreements", "To discuss", "coded by",
    "not by", "whole", "undefined", "codes used", "all codes", "nominal", "dry run", "nothing stored", "stored",
    "agreed", "documents", "score", "action", "source code", "this codebook", "why", "same name", "new",
    "merge", "review", "imported", "suggest", "already", "name", "pseudonym", "empty",
]  # fmt: skip
TEAM_NL = [
    "Overeenstemming", "overeenstemming", "door beiden", "gemiddelde", "gepoolde", "verschillen",
    "Te bespreken", "gecodeerd door", "niet door", "geheel", "niet gedefinieerd", "gebruikte codes", "alle codes",
    "nominaal", "proefrun", "opgeslagen", "eensgezind", "documenten", "actie", "broncode", "dit codeboek",
    "waarom", "zelfde naam", "nieuw", "samenvoegen", "nazien", "geïmporteerd", "voorstellen", "naam",
    "pseudoniem", "leeg",
]  # fmt: skip


def both(env: dict[str, str], *args: str | Path) -> tuple[str, str]:
    """The output of one command in Dutch (the project's language) and in English."""
    dutch = run_cli(*args, env=env)
    english = run_cli(*args, env={**env, "LO_CODEBOOK_LANG": "en"})
    assert dutch.code == 0 and english.code == 0, (args, dutch.err, english.err)
    return dutch.out, english.out


def test_agreement_and_consensus_lines_follow_the_language(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "bram.csv").write_text(BRAM, encoding="utf-8")
    assert run_cli("import-codings", tmp_path / "bram.csv", "--coder", "bram", env=env).code == 0

    nl, en = both(env, "agreement", "--coders", "anna,bram", "--disagreements")
    assert nl.startswith(
        "Overeenstemming tussen anna en bram: 3 documenten door beiden gecodeerd"
    ), nl
    assert en.startswith("Agreement between anna and bram: 3 documents both coded"), en

    def header(text: str) -> list[str]:
        return next(line.split() for line in text.splitlines() if line.startswith("code "))

    assert header(nl) == ["code", "n", "overeenstemming", "kappa", "anna", "bram"]
    assert header(en) == ["code", "n", "agreement", "kappa", "anna", "bram"]
    # both coded R1-R3: Werkdruk 2 of 3 agree (66,7%), kappas 0,000; and so on, with their marks
    assert (
        re.search(r"\d,\d%", nl)
        and re.search(r"-?\d,\d{3}\b", nl)
        and not re.search(r"\d\.\d%", nl)
    )
    assert (
        re.search(r"\d\.\d%", en)
        and re.search(r"-?\d\.\d{3}\b", en)
        and not re.search(r"\d,\d%", en)
    )
    assert "Te bespreken:" in nl and "To discuss:" in en
    assert words_found(nl, TEAM_EN) == [] and words_found(en, TEAM_NL) == []
    as_json = [
        json.loads(out)
        for out in both(env, "agreement", "--coders", "anna,bram", "--format", "json")
    ]
    assert (
        as_json[0] == as_json[1] and "per_code" in as_json[0]
    )  # JSON: an API, the same in any language

    nl, en = both(env, "consensus", "--coders", "anna,bram", "--take", "anna", "--dry-run")
    assert (
        nl.startswith("Consensus van anna en bram: 3 documenten door beiden gecodeerd")
        and "proefrun: niets opgeslagen" in nl
    )
    assert (
        en.startswith("Consensus of anna and bram: 3 documents both coded")
        and "dry run: nothing stored" in en
    )
    assert words_found(nl, TEAM_EN) == [] and words_found(en, TEAM_NL) == []

    stored = run_cli(
        "consensus", "--coders", "anna,bram", "--take", "both", "--unit", "document", env=env
    )
    assert stored.code == 0 and stored.out.startswith(
        "consensus van anna en bram opgeslagen als codeur 'consensus'"
    ), stored.out
    assert words_found(stored.out, TEAM_EN) == []


def test_merge_codebook_names_and_summaries_follow_the_language(
    env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "andere.csv").write_text(
        "name,parent,description,keywords\nWerkdruk,,Druk,werkdruk\nKoffie,,Pauzes,\n",
        encoding="utf-8",
    )
    nl, en = both(env, "merge-codebook", tmp_path / "andere.csv", "--dry-run")
    assert nl.splitlines()[1].split() == ["score", "actie", "broncode", "dit", "codeboek", "waarom"]
    assert en.splitlines()[1].split() == [
        "score",
        "action",
        "source",
        "code",
        "this",
        "codebook",
        "why",
    ]
    assert re.search(r"^\d+,\d +samenvoegen +Werkdruk .*zelfde naam", nl, re.M) and re.search(
        r"^ +nieuw +Koffie", nl, re.M
    )
    assert re.search(r"^\d+\.\d +merge +Werkdruk .*same name", en, re.M) and re.search(
        r"^ +new +Koffie", en, re.M
    )
    assert (
        "1 samen te voegen, 0 na te zien, 1 nieuw" in nl and "1 to merge, 0 to review, 1 new" in en
    )
    plans = [
        json.loads(out)
        for out in both(
            env, "merge-codebook", tmp_path / "andere.csv", "--dry-run", "--format", "json"
        )
    ]
    assert plans[0] == plans[1]  # the reasons in JSON stay English
    assert "same name" in json.dumps(plans[0])

    merged = run_cli("merge-codebook", tmp_path / "andere.csv", env=env)
    assert (
        merged.code == 0 and "samengevoegd: " in merged.out and "1 code samengevoegd" in merged.out
    ), merged.out
    assert words_found(merged.out, ["merged", "added", "undo", "log entry"]) == []

    nl, en = both(env, "names", "list")
    assert nl.startswith("de namenlijst is leeg") and en.startswith("the name list is empty")
    assert run_cli("names", "add", "Jan Jansen", env=env).code == 0
    nl, en = both(env, "names", "list")
    assert nl.split()[:2] == ["naam", "pseudoniem"] and en.split()[:2] == ["name", "pseudonym"]
    # the CSV is read back by `names import`: its header stays as it is
    assert run_cli("names", "list", "--format", "csv", env=env).out.startswith("name,pseudonym")

    (tmp_path / "meer.csv").write_text(
        "id,antwoord\nR7,Nog een antwoord over de werkdruk\n,\n", encoding="utf-8"
    )
    imported = run_cli(
        "import-survey", tmp_path / "meer.csv", "--id-col", "id", "--text-col", "antwoord", env=env
    )
    assert (
        imported.code == 0 and "geïmporteerd: 1 document (6 woorden, 1 fragment)" in imported.out
    ), imported.out
    codings = tmp_path / "nog.csv"
    codings.write_text("document,code\nR7,Werkdruk\nR7,Werkdruk\n", encoding="utf-8")
    nl = run_cli("import-codings", codings, "--coder", "anna", env=env).out
    assert nl.startswith("1 codering geïmporteerd, 1 al aanwezig"), nl
    en = run_cli(
        "import-codings", codings, "--coder", "anna", env={**env, "LO_CODEBOOK_LANG": "en"}
    ).out
    assert en.startswith("imported 0 codings, 2 already present"), en


def test_suggest_and_demo_lines_follow_the_language(env: dict[str, str]) -> None:
    from lo_codebook.core.themes_service import demo_theme_report

    nl, en = both(env, "suggest")
    assert (
        nl.startswith("voorstellen: 6 documenten (")
        and " al gecodeerd" in nl
        and "suggest:" not in nl
    )
    assert en.startswith("suggest: 6 documents (") and " already coded" in en
    assert re.search(r"in \d+,\d s;", nl) and re.search(r"in \d+\.\d s;", en)

    project = Project.open(env["LO_CODEBOOK_DB"], "anna")
    try:
        for lang, title, other in (
            ("nl", "Enquête: thema's genoemd door meer dan 0 respondenten", "Survey:"),
            ("en", "Survey: themes mentioned by more than 0 respondents", "Enquête:"),
        ):
            lines: list[str] = []
            report = demo_theme_report(project, echo=lines.append, above=0, lang=lang)
            assert report.startswith(title) and other not in report
            assert ("Interviews: de thema's" in report) == (lang == "nl")
            assert lines[0].startswith("voorstellen: " if lang == "nl" else "suggest: ")
    finally:
        project.close()
