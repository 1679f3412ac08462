"""One document as the relation stage reads it: its mentions by token and by sentence, the
parties among them and their countries, and its sentence index.

Built once per document by the relation component and handed to every relation module. It
holds two results other modules read: the generic weapon mentions coreference has named
(`coreferred`) and the roles found (`role_records`, read by meetings and agreements).
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from typing import Mapping

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from ..sentences import SentenceIndex, lowered_string

PARTY_LABELS = ("LOC", "ORG")
NOT_PARTY_ORG_TYPES = ("media", "ngo")


@dataclass(frozen=True)
class LexiconFacts:
    """What the relation modules read from the lexicons, built once per pipeline."""
    demonyms: Mapping[str, str]                      # `marocain` -> MAR
    person_countries: Mapping[str, str | None]       # persons lexicon: name -> country
    person_lookup: Mapping[str, str | None]          # the same by loosely folded name
    category_group: Mapping[str, str] = field(default_factory=dict)  # weapon category -> its group

    @functools.cached_property
    def demonym_ids(self) -> dict[int, str]:
        """The demonyms by the string id of their form: a doc's array of lower-case forms holds
        ids, and reading each id's string back costs more than the lookup."""
        return {hash_string(form): iso for form, iso in self.demonyms.items() if iso}


class DocWords:
    """Where each word of a document stands: the token indices of each lemma and each
    lower-case form (by string id), grouped once from the doc's arrays, and the lemma ids of
    each lower-cased lemma. A scan for a few cue words then visits their tokens only, not
    every token's object."""

    def __init__(self, doc: Doc):
        self.strings = doc.vocab.strings
        rows = doc.to_array([LEMMA, LOWER]).reshape(len(doc), 2)
        self.by_lemma_id = TokensById(rows[:, 0])
        self.by_form_id = TokensById(rows[:, 1])
        self.lemma_ids: dict[str, list[int]] = {}  # `accord` -> the ids of `Accord` and `accord`
        for i in self.by_lemma_id.ids():
            self.lemma_ids.setdefault(lowered_string(self.strings, i), []).append(i)

    def positions(self, lemmas: frozenset, forms: frozenset) -> list[int]:
        """The indices of the tokens whose lower-cased lemma is one of `lemmas` or whose
        lower-case form is one of `forms`, in order."""
        lemma_ids = [i for lemma in self.lemma_ids.keys() & lemmas for i in self.lemma_ids[lemma]]
        form_ids = [self.strings[form] for form in forms if form in self.strings]
        return sorted({*self.by_lemma_id.positions(lemma_ids), *self.by_form_id.positions(form_ids)})


class TokensById:
    """The token indices holding each string id of one column of a doc's array, grouped by a
    sort (no Python loop over the tokens)."""

    def __init__(self, column: numpy.ndarray):
        order = numpy.argsort(column, kind="stable")
        ids, starts = numpy.unique(column[order], return_index=True)
        ends = [*starts[1:].tolist(), len(column)]
        self.order: list[int] = order.tolist()
        self.spans: dict[int, tuple[int, int]] = dict(zip(ids.tolist(), zip(starts.tolist(), ends)))

    def ids(self) -> list[int]:
        return list(self.spans)

    def positions(self, ids) -> list[int]:
        """The indices of the tokens holding one of `ids` (unordered)."""
        return [k for i in ids if i in self.spans for k in self.order[slice(*self.spans[i])]]


class DocView:
    """The mentions of `doc` indexed by token and sentence, with the lexicon facts the
    relation modules need (demonyms, persons' countries, weapon category groups)."""

    def __init__(self, doc: Doc, facts: LexiconFacts):
        self.doc = doc
        self.category_group = facts.category_group
        self.mentions: list[dict] = doc._.arms_mentions or []
        self.demonyms = facts.demonyms
        self.demonym_ids = facts.demonym_ids
        self.person_countries = facts.person_countries
        self.person_lookup = facts.person_lookup
        self.sentence_index = SentenceIndex.for_doc(doc)
        self.sents = self.sentence_index.spans
        self.coreferred: set[int] = set()  # generic weapon nouns named after their antecedent
        # the persons' roles and title anaphors, computed once by `roles.role_records` and read
        # by the roles, meetings and agreements modules: {"roles": {name: record}, "anaphors": [...]}
        self.role_records: dict | None = None
        # what a sentence-wide cue of the rules finds in a sentence, by (cue, sentence start):
        # asked for each weapon of the sentence, searched once (`transfers.sentence_says`)
        self.sentence_cues: dict[tuple[str, int], bool] = {}
        self.words = DocWords(doc)
        self._demonym_tokens: list[tuple[int, str]] | None = None
        self._char_offsets: list[int] | None = None
        self._positions: dict[tuple[frozenset, frozenset], list[int]] = {}
        self.by_token: dict[int, int] = {}
        self.by_sentence: dict[int, list[int]] = {}
        for index, mention in enumerate(self.mentions):
            self.by_sentence.setdefault(mention["sentence"], []).append(index)
            for i in range(mention["token_start"], mention["token_end"]):
                self.by_token[i] = index
        # the tokens in a mention, and those where the mention `by_token` gives starts: the
        # scans for a mention near a word visit these, not every token's object
        self.mention_tokens = sorted(self.by_token)
        self.mention_starts = [k for k in self.mention_tokens if self.mentions[self.by_token[k]]["token_start"] == k]

    def positions_of(self, forms: frozenset) -> list[int]:
        """The indices of the tokens whose lower-case form is one of `forms`, in order."""
        return self.word_positions(frozenset(), forms)

    def lemma_positions(self, lemmas: frozenset) -> list[int]:
        """The indices of the tokens whose lower-cased lemma is one of `lemmas`, in order."""
        return self.word_positions(lemmas, frozenset())

    def word_positions(self, lemmas: frozenset, forms: frozenset) -> list[int]:
        """The indices of the tokens whose lower-cased lemma is one of `lemmas` or whose
        lower-case form is one of `forms`, in order (found once per document and sets): the
        scans for a cue word visit these instead of every token's object."""
        key = (lemmas, forms)
        found = self._positions.get(key)
        if found is None:
            found = self._positions[key] = self.words.positions(lemmas, forms)
        return found

    def has_lemma(self, sent: Span, lemmas: frozenset) -> bool:
        """Whether a token of the sentence has one of the lower-cased `lemmas`."""
        return self.has_any(self.lemma_positions(lemmas), sent)

    def has_word(self, sent: Span, words: frozenset) -> bool:
        """Whether a token of the sentence has one of `words` for lower-cased lemma or form."""
        return self.has_any(self.word_positions(words, words), sent)

    @staticmethod
    def has_any(positions: list[int], sent: Span) -> bool:
        k = bisect.bisect_left(positions, sent.start)
        return k < len(positions) and positions[k] < sent.end

    def with_lemma(self, lemmas: frozenset, sent: Span) -> list[Token]:
        """The tokens of the sentence whose lower-cased lemma is one of `lemmas`, in order."""
        return [self.doc[k] for k in self.between(self.lemma_positions(lemmas), sent.start, sent.end)]

    def with_form(self, forms: frozenset, sent: Span) -> list[Token]:
        """The tokens of the sentence whose lower-case form is one of `forms`, in order."""
        return self.with_word(frozenset(), forms, sent.start, sent.end)

    def with_word(self, lemmas: frozenset, forms: frozenset, start: int, end: int) -> list[Token]:
        """The tokens in [start, end) whose lower-cased lemma is one of `lemmas` or whose
        lower-case form is one of `forms`, in order."""
        return [self.doc[k] for k in self.between(self.word_positions(lemmas, forms), start, end)]

    @staticmethod
    def between(positions: list[int], start: int, end: int) -> list[int]:
        """The sorted `positions` in [start, end)."""
        return positions[bisect.bisect_left(positions, start):bisect.bisect_left(positions, end)]

    def first_token_from(self, sent: Span, char: int) -> Token | None:
        """The first token of the sentence that starts at or after character `char`."""
        if self._char_offsets is None:
            self._char_offsets = self.doc.to_array(IDX).tolist()
        k = bisect.bisect_left(self._char_offsets, char, sent.start, sent.end)
        return self.doc[k] if k < sent.end else None

    def demonym_tokens(self) -> list[tuple[int, str]]:
        """(token index, country) of each demonym outside a mention (`l'armée marocaine`),
        found once per document from its array of lower-case forms."""
        if self._demonym_tokens is None:
            by_form = self.words.by_form_id
            self._demonym_tokens = sorted((k, self.demonym_ids[i]) for i in by_form.spans.keys() & self.demonym_ids.keys()
                                          for k in by_form.positions((i,)) if k not in self.by_token)
        return self._demonym_tokens

    # ---------------------------------------------------------------- mentions

    def in_sentence(self, s: int, labels: tuple[str, ...]) -> list[int]:
        return [i for i in self.by_sentence.get(s, ()) if self.mentions[i]["label"] in labels]

    def calendar_dates(self, s: int) -> list[int]:
        """The DATE mentions of sentence `s` that name a time (not `récemment`: *_REF)."""
        return [i for i in self.in_sentence(s, ("DATE",))
                if not str((self.mentions[i]["norm"] or {}).get("value", "")).endswith("_REF")]

    def span_of(self, index: int) -> Span:
        return self.doc[self.mentions[index]["token_start"]:self.mentions[index]["token_end"]]

    def mention_at(self, token: Token) -> int | None:
        return self.by_token.get(token.i)

    def label_at(self, token: Token) -> str | None:
        index = self.by_token.get(token.i)
        return None if index is None else self.mentions[index]["label"]

    def norm(self, index: int) -> dict:
        return self.mentions[index]["norm"] or {}

    def is_generic(self, index: int) -> bool:
        """A weapon mention that names no system of its own (`les drones`), even when
        coreference gave it its antecedent's name."""
        return index in self.coreferred or not self.norm(index).get("name")

    def same_kind(self, index: int, other: int) -> bool:
        """Whether two weapon mentions are of one category group (`avions` and a C-390)."""
        a, b = self.norm(index).get("category"), self.norm(other).get("category")
        return a is not None and (a == b or self.category_group.get(a, a) == self.category_group.get(b, b))

    def country_of(self, index: int | None) -> str | None:
        if index is None:
            return None
        return self.norm(index).get("country")

    def is_party(self, index: int) -> bool:
        m = self.mentions[index]
        return m["label"] in PARTY_LABELS and (m["norm"] or {}).get("type") not in NOT_PARTY_ORG_TYPES

    def is_company(self, index: int) -> bool:
        return self.mentions[index]["label"] == "ORG" and self.norm(index).get("type") == "company"

    def evidence(self, first: int, last: int | None = None) -> dict:
        last = first if last is None else last
        first, last = min(first, last), max(first, last)
        return {"start": self.sents[first].start_char, "end": self.sents[last].end_char, "sentence": first}

    def demonym_country(self, tokens) -> str | None:
        """The country of the first demonym among the tokens (`américano-norvégiens`: USA)."""
        found = self.first_demonym(tokens)
        return found[1] if found else None

    def first_demonym(self, tokens) -> tuple[Token, str] | None:
        """The first demonym among the tokens, before any punctuation, and its country."""
        for token in tokens:
            if token.is_punct and token.text not in "-":
                break
            iso = self.demonyms.get(token.lower_) or self.demonyms.get(token.lower_.split("-")[0])
            if iso:
                return token, iso
        return None

    # ---------------------------------------------------------------- parties

    def party_in_subtree(self, token: Token) -> int | None:
        for t in [token, *token.subtree]:
            index = self.mention_at(t)
            if index is not None and self.is_party(index):
                return index
        return None

    def state_before(self, token_index: int) -> int | None:
        """The last country mention before a token, in the whole document, or a city standing for
        its state as a subject (`Riyad avait reçu ... Le royaume exploite`)."""
        return next((i for i in reversed(range(len(self.mentions)))
                     if self.mentions[i]["token_end"] <= token_index and self.mentions[i]["label"] == "LOC"
                     and (self.norm(i).get("type") == "country" or self.norm(i).get("country")
                          and self.doc[self.mentions[i]["token_start"]].dep_.startswith("nsubj"))), None)

    def party_before(self, sent: Span, trigger: Token) -> int | None:
        """The last party mention before the trigger in its sentence."""
        for k in reversed(self.between(self.mention_tokens, sent.start, trigger.i)):
            index = self.by_token[k]
            if self.is_party(index):
                return index
        return None

    def party_after_preposition(self, sent: Span, trigger: Token, preps: frozenset) -> int | None:
        """The first party after one of `preps` (`à`, `au`, `vers`, `auprès de`...) following
        the trigger, determiners skipped (`à la Corée du Sud`, `auprès de la Russie`)."""
        for start in self.between(self.mention_starts, trigger.i + 1, sent.end):
            index = self.by_token[start]
            if not self.is_party(index):
                continue
            k = start - 1
            while k > trigger.i and self.doc[k].pos_ == "DET" and self.doc[k].lower_ not in preps:
                k -= 1
            # a preposition of up to four words (`à`, `auprès de`, `au profit de`, `pour le compte de`)
            words = [self.doc[j].lower_ for j in range(max(trigger.i + 1, k - 3), k + 1)]
            if any(" ".join(words[n:]) in preps for n in range(len(words))):
                return index
        return None

    def first_party_between(self, start: int, end: int) -> int | None:
        """The first party mention starting in tokens [start, end)."""
        for k in self.between(self.mention_tokens, start, end):
            index = self.by_token[k]
            if self.is_party(index):
                return index
        return None

    def place_in(self, sent: Span) -> int | None:
        """The first place introduced by `à`, `au`, `en` or `dans` in the sentence."""
        for start in self.between(self.mention_starts, sent.start, sent.end):
            index = self.by_token[start]
            if self.mentions[index]["label"] != "LOC":
                continue
            prev = [x.lower_ for x in self.doc[max(sent.start, start - 2):start]]
            if prev and (prev[-1] in ("à", "au", "en", "dans") or (len(prev) == 2 and prev[0] in ("à", "dans"))):
                return index
        return None

    def recent_countries(self, s: int, count: int) -> set[str]:
        """The last `count` distinct countries named (as places) in the sentences before `s`."""
        found: list[str] = []
        for i in reversed([i for k in range(max(0, s - 3), s) for i in self.in_sentence(k, ("LOC",))]):
            country = self.country_of(i)
            if country and country not in found:
                found.append(country)
            if len(found) == count:
                return set(found)
        return set()
