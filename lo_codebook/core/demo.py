"""`lo-codebook demo`: build a project from the bundled, fictional sample data."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lo_codebook.core.codebook import import_codebook
from lo_codebook.core.importing import import_files, import_survey
from lo_codebook.core.project import Project
from lo_codebook.core.settings import output_language
from lo_codebook.db.engine import resolve_url, sqlite_path
from lo_codebook.db.files import bundled_dir
from lo_codebook.db.models import Setting
from lo_codebook.errors import UserError
from lo_codebook.i18n import t

DEMO_MARKER = "demo"
SURVEY_FILE = "survey/lo_enquete_qualtrics.csv"
SURVEY_ID_COL = "ResponseId"
SURVEY_TEXT_COL = "Q4"
SURVEY_ATTR_COLS = ("Q2=size_class", "Q1=functie")
DEMO_THRESHOLD = 10


def sample_data_dir() -> Path:
    """The sample data: inside the installed package, or `transcripts/` of a checkout."""
    found = bundled_dir("lo_codebook.sample_data", "codebook.csv", "transcripts")
    if found is None:
        raise UserError("the bundled sample data is missing from this installation")
    return found


@dataclass
class DemoResult:
    project: Project
    report: str


def _prepare_target(db: str) -> str:
    """Refuse to overwrite a real project; a previous demo is rebuilt from scratch."""
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is None:
        raise UserError("the demo builds a SQLite file; give --db a path, not a server URL")
    if path.exists():
        if not _is_demo(url):
            raise UserError(
                "this file is a project that is not a demo; the demo will not overwrite it "
                "(give another --db)",
                file=path,
            )
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return url


def _is_demo(url: str) -> bool:
    from sqlalchemy import inspect, select
    from sqlalchemy.exc import DatabaseError

    from lo_codebook.db.engine import make_engine

    engine = make_engine(url)
    try:
        if "setting" not in inspect(engine).get_table_names():
            return False
        with engine.connect() as conn:
            value = conn.execute(select(Setting.value).where(Setting.key == DEMO_MARKER)).scalar()
        return value == "1"
    except DatabaseError:
        return False
    finally:
        engine.dispose()


def build_demo(
    db: str,
    *,
    coder: str | None = None,
    echo: Callable[[str], None] = print,
    lang: str | None = None,
) -> DemoResult:
    """Import codebook, interviews (with case attributes) and the survey; suggest; report themes.

    The lines and tables are in the output language: `lang` (`--lang`), else as
    `core.settings.output_language` finds it (the demo's texts are Dutch)."""
    data = sample_data_dir()
    url = _prepare_target(db)
    project = Project.open(url, coder)
    project.set_setting(DEMO_MARKER, "1")
    project.set_setting("language", "nl")
    lang = output_language(project, lang)

    created, _ = import_codebook(project, data / "codebook.csv")
    echo(t("demo.codebook", lang, n=created))

    interviews = data / "interviews"
    with (interviews / "cases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            attrs = {k: v for k, v in row.items() if k not in ("file", "case") and v}
            report = import_files(
                project, [interviews / row["file"]], case=row["case"], attributes=attrs
            )
            echo(t("demo.interview", lang, file=row["file"], summary=report.summary(lang)))

    survey = import_survey(
        project,
        data / SURVEY_FILE,
        id_col=SURVEY_ID_COL,
        text_cols=[SURVEY_TEXT_COL],
        attr_cols=SURVEY_ATTR_COLS,
    )
    echo(t("demo.survey", lang, summary=survey.summary(lang)))
    return DemoResult(project=project, report=_after_import(project, echo, lang))


def _after_import(project: Project, echo: Callable[[str], None], lang: str) -> str:
    """Run the engine and summarise; the theme engine fills this in when present."""
    try:
        from lo_codebook.core.themes_service import demo_theme_report
    except ModuleNotFoundError:
        from lo_codebook.core.queries import status_counts

        with project.read() as session:
            counts = status_counts(session)
        return "project: " + ", ".join(f"{k}={v}" for k, v in counts.items())
    return demo_theme_report(project, echo=echo, above=DEMO_THRESHOLD, lang=lang)
