"""Which sentences of a document the relation stage reads a parse of.

The dependency parser is a tenth of the model's time; the relation stage needs it only in
sentences where a relation can be found (rules/relations.yaml, `parse_gate`). This module
says which, from what the stages before the parser give: the sentences, their lemmas and
word forms, and the mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from ..sentences import SentenceIndex
from .rules import RelationRules
from .words import RelationWords


@dataclass(frozen=True)
class ParseGate:
    """What makes a sentence worth parsing, gathered once from the rules."""
    words: frozenset            # parse_gate words, visit words and verbs, co-presence words
    agreement_prefilter: re.Pattern
    subject_pronouns: frozenset

    @classmethod
    def from_rules(cls, rules: RelationRules, words: RelationWords) -> "ParseGate":
        return cls(rules.parse_gate | words.meetings.visit_words | words.meetings.visit_verbs
                   | words.meetings.together_words,
                   rules.agreement_prefilter, words.agreements.subject_pronouns)

    def __call__(self, doc: Doc) -> list[int]:
        """The numbers of the sentences that hold a gate word, an agreement kind or a visit
        word (roles are read from the words around a name, without a parse); and the sentence
        before one of them whose subject is a pronoun (`Il a signé un accord avec...`: the
        parties are the subject of the sentence before)."""
        index = SentenceIndex.for_doc(doc)
        chosen: set[int] = set()
        for number, sent in enumerate(index.spans):
            forms = index.lemmas_and_forms(sent)
            if not forms.isdisjoint(self.words) or self.agreement_prefilter.search(index.text_of(sent)):
                chosen.add(number)
                if number and not forms.isdisjoint(self.subject_pronouns):
                    chosen.add(number - 1)
        return sorted(chosen)
