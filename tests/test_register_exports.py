"""The register in the tools analysts use: `load()` gives `deals`; CSV (plain and for a
French-locale spreadsheet) and Parquet with one explicit schema, so two runs concatenate."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.export import export
from pipeline.load import load

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "outputs"


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch):
    """Document paths in documents.jsonl are relative to the repository root."""
    monkeypatch.chdir(ROOT)


def _rewrite(path: Path, change) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("".join(json.dumps(change(r), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def _run(tmp_path: Path, name: str, warning: str | None) -> Path:
    """A copy of the fixture outputs whose documents have no warning, or all this one."""
    out = tmp_path / name
    shutil.copytree(FIXTURE, out)
    _rewrite(out / "documents.jsonl", lambda d: {**d, "warnings": [warning] if warning else []})
    return out


def test_load_gives_the_deals_whether_deals_jsonl_exists_or_not(tmp_path):
    out = _run(tmp_path, "run", None)
    built = load(out).deals          # an older run without deals.jsonl: built on the fly
    from pipeline.register import write_register
    write_register([out], out)
    read = load(out).deals
    assert list(read["deal_id"]) == list(built["deal_id"]) and len(read) >= 1
    assert str(read["n_documents"].dtype) == "Int64" and read["value_usd"].dtype == "float64"
    assert all(isinstance(s, list) and s for s in read["sources"])


def test_parquet_files_of_two_runs_concatenate(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    quiet, noisy = _run(tmp_path, "quiet", None), _run(tmp_path, "noisy", "text looks odd")
    paths = {run: export(run, "parquet", tmp_path / f"{run.name}-pq") for run in (quiet, noisy)}
    for first, second in zip(paths[quiet], paths[noisy]):
        a, b = pq.read_table(first), pq.read_table(second)
        assert a.schema == b.schema, first.name
        assert pa.concat_tables([a, b]).num_rows == a.num_rows + b.num_rows
    documents = pq.read_table(paths[noisy][0])
    assert documents.schema.field("warnings").type == pa.list_(pa.string())   # not list<null>
    deals = pq.read_table(paths[quiet][3]).to_pylist()
    assert all(deal["sources"][0]["relation_id"] for deal in deals)


def test_french_csv_opens_as_columns_in_a_french_spreadsheet(tmp_path):
    out = _run(tmp_path, "run", None)
    plain = export(out, "csv", tmp_path / "plain")
    french = export(out, "csv", tmp_path / "fr", french=True)
    raw = french[3].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not plain[3].read_bytes().startswith(b"\xef\xbb\xbf")
    header = raw[3:].split(b"\n", 1)[0].decode("utf-8")
    assert header.startswith("deal_id;supplier_country;supplier_name;")
    frame = pd.read_csv(french[3], sep=";", decimal=",", encoding="utf-8-sig")
    expected = pd.read_csv(plain[3], encoding="utf-8")
    assert list(frame.columns) == list(expected.columns)
    assert frame["value_amount"].equals(expected["value_amount"])


def test_duckdb_export_has_the_four_tables_and_deals_joined_to_sources(tmp_path):
    import duckdb

    out = _run(tmp_path, "run", None)
    tables = load(out)
    path, = export(out, "duckdb", tmp_path / "db")
    assert path.name == "pipeline.duckdb" and sorted(p.name for p in path.parent.iterdir()) == ["pipeline.duckdb"]
    connection = duckdb.connect(str(path), read_only=True)
    try:
        for name in ("documents", "entities", "relations", "deals"):
            count, = connection.execute(f"SELECT count(*) FROM {name}").fetchone()
            assert count == len(getattr(tables, name)), name
        rows = connection.execute("SELECT deal_id, relation_id, evidence, supplier_text FROM deal_sources").fetchall()
    finally:
        connection.close()
    n_sources = sum(len(s) for s in tables.deals["sources"])
    assert len(rows) == n_sources
    by_relation = tables.relations.set_index("id")
    for deal_id, relation_id, evidence, supplier_text in rows:
        assert evidence == by_relation.loc[relation_id, "evidence_text"]    # the view joins the right relation
        supplier = by_relation.loc[relation_id, "supplier"]
        assert supplier_text == (None if pd.isna(supplier) else supplier)


def test_graphml_export_has_countries_as_nodes_and_deals_as_edges(tmp_path):
    import networkx as nx

    out = _run(tmp_path, "run", None)
    deals = load(out).deals
    path, = export(out, "graphml", tmp_path / "graph")
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.is_directed()
    with_sides = deals[deals["supplier_country"].notna() & deals["recipient_country"].notna()]
    assert graph.number_of_edges() == len(with_sides)
    assert set(graph.nodes) == set(with_sides["supplier_country"]) | set(with_sides["recipient_country"])
    for _, deal in with_sides.iterrows():
        edge = graph.get_edge_data(deal["supplier_country"], deal["recipient_country"])[deal["deal_id"]]
        assert edge["status"] == deal["status"]
        if isinstance(deal["weapon"], str):
            assert edge["weapon"] == deal["weapon"]
    if "ISR" in graph:
        assert graph.nodes["ISR"]["name"] == "Israël"
