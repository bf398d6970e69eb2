"""Commands for teams and interoperability (agreement, merges, REFI-QDA), registered on `cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lo_codebook.cli_base import (
    AppContext,
    cli,
    echo,
    echo_language,
    emit_json,
    format_option,
    pass_app,
    render_rows,
)
from lo_codebook.words import plural

# -- agreement ----------------------------------------------------------------------------


def _kappa_text(value: float | None, note: str | None) -> str:
    if value is None:
        reason = (note or "undefined").removeprefix("undefined: ")
        return f"undefined ({reason})"
    return f"{value:.3f}"


@cli.command("agreement")
@click.option("--coders", "coders", required=True, metavar="A,B", help="The two coders to compare.")
@click.option("--unit", type=click.Choice(["document", "segment"]), default="document", show_default=True,
              help="Presence per document, or per segment (speaker turn; sentence where a document has none).")
@click.option("--disagreements", "show_disagreements", is_flag=True, help="Also list the documents and codes to discuss.")
@format_option("table", "json")
@pass_app
def agreement_cmd(app: AppContext, coders: str, unit: str, show_disagreements: bool, fmt: str) -> None:
    """Inter-coder agreement: per code percent agreement and Cohen's kappa, Krippendorff's alpha.

    Compares the two coders on the documents both coded (at least one coding each). Alpha
    counts the codes at least one of them applied there; "all codes" (JSON
    `alpha_all_codes`) also counts the codes neither used, which only add agreement.

    \b
    Examples:
      lo-codebook agreement --coders Anna,Bram
      lo-codebook agreement --coders Anna,Bram --unit segment --disagreements
      lo-codebook agreement --coders Anna,Bram --format json > agreement.json
    """
    from lo_codebook.core.agreement_service import compute_agreement, parse_coders

    pair = parse_coders(coders)
    report = compute_agreement(app.project(create=False), pair, unit=unit)
    if fmt == "json":
        emit_json(report.to_json())
        return
    result = report.result
    a, b = result.coders
    alpha = _kappa_text(result.alpha, result.alpha_note)
    alpha_all = _kappa_text(result.alpha_all_codes, result.alpha_all_codes_note)
    units = "" if unit == "document" else f", {plural(result.n_units, 'segment')}"
    echo(f"Agreement between {a} and {b}: {plural(len(report.documents), 'document')} both coded{units}")
    echo(report.describe_unit())
    echo(f"Krippendorff's alpha (nominal), codes used: {alpha}")
    echo(f"Krippendorff's alpha (nominal), all codes: {alpha_all} (rises with codes nobody used)")
    echo("")
    rows = [
        (
            ca.code,
            ca.n,
            "-" if ca.agreement is None else f"{ca.agreement * 100:.1f}%",
            _kappa_text(ca.kappa, ca.kappa_note),
            ca.used_a,
            ca.used_b,
        )
        for ca in result.per_code.values()
    ]
    echo(render_rows(["code", "n", "agreement", "kappa", a, b], rows))
    mean = "-" if result.mean_kappa is None else f"{result.mean_kappa:.3f}"
    pooled = "-" if result.pooled_kappa is None else f"{result.pooled_kappa:.3f}"
    echo("")
    echo(f"mean kappa: {mean} · pooled kappa: {pooled} · disagreements: {len(result.disagreements)}")
    if show_disagreements:
        items = report.disagreements()
        echo("")
        if not items:
            echo("No disagreements.")
            return
        echo("To discuss:")
        echo(
            render_rows(
                ["document", "span", "code", "coded by", "not by"],
                [
                    (
                        d["document"],
                        "whole" if unit == "document" else f"{d['start']}-{d['end']}",
                        d["code"],
                        d["coded_by"],
                        d["not_by"],
                    )
                    for d in items
                ],
            )
        )


@cli.command("consensus")
@click.option("--coders", "coders", required=True, metavar="A,B", help="The two coders whose codings to reconcile.")
@click.option("--as", "name", default="consensus", show_default=True, metavar="NAME",
              help="Store the consensus as this coder.")
@click.option("--take", metavar="A|B|both|neither",
              help="How to resolve every disagreement: one coder's version, both (keep the code) or neither (drop it).")
@click.option("--unit", type=click.Choice(["segment", "document"]), default="segment", show_default=True,
              help="What a disagreement is about: a speaker turn / survey answer (segment), or a whole document.")
@click.option("--dry-run", is_flag=True, help="Count what would be stored; change nothing.")
@format_option("table", "json")
@pass_app
def consensus_cmd(
    app: AppContext, coders: str, name: str, take: str | None, unit: str, dry_run: bool, fmt: str
) -> None:
    """Reconcile two coders into a consensus coding, stored as its own coder (undoable).

    Compares them on the documents both coded, in agreement's units: a code both applied in
    a unit carries over; a code only one applied is a disagreement, resolved by --take (or
    one by one in the UI: agreement screen, key c). `themes --coder consensus` then counts it.

    \b
    Examples:
      lo-codebook consensus --coders anna,bram --take anna
      lo-codebook consensus --coders anna,bram --take both --as final --unit document
      lo-codebook themes --above 10 --coder consensus
    """
    from lo_codebook.core.agreement_service import parse_coders
    from lo_codebook.core.consensus import apply_consensus, parse_take, plan_consensus

    pair = parse_coders(coders)
    project = app.project(create=False)
    plan = plan_consensus(project, pair, unit=unit, name=name)
    rule = parse_take(take, pair)
    a, b = pair
    counts = {
        "coders": list(pair),
        "coder": plan.name,
        "unit": plan.unit,
        "documents": len(plan.documents),
        "units": plan.n_units,
        "agreed": len(plan.agreed),
        "disagreements": len(plan.disagreements),
    }
    if dry_run:
        choices = plan.resolve(None, rule) if rule else None
        counts["take"] = take
        counts["codings"] = len(plan.codings(choices)) if choices is not None else None
        counts["stored"] = False
        if fmt == "json":
            emit_json(counts)
            return
        echo(f"Consensus of {a} and {b}: {plural(len(plan.documents), 'document')} both coded, "
             f"{plural(plan.n_units, plan.unit + ' unit')}")
        echo(f"agreed (carried over): {len(plan.agreed)} · disagreements: {len(plan.disagreements)}")
        if choices is not None:
            echo(f"--take {take} would store {plural(counts['codings'], 'coding')} as coder {plan.name!r}")
        echo("dry run: nothing stored")
        return
    result = apply_consensus(project, plan, default=rule)
    counts.update(
        take=take, codings=result.codings, kept=result.kept, dropped=result.dropped,
        replaced=result.replaced, only_one_coder=result.coder_only, stored=True,
    )
    if fmt == "json":
        emit_json(counts)
        return
    echo(result.summary())
    left_out = [f"{n} only {who}" for who, n in result.coder_only.items() if n]
    if left_out:
        echo(f"not part of it: documents coded by one of them ({', '.join(left_out)})")
    echo(f"use it: lo-codebook themes --coder {plan.name} · undo: lo-codebook undo")


@cli.command("cooccurrence")
@click.option("--coder", "coder_name", metavar="NAME", help="Only this coder's codings (default: everyone's).")
@click.option("--level", type=click.Choice(["theme", "category", "code"]), default="theme", show_default=True)
@format_option("table", "csv", "json")
@pass_app
def cooccurrence_cmd(app: AppContext, coder_name: str | None, level: str, fmt: str) -> None:
    """Code co-occurrence: in how many documents two codes appear together.

    \b
    Examples:
      lo-codebook cooccurrence --coder Anna
      lo-codebook cooccurrence --format json
    """
    from lo_codebook.analysis.cooccurrence import render_text, to_csv, to_records
    from lo_codebook.core.agreement_service import compute_cooccurrence

    project = app.project(create=False)
    result = compute_cooccurrence(project, coder=coder_name, level=level)
    if fmt == "json":
        emit_json(
            {
                "coder": coder_name,
                "level": level,
                "documents": result.scope,
                "codes": {label: int(result.matrix.iat[i, i]) for i, label in enumerate(result.labels)},
                "pairs": to_records(result),
            }
        )
    elif fmt == "csv":
        echo((to_csv(result) or "").rstrip("\n"))
    else:
        echo(render_text(result, project.language).rstrip("\n"))


# -- merges -------------------------------------------------------------------------------


def _plan_rows(plan: Any) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for pair in plan.pairs:
        rows.append(
            (
                f"{pair.score:.1f}",
                "merge" if pair.auto else "review",
                pair.source_key,
                pair.target_path,
                ", ".join(pair.reasons),
            )
        )
    for code in plan.unmatched:
        rows.append(("", "new", code.key, f"(under {code.parent_key})" if code.parent_key else "(top level)", ""))
    return rows


@cli.command("merge-codebook")
@click.argument("source", metavar="SOURCE")
@click.option("--auto", "auto_score", type=click.FloatRange(0, 100), default=90.0, show_default=True,
              help="Merge pairs scoring at least this automatically.")
@click.option("--review-floor", type=click.FloatRange(0, 100), default=60.0, show_default=True,
              help="List pairs from this score up for review; lower scores are different codes.")
@click.option("--accept", "accept", multiple=True, metavar="CODE",
              help="Also merge this review pair (source code name or path); repeatable.")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@format_option("table", "json")
@pass_app
def merge_codebook_cmd(
    app: AppContext, source: str, auto_score: float, review_floor: float, accept: tuple[str, ...],
    dry_run: bool, fmt: str,
) -> None:
    """Merge another codebook into this one: another project, a .qdc or a .csv codebook.

    Codes are matched by name (case, accents, punctuation, plural endings, typos) and
    keywords, aware of the tree. Pairs scoring at least --auto are merged; the others above
    --review-floor are listed for review (accept them with --accept or in the UI) and added
    as new codes; codings of a source project follow their codes. Undo with `unmerge`.

    \b
    Examples:
      lo-codebook merge-codebook bram.db --dry-run
      lo-codebook merge-codebook codebook_bram.qdc --auto 95 --accept Thuiswerken
      lo-codebook unmerge
    """
    from lo_codebook.core.merge import merge_codebook, plan_codebook_merge

    project = app.project(create=False)
    if dry_run:
        plan = plan_codebook_merge(project, source, auto_score=auto_score, review_floor=review_floor)
        if fmt == "json":
            emit_json({"dry_run": True, "plan": plan.to_json()})
            return
        echo(f"Plan for merging {plan.source} (nothing changed):")
        echo(render_rows(["score", "action", "source code", "this codebook", "why"], _plan_rows(plan)))
        echo(
            f"{len(plan.auto_pairs)} to merge, {len(plan.review_pairs)} to review, "
            f"{len(plan.unmatched)} new"
        )
        return
    plan, report = merge_codebook(
        project, source, auto_score=auto_score, review_floor=review_floor, accept=accept
    )
    accepted = set(accept)
    pending = [p for p in plan.review_pairs if p.source_key not in accepted and p.source_name not in accepted]
    if fmt == "json":
        emit_json({"dry_run": False, "plan": plan.to_json(), "result": report.to_json()})
        return
    echo(render_rows(["score", "action", "source code", "this codebook", "why"], _plan_rows(plan)))
    echo(f"merged: {report.summary()} (log entry #{report.entry_id}; undo with `lo-codebook unmerge`)")
    if pending:
        echo(
            f"{plural(len(pending), 'pair')} to review {'was' if len(pending) == 1 else 'were'} added as separate codes; merge them in the UI, "
            "or unmerge and run again with --accept CODE."
        )


@cli.command("unmerge")
@click.argument("entry", required=False, type=int, metavar="[ENTRY]")
@pass_app
def unmerge_cmd(app: AppContext, entry: int | None) -> None:
    """Undo a merge-codebook or merge-project (default: your latest one).

    \b
    Examples:
      lo-codebook unmerge
      lo-codebook unmerge 42        # the entry number from `lo-codebook log`
    """
    from lo_codebook.core.merge import unmerge

    echo(unmerge(app.project(create=False), entry))


@cli.command("merge-project")
@click.argument("other_db", metavar="OTHER_DB")
@format_option("table", "json")
@pass_app
def merge_project_cmd(app: AppContext, other_db: str, fmt: str) -> None:
    """Bring another coder's project in, keeping each coder's codings apart.

    Documents are matched by their text (content hash), cases and attributes united, codes
    merged when their names match closely (else added), codings kept per coder, memos
    copied. Running it again changes nothing. A SQLite project is backed up first.

    \b
    Examples:
      lo-codebook --db anna.db merge-project bram.db
      lo-codebook --db anna.db agreement --coders Anna,Bram
    """
    from lo_codebook.core.merge import merge_project

    report = merge_project(app.project(create=False), other_db)
    if fmt == "json":
        emit_json(report.to_json())
        echo_language(report.language, err=True)
        return
    if report.backup is not None:
        echo(f"backup: {report.backup}", err=True)
    echo(f"merged: {report.summary()} (log entry #{report.entry_id}; undo with `lo-codebook unmerge`)")
    for old, new in report.documents_renamed:
        echo(f"  document {old!r} has another text here; imported as {new!r}")
    for conflict in report.attribute_conflicts:
        echo(f"  {conflict}")
    echo_language(report.language)


# -- REFI-QDA -----------------------------------------------------------------------------


@cli.command("export-qdpx")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True, help="Replace the people on the name list (texts, names, notes); selections follow their text.")
@pass_app
def export_qdpx_cmd(app: AppContext, file: Path, pseudonymise: bool) -> None:
    """Export the project as REFI-QDA (.qdpx) for ATLAS.ti, MAXQDA, NVivo, QualCoder.

    \b
    Examples:
      lo-codebook export-qdpx study.qdpx
      lo-codebook export-qdpx shared.qdpx --pseudonymise
    """
    from lo_codebook.core.refi_mapping import export_qdpx

    report = export_qdpx(app.project(create=False), file, pseudonymise=pseudonymise)
    echo(report.summary())
    for warning in report.warnings:
        echo(f"  warning: {warning}", err=True)


@cli.command("import-qdpx")
@click.argument("file", type=click.Path(path_type=Path))
@format_option("table", "json")
@pass_app
def import_qdpx_cmd(app: AppContext, file: Path, fmt: str) -> None:
    """Import a REFI-QDA project (.qdpx): sources, cases, variables, codebook, codings, notes.

    Importing the same file again adds nothing. Users become coders by name.

    \b
    Example:
      lo-codebook import-qdpx from_atlas.qdpx
    """
    from lo_codebook.core.refi_mapping import import_qdpx

    report = import_qdpx(app.project(), file)
    if fmt == "json":
        emit_json(report.to_json())
        echo_language(report.language, err=True)
        return
    echo("imported " + report.summary())
    for old, new in report.documents_renamed:
        echo(f"  source {old!r}: a different text has that name here; imported as {new!r}")
    for conflict in report.attribute_conflicts:
        echo(f"  {conflict}")
    for note in report.notes:
        echo(f"  note: {note}")
    for warning in report.warnings:
        echo(f"  warning: {warning}", err=True)
    echo_language(report.language)
