"""Our money patterns and normaliser against other projects' French test cases (tests/external/).

What is IN SCOPE
----------------
- `recognizers_fr_currency.jsonl` (Microsoft Recognizers-Text, CurrencyModel.json): every
  expected entity of an `ignore: false` case whose value has a number AND a main currency
  unit (`Dollar`, `Euro`, `Livre`, `Yen Japonais`, `Dollar Canadien`, ...). One entity = one
  in-scope item (a case may hold two).
- `duckling_fr_money.jsonl` (Duckling's French AmountOfMoney corpus): every case, except the
  slang ones whose currency Duckling itself leaves `unknown`.

OUT OF SCOPE (counted per reason, listed by `format_table`):
- a subunit alone (`34 cents`, `470 pence`, `197 centimes`, `un penny`, `6,65 milliards de
  pesewas`): SCHEMA amounts are in a main currency, and a bare `cents` does not say which;
- an entity with no number (`Dollar: 143,80 yens` gives a `Dollar` entity with value null);
- a negative case (`pour cent`: upstream expects nothing);
- Duckling's slang with an `unknown` currency (`3 balles`, `3 pouloutes`).

What a PASS is
--------------
1. Our MONEY patterns (rules/patterns/money.yaml on `spacy.blank("fr")`, spaCy Matcher,
   longest non-overlapping matches) must FIND a span in `input` that overlaps the expected
   span (Recognizers: the entity's `start`/`end`, or the first occurrence of its text when
   upstream gives no offsets; Duckling: the whole input, which is a bare phrase). When
   several do, the one overlapping most is taken.
2. `normalize_money(span, before=<input text before the span>)` must give:
   - `amount` equal to the expected number (Recognizers' French-comma string `"15,15"` read
     as 15.15; Duckling's `value`, or `min` for `between`/`above`, `max` for `under`), and for
     a Duckling `between` also `amount_max` equal to `max`;
   - `currency` in the accepted ISO 4217 codes of the expected unit (UNIT_CODES below; ours is
     the press reading: bare `dollars`/`$` = USD, `livres`/`£` = GBP; for the bare `Franc`,
     `rial` and `riyal`, which no code pins down, `None` or any code of that family passes);
   - `qualifier` (Duckling only; Recognizers gives none): `value` -> exact or approx,
     `above` -> more_than, `under` -> less_than or up_to, `between` -> range.
Anything else is a failure, reported with the input, the expected and what we got.
"""
from __future__ import annotations

from .report import FileReport, format_table, run_files

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..normalize.money import normalize_money

__all__ = ["FileReport", "run", "format_table", "UNIT_CODES", "SUBUNIT_UNITS"]

RECOGNIZERS_FILE = "recognizers_fr_currency.jsonl"
DUCKLING_FILE = "duckling_fr_money.jsonl"

_FRANCS = (None, "FRF", "CHF", "XOF", "XAF", "BEF", "XPF")
#: Expected unit (Recognizers display name, lower-cased; Duckling unit) -> accepted ISO codes.
UNIT_CODES: dict[str, tuple[str | None, ...]] = {
    "dollar": ("USD",), "dollar états-unis": ("USD",), "dollar canadien": ("CAD",),
    "dollar australien": ("AUD",), "dollar de hong kong": ("HKD",), "dollar néo-zélandais": ("NZD",),
    "mexican peso": ("MXN",), "livre": ("GBP",), "euro": ("EUR",), "yen japonais": ("JPY",),
    "yuan chinois": ("CNY",), "franc suisse": ("CHF",), "roupie indienne": ("INR",), "roupie": ("INR",),
    "mark finlandais": ("FIM",), "florins néerlandais": ("NLG",), "franc": _FRANCS,
    # Duckling units
    "$": ("USD",), "£": ("GBP",), "rial": (None, "IRR", "OMR", "YER"), "riyal": (None, "SAR", "QAR"),
}
#: Recognizers units that are a subunit on their own: out of scope.
SUBUNIT_UNITS = {"cent", "centimes", "pence", "penny", "pesewa"}
_QUALIFIERS = {"value": ("exact", "approx"), "above": ("more_than",), "under": ("less_than", "up_to"),
               "between": ("range",)}


@dataclass
class _Case:
    input: str
    start: int
    end: int
    amount: float
    amount_max: float | None
    codes: tuple[str | None, ...]
    qualifiers: tuple[str, ...] | None

    def describe(self) -> str:
        amount = f"{self.amount}" + (f"-{self.amount_max}" if self.amount_max is not None else "")
        codes = "|".join(str(code) for code in self.codes)
        return f"{amount} {codes}" + (f" {'|'.join(self.qualifiers)}" if self.qualifiers else "")


# ------------------------------------------------------------------------- readers


def _french_number(text: str) -> float:
    return float(text.replace(",", "."))


def _recognizers_cases(path: Path, report: FileReport) -> list[_Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["ignore"]:
            report.out_of_scope["ignore: true upstream"] += 1
            continue
        if not item["expected"]:
            report.out_of_scope["negative case (nothing expected)"] += 1
            continue
        for entity in item["expected"]:
            value = entity.get("value") or {}
            unit = (value.get("unit") or "").lower()
            if value.get("value") is None:
                report.out_of_scope["entity with no number (bare currency name)"] += 1
                continue
            if unit in SUBUNIT_UNITS:
                report.out_of_scope["subunit alone (cents, pence, centimes, penny, pesewas)"] += 1
                continue
            codes = (value["isoCurrency"],) if value.get("isoCurrency") else UNIT_CODES.get(unit, (f"?{unit}",))
            start, end = entity.get("start"), entity.get("end")
            if start is None:
                start = item["input"].lower().find(entity["text"].lower())
                end = start + len(entity["text"])
            cases.append(_Case(item["input"], start, end, _french_number(value["value"]), None, codes, None))
    return cases


def _duckling_cases(path: Path, report: FileReport) -> list[_Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        expected = item["expected"]
        if expected["unit"] == "unknown":
            report.out_of_scope["slang with no currency (Duckling unit `unknown`)"] += 1
            continue
        codes = (expected["iso4217"],) if expected["iso4217"] else UNIT_CODES.get(expected["unit"], (f"?{expected['unit']}",))
        kind = expected["kind"]
        amount = {"value": expected["value"], "between": expected["min"], "above": expected["min"],
                  "under": expected["max"]}[kind]
        amount_max = expected["max"] if kind == "between" else None
        cases.append(_Case(item["input"], 0, len(item["input"]), amount, amount_max, codes, _QUALIFIERS[kind]))
    return cases


# ------------------------------------------------------------------------- matching


def _pattern_finder() -> Callable[[str], list[tuple[int, int, str]]]:
    """A function input -> [(start_char, end_char, text)] of the MONEY spans our patterns find."""
    import spacy
    from spacy.matcher import Matcher
    from spacy.util import filter_spans

    from ..lexicons import load_patterns

    nlp = spacy.blank("fr")
    matcher = Matcher(nlp.vocab)
    for rule in load_patterns("money"):
        if rule.label == "MONEY":
            matcher.add(rule.id, [rule.pattern])

    def find(text: str) -> list[tuple[int, int, str]]:
        doc = nlp(text)
        spans = filter_spans([doc[start:end] for _, start, end in matcher(doc)])
        return [(span.start_char, span.end_char, span.text) for span in spans]

    return find


def _same(got: Any, expected: float | None) -> bool:
    return got is not None and expected is not None and abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(expected))


def _check(case: _Case, report: FileReport, find) -> None:
    report.in_scope += 1
    spans = [(min(e, case.end) - max(s, case.start), s, e, text) for s, e, text in find(case.input)
             if s < case.end and e > case.start]
    if not spans:
        report.failed += 1
        report.failures.append((case.input, case.describe(), "no MONEY span found"))
        return
    _, start, _, text = max(spans)
    got = normalize_money(text, before=case.input[:start])
    ok = (_same(got["amount"], case.amount)
          and got["currency"] in case.codes
          and (case.amount_max is None or _same(got.get("amount_max"), case.amount_max))
          and (case.qualifiers is None or got["qualifier"] in case.qualifiers))
    if ok:
        report.passed += 1
    else:
        report.failed += 1
        shown = f"{text!r} -> {got['amount']}" + (f"-{got['amount_max']}" if "amount_max" in got else "")
        report.failures.append((case.input, case.describe(), f"{shown} {got['currency']} {got['qualifier']}"))


def run(external_dir: Path) -> list[FileReport]:
    """Run both external money suites; one FileReport per file."""
    return run_files(external_dir, ((RECOGNIZERS_FILE, _recognizers_cases), (DUCKLING_FILE, _duckling_cases)), _check, _pattern_finder())


if __name__ == "__main__":  # pragma: no cover
    from ..config import PROJECT_DIR

    print(format_table(run(PROJECT_DIR / "tests" / "external")))
