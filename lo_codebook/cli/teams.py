"""Agreement between coders, the consensus coding that reconciles them, and code co-occurrence."""

from __future__ import annotations

import click

from lo_codebook.cli import cli
from lo_codebook.cli.context import AppContext, pass_app
from lo_codebook.cli.options import (
    choice_option,
    coder_option,
    coders_option,
    flag_option,
    format_option,
)
from lo_codebook.cli.output import echo, emit_json, render_rows
from lo_codebook.i18n import count, format_number, format_share, t

# -- agreement ----------------------------------------------------------------------------


def _kappa_text(value: float | None, note: str | None, lang: str = "en") -> str:
    """0.731 / 0,731, or why there is no value: "undefined (no variation)"."""
    from lo_codebook.analysis.labels import note_text

    if value is None:
        words = note_text(note or "undefined: no units", lang)
        return t("agr.undefined", lang, reason=words.partition(": ")[2] or words)
    return format_number(value, lang, 3)


@cli.command("agreement")
@coders_option("The two coders to compare.")
@choice_option(
    "--unit",
    choices=("document", "segment"),
    help="Presence per document, or per segment (speaker turn; sentence where a document has none).",
)
@flag_option(
    "--disagreements", "show_disagreements", help="Also list the documents and codes to discuss."
)
@format_option("table", "json")
@pass_app
def agreement_cmd(
    app: AppContext, coders: str, unit: str, show_disagreements: bool, fmt: str
) -> None:
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
    lang = app.lang()
    result = report.result
    a, b = result.coders
    alpha = _kappa_text(result.alpha, result.alpha_note, lang)
    alpha_all = _kappa_text(result.alpha_all_codes, result.alpha_all_codes_note, lang)
    units = (
        "" if unit == "document" else f", {count(result.n_units, 'segment', lang, thousands=False)}"
    )
    documents = count(len(report.documents), "document", lang, thousands=False)
    echo(t("agr.between", lang, a=a, b=b, documents=documents, units=units))
    echo(report.describe_unit(lang))
    echo(t("agr.alpha_used", lang, alpha=alpha))
    echo(t("agr.alpha_all", lang, alpha=alpha_all))
    echo("")
    rows = [
        (
            ca.code,
            ca.n,
            "-" if ca.agreement is None else format_share(ca.agreement, lang),
            _kappa_text(ca.kappa, ca.kappa_note, lang),
            ca.used_a,
            ca.used_b,
        )
        for ca in result.per_code.values()
    ]
    echo(
        render_rows(
            [t("col.code", lang), "n", t("col.agreement", lang), t("col.kappa", lang), a, b], rows
        )
    )
    mean = "-" if result.mean_kappa is None else format_number(result.mean_kappa, lang, 3)
    pooled = "-" if result.pooled_kappa is None else format_number(result.pooled_kappa, lang, 3)
    echo("")
    echo(t("agr.means", lang, mean=mean, pooled=pooled, n=len(result.disagreements)))
    if show_disagreements:
        items = report.disagreements()
        echo("")
        if not items:
            echo(t("agr.none", lang))
            return
        echo(t("agr.to_discuss", lang))
        echo(
            render_rows(
                [t(f"col.{c}", lang) for c in ("document", "span", "code", "coded_by", "not_by")],
                [
                    (
                        d["document"],
                        t("agr.whole", lang) if unit == "document" else f"{d['start']}-{d['end']}",
                        d["code"],
                        d["coded_by"],
                        d["not_by"],
                    )
                    for d in items
                ],
            )
        )


@cli.command("consensus")
@coders_option("The two coders whose codings to reconcile.")
@click.option(
    "--as",
    "name",
    default="consensus",
    show_default=True,
    metavar="NAME",
    help="Store the consensus as this coder.",
)
@click.option(
    "--take",
    metavar="A|B|both|neither",
    help="How to resolve every disagreement: one coder's version, both (keep the code) or neither (drop it).",
)
@choice_option(
    "--unit",
    choices=("segment", "document"),
    help="What a disagreement is about: a speaker turn / survey answer (segment), or a whole document.",
)
@flag_option("--dry-run", help="Count what would be stored; change nothing.")
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
        lang = app.lang()
        documents = count(len(plan.documents), "document", lang, thousands=False)
        units = count(plan.n_units, f"{plan.unit}_unit", lang, thousands=False)
        echo(t("cons.cli_of", lang, a=a, b=b, documents=documents, units=units))
        echo(t("cons.cli_agreed", lang, agreed=len(plan.agreed), n=len(plan.disagreements)))
        if choices is not None:
            codings = count(counts["codings"], "coding", lang, thousands=False)
            echo(t("cons.cli_would", lang, take=take, codings=codings, name=repr(plan.name)))
        echo(t("cons.cli_dry", lang))
        return
    result = apply_consensus(project, plan, default=rule)
    counts |= {
        "take": take,
        "codings": result.codings,
        "kept": result.kept,
        "dropped": result.dropped,
        "replaced": result.replaced,
        "only_one_coder": result.coder_only,
        "stored": True,
    }
    if fmt == "json":
        emit_json(counts)
        return
    lang = app.lang()
    echo(result.summary(lang))
    left_out = [t("cons.cli_only", lang, n=n, who=who) for who, n in result.coder_only.items() if n]
    if left_out:
        echo(t("cons.cli_left_out", lang, left=", ".join(left_out)))
    echo(t("cons.cli_use", lang, name=plan.name))


@cli.command("cooccurrence")
@coder_option("Only this coder's codings (default: everyone's).")
@choice_option("--level", choices=("theme", "category", "code"))
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
                "codes": {
                    label: int(result.matrix.iat[i, i]) for i, label in enumerate(result.labels)
                },
                "pairs": to_records(result),
            }
        )
    elif fmt == "csv":
        echo((to_csv(result) or "").rstrip("\n"))
    else:
        echo(render_text(result, project.language).rstrip("\n"))
