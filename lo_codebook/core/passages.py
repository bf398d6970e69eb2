"""What retrieval and search share: context around a span, and the `--by ATTR=VALUE` filter.

Both list passages of documents with a little text before and after them; both can be
limited to the cases with a given attribute value. One implementation for the CLI and UI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lo_codebook.db.lookup import check_attribute_key
from lo_codebook.db.models import CaseAttribute
from lo_codebook.errors import UserError

CONTEXT_CHARS = 80
"""Characters of context on each side of a passage (cut back to whole words, one paragraph)."""

_PARAGRAPH = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Context:
    """The text before and after a span, as a reader sees it: whole words, the same paragraph."""

    before: str
    after: str
    cut_before: bool = False  # the paragraph goes on before `before` (an export shows …)
    cut_after: bool = False


def context_around(text: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> Context:
    """Up to `chars` characters on each side of `text[start:end]`, without a word cut in half
    at the far end and without crossing a blank line (the next speaker turn or answer)."""
    lo = max(0, start - chars)
    before = text[lo:start]
    if lo > 0:
        cut = re.search(r"\s", before)
        before = before[cut.end() :] if cut is not None else before
    paragraphs = list(_PARAGRAPH.finditer(before))
    if paragraphs:
        before = before[paragraphs[-1].end() :]
    hi = min(len(text), end + chars)
    after = text[end:hi]
    if hi < len(text):
        cut = max(after.rfind(" "), after.rfind("\n"), after.rfind("\t"))
        after = after[:cut] if cut > 0 else after
    paragraph = _PARAGRAPH.search(after)
    if paragraph is not None:
        after = after[: paragraph.start()]
    return Context(before, after, lo > 0 and not paragraphs, hi < len(text) and paragraph is None)


def parse_by(values: Iterable[str] | None) -> list[tuple[str, str]]:
    """`--by ATTR=VALUE` options as (attribute, value) pairs; a value may contain `=`."""
    pairs: list[tuple[str, str]] = []
    for raw in values or ():
        key, sep, value = raw.partition("=")
        if not sep or not key.strip():
            raise UserError(f"{raw!r} is not ATTR=VALUE (e.g. size_class=G4)", where="--by")
        pairs.append((key.strip(), value.strip()))
    return pairs


def check_by(session: Session, pairs: Sequence[tuple[str, str]]) -> None:
    """Refuse an attribute or value no case has, naming the ones that exist."""
    for key, value in pairs:
        values = set(
            session.scalars(select(CaseAttribute.value).where(CaseAttribute.key == key).distinct())
        )
        if not values:
            check_attribute_key(session, key)
        if value not in values:
            shown = sorted(values)
            listed = ", ".join(shown[:12]) + (
                f", … ({len(shown)} values)" if len(shown) > 12 else ""
            )
            raise UserError(f"no case has {key}={value!r} (values: {listed})", where="--by")


def cases_with(pairs: Sequence[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """SQL conditions on a case id column: the case has every attribute value of `pairs`."""
    return [
        select(CaseAttribute.case_id).where(CaseAttribute.key == key, CaseAttribute.value == value)
        for key, value in pairs
    ]


def attributes_of(session: Session, case_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Case id -> its attributes (key -> value), for the cases asked for."""
    wanted = sorted(set(case_ids))
    out: dict[int, dict[str, str]] = {}
    for chunk in range(0, len(wanted), 500):
        ids = wanted[chunk : chunk + 500]
        for case_id, key, value in session.execute(
            select(CaseAttribute.case_id, CaseAttribute.key, CaseAttribute.value)
            .where(CaseAttribute.case_id.in_(ids))
            .order_by(CaseAttribute.case_id, CaseAttribute.key)
        ):
            out.setdefault(case_id, {})[key] = value
    return out


def one_line(text: str) -> str:
    """A passage on one line (tables, lists): runs of whitespace become one space."""
    return " ".join(text.split())


def kwic(
    before: str, text: str, after: str, *, side: int = 30, middle: int = 60
) -> tuple[str, str, str]:
    """Keyword in context on one line: the end of `before`, the passage, the start of `after`,
    each shortened with `…` to about `side`, `middle` and `side` characters. A space between
    them in the text stays (`left` ends, `right` starts with it), so they join as written."""
    left, centre, right = one_line(before), one_line(text), one_line(after)
    if len(left) > side:
        left = "…" + left[-(side - 1) :]
    if len(centre) > middle:
        half = (middle - 1) // 2
        centre = centre[:half] + "…" + centre[-(middle - 1 - half) :]
    if len(right) > side:
        right = right[: side - 1] + "…"
    if left and before[-1:].isspace():
        left += " "
    if right and after[:1].isspace():
        right = " " + right
    return left, centre, right


__all__ = [
    "CONTEXT_CHARS",
    "Context",
    "attributes_of",
    "cases_with",
    "check_by",
    "context_around",
    "kwic",
    "one_line",
    "parse_by",
]
