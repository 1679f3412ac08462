"""Our date normaliser against other projects' French test cases (tests/external/).

What is IN SCOPE
----------------
- `duckling_fr_time.jsonl` (Duckling's French time corpus; reference time 2013-02-12, a
  Tuesday): positive cases whose expected value is
  * an instant (`type: value`) of grain `day`, `month` or `year` (a calendar date, month or
    year, absolute or relative: `hier`, `le mois dernier`, `lundi prochain`, `15/02/2013`);
  * an interval that Duckling uses for a PART of one month or one year, i.e. the input holds
    `début`, `mi`/`milieu` or `fin` (`fin mars`, `mi-décembre`, `en fin d'année`); it is
    compared as that month/year with mod START/MID/END, the TIMEX3 form SCHEMA.md uses.
- `recognizers_fr_datetime.jsonl` (Microsoft Recognizers-Text): `ignore: false` cases of the
  parser files and of DateTimeModel.json (the files that give resolved values), each expected
  entity of type `date`/`daterange` whose resolution is one day, one calendar month, one
  calendar year or one decade (start on the 1st of a month/January/a year ending in 0 and
  lasting exactly that unit). Cases without a reference are run with an unknown DCT.

OUT OF SCOPE (counted per reason): clock times, durations, recurring sets, weeks and
weekends, seasons, quarters and other multi-day/multi-month ranges that are not a part of one
unit (`13-15 juillet`, `de 2010 à 2018`), values upstream leaves unresolved, negative cases,
and extractor files (they give spans but no values).

What a PASS is
--------------
The span is the one upstream marks (Duckling: the whole input, since its inputs are bare date
phrases; Recognizers: the entity's `start`/`end`), with the text of the input before it as
`before`. We call `normalize_date(span, dct=<reference date as YYYY-MM-DD>, before=...)` and
the case passes when our `value` equals the expected value written at the expected grain
(`2013-02-11`, `2013-03`, `2013`, `199X`) AND our `mod` equals the expected one (None unless
upstream gives START/MID/END/BEFORE/AFTER/APPROX).
- Duckling resolves a year-less date to its NEXT occurrence; we run it with
  `prefer="future"`, the normaliser's switch for that convention (the press default is past).
- Recognizers lists both readings of an ambiguous date (past and future resolution); we run
  the press default `prefer="past"` and accept either reading it lists.
We also report how many in-scope spans our date patterns find (blank French tokenizer +
spaCy Matcher, longest match, overlapping the expected span): `found_by_patterns`.
"""
from __future__ import annotations

from .report import FileReport, format_table, run_files

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..normalize.dates import normalize_date

__all__ = ["FileReport", "Case", "run", "duckling_cases", "recognizers_cases", "format_table"]

DUCKLING_FILE = "duckling_fr_time.jsonl"
RECOGNIZERS_FILE = "recognizers_fr_datetime.jsonl"
RECOGNIZERS_VALUE_FILES = ("DateParser.json", "DatePeriodParser.json", "HolidayParser.json",
                           "MergedParser.json", "DateTimeModel.json")
PART_WORDS = {"debut": "START", "début": "START", "mi": "MID", "milieu": "MID", "fin": "END"}
MODS = {"before": "BEFORE", "after": "AFTER", "approx": "APPROX", "start": "START",
        "mid": "MID", "end": "END"}


@dataclass
class Case:
    """One in-scope case: the span to normalise and the values that count as a pass."""

    input: str
    span: str
    before: str
    dct: str | None
    accepted: tuple[str, ...]
    mod: str | None
    prefer: str
    span_start: int
    span_end: int

    def passes(self, norm: dict) -> bool:
        """A DATE norm with an accepted value and the expected mod."""
        return norm.get("value") in self.accepted and norm.get("mod") == self.mod

    def expected(self) -> str:
        return "|".join(self.accepted) + (f" {self.mod}" if self.mod else "")

    def overlaps(self, start: int, end: int) -> bool:
        """A stretch of the input over the case's span."""
        return start < self.span_end and end > self.span_start


# ------------------------------------------------------------------------- helpers


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _at_grain(value: str, grain: str) -> str:
    return {"day": value[:10], "month": value[:7], "year": value[:4]}[grain]


def _unit_of_range(start: dt.date, end: dt.date) -> tuple[str, str] | None:
    """The value of [start, end) if it is exactly one month, year or decade."""
    if start.day != 1:
        return None
    next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if end == next_month:
        return "month", start.isoformat()[:7]
    if start.month == 1 and end == start.replace(year=start.year + 1):
        return "year", f"{start.year:04d}"
    if start.month == 1 and start.year % 10 == 0 and end == start.replace(year=start.year + 10):
        return "decade", f"{str(start.year)[:3]}X"
    return None


# ------------------------------------------------------------------------ Duckling


def duckling_cases(path: Path, report: FileReport) -> Iterator[Case]:
    """In-scope Duckling cases; out-of-scope ones are counted on `report`."""
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        expected = row["expected"]
        if row["negative"] or not expected:
            report.out_of_scope["negative case"] += 1
            continue
        reference = row["reference"][:10]
        text = row["input"]
        if expected["type"] == "value":
            grain = expected["grain"]
            if grain not in ("day", "month", "year"):
                report.out_of_scope[f"grain {grain}"] += 1
                continue
            yield Case(text, text, "", reference, (_at_grain(expected["value"], grain),), None,
                       "future", 0, len(text))
            continue
        start, end = expected.get("from"), expected.get("to")
        words = text.lower().replace("-", " ").replace("'", " ").split()
        parts = [PART_WORDS[w] for w in words if w in PART_WORDS]
        if not (start and end) or not parts or "semaine" in words:
            report.out_of_scope["interval (range, open interval, week part)"] += 1
            continue
        first, last = _date(start["value"]), _date(end["value"]) - dt.timedelta(days=1)
        if start["grain"] not in ("day", "month"):
            report.out_of_scope["interval (range, open interval, week part)"] += 1
            continue
        if (first.year, first.month) == (last.year, last.month):
            value = first.isoformat()[:7]
        elif first.year == last.year:
            value = f"{first.year:04d}"
        else:
            report.out_of_scope["interval (range, open interval, week part)"] += 1
            continue
        yield Case(text, text, "", reference, (value,), parts[0], "future", 0, len(text))


# --------------------------------------------------------------------- Recognizers


def _recognizer_values(entity: dict) -> tuple[list[str], str | None, str | None]:
    """(accepted values, mod, out-of-scope reason) of one Recognizers entity."""
    value = entity.get("value")
    if not value:
        return [], None, "no expected value (extractor)"
    readings: list[dict] = []
    mod = value.get("Mod")
    if "values" in value:  # model resolution
        for item in value["values"]:
            mod = mod or item.get("Mod")
            readings.append({"timex": item.get("timex", ""), "date": item.get("value"),
                             "start": item.get("start"), "end": item.get("end")})
    else:  # parser resolution
        for key in ("PastResolution", "FutureResolution"):
            res = value.get(key) or {}
            readings.append({"timex": value.get("Timex", ""), "date": res.get("date"),
                             "start": res.get("startDate"), "end": res.get("endDate")})
    accepted: list[str] = []
    reason = None
    for reading in readings:
        timex = reading["timex"] or ""
        if "W" in timex.replace("WXX-", "").replace("-WXX", "") or timex.endswith("WE"):
            reason = "week or weekend"
            continue
        if any(code in timex for code in ("SU", "SP", "FA", "WI")) and "W" not in timex[:5]:
            reason = "season"
            continue
        date = reading["date"]
        if date and date != "not resolved":
            accepted.append(date[:10])
            continue
        if reading["start"] and reading["end"]:
            unit = _unit_of_range(_date(reading["start"]), _date(reading["end"]))
            if unit:
                accepted.append(unit[1])
            else:
                reason = "range (not one month, year or decade)"
        elif reading["end"] and mod in ("before", "until") and (reading["end"] or "").endswith("-01-01"):
            accepted.append(reading["end"][:4])
        else:
            reason = reason or "unresolved upstream"
    if not accepted:
        return [], None, reason or "unresolved upstream"
    return sorted(set(accepted)), MODS.get(mod) if mod else None, None


def recognizers_cases(path: Path, report: FileReport) -> Iterator[Case]:
    """In-scope Recognizers date cases; out-of-scope ones are counted on `report`."""
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["ignore"]:
            report.out_of_scope["ignore: true upstream"] += 1
            continue
        name = row["file"].rsplit("/", 1)[-1]
        if name not in RECOGNIZERS_VALUE_FILES:
            report.out_of_scope[f"file without date values ({name})"] += 1
            continue
        if not row["expected"]:
            report.out_of_scope["negative case"] += 1
            continue
        reference = row["reference"][:10] if row["reference"] else None
        for entity in row["expected"]:
            kind = entity["type"].replace("datetimeV2.", "")
            if kind not in ("date", "daterange"):
                report.out_of_scope[f"type {kind}"] += 1
                continue
            accepted, mod, reason = _recognizer_values(entity)
            if reason:
                report.out_of_scope[reason] += 1
                continue
            start, end = entity["start"], entity["end"]
            span = row["input"][start:end]
            yield Case(row["input"], span, row["input"][:start], reference, tuple(accepted), mod,
                       "past", start, end)


# ------------------------------------------------------------------------------ run


def _pattern_finder():
    """A function input -> list of (start_char, end_char) of DATE spans our patterns find."""
    from ..lexicons import load_patterns
    from ..pattern_spans import PatternSpans

    finder = PatternSpans(rule for rule in load_patterns("dates") if rule.label == "DATE")

    def find(text: str) -> list[tuple[int, int]]:
        return [(span.start_char, span.end_char) for rule_id, span in finder(text)
                if not rule_id.startswith("not_date")]

    return find


def _check(case: Case, report: FileReport, find) -> None:
    report.in_scope += 1
    got = normalize_date(case.span, case.dct, case.before, prefer=case.prefer)
    if case.passes(got):
        report.passed += 1
    else:
        report.failed += 1
        report.failures.append((case.input, case.expected(), f"{got['value']}" + (f" {got['mod']}" if got["mod"] else "")))
    if find is not None:
        if any(case.overlaps(s, e) for s, e in find(case.input)):
            report.found_by_patterns += 1


# The external date suites and their readers.
DATE_FILES = ((DUCKLING_FILE, duckling_cases), (RECOGNIZERS_FILE, recognizers_cases))


def run(external_dir: Path, with_patterns: bool = True) -> list[FileReport]:
    """Run both external date suites; one FileReport per file."""
    find = _pattern_finder() if with_patterns else None
    return run_files(external_dir, DATE_FILES, _check, find)


if __name__ == "__main__":  # pragma: no cover
    from ..config import PROJECT_DIR

    print(format_table(run(PROJECT_DIR / "tests" / "external")))
