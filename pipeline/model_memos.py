"""Two rule components of the model, with memos: the same annotations, a fraction of the time.

Both spend their time making a `Token` per word, while what they give a word depends only on
a few attributes of that word:

- `MemoLemmatizer` (`arms_lemmatizer`): spaCy's French rule lemmatizer reads only a word's
  form and part of speech (`rule_lemmatize`: the cache it keeps is keyed on those two; the
  parts of speech it has no rules for go to the lookup table, by form). The lemma of each
  (form, part of speech) is kept, as a string hash, the first time it is asked for. That
  first time is itself costly in spaCy: its table of known words per part of speech
  (`lemma_index`) is a list, which `rule_lemmatize` scans for the word and for each form its
  rules make (66,000 nouns: a quarter of a millisecond per new word). The memo lemmatizer
  gives those lists a set to answer `in` (`IndexedWords`): same lemmas, each new word in
  microseconds.
- `MemoAttributeRuler` (`arms_attribute_ruler`): the model's attribute ruler maps parts of
  speech to tags with one-token patterns (`{"POS": "ADJ"}` -> `TAG: ADJ`; spaces), which read
  and write attributes of the word itself only. The values a word leaves with are kept for
  the values it came with; a word never seen that way sends its doc through spaCy's own
  matching, which is then learnt from.

A doc's values are then read and written as one array. `memoize_model` puts both in place of
the model's components, with their tables and patterns (bench/README.md: the lemmas and the
attributes are those of spaCy's components on every token of the seeds, tests/dev, dev_real
and 300 bench articles).
"""
from __future__ import annotations

from typing import Optional

import numpy
from spacy.attrs import IDS, LEMMA, ORTH, POS
from spacy.errors import Errors
from spacy.lang.fr.lemmatizer import FrenchLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# Token attributes a one-token pattern may test, and those it may set, for its outcome to be a
# function of the word's own values (no context, no extension, no lexeme attribute written).
READABLE = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "SHAPE", "POS", "TAG", "MORPH", "DEP", "LEMMA",
                      "ENT_TYPE", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "LIKE_NUM"})
WRITABLE = frozenset({"POS", "TAG", "MORPH", "DEP", "LEMMA"})


class IndexedWords(list):
    """A list of words (a `lemma_index` entry) that answers `in` from a set: the same answer
    as the list's scan, in constant time. Still a list for whatever reads or saves it."""

    def __init__(self, words=()):
        super().__init__(words)
        self.members = frozenset(self)

    def __contains__(self, word) -> bool:
        return word in self.members


class MemoLemmatizer(FrenchLemmatizer):
    """`FrenchLemmatizer` with the lemma of each (form, part of speech) kept by hash, and its
    lists of known words answering `in` from sets (`IndexedWords`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lemma_ids: dict[tuple[int, int], int] = {}  # (ORTH, POS) -> LEMMA

    def _validate_tables(self, *args, **kwargs) -> None:
        """spaCy's check of the tables, run whenever they are set (`initialize`, `from_disk`,
        `from_bytes`); then each part of speech's list of known words gets its set."""
        super()._validate_tables(*args, **kwargs)
        if "lemma_index" in self.lookups:
            index = self.lookups.get_table("lemma_index")
            for pos, words in list(index.items()):
                if isinstance(words, list) and not isinstance(words, IndexedWords):
                    index[pos] = IndexedWords(words)

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        try:
            known = self.lemma_ids  # looked up inline: one call per word costs more than the look-up
            lemmas = [lemma if lemma and not self.overwrite  # as Lemmatizer.__call__: a lemma already set stays
                      else known.get((orth, pos)) or self.learn_lemma(doc, i, orth, pos)
                      for i, (orth, pos, lemma) in enumerate(doc.to_array([ORTH, POS, LEMMA]).tolist())]
            doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64"))
            return doc
        except Exception as e:
            self.get_error_handler()(self.name, self, [doc], e)

    def learn_lemma(self, doc: Doc, i: int, orth: int, pos: int) -> int:
        """The hash of the lemma of `doc[i]`, whose form and part of speech are `orth`, `pos`,
        from spaCy's rules, kept for the next word with those two."""
        found = self.lemma_ids[orth, pos] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
        return found


class MemoAttributeRuler(AttributeRuler):
    """`AttributeRuler` with, when all its patterns are one word reading and setting that
    word's own attributes, the values each word leaves with kept by the values it came with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clear()

    def clear(self) -> None:
        super().clear()
        self.outcomes: dict[tuple, tuple] = {}  # values of `columns` before -> those of `written` after
        self._columns: Optional[tuple[list[int], list[int], list[int]]] = None

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self.outcomes, self._columns = {}, None

    def __call__(self, doc: Doc) -> Doc:
        columns = self.memo_columns()
        if columns is None or not len(doc):
            return super().__call__(doc)
        read, written, written_at = columns
        rows = doc.to_array(read)
        keys = list(map(tuple, rows.tolist()))
        try:
            after = numpy.array([self.outcomes[key] for key in keys], dtype="uint64")
        except KeyError:  # a word not seen with these values: spaCy's own matching, learnt from
            super().__call__(doc)
            self.outcomes.update(zip(keys, map(tuple, doc.to_array(written).tolist())))
            return doc
        try:
            changed = (after != rows[:, written_at]).any(axis=0)
            if changed.any():  # MORPH, which from_array registers word by word, is mostly left as it is
                doc.from_array([attr for attr, change in zip(written, changed) if change], after[:, changed])
            return doc
        except Exception as e:
            return self.get_error_handler()(self.name, self, [doc], e)

    def memo_columns(self) -> Optional[tuple[list[int], list[int], list[int]]]:
        """(attributes a word's outcome depends on, attributes written, the places of those
        among the first), or None when a pattern is longer than one word or reads or writes
        anything else."""
        if self._columns is None:
            reads, writes, plain = set(), set(), True
            for pattern in self.patterns:
                for words in pattern["patterns"]:
                    plain &= len(words) == 1 and pattern["index"] in (0, -1)
                    reads.update(key.upper() for word in words for key in word)
                writes.update(key.upper() for key in pattern["attrs"])
            if plain and reads <= READABLE and writes <= WRITABLE and writes:
                read = sorted({IDS["ORTH" if name == "TEXT" else name] for name in reads | writes})
                written = sorted(IDS[name] for name in writes)
                self._columns = (read, written, [read.index(attr) for attr in written])
            else:
                self._columns = ()
        return self._columns or None


def memoize_model(nlp: Language, lemmatizer_factory: str, attribute_ruler_factory: str) -> None:
    """Put the memo components in place of `nlp`'s French rule lemmatizer and attribute
    ruler, with their tables, patterns and settings (in place). Other components stay."""
    lemmatizer = _model_component(nlp, "lemmatizer", FrenchLemmatizer)
    if lemmatizer is not None and lemmatizer.mode == "rule":
        memo = nlp.replace_pipe("lemmatizer", lemmatizer_factory, config={"overwrite": lemmatizer.overwrite})
        memo.initialize(lookups=lemmatizer.lookups)
    ruler = _model_component(nlp, "attribute_ruler", AttributeRuler)
    if ruler is not None:
        memo = nlp.replace_pipe("attribute_ruler", attribute_ruler_factory, config={"validate": ruler.validate})
        memo.add_patterns(ruler.patterns)


def _model_component(nlp: Language, name: str, kind: type):
    """The active component `name` of `nlp` if it is exactly a `kind` (not a subclass of ours)."""
    if name not in nlp.pipe_names or type(nlp.get_pipe(name)) is not kind:
        return None
    return nlp.get_pipe(name)
