"""pipeline.load (JSONL -> pandas) and pipeline.export (CSV / Parquet) on the fixture outputs."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.export import atomic_write, export
from pipeline.load import (ATTR_COLUMNS, DOCUMENT_COLUMNS, ENTITY_COLUMNS, EVIDENCE_COLUMNS, RESOLVED_COLUMNS,
                           ROLES, load, read_jsonl, year_of)

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "outputs"


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    """Document paths in documents.jsonl are relative to the repository root."""
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def raw():
    return {name: read_jsonl(FIXTURE / f"{name}.jsonl") for name in ("documents", "entities", "relations")}


@pytest.fixture(scope="module")
def tables():
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return load(FIXTURE)
    finally:
        os.chdir(cwd)


def write_dir(path: Path, documents, entities, relations) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, rows in (("documents", documents), ("entities", entities), ("relations", relations)):
        (path / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
    return path


# ------------------------------------------------------------------ load: shape and columns

def test_one_row_per_line(tables, raw):
    assert len(tables.documents) == len(raw["documents"])
    assert len(tables.entities) == len(raw["entities"])
    assert len(tables.relations) == len(raw["relations"])
    assert list(tables.entities["id"]) == [e["id"] for e in raw["entities"]]


def test_documented_columns_are_present(tables):
    assert set(DOCUMENT_COLUMNS) <= set(tables.documents.columns)
    assert set(ENTITY_COLUMNS) <= set(tables.entities.columns)
    expected = set(ROLES) | {f"{r}_id" for r in ROLES} | set(RESOLVED_COLUMNS) | set(ATTR_COLUMNS) | set(EVIDENCE_COLUMNS)
    assert expected <= set(tables.relations.columns)
    assert {"id", "doc_id", "type"} <= set(tables.relations.columns)


def test_documents_flatten_dct_and_keep_warnings(tables, raw):
    docs = tables.documents.set_index("doc_id")
    for line in raw["documents"]:
        row = docs.loc[line["doc_id"]]
        assert (None if pd.isna(row["dct_value"]) else row["dct_value"]) == line["dct"]["value"]
        assert (None if pd.isna(row["dct_source"]) else row["dct_source"]) == line["dct"]["source"]
        assert row["warnings"] == line["warnings"]
        assert row["n_warnings"] == len(line["warnings"])
    assert tables.documents["n_warnings"].sum() >= 1  # the fixture has one warning


def test_entity_norm_is_flattened_and_typed(tables, raw):
    ents = tables.entities.set_index("id")
    assert ents["amount"].dtype == "float64"
    assert str(ents["year"].dtype) == "Int64"
    assert isinstance(ents["label"].dtype, pd.CategoricalDtype)
    assert {"PER", "ORG", "LOC", "WEAPON", "MONEY", "DATE", "DURATION"} <= set(ents["label"].cat.categories)
    for line in raw["entities"]:
        row, norm = ents.loc[line["id"]], line["norm"]
        if line["label"] == "MONEY":
            assert row["amount"] == norm["amount"] and row["currency"] == norm["currency"]
            assert row["qualifier"] == norm["qualifier"]
        elif line["label"] == "DATE":
            assert row["date_value"] == norm["value"]
            value = norm["value"]
            expected_year = int(value[:4]) if value[:4].isdigit() else None
            assert (None if pd.isna(row["year"]) else int(row["year"])) == expected_year
        elif line["label"] == "DURATION":
            assert row["duration_value"] == norm["value"]
            assert pd.isna(row["date_value"])
        elif line["label"] == "WEAPON":
            assert row["category"] == norm["category"]
        else:
            assert row["name"] == norm["name"]


def test_year_of():
    assert year_of("2021-11") == 2021
    assert year_of("2022-07-18") == 2022
    assert year_of("2014") == 2014
    assert year_of("197X") is None
    assert year_of("XXXX-08-13") is None
    assert year_of("PAST_REF") is None
    assert year_of(None) is None


def test_relation_roles_hold_argument_text_and_resolved_norms(tables, raw):
    by_id = {e["id"]: e for e in raw["entities"]}
    rels = tables.relations.set_index("id")
    for line in raw["relations"]:
        row = rels.loc[line["id"]]
        for role, value in line["args"].items():
            if isinstance(value, list):
                assert row[role] == [by_id[i]["text"] for i in value]
                assert row[f"{role}_id"] == value
            else:
                assert row[role] == by_id[value]["text"]
                assert row[f"{role}_id"] == value
        if "weapon" in line["args"]:
            weapon = by_id[line["args"]["weapon"]]["norm"]
            assert row["weapon_category"] == weapon["category"]
        if "value" in line["args"]:
            money = by_id[line["args"]["value"]]["norm"]
            assert row["value_amount"] == money["amount"] and row["value_currency"] == money["currency"]
        if "date" in line["args"]:
            assert row["date_value"] == by_id[line["args"]["date"]]["norm"]["value"]
        if "person" in line["args"]:
            assert row["person_name"] == by_id[line["args"]["person"]]["norm"]["name"]
        for key, value in line["attrs"].items():
            column = f"attrs_{key}" if key in ("parties", "participants") else key
            got = row[column]
            if value is None:
                assert got is None or pd.isna(got)
            else:
                assert got == value, (line["id"], key)


def test_relations_are_ready_for_groupby(tables):
    rels = tables.relations
    assert str(rels["quantity"].dtype) == "Int64" and str(rels["year"].dtype) == "Int64"
    assert rels["value_amount"].dtype == "float64"
    transfers = rels[rels["type"] == "arms_transfer"]
    assert len(transfers) == 16
    by_status = transfers.groupby(["recipient_country", "status"], observed=True).size()
    assert by_status.sum() == len(transfers)
    assert by_status[("MAR", "delivered")] >= 1
    heron = transfers[transfers["weapon_name"] == "Heron"]
    assert set(heron["year"].dropna()) >= {2014}
    assert heron["quantity"].dropna().tolist()[:1] == [3]
    totals = transfers.groupby("value_currency")["value_amount"].sum()
    assert totals["USD"] > 0


def test_evidence_text_is_cut_from_the_document(tables, raw):
    docs = {d["doc_id"]: (ROOT / d["path"]).read_text(encoding="utf-8") for d in raw["documents"]}
    rels = tables.relations.set_index("id")
    for line in raw["relations"]:
        ev = line["evidence"]
        assert rels.loc[line["id"], "evidence_text"] == docs[line["doc_id"]][ev["start"]:ev["end"]]
        assert rels.loc[line["id"], "evidence_sentence"] == ev["sentence"]


def test_evidence_text_null_when_document_unreadable(tmp_path, raw):
    documents = [dict(d, path=f"missing/{d['doc_id']}.txt") for d in raw["documents"]]
    out = write_dir(tmp_path / "out", documents, raw["entities"], raw["relations"])
    n_docs = len({r["doc_id"] for r in raw["relations"]})
    with pytest.warns(UserWarning, match=f"text not found for {n_docs} document\\(s\\) with relations"):
        t = load(out)
    assert t.relations["evidence_text"].isna().all()
    assert len(t.relations) == len(raw["relations"])


def test_changed_document_is_not_used(tmp_path, raw):
    """A text whose sha256 differs from documents.jsonl would give wrong offsets: refused."""
    doc = raw["documents"][0]
    changed = tmp_path / "changed.txt"
    changed.write_text("x" + (ROOT / doc["path"]).read_text(encoding="utf-8"), encoding="utf-8")
    documents = [dict(doc, path=str(changed))]
    relations = [r for r in raw["relations"] if r["doc_id"] == doc["doc_id"]]
    with pytest.warns(UserWarning, match="text not found for 1 document"):
        t = load(write_dir(tmp_path / "out", documents, raw["entities"], relations))
    assert t.relations["evidence_text"].isna().all()


def test_paths_relative_to_the_output_parent(tmp_path, raw, monkeypatch):
    """Without the document under the current directory, `path` is tried from out_dir/.."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    out = write_dir(tmp_path / "outputs", raw["documents"], raw["entities"], raw["relations"])
    monkeypatch.chdir(tmp_path.parent)
    t = load(out)
    assert t.relations["evidence_text"].notna().all()


def test_paths_relative_to_a_folder_above_the_outputs_whatever_the_current_directory(tmp_path, raw, monkeypatch):
    """`extract seeds --out outputs/dev` run in project/: load() from elsewhere finds the texts."""
    import warnings
    shutil.copytree(ROOT / "seeds", tmp_path / "project" / "seeds")
    out = write_dir(tmp_path / "project" / "outputs" / "dev", raw["documents"], raw["entities"], raw["relations"])
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = load(out)
    assert t.relations["evidence_text"].notna().all()


def test_columns_exist_when_empty_and_extra_keys_are_kept(tmp_path):
    documents = [{"doc_id": "a", "path": "nowhere/a.txt", "sha256": "0" * 64, "n_chars": 30, "n_tokens": 6,
                  "n_sentences": 1, "dct": {"value": None, "source": None}, "warnings": []}]
    entities = [
        {"id": "a:E1", "doc_id": "a", "label": "MONEY", "text": "1 à 2 milliards d'euros", "start": 0, "end": 23,
         "sentence": 0, "source": "rules",
         "norm": {"amount": 1e9, "amount_max": 2e9, "currency": "EUR", "qualifier": "range"}},
        {"id": "a:E2", "doc_id": "a", "label": "DURATION", "text": "20 ans", "start": 24, "end": 30,
         "sentence": 0, "source": "rules", "norm": {"value": "P20Y", "mod": "MORE_THAN", "extra": 1}},
    ]
    t = load(write_dir(tmp_path / "out", documents, entities, []))
    assert len(t.relations) == 0
    assert set(RESOLVED_COLUMNS) <= set(t.relations.columns)
    money = t.entities.iloc[0]
    assert money["amount_max"] == 2e9 and money["qualifier"] == "range"
    duration = t.entities.iloc[1]
    assert duration["duration_mod"] == "MORE_THAN" and pd.isna(duration["date_mod"])
    assert duration["norm_extra"] == 1
    assert t.entities["manufacturer"].isna().all()


# ------------------------------------------------------------------ load: errors

def test_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        load(tmp_path / "nope")


def test_missing_file_names_it(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text("", encoding="utf-8")
    (out / "entities.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="relations.jsonl"):
        load(out)


def test_bad_json_line_names_file_and_line(tmp_path, raw):
    out = write_dir(tmp_path / "out", raw["documents"], raw["entities"][:2], raw["relations"][:0])
    with (out / "entities.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken",\n')
    with pytest.raises(ValueError, match=r"entities\.jsonl:3"):
        load(out)


def test_non_object_line_is_an_error(tmp_path, raw):
    out = write_dir(tmp_path / "out", raw["documents"], [], [])
    (out / "relations.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"relations\.jsonl:1"):
        load(out)


# ------------------------------------------------------------------ export

def test_export_csv_round_trip(tmp_path, tables):
    written = export(FIXTURE, "csv", tmp_path / "csv")
    assert [p.name for p in written] == ["documents.csv", "entities.csv", "relations.csv", "deals.csv"]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == sorted(p.name for p in written)  # no temp left
    entities = pd.read_csv(written[1], encoding="utf-8", keep_default_na=False, na_values=[""])
    assert len(entities) == len(tables.entities)
    assert "Israël" in set(entities["text"])  # UTF-8 accents survive
    relations = pd.read_csv(written[2], encoding="utf-8")
    assert len(relations) == len(tables.relations)
    meeting = relations[relations["type"] == "meeting"].iloc[0]
    participants = json.loads(meeting["participants_id"])
    assert isinstance(participants, list) and len(participants) == 2
    documents = pd.read_csv(written[0], encoding="utf-8")
    assert all(isinstance(json.loads(w), list) for w in documents["warnings"])
    assert list(documents.columns) == list(tables.documents.columns)


def test_export_parquet_keeps_types(tmp_path, tables):
    pytest.importorskip("pyarrow")
    written = export(FIXTURE, "parquet", tmp_path / "pq")
    assert [p.name for p in written] == ["documents.parquet", "entities.parquet", "relations.parquet",
                                         "deals.parquet"]
    relations = pd.read_parquet(written[2])
    assert len(relations) == len(tables.relations)
    assert str(relations["quantity"].dtype) == "Int64"
    meeting = relations[relations["type"] == "meeting"].iloc[0]
    assert len(list(meeting["participants"])) == 2
    entities = pd.read_parquet(written[1])
    assert entities["amount"].dtype == "float64"
    assert set(entities["label"].dropna()) == set(tables.entities["label"].dropna())


def test_export_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        export(FIXTURE, "xlsx", tmp_path)


def test_export_defaults_to_a_folder_per_format(tmp_path, raw):
    out = write_dir(tmp_path / "out", raw["documents"], raw["entities"], raw["relations"])
    assert all(p.parent == out / "csv" for p in export(out, "csv"))
    assert all(p.parent == out / "parquet" for p in export(out, "parquet"))
    assert load(out).relations.shape[0] == len(raw["relations"])  # the exports do not disturb a reload


def test_atomic_write_leaves_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n", encoding="utf-8")

    def failing(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, failing)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
