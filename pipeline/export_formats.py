"""Exports for an analyst's tools, each one file: a DuckDB database and a GraphML network.

- `write_duckdb(tables, path)`: the four tables (documents, entities, relations, deals, with the
  explicit Arrow schemas of pipeline/parquet.py, so `deals.sources` is a list of structs) and a
  view `deal_sources`: one row per deal and source statement, joined to its relation row.
- `write_graphml(deals, path)`: countries as nodes (ISO alpha-3 id, French name; a side known
  only as an organisation is the node `org:NAME`), deals as directed edges supplier ->
  recipient (key: deal_id) with weapon, category, quantities, value, status and years; a
  missing value is left out (GraphML has no null). Opens in Gephi, Cytoscape and networkx.
Both are written through `pipeline.export.atomic_write` by `export()`.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .load import Tables

DEAL_SOURCES_VIEW = """
CREATE VIEW deal_sources AS
WITH unnested AS (SELECT deal_id, unnest(sources) AS source FROM deals)
SELECT d.* EXCLUDE (sources, conflicts),
       u.source.doc_id AS source_doc_id, u.source.relation_id AS relation_id,
       u.source.status AS source_status, u.source.date AS source_date,
       u.source.quantity AS source_quantity, u.source.value.amount AS source_value_amount,
       u.source.value.currency AS source_value_currency, u.source.evidence AS evidence,
       r.supplier AS supplier_text, r.recipient AS recipient_text, r.weapon AS weapon_text,
       r.evidence_start, r.evidence_end
FROM unnested u JOIN deals d USING (deal_id) LEFT JOIN relations r ON r.id = u.source.relation_id
"""
# Edge attributes of the GraphML file: deal field -> GraphML attribute name.
EDGE_FIELDS = ("deal_id", "weapon", "category", "quantity_ordered", "quantity_delivered",
               "value_amount", "value_currency", "value_usd", "status", "order_year", "n_documents")


def write_duckdb(tables: "Tables", path: Path) -> None:
    """One DuckDB file with the four tables and the `deal_sources` view (`path` must not exist)."""
    import duckdb

    from .load import TABLES
    from .parquet import arrow_table

    connection = duckdb.connect(str(path))
    try:
        for name in TABLES:
            arrow = arrow_table(name, getattr(tables, name))  # noqa: F841 (read by name below)
            connection.execute(f"CREATE TABLE {name} AS SELECT * FROM arrow")
        connection.execute(DEAL_SOURCES_VIEW)
        connection.execute("CHECKPOINT")
    finally:
        connection.close()


def _scalar(value: Any) -> Any:
    """A GraphML attribute value (str, int, float), or None to leave it out."""
    if value is None or value != value or str(value) == "<NA>":
        return None
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value)) or None
    if hasattr(value, "item"):            # numpy / pandas scalars
        value = value.item()
    return value


def deal_graph(deals: list[dict[str, Any]]):
    """A networkx MultiDiGraph: country nodes, one supplier -> recipient edge per deal."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for deal in deals:
        sides = [(deal.get(f"{side}_country"), deal.get(f"{side}_name")) for side in ("supplier", "recipient")]
        if any(code is None for code, _ in sides):
            continue   # a deal without a known side has no edge
        for code, name in sorted(sides):
            if code not in graph:
                graph.add_node(code, **({"name": name} if name else {}))
        attrs = {key: v for key in EDGE_FIELDS if (v := _scalar(deal.get(key))) is not None}
        if (years := _scalar(deal.get("delivery_years"))) is not None:
            attrs["delivery_years"] = str(years)
        graph.add_edge(sides[0][0], sides[1][0], key=deal["deal_id"], **attrs)
    return graph


def write_graphml(deals: list[dict[str, Any]], path: Path) -> None:
    import networkx as nx

    nx.write_graphml(deal_graph(deals), str(path), encoding="utf-8")
