"""The Dask engine (pipeline/distributed.py) gives byte-identical outputs to the single-process run.

The fast tests use a blank French pipeline (no statistical model) and run the partitions
in-process, in a shuffled order; the model test runs the real pipeline on a LocalCluster of
two worker processes, addressed like a remote scheduler.
"""
from __future__ import annotations

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest
import spacy

from pipeline import components, distributed  # noqa: F401 (components registers Doc extensions)
from pipeline.extract import Summary, run_extract
from pipeline.read import read_metadata, scan_inputs
from pipeline.write import OUTPUT_FILES, OutputWriter

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"


def _bench_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", PROJECT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[list[Path], Path]:
    """Seeds, generated articles (one in a sub-folder with a clashing stem), a metadata CSV."""
    root = tmp_path / "in"
    _bench_corpus().write_corpus(root / "gen", 9)
    (root / "seeds").mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        (root / "seeds" / path.name).write_bytes(path.read_bytes())
    (root / "gen" / "sub").mkdir()
    clash = root / "gen" / "sub" / sorted(SEEDS.glob("*.txt"))[0].name
    clash.write_text("Le 3 mars 2023, la Pologne a commandé 180 chars K2 à Hyundai Rotem.\n",
                     encoding="utf-8")
    metadata = tmp_path / "meta.csv"
    first_gen = sorted((root / "gen").glob("*.txt"))[0].stem
    metadata.write_text(f"doc_id,published\n{first_gen},2023-05-04\n", encoding="utf-8")
    return [root / "seeds", root / "gen"], metadata


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / f"{name}.jsonl").read_bytes() for name in OUTPUT_FILES}


# ----------------------------------------------------------------------------- fast


def test_partitions_are_consecutive_absolute_and_cover_the_plan(corpus):
    paths, _ = corpus
    plan = scan_inputs(paths)
    parts = distributed.partitions(plan, 4)
    assert len(parts) == math.ceil(len(plan.files) / 4) == 4
    assert [item.doc_id for part in parts for item in part.files] == plan.doc_ids
    assert all(Path(item.path).is_absolute() for part in parts for item in part.files)
    assert [len(part.files) for part in parts] == [4, 4, 4, 3]
    with pytest.raises(ValueError):
        distributed.partitions(plan, 0)


def _blank_nlp():
    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    return nlp


def test_partitions_merged_in_order_equal_single_process(corpus, tmp_path, monkeypatch):
    """Same code path: partitions processed out of order, merged in order, same bytes."""
    paths, metadata = corpus
    monkeypatch.chdir(tmp_path)      # input paths are then written relative: `in/seeds/...`
    nlp = _blank_nlp()
    run_extract(paths, tmp_path / "single", metadata, progress=False, nlp=nlp)

    monkeypatch.setitem(distributed._MODELS, (None, None), nlp)
    plan = scan_inputs(paths)
    dates = dict(read_metadata(metadata))
    client_paths = {item.doc_id: distributed._relative(Path(item.path), None) for item in plan.files}
    parts = distributed.partitions(plan, 3)
    order = list(range(len(parts)))
    random.Random(4).shuffle(order)
    results = {i: distributed.process_partition(i, parts[i], dates, client_paths) for i in order}
    summary = Summary()
    with OutputWriter(tmp_path / "parts") as writer:
        for i in range(len(parts)):
            distributed._merge(writer, summary, results[i])
        writer.commit()
    assert _outputs(tmp_path / "parts") == _outputs(tmp_path / "single")
    assert summary.documents == len(plan.files) == 15
    assert writer.counts["documents"] == 15
    documents = (tmp_path / "parts" / "documents.jsonl").read_text(encoding="utf-8")
    assert '"value": "2023-05-04", "source": "metadata"' in documents
    # `path` is named as the client sees the file, not as the absolute path the worker read
    records = [json.loads(line) for line in documents.splitlines()]
    assert all(r["path"].startswith("in/") for r in records)


def test_worker_builds_its_pipeline_once(monkeypatch):
    built = []

    def fake_build(**kwargs):
        built.append(kwargs)
        return object()

    import pipeline.nlp
    monkeypatch.setattr(pipeline.nlp, "build_nlp", fake_build)
    monkeypatch.setattr(distributed, "_MODELS", {})
    first = distributed.worker_nlp(None, "/some/rules")
    assert distributed.worker_nlp(None, "/some/rules") is first
    assert len(built) == 1 and built[0]["rules_dir"] == Path("/some/rules")
    distributed.worker_nlp("other_model", None)
    assert len(built) == 2 and built[1]["model"] == "other_model"


# ----------------------------------------------------------------------------- model


@pytest.mark.model
def test_dask_local_cluster_is_byte_identical_to_single_process(corpus, tmp_path):
    from dask.distributed import LocalCluster

    paths, metadata = corpus
    single = run_extract(paths, tmp_path / "single", metadata, progress=False)
    stats: dict = {}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        summary = distributed.run_extract_dask(
            paths, tmp_path / "dask", metadata, scheduler=cluster.scheduler_address,
            partition_size=3, progress=False, stats=stats)
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "single")
    assert summary.documents == single.documents == 15
    assert summary.mentions == single.mentions and summary.relations == single.relations
    assert stats["partitions"] == 5
    # each worker process built the pipeline once, however many partitions it ran
    assert 1 <= len(stats["worker_loads"]) <= 2
    assert set(stats["worker_loads"].values()) == {1}
    assert not list((tmp_path / "dask").glob(".*.tmp"))
