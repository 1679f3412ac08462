"""French durations to ISO 8601 / TIMEX3 values: `normalize_duration(text, before)`.

Pure function: no spaCy, no I/O beyond reading rules/vocab.yaml once (duration_units,
vague_quantities, collective_numbers, duration_mods). Case- and accent-insensitive.

- `trois jours` -> P3D, `20 ans` -> P20Y, `un an` -> P1Y, `deux semaines` -> P2W,
  `48 heures` -> PT48H, `deux décennies` -> P20Y (a unit's multiplier from vocab.yaml).
- Unknown counts: `quelques mois` -> PXM, `plusieurs décennies` / `des dizaines d'années`
  -> PXY (decades of unknown count are years of unknown count).
- Halves: `un an et demi` -> P18M, `deux ans et demi` -> P30M, `un demi-siècle` -> P50Y,
  `une demi-journée` -> PT12H, `une demi-heure` -> PT30M; `1,5 an` -> P18M.
- `une dizaine de jours` -> P10D with mod APPROX (the collective noun is approximate).
- mod, from the words before the span (`before`) or at its head: `plus de`, `au moins` ->
  MORE_THAN; `moins de` -> LESS_THAN; `près de`, `environ`, `quelque` -> APPROX.
- Text that is not a duration gives value None.
"""
from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Any

from ..lexicons import load_vocab
from .dates import fold
from .numbers import parse_number

__all__ = ["normalize_duration"]

_HALF_UNITS = {"siecle": "P50Y", "journee": "PT12H", "jour": "PT12H", "heure": "PT30M",
               "mois": "P15D", "annee": "P6M", "an": "P6M", "semaine": "P3D"}


def _clean(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9,.]+", " ", fold(text)).split())


@functools.lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    vocab = load_vocab()
    units = {_clean(k): (v[0], int(v[1])) for k, v in vocab["duration_units"].items()}
    vague = {_clean(k) for k in vocab["vague_quantities"]} | {"des", "de nombreuses", "de nombreux",
                                                              "de longues", "de longs", "maintes"}
    collective = {_clean(k): v for k, v in vocab["collective_numbers"].items()}
    mods = sorted(((_clean(k), v) for k, v in vocab["duration_mods"].items()), key=lambda kv: -len(kv[0]))
    return {"units": units, "vague": vague, "collective": collective, "mods": mods}


def normalize_duration(text: str, before: str = "") -> dict[str, Any]:
    """ISO 8601 duration value and mod (None, MORE_THAN, LESS_THAN, APPROX) of a DURATION span."""
    lex = _lex()
    words = _clean(text)
    mod = None
    tail = " " + _clean(before[-30:]) if before else ""
    for key, value in lex["mods"]:
        if tail.endswith(" " + key):
            mod = value
            break
    for key, value in lex["mods"]:
        if words.startswith(key + " "):
            words, mod = words[len(key) + 1:], value
            break
    value, approx = _value(words)
    return {"value": value, "mod": mod or ("APPROX" if approx and value else None)}


def _format(count: Fraction | None, designator: str) -> str:
    """P3D, PXY, PT48H; a fractional count of years/days goes down one unit."""
    time = "T" if designator == "H" else ""
    if count is None:
        return f"P{time}X{designator}"
    if count.denominator != 1:
        lower = {"Y": ("M", 12), "D": ("H", 24), "W": ("D", 7), "H": ("M", 60)}.get(designator)
        if lower and (count * lower[1]).denominator == 1:
            unit = lower[0]
            time = "T" if unit == "H" or designator == "H" else ""
            return f"P{time}{int(count * lower[1])}{unit}"
        return f"P{time}{float(count):g}{designator}"
    return f"P{time}{int(count)}{designator}"


def _value(words: str) -> tuple[str | None, bool]:
    lex = _lex()
    tokens = words.split()
    if not tokens:
        return None, False
    half = re.fullmatch(r"(?:un|une) demi (\w+)", words)
    if half:
        unit = half.group(1)
        unit = unit[:-1] if unit.endswith("s") and unit[:-1] in _HALF_UNITS else unit
        return _HALF_UNITS.get(unit), False
    and_half = re.fullmatch(r"(.+?) (\w+) et demie?", words)
    extra = Fraction(0)
    if and_half:
        words, extra = f"{and_half.group(1)} {and_half.group(2)}", Fraction(1, 2)
        tokens = words.split()
    unit_word = tokens[-1]
    if unit_word not in lex["units"]:
        return None, False
    designator, factor = lex["units"][unit_word]
    count_words = " ".join(tokens[:-1])
    count_words = re.sub(r" (?:de|d)$", "", count_words)
    if not count_words:
        return _format(Fraction(factor), designator), False
    if count_words in lex["vague"] or count_words.split()[0] in lex["vague"] and (
            count_words.split()[-1] in lex["collective"] or len(count_words.split()) == 1):
        return _format(None, designator), False
    collective = re.fullmatch(r"(?:une|un|quelques|plusieurs|des) (\w+)", count_words)
    if collective and collective.group(1) in lex["collective"]:
        size = lex["collective"][collective.group(1)]
        if size is None or not count_words.startswith(("une ", "un ")):
            return _format(None, designator), False
        return _format(Fraction(size * factor), designator), True
    count = _count(count_words)
    if count is None:
        return None, False
    return _format((count + extra) * factor, designator), False


def _count(words: str) -> Fraction | None:
    if re.fullmatch(r"\d+(?:[,.]\d+)?", words):
        return Fraction(words.replace(",", "."))
    if words in {"un", "une"}:
        return Fraction(1)
    try:
        value = parse_number(words)
    except Exception:  # noqa: BLE001 - text2num raises on odd input
        return None
    return None if value is None else Fraction(str(value))
