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
