"""Processed documents -> JSON-lines records, written atomically and deterministically.

Records follow SCHEMA.md exactly. Ids are `{doc_id}:E{n}` for mentions, numbered by
(start, end, label), and `{doc_id}:R{n}` for relations in the order the relation stage
gives them (sorted by evidence, then type). JSON is written UTF-8 with real accents, keys in
a fixed order, one record per line, `\\n` line ends.

`OutputWriter` writes the three files to temporary files in the output folder and renames
them over the old outputs only when the run has finished: a run that is killed or fails
leaves the previous outputs as they were.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Iterable

from spacy.tokens import Doc

from .sentences import sentence_starts, text_length

OUTPUT_FILES = ("documents", "entities", "relations")
REGISTER_FILE = "deals"   # derived from the three at commit (pipeline/register/)
TMP_SUFFIX = ".jsonl.tmp"


ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))  # json.dumps makes one per call


def dumps(record: dict) -> str:
    """One JSON line (no ASCII escapes, compact separators)."""
    return ENCODER.encode(record)


def document_record(doc: Doc) -> dict:
    """The documents.jsonl line of a processed document."""
    source = doc._.arms_source
    return {
        "doc_id": source["doc_id"],
        "path": source["path"],
        "sha256": source["sha256"],
        "n_chars": source.get("n_chars", text_length(doc)),  # the raw text's, as read
        "n_tokens": len(doc),
        "n_sentences": len(sentence_starts(doc)),
        "dct": source["dct"],
        "warnings": list(source.get("warnings") or []),
    }


def entity_records(doc: Doc) -> list[dict]:
    """The entities.jsonl lines of a document, with their ids."""
    doc_id = doc._.arms_source["doc_id"]
    records = []
    for n, mention in enumerate(doc._.arms_mentions or [], start=1):
        records.append({
            "id": f"{doc_id}:E{n}",
            "doc_id": doc_id,
            "label": mention["label"],
            "text": mention["text"],
            "start": mention["start"],
            "end": mention["end"],
            "sentence": mention["sentence"],
            "source": mention["source"],
            "norm": mention["norm"],
        })
    return records


def relation_records(doc: Doc, entities: list[dict]) -> list[dict]:
    """The relations.jsonl lines of a document; arguments become entity ids."""
    doc_id = doc._.arms_source["doc_id"]
    ids = [entity["id"] for entity in entities]
    records = []
    for n, relation in enumerate(doc._.arms_relations or [], start=1):
        args = {role: ([ids[i] for i in value] if isinstance(value, list) else ids[value])
                for role, value in relation["args"].items()}
        records.append({
            "id": f"{doc_id}:R{n}",
            "doc_id": doc_id,
            "type": relation["type"],
            "args": args,
            "attrs": relation["attrs"],
            "evidence": relation["evidence"],
        })
    return records


def doc_records(doc: Doc) -> tuple[dict, list[dict], list[dict]]:
    """A processed document's documents.jsonl line, entities.jsonl and relations.jsonl lines."""
    entities = entity_records(doc)
    return document_record(doc), entities, relation_records(doc, entities)


# --- temporary files of killed runs, and a writable check (see tests/test_atomic_outputs.py)
STALE_TMP = re.compile(r"\.(?:%s)\.(?P<pid>\d+)\.[^/]*%s" % ("|".join(OUTPUT_FILES + (REGISTER_FILE,)), re.escape(TMP_SUFFIX)))


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete the temporary files left in `out_dir` by runs whose process is gone.

    Temporary names carry the writer's pid (`.entities.<pid>.<random>.jsonl.tmp`); those of
    a live process (another run writing there now) are left alone.
    """
    removed = []
    for path in Path(out_dir).glob(f".*{TMP_SUFFIX}"):
        match = STALE_TMP.fullmatch(path.name)
        if match and not _alive(int(match.group("pid"))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def check_writable(out_dir: Path) -> str | None:
    """Why `out_dir` cannot receive the outputs (None when it can): creates it if needed."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".write-check.", dir=out_dir)
        os.close(fd)
        os.unlink(tmp)
    except OSError as error:
        return f"cannot write to {out_dir}: {error.strerror or error}"
    return None


def _file_mode() -> int:
    """0666 less the process umask: the mode `open()` would give a new file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
# ---


class OutputWriter:
    """Writes documents/entities/relations JSONL into `out_dir`, atomically on `commit()`;
    with `register` (the default), also deals.jsonl, the deal register built from the three
    at commit (a Dask partition's scratch writer has no use for it)."""

    def __init__(self, out_dir: Path, register: bool = True):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out_dir)
        self.register = register
        self.handles: dict[str, IO[str]] = {}
        self.paths: dict[str, Path] = {}
        for name in OUTPUT_FILES:
            self._open(name)
        self.counts = {name: 0 for name in OUTPUT_FILES}

    def _open(self, name: str) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=self.out_dir)
        self.handles[name] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self.paths[name] = Path(tmp)

    def write(self, name: str, records: Iterable[dict]) -> None:
        handle = self.handles[name]
        written = 0
        for record in records:
            handle.write(dumps(record) + "\n")
            written += 1
        self.counts[name] = self.counts.get(name, 0) + written

    def write_doc(self, doc: Doc) -> dict:
        """Write one processed document's three kinds of records; return its document record."""
        document, entities, relations = doc_records(doc)
        self.write("documents", [document])
        self.write("entities", entities)
        self.write("relations", relations)
        return document

    def commit(self) -> dict[str, Path]:
        """Flush, sync and rename the temporary files over the final ones."""
        final = {}
        for handle in self.handles.values():
            handle.flush()
        if self.register:
            self._write_register()
        for name, handle in self.handles.items():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.chmod(self.paths[name], _file_mode())  # mkstemp makes 0600; outputs are shared
            target = self.out_dir / f"{name}.jsonl"
            os.replace(self.paths[name], target)
            final[name] = target
        self.handles.clear()
        return final

    def _write_register(self) -> None:
        """deals.jsonl from the three temporary files (texts read from the documents' paths)."""
        from .load import iter_jsonl
        from .register import iter_deals, read_statements

        documents, entities, relations = (self.paths[name] for name in OUTPUT_FILES)
        statements = read_statements([d for _, d in iter_jsonl(documents)], entities, relations)
        self._open(REGISTER_FILE)
        self.write(REGISTER_FILE, iter_deals(statements))

    def abort(self) -> None:
        """Drop the temporary files; the previous outputs stay as they were."""
        for name, handle in self.handles.items():
            handle.close()
            self.paths[name].unlink(missing_ok=True)
        self.handles.clear()

    def __enter__(self) -> "OutputWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.handles:
            if exc_type is None:
                self.commit()
            else:
                self.abort()
