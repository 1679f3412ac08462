"""Normalise a MONEY span to {amount, currency, qualifier[, amount_max]}: pure functions, no spaCy.

The span is read left to right as `[prefix currency] number [scale [et demi]] [de|d'] [currency]`
(`$ 75 millions`, `USD1,23`, `1,5 milliard d'euros`, `300 M€`, `10K$`, `vingt millions d'euros`),
with the currency names, symbols, scales and fused symbols of rules/money/ (pipeline.lexicons
.load_money). Two amounts joined by `et`, `à`, `ou` or a dash make a range (`650 M et 1,3 Md€`:
the currency, and the scale where the first end has none, apply to both ends). A subunit after
the main amount is added to it (`1 USD et 23 centimes` = 1.23, `15 dollars 50` = 15.5).

The qualifier comes from the end of the sentence text before the span (`estimé à`,
`pourrait dépasser les`, `pour un montant maximal de`), matched against the lexicon's
qualifiers, longest first; up to two articles or adverbs of the lexicon's `qualifier_fillers`
may stand between the cue and the amount (`dépasse à peine`, `dépasse désormais les`), and a
negated more_than cue (`ne dépasse pas les`) is up_to. A range is always `range`; otherwise
`exact`.

Amounts are ints when integral (50000000, not 5e7), floats otherwise. A currency that the
span names ambiguously (`dinars`, `francs`) or not at all gives `currency: None`;
`currency_candidates` lists the ISO codes such a bare word may denote (also for bare words with
a press default, `roupies` INR), so that a caller can choose by the document's countries.
"""
from __future__ import annotations

import functools
import re

from ..lexicons import MoneyLexicon, load_money, read_yaml, rules_path
from .numbers import parse_digits, parse_number, scaled

__all__ = ["normalize_money", "find_qualifier", "currency_candidates", "SUBUNITS"]

#: Subunit words: a hundredth of the main unit, added to the amount before them.
SUBUNITS = frozenset({"cent", "cents", "centime", "centimes", "penny", "pence"})
#: Words that join the two ends of a range.
RANGE_JOINERS = ("et", "à", "a", "ou", "-", "–", "—", "au")
#: Articles and determiners that may stand between a qualifier and the amount.
TRAILING_ARTICLES = ("les", "la", "le", "l'", "des", "un", "une")

_SPACES = "\u00a0\u202f\u2009"
_NUMBER_WORD = re.compile(
    r"^(zéro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|"
    r"seize|vingt|vingts|trente|quarante|cinquante|soixante|septante|huitante|octante|nonante|cent|"
    r"cents|mille)(-(et-)?(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|"
    r"quatorze|quinze|seize|vingt|vingts|cent|cents|mille))*$")
_DIGITS = re.compile(r"\d{1,3}(?:[ " + _SPACES + r"]\d{3})+(?:[.,]\d+)?(?!\d)|\d+(?:[.,']\d+)*")


# ------------------------------------------------------------------------------- lexicon


_INDEXES: dict[int, tuple[MoneyLexicon, dict]] = {}


def _index(money: MoneyLexicon) -> dict:
    """Lookup tables built once per lexicon (forms by first character or by length, longest first)."""
    cached = _INDEXES.get(id(money))
    if cached is not None and cached[0] is money:
        return cached[1]
    index = _build_index(money)
    _INDEXES[id(money)] = (money, index)
    return index


def _build_index(money: MoneyLexicon) -> dict:
    names = {" ".join(name.replace("’", "'").split()): code for name, code in money.names.items()}
    return {
        "names": names,
        "max_name_words": max(len(name.split()) for name in names),
        "first_words": {name.split(" ")[0] for name in names},
        "symbols": by_first_character(money.symbols),
        "fused": by_first_character(money.fused),
        "scales": by_first_character(money.scales),
        "qualifier_lengths": form_lengths(money.qualifiers),
    }


def by_first_character(forms) -> dict[str, list[str]]:
    """The forms by their first character, longest first: the forms a text can start with."""
    index: dict[str, list[str]] = {}
    for form in sorted((form for form in forms if form), key=len, reverse=True):
        index.setdefault(form[0], []).append(form)
    return index


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace("`", "'")
    # a space between digit groups is a thousands separator: "15 000" -> "15000"
    text = re.sub(r"(?<=\d)[ " + _SPACES + r"](?=\d{3}(?!\d))", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b([dD])' ?", r"\1e ", text)  # d'euros -> de euros
    text = re.sub(r"\$(?=[A-Za-z])", "$ ", text)  # $CAD -> $ CAD, a name of the lexicon
    return text.strip(" .,;:()[]«»\"")


# ------------------------------------------------------------------------------- reading


class _Reader:
    """A cursor over the cleaned span text."""

    def __init__(self, text: str, money: MoneyLexicon):
        self.text, self.pos = text, 0
        self.money, self.index = money, _index(money)

    def rest(self) -> str:
        return self.text[self.pos:]

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def at_word_end(self, end: int) -> bool:
        """True when `end` is not inside a word (a letter does not follow)."""
        return end >= len(self.text) or not self.text[end].isalpha()

    # each reader returns its value and advances, or returns None and stays put

    def symbol(self) -> str | None:
        """A currency symbol or code as written (`$`, `€`, `USD`, `usd$`, `DH`)."""
        self.skip_spaces()
        rest = self.rest()
        for form in self.index["symbols"].get(rest[:1], ()):
            if rest.startswith(form) and (not form[-1].isalpha() or self.at_word_end(self.pos + len(form))):
                self.pos += len(form)
                return self.money.symbols[form]
        # ISO codes written in lower case (`eur 1000`)
        match = re.match(r"([a-z]{3})(?![a-zA-Z])", rest)
        if match and match.group(1).upper() in self.money.symbols and match.group(1).upper() == self.money.symbols[match.group(1).upper()]:
            self.pos += 3
            return match.group(1).upper()
        return None

    def name(self) -> tuple[bool, str | None]:
        """A currency name, longest first (`dollars américains` before `dollars`): (found, code)."""
        self.skip_spaces()
        words = self.rest().split(" ")
        for size in range(min(len(words), self.index["max_name_words"]), 0, -1):
            candidate = " ".join(words[:size]).lower().rstrip(".,;:)")
            code = self.index["names"].get(candidate)
            if code:
                self.pos += len(" ".join(words[:size]).rstrip(".,;:)"))
                return True, code
        return False, None

    def partial_name(self) -> bool:
        """The first word of longer names only (`dinars`, `francs`): a currency, but which?"""
        self.skip_spaces()
        first = self.rest().split(" ")[0].lower().rstrip(".,;:)")
        if first and first in self.index["first_words"]:
            self.pos += len(first)
            return True
        return False

    def currency(self) -> tuple[bool, str | None]:
        """A name (it may start with a symbol: `$ CA`), else a symbol, else an ambiguous word."""
        found, code = self.name()
        if found:
            return found, code
        code = self.symbol()
        if code is not None:
            return True, code
        return self.partial_name(), None

    def fused(self) -> tuple[float, str] | None:
        """A scale fused with a currency (`M€`, `Mds$`, `MMDH`)."""
        return self.whole_form(self.index["fused"], self.money.fused)

    def scale(self) -> float | None:
        """A scale word or abbreviation (`millions`, `Md`, `k`), as a whole word."""
        return self.whole_form(self.index["scales"], self.money.scales)

    def whole_form(self, forms: dict[str, list[str]], meanings: dict):
        """The meaning of the longest of `forms` (by first character) written here as a whole word."""
        self.skip_spaces()
        rest = self.rest()
        for form in forms.get(rest[:1], ()):
            if rest.startswith(form) and self.at_word_end(self.pos + len(form)):
                self.pos += len(form)
                return meanings[form]
        return None

    def number(self) -> int | float | None:
        """Digits (`15000`, `1,5`) or number words (`vingt-cinq`, `soixante et onze`)."""
        self.skip_spaces()
        match = _DIGITS.match(self.rest())
        if match:
            value = parse_digits(match.group(0))
            if value is not None:
                self.pos += match.end()
                return value
        words, taken = self.rest().split(" "), []
        for word in words:
            bare = word.lower().rstrip(".,;:)")
            if _NUMBER_WORD.match(bare) or (bare == "et" and taken):
                taken.append(word)
            else:
                break
        while taken and taken[-1].lower() == "et":
            taken.pop()
        while taken:
            value = parse_number(" ".join(taken).rstrip(".,;:)"))
            if value is not None:
                self.pos += len(" ".join(taken))
                return value
            taken.pop()
        return None

    def word(self, *forms: str) -> bool:
        """Consume one of the given words."""
        self.skip_spaces()
        for form in forms:
            rest = self.rest()
            if rest.lower().startswith(form) and (not form[-1].isalpha() or self.at_word_end(self.pos + len(form))):
                self.pos += len(form)
                return True
        return False


def _amount(reader: _Reader) -> dict | None:
    """One amount: {value, code, has_currency, has_scale}; None when no number is found."""
    start = reader.pos
    code, has_currency = None, False
    prefix = reader.symbol()
    if prefix is not None:
        code, has_currency = prefix, True
    else:
        found, named = reader.name()  # a name written first: "euros 20" (tables, listings)
        if found and named and re.match(r" ?\d", reader.rest()):
            code, has_currency = named, True
        else:
            reader.pos = start
    value = reader.number()
    if value is None:
        reader.pos = start
        return None
    factor, has_scale = 1.0, False
    half_of = re.match(r" ?demie?[- ](?=\w)", reader.rest())
    if half_of:  # "un demi-milliard": half of the scale that follows
        reader.pos += half_of.end()
        value = value * 0.5
    fused = reader.fused()
    if fused:
        factor, fused_code = fused
        return {"value": scaled(value, factor), "code": code or fused_code, "has_currency": True, "has_scale": True,
                "raw": value}
    scale = reader.scale()
    if scale:
        factor, has_scale = scale, True
        half = re.match(r" ?et demie?\b", reader.rest())
        if half:  # "un milliard et demi"
            reader.pos += half.end()
            value = value + 0.5
    if not has_currency:
        mark = reader.pos
        reader.word("de ", "des ")
        found, named = reader.currency()
        if found:  # "$ CA" is a name of the lexicon, so a symbol's country suffix is read here
            code, has_currency = named, True
        else:
            reader.pos = mark
    return {"value": scaled(value, factor), "code": code, "has_currency": has_currency,
            "has_scale": has_scale, "raw": value, "factor": factor}


def _subunit(reader: _Reader) -> int | float | None:
    """Cents after a main amount: `et 23 centimes`, `23 cents`, `et quarante-cinq cents`, `50`."""
    mark = reader.pos
    reader.word("et ")
    cents = reader.number()
    if cents is not None and (reader.word(*sorted(SUBUNITS, key=len, reverse=True))
                              or (reader.rest().strip(" .,;:)") == "" and isinstance(cents, int) and 0 <= cents < 100)):
        return cents
    reader.pos = mark
    return None


# ------------------------------------------------------------------------------ qualifier


@functools.lru_cache(maxsize=1)
def _extra_lists() -> dict:
    """Filler words, spelling variants and settled words of currencies_extra.yaml."""
    extra = read_yaml(rules_path("money", "currencies_extra.yaml")) or {}
    fillers = {_norm_words(item["form"]): bool(item.get("negation")) for item in extra.get("qualifier_fillers", [])}
    variants = {_stem(item["form"]): _stem(item["same_as"]) for item in extra.get("currency_variants", [])}
    settled = {_stem(item["form"]) for item in extra.get("settled_words", [])}
    return {"fillers": fillers, "filler_lengths": form_lengths(fillers),
            "negations": {form for form, negation in fillers.items() if negation},
            "variants": variants, "settled": settled}


def form_lengths(forms) -> list[int]:
    """The lengths of the forms, longest first: where `ending_form` looks."""
    return sorted({len(form) for form in forms if form}, reverse=True)


def ending_form(text: str, forms, lengths: list[int], after: tuple[str, ...]) -> str | None:
    """The longest of `forms` that ends `text` right after one of the `after` characters
    (or anywhere, for a form that itself ends with an apostrophe: `jusqu'`)."""
    for length in lengths:
        form = text[-length:]
        if len(text) >= length and form in forms and (text[-length - 1:-length] in after or form.endswith("'")):
            return form
    return None


def _norm_words(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def _cue_at_end(text: str, money: MoneyLexicon) -> tuple[str, str] | None:
    """(qualifier, text before the cue) when `text` ends with a qualifier cue (the longest),
    after a space or an apostrophe, or anywhere for a cue ending with one (`jusqu'`)."""
    form = ending_form(text, money.qualifiers, _index(money)["qualifier_lengths"], (" ", "'"))
    return (money.qualifiers[form], text[:-len(form)]) if form else None


def _negated(head: str) -> bool:
    """`ne devrait pas`, `n'a jamais`: a negation in the few words right before a cue."""
    words = re.split(r"[ ']+", head.strip())[-4:]
    negations = _extra_lists()["negations"]
    return any(w in {"ne", "n"} for w in words) and any(w in negations for w in words)


def _strip_filler(text: str) -> tuple[str, bool] | None:
    """`text` without its last filler word (article, adverb; the longest), and whether it
    was a negation."""
    extra = _extra_lists()
    form = ending_form(text, extra["fillers"], extra["filler_lengths"], (" ",))
    return (text[:-len(form)].rstrip(), extra["fillers"][form]) if form else None


QUALIFIER_REACH = 200  # characters before the amount that can hold a cue and two fillers


def find_qualifier(before: str, money: MoneyLexicon | None = None) -> str:
    """The qualifier the words right before an amount give, else `exact`.

    Up to two filler words may come between the cue and the amount (`dépasse à peine`,
    `pourrait dépasser les`, `dépasse désormais les`); a more_than cue with a negation among
    them (`ne dépasse pas les`) reads as up_to."""
    money = money or load_money()
    text = " " + _norm_words(before[-QUALIFIER_REACH:])
    text = text.rstrip(" ,:(")
    negated = False
    for _ in range(3):
        cue = _cue_at_end(text, money)
        if cue:
            qualifier, head = cue
            if qualifier == "more_than" and (negated or _negated(head)):
                return "up_to"
            return qualifier
        stripped = _strip_filler(text)
        if stripped is None:
            break
        text, negation = stripped
        negated = negated or negation
    return "exact"


# ------------------------------------------------------------------------ currency words


def _stem(word: str) -> str:
    """Singular-ish key of a currency word: `Dinars` -> `dinar`, `nouveaux` -> `nouveau`."""
    word = word.lower().replace("’", "'").strip(".,;:()")
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


_FAMILIES: dict[int, tuple[MoneyLexicon, dict[str, set[str]]]] = {}


def _families(money: MoneyLexicon) -> dict[str, set[str]]:
    """Stem of a name's first word -> the ISO codes of every name starting with it."""
    cached = _FAMILIES.get(id(money))
    if cached is not None and cached[0] is money:
        return cached[1]
    variants = _extra_lists()["variants"]
    families: dict[str, set[str]] = {}
    for name, code in _index(money)["names"].items():
        first = name.split(" ")[0]
        if not first.replace("-", "").isalpha():
            continue  # symbols (`$ CA`)
        stem = _stem(first)
        families.setdefault(variants.get(stem, stem), set()).add(code)
    _FAMILIES[id(money)] = (money, families)
    return families


def currency_candidates(text: str, money: MoneyLexicon | None = None) -> list[str]:
    """ISO 4217 codes that the bare currency word of a MONEY span may denote, sorted.

    `2 milliards de dinars` -> [BHD, DZD, IQD, JOD, KWD, LYD, RSD, TND]; `roupies` -> [IDR, INR,
    LKR, MUR, NPR, PKR, SCR] (normalize_money still gives its press default INR). Empty when the
    span names its currency fully (`dinars algériens`, `francs suisses`, `$ CA`, `€`), when the
    word is settled (`dollars` USD, `livres` GBP: currencies_extra.yaml `settled_words`), or when
    the span has no currency word. The first two letters of a code are the ISO 3166 alpha-2 code
    of the issuing country (XOF/XAF/XPF excepted)."""
    money = money or load_money()
    index = _index(money)
    families = _families(money)
    extra = _extra_lists()
    words = [word for word in _clean(text).split(" ") if word]
    for i, word in enumerate(words):
        stem = _stem(word)
        stem = extra["variants"].get(stem, stem)
        if stem in extra["settled"]:
            return []
        codes = families.get(stem)
        if not codes:
            continue
        if len(codes) < 2:
            return []
        for size in range(min(index["max_name_words"], len(words) - i), 1, -1):
            if " ".join(words[i:i + size]).lower().rstrip(".,;:)") in index["names"]:
                return []  # a full name: `dinars algériens`
        return sorted(codes)
    return []


# ------------------------------------------------------------------------------ normalise


def normalize_money(text: str, before: str = "", money: MoneyLexicon | None = None) -> dict:
    """text: the MONEY span as matched (e.g. "1,5 milliard d'euros", "300 M€", "650 M et 1,3 Md€");
    before: the text of the same sentence before the span (for the qualifier: "estimé à ",
    "pourrait dépasser les ").
    Returns {"amount": number, "currency": ISO 4217 or None, "qualifier": exact|approx|more_than|
    less_than|up_to|range} plus "amount_max" for a range. `amount` is None when the span holds
    no readable number (a bare currency name)."""
    kind, amount, currency, amount_max = _span_reading(text) if money is None else read_span(text, money)
    qualifier = find_qualifier(before, money)
    if kind == "range":
        return {"amount": amount, "currency": currency, "qualifier": "range", "amount_max": amount_max}
    if kind == "amount" and qualifier == "range":  # "entre" before a single amount: one bound of a range
        qualifier = "approx"
    return {"amount": amount, "currency": currency, "qualifier": qualifier}


@functools.lru_cache(maxsize=16384)  # a corpus repeats its amounts; the words before them vary
def _span_reading(text: str) -> tuple:
    """`read_span` with the packaged lexicon, memoised."""
    return read_span(text, load_money())


def read_span(text: str, money: MoneyLexicon) -> tuple:
    """What the span's own words give: (kind, amount, currency, upper amount), kind `none`
    (no readable number: a bare currency name), `amount` or `range`."""
    reader = _Reader(_clean(text), money)
    first = _amount(reader)
    if first is None:
        found, code = reader.currency()
        return "none", None, code, None
    if first["has_currency"] and first.get("factor", 1.0) == 1.0:
        cents = _subunit(reader)
        if cents is not None:
            first["value"] = _exact_sum(first["value"], cents)
    reader.skip_spaces()
    if reader.word(*RANGE_JOINERS) or reader.word("entre "):
        second = _amount(reader)
        if second is not None:
            low = first
            if not low["has_scale"] and not low["has_currency"] and second.get("factor", 1.0) != 1.0:
                low = dict(low, value=_scale_low(low["raw"], second))
            return "range", low["value"], first["code"] if first["code"] is not None else second["code"], second["value"]
    return "amount", first["value"], first["code"], None


def _scale_low(raw: int | float, high: dict) -> int | float:
    """The scale of the upper end applied to a bare lower end (`2 à 3 milliards`): only when
    the result stays below the upper end; else one step down (`650 et 1,3 milliard` = 650 M)."""
    factor = high.get("factor", 1.0)
    if raw >= 1000:
        return raw
    if scaled(raw, factor) <= high["value"]:
        return scaled(raw, factor)
    if factor >= 1e6 and scaled(raw, factor / 1000) <= high["value"]:
        return scaled(raw, factor / 1000)
    return raw


def _exact_sum(value: int | float, cents: int | float) -> int | float:
    """`15` + `15` cents = 15.15, without binary noise."""
    return scaled(round(value + cents / 100, 6), 1)
