"""`lo-codebook report`: the results chapter in one command (HTML, Markdown or .docx)."""

from __future__ import annotations

from pathlib import Path

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import above_option, coder_option, pseudonymise_option
from lo_codebook.cli.output import echo
from lo_codebook.words import plural


@cli.command()
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="The report: .html (one self-contained file), .md (charts as .png beside it) or .docx.",
)
@above_option(10, "Themes mentioned by MORE than N documents (respondents).")
@click.option(
    "--by",
    metavar="ATTR",
    help="Break down by this case attribute. Default: size_class (or the project's obvious group attribute).",
)
@coder_option(
    "Whose codings count: NAME, 'all' (pooled) or 'consensus'. Default: the consensus coding when there is one, else as `themes`."
)
@pseudonymise_option("Replace the people on the name list in quotes and names (lo-codebook names).")
@pass_app
def report(
    app: AppContext,
    output: Path,
    above: int,
    by: str | None,
    coder_name: str | None,
    pseudonymise: bool,
) -> None:
    """Write the study's results: sources and N, themes above the threshold by category
    with the breakdown by group, charts, quotes per theme, methods and the codebook.

    The language follows the project's setting (lo-codebook settings). The same project
    gives the same report apart from its date line.

    \b
    Examples:
      lo-codebook report -o resultaten.html
      lo-codebook report -o results.docx --above 10 --by size_class --coder consensus
      lo-codebook report -o resultaten.md --pseudonymise
    """
    from lo_codebook.analysis.report_render import check_report_path, write_report
    from lo_codebook.core.report import build_report

    check_report_path(output)
    result = build_report(
        app.project(create=False), above=above, by=by, coder=coder_name, pseudonymise=pseudonymise
    )
    written = write_report(result, output)
    parts = []
    for section in result.sections:
        rule = f"above {above}" if section.threshold_applied else "all mentioned"
        parts.append(
            f"{section.kind}: {plural(len(section.table), 'theme')} ({rule}, N={section.documents})"
        )
    coders = ", ".join(result.methods.coders) or "nobody"
    echo(
        f"wrote {written[0]} ({'; '.join(parts) or 'no documents'}; coders: {coders}; by: {result.methods.by or '-'})"
    )
    for extra in written[1:]:
        echo(f"chart: {extra}")
