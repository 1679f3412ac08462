"""French numbers, in digits or in words, to a Python number.

`parse_number(text)` reads what the French press writes for a quantity:

- digits with French or international separators: `3`, `1,5`, `1.5`, `15 000` (the space
  may be U+0020, U+00A0 no-break space, U+202F narrow no-break space or U+2009 thin space),
  `15.000`, `1 234,56`, `1.234,56`, `1,234.56`, Swiss `1'000`;
- number words, read by the `text2num` library (never re-implemented here): `trois`, `un`,
  `une`, `vingt-cinq`, `quatre-vingt-dix`, `soixante et onze`, `cent cinquante`, `deux mille`;
  decimals in words with `virgule` (`deux virgule cinq`);
- digits or words followed by a scale word: `1,5 million`, `deux milliards`,
  `un million et demi`;
- approximate collective nouns: `une dizaine` (10), `une douzaine` (12), `une quinzaine`,
  `une vingtaine` ... `une centaine` (100), `un millier` (1000); `trois douzaines` (36).

Vague quantities have no value and give None: `des dizaines`, `quelques`, `plusieurs`,
`de nombreux`; so does anything that is not a number.

Return type: an `int` when the value is integral (`15 000` -> 15000, `1,0` -> 1), a `float`
otherwise (`1,5` -> 1.5). `int` is accepted wherever a `float` is (PEP 484), so callers
may treat the result as a float.

Separator rules for digits (French usage first):
- a comma is the decimal mark, unless it appears more than once (`1,234,567`) or a dot
  follows it (`1,234.56`), in which case commas group thousands;
- a dot is the decimal mark, unless every dot-separated group after the first has exactly
  three digits (`15.000`, `1.234.567`) or a comma follows it (`1.234,56`): then dots group
  thousands. So `1.5` is 1.5 and `1.500` is 1500 (French press usage).
"""
from __future__ import annotations

import re
from decimal import Decimal

from text_to_num import text2num

__all__ = ["parse_number", "parse_digits", "scaled", "SCALE_WORDS", "APPROX_NOUNS", "VAGUE_WORDS"]

#: Characters used as thousands separators inside a number written in digits.
GROUP_SPACES = " \u00a0\u202f\u2009"

#: Scale words that multiply the number before them (French long scale: billion = 10^12).
SCALE_WORDS: dict[str, int] = {
    "mille": 10**3,
    "million": 10**6, "millions": 10**6,
    "milliard": 10**9, "milliards": 10**9,
    "billion": 10**12, "billions": 10**12,
}

#: Collective nouns of approximate quantity: `une dizaine` = 10.
APPROX_NOUNS: dict[str, int] = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100,
    "millier": 1000,
}

#: Determiners and words of unknown quantity: a number they introduce has no value.
VAGUE_WORDS = frozenset({
    "des", "quelques", "quelque", "plusieurs", "nombreux", "nombreuses", "maints", "maintes",
    "certains", "certaines", "divers", "diverses", "beaucoup", "moult",
})

_DIGITS = re.compile(r"^[+-]?\d[\d" + GROUP_SPACES + r".,']*$")
_SPACE_GROUPED = re.compile(r"^\d{1,3}([" + GROUP_SPACES + r"]\d{3})+([.,]\d+)?$")


# The largest int a value keeps exactly: beyond it, an int cannot cross between processes
# (`--workers N` sends docs through msgpack, which stops at 64 bits), so it becomes a float.
MAX_EXACT_INT = 2**63 - 1


def _number(value: float) -> int | float:
    """An int when integral and within 64 bits, else the float."""
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_EXACT_INT:
        return int(value)
    return value


def scaled(count: int | float, factor: int | float) -> int | float:
    """`count * factor` without binary noise: 4.35 x 10^6 is 4350000, not 4349999.999."""
    product = Decimal(str(count)) * Decimal(str(factor))
    if product == product.to_integral_value() and abs(product) <= MAX_EXACT_INT:
        return int(product)
    return float(product)


def parse_digits(text: str) -> int | float | None:
    """A number written in digits with French or international separators, else None."""
    text = text.strip()
    if not text or not _DIGITS.match(text):
        return None
    sign = -1 if text[0] == "-" else 1
    text = text.lstrip("+-")
    if any(space in text for space in GROUP_SPACES):
        if not _SPACE_GROUPED.match(text):
            return None
        for space in GROUP_SPACES:
            text = text.replace(space, "")
    if "'" in text:  # Swiss grouping: 1'000'000
        if not re.match(r"^\d{1,3}('\d{3})+([.,]\d+)?$", text):
            return None
        text = text.replace("'", "")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        # the last separator is the decimal mark, the other one groups thousands
        if text.rfind(",") > text.rfind("."):
            integer, decimal = text.rsplit(",", 1)
            groups = integer.split(".")
        else:
            integer, decimal = text.rsplit(".", 1)
            groups = integer.split(",")
        if not _valid_groups(groups):
            return None
        return _number(sign * float("".join(groups) + "." + decimal))
    if commas > 1 or dots > 1:
        groups = text.split("," if commas else ".")
        if not _valid_groups(groups):
            return None
        return _number(sign * float("".join(groups)))
    if commas == 1:
        integer, decimal = text.split(",")
        if not integer or not decimal:
            return None
        return _number(sign * float(integer + "." + decimal))
    if dots == 1:
        integer, decimal = text.split(".")
        if not integer or not decimal:
            return None
        if len(decimal) == 3 and integer != "0":  # 15.000: French thousands separator
            return _number(sign * float(integer + decimal))
        return _number(sign * float(integer + "." + decimal))
    return _number(sign * float(text))


def _valid_groups(groups: list[str]) -> bool:
    return (1 <= len(groups[0]) <= 3 and groups[0].isdigit()
            and all(len(group) == 3 and group.isdigit() for group in groups[1:]))


def _words(text: str) -> int | float | None:
    """A number in words (text2num), with an optional `virgule` decimal part."""
    text = text.strip()
    if not text:
        return None
    if " virgule " in f" {text} ":
        integer, _, decimal = text.partition("virgule")
        whole, frac = _words(integer), decimal.strip()
        if whole is None or not frac:
            return None
        # decimals read digit by digit ("deux virgule zéro cinq") or as a number ("virgule cinq")
        digits = [_words(word) for word in frac.split()]
        if all(d is not None and 0 <= d <= 9 for d in digits) and len(digits) > 1:
            decimals = "".join(str(d) for d in digits)
        else:
            value = _words(frac)
            if value is None:
                return None
            decimals = str(value)
        return _number(float(f"{whole}.{decimals}"))
    try:
        return text2num(text, "fr")
    except ValueError:
        return None


def _base(text: str) -> int | float | None:
    """Digits or words, without scale handling."""
    value = parse_digits(text)
    if value is not None:
        return value
    if re.search(r"\d", text):
        return None
    return _words(text)


def parse_number(text: str) -> int | float | None:
    """The value of a French number in digits or words; None when unknown or vague.

    >>> parse_number("15\u202f000"), parse_number("1,5"), parse_number("soixante et onze")
    (15000, 1.5, 71)
    >>> parse_number("une douzaine"), parse_number("des dizaines")
    (12, None)
    """
    if text is None:
        return None
    text = text.replace("’", "'").strip()
    if not text:
        return None
    value = parse_digits(text)
    if value is not None:
        return value
    lower = " ".join(text.lower().split())
    words = lower.split(" ")
    if words[0] in VAGUE_WORDS or (words[0] == "de" and len(words) > 1 and words[1] in VAGUE_WORDS):
        return None
    # approximate collective noun: "une dizaine", "trois douzaines", "un millier"
    last = words[-1]
    singular = last[:-1] if last.endswith("s") and last[:-1] in APPROX_NOUNS else last
    if singular in APPROX_NOUNS:
        head = " ".join(words[:-1])
        count = 1 if head in ("", "un", "une") else _base(head)
        return None if count is None else scaled(count, APPROX_NOUNS[singular])
    # "un million et demi", "1,5 milliard", "deux milliards", "trois mille"
    half = 0.0
    if words[-2:] == ["et", "demi"] or words[-2:] == ["et", "demie"]:
        words, half = words[:-2], 0.5
    if len(words) > 1 and words[-1] in SCALE_WORDS and words[-1] != "mille":
        head = " ".join(words[:-1])
        count = _base(head)
        if count is None:
            return None
        return scaled(count + half, SCALE_WORDS[words[-1]])
    if half or (len(words) == 1 and words[0] in SCALE_WORDS and words[0] != "mille"):
        return None  # "millions" alone says no count
    if len(words) > 1 and words[-1] == "mille" and re.search(r"\d", words[0]):
        count = _base(" ".join(words[:-1]))
        return None if count is None else scaled(count, 1000)
    return _base(lower)
