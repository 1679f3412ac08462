"""Hostile input (issue 14): unusable arguments, numbers past 64 bits, spans the normalisers
cannot read, odd files and names, signals, concurrent runs, and a generated hostile corpus
that must give valid outputs, the right exit codes and byte-identical reruns.

The fast tests run without the model; those marked `model` run the pipeline.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import srsly

from pipeline.__main__ import main
from pipeline.normalize.money import normalize_money
from pipeline.normalize.numbers import parse_number
from pipeline.resolve import unreadable_norm

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_812a8e56a1f28302.txt"
OUTPUT_NAMES = ("documents.jsonl", "entities.jsonl", "relations.jsonl")


def _previous_outputs(out: Path) -> dict[str, bytes]:
    """Stand-in outputs of an earlier run, to check they survive a refused one."""
    out.mkdir(parents=True, exist_ok=True)
    for name in OUTPUT_NAMES:
        (out / name).write_bytes(f"earlier {name}\n".encode())
    return _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------- arguments

@pytest.mark.parametrize("option,value", [("--batch-size", "0"), ("--batch-size", "-1"),
                                          ("--workers", "0"), ("--workers", "-3")])
def test_unusable_numbers_stop_the_run_before_anything_is_touched(tmp_path, capsys, option, value):
    out = tmp_path / "out"
    before = _previous_outputs(out)
    status = main(["extract", str(SEED), "--out", str(out), option, value])
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"error: {option} must be at least 1 (got {value})\n"
    assert _snapshot(out) == before


def test_scheduler_without_dask_is_refused_before_the_run(tmp_path, capsys):
    out = tmp_path / "out"
    before = _previous_outputs(out)
    assert main(["extract", str(SEED), "--out", str(out), "--scheduler", "tcp://x:1"]) == 2
    assert capsys.readouterr().err == "error: --scheduler needs --engine dask\n"
    assert _snapshot(out) == before


# ---------------------------------------------------------------------- numbers and norms

@pytest.mark.parametrize("text,value", [("999999999999999999999 €", 1e21),
                                        ("9 223 372 036 854 775 808 €", 9223372036854775808.0)])
def test_amounts_past_64_bits_are_floats_that_cross_processes(text, value):
    amount = normalize_money(text)["amount"]
    assert isinstance(amount, float) and amount == value
    assert srsly.msgpack_loads(srsly.msgpack_dumps({"amount": amount})) == {"amount": value}


def test_amounts_within_64_bits_stay_exact_ints():
    assert parse_number("123 456 789 012 345") == 123456789012345
    assert normalize_money("4,35 millions d'euros")["amount"] == 4350000


@pytest.mark.parametrize("label,norm,missing", [
    ("MONEY", {"amount": None, "currency": "JPY", "qualifier": "exact"}, "amount"),  # ¥ 0,0,0
    ("DATE", {"value": None, "mod": None}, "value"),                                   # 31 février 2023
    ("DURATION", {"value": None, "mod": None}, "value"),
    ("MONEY", {"amount": 0, "currency": "EUR", "qualifier": "exact"}, None),
    ("LOC", {"name": "Ailleurs", "type": None, "country": None}, None),
])
def test_a_mention_without_its_required_norm_is_found(label, norm, missing):
    assert unreadable_norm({"label": label, "norm": norm}) == missing
