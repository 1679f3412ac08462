"""pipeline.api: texts in memory give the records `extract` writes for the same texts in files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import Extractor
from pipeline.api import TEXT_PATH, sources_of

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def test_ids_and_dates_are_checked_before_the_model_loads():
    with pytest.raises(ValueError, match="2 text"):
        sources_of(["un", "deux"], ["a"], None)
    with pytest.raises(ValueError, match="repeat: a"):
        sources_of(["un", "deux"], ["a", "a"], None)
    with pytest.raises(ValueError, match="bad publication date '2021-02-30'"):
        sources_of("un", None, "2021-02-30")


def test_default_ids_and_dates():
    first, second = sources_of(["Un texte.", "Un autre."], None, [None, "2019-05"])
    assert (first.doc_id, first.dct_value, first.path) == ("text1", None, TEXT_PATH)
    assert (second.doc_id, second.dct_value, second.dct_source) == ("text2", "2019-05", "metadata")


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


@pytest.mark.model
def test_one_sentence(extractor):
    records = extractor.extract("Paris a livré douze Rafale à Athènes.", published="2021-03-04")
    [document] = records.documents
    assert document["dct"] == {"value": "2021-03-04", "source": "metadata"}
    assert [(e["label"], e["text"]) for e in records.entities] == [
        ("LOC", "Paris"), ("WEAPON", "Rafale"), ("LOC", "Athènes")]
    [relation] = records.relations
    assert relation["type"] == "arms_transfer"
    assert relation["args"] == {"weapon": "text1:E2", "supplier": "text1:E1", "recipient": "text1:E3"}
    assert relation["attrs"]["quantity"] == 12
    assert (relation["attrs"]["supplier_country"], relation["attrs"]["recipient_country"]) == ("FRA", "GRC")
    [deal] = records.deals
    assert (deal["weapon"], deal["quantity_delivered"]) == ("Rafale", 12)


def read_records(folder: Path, name: str) -> list[dict]:
    return [json.loads(line) for line in (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.model
def test_same_records_as_extract_on_the_seeds(extractor, tmp_path):
    from pipeline.extract import run_extract
    run_extract([SEEDS], tmp_path, progress=False, nlp=extractor.nlp)
    files = sorted(SEEDS.glob("*.txt"))
    records = extractor.extract([f.read_text(encoding="utf-8") for f in files], [f.stem for f in files])
    assert records.entities == read_records(tmp_path, "entities")
    assert records.relations == read_records(tmp_path, "relations")
    assert records.deals == read_records(tmp_path, "deals")
    written = read_records(tmp_path, "documents")
    assert [d["path"] for d in records.documents] == [TEXT_PATH] * len(files)
    assert [{**d, "path": None} for d in records.documents] == [{**d, "path": None} for d in written]
    assert records.entities, "the seeds have entities"
