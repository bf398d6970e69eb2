"""GUID helpers and the XSD value types: lenient parsing, schema-valid formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lo_codebook.interop import RefiCode, RefiProject, is_guid, new_guid, normalise_guid
from lo_codebook.interop.model import derived_guid
from lo_codebook.interop.piecewise import PiecewiseMap
from lo_codebook.interop.safe_zip import check_member_name
from lo_codebook.interop.xsdtypes import (
    format_datetime,
    format_decimal,
    normalise_color,
    parse_bool,
    parse_date,
    parse_datetime,
    xml_safe,
)

UTC = UTC


@pytest.mark.parametrize(
    "raw",
    [
        "{ABCDEF01-2345-6789-ABCD-EF0123456789}",
        "abcdef01-2345-6789-abcd-ef0123456789",
        "  {abcdef01-2345-6789-ABCD-ef0123456789} ",
        "ABCDEF01-2345-6789-ABCD-EF0123456789",
    ],
)
def test_normalise_guid(raw):
    assert normalise_guid(raw) == "abcdef01-2345-6789-abcd-ef0123456789"
    assert is_guid(normalise_guid(raw))


def test_new_and_derived_guids():
    first, second = new_guid(), new_guid()
    assert first != second and is_guid(first) and first == first.lower()
    assert derived_guid("a", "b") == derived_guid("a", "b") != derived_guid("a", "c")
    assert not is_guid("not-a-guid")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-03-27T17:46:39Z", datetime(2018, 3, 27, 17, 46, 39, tzinfo=UTC)),
        ("2018-03-27T17:46:39", datetime(2018, 3, 27, 17, 46, 39, tzinfo=UTC)),
        ("2018-03-27T19:46:39+02:00", datetime(2018, 3, 27, 17, 46, 39, tzinfo=UTC)),
        ("2018-03-27T17:46:39.5Z", datetime(2018, 3, 27, 17, 46, 39, 500000, tzinfo=UTC)),
        ("2018-03-27T17:46:39.1234567Z", datetime(2018, 3, 27, 17, 46, 39, 123456, tzinfo=UTC)),
        ("2018-03-27T24:00:00Z", datetime(2018, 3, 28, tzinfo=UTC)),
        ("27-03-2018", None),
        ("2018-02-30T00:00:00Z", None),
        (None, None),
    ],
)
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    )
)
def test_datetime_round_trip(value):
    assert parse_datetime(format_datetime(value)) == value


def test_format_datetime_naive_and_offset():
    assert format_datetime(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z"
    cet = timezone(timedelta(hours=1))
    assert (
        format_datetime(datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=cet))
        == "2024-01-02T02:04:05.12Z"
    )
    assert format_datetime(datetime(5, 1, 1, tzinfo=UTC)) == "0005-01-01T00:00:00Z"


def test_simple_values():
    assert parse_date("2019-01-01") == date(2019, 1, 1)
    assert parse_date("2019-01-01+02:00") == date(2019, 1, 1)
    assert parse_date("1 jan") is None
    assert parse_bool(" TRUE ") is True and parse_bool("0") is False and parse_bool("ja") is None
    assert normalise_color("#ABC") == "#aabbcc"
    assert normalise_color(" #A0b1C2 ") == "#a0b1c2"
    assert normalise_color("red") is None and normalise_color("#abcd") is None
    assert format_decimal(1e-7) == "0.0000001"
    assert format_decimal(1.5e20) == "150000000000000000000"
    assert format_decimal(12) == "12"
    assert format_decimal(float("nan")) is None
    assert xml_safe("a\x00b\x0bc\td") == ("a\ufffdb\ufffdc\td", True)
    assert xml_safe("gewoon") == ("gewoon", False)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("project.qde", True),
        ("sources/a.txt", True),
        ("Sources/x..y.txt", True),
        ("../a", False),
        ("a/../../b", False),
        ("/abs", False),
        ("\\abs", False),
        ("C:x", False),
        ("a\x00b", False),
    ],
)
def test_member_names(name, ok):
    assert (check_member_name(name) is None) is ok


def test_piecewise_map():
    mapping = PiecewiseMap()
    mapping.add(2, 4, 2, 3)  # two units become one
    mapping.add(6, 6, 5, 6)  # a character that takes no units
    mapping.finish(8, 8)
    assert mapping.map(1, "start") == (1, True)
    assert mapping.map(3, "start") == (2, False)
    assert mapping.map(3, "end") == (3, False)
    assert mapping.map(4, "start") == (3, True)
    assert mapping.map(6, "start") == (5, True)
    assert mapping.map(7, "start") == (7, True)
    assert mapping.map(9, "end") == (8, False)


def test_project_helpers():
    child = RefiCode(new_guid(), "kind")
    parent = RefiCode(new_guid(), "ouder", children=[child])
    project = RefiProject(name="p", codes=[parent], warnings=["x"], origin="NVivo")
    assert project.all_codes() == [parent, child]
    assert project == RefiProject(name="p", codes=[parent])  # warnings/origin describe the file
    assert project.user_name(None) is None and project.user_name("x") is None
    assert project.coding_count() == 0
