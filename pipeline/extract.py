"""The extraction run: files -> spaCy (`nlp.pipe`, streamed) -> JSONL records.

Documents are read lazily, processed in batches and written as they come, so memory does
not grow with the corpus. `process_texts` is the per-document function that other engines
(Dask, see pipeline/distributed.py) run unchanged.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .config import BATCH_SIZE
from .pieces import pipe_sources
from .read import InputPlan, Metadata, SourceDoc, iter_documents, read_metadata, scan_inputs
from .write import OutputWriter


@dataclass
class Summary:
    """What a run did, for the closing message."""

    documents: int = 0
    mentions: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    warnings: int = 0
    seconds: float = 0.0
    outputs: dict = field(default_factory=dict)

    def count(self, doc: Doc, document: dict) -> None:
        """Add one written document (its record and its mentions and relations)."""
        self.documents += 1
        self.mentions.update(m["label"] for m in doc._.arms_mentions or [])
        self.relations.update(r["type"] for r in doc._.arms_relations or [])
        self.warnings += len(document["warnings"])

    def lines(self) -> list[str]:
        out = [f"documents: {self.documents}"]
        out.append("mentions: " + (", ".join(f"{k} {v}" for k, v in sorted(self.mentions.items())) or "none"))
        out.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(self.relations.items())) or "none"))
        out.append(f"warnings: {self.warnings}")
        out.append(f"seconds: {self.seconds:.1f}")
        return out


def source_context(source: SourceDoc) -> dict:
    """What a component needs to know about the document it processes (`doc._.arms_source`)."""
    return {"doc_id": source.doc_id, "path": source.path, "sha256": source.sha256,
            "n_chars": len(source.text),  # the model's text may be shorter (read.invisible_offsets)
            "dct": {"value": source.dct_value, "source": source.dct_source},
            "warnings": list(source.warnings)}


def process_texts(nlp: Language, sources: Iterable[SourceDoc], workers: int = 1,
                  batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Run the pipeline over the sources, in order (one doc per source; a text longer than
    `nlp.max_length` goes through in pieces merged back, see pipeline/pieces.py)."""
    yield from pipe_sources(nlp, sources, source_context, batch_size, workers)


def plan_run(paths: list[Path], metadata: Path | None, plan: InputPlan | None = None
             ) -> tuple[InputPlan, Metadata]:
    """The files of a run (`plan`, scanned from `paths` unless given) and the publication
    dates; run-level warnings (files skipped, bad metadata rows, unknown ids) go to stderr,
    a metadata row's warning about a document goes into that document's warnings."""
    plan = plan if plan is not None else scan_inputs(paths)
    dates = read_metadata(metadata)
    plan, run_warnings = dates.attach_warnings(plan)
    for message in plan.messages() + run_warnings + dates.unknown(plan.doc_ids):
        print(f"warning: {message}", file=sys.stderr)
    return plan, dates


def run_extract(paths: list[Path], out_dir: Path, metadata: Path | None = None,
                workers: int = 1, batch_size: int = BATCH_SIZE, progress: bool = True,
                nlp: Language | None = None, plan: InputPlan | None = None) -> Summary:
    """Extract entities and relations from every `.txt` under `paths` (or of an already
    scanned `plan`) into `out_dir`."""
    started = time.perf_counter()
    plan, dates = plan_run(paths, metadata, plan)
    if nlp is None:
        from .nlp import build_nlp
        if progress:  # the first ~20 s of a run
            print("loading the model…", file=sys.stderr)
        nlp = build_nlp()
    summary = Summary()
    docs = process_texts(nlp, iter_documents(plan, dates), workers, batch_size)
    if progress:
        from tqdm import tqdm
        docs = tqdm(docs, total=len(plan.files), unit="doc", file=sys.stderr, disable=None)
    with OutputWriter(out_dir) as writer:
        for doc in docs:
            document = writer.write_doc(doc)
            summary.count(doc, document)
            for warning in document["warnings"]:
                print(f"warning: {document['doc_id']}: {warning}", file=sys.stderr)
        summary.outputs = {name: str(path) for name, path in writer.commit().items()}
    summary.seconds = time.perf_counter() - started
    return summary
