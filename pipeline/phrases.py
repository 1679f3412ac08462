"""Phrase patterns matched by their words' hashes: the span finder's 14,000 lexicon names
and its lower-case word patterns.

spaCy's `PhraseMatcher` takes each phrase as a `Doc`, which creates a vocabulary entry for
each new word, with our 46 lexeme flags computed on it (`flags.py`): about 1.3 s of CPU at
every start, for names most texts never contain. A `PhraseIndex` keeps each phrase as the
tuple of its words' string hashes (the hashes spaCy stores in `ORTH` and `LOWER`), so a
start costs a dictionary. It finds the same matches: every occurrence of every phrase,
overlapping ones included (tests/test_components.py compares it with spaCy's SpanRuler).
"""
from __future__ import annotations

from typing import Sequence

from spacy.strings import get_string_id
from spacy.tokens import Doc


class PhraseIndex:
    """Token sequences (by one attribute, `ORTH` or `LOWER`) -> the match keys they give."""

    def __init__(self, attr: int):
        self.attr = attr
        self.phrases: dict[tuple[int, ...], list[int]] = {}
        self.lengths: dict[int, list[int]] = {}  # first word's hash -> phrase lengths, shortest first

    def __len__(self) -> int:
        return len(self.phrases)

    def add(self, key: int, words: Sequence[str]) -> None:
        """Match `words` (their text under this index's attribute) with the match key `key`."""
        if not words:
            return
        hashes = tuple(get_string_id(word) for word in words)
        keys = self.phrases.setdefault(hashes, [])
        if key not in keys:
            keys.append(key)
        lengths = self.lengths.setdefault(hashes[0], [])
        if len(hashes) not in lengths:
            lengths.append(len(hashes))
            lengths.sort()

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(match key, start, end) of every occurrence of every phrase in `doc`."""
        if not self.phrases or not len(doc):
            return []
        lengths = self.lengths
        values = doc.to_array(self.attr).tolist()
        found = []
        for start, value in enumerate(values):
            if value not in lengths:  # a dict test per word: faster than numpy.isin, which sorts
                continue
            for length in lengths[value]:
                end = start + length
                if end > len(values):
                    break
                for key in self.phrases.get(tuple(values[start:end]), ()):
                    found.append((key, start, end))
        return found
