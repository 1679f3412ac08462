"""What the token patterns of rules/patterns/ find, with their `not_followed_by`.

- `FollowerGuard` refuses a match whose next token fits its pattern's `not_followed_by`
  (rules/patterns/README.md): the resolver asks it about every pattern candidate.
- `PatternSpans` runs some patterns on their own (spaCy's Matcher on `spacy.blank("fr")`
  unless given a pipeline), refuses as the resolver does, and keeps the longest matches,
  blockers included: what the pattern tests and the peers' `found` column read.
"""
from __future__ import annotations

from typing import Iterable

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .lexicons import PatternRule

__all__ = ["FollowerGuard", "PatternSpans"]


class FollowerGuard:
    """The `not_followed_by` of the token patterns: one spaCy Matcher of one-token patterns,
    keyed by pattern id, built on the vocab of the docs it is asked about."""

    def __init__(self, rules: Iterable[PatternRule]) -> None:
        self.followers = {rule.id: rule.not_followed_by for rule in rules if rule.not_followed_by}
        self.matcher: Matcher | None = None

    def refuses(self, span: Span, pattern_id: str) -> bool:
        """Does the token right after `span` fit a `not_followed_by` of its pattern?"""
        if pattern_id not in self.followers or span.end >= len(span.doc):
            return False
        doc = span.doc
        if self.matcher is None or self.matcher.vocab is not doc.vocab:
            self.matcher = Matcher(doc.vocab)
            for rule_id, followers in self.followers.items():
                self.matcher.add(rule_id, [[follower] for follower in followers])
        key = doc.vocab.strings[pattern_id]
        # without a morphologizer (spacy.blank) a test on POS fits nothing
        following = self.matcher(doc[span.end:span.end + 1], allow_missing=True)
        return any(match_id == key for match_id, _, _ in following)


class PatternSpans:
    """Callable: text -> [(pattern id, span)] that `rules` find, refused matches left out,
    longest first (spaCy's `filter_spans`), blockers (`not_...`) included."""

    def __init__(self, rules: Iterable[PatternRule], nlp: Language | None = None) -> None:
        rules = list(rules)
        self.nlp = nlp or spacy.blank("fr")
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        for rule in rules:
            self.matcher.add(rule.id, [rule.pattern])
        self.guard = FollowerGuard(rules)

    def __call__(self, text: str | Doc) -> list[tuple[str, Span]]:
        doc = self.nlp(text) if isinstance(text, str) else text
        strings = self.nlp.vocab.strings
        ids: dict[tuple[int, int], str] = {}
        spans = []
        for match_id, start, end in self.matcher(doc):
            span, rule_id = doc[start:end], strings[match_id]
            if not self.guard.refuses(span, rule_id):
                ids.setdefault((start, end), rule_id)
                spans.append(span)
        return [(ids[(span.start, span.end)], span) for span in filter_spans(spans)]
