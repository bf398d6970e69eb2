"""Project settings users can see and change (`lo-codebook settings`): known keys, defaults,
allowed values. A setting with no row in the table is "not set": it has its default, and for
`language` the next import may still detect it; `ui_language` (the language of screens,
tables, charts and numbers) follows `language` until it is set."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import select

from lo_codebook.core.project import DEFAULT_SETTINGS, Project
from lo_codebook.db.models import Setting
from lo_codebook.errors import UserError
from lo_codebook.i18n import LANGUAGES as OUTPUT_LANGUAGES
from lo_codebook.nlp.language import LANGUAGES

#: Overrides the project's output language for one shell (like `--lang`).
LANG_ENV = "LO_CODEBOOK_LANG"


@dataclass(frozen=True)
class SettingSpec:
    key: str
    choices: tuple[str, ...]
    help: str
    follows: str | None = None  # unset, it has the value of this other setting

    @property
    def default(self) -> str:
        return DEFAULT_SETTINGS[self.follows or self.key]


SETTINGS: dict[str, SettingSpec] = {
    "language": SettingSpec(
        "language",
        LANGUAGES,
        "the texts' language, nl or en (a long enough document keeps its own)",
    ),
    "ui_language": SettingSpec(
        "ui_language",
        OUTPUT_LANGUAGES,
        "language of screens, tables, charts and numbers, nl or en (default: as language)",
        follows="language",
    ),
}


@dataclass(frozen=True)
class SettingValue:
    key: str
    value: str
    is_set: bool  # False: the default (nothing stored yet)
    help: str

    @property
    def source(self) -> str:
        return "set" if self.is_set else "default"


def list_settings(project: Project) -> list[SettingValue]:
    """Every known setting with its value, set or default."""
    with project.read() as session:
        stored = dict(
            session.execute(
                select(Setting.key, Setting.value).where(Setting.key.in_(SETTINGS))
            ).all()
        )

    def value(key: str) -> str:
        spec = SETTINGS[key]
        if key in stored:
            return stored[key]
        return value(spec.follows) if spec.follows else spec.default

    return [
        SettingValue(key, value(key), key in stored, spec.help) for key, spec in SETTINGS.items()
    ]


def output_language(project: Project, override: str | None = None) -> str:
    """The one language of everything shown and exported: `--lang`, else $LO_CODEBOOK_LANG,
    else the `ui_language` setting, else the texts' language (`language`)."""
    if override:
        return _checked_language(override, "--lang")
    env = os.environ.get(LANG_ENV, "").strip()
    if env:
        return _checked_language(env, LANG_ENV)
    chosen = project.setting("ui_language") or project.language
    return chosen if chosen in OUTPUT_LANGUAGES else OUTPUT_LANGUAGES[0]


def _checked_language(value: str, where: str) -> str:
    cleaned = value.strip().lower()
    if cleaned not in OUTPUT_LANGUAGES:
        raise UserError(
            f"unknown language {value!r}; use one of: {', '.join(OUTPUT_LANGUAGES)}", where=where
        )
    return cleaned


def validate_setting(key: str, value: str) -> str:
    """The value to store (trimmed, lower case), or a one-line user error."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise UserError(f"unknown setting {key!r}; known settings: {', '.join(SETTINGS)}")
    cleaned = value.strip().lower()
    if cleaned not in spec.choices:
        raise UserError(f"{key} must be one of {', '.join(spec.choices)}, not {value!r}")
    return cleaned


def change_setting(project: Project, key: str, value: str) -> str:
    """Validate and store a setting (an explicit choice: imports never overwrite it)."""
    cleaned = validate_setting(key, value)
    project.set_setting(key, cleaned)
    return cleaned
