"""Parse leniently and format strictly the XSD simple types REFI-QDA uses.

Reading accepts what real tools write (any case booleans, ``#abc`` colours,
dates with or without a zone or fraction); writing produces only what the
schemas accept, so exports validate.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

_DATETIME_RE = re.compile(
    r"^\s*(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"(Z|[+-]\d{2}:\d{2})?\s*$"
)
_DATE_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?\s*$")
_COLOR_RE = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
# Characters XML 1.0 cannot carry at all (not even as character references).
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_datetime(value: str | None) -> datetime | None:
    """An xsd:dateTime as an aware UTC datetime; no zone means UTC; junk gives None."""
    if value is None:
        return None
    match = _DATETIME_RE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    fraction, zone = match.group(7), match.group(8)
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    try:
        if hour == 24 and minute == 0 and second == 0:
            result = datetime(year, month, day, tzinfo=UTC) + timedelta(days=1)
        else:
            result = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        result = result - sign * offset
    return result


def format_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with ``Z``; naive datetimes are taken to be UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
        f"T{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def parse_date(value: str | None) -> date | None:
    """An xsd:date (zone ignored), or None."""
    if value is None:
        return None
    match = _DATE_RE.match(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_bool(value: str | None, default: bool | None = None) -> bool | None:
    """xsd:boolean ("true"/"false"/"1"/"0", any case, padded), else `default`."""
    if value is None:
        return default
    text = value.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    return default


def normalise_color(value: str | None) -> str | None:
    """``#rgb``/``#rrggbb`` as lower-case ``#rrggbb``; anything else gives None."""
    if value is None:
        return None
    match = _COLOR_RE.match(value.strip())
    if not match:
        return None
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


def format_decimal(value: float | int) -> str | None:
    """An xsd:decimal (no exponent); None for NaN and infinities, which it cannot hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")
    return text


def xml_safe(value: str) -> tuple[str, bool]:
    """`value` with characters XML cannot carry replaced by U+FFFD, and whether any were."""
    cleaned, count = _XML_INVALID_RE.subn("\ufffd", value)
    return cleaned, bool(count)
