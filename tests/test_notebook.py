"""notebooks/explore.ipynb: committed without outputs, and runs top to bottom on the fixture."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
FIXTURE = ROOT / "tests" / "fixtures" / "outputs"


def read() -> "nbformat.NotebookNode":
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_committed_without_outputs():
    nb = read()
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "no code cell"
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert any(c.cell_type == "markdown" for c in nb.cells)
    assert "from pipeline.load import load" in "".join(c.source for c in code)


def test_notebook_runs_on_the_fixture(monkeypatch, tmp_path):
    monkeypatch.setenv("PIPELINE_OUTPUTS", str(FIXTURE))
    monkeypatch.setenv("MPLBACKEND", "agg")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    nb = read()
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "5 documents, 290 entity mentions, 41 relations" in text
    images = [o for o in outputs if o.output_type in ("display_data", "execute_result") and "image/png" in o.data]
    assert len(images) >= 5  # network, value per year, labels, transfers per category, timeline
    # the register opens the notebook: the fixture's 16 transfer statements as deals, and the
    # Heron purchase dated 2014 by one article and 2013 by another in the conflicts table
    assert "deals from 16 transfer statements" in text
    first_register = next(i for i, c in enumerate(nb.cells) if "t.deals" in c.source)
    first_entities = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Entity mentions"))
    assert first_register < first_entities
    html = "".join(o.data.get("text/html", "") for o in outputs if o.output_type in ("display_data", "execute_result"))
    assert re.search(r"2014 \(000_812a8e56a1f28302:R\d+\); 2013 \(002_d949aff4953623e3:R\d+\)", html)


def test_notebook_runs_on_an_output_without_entities(monkeypatch, tmp_path):
    """A run that found nothing (one document, no mention, no relation) must not break a cell."""
    out = tmp_path / "outputs"
    out.mkdir()
    first = (FIXTURE / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0]
    (out / "documents.jsonl").write_text(first + "\n", encoding="utf-8")
    (out / "entities.jsonl").write_text("", encoding="utf-8")
    (out / "relations.jsonl").write_text("", encoding="utf-8")
    monkeypatch.setenv("PIPELINE_OUTPUTS", str(out))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    nb = read()
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")
    assert "1 documents, 0 entity mentions, 0 relations" in text
    assert "0 deals from 0 transfer statements" in text and "0 conflict(s)" in text
    assert "no arms_transfer relation" in text
