"""Documents the model cannot take whole: split into pieces, processed, merged back.

spaCy refuses a text longer than `nlp.max_length` (1,000,000 characters by default). Such
a text is cut into pieces of at most `nlp.max_length` characters, at the last paragraph
break in reach, else the last sentence end, else the last whitespace (else a hard cut).
The pieces are consecutive and cover the text exactly, so their concatenation is the text.

Each piece is processed as its own doc (same `doc._.arms_source`), then `merge_pieces` puts them
back into ONE doc with `Doc.from_docs`: its text is the whole text, and the mentions and
relations of every piece are shifted into it (character offsets, token offsets, sentence
indices, mention indices in relation arguments), so write.py numbers the ids of the whole
document as usual. What a piece cannot see is lost: persons are linked to their fuller name
and transfers restated are merged within a piece only; when the DCT is inferred, each
piece infers its own and the document keeps the latest.

`pipe_sources` is the loop extract.py runs: SourceDocs in, one processed doc per source out,
in order. It also gives the model `SourceDoc.model_text` when set (HTML tags blanked out,
"" for a skipped file, invisible characters left out: `restore_offsets` maps the offsets
back) and, for those, keeps only the mentions whose text is also the
raw file's text at their offsets, so that `text == file_text[start:end]` always holds
(`keep_raw_mentions`).
"""
from __future__ import annotations

import bisect
import itertools
import re
import warnings as pywarnings
from typing import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from threadpoolctl import threadpool_limits

from .config import BLAS_THREADS, PIECE_CHARS, PIECES_PER_BATCH
from .msgpack_hooks import keep_msgpack_hooks

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
SENTENCE_END = re.compile(r"[.!?…][»\"”’)\]]*\s+")
WHITESPACE = re.compile(r"\s+")


def split_text(text: str, max_chars: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most `max_chars` characters covering `text`.

    A text that fits is one piece. Otherwise each cut goes after the last paragraph break
    (then sentence end, then whitespace) found in the second half of the allowed window,
    so no piece is needlessly small; a CRLF pair is never cut in two.
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        limit = start + max_chars
        cut = _best_cut(text, start + max_chars // 2, limit)
        if cut is None or cut <= start:
            cut = limit
            if text[cut - 1] == "\r" and text[cut] == "\n":
                cut -= 1
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


def _best_cut(text: str, lo: int, hi: int) -> int | None:
    for pattern in (PARAGRAPH_BREAK, SENTENCE_END, WHITESPACE):
        last = None
        for match in pattern.finditer(text, lo, hi):
            last = match
        if last is not None:
            cut = last.end()
            if text[cut - 1] == "\r" and cut < len(text) and text[cut] == "\n":
                cut -= 1  # the window ended between \r and \n
            if cut > lo:
                return cut
    return None


def merge_pieces(pieces: list[tuple[Doc, int]]) -> Doc:
    """One doc from processed pieces [(doc, char offset of the piece in the text)], in order.

    The pieces' texts must be consecutive slices of one text. Mentions (`start`, `end`,
    `token_start`, `token_end`, `sentence`) and relations (mention indices in `args`,
    `evidence` `start`/`end`/`sentence`) are shifted into the merged doc.
    """
    docs = [doc for doc, _ in pieces]
    if len(docs) == 1:
        return docs[0]
    with pywarnings.catch_warnings():
        pywarnings.simplefilter("ignore")  # W101: doc-level extensions are set below
        merged = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
    mentions: list[dict] = []
    relations: list[dict] = []
    tokens = sentences = 0
    inferred = []
    for doc, chars in pieces:
        base = len(mentions)
        for mention in doc._.arms_mentions or []:
            mentions.append({**mention,
                             "start": mention["start"] + chars, "end": mention["end"] + chars,
                             "token_start": mention["token_start"] + tokens,
                             "token_end": mention["token_end"] + tokens,
                             "sentence": mention["sentence"] + sentences})
        for relation in doc._.arms_relations or []:
            args = {role: ([i + base for i in value] if isinstance(value, list) else value + base)
                    for role, value in relation["args"].items()}
            evidence = dict(relation["evidence"])
            evidence.update(start=evidence["start"] + chars, end=evidence["end"] + chars,
                            sentence=evidence["sentence"] + sentences)
            relations.append({**relation, "args": args, "evidence": evidence})
        dct = (doc._.arms_source or {}).get("dct") or {}
        if dct.get("source") == "inferred" and dct.get("value"):
            inferred.append(dct["value"])
        tokens += len(doc)
        sentences += sum(1 for _ in doc.sents) if len(doc) else 0
    source = dict(docs[0]._.arms_source or {})
    if inferred:
        source["dct"] = {"value": max(inferred), "source": "inferred"}
    merged._.arms_source = source
    merged._.arms_mentions = mentions
    merged._.arms_relations = relations
    return merged


def restore_offsets(doc: Doc, hidden: Sequence[int]) -> None:
    """Map the character offsets of the mentions and relation evidence, taken on a text
    without the characters at `hidden` (offsets in the raw text, sorted), onto the raw text.

    A start skips the hidden characters before it; an end follows the last character of
    the span, so that `Fra\u200bnce` is one mention and `\u200bFrance` starts at `F`.
    """
    at = [offset - n for n, offset in enumerate(hidden)]   # where each one was in the model text

    def start(offset: int) -> int:
        return offset + bisect.bisect_right(at, offset)

    def end(offset: int) -> int:
        return start(offset - 1) + 1 if offset else 0

    doc._.arms_mentions = [{**mention, "start": start(mention["start"]), "end": end(mention["end"])}
                      for mention in doc._.arms_mentions or []]
    doc._.arms_relations = [{**relation, "evidence": {**relation["evidence"],
                                                  "start": start(relation["evidence"]["start"]),
                                                  "end": end(relation["evidence"]["end"])}}
                       for relation in doc._.arms_relations or []]


def keep_raw_mentions(doc: Doc, raw: str) -> int:
    """Make every mention's text `raw[start:end]`, for a doc processed on blanked markup.

    A mention over a blanked `&nbsp;` takes the raw text (`6&nbsp;milliards d'euros`); one
    over a blanked tag (`Rafale</b> Marine`) is dropped, with the relations that use it.
    Returns how many mentions were dropped.
    """
    mentions = doc._.arms_mentions or []
    new_index: dict[int, int] = {}
    kept = []
    for i, mention in enumerate(mentions):
        text = raw[mention["start"]:mention["end"]]
        if text != mention["text"]:
            if "<" in text or ">" in text:
                continue
            mention = {**mention, "text": text}
        new_index[i] = len(kept)
        kept.append(mention)
    doc._.arms_mentions = kept
    dropped = len(mentions) - len(kept)
    if not dropped:
        return 0
    relations = []
    for relation in doc._.arms_relations or []:
        indices = [i for v in relation["args"].values() for i in (v if isinstance(v, list) else [v])]
        if all(i in new_index for i in indices):
            args = {role: ([new_index[i] for i in v] if isinstance(v, list) else new_index[v])
                    for role, v in relation["args"].items()}
            relations.append({**relation, "args": args})
    doc._.arms_relations = relations
    return dropped


def pipe_sources(nlp: Language, sources: Iterable, context: Callable[[object], dict],
                 batch_size: int, n_process: int = 1) -> Iterator[Doc]:
    """Process SourceDocs with `nlp.pipe`; yield one doc per source, in order.

    `context(source)` gives the `doc._.arms_source` dict. A text longer than the piece limit
    (`nlp.max_length`, at most PIECE_CHARS) goes through in pieces (`split_text`,
    `merge_pieces`), PIECES_PER_BATCH at a time in this process, so that memory follows the
    batch and not the longest text; the texts between long ones go through in batches of
    `batch_size` on `n_process` processes. The model's matrix products use BLAS_THREADS
    threads in each process meanwhile (the workers inherit the limit); the caller's setting
    comes back when the loop ends. With more than one process, the docs come back as msgpack
    bytes: srsly's hooks are looked up once (`keep_msgpack_hooks`).
    """
    limit = min(nlp.max_length, PIECE_CHARS)
    if n_process > 1:
        keep_msgpack_hooks()

    def is_long(source) -> bool:
        return len(source.text if source.model_text is None else source.model_text) > limit

    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        for long, run in itertools.groupby(sources, key=is_long):
            if long:
                yield from _pipe_run(nlp, run, context, limit, PIECES_PER_BATCH, 1)
            else:
                yield from _pipe_run(nlp, run, context, limit, batch_size, n_process)


def _pipe_run(nlp: Language, sources: Iterable, context: Callable[[object], dict], limit: int,
              batch_size: int, n_process: int) -> Iterator[Doc]:
    """`pipe_sources` over consecutive sources processed alike."""
    raw_texts: dict[int, str] = {}
    hidden: dict[int, Sequence[int]] = {}
    notes: dict[int, str] = {}

    def tasks():
        for index, source in enumerate(sources):
            text = source.text if source.model_text is None else source.model_text
            if source.model_text is not None and source.model_text != source.text:
                raw_texts[index] = source.text
            if source.hidden:
                hidden[index] = source.hidden
            spans = split_text(text, limit)
            if len(spans) > 1:
                notes[index] = (f"long text ({len(text):,} characters, more than the model's "
                                f"{limit:,}): processed in {len(spans)} pieces")
            for number, (start, end) in enumerate(spans):
                piece = text[start:end]
                doc = nlp.make_doc(piece)
                doc._.arms_source = context(source)
                doc._.arms_text = piece
                yield doc, (index, number, len(spans), start)

    pending: list[tuple[Doc, int]] = []
    for doc, (index, number, total, start) in nlp.pipe(tasks(), as_tuples=True,
                                                       batch_size=batch_size, n_process=n_process):
        if total > 1:
            doc.tensor = doc.tensor[:0].copy()   # not written; a long text's would add up (a view keeps it)
        pending.append((doc, start))
        if number < total - 1:
            continue
        merged = merge_pieces(pending)
        pending = []
        extra = []
        if index in notes:
            extra.append(notes.pop(index))
        if index in hidden:
            restore_offsets(merged, hidden.pop(index))
        if index in raw_texts:
            dropped = keep_raw_mentions(merged, raw_texts.pop(index))
            if dropped:
                extra.append(f"{dropped} mention(s) across HTML markup dropped")
        if extra:
            source = dict(merged._.arms_source or {})
            source["warnings"] = list(source.get("warnings") or []) + extra
            merged._.arms_source = source
        yield merged
