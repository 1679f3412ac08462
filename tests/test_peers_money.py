"""Our money patterns and normaliser on Recognizers-Text and Duckling French money cases."""
from pathlib import Path

import pytest

from pipeline.peers.money import format_table, run

EXTERNAL = Path(__file__).resolve().parent / "external"
FLOOR = 0.95


@pytest.fixture(scope="module")
def reports():
    result = run(EXTERNAL)
    print("\n" + format_table(result))
    return result


def test_both_files_reported(reports):
    assert [r.file for r in reports] == ["recognizers_fr_currency.jsonl", "duckling_fr_money.jsonl"]


@pytest.mark.parametrize("index", [0, 1])
def test_floor_per_file(reports, index):
    report = reports[index]
    assert report.in_scope > 0
    assert report.passed + report.failed == report.in_scope
    assert report.rate >= FLOOR, format_table([report])


def test_nothing_silently_dropped(reports):
    recognizers, duckling = reports
    # every expected entity of the 114 Recognizers cases (115 entities, 1 negative case) is counted
    assert recognizers.in_scope + recognizers.out_of_scope_count == 116
    assert duckling.in_scope + duckling.out_of_scope_count == 37
    assert all(reason for report in reports for reason in report.out_of_scope)
