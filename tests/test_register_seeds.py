"""The deal register on the seeds (issue 13's bars): the Heron purchase is one deal reported by
two documents with the 2013/2014 date conflict listed; Pegasus one deal reported by three;
every deal has a source with its evidence text; deals.jsonl byte-identical across two runs,
`--workers 2` and the Dask engine; `register` over several folders gives the same deals."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import run_extract
from pipeline.schemas import validate_dir

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import build_nlp
    return build_nlp()


@pytest.fixture(scope="module")
def run(tmp_path_factory, nlp) -> Path:
    out = tmp_path_factory.mktemp("register") / "single"
    run_extract([SEEDS], out, progress=False, nlp=nlp)
    return out


def deals_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "deals.jsonl").read_text(encoding="utf-8").splitlines()]


def the_deal(deals: list[dict], weapon: str) -> dict:
    found = [d for d in deals if d["weapon"] == weapon]
    assert len(found) == 1, f"{weapon}: {len(found)} deals"
    return found[0]


def test_heron_is_one_deal_from_two_documents_with_its_date_conflict(run):
    heron = the_deal(deals_of(run), "Heron")
    assert (heron["supplier_country"], heron["recipient_country"]) == ("ISR", "MAR")
    assert heron["n_documents"] == 2
    assert {s["doc_id"] for s in heron["sources"]} == {"000_812a8e56a1f28302", "002_d949aff4953623e3"}
    dates = [c for c in heron["conflicts"] if c["attribute"] == "date"]
    assert len(dates) == 1
    assert sorted(v["value"] for v in dates[0]["values"]) == ["2013", "2014"]
    assert heron["quantity_delivered"] == 3
    assert (heron["value_amount"], heron["value_currency"], heron["value_usd"]) == (50_000_000, "USD", 50_000_000)
    assert heron["value_eur"] is not None and heron["value_rate_date"] is not None


def test_pegasus_is_one_deal_reported_by_three_documents(run):
    pegasus = the_deal(deals_of(run), "Pegasus")
    assert pegasus["n_documents"] == 3
    assert len({s["doc_id"] for s in pegasus["sources"]}) == 3


def test_every_deal_has_a_source_with_its_evidence_text(run):
    deals = deals_of(run)
    assert deals
    seeds = {path.stem: path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt")}
    for deal in deals:
        assert deal["sources"], deal["deal_id"]
        for source in deal["sources"]:
            assert source["evidence"] and source["evidence"] in seeds[source["doc_id"]]


def test_deals_validate_against_the_schema(run, monkeypatch):
    monkeypatch.chdir(PROJECT)
    assert validate_dir(run) == []


def test_deals_are_byte_identical_across_runs_workers_and_engines(run, tmp_path, nlp):
    from dask.distributed import LocalCluster

    from pipeline.distributed import run_extract_dask

    expected = (run / "deals.jsonl").read_bytes()
    run_extract([SEEDS], tmp_path / "again", progress=False, nlp=nlp)
    assert (tmp_path / "again" / "deals.jsonl").read_bytes() == expected
    run_extract([SEEDS], tmp_path / "workers", workers=2, progress=False, nlp=nlp)
    assert (tmp_path / "workers" / "deals.jsonl").read_bytes() == expected
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_extract_dask([SEEDS], tmp_path / "dask", scheduler=cluster.scheduler_address,
                         partition_size=2, progress=False)
    assert (tmp_path / "dask" / "deals.jsonl").read_bytes() == expected


def test_register_merges_several_runs(run, tmp_path, nlp):
    from pipeline.register import write_register

    first, second = tmp_path / "first", tmp_path / "second"
    seeds = sorted(SEEDS.glob("*.txt"))
    run_extract(seeds[:2], first, progress=False, nlp=nlp)
    run_extract(seeds[1:], second, progress=False, nlp=nlp)     # 001 in both: read once
    warnings: list[str] = []
    path, count = write_register([first, second], tmp_path / "merged", warnings)
    assert path.read_bytes() == (run / "deals.jsonl").read_bytes()
    assert len(warnings) == 1 and seeds[1].stem in warnings[0]
