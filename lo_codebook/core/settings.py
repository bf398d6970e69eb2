"""Project settings users can see and change (`lo-codebook settings`): known keys, defaults,
allowed values. A setting with no row in the table is "not set": it has its default, and for
`language` the next import may still detect it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lo_codebook.core.project import DEFAULT_SETTINGS, Project
from lo_codebook.db.models import Setting
from lo_codebook.errors import UserError
from lo_codebook.nlp.language import LANGUAGES


@dataclass(frozen=True)
class SettingSpec:
    key: str
    choices: tuple[str, ...]
    help: str

    @property
    def default(self) -> str:
        return DEFAULT_SETTINGS[self.key]


SETTINGS: dict[str, SettingSpec] = {
    "language": SettingSpec(
        "language",
        LANGUAGES,
        "the texts' language, nl or en (a long enough document keeps its own)",
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
            session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(SETTINGS))).all()
        )
    return [
        SettingValue(key, stored.get(key, spec.default), key in stored, spec.help)
        for key, spec in SETTINGS.items()
    ]


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
