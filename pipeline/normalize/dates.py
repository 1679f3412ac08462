"""French date expressions to TIMEX3 values: `normalize_date(text, dct, before)`.

Pure functions: no spaCy, no I/O beyond reading rules/vocab.yaml once (months, weekdays,
seasons, ordinals, period parts, relative words, deictic days, vague dates, holidays, mods).
Words are matched case- and accent-insensitively (`FÉVRIER`, `fevrier`, `Février`).

Conventions (SCHEMA.md, DATE row, and the hand-made gold):

- Never invent precision: `novembre 2021` -> `2021-11`, `2014` -> `2014`, `années 70` -> `197X`,
  `fin 2020` -> `2020` + mod END, `mi-2023` -> `2023` + MID, `premier trimestre 2024` -> `2024-Q1`,
  `été 2022` -> `2022-SU`; `récemment` -> PAST_REF, `actuellement` -> PRESENT_REF.
- A year range `2019-2020` has no TIMEX3 value: we return the FIRST year (`2019`, mod None),
  because an analyst dating a transfer wants when it started; the date patterns themselves
  find the two years as two DATE spans (as the gold does for `de 2002 à 2020`), so this only
  applies when a caller hands the whole range to the normaliser.
- Relative to the DCT (`"2022"`, `"2022-07"`, `"2022-07-18"`, or a longer ISO timestamp).
  A date without a year takes it from the DCT: `prefer="past"` (the default, press usage)
  picks the most recent occurrence not after the DCT (`Fin mars`, DCT 2022-07 -> `2022-03`);
  `prefer="future"` the first one not before it; `prefer="nearest"` whichever of the two is
  closer to the DCT (the resolver's choice for a sentence with no tense, see
  rules/date_direction.yaml). `dernier`/`prochain` always look strictly
  back/forward (`juillet dernier`, DCT 2022-07 -> `2021-07`). Without the DCT precision a form
  needs, the unknown digits are `X` and the known ones are kept: `13 août` -> `XXXX-08-13`;
  `hier`, `lundi`, `mardi dernier` with DCT `2022-07` -> `2022-07-XX`, with DCT `2022` ->
  `2022-XX-XX`, without DCT -> `XXXX-XX-XX`.
- Seasons: `printemps 2022` -> `2022-SP`; a bare season (`automne` in `à l'automne`) is read
  like a bare month: with `prefer="past"` the most recent one begun by the DCT month (DCT
  2023-05 -> `2022-FA`, as the dev gold has it; DCT 2023-11 -> `2023-FA`), the DCT year when
  the DCT has no month, `XXXX-FA` without DCT; `cet hiver` is the season of the DCT year
  (in January or February, the winter begun the year before); `l'été dernier` / `prochain`
  look strictly back / forward; `printemps de l'an dernier` -> the season of that year.
- Offsets (`il y a trois ans`, `dans deux semaines`) resolve at the grain of their unit
  (years -> year, months -> month, days and weeks -> day): no invented day for `il y a 3 ans`.
- Anaphoric days (`la veille`, `le lendemain`, `le jour suivant`) and offsets (`deux jours plus
  tard`, `trois mois plus tôt`, `deux jours après`) count from the date just narrated, `anchor` (the caller's
  choice: the last full date before the phrase, as HeidelTime does), else from the DCT, at the
  grain of their unit; without a day to count from: `XXXX-XX-XX`. `le lendemain du 13 février`
  counts from the date it names.
- `mod` comes from words before the span (`before`) or at its head: `avant`, `d'ici`,
  `jusqu'en` -> BEFORE; `après`, `à partir de` -> AFTER; `vers`, `autour de` -> APPROX;
  and from a part word inside it: `début` START, `mi-`/`milieu` MID, `fin` END (also of a
  decade: `fin des années 2000` -> `200X` END). `dès` sets no mod: `livrés dès juillet 2015`
  dates the delivery (the words are in rules/vocab.yaml `date_mods`).
- Text this module cannot read as a date (`Mirage 2000`, `2000 soldats`) gives value None.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..lexicons import RuleError, load_vocab, read_yaml, rules_path
from .numbers import parse_number

__all__ = ["normalize_date", "parse_dct", "fold", "DateForm", "load_date_forms", "date_form",
           "dateparser_value", "our_value"]

Result = dict[str, Any]


# ------------------------------------------------------------------------------ folding


@functools.lru_cache(maxsize=65536)  # the same spans, lemmas and words again and again
def fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes: `Février` -> `fevrier`."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@functools.lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    """Folded text as space-separated words and numbers, ordinal suffixes dropped."""
    text = fold(text)
    text = re.sub(r"\b(\d+)\s?(?:er|ere|re|eme|e|nd|nde)\b", r"\1", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _key(form: str) -> str:
    """Lookup key of a vocab form: cleaned, with a dotted abbreviation's dot dropped."""
    return _clean(form)


@functools.lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    vocab = load_vocab()
    months = {_key(k): int(v) for k, v in vocab["months"].items()}
    for form in vocab.get("month_sept_forms", []):
        months.setdefault(_key(form), 9)
    weekdays = {_key(k): int(v) for k, v in vocab["weekdays"].items()}
    abbrevs = {_key(k): int(v) for k, v in vocab.get("weekday_abbrevs", {}).items()}
    ordinals = {_key(k): int(v) for k, v in vocab["ordinals"].items()}
    relative = {_key(k): int(v) for k, v in vocab["relative_after"].items()}
    parts = {_key(k): v for k, v in vocab["period_parts"].items()}
    deictic = {_key(k): int(v) for k, v in vocab["deictic_days"].items()}
    deictic.update({_key(k): int(v) for k, v in vocab.get("deictic_phrases", {}).items()})
    vague = {_key(k): v for k, v in vocab["vague_dates"].items()}
    vague.update({_key(k): v for k, v in vocab.get("vague_phrases", {}).items()})
    holidays = {_key(k): str(v) for k, v in vocab.get("holidays", {}).items()}
    anaphoric = {_key(k): int(v) for k, v in vocab["anaphoric_days"].items()}
    seasons = {_key(k): v for k, v in vocab["seasons"].items()}
    codes = {_key(k): tuple(v) for k, v in vocab.get("period_codes", {}).items()}
    mods = sorted(((_key(k), v) for k, v in vocab["date_mods"].items()), key=lambda kv: -len(kv[0]))
    return {"months": months, "weekdays": weekdays, "abbrevs": abbrevs, "ordinals": ordinals,
            "relative": relative, "parts": parts, "deictic": deictic, "vague": vague,
            "holidays": holidays, "anaphoric": anaphoric, "seasons": seasons, "codes": codes, "mods": mods}


# --------------------------------------------------------------------------------- DCT


def parse_dct(dct: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a TIMEX3/ISO DCT; None for each unknown part."""
    if not dct:
        return None, None, None
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", dct.strip())
    if not match:
        return None, None, None
    year, month, day = (int(g) if g else None for g in match.groups())
    return year, month, day


class _Ctx:
    """The DCT, the narrated date (`anchor`) and the resolution preference of one call."""

    def __init__(self, dct: str | None, prefer: str, anchor: str | None = None):
        self.year, self.month, self.day = parse_dct(dct)
        self.prefer = prefer
        self.anchor = anchor

    @property
    def narrated(self) -> dt.date | None:
        """The day anaphoric phrases count from: the anchor if it is a full date, else the DCT."""
        year, month, day = parse_dct(self.anchor)
        if year and month and day and _valid(year, month, day):
            return dt.date(year, month, day)
        return self.date

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


def _ymd(date: dt.date) -> str:
    return date.isoformat()


def _ym(year: int | None, month: int) -> str:
    return f"{year:04d}-{month:02d}" if year else f"XXXX-{month:02d}"


def _week(date: dt.date) -> str:
    iso = date.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


# ------------------------------------------------------------------------ entry point


def normalize_date(text: str, dct: str | None, before: str = "", *, prefer: str = "past",
                   anchor: str | None = None, after: str = "") -> Result:
    """TIMEX3 value and mod of a DATE span (see the module docstring for the conventions).

    text: the span as the patterns match it; dct: document creation time as TIMEX3 or None;
    before: the sentence text before the span (for `avant`, `d'ici`, `vers`...);
    prefer: which occurrence a year-less date takes: "past" (press default), "future", or
    "nearest" (the one closer to the DCT, the past one on a tie: a sentence with no tense);
    anchor: the date just narrated (`YYYY-MM-DD`), for `le lendemain`, `deux jours plus tard`;
    after: the text after the span: `la veille de la visite` counts from an event whose date
    the phrase does not give (`XXXX-XX-XX`), not from the narrated date.
    Returns {"value": str | None, "mod": None | START | MID | END | APPROX | BEFORE | AFTER}.
    """
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be one of {', '.join(PREFERENCES)}, not {prefer!r}")
    if prefer == "nearest":
        past, future = (normalize_date(text, dct, before, prefer=way, anchor=anchor, after=after)
                        for way in ("past", "future"))
        return future if _is_nearer(future["value"], past["value"], dct) else past
    if _before_an_event(text, after):
        anchor, dct = None, None
    value, own_mod = _value_and_own_mod(text, dct, prefer, anchor)
    form = date_form(text)
    if form is not None and (form.reader == "dateparser" or form.reader == READ_OURS_FIRST and value is None):
        value = dateparser_value(text, dct, prefer) or value
    return {"value": value, "mod": own_mod or _mod_before(before[-MOD_REACH:])}


@functools.lru_cache(maxsize=16384)
def _value_and_own_mod(text: str, dct: str | None, prefer: str, anchor: str | None
                       ) -> tuple[str | None, str | None]:
    """The value and the mod the span's own words give (`fin`, `début`), memoised: a
    corpus repeats the same dates (`2021`, `l'an dernier`) with the same DCT."""
    ctx = _Ctx(dct, prefer, anchor)
    words = _clean(text)
    value = _fixed_phrase(words, ctx)
    if value:
        return value, None
    words, head_mod = _strip_head(words)
    value, part_mod = _resolve(words, ctx)
    return value, part_mod or head_mod


def _fixed_phrase(words: str, ctx: _Ctx) -> str | None:
    """Whole-phrase forms checked before leading words are stripped (`avant-hier`)."""
    lex = _lex()
    if words in lex["vague"]:
        return lex["vague"][words]
    if words in lex["deictic"]:
        return _deictic(lex["deictic"][words], ctx)
    return None


def our_value(text: str, dct: str | None, prefer: str = "past") -> str | None:
    """Our normaliser's value of a span, whatever reader rules/date_readers.yaml names."""
    return _value_and_own_mod(text, dct, prefer, None)[0]


def _before_an_event(text: str, after: str) -> bool:
    """An anaphoric day followed by the event it counts from (`la veille de la visite`)."""
    return _is_anaphoric(text) and bool(re.match(r"\s*(?:(?:de|du|des)\b|d')", fold(after)))


@functools.lru_cache(maxsize=16384)
def _is_anaphoric(text: str) -> bool:
    """An anaphoric day (`la veille`, `le lendemain`), memoised as the span's other readings."""
    return _strip_head(_clean(text))[0] in _lex()["anaphoric"]


PREFERENCES = ("past", "future", "nearest")


def _is_nearer(value: str | None, other: str | None, dct: str | None) -> bool:
    """Is the period `value` strictly closer to the DCT than `other` (days between them,
    0 when they overlap)? False when one of them is no calendar day, month or year."""
    here, there, now = _period(value), _period(other), _period(dct)
    if not (here and there and now):
        return False
    return _gap(here, now) < _gap(there, now)


def _period(value: str | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a TIMEX3 day, month or year (`2013-02-12`, `2013-03`, `2013`)."""
    year, month, day = parse_dct(value)
    if not year or value is None or not re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", value.strip()[:10]):
        return None
    if day:
        return (dt.date(year, month, day),) * 2 if _valid(year, month, day) else None
    if month:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _gap(one: tuple[dt.date, dt.date], other: tuple[dt.date, dt.date]) -> int:
    """Days between two periods, 0 when they overlap."""
    return max((other[0] - one[1]).days, (one[0] - other[1]).days, 0)


MOD_REACH = 40  # characters before a date that can hold its mod word (`d'ici la`)


@functools.lru_cache(maxsize=16384)
def _mod_before(before: str) -> str | None:
    """The mod a word right before the span gives (`avant`, `d'ici`, `vers`)."""
    tail = " " + _clean(before) if before else ""
    for key, mod in _lex()["mods"]:
        if tail.endswith(" " + key):
            return mod
    return None


_FILLERS = {"le", "la", "les", "l", "en", "au", "aux", "a", "du", "de", "d", "depuis", "pour",
            "sur", "des", "ce", "jour", "mois"}


def _strip_head(words: str) -> tuple[str, str | None]:
    """Drop leading prepositions and articles; a leading mod word becomes the mod."""
    mod = None
    changed = True
    while changed and words:
        changed = False
        for key, value in _lex()["mods"]:
            if words.startswith(key + " "):
                words, mod, changed = words[len(key) + 1:], value, True
                break
        first, _, rest = words.partition(" ")
        if not changed and rest and first in {"le", "la", "les", "l", "en", "au", "aux", "a",
                                              "du", "depuis", "pour", "sur", "courant", "des"}:
            # keep `le mois dernier`, `la semaine prochaine`: harmless to drop the article
            words, changed = rest, True
    return words, mod


# --------------------------------------------------------------------------- resolver


_UNITS = {"jour": "D", "jours": "D", "journee": "D", "journees": "D", "semaine": "W",
          "semaines": "W", "mois": "M", "an": "Y", "ans": "Y", "annee": "Y", "annees": "Y"}
_PERIODS = {"semaine": "W", "mois": "M", "an": "Y", "annee": "Y", "trimestre": "Q",
            "semestre": "H"}
_THIS = {"ce", "cet", "cette"}
_VAGUE_COUNTS = {"plusieurs", "quelques", "des", "nombreuses", "nombreux", "de", "certain",
                 "certaines", "maintes", "dizaines", "centaines"}


def _resolve(words: str, ctx: _Ctx) -> tuple[str | None, str | None]:
    lex = _lex()
    if not words:
        return None, None
    if words in lex["vague"]:
        return lex["vague"][words], None
    if re.fullmatch(r"ces (derniers|dernieres) \w+", words):
        return "PAST_REF", None
    if re.fullmatch(r"ces (prochains|prochaines) \w+", words):
        return "FUTURE_REF", None
    if words in lex["deictic"]:
        return _deictic(lex["deictic"][words], ctx), None
    anaphoric = _anaphoric(words, ctx)
    if anaphoric:
        return anaphoric, None
    holiday = _holiday(words, ctx)
    if holiday:
        return holiday, None
    decade = _decade(words)
    if decade:
        return decade, None
    offset = _offset(words, ctx) or _later(words, ctx)
    if offset:
        return offset
    nth = _nth_in_month(words, ctx)
    if nth:
        return nth, None
    part = re.fullmatch(r"(debut|mi|milieu|fin|courant) (?:(?:de|du|d) )?(?:l )?(?:la )?(.+)", words)
    if part:
        decade = _decade(re.sub(r"^(?:des|de la|de|la) ", "", part.group(2)))
        if decade:  # `fin des années 2000`, `début de la décennie 90`
            return decade, lex["parts"].get(part.group(1))
        value, _ = _resolve_period(part.group(2), ctx, bare_is_this=True)
        if value:
            return value, lex["parts"].get(part.group(1))
    value, mod = _resolve_period(words, ctx, bare_is_this=False)
    return value, mod


def _resolve_period(words: str, ctx: _Ctx, bare_is_this: bool) -> tuple[str | None, str | None]:
    """Quarter, season, relative period, or a calendar date/month/year."""
    words = re.sub(r"^(?:(?:le|la|les|l|du|de|d) )+", "", words)
    words = re.sub(r"^mois (?:de |d )", "", words)
    for fn in (_quarter, _season, _relative_period):
        value = fn(words, ctx, bare_is_this)
        if value:
            return value, None
    return _calendar(words, ctx), None


def _nth_in_month(words: str, ctx: _Ctx) -> str | None:
    """`premier vendredi de juillet`, `le dernier jour d'octobre 2015`, `3e jour d'octobre`."""
    lex = _lex()
    match = re.fullmatch(r"(\w+) (\w+) (?:de|du|d) (.+)", words)
    if not match:
        return None
    rank_word, what, rest = match.groups()
    if rank_word in {"dernier", "derniere"}:
        rank = -1
    elif rank_word.isdigit():
        rank = int(rank_word)
    else:
        rank = lex["ordinals"].get(rank_word)
    if not rank or not (what == "jour" or what in lex["weekdays"]):
        return None
    month_value, _ = _resolve_period(rest, ctx, bare_is_this=True)
    found = re.fullmatch(r"(\d{4})-(\d\d)", month_value or "")
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    if what == "jour":
        last = calendar.monthrange(year, month)[1]
        day = last if rank == -1 else rank
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= last else None
    if rank > 5:
        return None
    try:
        return _nth_weekday(year, month, lex["weekdays"][what], rank)
    except IndexError:
        return None


def _deictic(offset: int, ctx: _Ctx) -> str:
    date = ctx.date
    return _ymd(date + dt.timedelta(days=offset)) if date else _unknown_day(ctx)


def _unknown_day(ctx: _Ctx) -> str:
    """A day the DCT is not precise enough to name: keep its known year and month."""
    if ctx.year and ctx.month:
        return f"{ctx.year:04d}-{ctx.month:02d}-XX"
    if ctx.year:
        return f"{ctx.year:04d}-XX-XX"
    return "XXXX-XX-XX"


def _holiday(words: str, ctx: _Ctx) -> str | None:
    match = re.fullmatch(r"(.+?)(?: (?:de |d )?(\d{4}))?", words)
    key = match.group(1)
    key = re.sub(r"^(?:le |la |l )", "", key) if key not in _lex()["holidays"] else key
    if key not in _lex()["holidays"]:
        return None
    rule = _lex()["holidays"][key]
    nth = re.fullmatch(r"(\d\d)-WXX-(\d)-#(-?\d)", rule)
    if nth:
        month, weekday, rank = (int(x) for x in nth.groups())
        if match.group(2):
            return _nth_weekday(int(match.group(2)), month, weekday, rank)
        if not ctx.year:
            return f"XXXX-{month:02d}-XX"
        ref = ctx.date or dt.date(ctx.year, ctx.month or 12 if ctx.prefer == "past" else ctx.month or 1, 1)
        this_year = dt.date.fromisoformat(_nth_weekday(ctx.year, month, weekday, rank))
        if ctx.prefer == "past":
            year = ctx.year if this_year <= ref else ctx.year - 1
        else:
            year = ctx.year if this_year >= ref else ctx.year + 1
        return _nth_weekday(year, month, weekday, rank)
    month, day = (int(x) for x in rule.split("-"))
    if match.group(2):
        return f"{match.group(2)}-{month:02d}-{day:02d}"
    return _day_month(day, month, ctx, 0)


def _nth_weekday(year: int, month: int, weekday: int, rank: int) -> str:
    """The rank-th (or, rank -1, the last) given weekday of a month, as YYYY-MM-DD."""
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1)
            if dt.date(year, month, d).isoweekday() == weekday]
    return dt.date(year, month, days[rank - 1 if rank > 0 else rank]).isoformat()


def _decade(words: str) -> str | None:
    match = re.fullmatch(r"(?:les )?(?:annees|decennie) (.+?)(?: ?s)?", words)  # `70's`, `1970s`
    if not match:
        return None
    number = _number(match.group(1))
    century = re.fullmatch(r"dix (neuf|huit) (.+)", match.group(1))
    if number is None and century:
        tail = _number(century.group(2))
        number = None if tail is None else (1900 if century.group(1) == "neuf" else 1800) + tail
    if number is None:
        return None
    number = int(number)
    if number % 10 or not (0 <= number < 100 or 1000 <= number <= 2090):
        return None
    year = number if number >= 1000 else 1900 + number
    return f"{str(year)[:3]}X"


def _number(words: str) -> int | float | None:
    words = words.strip()
    if re.fullmatch(r"\d+", words):
        return int(words)
    if words in {"un", "une"}:
        return 1
    try:
        return parse_number(words)
    except Exception:  # noqa: BLE001 - text2num raises on odd input
        return None


_UNIT_WORDS = r"(jours?|journees?|semaines?|mois|ans?|annees?)"


def _offset(words: str, ctx: _Ctx) -> tuple[str, str | None] | None:
    """`il y a trois ans`, `dans deux semaines`: an offset from the DCT."""
    match = re.fullmatch(r"(il y a|il ya|y a|dans|d ici) (.+) " + _UNIT_WORDS + r"(?: (plus tot|plus tard))?",
                         words)
    if not match:
        return None
    head, count_words, unit = match.group(1), match.group(2), _UNITS[match.group(3)]
    sign = -1 if head in {"il y a", "il ya", "y a"} else 1
    return _counted_shift(count_words, unit, sign, (ctx.year, ctx.month, ctx.day))


def _later(words: str, ctx: _Ctx) -> tuple[str, str | None] | None:
    """`deux jours plus tard`, `une semaine plus tôt`, `deux jours après`, `un an avant`: an
    offset from the narrated date."""
    match = re.fullmatch(r"(.+) " + _UNIT_WORDS + r" (plus tard|plus tot|apres|avant)", words)
    if not match:
        return None
    narrated = ctx.narrated
    base = (narrated.year, narrated.month, narrated.day) if narrated else (None, None, None)
    sign = 1 if match.group(3) in ("plus tard", "apres") else -1
    return _counted_shift(match.group(1), _UNITS[match.group(2)], sign, base)


def _counted_shift(count_words: str, unit: str, sign: int, base: tuple[int | None, int | None, int | None]
                   ) -> tuple[str, str | None] | None:
    """`count_words` units (D, W, M, Y) before (sign -1) or after (+1) the base (year, month,
    day), at the grain of the unit; a vague count (`quelques`) gives PAST_REF / FUTURE_REF."""
    mod = None
    approx = re.match(r"(?:a peu pres|environ|pres de|quelque|presque) (.+)", count_words)
    if approx:
        count_words, mod = approx.group(1), "APPROX"
    if count_words.split()[0] in _VAGUE_COUNTS:
        return ("PAST_REF" if sign < 0 else "FUTURE_REF"), None
    count = _number(count_words)
    if count is None or count != int(count):
        return None
    count = int(count) * sign
    year, month, day = base
    if unit in "DW":
        days = count * (7 if unit == "W" else 1)
        if year and month and day:
            return _ymd(dt.date(year, month, day) + dt.timedelta(days=days)), mod
        return "XXXX-XX-XX", mod
    if unit == "M":
        if year and month:
            return _ym(*_shift_month(year, month, count)), mod
        return "XXXX-XX", mod
    return (f"{year + count:04d}" if year else "XXXX"), mod


def _anaphoric(words: str, ctx: _Ctx) -> str | None:
    """`la veille`, `le lendemain`, `le jour suivant` from the narrated date (or the DCT);
    `le lendemain du 13 février` from the date it names."""
    days = _lex()["anaphoric"]
    if words in days:
        base = ctx.narrated
        return _ymd(base + dt.timedelta(days=days[words])) if base else "XXXX-XX-XX"
    match = re.fullmatch(r"(\w+(?: \w+)?) (?:de|du|d) (.+)", words)
    if not match or match.group(1) not in days:
        return None
    named = _calendar(match.group(2), ctx) or ""
    if not FULL_DAY.fullmatch(named):
        return None
    return _ymd(dt.date.fromisoformat(named) + dt.timedelta(days=days[match.group(1)]))


FULL_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _quarter(words: str, ctx: _Ctx, bare_is_this: bool) -> str | None:
    lex = _lex()
    match = re.fullmatch(r"(\w+) (trimestre|semestre)(?: (?:de |d )?(?:l )?(?:annee )?(\d{4}))?", words)
    if match and match.group(1) in lex["ordinals"] or match and match.group(1).isdigit():
        number = lex["ordinals"].get(match.group(1)) or int(match.group(1))
        letter = "Q" if match.group(2) == "trimestre" else "H"
        if (letter == "Q" and not 1 <= number <= 4) or (letter == "H" and not 1 <= number <= 2):
            return None
        year = match.group(3) or (f"{ctx.year:04d}" if ctx.year else "XXXX")
        return f"{year}-{letter}{number}"
    match = re.fullmatch(r"(t[1-4]|s[12])(?: (\d{4}))?", words)
    if match:
        letter, number = lex["codes"][match.group(1)]
        year = match.group(2) or (f"{ctx.year:04d}" if ctx.year else "XXXX")
        return f"{year}-{letter}{number}"
    return None


_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season(words: str, ctx: _Ctx, bare_is_this: bool) -> str | None:
    lex = _lex()
    of_year = re.fullmatch(r"(\w+) (?:de|d) (.+)", words)
    if of_year and of_year.group(1) in lex["seasons"] and not of_year.group(2).isdigit():
        # `printemps de l'an dernier`, `été de cette année`, `automne de l'année prochaine`
        year = _relative_period(re.sub(r"^(?:l|la) ", "", of_year.group(2)), ctx, True)
        if year and re.fullmatch(r"\d{4}|XXXX", year):
            return f"{year}-{lex['seasons'][of_year.group(1)]}"
        return None
    match = re.fullmatch(r"(?:(ce|cet|cette) )?(\w+)(?: (?:de |d )?(\d{4}))?(?: (\w+))?", words)
    if not match or match.group(2) not in lex["seasons"]:
        return None
    code = lex["seasons"][match.group(2)]
    this, year, rel = match.group(1), match.group(3), match.group(4)
    if rel and rel not in lex["relative"]:
        return None
    if year:
        return f"{year}-{code}"
    if not ctx.year:
        return f"XXXX-{code}"
    if not ctx.month:
        return f"{ctx.year:04d}-{code}" if (this or not rel) else f"XXXX-{code}"
    if this:  # `cet automne`: the season of the DCT year
        year = ctx.year - 1 if code == "WI" and ctx.month <= 2 else ctx.year
        return f"{year:04d}-{code}"
    dct_index = ctx.year * 12 + ctx.month - 1
    starts = [(y * 12 + _SEASON_MONTH[code] - 1) for y in range(ctx.year - 2, ctx.year + 3)]
    step = lex["relative"][rel] if rel else 0
    if step < 0:  # `l'été dernier`: the last season wholly before the DCT month
        chosen = max(s for s in starts if s + 3 <= dct_index)
    elif step > 0:  # `l'été prochain`: the next one to begin after it
        chosen = min(s for s in starts if s > dct_index)
    elif ctx.prefer == "future":  # bare `l'automne`, like a bare month
        chosen = min(s for s in starts if s + 3 > dct_index)
    else:  # bare `l'automne`: the most recent one begun by the DCT month
        chosen = max(s for s in starts if s <= dct_index)
    return f"{chosen // 12:04d}-{code}"


def _relative_period(words: str, ctx: _Ctx, bare_is_this: bool) -> str | None:
    """`le mois dernier`, `l'an prochain`, `cette année`, `ce mois-ci`, `fin d'année`."""
    lex = _lex()
    match = re.fullmatch(r"(?:(ce|cet|cette) )?(semaine|mois|an|annee|trimestre|semestre)"
                         r"(?: (ci|en cours|courante?|\w+|d apres|qui suit|qui vient))?", words)
    if not match:
        return None
    this, period, rel = match.group(1), _PERIODS[match.group(2)], match.group(3)
    if rel in {"ci", "en cours", "courant", "courante"} or (rel is None and (this or bare_is_this)):
        step = 0
    elif rel in lex["relative"]:
        step = lex["relative"][rel]
    elif rel in {"d apres", "qui suit", "qui vient"}:
        step = 1
    else:
        return None
    if period == "Y":
        return f"{ctx.year + step:04d}" if ctx.year else "XXXX"
    if period == "M":
        if ctx.year and ctx.month:
            return _ym(*_shift_month(ctx.year, ctx.month, step))
        return "XXXX-XX"
    if period == "W":
        date = ctx.date
        if date:
            return _week(date + dt.timedelta(days=7 * step))
        return f"{ctx.year:04d}-WXX" if ctx.year and step == 0 else "XXXX-WXX"
    size = 3 if period == "Q" else 6
    if ctx.year and ctx.month:
        index = ctx.year * (12 // size) + (ctx.month - 1) // size + step
        return f"{index // (12 // size):04d}-{period}{index % (12 // size) + 1}"
    return f"XXXX-{period}X"


# ------------------------------------------------------------------ calendar dates


def _two_digit_year(number: int) -> int:
    return 2000 + number if number < 50 else 1900 + number


def _calendar(words: str, ctx: _Ctx) -> str | None:
    """Day/month/year in any order, with words or digits, a weekday, a relative word."""
    lex = _lex()
    tokens = words.split()
    month = weekday = rel = None
    this = False
    week_step = None
    en_plus = 0
    numbers: list[int] = []
    four: list[int] = []
    unknown = []
    year_first = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        rest = " ".join(tokens[i:])
        if re.match(r"(?:de |d )?la semaine (\w+)", rest) or rest.startswith("semaine ") or rest == "semaine":
            sm = re.match(r"(?:de |d )?(?:la )?semaine(?: (d apres|\w+))?", rest)
            word = sm.group(1)
            week_step = 0 if word in {None, "ci"} else lex["relative"].get(word, 1 if word == "d apres" else None)
            if week_step is None:
                return None
            i += len(sm.group(0).split())
            continue
        if tok in {"cette", "ce", "cet"} and i + 1 < len(tokens) and tokens[i + 1] == "semaine":
            week_step = 0
            i += 2
            continue
        if tok == "en" and i + 1 < len(tokens) and tokens[i + 1] in {"huit", "8", "quinze", "15"}:
            en_plus = 7 if tokens[i + 1] in {"huit", "8"} else 14
            i += 2
            continue
        if tok == "d" and i + 1 < len(tokens) and tokens[i + 1] == "apres":
            rel = "suivant"
            i += 2
            continue
        if tok in lex["months"] and month is None and not (tok == "sept" and _sept_is_number(tokens, i)):
            month = lex["months"][tok]
        elif tok in lex["weekdays"] or tok in lex["abbrevs"]:
            weekday = lex["weekdays"].get(tok) or lex["abbrevs"][tok]
        elif tok in lex["relative"]:
            rel = tok
        elif tok in _THIS:
            this = True
        elif tok.isdigit():
            if len(tok) == 4 and not numbers:
                year_first = True
            (four if len(tok) == 4 else numbers).append(int(tok))
        elif tok in lex["ordinals"] and month is not None or tok in lex["ordinals"] and _month_after(tokens, i):
            numbers.append(lex["ordinals"][tok])
        elif tok in {"le", "la", "l", "de", "du", "d", "an", "annee", "mois", "en", "et"}:
            pass
        else:
            j = i
            while j < len(tokens) and _is_number_word(tokens[j]):
                j += 1
            if j > i:
                value = _number(" ".join(tokens[i:j]))
                if value is None:
                    return None
                (four if value >= 1000 else numbers).append(int(value))
                i = j
                continue
            unknown.append(tok)
        i += 1
    if unknown:
        return None
    step = _step(rel)
    if month is None and weekday is None and not numbers and not four:
        return None
    if month is None and (weekday is None or len(numbers) + len(four) >= 2):
        return _numeric(numbers, four, ctx, year_first)
    year = four[0] if four else None
    if month is not None:
        day = None
        if numbers:
            day = numbers[0]
            if len(numbers) > 1 and year is None:
                year = _two_digit_year(numbers[1])
            if day > 31:
                if year is None and len(numbers) == 1:
                    year, day = _two_digit_year(day), None
                else:
                    return None
        if day is None:
            return _month(month, year, ctx, step, this)
        if year:
            return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
        return _day_month_of_weekday(day, month, weekday, ctx, step)
    # a weekday, without a month
    if numbers:
        return _weekday_day(weekday, numbers[0], ctx)
    return _weekday(weekday, ctx, rel, this, week_step, en_plus)


def _sept_is_number(tokens: list[str], i: int) -> bool:
    """`sept` is September only next to a day number or a year (`3 sept 2021`)."""
    prev_digit = i > 0 and tokens[i - 1].isdigit() and len(tokens[i - 1]) <= 2
    next_year = i + 1 < len(tokens) and tokens[i + 1].isdigit() and len(tokens[i + 1]) == 4
    return not (prev_digit or next_year)


def _month_after(tokens: list[str], i: int) -> bool:
    return any(t in _lex()["months"] for t in tokens[i + 1:i + 3])


_NUMBER_WORDS = {"un", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
                 "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "vingt",
                 "trente", "et", "cent", "mille", "soixante", "quarante", "cinquante", "vingts"}


def _is_number_word(tok: str) -> bool:
    return tok in _NUMBER_WORDS


def _step(rel: str | None) -> int:
    return _lex()["relative"].get(rel, 0) if rel else 0


def _numeric(numbers: list[int], four: list[int], ctx: _Ctx, year_first: bool = False) -> str | None:
    """Dates in digits: `13/08/2021`, `2022-07-18`, `3/2015`, `2016-11`, `17/02`, `le 16`."""
    if four and not numbers:
        if len(four) == 1:
            return f"{four[0]:04d}"
        if len(four) == 2 and four[0] < four[1]:
            return f"{four[0]:04d}"  # year range: the first year (module docstring)
        return None
    if len(four) > 1:
        return None
    if four:
        year = four[0]
        if len(numbers) == 1 and 1 <= numbers[0] <= 12:
            return f"{year:04d}-{numbers[0]:02d}"
        if len(numbers) == 2:
            first, second = numbers
            orders = ((second, first), (first, second)) if year_first else ((first, second), (second, first))
            for day, month in orders:
                if _valid(year, month, day):
                    return f"{year:04d}-{month:02d}-{day:02d}"
        return None
    if len(numbers) == 1:
        return _day_only(numbers[0], ctx)
    if len(numbers) == 2:
        day, month = numbers
        if month > 12 and day <= 12:
            day, month = month, day
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return _day_month(day, month, ctx, 0)
    if len(numbers) == 3:
        day, month, year = numbers
        if month > 12 and day <= 12:
            day, month = month, day
        year = _two_digit_year(year) if year < 100 else year
        return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    return None


def _month(month: int, year: int | None, ctx: _Ctx, step: int, this: bool) -> str:
    if year:
        return f"{year:04d}-{month:02d}"
    if not ctx.year:
        return f"XXXX-{month:02d}"
    if this:
        return _ym(ctx.year, month)
    if not ctx.month:
        return _ym(ctx.year, month) if step == 0 else f"XXXX-{month:02d}"
    if step < 0:
        return _ym(ctx.year if month < ctx.month else ctx.year - 1, month)
    if step > 0:
        return _ym(ctx.year if month > ctx.month else ctx.year + 1, month)
    if ctx.prefer == "future":
        return _ym(ctx.year if month >= ctx.month else ctx.year + 1, month)
    return _ym(ctx.year if month <= ctx.month else ctx.year - 1, month)


def _day_month(day: int, month: int, ctx: _Ctx, step: int) -> str | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if not ctx.year or not ctx.month:
        if ctx.year and step == 0 and _valid(ctx.year, month, day):
            return f"{ctx.year:04d}-{month:02d}-{day:02d}"
        return f"XXXX-{month:02d}-{day:02d}"
    ref = (ctx.month, ctx.day or (0 if ctx.prefer == "future" else 31))
    back = step < 0 or (step == 0 and ctx.prefer == "past")
    year = ctx.year
    if back:
        if (month, day) > ref or (step < 0 and (month, day) == ref):
            year -= 1
        while not _valid(year, month, day) and year > ctx.year - 8:
            year -= 1
    else:
        if (month, day) < ref or (step > 0 and (month, day) == ref):
            year += 1
        while not _valid(year, month, day) and year < ctx.year + 8:
            year += 1
    return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None


def _day_month_of_weekday(day: int, month: int, weekday: int | None, ctx: _Ctx, step: int) -> str | None:
    """`vendredi 1er mars` without a year: the preferred occurrence, unless that day is not
    a Friday and the occurrence just before or after it is (`vendredi 1er mars` in a past
    narration with DCT 2013-02-12 is 2013-03-01, not 2012-03-01, a Thursday)."""
    preferred = _day_month(day, month, ctx, step)
    if weekday is None or step or not (preferred and FULL_DAY.fullmatch(preferred)):
        return preferred
    readings = (preferred, _day_month(day, month, ctx, -1), _day_month(day, month, ctx, 1))
    return next((value for value in readings
                 if value and dt.date.fromisoformat(value).isoweekday() == weekday), preferred)


def _day_only(day: int, ctx: _Ctx) -> str | None:
    """`le 16`: a day of the DCT month, or of the month before/after."""
    if not 1 <= day <= 31:
        return None
    if not (ctx.year and ctx.month):
        return f"XXXX-XX-{day:02d}"
    if not ctx.day:
        return f"{ctx.year:04d}-{ctx.month:02d}-{day:02d}"
    direction = -1 if ctx.prefer == "past" else 1
    year, month = ctx.year, ctx.month
    if (direction < 0 and day > ctx.day) or (direction > 0 and day < ctx.day):
        year, month = _shift_month(year, month, direction)
    for _ in range(12):
        if _valid(year, month, day):
            return f"{year:04d}-{month:02d}-{day:02d}"
        year, month = _shift_month(year, month, direction)
    return None


def _weekday_day(weekday: int, day: int, ctx: _Ctx) -> str | None:
    """`mercredi 13`: the nearest month (in the preferred direction) where the 13th is a Wednesday."""
    if not (ctx.year and ctx.month):
        return f"XXXX-XX-{day:02d}"
    ref = ctx.date or dt.date(ctx.year, ctx.month, 1)
    direction = -1 if ctx.prefer == "past" else 1
    year, month = ctx.year, ctx.month
    for _ in range(48):
        if _valid(year, month, day):
            date = dt.date(year, month, day)
            if date.isoweekday() == weekday and (date - ref).days * direction >= 0:
                return _ymd(date)
        year, month = _shift_month(year, month, direction)
    return None


def _weekday(weekday: int, ctx: _Ctx, rel: str | None, this: bool, week_step: int | None,
             en_plus: int) -> str:
    """`lundi`, `ce lundi`, `lundi dernier/prochain/suivant`, `lundi de la semaine prochaine`,
    `lundi en huit`."""
    date = ctx.date
    if not date:
        return _unknown_day(ctx)
    monday = date - dt.timedelta(days=date.isoweekday() - 1)
    if rel in {"suivant", "suivante"} and week_step is None:
        week_step = 1
    if week_step is not None or this:
        return _ymd(monday + dt.timedelta(days=7 * (week_step or 0) + weekday - 1))
    if en_plus:
        return _ymd(date + dt.timedelta(days=(weekday - date.isoweekday()) % 7 + en_plus))
    step = _step(rel)
    if step > 0 or (step == 0 and ctx.prefer == "future"):
        return _ymd(date + dt.timedelta(days=(weekday - date.isoweekday()) % 7 or 7))
    if step < 0:
        return _ymd(date - dt.timedelta(days=(date.isoweekday() - weekday) % 7 or 7))
    return _ymd(date - dt.timedelta(days=(date.isoweekday() - weekday) % 7))


# ------------------------------------------------------------- dateparser, per form


READ_OURS_FIRST = "ours_then_dateparser"
READERS = ("ours", "dateparser", READ_OURS_FIRST)


@dataclass(frozen=True)
class DateForm:
    """A written form of date (rules/date_readers.yaml) and the reader that values it."""

    name: str
    pattern: re.Pattern
    reader: str
    example: str


@functools.lru_cache(maxsize=1)
def load_date_forms() -> tuple[DateForm, ...]:
    """rules/date_readers.yaml, checked: a valid regular expression, a known reader, an example."""
    path = rules_path("date_readers.yaml")
    forms = []
    for name, entry in (read_yaml(path).get("forms") or {}).items():
        where = f"{path.name}: form {name!r}"
        if not isinstance(entry, dict) or set(entry) != {"pattern", "reader", "example"}:
            raise RuleError(f"{where}: needs exactly pattern, reader and example")
        if entry["reader"] not in READERS:
            raise RuleError(f"{where}: reader must be one of {', '.join(READERS)}, not {entry['reader']!r}")
        if " => " not in str(entry["example"]):
            raise RuleError(f"{where}: example must read `span => value`")
        try:
            pattern = re.compile(str(entry["pattern"]))
        except re.error as exc:
            raise RuleError(f"{where}: bad pattern: {exc}") from exc
        forms.append(DateForm(name, pattern, entry["reader"], str(entry["example"])))
    return tuple(forms)


@functools.lru_cache(maxsize=16384)  # asked for every DATE mention: the same spans again and again
def date_form(text: str) -> DateForm | None:
    """The first listed form the span (folded, without a leading article) is written in."""
    words = re.sub(r"^(?:le|du|au|l')\s+", "", fold(text).strip())
    return next((form for form in load_date_forms() if form.pattern.fullmatch(words)), None)


def dateparser_value(text: str, dct: str | None, prefer: str = "past") -> str | None:
    """dateparser's reading of a span (French, day first, relative to the DCT), at day grain
    when the text gives a day, else month grain; None when it cannot read it, or when the
    text gives no year and the DCT none either (dateparser would take today's year)."""
    import dateparser  # imported here: only the forms routed to it pay for the import

    year, month, day = parse_dct(dct)
    written_year = re.search(r"\d{4}|\d{1,2}\D+\d{1,2}\D+\d{2}\b", text)
    if not written_year and not year:
        return None
    settings = {"DATE_ORDER": "DMY", "PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first",
                "RETURN_TIME_AS_PERIOD": False, "REQUIRE_PARTS": ["month"]}
    if year:
        settings["RELATIVE_BASE"] = dt.datetime(year, month or 1, day or 1)
    found = dateparser.parse(text, languages=["fr"], settings=settings)
    if found is None:
        return None
    small_numbers = re.findall(r"(?<!\d)\d{1,2}(?!\d)", text)  # a day or a month, not a year
    gives_day = len(small_numbers) >= 2 or (len(small_numbers) == 1 and re.search(r"[a-z]{3}", fold(text)))
    return found.date().isoformat() if gives_day else found.strftime("%Y-%m")
