"""Human-facing words and number formats for tables and charts, Dutch first and English.

Machine outputs (JSON, CSV headers) stay English and stable; what a researcher pastes
into a report (terminal table, Markdown, Excel, charts) speaks their language.
"""

from __future__ import annotations

from lo_codebook.errors import UserError
from lo_codebook.i18n import LANGUAGES, format_number, format_share

__all__ = ["LANGUAGES", "check_lang", "fmt_decimal", "fmt_percent", "t", "threshold_text"]

_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "theme": "Thema",
        "estimate_col": "Schatting (95%)",
        "uncertain": "onzeker",
        "validation_col": "Validatie",
        "category_col": "Categorie",
        "parent": "Hoofdcategorie",
        "documents": "Documenten",
        "mentions": "Vermeldingen",
        "share": "Aandeel",
        "themes_title": "Thema's",
        "categories_title": "Categorieën",
        "codes_title": "Codes",
        "in_scope": "documenten in scope",
        "threshold": "drempel",
        "none": "geen",
        "unit": "eenheid",
        "unit_document": "documenten",
        "unit_mention": "vermeldingen",
        "coder": "codeur",
        "coders": "codeurs",
        "by": "per",
        "no_category": "(geen categorie)",
        "no_rows": "(geen thema's)",
        "axis_document": "Aantal respondenten (documenten)",
        "axis_mention": "Aantal vermeldingen (coderingen)",
        "axis_percent": "Percentage van de documenten in de groep",
        "sheet_table": "Thema's",
        "sheet_meta": "Metadata",
        "meta_key": "Kenmerk",
        "meta_value": "Waarde",
        "level": "niveau",
        "level_theme": "thema",
        "level_category": "categorie",
        "created": "aangemaakt",
        "generator": "gemaakt met",
        "groups": "groepen",
        "agreement": "Overeenstemming",
        "kappa": "Kappa",
        "units": "Eenheden",
        "code": "Code",
        "unit_segment": "segmenten",
        "note": "opmerking",
        "mean_kappa": "gemiddelde kappa",
        "pooled_kappa": "gepoolde kappa",
        "disagreements": "verschillen",
        "agreement_between": "Overeenstemming tussen",
        "and": "en",
        "alpha": "Krippendorffs alfa (nominaal)",
        "only": "alleen",
        "alpha_used": "gebruikte codes",
        "alpha_all": "alle codes",
        "unit_single_document": "document",
        "unit_single_segment": "segment",
        "in": "in",
        "codes_used_of": "codes gebruikt van",
        "undefined: no variation": "niet gedefinieerd: geen variatie",
        "undefined: no units": "niet gedefinieerd: geen eenheden",
        "undefined: no code used": "niet gedefinieerd: geen code gebruikt",
    },
    "en": {
        "theme": "Theme",
        "estimate_col": "Estimate (95%)",
        "uncertain": "uncertain",
        "validation_col": "Validation",
        "category_col": "Category",
        "parent": "Parent",
        "documents": "Documents",
        "mentions": "Mentions",
        "share": "Share",
        "themes_title": "Themes",
        "categories_title": "Categories",
        "codes_title": "Codes",
        "in_scope": "documents in scope",
        "threshold": "threshold",
        "none": "none",
        "unit": "unit",
        "unit_document": "documents",
        "unit_mention": "mentions",
        "coder": "coder",
        "coders": "coders",
        "by": "by",
        "no_category": "(no category)",
        "no_rows": "(no themes)",
        "axis_document": "Number of respondents (documents)",
        "axis_mention": "Number of mentions (codings)",
        "axis_percent": "Percentage of the group's documents",
        "sheet_table": "Themes",
        "sheet_meta": "Metadata",
        "meta_key": "Key",
        "meta_value": "Value",
        "level": "level",
        "level_theme": "theme",
        "level_category": "category",
        "created": "created",
        "generator": "made with",
        "groups": "groups",
        "agreement": "Agreement",
        "kappa": "Kappa",
        "units": "Units",
        "code": "Code",
        "unit_segment": "segments",
        "note": "note",
        "mean_kappa": "mean kappa",
        "pooled_kappa": "pooled kappa",
        "disagreements": "disagreements",
        "agreement_between": "Agreement between",
        "and": "and",
        "alpha": "Krippendorff's alpha (nominal)",
        "only": "only",
        "alpha_used": "codes used",
        "alpha_all": "all codes",
        "unit_single_document": "document",
        "unit_single_segment": "segment",
        "in": "in",
        "codes_used_of": "codes used of",
        "undefined: no variation": "undefined: no variation",
        "undefined: no units": "undefined: no units",
        "undefined: no code used": "undefined: no code used",
    },
}


def check_lang(lang: str) -> str:
    """Accept only the languages we have words for."""
    if lang not in _TEXT:
        raise UserError(f"unknown language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return lang


def t(key: str, lang: str = "nl") -> str:
    """The word for ``key`` in ``lang``."""
    return _TEXT[check_lang(lang)][key]


def fmt_percent(fraction: float, lang: str = "nl", digits: int = 1) -> str:
    """``0.123`` -> ``12,3%`` (nl) or ``12.3%`` (en): `i18n.format_share`, as everywhere."""
    return format_share(fraction, lang, digits)


def fmt_decimal(value: float | None, lang: str = "nl", digits: int = 2) -> str:
    """A fixed-point number with the language's decimal mark; ``-`` for None."""
    return format_number(value, lang, digits)


def threshold_text(above: int | None, unit: str, lang: str = "nl") -> str:
    """``drempel: > 10 documenten`` or ``drempel: geen``."""
    if above is None:
        return f"{t('threshold', lang)}: {t('none', lang)}"
    return f"{t('threshold', lang)}: > {above} {t('unit_' + unit, lang)}"
