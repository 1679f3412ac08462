"""The deal register: one record per deal across the documents of one or several runs.

    >>> from pipeline.register import register_dirs
    >>> deals = register_dirs(["outputs"])          # what outputs/deals.jsonl holds

Reads as the data flows: `statements.py` (each arms_transfer relation with its values
resolved), `merge.py` (statements -> deals, the policy of rules/register.yaml loaded by
`policy.py`), `deal.py` (a deal's record: fields, sources, conflicts) with `convert.py` (its
value in USD and EUR, offline ECB rates). `extract` writes outputs/deals.jsonl at the end of
a run (pipeline/write.py); `python -m pipeline register DIR... --out DIR` merges several runs.
"""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Iterable, Iterator

from ..load import iter_jsonl, output_files, read_document_text, read_jsonl, text_bases
from .deal import deal_ids, deal_record
from .merge import merge
from .policy import RegisterPolicy, load_policy
from .statements import Statement, statements_of

DEALS_FILE = "deals.jsonl"


def build_deals(statements: Iterable[Statement], policy: RegisterPolicy | None = None) -> list[dict]:
    """The deals.jsonl records of a set of statements, in the order of their first source."""
    return list(iter_deals(statements, policy))


def iter_deals(statements: Iterable[Statement], policy: RegisterPolicy | None = None) -> Iterator[dict]:
    """`build_deals`, one record at a time (a writer holds one deal's record, not the register's)."""
    policy = policy or load_policy()
    groups = merge(statements, policy)
    for group, deal_id in zip(groups, deal_ids(groups)):
        yield deal_record(group, policy, deal_id)


def deals_of_records(entities: Iterable[dict], relations: Iterable[dict], texts: dict,
                     policy: RegisterPolicy | None = None) -> list[dict]:
    """The deals of one run's records already in memory (texts by doc_id)."""
    return build_deals(statements_of(relations, {e["id"]: e for e in entities}, texts), policy)


def run_deals(out_dir: str | Path, entities: list[dict], relations: list[dict], texts: dict) -> list[dict]:
    """The run's deals.jsonl, or, for an older run without it, the register of its records
    (already read by the caller: nothing is read twice)."""
    path = Path(out_dir) / DEALS_FILE
    return read_jsonl(path) if path.is_file() else deals_of_records(entities, relations, texts)


def read_statements(documents: Iterable[dict], entities: Path, relations: Path,
                    bases: Iterable[Path] = (), skip_docs: set[str] | None = None
                    ) -> list[Statement]:
    """The statements of one run: its documents' records, and its entities and relations
    files, read document by document (only the arms_transfer relations, their mentions and
    their documents' texts are read, and only one document's at a time, so that memory holds
    the statements, not the run: 270 MB for 5,000 articles when the whole files were held)."""
    skip = skip_docs or set()
    records = {d["doc_id"]: d for d in documents if "doc_id" in d}
    mentions = MentionBlocks(entities)
    statements: list[Statement] = []
    for doc_id, block in itertools.groupby((r for _, r in iter_jsonl(relations)), key=lambda r: r.get("doc_id")):
        transfers = [r for r in block if r.get("type") == "arms_transfer"]
        if not transfers or doc_id in skip:
            continue
        needed = {v for r in transfers for v in (r.get("args") or {}).values() if isinstance(v, str)}
        text = read_document_text(records[doc_id], bases) if doc_id in records else None
        statements += statements_of(transfers, mentions.of(doc_id, needed), {doc_id: text})
    return statements


class MentionBlocks:
    """The mentions of an entities file, asked for document by document: `extract` writes
    each document's mentions together, in the order of its relations, so one pass serves
    every document. Files written otherwise are still read right, at the cost of more passes:
    a document asked for out of order is looked for from the file's start (and the reading
    goes on from there), and mentions outside their document's block by a pass of their own."""

    def __init__(self, entities: Path):
        self.path = entities
        self.blocks = self.blocks_from_start()

    def blocks_from_start(self):
        return itertools.groupby((e for _, e in iter_jsonl(self.path)), key=lambda e: e.get("doc_id"))

    def of(self, doc_id: str, ids: set[str]) -> dict[str, dict]:
        """The mentions among `ids` (those found) of document `doc_id`, by id."""
        found = self.in_block(doc_id, ids)
        if missing := ids - found.keys():
            found.update({e["id"]: e for _, e in iter_jsonl(self.path) if e.get("id") in missing})
        return found

    def in_block(self, doc_id: str, ids: set[str]) -> dict[str, dict]:
        for _ in range(2):  # from where the last document was found, then from the start
            for block_doc, block in self.blocks:
                if block_doc == doc_id:
                    return {e["id"]: e for e in block if e.get("id") in ids}
            self.blocks = self.blocks_from_start()
        return {}


def register_dirs(out_dirs: Iterable[str | Path], warnings: list[str] | None = None,
                  policy: RegisterPolicy | None = None) -> list[dict]:
    """The deals of several runs' output folders together. A document (same doc_id) met in an
    earlier folder is taken from there only; `warnings` receives one line per skipped one.
    Texts are read from each document's `path`, as given, else relative to the folder or one above it (`load.text_bases`)."""
    statements: list[Statement] = []
    seen: dict[str, str] = {}
    for out_dir in out_dirs:
        paths = output_files(out_dir)
        documents = [document for _, document in iter_jsonl(paths["documents"])]
        skip = set()
        for document in documents:
            doc_id = document.get("doc_id")
            if doc_id in seen:
                skip.add(doc_id)
                if warnings is not None:
                    warnings.append(f"{out_dir}: {doc_id} already read from {seen[doc_id]}: skipped")
            else:
                seen[doc_id] = str(out_dir)
        statements += read_statements(documents, paths["entities"], paths["relations"], text_bases(out_dir), skip)
    return build_deals(statements, policy)


def write_register(out_dirs: Iterable[str | Path], dest: str | Path,
                   warnings: list[str] | None = None) -> tuple[Path, int]:
    """Write `dest`/deals.jsonl from several runs' outputs (atomically); return its path and
    the number of deals."""
    from ..export import atomic_write
    from ..write import dumps

    deals = register_dirs(out_dirs, warnings)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    text = "".join(dumps(deal) + "\n" for deal in deals)
    path = dest / DEALS_FILE
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
    return path, len(deals)
