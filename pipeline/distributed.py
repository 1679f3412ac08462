"""The Dask engine: the same extraction, spread over the workers of a Dask cluster.

`run_extract_dask` plans the run on the client (which files, in which order, with which
doc_ids, as `run_extract` does), cuts the file list into consecutive partitions and sends
each partition to a worker. A worker loads the pipeline once (`build_nlp`, cached per worker
process) and runs the very code of the single-process run on its partition:
`iter_documents` -> `process_texts` (`nlp.pipe`) -> `OutputWriter.write_doc`. It sends back
the partition's three JSONL chunks. The client writes the chunks in document order into the
output folder (atomically, like `run_extract`), so the outputs are byte-identical to a
single-process run on the same input.

- `scheduler=None`: a `LocalCluster` of `workers` processes (one thread each) is started for
  the run and closed after it.
- `scheduler="tcp://host:8786"`: the run goes to that cluster. Every worker needs the project
  installed (`pip install -e .`, which brings the model) and the input files at the path the
  client sees them (a shared file system); outputs come back over the network, so the
  output folder only needs to exist on the client.

At most `window` partitions are in flight at once (default: twice the number of worker
threads, plus one), so memory on the client stays bounded whatever the corpus size.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from .config import BATCH_SIZE
from .extract import Summary, plan_run, process_texts
from .read import InputPlan, iter_documents
from .read import _relative
from .write import OUTPUT_FILES, OutputWriter

DEFAULT_PARTITION_SIZE = 32

_MODELS: dict = {}
_MODELS_LOCK = threading.Lock()
_LOADS = {"count": 0}


def worker_nlp(model: str | None = None, rules_dir: str | None = None):
    """The pipeline of this worker process, built on first use and kept for later tasks."""
    key = (model, rules_dir)
    with _MODELS_LOCK:
        if key not in _MODELS:
            from .nlp import build_nlp
            kwargs = {"rules_dir": Path(rules_dir) if rules_dir else None}
            if model:
                kwargs["model"] = model
            _MODELS[key] = build_nlp(**kwargs)
            _LOADS["count"] += 1
        return _MODELS[key]


def _sources(plan: InputPlan, dates: dict, paths: dict[str, str]) -> Iterator:
    """`iter_documents` over the partition, with each `path` as the client named it."""
    for source in iter_documents(plan, dates):
        source.path = paths[source.doc_id]
        yield source


def process_partition(index: int, plan: InputPlan, dates: dict, paths: dict[str, str],
                      batch_size: int = BATCH_SIZE, model: str | None = None,
                      rules_dir: str | None = None) -> dict:
    """Run the pipeline over one partition (on a worker); return its JSONL chunks and counts.

    The records are written by `OutputWriter.write_doc` into a scratch folder and read back,
    so that their bytes are those of a single-process run.
    """
    started = time.perf_counter()
    loads_before = _LOADS["count"]
    nlp = worker_nlp(model, rules_dir)
    part = Summary()
    warnings: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="arms-part-") as scratch:
        with OutputWriter(Path(scratch), register=False) as writer:
            for doc in process_texts(nlp, _sources(plan, dates, paths), 1, batch_size):
                document = writer.write_doc(doc)
                part.count(doc, document)
                warnings.extend((document["doc_id"], w) for w in document["warnings"])
            final = writer.commit()
        chunks = {name: final[name].read_text(encoding="utf-8") for name in OUTPUT_FILES}
    return {"index": index, "chunks": chunks, "documents": part.documents,
            "mentions": dict(part.mentions), "relations": dict(part.relations), "warnings": warnings,
            "pid": os.getpid(), "model_loaded": _LOADS["count"] > loads_before,
            "seconds": time.perf_counter() - started}


def partitions(plan: InputPlan, size: int) -> list[InputPlan]:
    """Consecutive slices of the plan's files, in order, with absolute paths for the workers."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    files = [replace(item, path=Path(item.path).absolute()) for item in plan.files]
    return [InputPlan(files=files[i:i + size]) for i in range(0, len(files), size)]


def run_extract_dask(paths: list[Path], out_dir: Path, metadata: Path | None = None,
                     scheduler: str | None = None, workers: int = 2,
                     batch_size: int = BATCH_SIZE, partition_size: int = DEFAULT_PARTITION_SIZE,
                     progress: bool = True, model: str | None = None,
                     rules_dir: Path | None = None, window: int | None = None,
                     stats: dict | None = None, plan: InputPlan | None = None) -> Summary:
    """Extract entities and relations with Dask; same outputs as `run_extract`.

    Args:
        paths, out_dir, metadata, batch_size, plan: as in `pipeline.extract.run_extract`.
        scheduler: address of a running Dask scheduler (`tcp://host:8786`); None starts a
            LocalCluster of `workers` single-threaded processes for this run.
        workers: worker processes of the local cluster (ignored with `scheduler`).
        partition_size: documents per task.
        model, rules_dir: passed to `build_nlp` on the workers (defaults: the project's).
        window: partitions in flight at most (default 2 × worker threads + 1).
        stats: if a dict is given, filled with `worker_loads` {pid: model loads} and
            `partitions` (how many).
    """
    from dask.distributed import Client, LocalCluster, as_completed

    started = time.perf_counter()
    plan, dates = plan_run(paths, metadata, plan)
    # the `path` field is named as the client sees the file, whatever the worker's folder
    client_paths = {item.doc_id: _relative(Path(item.path), None) for item in plan.files}
    parts = partitions(plan, partition_size)
    metadata_dict = dict(dates)

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    summary = Summary()
    loads: Counter = Counter()
    bar = None
    try:
        threads = sum(client.nthreads().values()) or 1
        window = window or 2 * threads + 1
        if progress:
            from tqdm import tqdm
            bar = tqdm(total=len(plan.files), unit="doc", file=sys.stderr, disable=None)
        with OutputWriter(out_dir) as writer:
            def submit(i: int):
                part = parts[i]
                part_paths = {item.doc_id: client_paths[item.doc_id] for item in part.files}
                return client.submit(process_partition, i, part, metadata_dict, part_paths,
                                     batch_size, model, str(rules_dir) if rules_dir else None,
                                     pure=False)

            pending = as_completed()
            ready: dict[int, dict] = {}     # results that came back before their turn
            next_submit = next_write = 0

            def fill() -> None:
                nonlocal next_submit
                while next_submit < len(parts) and pending.count() + len(ready) < window:
                    pending.add(submit(next_submit))
                    next_submit += 1

            fill()
            for future in pending:
                result = future.result()
                future.release()
                ready[result["index"]] = result
                loads[result["pid"]] += int(result["model_loaded"])
                while next_write in ready:
                    _merge(writer, summary, ready.pop(next_write))
                    if bar is not None:
                        bar.update(len(parts[next_write].files))
                    next_write += 1
                fill()
            if next_write != len(parts):
                raise RuntimeError(f"Dask run incomplete: {next_write} of {len(parts)} partitions")
            summary.outputs = {name: str(path) for name, path in writer.commit().items()}
    finally:
        if bar is not None:
            bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    if stats is not None:
        stats["worker_loads"] = dict(loads)
        stats["partitions"] = len(parts)
    summary.seconds = time.perf_counter() - started
    return summary


def _merge(writer: OutputWriter, summary: Summary, result: dict) -> None:
    """Append one partition's chunks to the outputs, and its counts to the summary."""
    for name in OUTPUT_FILES:
        chunk = result["chunks"][name]
        writer.handles[name].write(chunk)
        writer.counts[name] += chunk.count("\n")
    summary.documents += result["documents"]
    summary.mentions.update(result["mentions"])
    summary.relations.update(result["relations"])
    for doc_id, warning in result["warnings"]:
        summary.warnings += 1
        print(f"warning: {doc_id}: {warning}", file=sys.stderr)
