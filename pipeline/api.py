"""Texts in memory -> the records `extract` writes, from Python.

    >>> from pipeline import Extractor
    >>> extractor = Extractor()          # the model loads at the first call (~20 s), once
    >>> records = extractor.extract("Paris a livré douze Rafale à Athènes.", published="2021-03-04")
    >>> records.relations[0]["type"]
    'arms_transfer'

Each record is a dict exactly as the JSONL files hold it (outputs/README.md describes them);
a document's `path` is `TEXT_PATH`, since it was read from no file. `extract_texts()` does the
same with one Extractor kept for the process.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from .config import BATCH_SIZE

if TYPE_CHECKING:  # pragma: no cover  (imported when used: `import pipeline` stays cheap)
    from spacy.language import Language

    from .read import SourceDoc

TEXT_PATH = "<text>"   # documents.jsonl `path` of a text given in memory


@dataclass(frozen=True)
class Records:
    """The records of one call, in the order `extract` writes them."""

    documents: list[dict]
    entities: list[dict]
    relations: list[dict]
    deals: list[dict]


class Extractor:
    """One loaded pipeline (`build_nlp()` unless given), reused by every `extract` call."""

    def __init__(self, nlp: Language | None = None):
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from .nlp import build_nlp
            self._nlp = build_nlp()
        return self._nlp

    def extract(self, texts: str | Iterable[str], doc_ids: Sequence[str] | None = None,
                published: str | Sequence[str | None] | None = None,
                batch_size: int = BATCH_SIZE) -> Records:
        """The records of `texts` (one text or several).

        Args:
            texts: article texts.
            doc_ids: one id per text (default `text1`, `text2`, ...); unique.
            published: publication dates (YYYY, YYYY-MM or YYYY-MM-DD; None where unknown),
                one per text, that relative dates are resolved against; one string for one text.
        Raises ValueError when the lists do not match the texts, an id repeats or a date is malformed.
        """
        sources = list(sources_of(texts, doc_ids, published))
        from .extract import process_texts
        from .write import doc_records
        documents, entities, relations = [], [], []
        for doc in process_texts(self.nlp, sources, batch_size=batch_size):
            document, doc_entities, doc_relations = doc_records(doc)
            documents.append(document)
            entities.extend(doc_entities)
            relations.extend(doc_relations)
        return Records(documents, entities, relations, deals_of(sources, entities, relations))


@lru_cache(maxsize=1)
def default_extractor() -> Extractor:
    return Extractor()


def extract_texts(texts: str | Iterable[str], doc_ids: Sequence[str] | None = None,
                  published: str | Sequence[str | None] | None = None) -> Records:
    """`Extractor.extract` with one Extractor (one loaded model) kept for the process."""
    return default_extractor().extract(texts, doc_ids, published)


def sources_of(texts: str | Iterable[str], doc_ids: Sequence[str] | None,
               published: str | Sequence[str | None] | None) -> list[SourceDoc]:
    """The texts as the SourceDocs a file run would read, checked."""
    from .read import document_from_bytes, valid_date
    texts = [texts] if isinstance(texts, str) else list(texts)
    if isinstance(published, str):
        published = [published]
    ids = list(doc_ids) if doc_ids is not None else [f"text{n}" for n in range(1, len(texts) + 1)]
    dates = list(published) if published is not None else [None] * len(texts)
    if len(ids) != len(texts) or len(dates) != len(texts):
        raise ValueError(f"{len(texts)} text(s) but {len(ids)} doc id(s) and {len(dates)} date(s)")
    if len(set(ids)) != len(ids):
        raise ValueError("doc ids repeat: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    for doc_id, date in zip(ids, dates):
        if date is not None and not valid_date(date):
            raise ValueError(f"bad publication date {date!r} for {doc_id!r} (YYYY, YYYY-MM or YYYY-MM-DD)")
    metadata = {doc_id: date for doc_id, date in zip(ids, dates) if date is not None}
    return [document_from_bytes(text.encode("utf-8"), doc_id, TEXT_PATH, metadata)
            for text, doc_id in zip(texts, ids)]


def deals_of(sources: list[SourceDoc], entities: list[dict], relations: list[dict]) -> list[dict]:
    """The deal register of these records (as `extract` writes deals.jsonl)."""
    from .register import deals_of_records
    return deals_of_records(entities, relations, {s.doc_id: s.text for s in sources})
