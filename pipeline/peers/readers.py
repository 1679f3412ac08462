"""`python -m pipeline.peers.readers [DIR]`: our normaliser against dateparser, per written form.

For every in-scope external date case (the same cases and pass rule as pipeline/peers/dates.py)
whose span is written in one of the forms of rules/date_readers.yaml, both readers value the
span with the case's reference date; the table gives, per form, how many values each gets
right, and with ours first and dateparser when ours gives no value (`fallback`).
rules/date_readers.yaml routes each form to the reader right more often (ties: ours).
Cases without a reference date are left out (dateparser would take today's year).
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..normalize.dates import date_form, dateparser_value, our_value
from .dates import DATE_FILES
from .report import FileReport

__all__ = ["measure", "main"]


def measure(external_dir: Path) -> dict[str, Counter]:
    """Per form name: Counter with `cases`, and the values right: `ours`, `dateparser`,
    `fallback` (ours, or dateparser's when ours gives none)."""
    counts: dict[str, Counter] = {}
    for name, reader in DATE_FILES:
        for case in reader(Path(external_dir) / name, FileReport(name)):
            form = date_form(case.span)
            if form is None or not case.dct or case.mod:
                continue
            count = counts.setdefault(form.name, Counter())
            count["cases"] += 1
            ours = our_value(case.span, case.dct, case.prefer)
            theirs = dateparser_value(case.span, case.dct, case.prefer)
            count["ours"] += ours in case.accepted
            count["dateparser"] += theirs in case.accepted
            count["fallback"] += (ours or theirs) in case.accepted
    return counts


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    counts = measure(Path(args[0]) if args else Path("tests/external"))
    print(f"{'form':<26} {'cases':>5} {'ours':>5} {'dateparser':>10} {'fallback':>8}")
    for name, count in sorted(counts.items()):
        print(f"{name:<26} {count['cases']:>5} {count['ours']:>5} {count['dateparser']:>10} {count['fallback']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
