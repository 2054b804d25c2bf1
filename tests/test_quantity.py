"""Metric values as quantities: exact decimals, units, ranges, bounds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rbtfl_model as rm
from tests.conftest import VALID
from tests.linear_cases import QUANTITY_UNITS
from tests.test_linear_time import ratio
from tests.workcount import MAX_RATIO

Q = rm.Quantity
D = Decimal

#: Every metric value in the valid corpus, file by file, and what it means.
CORPUS_QUANTITIES: dict[str, list[tuple[str, rm.Quantity | None]]] = {
    "china-rare-earth-controls.md": [],
    "china-rare-earth-japan-controls.md": [
        ("~90%", Q(D(90), D(90), "%", approximate=True)),
        ("98-99%", Q(D(98), D(99), "%")),
        ("60-70%", Q(D(60), D(70), "%")),
        ("6x", Q(D(6), D(6), "x")),
        ("Up to 130%", Q(None, D(130), "%", bound="at most")),
        ("2010", Q(D(2010), D(2010), None)),
    ],
    "lynas-texas-limbo.md": [
        ("US$258 million", Q(D(258_000_000), D(258_000_000), "US$")),
        ("0", Q(D(0), D(0), None)),
        ("1,500 t/yr", Q(D(1500), D(1500), "t/yr")),
    ],
    "mp-materials-magnet-ramp.md": [
        ("1,000 t/yr", Q(D(1000), D(1000), "t/yr")),
        ("~10%", Q(D(10), D(10), "%", approximate=True)),
        ("2027", Q(D(2027), D(2027), None)),
    ],
    "ndpr-price-surge-2026.md": [
        ("$210/kg", Q(D(210), D(210), "$/kg")),
        ("2.3x", Q(D("2.3"), D("2.3"), "x")),
        ("+45%", Q(D(45), D(45), "%")),
        ("12 weeks", Q(D(12), D(12), "weeks")),
    ],
    "us-minerals-price-floor-allies.md": [
        ("US$110/kg", Q(D(110), D(110), "US$/kg")),
        ("3", Q(D(3), D(3), None)),
    ],
}


def test_quantity_table_covers_the_corpus() -> None:
    assert sorted(CORPUS_QUANTITIES) == [path.name for path in VALID]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_corpus_metric_quantities(path: Path) -> None:
    metrics = rm.load(path).metrics
    assert [(metric.value, metric.quantity) for metric in metrics] == CORPUS_QUANTITIES[path.name]


def test_decimals_are_exact() -> None:
    quantity = rm.parse_quantity("2.3x")
    assert quantity is not None
    assert str(quantity.low) == "2.3"  # not 2.29999...


#: More spellings: value, then the quantity or None.
SPELLINGS: list[tuple[str, rm.Quantity | None]] = [
    ("60\u201370%", Q(D(60), D(70), "%")),  # en dash
    ("5 to 10 km", Q(D(5), D(10), "km")),
    ("$1-2 billion", Q(D(10**9), D(2 * 10**9), "$")),
    ("€2.5bn", Q(D("2.5E9"), D("2.5E9"), "€")),
    ("1,234,567.5 t", Q(D("1234567.5"), D("1234567.5"), "t")),
    ("-3%", Q(D(-3), D(-3), "%")),
    ("at least 5", Q(D(5), None, None, bound="at least")),
    ("more than 2x", Q(D(2), None, "x", bound="at least")),
    ("<5%", Q(None, D(5), "%", bound="at most")),
    ("about 12 weeks", Q(D(12), D(12), "weeks", approximate=True)),
    ("up to ~3x", Q(None, D(3), "x", approximate=True, bound="at most")),
    ("Q2 2026", None),
    ("H2", None),
    ("99-98%", None),  # a range that runs backwards is not guessed at
    ("1,5", None),  # a decimal comma is not a thousands separator
    ("1 in 5", None),
    ("", None),
    # the unit and a "/per" part: blanks before the "/" go, blanks inside the unit stay
    ("5 t /kg", Q(D(5), D(5), "t/kg")),
    ("5 a/b c/d", Q(D(5), D(5), "a/b c/d")),
    ("5 a /b/c", Q(D(5), D(5), "a/b/c")),
    ("5 x/yr", Q(D(5), D(5), "x/yr")),
    ("5 a/1", None),
]


@pytest.mark.parametrize(("value", "expected"), SPELLINGS, ids=[v for v, _ in SPELLINGS])
def test_spellings(value: str, expected: rm.Quantity | None) -> None:
    assert rm.parse_quantity(value) == expected
    assert rm.Metric(value, "description").quantity == expected


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=10**9))
def test_percent_round_trip(number: Decimal) -> None:
    assert rm.parse_quantity(f"{number:f}%") == Q(number, number, "%")


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators(number: int) -> None:
    assert rm.parse_quantity(f"{number:,} t/yr") == Q(D(number), D(number), "t/yr")


@pytest.mark.parametrize("name", QUANTITY_UNITS)
def test_long_units_parse_in_linear_work(instructions: dict[str, int], name: str) -> None:
    """Units of "/" that made the quantity pattern backtrack: instructions, not seconds."""
    assert ratio(instructions, name, "parse") <= MAX_RATIO


def test_long_units_are_read_whole() -> None:
    value = QUANTITY_UNITS["units-slashes"](100_000)
    quantity = rm.parse_quantity(value)
    assert quantity is not None
    assert quantity.unit == value[2:]


#: Numbers longer than Decimal's default 28 digits, and the limits of what is a quantity.
LONG_NUMBERS: list[tuple[str, Decimal | None]] = [
    ("1" * 28, D("1" * 28)),  # 28 digits before the point: the most
    ("1" * 29, None),
    ("9" * 27 + ".123456789", D("9" * 27 + ".123456789")),  # 36 digits, none rounded
    ("0.0000000001", D("1E-10")),  # 10 digits after the point: the most
    ("0.00000000001", None),
    ("1.50000000000000000000", D("1.5")),  # trailing zeros are no digits
    ("123,456,789,012,345 trillion", D("123456789012345" + "0" * 12)),
    ("12345678901234567.5 trillion", None),  # 29 digits once scaled
    ("0.0000000000001 trillion", D("0.1")),  # the scale moves the point, exactly
    ("-0.0", D(0)),
]


@pytest.mark.parametrize(("value", "expected"), LONG_NUMBERS, ids=[v for v, _ in LONG_NUMBERS])
def test_long_numbers_are_exact_or_refused(value: str, expected: Decimal | None) -> None:
    quantity = rm.parse_quantity(value)
    if expected is None:
        assert quantity is None
    else:
        assert quantity is not None
        assert quantity.low == quantity.high == expected
        assert str(quantity.low) == str(expected)


@given(
    st.integers(min_value=0, max_value=10**28 - 1),
    st.integers(min_value=0, max_value=10**10 - 1),
)
def test_every_number_that_fits_is_exact(whole: int, fraction: int) -> None:
    text = f"{whole}.{fraction:010d}"
    quantity = rm.parse_quantity(text)
    assert quantity is not None
    assert quantity.low == Decimal(text)  # Decimal(str) is exact; the old * rounded to 28
