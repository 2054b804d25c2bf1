"""Numbers in metric values: ``~90%``, ``98-99%``, ``Up to 130%``, ``US$258 million``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final, Literal

import attrs

__all__ = ["FRACTION_DIGITS", "INTEGER_DIGITS", "Bound", "Quantity", "parse_quantity"]

#: The most digits a quantity has before the decimal point, once scaled ("2 billion" has 10).
INTEGER_DIGITS: Final = 28
#: The most digits a quantity has after the decimal point (trailing zeros not counted).
FRACTION_DIGITS: Final = 10

#: ``"at most"`` for "up to 130%" (only ``high`` is set), ``"at least"`` for "over 5"
#: (only ``low`` is set).
Bound = Literal["at most", "at least"]


@attrs.frozen
class Quantity:
    """A number or range with its unit, as a metric value states it.

    ``low`` and ``high`` are equal for a single number; a bounded value ("up to 130%") has
    only one of them and says which in ``bound``. ``unit`` is what the number counts as
    written around it, currency first: ``%``, ``x``, ``weeks``, ``t/yr``, ``US$``, ``$/kg``.
    """

    low: Decimal | None
    high: Decimal | None
    unit: str | None = None
    approximate: bool = False
    bound: Bound | None = None


_NUMBER: Final = r"""
    [+-]?                         # a sign, as in +45%
    (?: [0-9]{1,3} (?:,[0-9]{3})+ # digits with thousands separators: 1,000
      | [0-9]+ )                  # or plain digits
    (?: \.[0-9]+ )?               # decimals
"""
QUANTITY_RE: Final = re.compile(
    rf"""
    (?: (?P<at_most>                          # "up to" style: only a high end
            up[ ]to | at[ ]most | under | below | less[ ]than | fewer[ ]than | <= | < | ≤
        ) \s*
      | (?P<at_least>                         # "at least" style: only a low end
            at[ ]least | over | above | more[ ]than | greater[ ]than | >= | > | ≥
        ) \s*
    )?
    (?P<approx>                               # approximately
        ~ | ≈ | about[ ] | around[ ] | roughly[ ] | approx\.[ ]? | approximately[ ]
    )?
    \s*
    (?P<currency> [A-Z]{{0,3}}[$€£¥₩] )?      # currency before the number: $, US$, A$, €
    (?P<low> {_NUMBER} )
    (?: \s* (?: - | \u2013 | \u2014 | [ ]to[ ] ) \s*  # a range: 98-99%, en or em dash, 5 to 10
        (?P=currency)?                        # the currency may be repeated: $1-$2
        (?P<high> {_NUMBER} ) )?
    (?: \s* (?P<scale> thousand | million | billion | trillion | mn | bn ) \b )?
    (?P<unit> \s* (?: %                       # percent
                    | [x\u00d7]               # a multiple: 6x, 6 times sign
                    | [^\W\d_]                # a word unit: weeks, t/yr, tonnes; taken
                      (?=(?P<rest>[^\d,;]*))(?P=rest) )  # whole, never given back (see _unit)
    )?
    (?P<per> /[^\W\d_][^\d\s,;]* )?           # per something, after a currency: $/kg
    """,
    re.VERBOSE | re.IGNORECASE,
)
#: Each scale word as a power of ten.
_SCALES: Final = {
    "thousand": 3,
    "million": 6,
    "mn": 6,
    "billion": 9,
    "bn": 9,
    "trillion": 12,
}


def parse_quantity(value: str) -> Quantity | None:
    """Read a metric value as a :class:`Quantity`; None when it is not a number we understand.

    Exact decimals are kept (``2.3x`` is ``Decimal("2.3")``), whatever their number of
    digits: nothing is rounded. A range whose low end is above its high end, anything left
    over after the unit, or a number with more than :data:`INTEGER_DIGITS` digits before the
    point or :data:`FRACTION_DIGITS` after it gives None rather than a guess; so every
    quantity fits the tables' one decimal type, ``decimal128(38, 10)``
    (see :mod:`rbtfl_model.tables`).
    """
    match = QUANTITY_RE.fullmatch(value.strip())
    if match is None:
        return None
    shift = _SCALES[match["scale"].lower()] if match["scale"] else 0
    first = _decimal(match["low"], shift)
    last = _decimal(match["high"], shift) if match["high"] else first
    if first is None or last is None or first > last:
        return None
    unit = (match["currency"] or "") + _unit(match["unit"] or "") + (match["per"] or "")
    approximate = match["approx"] is not None
    if match["at_most"]:
        return Quantity(None, last, unit or None, approximate, "at most")
    if match["at_least"]:
        return Quantity(first, None, unit or None, approximate, "at least")
    return Quantity(first, last, unit or None, approximate)


def _unit(unit: str) -> str:
    """The unit, stripped, but not the blanks before a trailing "/per" part: ``t /kg``.

    The pattern takes a word unit whole: a lazy unit followed by an optional "/per" part
    retried the per part at every "/", quadratic in a unit like ``a/a/a/...1``. This splits
    the per part off where that lazy pattern did: at the first "/" that follows the unit's
    first letter and its last blank, and precedes a letter.
    """
    text = unit.lstrip()
    last_blank = max((i for i, ch in enumerate(text) if ch.isspace()), default=-1)
    for at in range(max(1, last_blank + 1), len(text) - 1):
        if text[at] == "/" and _LETTER_RE.match(text, at + 1):
            return text[:at].strip() + text[at:]
    return text.strip()


_LETTER_RE: Final = re.compile(r"[^\W\d_]")


def _decimal(text: str, shift: int) -> Decimal | None:
    """The number *text* times ``10**shift``, exactly; None if it has too many digits.

    Built from integers and a string: Decimal's ``*`` and ``scaleb`` round to the context's
    28 digits.
    """
    whole, _, fraction = text.replace(",", "").lstrip("+-").partition(".")
    fraction = fraction.rstrip("0")
    places = len(fraction) - shift  # digits after the point once scaled; may be negative
    coefficient = (whole + fraction).lstrip("0")
    if places > FRACTION_DIGITS or len(coefficient) - places > INTEGER_DIGITS:
        return None
    sign = "-" if text.startswith("-") and coefficient else ""
    return (
        Decimal(f"{sign}{coefficient or 0}{'0' * -places}")
        if places <= 0
        else Decimal(f"{sign}{coefficient}E-{places}")
    )
