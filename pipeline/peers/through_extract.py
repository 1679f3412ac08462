"""The external date cases run black-box through the extraction pipeline, as a user would.

`pipeline/peers/dates.py` hands each case's upstream span straight to `normalize_date`; this
runner instead gives each case's whole input to the full pipeline (`build_nlp()`, the same
`process_texts` as `extract`), with the case's reference date as the document's DCT, and
reads the DATE mentions it writes. A case passes when a DATE mention overlapping the
upstream span has an accepted value and the expected mod (the same pass rule as the direct
run; the span itself may differ, e.g. `17/02/2014` for upstream's `le 17/02/2014`).
Cases whose reference date is unknown run without DCT. Same scope as the direct run.

The pipeline reads a year-less date by the tense of its sentence (rules/date_direction.yaml):
the most recent occurrence in a past or present clause, as the press does, the next one in a
future clause, the nearer one with no verb at all (`mars` alone with DCT 2013-02-12 is
2013-03, `31 octobre` alone 2012-10-31); Duckling always reads the next one. `convention`
counts the failed cases whose DATE mention would pass read Duckling's way
(`prefer="future"`, as the direct run does): misses of convention, not of reading.
"""
from __future__ import annotations

from pathlib import Path

from ..extract import process_texts
from ..normalize.dates import normalize_date
from ..read import SourceDoc
from .dates import DATE_FILES, Case
from .report import FileReport

__all__ = ["run_through_extract"]


def _source(number: int, case: Case) -> SourceDoc:
    return SourceDoc(doc_id=f"case{number}", path="", text=case.input, sha256="",
                     dct_value=case.dct, dct_source="metadata" if case.dct else None)


def _passes(case: Case, dates: list[dict]) -> tuple[bool, str]:
    """(pass, what the pipeline gave) for one case and the DATE mentions over its span."""
    for mention in dates:
        if case.passes(mention["norm"]):
            return True, mention["text"]
    got = "; ".join(f"{m['text']!r}={m['norm']['value']}" + (f" {m['norm']['mod']}" if m["norm"].get("mod") else "")
                    for m in dates)
    return False, got or "no DATE mention"


def _convention_only(case: Case, dates: list[dict]) -> bool:
    """A failed case that a DATE mention over its span passes under the case's own convention."""
    return case.prefer != "past" and any(
        normalize_date(m["text"], case.dct, case.input[:m["start"]], prefer=case.prefer)["value"] in case.accepted
        for m in dates)


def _run_file(nlp, path: Path, reader) -> FileReport:
    report = FileReport(path.name)
    cases = list(reader(path, report))
    docs = process_texts(nlp, (_source(i, case) for i, case in enumerate(cases)))
    for case, doc in zip(cases, docs):
        report.in_scope += 1
        dates = [m for m in doc._.arms_mentions or [] if m["label"] == "DATE" and case.overlaps(m["start"], m["end"])]
        ok, got = _passes(case, dates)
        if ok:
            report.passed += 1
            report.found_by_patterns += 1
            continue
        report.failed += 1
        report.found_by_patterns += got != "no DATE mention"
        report.convention += _convention_only(case, dates)
        report.failures.append((case.input, case.expected(), got))
    return report


def run_through_extract(external_dir: Path, nlp=None) -> list[FileReport]:
    """One FileReport per external date file; `found` counts the cases where the pipeline
    wrote a DATE mention over the upstream span (right or wrong)."""
    if nlp is None:
        from ..nlp import build_nlp
        nlp = build_nlp()
    return [_run_file(nlp, Path(external_dir) / name, reader)
            for name, reader in DATE_FILES]
