"""Our date normaliser on Duckling's and Recognizers-Text's French date cases (tests/external/).

Scope and pass rule: see pipeline/peers/dates.py. Floor: 85% of in-scope cases per file.
Run with `-s` to see the table and every failure.
"""
from __future__ import annotations

import functools

import pytest

from pipeline.config import PROJECT_DIR
from pipeline.peers.dates import format_table, run

EXTERNAL = PROJECT_DIR / "tests" / "external"
FLOOR = 0.85


@functools.lru_cache(maxsize=1)
def _reports():
    reports = run(EXTERNAL)
    print("\n" + format_table(reports))
    return {report.file: report for report in reports}


@pytest.mark.parametrize("name", ["duckling_fr_time.jsonl", "recognizers_fr_datetime.jsonl"])
def test_floor(name):
    report = _reports()[name]
    assert report.in_scope >= 150, f"{name}: scope shrank to {report.in_scope}"
    assert report.passed + report.failed == report.in_scope
    assert report.rate >= FLOOR, f"{name}: {report.passed}/{report.in_scope} = {report.rate:.1%}"


def test_patterns_find_most_in_scope_spans():
    for report in _reports().values():
        assert report.found_by_patterns >= 0.5 * report.in_scope, report.file


# The same cases black-box through the whole pipeline (pipeline/peers/through_extract.py).
# Floors: what this branch measures (Duckling 145 passed + 20 that fail only by the past/future
# convention; Recognizers 151); before it, 94 + 58 and 124. Issue 16's bar: at least 75% of
# all in-scope cases passed as the pipeline reads them (today 296/389, 76.1%).
THROUGH_EXTRACT_FLOORS = {"duckling_fr_time.jsonl": 165, "recognizers_fr_datetime.jsonl": 151}
THROUGH_EXTRACT_BAR = 0.75


@pytest.mark.model
def test_through_extract_floor():
    from pipeline.peers.through_extract import run_through_extract

    reports = run_through_extract(EXTERNAL)
    for report in reports:
        assert report.passed + report.convention >= THROUGH_EXTRACT_FLOORS[report.file], \
            f"{report.file}: {report.passed} passed, {report.convention} by convention only"
    passed, in_scope = sum(r.passed for r in reports), sum(r.in_scope for r in reports)
    assert passed >= THROUGH_EXTRACT_BAR * in_scope, f"{passed}/{in_scope} passed through extract"
